package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tsunagu/internal/mail"
	"tsunagu/internal/tsunagu"
)

// ApplyPaymentEvent implements tsunagu.OrderService. The event's ID is stored in
// the same transaction as its effect, so a redelivery, even a concurrent one, finds
// it and does nothing; the order is locked by its PaymentIntent
// (lockOrderOfIntent).
//
//   - payment_intent.succeeded: what Stripe received (amount_received) is recorded
//     as the order's Captured, whatever happens next. For the order's amount in
//     yen: PENDING_PAYMENT → PAID, the reserved stock committed. An order the
//     sweeper released is taken up again if its stock can be reserved once more
//     (paidAfterExpiry). Otherwise the order is flagged (PaymentFlag), keeps its
//     status and cancel reason, and the refund of what was captured is recorded in
//     the same transaction and sent to Stripe after it commits (refundFlagged).
//   - payment_intent.payment_failed: the error is recorded on the pending order.
//   - payment_intent.canceled: a pending order is cancelled and its stock released
//     (cancelUnpaid).
//   - charge.refunded: the refund is recorded once (refundedOutside); one reported
//     before the payment it refunds returns an error, so that Stripe delivers it
//     again.
func (s *OrderService) ApplyPaymentEvent(ctx context.Context, e tsunagu.PaymentEvent) (err error) {
	defer wrap(&err, "OrderService.ApplyPaymentEvent")
	var refundOf *tsunagu.Order
	err = s.db.transact(ctx, func(tx queryer) error {
		refundOf = nil
		var fresh bool
		err := tx.GetContext(ctx, &fresh, `INSERT INTO stripe_events (id, type, outcome) VALUES ($1, $2, 'APPLYING')
			ON CONFLICT DO NOTHING RETURNING true`, e.ID, e.Type)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // applied before
		}
		if err != nil {
			return err
		}
		if e.SaleID != 0 && e.OrderID == 0 {
			outcome, err := applySalePayment(ctx, tx, s.log, e) // logs what needs staff
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `UPDATE stripe_events SET outcome = $2 WHERE id = $1`, e.ID, outcome)
			return err
		}
		o, err := s.lockOrderOfIntent(ctx, tx, e)
		if err != nil {
			return err
		}
		outcome := "UNKNOWN_ORDER"
		if o != nil {
			var refund bool
			if outcome, refund, err = s.applyPayment(ctx, tx, o, e); err != nil {
				return err
			}
			if refund {
				refundOf = o
			}
		} else {
			s.log.WarnContext(ctx, "stripe event about no order of ours", "event", e.ID, "type", e.Type,
				"payment_intent", e.PaymentIntentID, "order", e.OrderID)
		}
		var orderID *tsunagu.OrderID
		if o != nil {
			orderID = &o.ID
		}
		_, err = tx.ExecContext(ctx, `UPDATE stripe_events SET outcome = $2, order_id = $3 WHERE id = $1`, e.ID, outcome, orderID)
		return err
	})
	if err != nil || refundOf == nil {
		return err
	}
	// The event is applied and the refund recorded: a failure here is the
	// retrier's to repeat, not a reason for Stripe to deliver the event again.
	if err := s.sendPendingRefunds(ctx, refundOf); err != nil {
		s.log.WarnContext(ctx, "refunding a flagged payment; the refund retrier will ask again", "order", refundOf.ID, "err", err)
	}
	return nil
}

