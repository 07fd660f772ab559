package postgres

import (
	"context"
	"time"

	"tsunagu/internal/tsunagu"
)

const saleLineColumns = `sl.sale_id, sl.line_number, sl.product_id, sl.owner_facility_id, sl.name, sl.code,
	sl.unit_price, sl.quantity, sl.tax_class, sl.qualified, sl.refunded`

// Sales implements tsunagu.POSService in one statement (shopVisibleTo).
func (s *POSService) Sales(ctx context.Context, f tsunagu.SaleFilter, page tsunagu.PageArgs) (*tsunagu.Page[*tsunagu.Sale], error) {
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if err := page.Validate(); err != nil {
		return nil, err
	}
	var a args
	q := `SELECT ` + saleColumns + ` FROM sales s WHERE ` + shopVisibleTo(u, &a, "s.shop_id")
	if page.After > 0 {
		q += ` AND s.id < ` + a.add(page.After)
	}
	if f.ShopID != nil {
		q += ` AND s.shop_id = ` + a.add(*f.ShopID)
	}
	if f.SessionID != nil {
		q += ` AND s.session_id = ` + a.add(*f.SessionID)
	}
	if f.Since != nil {
		q += ` AND s.created_at >= ` + a.add(*f.Since)
	}
	if f.Until != nil {
		q += ` AND s.created_at < ` + a.add(*f.Until)
	}
	if f.PaymentMethod != nil {
		q += ` AND EXISTS (SELECT FROM sale_payments sp WHERE sp.sale_id = s.id AND sp.method = ` + a.add(*f.PaymentMethod) + `)`
	}
	q += ` ORDER BY s.id DESC LIMIT ` + pageLimit(page.First, &a)
	var sales []*tsunagu.Sale
	if err := s.db.q().SelectContext(ctx, &sales, q, a...); err != nil {
		return nil, err
	}
	return pageOf(sales, page.First), nil
}

// SoldLines implements tsunagu.POSService in one statement. A line is visible with
// its sale (shopVisibleTo) or to the staff of the facility that owned the goods
// (ofFacility): the one rule of each role, nothing new for this list.
func (s *POSService) SoldLines(ctx context.Context, f tsunagu.SoldLineFilter, page tsunagu.PageArgs) (*tsunagu.Page[*tsunagu.SoldLine], error) {
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if err := page.Validate(); err != nil {
		return nil, err
	}
	var a args
	q := `SELECT ` + saleLineColumns + `, s.shop_id, s.created_at AS sold_at
		FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id
		WHERE s.status = 'COMPLETED' AND (` + shopVisibleTo(u, &a, "s.shop_id") + ` OR ` + ofFacility(u, &a, "sl.owner_facility_id") + `)`
	if page.After > 0 {
		sale, line := tsunagu.SplitSoldLineKey(page.After)
		q += ` AND (sl.sale_id, sl.line_number) < (` + a.add(sale) + `, ` + a.add(line) + `)`
	}
	if f.FacilityID != nil {
		q += ` AND sl.owner_facility_id = ` + a.add(*f.FacilityID)
	}
	if f.ShopID != nil {
		q += ` AND s.shop_id = ` + a.add(*f.ShopID)
	}
	if f.Since != nil {
		q += ` AND s.created_at >= ` + a.add(*f.Since)
	}
	if f.Until != nil {
		q += ` AND s.created_at < ` + a.add(*f.Until)
	}
	q += ` ORDER BY sl.sale_id DESC, sl.line_number DESC LIMIT ` + pageLimit(page.First, &a)
	var rows []struct {
		tsunagu.SaleLine
		ShopID tsunagu.LocationID
		SoldAt time.Time
	}
	if err := s.db.q().SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, err
	}
	out := make([]*tsunagu.SoldLine, len(rows))
	for i := range rows {
		out[i] = &tsunagu.SoldLine{Line: &rows[i].SaleLine, ShopID: rows[i].ShopID, SoldAt: rows[i].SoldAt}
	}
	return pageOf(out, page.First), nil
}

// SalesByID implements tsunagu.POSService in one statement (shopVisibleTo).
func (s *POSService) SalesByID(ctx context.Context, ids []tsunagu.SaleID) (map[tsunagu.SaleID]*tsunagu.Sale, error) {
	var a args
	q := `SELECT ` + saleColumns + ` FROM sales s WHERE s.id = ANY(` + a.add(int64s(ids)) + `) AND ` +
		shopVisibleTo(tsunagu.UserFrom(ctx), &a, "s.shop_id")
	var sales []*tsunagu.Sale
	if err := s.db.q().SelectContext(ctx, &sales, q, a...); err != nil {
		return nil, err
	}
	return byID(sales, func(s *tsunagu.Sale) tsunagu.SaleID { return s.ID }), nil
}

