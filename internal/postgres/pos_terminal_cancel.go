package postgres

import (
	"context"
	"fmt"

	"tsunagu/internal/tsunagu"
)

// CancelTerminalSale implements tsunagu.POSService. Stripe is asked first, outside
// the transaction (prepare): the PaymentIntent is cancelled there (one whose ID was
// never stored is found again through the sale's idempotency key, and when Stripe
// cannot be reached, such a sale, never handed to a reader, is cancelled all the
// same). Then one transaction (runOnce) cancels the sale and releases its stock
// (RELEASE), or completes it when its payment had succeeded. The PaymentIntent may
// be cancelled at Stripe already when the transaction then refuses
// (IDEMPOTENCY_CONFLICT): harmless, for the sale can no longer be paid by card
// after its cancel was asked for; a cancel with a fresh key finishes it.
func (s *POSService) CancelTerminalSale(ctx context.Context, in tsunagu.CancelTerminalSaleInput) (_ *tsunagu.Sale, err error) {
	defer wrap(&err, "POSService.CancelTerminalSale")
	var wasPending bool
	var pi *tsunagu.PaymentIntent
	return runOnce(ctx, s.db, "cancelTerminalSale", &in, once[*tsunagu.Sale]{
		// Stripe is asked outside the transaction, and only for a pending sale: a
		// retry after the sale was settled goes straight to its idempotency key.
		prepare: func(u *tsunagu.User) error {
			row, err := s.terminalSale(ctx, u, in.SaleID)
			if err != nil {
				return err
			}
			if wasPending = row.Status == tsunagu.SalePendingPayment; wasPending {
				pi, err = s.stopIntent(ctx, row)
			}
			return err
		},
		do: func(tx queryer, u *tsunagu.User, _ *idemKey) (*tsunagu.Sale, error) {
			id, err := s.cancelTerminalSaleTx(ctx, tx, u, in.SaleID, wasPending, pi)
			if err != nil {
				return nil, err
			}
			return loadSale(ctx, tx, id)
		},
		id:     saleResultID,
		replay: replaySale(ctx),
	})
}

// cancelTerminalSaleTx is the work of CancelTerminalSale in tx, once Stripe has
// answered (pi, for a sale that was pending); it returns the sale's ID.
func (s *POSService) cancelTerminalSaleTx(ctx context.Context, tx queryer, u *tsunagu.User, id tsunagu.SaleID,
	wasPending bool, pi *tsunagu.PaymentIntent) (tsunagu.SaleID, error) {
	sale, err := lockSale(ctx, tx, u, id, false)
	if err != nil {
		return 0, err
	}
	switch {
	case sale.Status == tsunagu.SaleCancelled,
		sale.Status == tsunagu.SaleCompleted && wasPending: // its payment's event came meanwhile
		return sale.ID, nil
	case sale.Status != tsunagu.SalePendingPayment || !wasPending:
		return 0, tsunagu.Errorf(tsunagu.CodeInvalidState, "input.saleId",
			"This sale is not waiting for a card payment; void or refund it instead.")
	}
	if pi != nil && pi.Status == "succeeded" {
		e := intentEvent(pi, pi.ID, sale.ID)
		e.Type = tsunagu.StripePaymentSucceeded
		outcome, err := applySalePayment(ctx, tx, s.db.log, e)
		if err != nil || outcome == "SALE_COMPLETED" {
			return sale.ID, err
		}
		// Paid, but not the sale's amount: flagged for a refund; the goods stay.
	} else if pi != nil {
		_, err := tx.ExecContext(ctx, `UPDATE sales SET payment_intent_id = $2 WHERE id = $1 AND payment_intent_id IS NULL`,
			sale.ID, pi.ID)
		if err != nil {
			return 0, err
		}
	} else {
		// Cancelled without Stripe: only while no PaymentIntent is stored, which is
		// what would let a retried createTerminalSale hand it to a reader.
		var stored *string
		if err := tx.GetContext(ctx, &stored, `SELECT payment_intent_id FROM sales WHERE id = $1`, sale.ID); err != nil {
			return 0, err
		}
		if stored != nil {
			return 0, errProcessorUnreachable
		}
	}
	return sale.ID, releaseTerminalSale(ctx, tx, &sale.Sale)
}

// stopIntent makes sure the PaymentIntent of the pending sale row can take no more
// money, and returns it as Stripe last reported it: succeeded (it must not be
// cancelled) or canceled; nil when the sale never reached Stripe (Terminal sales are
// off, or Stripe cannot be reached and no ID was ever stored). Returns INVALID_STATE while Stripe is processing the payment and
// PAYMENTS_UNAVAILABLE when Stripe cannot be reached.
func (s *POSService) stopIntent(ctx context.Context, row *terminalSaleRow) (*tsunagu.PaymentIntent, error) {
	if s.Payments == nil {
		if row.PaymentIntentID == nil {
			return nil, nil
		}
		return nil, errPaymentsOff
	}
	fail := func(op string, err error) (*tsunagu.PaymentIntent, error) {
		s.db.log.ErrorContext(ctx, op+" the PaymentIntent of a Terminal sale to cancel", "sale", row.ID, "err", err)
		return nil, errProcessorUnreachable
	}
	var id string
	if row.PaymentIntentID != nil {
		id = *row.PaymentIntentID
	} else {
		// The process stopped before storing the ID Stripe gave, or Stripe never
		// answered: the same request under the same key gives the PaymentIntent back,
		// to be cancelled too.
		pi, err := s.Payments.CreatePaymentIntent(ctx, saleIntentParams(&row.Sale))
		if err != nil {
			// Stripe cannot be reached. No reader was ever handed this sale (that
			// comes after its ID is stored), so no card can pay it: it is cancelled
			// here, so that the register can close while Stripe is down. The
			// transaction checks that no ID was stored meanwhile.
			s.db.log.WarnContext(ctx, "cancelling a Terminal sale that never reached a reader without Stripe", "sale", row.ID, "err", err)
			return nil, nil
		}
		id = pi.ID
	}
	pi, err := s.Payments.RetrievePaymentIntent(ctx, id)
	if err != nil {
		return fail("retrieving", err)
	}
	pi.ID = id
	switch pi.Status {
	case "succeeded", "canceled":
		return pi, nil
	case "processing":
		return nil, tsunagu.Errorf(tsunagu.CodeInvalidState, "input.saleId",
			"The card payment is being processed; wait a moment and confirm the sale.")
	}
	cancelled, err := s.Payments.CancelPaymentIntent(ctx, id)
	if err == nil && cancelled.Status != "succeeded" {
		cancelled.ID, cancelled.Status = id, "canceled"
		return cancelled, nil
	}
	// Stripe refuses to cancel a PaymentIntent that succeeded meanwhile (the card
	// was tapped just now): ask again what it is.
	if err != nil {
		s.db.log.WarnContext(ctx, "cancelling the PaymentIntent of a Terminal sale", "sale", row.ID, "payment_intent", id, "err", err)
	}
	again, err := s.Payments.RetrievePaymentIntent(ctx, id)
	if err != nil {
		return fail("retrieving", err)
	}
	again.ID = id
	if again.Status == "succeeded" || again.Status == "canceled" {
		return again, nil
	}
	return fail("cancelling", fmt.Errorf("neither cancelled nor settled at Stripe (status %s)", again.Status))
}
