package graph

import (
	"context"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/graph/model"
	"tsunagu/internal/tsunagu"
)

// The network's mutations: municipalities, partnerships and locations.

func municipalityPayload(ctx context.Context, m *tsunagu.Municipality, err error) (*model.MunicipalityPayload, error) {
	errs, err := primedPayload(ctx, m, err, (*primer).municipality, "municipality")
	if err != nil || len(errs) > 0 {
		return &model.MunicipalityPayload{UserErrors: errs}, err
	}
	return &model.MunicipalityPayload{Municipality: m, UserErrors: errs}, nil
}

func locationPayload(ctx context.Context, l *tsunagu.Location, err error) (*model.LocationPayload, error) {
	errs, err := primedPayload(ctx, l, err, (*primer).location, "location")
	if err != nil || len(errs) > 0 {
		return &model.LocationPayload{UserErrors: errs}, err
	}
	return &model.LocationPayload{Location: l, UserErrors: errs}, nil
}

func partnershipPayload(ctx context.Context, p *tsunagu.Partnership, err error) (*model.PartnershipPayload, error) {
	errs, err := primedPayload(ctx, p, err, (*primer).partnership, "partnership")
	if err != nil || len(errs) > 0 {
		return &model.PartnershipPayload{UserErrors: errs}, err
	}
	return &model.PartnershipPayload{Partnership: p, UserErrors: errs}, nil
}

func (p *primer) partnership(sel ast.SelectionSet, objs []*tsunagu.Partnership) {
	for _, f := range p.fields(sel, "Partnership") {
		switch f.Name {
		case "municipalityA":
			p.munisAt(f.Selections, refIDs(objs, func(o *tsunagu.Partnership) tsunagu.MunicipalityID { return o.MunicipalityA }))
		case "municipalityB":
			p.munisAt(f.Selections, refIDs(objs, func(o *tsunagu.Partnership) tsunagu.MunicipalityID { return o.MunicipalityB }))
		}
	}
}

// formatDate is a date column's value as YYYY-MM-DD, or nil.
func formatDate(d *time.Time) *string {
	if d == nil {
		return nil
	}
	s := d.Format(time.DateOnly)
	return &s
}
