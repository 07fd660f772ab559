package graph

import (
	"context"

	"tsunagu/graph/gid"
	"tsunagu/graph/model"
	"tsunagu/internal/tsunagu"
)

// Helpers of the online-order resolvers.

func orderConnection(p *tsunagu.Page[*tsunagu.Order]) *model.OrderConnection {
	return connection(p, func(o *tsunagu.Order) int64 { return int64(o.ID) },
		func(c string, n *tsunagu.Order) *model.OrderEdge { return &model.OrderEdge{Cursor: c, Node: n} },
		func(e []*model.OrderEdge, i *model.PageInfo) *model.OrderConnection {
			return &model.OrderConnection{Edges: e, PageInfo: i}
		})
}

func (r *Resolver) orders(ctx context.Context, f *tsunagu.OrderFilter, first *int, after *string) (*model.OrderConnection, error) {
	page, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	p, err := r.Orders.Orders(ctx, deref(f), page)
	if err != nil {
		return nil, err
	}
	if err := r.prefetchOrderRefs(ctx, p.Items); err != nil {
		return nil, err
	}
	return orderConnection(p), nil
}

// order resolves order(id:): null when the ID is malformed, unknown or not visible.
func (r *Resolver) order(ctx context.Context, id string) (*tsunagu.Order, error) {
	n, err := gid.DecodeKind(id, gid.KindOrder)
	if err != nil {
		return nil, nil
	}
	return loadVisible(ctx, loadersFrom(ctx).order, tsunagu.OrderID(n))
}

// orderByToken resolves orderByToken(token:): null for a token that opens nothing.
func (r *Resolver) orderByToken(ctx context.Context, token string) (*tsunagu.Order, error) {
	o, err := r.Orders.OrderByToken(ctx, token)
	if tsunagu.ErrorCode(err) == tsunagu.CodeNotFound {
		return nil, nil
	}
	return o, err
}

// orderTaxes is the order's tax per rate, computed by the receipt's rule: the
// qualifying part, the non-qualifying one, or both summed rate by rate.
func (r *Resolver) orderTaxes(ctx context.Context, o *tsunagu.Order, side taxSide) ([]*tsunagu.RateTotal, error) {
	lines, err := loadList(ctx, loadersFrom(ctx).orderLines, o.ID)
	if err != nil {
		return nil, err
	}
	q, nq := tsunagu.OrderTaxes(lines, o.ShippingFee, o.Rounding)
	var rts []tsunagu.RateTotal
	switch side {
	case qualifyingSide:
		rts = q
	case nonQualifyingSide:
		rts = nq
	default:
		rts = tsunagu.SumRateTotals(q, nq)
	}
	out := make([]*tsunagu.RateTotal, len(rts))
	for i := range rts {
		out[i] = &rts[i]
	}
	return out, nil
}

// loginPayload is the payload of login and signUp: the new session's token.
func loginPayload(s *tsunagu.Session, err error) (*model.LoginPayload, error) {
	errs, err := userErrors(err)
	if err != nil || len(errs) > 0 {
		return &model.LoginPayload{UserErrors: errs}, err
	}
	return &model.LoginPayload{Token: &s.Token, ExpiresAt: &s.ExpiresAt, User: s.User, UserErrors: errs}, nil
}

func checkoutPayload(c *tsunagu.Checkout, err error) (*model.CheckoutPayload, error) {
	errs, err := userErrors(err)
	if err != nil || len(errs) > 0 {
		return &model.CheckoutPayload{UserErrors: errs}, err
	}
	return &model.CheckoutPayload{Order: c.Order, ClientSecret: &c.ClientSecret, OrderToken: &c.Token, UserErrors: errs}, nil
}

func orderPayload(o *tsunagu.Order, err error) (*model.OrderPayload, error) {
	errs, err := userErrors(err)
	if err != nil || len(errs) > 0 {
		return &model.OrderPayload{UserErrors: errs}, err
	}
	return &model.OrderPayload{Order: o, UserErrors: errs}, nil
}

