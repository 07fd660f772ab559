package postgres

import (
	"context"
	"database/sql"
	"strings"

	"tsunagu/internal/tsunagu"
)

const orderRefundColumns = `r.id, r.order_id, r.amount, r.status, r.reason, r.stripe_refund_id, r.error,
	r.created_by, r.created_at`

// orderVisibleTo is the SQL condition that u may see the order in table alias o:
// the staff of its shop (see shopVisibleTo), and a customer their own orders.
func orderVisibleTo(u *tsunagu.User, a *args) string {
	if u != nil && u.Role == tsunagu.RoleCustomer {
		return `o.customer_id = ` + a.add(u.ID)
	}
	return shopVisibleTo(u, a, "o.shop_id")
}

// loadOrder reads an order by ID, without checking who may see it: for the result of
// a mutation the user was allowed to make.
func loadOrder(ctx context.Context, tx queryer, id tsunagu.OrderID) (*tsunagu.Order, error) {
	var o tsunagu.Order
	if err := tx.GetContext(ctx, &o, `SELECT `+orderColumns+` FROM orders o WHERE o.id = $1`, id); err != nil {
		return nil, notFound(err, "", "order")
	}
	return &o, nil
}

func loadOrderRefund(ctx context.Context, tx queryer, id tsunagu.OrderRefundID) (*tsunagu.OrderRefund, error) {
	var r tsunagu.OrderRefund
	if err := tx.GetContext(ctx, &r, `SELECT `+orderRefundColumns+` FROM order_refunds r WHERE r.id = $1`, id); err != nil {
		return nil, notFound(err, "", "refund")
	}
	return &r, nil
}

// OrdersByID implements tsunagu.OrderService in one statement (orderVisibleTo).
func (s *OrderService) OrdersByID(ctx context.Context, ids []tsunagu.OrderID) (map[tsunagu.OrderID]*tsunagu.Order, error) {
	var a args
	q := `SELECT ` + orderColumns + ` FROM orders o WHERE o.id = ANY(` + a.add(int64s(ids)) + `) AND ` +
		orderVisibleTo(tsunagu.UserFrom(ctx), &a)
	var orders []*tsunagu.Order
	if err := s.db.q().SelectContext(ctx, &orders, q, a...); err != nil {
		return nil, err
	}
	return byID(orders, func(o *tsunagu.Order) tsunagu.OrderID { return o.ID }), nil
}

// OrderByToken implements tsunagu.OrderService in one statement: a derived token
// names its order, whose stored hash it must match (compared in constant time); a
// token from before tokens were derived is looked up by its hash.
func (s *OrderService) OrderByToken(ctx context.Context, token string) (*tsunagu.Order, error) {
	token = strings.TrimSpace(token)
	if token == "" || len(token) > 100 {
		return nil, tsunagu.Errorf(tsunagu.CodeNotFound, "", "There is no such order.")
	}
	var o struct {
		tsunagu.Order
		TokenSalt, TokenHash []byte
	}
	q, arg := `SELECT `+orderColumns+`, o.token_salt, o.token_hash FROM orders o
		WHERE o.token_salt IS NULL AND o.token_hash = $1`, any(legacyTokenHash(token))
	id, derived := tokenOrderID(token)
	if derived {
		q, arg = `SELECT `+orderColumns+`, o.token_salt, o.token_hash FROM orders o WHERE o.id = $1`, id
	}
	err := s.db.q().GetContext(ctx, &o, q, arg)
	if err == nil && derived && !tokenOpens(o.TokenSalt, o.TokenHash, token) {
		err = sql.ErrNoRows
	}
	if err != nil {
		return nil, notFound(err, "", "order")
	}
	return &o.Order, nil
}

// Orders implements tsunagu.OrderService in one statement (orderVisibleTo).
func (s *OrderService) Orders(ctx context.Context, f tsunagu.OrderFilter, page tsunagu.PageArgs) (*tsunagu.Page[*tsunagu.Order], error) {
	u := tsunagu.UserFrom(ctx)
	if u == nil {
		return nil, tsunagu.ErrUnauthenticated
	}
	if u.Role == tsunagu.RoleCustomer && !u.EmailVerified {
		return nil, tsunagu.ErrEmailNotVerified
	}
	if err := page.Validate(); err != nil {
		return nil, err
	}
	var a args
	q := `SELECT ` + orderColumns + ` FROM orders o WHERE ` + orderVisibleTo(u, &a)
	if page.After > 0 {
		q += ` AND o.id < ` + a.add(page.After)
	}
	if f.ShopID != nil {
		q += ` AND o.shop_id = ` + a.add(*f.ShopID)
	}
	if f.Status != nil {
		q += ` AND o.status = ` + a.add(*f.Status)
	}
	if f.Since != nil {
		q += ` AND o.created_at >= ` + a.add(*f.Since)
	}
	if f.Until != nil {
		q += ` AND o.created_at < ` + a.add(*f.Until)
	}
	q += ` ORDER BY o.id DESC LIMIT ` + pageLimit(page.First, &a)
	var orders []*tsunagu.Order
	if err := s.db.q().SelectContext(ctx, &orders, q, a...); err != nil {
		return nil, err
	}
	return pageOf(orders, page.First), nil
}

