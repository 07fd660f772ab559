package graph

import (
	"context"
	"errors"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/graph/gid"
	"tsunagu/graph/model"
	"tsunagu/internal/settledoc"
	"tsunagu/internal/tsunagu"
)

// Settlement: commission rates and monthly statements (resolver helpers).

func (r *Resolver) commissionRates(ctx context.Context, shopID string) ([]*tsunagu.CommissionRate, error) {
	id, err := gid.DecodeKind(shopID, gid.KindLocation)
	if err != nil {
		return nil, err
	}
	rates, err := r.Settlements.CommissionRates(ctx, tsunagu.LocationID(id))
	if err != nil {
		return nil, err
	}
	return rates, primeAt(ctx, rates, (*primer).commissionRate)
}

func (r *Resolver) setCommission(ctx context.Context, in tsunagu.SetCommissionInput) (*model.CommissionRatePayload, error) {
	rate, err := r.Settlements.SetCommission(ctx, in)
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
		"Query.commissionRates":      {items: 50},
		"Query.settlements":          page,
		"Settlement.rates":           {items: 4},
		"Settlement.commissionParts": {items: 5},
		"Settlement.lines":           {items: 100},
		// Every facility that sold at the shop in the month; a client reading their
		// lines reads them page by page with settlements(month, filter: {shopId}).
		"CloseSettlementMonthPayload.settlements": {items: 100},
	} {
		listWeights[name] = w
	}
}

func (r *Resolver) settlements(ctx context.Context, month string, f *tsunagu.SettlementFilter, first *int, after *string) (*model.SettlementConnection, error) {
	page, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	filter := deref(f)
	filter.Month = month
	p, err := r.Settlements.Settlements(ctx, filter, page)
	if err != nil {
		return nil, err
	}
	if err := primeAt(ctx, p.Items, (*primer).settlement, pageNode...); err != nil {
		return nil, err
	}
	return connection(p, func(s *tsunagu.Settlement) int64 { return int64(s.ID) },
		func(c string, n *tsunagu.Settlement) *model.SettlementEdge {
			return &model.SettlementEdge{Cursor: c, Node: n}
		},
		func(e []*model.SettlementEdge, i *model.PageInfo) *model.SettlementConnection {
			return &model.SettlementConnection{Edges: e, PageInfo: i}
		}), nil
}

// settlement returns null for an ID that is not a statement's, unknown or not
// visible, as node(id) does.
func (r *Resolver) settlement(ctx context.Context, id string) (*tsunagu.Settlement, error) {
	n, err := gid.DecodeKind(id, gid.KindSettlement)
	if err != nil {
		return nil, nil
	}
	s, err := r.Settlements.Settlement(ctx, tsunagu.SettlementID(n))
	if e := (*tsunagu.Error)(nil); errors.As(err, &e) && e.Code == tsunagu.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return primed(ctx, s, (*primer).settlement)
}

func (p *primer) settlement(sel ast.SelectionSet, objs []*tsunagu.Settlement) {
	for _, f := range p.fields(sel, "Settlement") {
		switch f.Name {
		case "facility":
			p.facilitiesAt(f.Selections, refIDs(objs, func(o *tsunagu.Settlement) tsunagu.FacilityID { return o.FacilityID }))
		case "shop":
			p.locationsAt(f.Selections, refIDs(objs, func(o *tsunagu.Settlement) tsunagu.LocationID { return o.ShopID }))
		case "lines":
			var ids []tsunagu.ProductID
			for _, o := range objs {
				for _, l := range o.Lines {
					ids = append(ids, l.ProductID)
				}
			}
			p.productsAt(p.at(f.Selections, "SettlementLine", "product"), ids)
		}
	}
}

func (r *Resolver) closeSettlementMonth(ctx context.Context, in tsunagu.CloseSettlementMonthInput) (*model.CloseSettlementMonthPayload, error) {
	c, err := r.Settlements.CloseSettlementMonth(ctx, in)
	errs, err := userErrors(err)
	if err != nil || len(errs) > 0 {
		return &model.CloseSettlementMonthPayload{UserErrors: errs}, err
	}
	if err := primeAt(ctx, c.Settlements, (*primer).settlement, "settlements"); err != nil {
		return nil, err
	}
	month := c.Month.String()
	return &model.CloseSettlementMonthPayload{Month: &month, ClosedAt: &c.ClosedAt, Settlements: c.Settlements,
		UserErrors: errs}, nil
}

func (r *Resolver) markSettlementPaid(ctx context.Context, in tsunagu.MarkSettlementPaidInput) (*model.SettlementPayload, error) {
	s, err := r.Settlements.MarkSettlementPaid(ctx, in)
	errs, err := primedPayload(ctx, s, err, (*primer).settlement, "settlement")
	if err != nil || len(errs) > 0 {
		return &model.SettlementPayload{UserErrors: errs}, err
	}
	return &model.SettlementPayload{Settlement: s, UserErrors: errs}, nil
}

// settlementDocument renders statement s in format with the parties it names: the
// facility, and the shop with its receipt issuer.
func (r *Resolver) settlementDocument(ctx context.Context, s *tsunagu.Settlement, format settledoc.Format) (*settledoc.Document, error) {
	l := loadersFrom(ctx)
	facility, err := load(ctx, &l.facility, s.FacilityID, "facility")
	if err != nil {
		return nil, err
	}
	shop, err := load(ctx, &l.location, s.ShopID, "shop")
	if err != nil {
		return nil, err
	}
	settings, err := load(ctx, &l.shop, s.ShopID, "shop")
	if err != nil {
		return nil, err
	}
	return settledoc.Render(&settledoc.Statement{Settlement: s, Facility: facility, Shop: shop, ShopSettings: settings,
		IssuedAt: time.Now()}, format)
}
