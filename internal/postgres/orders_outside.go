package postgres

import (
	"context"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// Money refunded in Stripe's dashboard, outside Tsunagu, is recorded as an outside
// refund without lines (refundedOutside). refundOrder attributes it: the lines it
// is asked to refund are paid from the outside money not yet attributed first
// (tsunagu.CoverRefund), recorded on the outside refunds as their lines, and only the
// rest is asked of Stripe.

// outsideRefunds returns the outside refunds of order id, oldest first, with what
// of each their lines already account for.
func outsideRefunds(ctx context.Context, tx queryer, id tsunagu.OrderID) ([]tsunagu.OutsideRefund, error) {
	var rs []tsunagu.OutsideRefund
	err := tx.SelectContext(ctx, &rs, `SELECT r.id, r.amount,
			coalesce((SELECT sum(rl.amount) FROM order_refund_lines rl WHERE rl.refund_id = r.id), 0) AS attributed
		FROM order_refunds r WHERE r.order_id = $1 AND r.outside ORDER BY r.id`, id)
	return rs, err
}

// attributeOutside records the lines cover puts on o's outside refunds (their
// money is o's already: no amount changes) with the order lines' refunded
// quantities, and clears o's payment flag, which asked staff to do this, once no
// outside money is left unattributed. Each piece is a line of its own, whose
// settlement counts at its refund's confirmation (or in the shop's first open month
// when that month has closed). It returns the last outside refund given lines, or 0.
func attributeOutside(ctx context.Context, tx queryer, o *tsunagu.Order, cover tsunagu.RefundCover) (tsunagu.OrderRefundID, error) {
	var last tsunagu.OrderRefundID
	for _, cv := range cover.Outside {
		numbers, quantities, amounts := piecesArrays(cv.Lines)
		_, err := tx.ExecContext(ctx, `
			WITH rl AS (
				INSERT INTO order_refund_lines (refund_id, line_number, quantity, amount)
				SELECT $2, d.n, d.q, d.a FROM unnest($3::int[], $4::int[], $5::bigint[]) AS d(n, q, a)
			)
			UPDATE order_lines ol SET refunded = ol.refunded + d.q
			FROM (SELECT n, sum(q) AS q FROM unnest($3::int[], $4::int[]) AS d(n, q) GROUP BY n) d
			WHERE ol.order_id = $1 AND ol.line_number = d.n`,
			o.ID, cv.RefundID, pq.Array(numbers), pq.Array(quantities), pq.Array(amounts))
		if err != nil {
			return 0, err
		}
		last = cv.RefundID
	}
	if last != 0 && cover.Unattributed == 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET payment_flag = '', updated_at = now() WHERE id = $1`, o.ID); err != nil {
			return 0, err
		}
	}
	return last, nil
}

// pricedLines is want with the unit prices of lines.
func pricedLines(lines []*tsunagu.OrderLine, want []tsunagu.RefundLineInput) []tsunagu.PricedRefundLine {
	prices := map[int]int64{}
	for _, l := range lines {
		prices[l.LineNumber] = l.UnitPrice
	}
	out := make([]tsunagu.PricedRefundLine, len(want))
	for i, w := range want {
		out[i] = tsunagu.PricedRefundLine{LineNumber: w.LineNumber, Quantity: w.Quantity, UnitPrice: prices[w.LineNumber]}
	}
	return out
}

// piecesArrays are the columns of refund lines ps, for unnest.
func piecesArrays(ps []tsunagu.RefundPiece) (numbers, quantities, amounts []int64) {
	numbers, quantities, amounts = make([]int64, len(ps)), make([]int64, len(ps)), make([]int64, len(ps))
	for i, p := range ps {
		numbers[i], quantities[i], amounts[i] = int64(p.LineNumber), int64(p.Quantity), p.Amount
	}
	return numbers, quantities, amounts
}
