package postgres

import (
	"context"
	"time"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// The cash of session rs (a register_sessions row in the statement) by source: cash taken for its completed sales (change given
// back, so the payment's amount), cash paid back by the refunds made in it, and cash
// paid in and out. Voided sales gave their cash back and count for nothing.
const (
	cashSalesSQL = `coalesce((SELECT sum(sp.amount) FROM sale_payments sp JOIN sales s ON s.id = sp.sale_id
		WHERE s.session_id = rs.id AND s.status = 'COMPLETED' AND sp.method = 'CASH'), 0)`
	cashRefundsSQL = `coalesce((SELECT sum(rp.amount) FROM refund_payments rp JOIN refunds r ON r.id = rp.refund_id
		WHERE r.session_id = rs.id AND rp.method = 'CASH'), 0)`
	cashInSQL  = `coalesce((SELECT sum(amount) FROM cash_movements WHERE session_id = rs.id AND type = 'IN'), 0)`
	cashOutSQL = `coalesce((SELECT sum(amount) FROM cash_movements WHERE session_id = rs.id AND type = 'OUT'), 0)`
)

// expectedCashQuery is the cash session $1's drawer should hold: float + cash sales −
// cash refunds + cash in − cash out.
const expectedCashQuery = `SELECT rs.opening_float + ` + cashSalesSQL + ` - ` + cashRefundsSQL + ` + ` +
	cashInSQL + ` - ` + cashOutSQL + ` FROM register_sessions rs WHERE rs.id = $1`

// Report implements tsunagu.POSService through Reports.
func (s *POSService) Report(ctx context.Context, session tsunagu.SessionID) (*tsunagu.ZReport, error) {
	zs, err := s.Reports(ctx, []tsunagu.SessionID{session})
	if err != nil {
		return nil, err
	}
	if z := zs[session]; z != nil {
		return z, nil
	}
	return nil, tsunagu.Errorf(tsunagu.CodeNotFound, "", "There is no such register session.")
}

// Reports implements tsunagu.POSService in one statement of aggregates over the
// sessions' rows, whatever the number of sales; Count by payment method is the
// number of sale payments.
func (s *POSService) Reports(ctx context.Context, sessions []tsunagu.SessionID) (map[tsunagu.SessionID]*tsunagu.ZReport, error) {
	a := args{int64s(sessions)}
	var rows []*struct {
		ID           tsunagu.SessionID
		Status       tsunagu.SessionStatus
		Rounding     tsunagu.Rounding
		OpeningFloat int64
		CountedCash  *int64
		SalesCount   int
		GrossSales   int64
		VoidCount    int
		VoidTotal    int64
		RefundCount  int
		RefundTotal  int64
		CashSales    int64
		CashRefunds  int64
		CashIn       int64
		CashOut      int64
		ByMethod     jsonValue[[]tsunagu.MethodTotal]
		ByClass      jsonValue[[]tsunagu.TaxLine]
		ByReceipt    jsonValue[[]tsunagu.ReportLine]
	}
	err := s.db.q().SelectContext(ctx, &rows, `
		SELECT rs.id, rs.status, rs.rounding, rs.opening_float, rs.counted_cash,
			sa.sales_count, sa.gross_sales, sa.void_count, sa.void_total, rf.refund_count, rf.refund_total,
			`+cashSalesSQL+` AS cash_sales, `+cashRefundsSQL+` AS cash_refunds,
			`+cashInSQL+` AS cash_in, `+cashOutSQL+` AS cash_out,
			(SELECT coalesce(json_agg(json_build_object('Method', m.method, 'Count', m.count, 'Amount', m.amount)
				ORDER BY array_position(ARRAY['CASH', 'CARD', 'EMONEY', 'QR'], m.method)), '[]')
			 FROM (SELECT method, sum(n) AS count, sum(amount) AS amount FROM (
					SELECT sp.method, 1 AS n, sp.amount FROM sale_payments sp JOIN sales s ON s.id = sp.sale_id
					WHERE s.session_id = rs.id AND s.status = 'COMPLETED'
					UNION ALL
					SELECT rp.method, 0, -rp.amount FROM refund_payments rp JOIN refunds r ON r.id = rp.refund_id
					WHERE r.session_id = rs.id
				) x GROUP BY method) m) AS by_method,
			(SELECT coalesce(json_agg(json_build_object('Class', c.tax_class, 'Amount', c.amount)), '[]')
			 FROM (SELECT tax_class, sum(amount) AS amount FROM (
					SELECT sl.tax_class, sl.unit_price * sl.quantity AS amount
					FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id
					WHERE s.session_id = rs.id AND s.status = 'COMPLETED'
					UNION ALL
					SELECT sl.tax_class, -rl.amount FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
					JOIN sale_lines sl ON sl.sale_id = r.sale_id AND sl.line_number = rl.line_number
					WHERE r.session_id = rs.id
				) x GROUP BY tax_class) c) AS by_class,
			(SELECT coalesce(json_agg(json_build_object('Document', d.doc, 'Class', d.tax_class,
				'Qualified', d.qualified, 'Amount', d.amount)), '[]')
			 FROM (SELECT 'S' || s.id AS doc, sl.tax_class, sl.qualified, sum(sl.unit_price * sl.quantity) AS amount
					FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id
					WHERE s.session_id = rs.id AND s.status = 'COMPLETED'
					GROUP BY s.id, sl.tax_class, sl.qualified
					UNION ALL
					SELECT 'R' || r.id, sl.tax_class, sl.qualified, -sum(rl.amount)
					FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
					JOIN sale_lines sl ON sl.sale_id = r.sale_id AND sl.line_number = rl.line_number
					WHERE r.session_id = rs.id
					GROUP BY r.id, sl.tax_class, sl.qualified) d) AS by_receipt
		FROM register_sessions rs
		CROSS JOIN LATERAL (
			SELECT count(*) FILTER (WHERE status = 'COMPLETED') AS sales_count,
				coalesce(sum(total) FILTER (WHERE status = 'COMPLETED'), 0) AS gross_sales,
				count(*) FILTER (WHERE status = 'VOIDED') AS void_count,
				coalesce(sum(total) FILTER (WHERE status = 'VOIDED'), 0) AS void_total
			FROM sales WHERE session_id = rs.id) sa
		CROSS JOIN LATERAL (
			SELECT count(*) AS refund_count, coalesce(sum(total), 0) AS refund_total
			FROM refunds WHERE session_id = rs.id) rf
		WHERE rs.id = ANY($1) AND `+shopVisibleTo(tsunagu.UserFrom(ctx), &a, "rs.shop_id"), a...)
	if err != nil {
		return nil, err
	}
	out := make(map[tsunagu.SessionID]*tsunagu.ZReport, len(rows))
	for _, row := range rows {
		z := &tsunagu.ZReport{
			SalesCount: row.SalesCount, GrossSales: row.GrossSales,
			VoidCount: row.VoidCount, VoidTotal: row.VoidTotal,
			RefundCount: row.RefundCount, RefundTotal: row.RefundTotal,
			NetSales:        row.GrossSales - row.RefundTotal,
			ByPaymentMethod: row.ByMethod.V,
			ByTaxRate:       tsunagu.TaxBreakdown(row.ByClass.V, row.Rounding),
			ReportTaxes:     tsunagu.SessionTaxes(row.ByReceipt.V, row.Rounding),
			OpeningFloat:    row.OpeningFloat,
			CashSales:       row.CashSales, CashRefunds: row.CashRefunds,
			CashIn: row.CashIn, CashOut: row.CashOut,
		}
		z.ExpectedCash = z.OpeningFloat + z.CashSales - z.CashRefunds + z.CashIn - z.CashOut
		if row.Status == tsunagu.SessionClosed && row.CountedCash != nil {
			counted, overShort := *row.CountedCash, *row.CountedCash-z.ExpectedCash
			z.CountedCash, z.OverShort = &counted, &overShort
		}
		if z.ByPaymentMethod == nil {
			z.ByPaymentMethod = []tsunagu.MethodTotal{}
		}
		if z.ByTaxRate == nil {
			z.ByTaxRate = []tsunagu.RateTotal{}
		}
		out[row.ID] = z
	}
	return out, nil
}

// Receipt implements tsunagu.POSService through Receipts.
func (s *POSService) Receipt(ctx context.Context, sale tsunagu.SaleID, refund *tsunagu.RefundID) (*tsunagu.Receipt, error) {
	k := tsunagu.ReceiptKey{Sale: sale}
	if refund != nil {
		k.Refund = *refund
	}
	rcs, err := s.Receipts(ctx, []tsunagu.ReceiptKey{k})
	if err != nil {
		return nil, err
	}
	if rc := rcs[k]; rc != nil {
		return rc, nil
	}
	return nil, tsunagu.Errorf(tsunagu.CodeNotFound, "", "There is no such receipt.")
}

// Receipts implements tsunagu.POSService in one statement, from the rows stored
// when each sale or refund was made and the issuer and rounding its session opened
// with.
func (s *POSService) Receipts(ctx context.Context, keys []tsunagu.ReceiptKey) (map[tsunagu.ReceiptKey]*tsunagu.Receipt, error) {
	sales, refunds := make([]int64, len(keys)), make([]int64, len(keys))
	for i, k := range keys {
		sales[i], refunds[i] = int64(k.Sale), int64(k.Refund)
	}
	a := args{pq.Array(sales), pq.Array(refunds)}
	var rows []*struct {
		tsunagu.Sale
		KeyRefund          tsunagu.RefundID
		OperatorName       string
		RegistrationNumber *string
		Rounding           tsunagu.Rounding
		ShopName           string
		RegisterName       string
		RefundNumber       int64
		RefundAt           *time.Time
		Lines              jsonValue[[]tsunagu.ReceiptLine]
		Payments           jsonValue[[]tsunagu.ReceiptPayment]
	}
	// Lines and payments are the sale's, or with a refund the refund's, as JSON.
	err := s.db.q().SelectContext(ctx, &rows, `
		SELECT `+saleColumns+`, k.refund_id AS key_refund, rs.operator_name, rs.registration_number, rs.rounding,
			l.name AS shop_name, reg.name AS register_name,
			coalesce(r.receipt_number, 0) AS refund_number, r.created_at AS refund_at,
			CASE WHEN r.id IS NULL THEN
				(SELECT json_agg(json_build_object('Name', sl.name, 'Code', sl.code, 'UnitPrice', sl.unit_price,
					'Quantity', sl.quantity, 'TaxClass', sl.tax_class, 'Qualified', sl.qualified) ORDER BY sl.line_number)
				 FROM sale_lines sl WHERE sl.sale_id = s.id)
			ELSE
				(SELECT json_agg(json_build_object('Name', sl.name, 'Code', sl.code, 'UnitPrice', sl.unit_price,
					'Quantity', rl.quantity, 'TaxClass', sl.tax_class, 'Qualified', sl.qualified) ORDER BY sl.line_number)
				 FROM refund_lines rl JOIN sale_lines sl ON sl.sale_id = s.id AND sl.line_number = rl.line_number
				 WHERE rl.refund_id = r.id)
			END AS lines,
			CASE WHEN r.id IS NULL THEN
				(SELECT json_agg(json_build_object('Method', sp.method, 'Amount', sp.amount,
					'Tendered', CASE WHEN s.status = 'COMPLETED' THEN sp.tendered ELSE 0 END,
					'Reference', sp.reference) ORDER BY sp.seq)
				 FROM sale_payments sp WHERE sp.sale_id = s.id)
			ELSE
				(SELECT json_agg(json_build_object('Method', rp.method, 'Amount', rp.amount)
					ORDER BY array_position(ARRAY['CASH', 'CARD', 'EMONEY', 'QR'], rp.method))
				 FROM refund_payments rp WHERE rp.refund_id = r.id)
			END AS payments
		FROM unnest($1::bigint[], $2::bigint[]) AS k(sale_id, refund_id)
		JOIN sales s ON s.id = k.sale_id
		JOIN locations l ON l.id = s.shop_id
		JOIN registers reg ON reg.id = s.register_id
		LEFT JOIN refunds r ON r.id = k.refund_id AND r.sale_id = s.id
		-- The issuer is the shop as it was when the session of the sale (or of the
		-- refund) opened.
		JOIN register_sessions rs ON rs.id = coalesce(r.session_id, s.session_id)
		WHERE (k.refund_id = 0 OR r.id IS NOT NULL) AND `+shopVisibleTo(tsunagu.UserFrom(ctx), &a, "s.shop_id"), a...)
	if err != nil {
		return nil, err
	}
	out := make(map[tsunagu.ReceiptKey]*tsunagu.Receipt, len(rows))
	for _, h := range rows {
		rc := &tsunagu.Receipt{
			IssuerName:    h.OperatorName,
			ShopName:      h.ShopName,
			RegisterName:  h.RegisterName,
			ReceiptNumber: h.ReceiptNumber,
			IssuedAt:      h.CreatedAt,
			Kind:          tsunagu.ReceiptSale,
			Lines:         h.Lines.V,
			Rounding:      h.Rounding,
			Payments:      h.Payments.V,
		}
		if h.RegistrationNumber != nil {
			rc.RegistrationNumber = *h.RegistrationNumber
		}
		switch {
		case h.KeyRefund != 0:
			rc.Kind, rc.ReceiptNumber, rc.IssuedAt = tsunagu.ReceiptRefund, h.RefundNumber, *h.RefundAt
			rc.OriginalNumber, rc.OriginalIssuedAt = h.ReceiptNumber, h.CreatedAt
		case h.Status == tsunagu.SaleVoided:
			rc.Kind, rc.ReceiptNumber, rc.IssuedAt = tsunagu.ReceiptVoid, 0, *h.VoidedAt
			rc.OriginalNumber, rc.OriginalIssuedAt = h.ReceiptNumber, h.CreatedAt
		}
		if err := rc.Compute(); err != nil {
			return nil, err
		}
		out[tsunagu.ReceiptKey{Sale: h.ID, Refund: h.KeyRefund}] = rc
	}
	return out, nil
}