// lockOrderOfIntent locks the order of e's PaymentIntent, or nil when there is none.
// An order whose PaymentIntent ID was never stored (the process stopped right after
// Stripe answered) is found by the order ID in the metadata, and gets the ID now.
func (s *OrderService) lockOrderOfIntent(ctx context.Context, tx queryer, e tsunagu.PaymentEvent) (*tsunagu.Order, error) {
	var o tsunagu.Order
	err := tx.GetContext(ctx, &o, `SELECT `+orderColumns+` FROM orders o WHERE o.payment_intent_id = $1 FOR UPDATE`, e.PaymentIntentID)
	if err == nil {
		return &o, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if e.OrderID == 0 {
		return nil, nil
	}
	err = tx.GetContext(ctx, &o, `UPDATE orders o SET payment_intent_id = $2
		WHERE o.id = $1 AND o.payment_intent_id IS NULL RETURNING `+orderColumns, e.OrderID, e.PaymentIntentID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// applyPayment is the effect of e on the locked order o; it returns the outcome
// recorded with the event, and refund true when it recorded a refund that Stripe
// must now be asked for.
func (s *OrderService) applyPayment(ctx context.Context, tx queryer, o *tsunagu.Order, e tsunagu.PaymentEvent) (outcome string, refund bool, err error) {
	switch e.Type {
	case tsunagu.StripePaymentSucceeded:
		if o.Captured > 0 {
			return "IGNORED", false, nil // this PaymentIntent's capture is recorded already
		}
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET captured = $2, updated_at = now() WHERE id = $1`,
			o.ID, e.AmountReceived); err != nil {
			return "", false, err
		}
		o.Captured = e.AmountReceived
		if e.AmountReceived != o.Total || e.Currency != "jpy" {
			return s.refundFlagged(ctx, tx, o, e, "AMOUNT_MISMATCH",
				fmt.Sprintf("Stripe took a payment of %d %s; the order is ¥%d: the payment is refunded.", e.AmountReceived, e.Currency, o.Total))
		}
		_, changed, _ := tsunagu.NextOrderStatus(o.Status, o.Fulfilment, tsunagu.EventPaymentSucceeded)
		if changed {
			if _, err := setOrderStatus(ctx, tx, o, tsunagu.OrderPaid, tsunagu.StockCommitted, `, paid_at = now(), last_payment_error = ''`); err != nil {
				return "", false, err
			}
			return "PAID", false, notify(ctx, tx, mail.KindOrderPaid, o)
		}
		if o.Status != tsunagu.OrderCancelled || o.PaidAt != nil {
			// Not expected (an order is paid by its one PaymentIntent, once), but the
			// money must not go unnoticed.
			return s.refundFlagged(ctx, tx, o, e, "PAID_TWICE",
				fmt.Sprintf("Stripe took a payment for an order that is %s: the payment is refunded.", o.Status))
		}
		if o.CancelledBy == tsunagu.CancelledByExpiry {
			return s.paidAfterExpiry(ctx, tx, o, e)
		}
		return s.refundFlagged(ctx, tx, o, e, "PAID_AFTER_CANCEL",
			"Paid after the order was cancelled: the payment is refunded.")
	case tsunagu.StripePaymentFailed:
		if o.Status != tsunagu.OrderPendingPayment {
			return "IGNORED", false, nil
		}
		_, err := tx.ExecContext(ctx, `UPDATE orders SET last_payment_error = $2, updated_at = now() WHERE id = $1`,
			o.ID, cmp.Or(e.Error, "The card payment failed."))
		return "FAILED", false, err
	case tsunagu.StripePaymentCanceled:
		_, changed, _ := tsunagu.NextOrderStatus(o.Status, o.Fulfilment, tsunagu.EventPaymentCanceled)
		if !changed {
			return "IGNORED", false, nil
		}
		return "CANCELLED", false, s.cancelUnpaid(ctx, tx, o, tsunagu.CancelledByPayment, "The card payment was cancelled.")
	case tsunagu.StripeChargeRefunded:
		outcome, err := s.refundedOutside(ctx, tx, o, e)
		return outcome, false, err
	}
	return "IGNORED", false, nil
}

// errRefundBeforePayment makes Stripe deliver a charge.refunded event again that
// came before the payment it refunds was recorded (Stripe does not promise the
// order of its events): what was refunded cannot be told apart from nothing
// captured until then.
var errRefundBeforePayment = errors.New("a refund reported before the payment was recorded; Stripe delivers it again")

// refundedOutside applies a charge.refunded event to the locked order o: what
// Stripe reports refunded of o's charge beyond what o's own refunds account for (a
// refund made in Stripe's dashboard) is recorded once, as a SUCCEEDED refund
// without lines (which goods came back is not known, so no stock moves and the
// order keeps its status), the order is flagged for staff and the shopper told.
// o's own refunds count but FAILED ones that Stripe answered: a FAILED one without
// Stripe's ID may have reached Stripe, and is asked again under its own key.
func (s *OrderService) refundedOutside(ctx context.Context, tx queryer, o *tsunagu.Order, e tsunagu.PaymentEvent) (string, error) {
	if o.Captured == 0 && e.AmountRefunded > 0 {
		return "", errRefundBeforePayment
	}
	var known int64
	err := tx.GetContext(ctx, &known, `SELECT coalesce(sum(amount), 0) FROM order_refunds
		WHERE order_id = $1 AND NOT (status = 'FAILED' AND stripe_refund_id IS NOT NULL)`, o.ID)
	if err != nil {
		return "", err
	}
	amount := o.RefundedOutside(known, e.AmountRefunded)
	if amount == 0 {
		return "IGNORED", nil
	}
	msg := fmt.Sprintf("¥%d was refunded in Stripe, outside Tsunagu; which goods came back is not recorded.", amount)
	s.log.WarnContext(ctx, "a refund made in Stripe recorded on an order", "order", o.ID, "event", e.ID,
		"amount", amount, "stripe_refunded", e.AmountRefunded, "known", known)
	if _, err := insertRefund(ctx, tx, nil, o, nil, amount, msg, tsunagu.RefundSucceeded); err != nil {
		return "", err
	}
	if err := flagOrder(ctx, tx, o, msg); err != nil {
		return "", err
	}
	o.Refunded += amount
	return "REFUNDED_OUTSIDE", notify(ctx, tx, mail.KindOrderRefunded, o)
}

// flagOrder sets the locked order's payment flag, which staff see and act on.
func flagOrder(ctx context.Context, tx queryer, o *tsunagu.Order, msg string) error {
	_, err := tx.ExecContext(ctx, `UPDATE orders SET payment_flag = $2, updated_at = now() WHERE id = $1`, o.ID, msg)
	return err
}

// refundFlagged flags the locked order o with msg and records a refund of what
// Stripe captured and was not given back, without lines (no goods were sold by
// this payment) and by no user; the order keeps its status. The caller asks
// Stripe once the transaction commits.
func (s *OrderService) refundFlagged(ctx context.Context, tx queryer, o *tsunagu.Order, e tsunagu.PaymentEvent,
	outcome, msg string) (string, bool, error) {
	s.log.WarnContext(ctx, "stripe payment flagged on an order and refunded", "order", o.ID, "event", e.ID,
		"type", e.Type, "flag", msg, "captured", o.Captured)
	if err := flagOrder(ctx, tx, o, msg); err != nil {
		return "", false, err
	}
	amount := o.Refundable()
	if amount <= 0 {
		return outcome, false, nil
	}
	if _, err := insertRefund(ctx, tx, nil, o, nil, amount, msg, tsunagu.RefundPending); err != nil {
		return "", false, err
	}
	o.Refunded += amount
	return outcome, true, notify(ctx, tx, mail.KindOrderRefunded, o)
}

// paidAfterExpiry handles a payment that succeeded after the sweeper cancelled its
// order because the reservation expired: the order is taken up again if its stock
// can be reserved once more, and flagged and refunded otherwise.
func (s *OrderService) paidAfterExpiry(ctx context.Context, tx queryer, o *tsunagu.Order, e tsunagu.PaymentEvent) (string, bool, error) {
	lines, err := orderLinesTx(ctx, tx, o.ID)
	if err != nil {
		return "", false, err
	}
	ms := make([]movement, len(lines))
	for i, l := range lines {
		ms[i] = movement{ProductID: l.ProductID, LocationID: o.ShopID, Owner: l.OwnerFacilityID,
			Bucket: tsunagu.BucketReserved, Quantity: l.Quantity, Reason: tsunagu.ReasonReserve}
	}
	err = applyMovements(ctx, tx, document{Type: tsunagu.DocumentOrder, ID: int64(o.ID)}, ms)
	var short *InsufficientStockError
	if errors.As(err, &short) {
		return s.refundFlagged(ctx, tx, o, e, "PAID_AFTER_CANCEL",
			"Paid after the order's time to pay ran out, and the goods are gone: the payment is refunded.")
	}
	if err != nil {
		return "", false, err
	}
	if _, err = setOrderStatus(ctx, tx, o, tsunagu.OrderPaid, tsunagu.StockCommitted,
		`, paid_at = now(), cancel_reason = '', cancelled_by = ''`); err != nil {
		return "", false, err
	}
	return "PAID_AFTER_EXPIRY", false, notify(ctx, tx, mail.KindOrderPaid, o)
}

// cancelUnpaid cancels the locked pending order o and releases its reservation.
// by says who cancelled it (tsunagu.CancelledByExpiry, …).
func (s *OrderService) cancelUnpaid(ctx context.Context, tx queryer, o *tsunagu.Order, by, reason string) error {
	lines, err := orderLinesTx(ctx, tx, o.ID)
	if err != nil {
		return err
	}
	if err := moveOrderStock(ctx, tx, o, lines, false); err != nil {
		return err
	}
	_, err = setOrderStatus(ctx, tx, o, tsunagu.OrderCancelled, tsunagu.StockReleased,
		`, cancel_reason = $4, cancelled_by = $5`, reason, by)
	return err
}

// ReleaseExpired implements tsunagu.OrderService. Each process takes the orders it
// locks and skips those locked by another (FOR UPDATE SKIP LOCKED), and a webhook
// paying an order holds its lock; the stock goes back (RELEASE) in that
// transaction, and Stripe is asked to cancel the PaymentIntents after it commits.
func (s *OrderService) ReleaseExpired(ctx context.Context, now time.Time, limit int) (int, error) {
	var orders []*tsunagu.Order
	err := s.db.transact(ctx, func(tx queryer) error {
		orders = nil
		err := tx.SelectContext(ctx, &orders, `SELECT `+orderColumns+` FROM orders o
			WHERE o.stock = 'RESERVED' AND o.status = 'PENDING_PAYMENT' AND o.reserved_until < $1
			ORDER BY o.reserved_until LIMIT $2 FOR UPDATE SKIP LOCKED`, now, limit)
		if err != nil {
			return err
		}
		for _, o := range orders {
			if err := s.cancelUnpaid(ctx, tx, o, tsunagu.CancelledByExpiry, "The time to pay ran out."); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, o := range orders {
		s.cancelIntent(ctx, o)
	}
	return len(orders), nil
}

// cancelIntentTimeout bounds the best-effort call that cancels a PaymentIntent.
const cancelIntentTimeout = 10 * time.Second

// cancelIntent asks Stripe to cancel an unpaid order's PaymentIntent, so that the
// shopper cannot pay for goods no longer held. It is best effort: a payment that
// gets through anyway is handled by ApplyPaymentEvent.
func (s *OrderService) cancelIntent(ctx context.Context, o *tsunagu.Order) {
	if o.PaymentIntentID == nil || s.payments == nil {
		return
	}
	// Its own short deadline: the caller's context may be ending (a shutting-down
	// sweeper, a finished request), and the order is settled whatever Stripe says.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelIntentTimeout)
	defer cancel()
	if _, err := s.payments.CancelPaymentIntent(ctx, *o.PaymentIntentID); err != nil {
		s.log.WarnContext(ctx, "cancelling the PaymentIntent of a cancelled order", "order", o.ID, "err", err)
	}
}

// RunSweeper calls ReleaseExpired every interval until ctx ends.
func (s *OrderService) RunSweeper(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for {
			n, err := s.ReleaseExpired(ctx, time.Now(), 100)
			if err != nil {
				if ctx.Err() == nil {
					s.log.ErrorContext(ctx, "releasing expired reservations", "err", err)
				}
				break
			}
			if n > 0 {
				s.log.InfoContext(ctx, "released expired reservations", "orders", n)
				if s.Expired != nil {
					s.Expired(n)
				}
			}
			if n < 100 {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
