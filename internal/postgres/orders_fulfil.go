package postgres

import (
	"cmp"
	"context"
	"strconv"

	"github.com/lib/pq"

	"tsunagu/internal/mail"
	"tsunagu/internal/tsunagu"
)

// orderAction is a staff action on an order for runOnce: fn runs on order id,
// locked, for the staff of its shop, after checking that event fits the order's
// status, and returns the order as it now is. A replay returns the order as it
// now is, without acting again.
func orderAction(ctx context.Context, id tsunagu.OrderID, event tsunagu.OrderEvent,
	fn func(tx queryer, o *tsunagu.Order, next tsunagu.OrderStatus) (*tsunagu.Order, error)) once[*tsunagu.Order] {
	return once[*tsunagu.Order]{
		do: func(tx queryer, u *tsunagu.User, _ *idemKey) (*tsunagu.Order, error) {
			o, err := lockOrder(ctx, tx, u, id)
			if err != nil {
				return nil, err
			}
			next, _, err := tsunagu.NextOrderStatus(o.Status, o.Fulfilment, event)
			if err != nil {
				return nil, err
			}
			return fn(tx, o, next)
		},
		id:     orderResultID,
		replay: replayOrder(ctx),
	}
}

// orderResultID and replayOrder are the result of an order's mutation, for runOnce.
func orderResultID(o *tsunagu.Order) int64 { return int64(o.ID) }

func replayOrder(ctx context.Context) func(tx queryer, id int64) (*tsunagu.Order, error) {
	return func(tx queryer, id int64) (*tsunagu.Order, error) { return loadOrder(ctx, tx, tsunagu.OrderID(id)) }
}

// MarkOrderReady implements tsunagu.OrderService through runOnce and orderAction
// (the order locked); the e-mail is an ORDER_READY row in the outbox, written in
// the same transaction.
func (s *OrderService) MarkOrderReady(ctx context.Context, in tsunagu.OrderActionInput) (_ *tsunagu.Order, err error) {
	defer wrap(&err, "OrderService.MarkOrderReady")
	return runOnce(ctx, s.db, "markOrderReady", &in, orderAction(ctx, in.OrderID, tsunagu.EventMarkReady, func(tx queryer, o *tsunagu.Order, next tsunagu.OrderStatus) (*tsunagu.Order, error) {
		out, err := setOrderStatus(ctx, tx, o, next, o.Stock, "")
		if err != nil {
			return nil, err
		}
		return out, notify(ctx, tx, mail.KindOrderReady, out)
	}))
}

// ShipOrder implements tsunagu.OrderService through runOnce and orderAction (the
// order locked): the goods leave through the ledger (ORDER_FULFILLED, owned by each
// line's facility), and an ORDER_SHIPPED row goes into the outbox, in the same
// transaction.
func (s *OrderService) ShipOrder(ctx context.Context, in tsunagu.ShipOrderInput) (_ *tsunagu.Order, err error) {
	defer wrap(&err, "OrderService.ShipOrder")
	return runOnce(ctx, s.db, "shipOrder", &in, orderAction(ctx, in.OrderID, tsunagu.EventShip, func(tx queryer, o *tsunagu.Order, next tsunagu.OrderStatus) (*tsunagu.Order, error) {
		if err := s.takeStock(ctx, tx, o); err != nil {
			return nil, err
		}
		out, err := setOrderStatus(ctx, tx, o, next, tsunagu.StockTaken, `, carrier = $4, tracking_number = $5`,
			in.Carrier, in.TrackingNumber)
		if err != nil {
			return nil, err
		}
		return out, notify(ctx, tx, mail.KindOrderShipped, out)
	}))
}

// CompleteOrder implements tsunagu.OrderService through runOnce and orderAction
// (the order locked); goods still committed leave through the ledger
// (ORDER_FULFILLED, owned by each line's facility).
func (s *OrderService) CompleteOrder(ctx context.Context, in tsunagu.OrderActionInput) (_ *tsunagu.Order, err error) {
	defer wrap(&err, "OrderService.CompleteOrder")
	return runOnce(ctx, s.db, "completeOrder", &in, orderAction(ctx, in.OrderID, tsunagu.EventComplete, func(tx queryer, o *tsunagu.Order, next tsunagu.OrderStatus) (*tsunagu.Order, error) {
		if o.Stock == tsunagu.StockCommitted {
			if err := s.takeStock(ctx, tx, o); err != nil {
				return nil, err
			}
		}
		return setOrderStatus(ctx, tx, o, next, tsunagu.StockTaken, "")
	}))
}

