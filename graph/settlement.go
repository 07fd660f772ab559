package graph

import (
	"context"

	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/graph/gid"
	"tsunagu/graph/model"
	"tsunagu/internal/tsunagu"
)

// Settlement: commission rates and monthly statements (resolver helpers).

func (r *Resolver) commissionRates(ctx context.Context, shopID string) ([]*tsunagu.CommissionRate, error) {
	id, err := gid.DecodeKind(shopID, gid.KindLocation)
	if err != nil {
		return nil, err
	}
	rates, err := r.Settlement.CommissionRates(ctx, tsunagu.LocationID(id))
	if err != nil {
		return nil, err
	}
	return rates, primeAt(ctx, rates, (*primer).commissionRate)
}

func (r *Resolver) setCommission(ctx context.Context, in tsunagu.SetCommissionInput) (*model.CommissionRatePayload, error) {
	rate, err := r.Settlement.SetCommission(ctx, in)
	errs, err := primedPayload(ctx, rate, err, (*primer).commissionRate, "commissionRate")
	if err != nil || len(errs) > 0 {
		return &model.CommissionRatePayload{UserErrors: errs}, err
	}
	return &model.CommissionRatePayload{CommissionRate: rate, UserErrors: errs}, nil
}

func (p *primer) commissionRate(sel ast.SelectionSet, objs []*tsunagu.CommissionRate) {
	for _, f := range p.fields(sel, "CommissionRate") {
		switch f.Name {
		case "shop":
			p.locationsAt(f.Selections, refIDs(objs, func(o *tsunagu.CommissionRate) tsunagu.LocationID { return o.ShopID }))
		case "facility":
			p.facilitiesAt(f.Selections, optionalIDs(objs, func(o *tsunagu.CommissionRate) *tsunagu.FacilityID { return o.FacilityID }))
		case "municipality":
			p.munisAt(f.Selections, optionalIDs(objs, func(o *tsunagu.CommissionRate) *tsunagu.MunicipalityID { return o.MunicipalityID }))
		case "setBy":
			p.usersAt(f.Selections, optionalIDs(objs, func(o *tsunagu.CommissionRate) *tsunagu.UserID { return o.SetBy }))
		}
	}
}

// The settlement's list fields, weighed as in listWeights (kept here, beside the
// feature, so that the block merges on its own).
func init() {
	for name, w := range map[string]listWeight{
		"Query.commissionRates": {items: 50},
	} {
		listWeights[name] = w
	}
}