// SaleByReceiptNumber implements tsunagu.POSService in one statement, over the
// sales' and the refunds' numbers.
func (s *POSService) SaleByReceiptNumber(ctx context.Context, shop tsunagu.LocationID, number int64) (*tsunagu.Sale, error) {
	a := args{shop, number}
	var sale tsunagu.Sale
	err := s.db.q().GetContext(ctx, &sale, `SELECT `+saleColumns+` FROM sales s
		WHERE s.shop_id = $1 AND (s.receipt_number = $2
			OR s.id = (SELECT r.sale_id FROM refunds r WHERE r.shop_id = $1 AND r.receipt_number = $2))
			AND `+shopVisibleTo(tsunagu.UserFrom(ctx), &a, "s.shop_id"), a...)
	if err != nil {
		return nil, notFound(err, "", "sale with this receipt number")
	}
	return &sale, nil
}

// SaleLines implements tsunagu.POSService in one statement (shopVisibleTo).
func (s *POSService) SaleLines(ctx context.Context, ids []tsunagu.SaleID) (map[tsunagu.SaleID][]*tsunagu.SaleLine, error) {
	var a args
	q := `SELECT ` + saleLineColumns + ` FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id
		WHERE sl.sale_id = ANY(` + a.add(int64s(ids)) + `) AND ` + shopVisibleTo(tsunagu.UserFrom(ctx), &a, "s.shop_id") + `
		ORDER BY sl.sale_id, sl.line_number`
	var lines []*tsunagu.SaleLine
	if err := s.db.q().SelectContext(ctx, &lines, q, a...); err != nil {
		return nil, err
	}
	return groupPOS(lines, func(l *tsunagu.SaleLine) tsunagu.SaleID { return l.SaleID }), nil
}

// SalePayments implements tsunagu.POSService in one statement (shopVisibleTo).
func (s *POSService) SalePayments(ctx context.Context, ids []tsunagu.SaleID) (map[tsunagu.SaleID][]*tsunagu.Payment, error) {
	var a args
	q := `SELECT sp.sale_id, sp.method, sp.amount, sp.tendered, sp.change, sp.reference
		FROM sale_payments sp JOIN sales s ON s.id = sp.sale_id
		WHERE sp.sale_id = ANY(` + a.add(int64s(ids)) + `) AND ` + shopVisibleTo(tsunagu.UserFrom(ctx), &a, "s.shop_id") + `
		ORDER BY sp.sale_id, sp.seq`
	var rows []*struct {
		SaleID tsunagu.SaleID
		tsunagu.Payment
	}
	if err := s.db.q().SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, err
	}
	out := map[tsunagu.SaleID][]*tsunagu.Payment{}
	for _, r := range rows {
		out[r.SaleID] = append(out[r.SaleID], &r.Payment)
	}
	return out, nil
}

// Refunds implements tsunagu.POSService in one statement (shopVisibleTo).
func (s *POSService) Refunds(ctx context.Context, ids []tsunagu.SaleID) (map[tsunagu.SaleID][]*tsunagu.Refund, error) {
	var a args
	q := `SELECT ` + refundColumns + ` FROM refunds r
		WHERE r.sale_id = ANY(` + a.add(int64s(ids)) + `) AND ` + shopVisibleTo(tsunagu.UserFrom(ctx), &a, "r.shop_id") + `
		ORDER BY r.sale_id, r.id`
	var rs []*tsunagu.Refund
	if err := s.db.q().SelectContext(ctx, &rs, q, a...); err != nil {
		return nil, err
	}
	return groupPOS(rs, func(r *tsunagu.Refund) tsunagu.SaleID { return r.SaleID }), nil
}

// RefundLines implements tsunagu.POSService in one statement (shopVisibleTo).
func (s *POSService) RefundLines(ctx context.Context, ids []tsunagu.RefundID) (map[tsunagu.RefundID][]*tsunagu.RefundLine, error) {
	var a args
	q := `SELECT rl.refund_id, rl.line_number, rl.quantity, rl.amount
		FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
		WHERE rl.refund_id = ANY(` + a.add(int64s(ids)) + `) AND ` + shopVisibleTo(tsunagu.UserFrom(ctx), &a, "r.shop_id") + `
		ORDER BY rl.refund_id, rl.line_number`
	var ls []*tsunagu.RefundLine
	if err := s.db.q().SelectContext(ctx, &ls, q, a...); err != nil {
		return nil, err
	}
	return groupPOS(ls, func(l *tsunagu.RefundLine) tsunagu.RefundID { return l.RefundID }), nil
}