// OrderLines implements tsunagu.OrderService in one statement.
func (s *OrderService) OrderLines(ctx context.Context, ids []tsunagu.OrderID) (map[tsunagu.OrderID][]*tsunagu.OrderLine, error) {
	var lines []*tsunagu.OrderLine
	err := s.db.q().SelectContext(ctx, &lines, `SELECT `+orderLineColumns+` FROM order_lines ol
		WHERE ol.order_id = ANY($1) ORDER BY ol.order_id, ol.line_number`, int64s(ids))
	if err != nil {
		return nil, err
	}
	return groupPOS(lines, func(l *tsunagu.OrderLine) tsunagu.OrderID { return l.OrderID }), nil
}

// OrderRefunds implements tsunagu.OrderService in one statement.
func (s *OrderService) OrderRefunds(ctx context.Context, ids []tsunagu.OrderID) (map[tsunagu.OrderID][]*tsunagu.OrderRefund, error) {
	var rs []*tsunagu.OrderRefund
	err := s.db.q().SelectContext(ctx, &rs, `SELECT `+orderRefundColumns+` FROM order_refunds r
		WHERE r.order_id = ANY($1) ORDER BY r.order_id, r.id`, int64s(ids))
	if err != nil {
		return nil, err
	}
	return groupPOS(rs, func(r *tsunagu.OrderRefund) tsunagu.OrderID { return r.OrderID }), nil
}

// ShippingRules implements tsunagu.OrderService in one statement.
func (s *OrderService) ShippingRules(ctx context.Context, ids []tsunagu.LocationID) (map[tsunagu.LocationID]*tsunagu.ShippingRule, error) {
	var rows []*struct {
		LocationID tsunagu.LocationID
		tsunagu.ShippingRule
	}
	err := s.db.q().SelectContext(ctx, &rows, `SELECT location_id, shipping_fee AS fee, free_shipping_above AS free_above
		FROM shops WHERE location_id = ANY($1)`, int64s(ids))
	if err != nil {
		return nil, err
	}
	out := make(map[tsunagu.LocationID]*tsunagu.ShippingRule, len(rows))
	for _, r := range rows {
		out[r.LocationID] = &r.ShippingRule
	}
	return out, nil
}

// SetShippingRule implements tsunagu.OrderService: the shop's row is locked (FOR
// UPDATE), checked, changed and audited in one transaction.
func (s *OrderService) SetShippingRule(ctx context.Context, in tsunagu.SetShippingRuleInput) (_ *tsunagu.ShippingRule, err error) {
	defer wrap(&err, "OrderService.SetShippingRule")
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	out := &tsunagu.ShippingRule{}
	err = s.db.transact(ctx, func(tx queryer) error {
		var before struct {
			tsunagu.ShippingRule
			MunicipalityID tsunagu.MunicipalityID
		}
		err := tx.GetContext(ctx, &before, `SELECT l.municipality_id, s.shipping_fee AS fee, s.free_shipping_above AS free_above
			FROM shops s JOIN locations l ON l.id = s.location_id
			WHERE s.location_id = $1 FOR UPDATE OF s`, in.ShopID)
		if err != nil {
			return notFound(err, "", "shop")
		}
		if err := tsunagu.CanManageMunicipality(u, before.MunicipalityID); err != nil {
			return err
		}
		err = tx.GetContext(ctx, out, `UPDATE shops SET shipping_fee = $2, free_shipping_above = $3 WHERE location_id = $1
			RETURNING shipping_fee AS fee, free_shipping_above AS free_above`, in.ShopID, in.Fee, in.FreeAbove)
		if err != nil {
			return err
		}
		return audit(ctx, tx, audited{Action: "setShippingRule", ObjectType: "Location", ObjectID: int64(in.ShopID),
			MunicipalityID: &before.MunicipalityID, Before: &before.ShippingRule, After: out})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