func (r *Resolver) orderRefundPayload(ctx context.Context, rf *tsunagu.OrderRefund, err error) (*model.OrderRefundPayload, error) {
	errs, err := userErrors(err)
	if err != nil || len(errs) > 0 {
		return &model.OrderRefundPayload{UserErrors: errs}, err
	}
	o, err := loadVisible(ctx, loadersFrom(ctx).order, rf.OrderID)
	if err != nil {
		return nil, err
	}
	return &model.OrderRefundPayload{Refund: rf, Order: o, UserErrors: errs}, nil
}

// shippingRule is a shop's delivery fee; a shop without one delivers for free.
func (r *Resolver) shippingRule(ctx context.Context, shop tsunagu.LocationID) (*tsunagu.ShippingRule, error) {
	l := loadersFrom(ctx).shippingRule
	if l == nil {
		return &tsunagu.ShippingRule{}, nil
	}
	rule, err := loadVisible(ctx, l, shop)
	if rule == nil && err == nil {
		rule = &tsunagu.ShippingRule{}
	}
	return rule, err
}

func shippingRulePayload(rule *tsunagu.ShippingRule, err error) (*model.ShippingRulePayload, error) {
	errs, err := userErrors(err)
	if err != nil || len(errs) > 0 {
		return &model.ShippingRulePayload{UserErrors: errs}, err
	}
	return &model.ShippingRulePayload{ShippingRule: rule, UserErrors: errs}, nil
}

// prefetchOrderRefs primes the loaders of a page of orders with their lines (and the
// lines' products and owners), refunds and shops, as far as the query asks for them:
// see prefetchProductRefs for why.
func (r *Resolver) prefetchOrderRefs(ctx context.Context, os []*tsunagu.Order) error {
	if len(os) == 0 {
		return nil
	}
	l := loadersFrom(ctx)
	ids := make([]tsunagu.OrderID, len(os))
	shops := make([]tsunagu.LocationID, len(os))
	for i, o := range os {
		ids[i], shops[i] = o.ID, o.ShopID
	}
	if selects(ctx, "edges", "node", "lines") || selects(ctx, "edges", "node", "taxes") ||
		selects(ctx, "edges", "node", "qualifyingTaxes") || selects(ctx, "edges", "node", "nonQualifyingTaxes") {
		lines, err := r.Orders.OrderLines(ctx, ids)
		if err != nil {
			return err
		}
		var products []tsunagu.ProductID
		var owners []tsunagu.FacilityID
		for _, id := range ids {
			l.orderLines.Prime(id, lines[id])
			for _, ln := range lines[id] {
				products, owners = append(products, ln.ProductID), append(owners, ln.OwnerFacilityID)
			}
		}
		if selects(ctx, "edges", "node", "lines", "product") && len(products) > 0 {
			ps, err := r.Catalog.ProductsByID(ctx, unique(products))
			if err != nil {
				return err
			}
			for id, p := range ps {
				l.product.Prime(id, p)
			}
		}
		if selects(ctx, "edges", "node", "lines", "owner") && len(owners) > 0 {
			fs, err := r.Catalog.FacilitiesByID(ctx, unique(owners))
			if err != nil {
				return err
			}
			for id, f := range fs {
				l.facility.Prime(id, f)
			}
		}
	}
	if selects(ctx, "edges", "node", "refunds") {
		rs, err := r.Orders.OrderRefunds(ctx, ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			l.orderRefunds.Prime(id, rs[id])
		}
	}
	if selects(ctx, "edges", "node", "shop") {
		ls, err := r.Catalog.LocationsByID(ctx, unique(shops))
		if err != nil {
			return err
		}
		for id, loc := range ls {
			l.location.Prime(id, loc)
		}
	}
	return nil
}

// taxSide is which of an order's taxes orderTaxes returns.
type taxSide int

const (
	allTaxes taxSide = iota
	qualifyingSide
	nonQualifyingSide
)
