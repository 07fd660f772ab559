package postgres

import (
	"context"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

const refundColumns = `r.id, r.sale_id, r.shop_id, r.session_id, r.receipt_number, r.total, r.method,
	r.reason, r.created_by, r.created_at`

// RefundSale implements tsunagu.POSService in one transaction (runOnce,
// refundSaleTx): the stock goes back under the sale's document (REFUND), the money
// by refundPayments, and the receipt number is taken by the transaction's last
// statement, as a sale's is.
func (s *POSService) RefundSale(ctx context.Context, in tsunagu.RefundSaleInput) (_ *tsunagu.Refund, err error) {
	defer wrap(&err, "POSService.RefundSale")
	return runOnce(ctx, s.db, "refundSale", &in, once[*tsunagu.Refund]{
		do: func(tx queryer, u *tsunagu.User, _ *idemKey) (*tsunagu.Refund, error) {
			return refundSaleTx(ctx, tx, u, &in)
		},
		id: func(rf *tsunagu.Refund) int64 { return int64(rf.ID) },
		replay: func(tx queryer, id int64) (*tsunagu.Refund, error) {
			out := &tsunagu.Refund{}
			return out, tx.GetContext(ctx, out, `SELECT `+refundColumns+` FROM refunds r WHERE r.id = $1`, id)
		},
	})
}

// methodPaid is what a sale paid by one method, and what its refunds so far gave back
// by it.
type methodPaid struct {
	Method   tsunagu.PaymentMethod
	Amount   int64
	Refunded int64
}

// refundSaleTx is the work of RefundSale in tx.
func refundSaleTx(ctx context.Context, tx queryer, u *tsunagu.User, in *tsunagu.RefundSaleInput) (*tsunagu.Refund, error) {
	sale, err := lockSale(ctx, tx, u, in.SaleID, false)
	if err != nil {
		return nil, err
	}
	if sale.Status == tsunagu.SaleVoided {
		return nil, tsunagu.Errorf(tsunagu.CodeInvalidState, "input.saleId", "This sale was voided; there is nothing to refund.")
	}
	if sale.Status != tsunagu.SaleCompleted {
		return nil, errNotCompleted
	}
	rs, err := lockSession(ctx, tx, u, in.SessionID, sessionShare)
	if tsunagu.ErrorCode(err) == tsunagu.CodeNotFound {
		return nil, tsunagu.Errorf(tsunagu.CodeNotFound, "input.sessionId", "There is no such register session.")
	}
	if err != nil {
		return nil, err
	}
	switch {
	case rs.ShopID != sale.ShopID:
		return nil, tsunagu.Errorf(tsunagu.CodeInvalidInput, "input.sessionId",
			"A sale is refunded at the shop that sold it; use a register of that shop.")
	case rs.Status != tsunagu.SessionOpen:
		return nil, errNoOpenSession("input.sessionId")
	}

	// Read under the sale's lock: no other refund of this sale can run meanwhile.
	var lines []*tsunagu.SaleLine
	err = tx.SelectContext(ctx, &lines, `SELECT `+saleLineColumns+` FROM sale_lines sl
		WHERE sl.sale_id = $1 ORDER BY sl.line_number`, sale.ID)
	if err != nil {
		return nil, err
	}
	var paid []methodPaid
	err = tx.SelectContext(ctx, &paid, `
		SELECT sp.method, sum(sp.amount) AS amount,
			coalesce((SELECT sum(rp.amount) FROM refund_payments rp JOIN refunds r ON r.id = rp.refund_id
				WHERE r.sale_id = $1 AND rp.method = sp.method), 0) AS refunded
		FROM sale_payments sp WHERE sp.sale_id = $1
		GROUP BY sp.method ORDER BY min(sp.seq)`, sale.ID)
	if err != nil {
		return nil, err
	}

	byNumber := byID(lines, func(l *tsunagu.SaleLine) int { return l.LineNumber })
	var numbers, quantities []int64
	var amounts []int64
	var ms []movement
	var total int64
	add := func(l *tsunagu.SaleLine, q int) {
		numbers, quantities = append(numbers, int64(l.LineNumber)), append(quantities, int64(q))
		amounts = append(amounts, l.UnitPrice*int64(q))
		total += l.UnitPrice * int64(q)
		ms = append(ms, movement{ProductID: l.ProductID, LocationID: sale.ShopID, Owner: l.OwnerFacilityID,
			Bucket: tsunagu.BucketOnHand, Quantity: q, Reason: tsunagu.ReasonRefund})
	}
	var errs tsunagu.ValidationErrors
	for i, rl := range in.Lines {
		l := byNumber[rl.LineNumber]
		switch {
		case l == nil:
			errs.Add(tsunagu.CodeNotFound, tsunagu.LineField(i, ".lineNumber"), "The sale has no line %d.", rl.LineNumber)
		case rl.Quantity > l.Quantity-l.Refunded:
			errs.Add(tsunagu.CodeOverRefund, tsunagu.LineField(i, ".quantity"),
				"Only %d of %s can still be refunded (%d sold, %d refunded before).",
				l.Quantity-l.Refunded, l.Name, l.Quantity, l.Refunded)
		default:
			add(l, rl.Quantity)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(in.Lines) == 0 {
		for _, l := range lines {
			if l.Refunded < l.Quantity {
				add(l, l.Quantity-l.Refunded)
			}
		}
		if len(numbers) == 0 {
			return nil, tsunagu.Errorf(tsunagu.CodeOverRefund, "input.lines", "Everything on this sale has been refunded already.")
		}
	}

	// The guard in SQL as well as above: never more than was sold and not refunded
	// (and the CHECK sale_lines_refunded behind it).
	res, err := tx.ExecContext(ctx, `
		UPDATE sale_lines sl SET refunded = sl.refunded + d.q
		FROM unnest($2::int[], $3::int[]) AS d(n, q)
		WHERE sl.sale_id = $1 AND sl.line_number = d.n AND sl.refunded + d.q <= sl.quantity`,
		sale.ID, pq.Array(numbers), pq.Array(quantities))
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(numbers)) {
		if err != nil {
			return nil, err
		}
		return nil, tsunagu.Errorf(tsunagu.CodeOverRefund, "input.lines", "More would be refunded than was sold.")
	}
	if err := applyMovements(ctx, tx, document{Type: tsunagu.DocumentSale, ID: int64(sale.ID)}, ms); err != nil {
		return nil, err
	}

	var methods []string
	var back []int64
	for _, p := range refundPayments(in.Method, total, paid) {
		methods, back = append(methods, string(p.Method)), append(back, p.Amount)
	}
	var rf tsunagu.Refund
	err = tx.GetContext(ctx, &rf, `
		WITH n AS (
			UPDATE shops SET last_receipt_number = last_receipt_number + 1 WHERE location_id = $2
			RETURNING last_receipt_number
		), r AS (
			INSERT INTO refunds (sale_id, shop_id, session_id, receipt_number, total, method, reason, created_by)
			SELECT $1, $2, $3, n.last_receipt_number, $4, $5, $6, $7 FROM n
			RETURNING *
		), l AS (
			INSERT INTO refund_lines (refund_id, line_number, quantity, amount)
			SELECT r.id, d.n, d.q, d.a FROM r, unnest($8::int[], $9::int[], $10::bigint[]) AS d(n, q, a)
		), p AS (
			INSERT INTO refund_payments (refund_id, method, amount)
			SELECT r.id, d.m, d.a FROM r, unnest($11::text[], $12::bigint[]) AS d(m, a)
		)
		SELECT `+refundColumns+` FROM r`,
		sale.ID, sale.ShopID, rs.ID, total, in.Method, in.Reason, u.ID,
		pq.Array(numbers), pq.Array(quantities), pq.Array(amounts), pq.Array(methods), pq.Array(back))
	if err != nil {
		return nil, err
	}
	return &rf, audit(ctx, tx, audited{Action: "refundSale", ObjectType: "Refund", ObjectID: int64(rf.ID),
		MunicipalityID: &sale.MunicipalityID, After: &rf})
}

// refundPayments splits a refund of total over the methods it is paid back by.
//
// CASH pays it all in cash. ORIGINAL pays back to the sale's non-cash payments first,
// in the order they were made, each up to what it paid less what earlier refunds of
// the sale gave back to it, and the rest in cash: a card or e-money account takes back
// at most what it paid, and cash is what the counter can always give. So a sale paid
// ¥1,000 by card and ¥500 in cash, refunded ¥700 by ORIGINAL, gives ¥700 back to the
// card; refunded in full, ¥1,000 to the card and ¥500 in cash.
//
// Since no refund exceeds what was sold and not refunded, the non-cash methods of a
// sale paid without cash always take the whole refund.
func refundPayments(method tsunagu.RefundMethod, total int64, paid []methodPaid) []tsunagu.Payment {
	var out []tsunagu.Payment
	left := total
	if method == tsunagu.RefundOriginal {
		for _, p := range paid {
			if p.Method == tsunagu.PaymentCash || left == 0 {
				continue
			}
			if a := min(left, p.Amount-p.Refunded); a > 0 {
				out = append(out, tsunagu.Payment{Method: p.Method, Amount: a})
				left -= a
			}
		}
	}
	if left > 0 {
		out = append(out, tsunagu.Payment{Method: tsunagu.PaymentCash, Amount: left})
	}
	return out
}

// Refund implements tsunagu.POSService in one statement (shopVisibleTo).
func (s *POSService) Refund(ctx context.Context, id tsunagu.RefundID) (_ *tsunagu.Refund, err error) {
	defer wrap(&err, "POSService.Refund")
	a := args{id}
	out := &tsunagu.Refund{}
	err = s.db.q().GetContext(ctx, out, `SELECT `+refundColumns+` FROM refunds r WHERE r.id = $1 AND `+
		shopVisibleTo(tsunagu.UserFrom(ctx), &a, "r.shop_id"), a...)
	if err != nil {
		return nil, notFound(err, "", "refund")
	}
	return out, nil
}