func (s *OrderService) takeStock(ctx context.Context, tx queryer, o *tsunagu.Order) error {
	lines, err := orderLinesTx(ctx, tx, o.ID)
	if err != nil {
		return err
	}
	return moveOrderStock(ctx, tx, o, lines, true)
}

// CancelOrder implements tsunagu.OrderService. One transaction (runOnce) locks the
// order, releases its stock, records the refund (refundCovered, outside money
// first), the status, the audit entry and an ORDER_CANCELLED row in the outbox;
// after it commits, an unpaid order's PaymentIntent is cancelled and pending
// refunds are sent to Stripe (sendPendingRefunds), which the refund retrier asks
// again should that fail.
func (s *OrderService) CancelOrder(ctx context.Context, in tsunagu.CancelOrderInput) (_ *tsunagu.Order, err error) {
	defer wrap(&err, "OrderService.CancelOrder")
	wasUnpaid := false
	out, err := runOnce(ctx, s.db, "cancelOrder", &in, once[*tsunagu.Order]{
		do: func(tx queryer, u *tsunagu.User, _ *idemKey) (*tsunagu.Order, error) {
			o, err := lockOrder(ctx, tx, u, in.OrderID)
			if err != nil {
				return nil, err
			}
			next, _, err := tsunagu.NextOrderStatus(o.Status, o.Fulfilment, tsunagu.EventCancel)
			if err != nil {
				return nil, err
			}
			wasUnpaid = o.Status == tsunagu.OrderPendingPayment
			lines, err := orderLinesTx(ctx, tx, o.ID)
			if err != nil {
				return nil, err
			}
			if err := moveOrderStock(ctx, tx, o, lines, false); err != nil {
				return nil, err
			}
			// What Stripe captured and was not given back: a paid order's total, or a
			// flagged capture whose automatic refund has not been recorded. A paid
			// order's money refunded in Stripe's dashboard that no line accounts for
			// yet pays for the units left first, as in refundOrder; only the rest is
			// a new refund. A flagged capture sold no goods: its money only.
			var outside []tsunagu.OutsideRefund
			var units []tsunagu.RefundLineInput
			if o.PaidAt != nil {
				if outside, err = outsideRefunds(ctx, tx, o.ID); err != nil {
					return nil, err
				}
				for _, l := range lines {
					if q := l.Quantity - l.Refunded; q > 0 {
						units = append(units, tsunagu.RefundLineInput{LineNumber: l.LineNumber, Quantity: q})
					}
				}
			}
			if amount := o.Refundable() + tsunagu.Unattributed(outside); amount > 0 {
				_, err := refundCovered(ctx, tx, &u.ID, o, tsunagu.CoverRefund(outside, pricedLines(lines, units), amount),
					cmp.Or(in.Reason, "Order cancelled."))
				if err != nil {
					return nil, err
				}
			}
			out, err := setOrderStatus(ctx, tx, o, next, tsunagu.StockReleased, `, cancel_reason = $4, cancelled_by = $5`,
				cmp.Or(in.Reason, "Cancelled by the shop."), tsunagu.CancelledByStaff)
			if err != nil {
				return nil, err
			}
			err = audit(ctx, tx, audited{Action: "cancelOrder", ObjectType: "Order", ObjectID: int64(out.ID),
				LocationID: &out.ShopID, Before: o, After: out})
			if err != nil {
				return nil, err
			}
			return out, notify(ctx, tx, mail.KindOrderCancelled, out)
		},
		id:     orderResultID,
		replay: replayOrder(ctx),
	})
	if err != nil {
		return nil, err
	}
	if wasUnpaid {
		s.cancelIntent(ctx, out)
	}
	if err := s.sendPendingRefunds(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// RefundOrder implements tsunagu.OrderService. One transaction (runOnce,
// refundOrderTx) records the refund PENDING with the lines' refunded quantities,
// the outside refunds it covers (tsunagu.CoverRefund, counted by settlement at the
// outside refund's time), the audit entry and an ORDER_REFUNDED row in the outbox;
// then Stripe is asked under an idempotency key derived from the refund, and the
// refund becomes SUCCEEDED or FAILED (the refund retrier asks again).
func (s *OrderService) RefundOrder(ctx context.Context, in tsunagu.RefundOrderInput) (_ *tsunagu.OrderRefund, err error) {
	defer wrap(&err, "OrderService.RefundOrder")
	load := func(tx queryer, id int64) (r orderRefunded, err error) {
		if r.refund, err = loadOrderRefund(ctx, tx, tsunagu.OrderRefundID(id)); err != nil {
			return r, err
		}
		r.order, err = loadOrder(ctx, tx, r.refund.OrderID)
		return r, err
	}
	r, err := runOnce(ctx, s.db, "refundOrder", &in, once[orderRefunded]{
		do: func(tx queryer, u *tsunagu.User, _ *idemKey) (orderRefunded, error) {
			id, attributed, err := refundOrderTx(ctx, tx, u, &in)
			if err != nil {
				return orderRefunded{}, err
			}
			r, err := load(tx, int64(id))
			if err != nil {
				return r, err
			}
			// The entry names the outside refunds' money the lines were put on.
			after := struct {
				*tsunagu.OrderRefund
				AttributedOutside []tsunagu.OutsideCover `json:",omitempty"`
			}{r.refund, attributed}
			return r, audit(ctx, tx, audited{Action: "refundOrder", ObjectType: "OrderRefund", ObjectID: int64(r.refund.ID),
				LocationID: &r.order.ShopID, After: after})
		},
		id:     func(r orderRefunded) int64 { return int64(r.refund.ID) },
		replay: load,
	})
	if err != nil {
		return nil, err
	}
	if err := s.sendPendingRefunds(ctx, r.order); err != nil {
		return nil, err
	}
	return loadOrderRefund(ctx, s.db.q(), r.refund.ID)
}

// orderRefunded is a refund of an order with the order as it then is.
type orderRefunded struct {
	refund *tsunagu.OrderRefund
	order  *tsunagu.Order
}

// refundOrderTx is the work of RefundOrder in tx; it returns the refund's ID and
// how the outside money (refunds made in Stripe) paid for the request.
func refundOrderTx(ctx context.Context, tx queryer, u *tsunagu.User, in *tsunagu.RefundOrderInput) (tsunagu.OrderRefundID, []tsunagu.OutsideCover, error) {
	o, err := lockOrder(ctx, tx, u, in.OrderID)
	if err != nil {
		return 0, nil, err
	}
	// Refunds work from what Stripe captured, not from the order's status or
	// total: a flagged capture of a cancelled order can be refunded too.
	if o.Captured == 0 {
		return 0, nil, tsunagu.Errorf(tsunagu.CodeNotPaid, "input.orderId", "This order was never paid; there is no money to give back.")
	}
	// Money refunded in Stripe that no line accounts for yet pays for the lines
	// first (outsideRefunds); a flagged capture sold no goods to attribute it to.
	var outside []tsunagu.OutsideRefund
	if o.PaidAt != nil {
		if outside, err = outsideRefunds(ctx, tx, o.ID); err != nil {
			return 0, nil, err
		}
	}
	unattributed := tsunagu.Unattributed(outside)
	if o.Refundable()+unattributed <= 0 {
		return 0, nil, tsunagu.Errorf(tsunagu.CodeOverRefund, "input.lines", "Everything paid for this order has been refunded already.")
	}
	if !o.Status.Refundable() {
		return 0, nil, tsunagu.Errorf(tsunagu.CodeOverRefund, "input.lines", "This order has been refunded in full already.")
	}
	lines, err := orderLinesTx(ctx, tx, o.ID)
	if err != nil {
		return 0, nil, err
	}
	var want []tsunagu.RefundLineInput
	amount := o.Refundable() // a flagged capture sold no goods: its money only
	if o.PaidAt != nil {
		if want, amount, err = refundAmount(o.Refundable()+unattributed, lines, in.Lines); err != nil {
			return 0, nil, err
		}
		if o.Stock == tsunagu.StockCommitted || o.Stock == tsunagu.StockReserved {
			if err := releaseUnits(ctx, tx, o, lines, want); err != nil {
				return 0, nil, err
			}
		}
	}
	cover := tsunagu.CoverRefund(outside, pricedLines(lines, want), amount)
	id, err := refundCovered(ctx, tx, &u.ID, o, cover, in.Reason)
	if err != nil {
		return 0, nil, err
	}
	if amount == o.Refundable()+unattributed && o.PaidAt != nil {
		stock := o.Stock
		if stock != tsunagu.StockTaken {
			stock = tsunagu.StockReleased
		}
		next, _, err := tsunagu.NextOrderStatus(o.Status, o.Fulfilment, tsunagu.EventRefundAll)
		if err != nil {
			return 0, nil, err
		}
		if o, err = setOrderStatus(ctx, tx, o, next, stock, ""); err != nil {
			return 0, nil, err
		}
	}
	if cover.Rest == 0 {
		return id, cover.Outside, nil // no money moves: the shopper was told of the refund made in Stripe
	}
	return id, cover.Outside, notify(ctx, tx, mail.KindOrderRefunded, o)
}

// refundCovered records a refund of o paid as cover says: its outside pieces on the
// outside refunds (attributeOutside), and the rest, if any, as a new refund PENDING
// for Stripe. It returns the new refund, or the last outside refund given lines
// when the outside money paid for everything.
func refundCovered(ctx context.Context, tx queryer, by *tsunagu.UserID, o *tsunagu.Order, cover tsunagu.RefundCover, reason string) (tsunagu.OrderRefundID, error) {
	id, err := attributeOutside(ctx, tx, o, cover)
	if err != nil || cover.Rest == 0 {
		return id, err
	}
	return insertRefund(ctx, tx, by, o, cover.RestLines, cover.Rest, reason, tsunagu.RefundPending)
}

// refundAmount checks the lines to refund against what is left of the order, whose
// money not yet given back for goods is refundable, and returns them with the
// amount: their prices, and all of refundable (its shipping fee too) when they are
// the last units. No lines means every unit left.
func refundAmount(refundable int64, lines []*tsunagu.OrderLine, in []tsunagu.RefundLineInput) ([]tsunagu.RefundLineInput, int64, error) {
	byNumber := map[int]*tsunagu.OrderLine{}
	for _, l := range lines {
		byNumber[l.LineNumber] = l
	}
	want := in
	if len(want) == 0 {
		for _, l := range lines {
			if q := l.Quantity - l.Refunded; q > 0 {
				want = append(want, tsunagu.RefundLineInput{LineNumber: l.LineNumber, Quantity: q})
			}
		}
	}
	var errs tsunagu.ValidationErrors
	var amount int64
	units, left := 0, 0
	for _, l := range lines {
		left += l.Quantity - l.Refunded
	}
	for i, w := range want {
		l := byNumber[w.LineNumber]
		f := tsunagu.LineField(i, "")
		switch {
		case l == nil:
			errs.Add(tsunagu.CodeNotFound, f+".lineNumber", "The order has no line %d.", w.LineNumber)
		case w.Quantity > l.Quantity-l.Refunded:
			errs.Add(tsunagu.CodeOverRefund, f+".quantity", "Only %d of %s can still be refunded.", l.Quantity-l.Refunded, l.Name)
		default:
			amount += l.UnitPrice * int64(w.Quantity)
			units += w.Quantity
		}
	}
	if err := errs.Err(); err != nil {
		return nil, 0, err
	}
	if units == left {
		amount = refundable
	}
	if amount <= 0 || amount > refundable {
		return nil, 0, tsunagu.Errorf(tsunagu.CodeOverRefund, "input.lines", "Nothing of this order is left to refund.")
	}
	return want, amount, nil
}

// releaseUnits puts refunded units that were still held for the order back.
func releaseUnits(ctx context.Context, tx queryer, o *tsunagu.Order, lines []*tsunagu.OrderLine, want []tsunagu.RefundLineInput) error {
	byNumber := map[int]*tsunagu.OrderLine{}
	for _, l := range lines {
		byNumber[l.LineNumber] = l
	}
	ms := make([]movement, 0, len(want))
	for _, w := range want {
		l := byNumber[w.LineNumber]
		ms = append(ms, movement{ProductID: l.ProductID, LocationID: o.ShopID, Owner: l.OwnerFacilityID,
			Bucket: tsunagu.BucketReserved, Quantity: -w.Quantity, Reason: tsunagu.ReasonRelease})
	}
	return applyMovements(ctx, tx, document{Type: tsunagu.DocumentOrder, ID: int64(o.ID)}, ms)
}

// insertRefund writes a refund of amount with its lines' pieces, in status (PENDING
// for one Stripe is to be asked for, SUCCEEDED for one Stripe reports made outside
// Tsunagu, which is marked outside), and adds the pieces' quantities to the lines'
// refunded and amount to the order's.
func insertRefund(ctx context.Context, tx queryer, by *tsunagu.UserID, o *tsunagu.Order, pieces []tsunagu.RefundPiece,
	amount int64, reason string, status tsunagu.RefundStatus) (tsunagu.OrderRefundID, error) {
	numbers, quantities, amounts := piecesArrays(pieces)
	var id tsunagu.OrderRefundID
	err := tx.GetContext(ctx, &id, `
		WITH r AS (
			INSERT INTO order_refunds (order_id, amount, status, reason, created_by, succeeded_at, outside)
			VALUES ($1, $2, $8, $3, $4, CASE WHEN $8::text = 'SUCCEEDED' THEN now() END, $8::text = 'SUCCEEDED') RETURNING id
		), rl AS (
			INSERT INTO order_refund_lines (refund_id, line_number, quantity, amount)
			SELECT r.id, d.n, d.q, d.a FROM r, unnest($5::int[], $6::int[], $7::bigint[]) AS d(n, q, a)
		), ol AS (
			UPDATE order_lines ol SET refunded = ol.refunded + d.q
			FROM (SELECT n, sum(q) AS q FROM unnest($5::int[], $6::int[]) AS d(n, q) GROUP BY n) d
			WHERE ol.order_id = $1 AND ol.line_number = d.n
		), o AS (
			UPDATE orders SET refunded = refunded + $2, updated_at = now() WHERE id = $1
		)
		SELECT id FROM r`, o.ID, amount, reason, by, pq.Array(numbers), pq.Array(quantities), pq.Array(amounts), status)
	return id, err
}

// refundKey is the Stripe idempotency key of a refund: every attempt asks for the same.
func refundKey(id tsunagu.OrderRefundID) string {
	return "tsunagu-order-refund-" + strconv.FormatInt(int64(id), 10)
}

// sendPendingRefunds asks Stripe for every refund of o that has not succeeded, and
// records the answer (see sendRefund). Returns PAYMENTS_UNAVAILABLE when one could
// not be sent or Stripe refused it; it is asked again on the next attempt and by the
// refund retrier. A refund Stripe reports pending stays PENDING, without an error:
// the retrier settles it.
func (s *OrderService) sendPendingRefunds(ctx context.Context, o *tsunagu.Order) error {
	var pending []*tsunagu.OrderRefund
	err := s.db.q().SelectContext(ctx, &pending, `SELECT `+orderRefundColumns+` FROM order_refunds r
		WHERE r.order_id = $1 AND r.status <> 'SUCCEEDED' ORDER BY r.id`, o.ID)
	if err != nil || len(pending) == 0 {
		return err
	}
	failed := false
	for _, r := range pending {
		status, err := s.sendRefund(ctx, o.PaymentIntentID, r)
		if err != nil {
			return err
		}
		failed = failed || status == tsunagu.RefundFailed
	}
	if failed {
		return tsunagu.Errorf(tsunagu.CodePaymentsUnavailable, "",
			"The refund is recorded, but the card processor did not confirm it; try again with the same idempotency key.")
	}
	return nil
}

// sendRefund asks Stripe for refund r of PaymentIntent pi under the refund's own
// idempotency key (so asking again never refunds twice), or, for a refund Stripe
// already reported pending, reads it again; then records Stripe's answer: SUCCEEDED
// for a succeeded refund, PENDING for one Stripe is still working on, FAILED (with
// the error) when Stripe could not be reached or the refund failed or was
// cancelled. It returns the status recorded; errors are the database's.
func (s *OrderService) sendRefund(ctx context.Context, pi *string, r *tsunagu.OrderRefund) (tsunagu.RefundStatus, error) {
	var res *tsunagu.PaymentRefund
	var err error = errPaymentsOff
	switch {
	case s.payments == nil || pi == nil:
	case r.StripeRefundID != nil && r.Status == tsunagu.RefundPending:
		res, err = s.payments.RetrieveRefund(ctx, *r.StripeRefundID)
	default:
		res, err = s.payments.CreateRefund(ctx, tsunagu.RefundParams{PaymentIntentID: *pi,
			Amount: r.Amount, OrderID: r.OrderID, IdempotencyKey: refundKey(r.ID)})
	}
	status, stripeID, msg := tsunagu.RefundFailed, r.StripeRefundID, ""
	switch {
	case err != nil:
		s.log.ErrorContext(ctx, "refunding an order through Stripe", "order", r.OrderID, "refund", r.ID, "err", err)
		msg = err.Error()
	case res.Status == "succeeded":
		status, stripeID = tsunagu.RefundSucceeded, &res.ID
	case res.Status == "pending" || res.Status == "requires_action":
		status, stripeID = tsunagu.RefundPending, &res.ID
	default:
		s.log.ErrorContext(ctx, "Stripe refused an order's refund", "order", r.OrderID, "refund", r.ID, "stripe_status", res.Status)
		stripeID, msg = &res.ID, "Stripe reported the refund "+res.Status+"."
	}
	// succeeded_at is when the money went back: the moment settlement counts the
	// refund at (see tsunagu.RefundCounts).
	_, err = s.db.q().ExecContext(ctx, `UPDATE order_refunds SET status = $2, stripe_refund_id = coalesce($3, stripe_refund_id),
		error = $4, updated_at = now(), succeeded_at = CASE WHEN $2 = 'SUCCEEDED' THEN now() END
		WHERE id = $1 AND status <> 'SUCCEEDED'`, r.ID, status, stripeID, msg)
	return status, err
}
