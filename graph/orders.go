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
	if err := primeAt(ctx, p.Items, (*primer).order, pageNode...); err != nil {
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
	o, err := loadVisible(ctx, &loadersFrom(ctx).order, tsunagu.OrderID(n))
	if err != nil {
		return nil, err
	}
	return primed(ctx, o, (*primer).order)
}

// orderByToken resolves orderByToken(token:): null for a token that opens nothing.
func (r *Resolver) orderByToken(ctx context.Context, token string) (*tsunagu.Order, error) {
	o, err := r.Orders.OrderByToken(ctx, token)
	if tsunagu.ErrorCode(err) == tsunagu.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return primed(ctx, o, (*primer).order)
}

// orderTaxes is the order's tax per rate, computed by the receipt's rule: the
// qualifying part, the non-qualifying one, or both summed rate by rate.
func (r *Resolver) orderTaxes(ctx context.Context, o *tsunagu.Order, side taxSide) ([]*tsunagu.RateTotal, error) {
	lines, err := loadList(ctx, &loadersFrom(ctx).orderLines, o.ID)
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

func checkoutPayload(ctx context.Context, c *tsunagu.Checkout, err error) (*model.CheckoutPayload, error) {
	var o *tsunagu.Order
	if c != nil {
		o = c.Order
	}
	errs, err := primedPayload(ctx, o, err, (*primer).order, "order")
	if err != nil || len(errs) > 0 {
		return &model.CheckoutPayload{UserErrors: errs}, err
	}
	return &model.CheckoutPayload{Order: c.Order, ClientSecret: &c.ClientSecret, OrderToken: &c.Token, UserErrors: errs}, nil
}

func orderPayload(ctx context.Context, o *tsunagu.Order, err error) (*model.OrderPayload, error) {
	errs, err := primedPayload(ctx, o, err, (*primer).order, "order")
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
	o, err := loadVisible(ctx, &loadersFrom(ctx).order, rf.OrderID)
	if err == nil && o != nil {
		err = primeAt(ctx, []*tsunagu.Order{o}, (*primer).order, "order")
	}
	if err != nil {
		return nil, err
	}
	return &model.OrderRefundPayload{Refund: rf, Order: o, UserErrors: errs}, nil
}

// shippingRule is a shop's delivery fee; a shop without one delivers for free.
func (r *Resolver) shippingRule(ctx context.Context, shop tsunagu.LocationID) (*tsunagu.ShippingRule, error) {
	rule, err := loadVisible(ctx, &loadersFrom(ctx).shippingRule, shop)
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

// taxSide is which of an order's taxes orderTaxes returns.
type taxSide int

const (
	allTaxes taxSide = iota
	qualifyingSide
	nonQualifyingSide
)

// orderLineName is a line's name in locale: the name at checkout for JA; else the
// product's name in locale as the catalog has it now, or the name at checkout when
// it has none there or the user can no longer see the product.
func orderLineName(ctx context.Context, l *tsunagu.OrderLine, locale *tsunagu.Locale) (string, error) {
	if locale == nil || *locale == tsunagu.LocaleJA {
		return l.Name, nil
	}
	p, err := loadVisible(ctx, &loadersFrom(ctx).product, l.ProductID)
	if err != nil {
		return "", err
	}
	if p != nil {
		if t, ok := p.Translations.Get(*locale); ok && t.Name != "" {
			return t.Name, nil
		}
	}
	return l.Name, nil
}
