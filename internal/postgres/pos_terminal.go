package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"tsunagu/internal/tsunagu"
)

// Card sales on a Stripe Terminal reader. The sale is made PENDING_PAYMENT with its
// stock reserved (held for it) and no receipt number; Stripe's PaymentIntent event,
// or ConfirmTerminalSale asking Stripe, then completes it (the stock leaves the shop,
// the next receipt number is taken) or cancels it (the stock is released).

var errNotCompleted = tsunagu.Errorf(tsunagu.CodeInvalidState, "input.saleId",
	"This card sale is not completed; wait for the card payment, or confirm it.")

// saleIntentKey is the Stripe idempotency key of a Terminal sale's PaymentIntent.
func saleIntentKey(id tsunagu.SaleID) string {
	return "tsunagu-sale-" + strconv.FormatInt(int64(id), 10) + "-payment-intent"
}

// saleIntentParams asks for the PaymentIntent of a Terminal sale: the same request
// each time, so that Stripe's idempotency gives back the same PaymentIntent.
func saleIntentParams(sale *tsunagu.Sale) tsunagu.PaymentIntentParams {
	return tsunagu.PaymentIntentParams{Amount: sale.Total, SaleID: sale.ID, CardPresent: true,
		IdempotencyKey: saleIntentKey(sale.ID), Description: "Tsunagu sale " + strconv.FormatInt(int64(sale.ID), 10)}
}

// CreateTerminalSale implements tsunagu.POSService. As in CreateSale, one
// transaction (runOnce) resolves the lines and holds their stock (RESERVE) for the
// pending sale; then, outside it, the card_present PaymentIntent is created with
// the sale's ID in its metadata under a Stripe idempotency key derived from the
// sale, stored, and handed to the reader.
func (s *POSService) CreateTerminalSale(ctx context.Context, in tsunagu.CreateTerminalSaleInput) (_ *tsunagu.TerminalSale, err error) {
	defer wrap(&err, "POSService.CreateTerminalSale")
	sin := tsunagu.CreateSaleInput{SessionID: in.SessionID, Lines: in.Lines, IdempotencyKey: in.IdempotencyKey,
		Payments: []tsunagu.PaymentInput{tsunagu.TerminalPayment(1)}}
	var ids []int64
	var codes []string
	made, err := runOnce(ctx, s.db, "createTerminalSale", &in, once[terminalMade]{
		claims: true,
		prepare: func(*tsunagu.User) (err error) {
			if s.Payments == nil {
				return errPaymentsOff
			}
			ids, codes, err = saleLineRefs(in.Lines)
			return err
		},
		do: func(tx queryer, u *tsunagu.User, k *idemKey) (terminalMade, error) {
			sale, err := createSaleTx(ctx, tx, u, &sin, ids, codes, true, k)
			return terminalMade{sale: sale}, err
		},
		id: func(r terminalMade) int64 { return int64(r.sale.ID) },
		replay: func(tx queryer, id int64) (r terminalMade, err error) {
			if r.sale, err = loadSale(ctx, tx, tsunagu.SaleID(id)); err != nil {
				return r, err
			}
			return r, tx.GetContext(ctx, &r.intentID, `SELECT payment_intent_id FROM sales WHERE id = $1`, id)
		},
	})
	if err != nil {
		return nil, err
	}
	sale, intentID := made.sale, made.intentID
	unavailable := tsunagu.Errorf(tsunagu.CodePaymentsUnavailable, "",
		"The card reader could not be reached; the sale is kept: try again with the same idempotency key.")
	// A replay asks Stripe for the PaymentIntent it stored rather than creating one
	// again: Stripe keeps idempotency keys for a day only, after which a create would
	// make a second PaymentIntent for the same sale.
	var pi *tsunagu.PaymentIntent
	if intentID != nil {
		pi, err = s.Payments.RetrievePaymentIntent(ctx, *intentID)
	} else {
		pi, err = s.Payments.CreatePaymentIntent(ctx, saleIntentParams(sale))
	}
	if err != nil {
		s.db.log.ErrorContext(ctx, "creating or reading the PaymentIntent of a Terminal sale", "sale", sale.ID, "err", err)
		return nil, unavailable
	}
	if intentID == nil {
		// Stored only while the sale is pending: a sale cancelled meanwhile without
		// Stripe (CancelTerminalSale) is never handed to a reader.
		var stored struct {
			ID     *string `db:"payment_intent_id"`
			Status tsunagu.SaleStatus
		}
		err = s.db.q().GetContext(ctx, &stored, `UPDATE sales SET payment_intent_id = coalesce(payment_intent_id, $2)
			WHERE id = $1 RETURNING payment_intent_id, status`, sale.ID, pi.ID)
		if err != nil {
			return nil, err
		}
		intentID, sale.Status = stored.ID, stored.Status
	}
	if in.ReaderID != "" && sale.Status == tsunagu.SalePendingPayment {
		if err := s.Payments.ProcessOnReader(ctx, in.ReaderID, *intentID); err != nil {
			s.db.log.ErrorContext(ctx, "handing a PaymentIntent to a Terminal reader", "sale", sale.ID, "err", err)
			return nil, unavailable
		}
	}
	return &tsunagu.TerminalSale{Sale: sale, PaymentIntentID: *intentID, ClientSecret: pi.ClientSecret}, nil
}

// terminalMade is the sale CreateTerminalSale made, with its stored PaymentIntent,
// if any.
type terminalMade struct {
	sale     *tsunagu.Sale
	intentID *string
}

// ConfirmTerminalSale implements tsunagu.POSService: Stripe is asked outside any
// transaction, and its answer applied as the webhook's event would be (a
// PaymentIntent waiting for the card, requires_payment_method without an error as
// every new one is, or processing, changes nothing).
func (s *POSService) ConfirmTerminalSale(ctx context.Context, id tsunagu.SaleID) (_ *tsunagu.Sale, err error) {
	defer wrap(&err, "POSService.ConfirmTerminalSale")
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	row, err := s.terminalSale(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if row.Status != tsunagu.SalePendingPayment || row.PaymentIntentID == nil {
		return &row.Sale, nil
	}
	if s.Payments == nil {
		return nil, errPaymentsOff
	}
	pi, err := s.Payments.RetrievePaymentIntent(ctx, *row.PaymentIntentID)
	if err != nil {
		s.db.log.ErrorContext(ctx, "retrieving the PaymentIntent of a Terminal sale", "sale", id, "err", err)
		return nil, errProcessorUnreachable
	}
	e := intentEvent(pi, *row.PaymentIntentID, id)
	switch {
	case pi.Status == "succeeded":
		e.Type = tsunagu.StripePaymentSucceeded
	case pi.Status == "canceled":
		e.Type = tsunagu.StripePaymentCanceled
	case pi.Status == "requires_payment_method" && pi.LastPaymentError != "":
		e.Type = tsunagu.StripePaymentFailed
	default:
		return &row.Sale, nil
	}
	err = s.db.transact(ctx, func(tx queryer) error {
		_, err := applySalePayment(ctx, tx, s.db.log, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	return loadSale(ctx, s.db.q(), id)
}

var errProcessorUnreachable = tsunagu.Errorf(tsunagu.CodePaymentsUnavailable, "", "The card processor could not be reached; try again.")

// terminalSaleRow is a sale with its shop's municipality and its PaymentIntent.
type terminalSaleRow struct {
	lockedSale
	PaymentIntentID *string
}

// terminalSale reads sale id, unlocked, for a user who must work at its shop.
// Returns NOT_FOUND (field "") for an unknown sale, FORBIDDEN for another shop's.
func (s *POSService) terminalSale(ctx context.Context, u *tsunagu.User, id tsunagu.SaleID) (*terminalSaleRow, error) {
	var row terminalSaleRow
	err := s.db.q().GetContext(ctx, &row, `SELECT `+saleColumns+`, l.municipality_id, s.payment_intent_id
		FROM sales s JOIN locations l ON l.id = s.shop_id WHERE s.id = $1`, id)
	if err != nil {
		return nil, notFound(err, "", "sale")
	}
	if !worksAtShop(u, row.ShopID, row.MunicipalityID) {
		return nil, tsunagu.ErrForbidden
	}
	return &row, nil
}

// intentEvent is the payment event (its Type still to set) that Stripe's answer pi
// about the PaymentIntent id of sale amounts to.
func intentEvent(pi *tsunagu.PaymentIntent, id string, sale tsunagu.SaleID) tsunagu.PaymentEvent {
	return tsunagu.PaymentEvent{PaymentIntentID: id, Amount: pi.Amount, AmountReceived: pi.AmountReceived,
		Currency: pi.Currency, SaleID: sale, Error: pi.LastPaymentError}
}

// applySalePayment is the effect of a payment event on the Terminal sale of its
// PaymentIntent, in tx; it returns the outcome recorded with the event, and logs at
// WARN every outcome where Stripe may hold money the sale does not book.
//
//   - payment_intent.succeeded for the sale's total in yen (the amount received):
//     a pending sale completes (the held stock leaves the shop as SALE, the next
//     receipt number is taken). A cancelled sale whose register session is still
//     open is taken up again if its stock is still there (RESERVE, then as above);
//     if not, it is flagged for a refund (PaymentFlag). Any other amount or currency
//     flags the sale and completes nothing.
//   - payment_intent.payment_failed (a decline): a pending sale stays pending with
//     the error, for the clerk to try another card or cancel the sale.
//   - payment_intent.canceled: a pending sale is cancelled and its stock released.
//
// A sale whose PaymentIntent ID was never stored (the process stopped right after
// Stripe answered) is found by the sale ID in the metadata, and gets the ID now.
func applySalePayment(ctx context.Context, tx queryer, log *slog.Logger, e tsunagu.PaymentEvent) (string, error) {
	var row struct {
		tsunagu.Sale
		PaymentIntentID *string
	}
	err := tx.GetContext(ctx, &row, `SELECT `+saleColumns+`, s.payment_intent_id FROM sales s
		WHERE s.id = $2 AND (s.payment_intent_id = $1
			OR s.payment_intent_id IS NULL AND s.status IN ('PENDING_PAYMENT', 'CANCELLED'))
		FOR UPDATE`, e.PaymentIntentID, e.SaleID)
	if errors.Is(err, sql.ErrNoRows) {
		log.WarnContext(ctx, "stripe event about no Terminal sale of ours", "event", e.ID, "type", e.Type,
			"sale", e.SaleID, "payment_intent", e.PaymentIntentID, "amount_received", e.AmountReceived)
		return "UNKNOWN_SALE", nil
	}
	if err != nil {
		return "", err
	}
	sale := row.Sale
	if row.PaymentIntentID == nil {
		_, err = tx.ExecContext(ctx, `UPDATE sales SET payment_intent_id = $2 WHERE id = $1`, sale.ID, e.PaymentIntentID)
		if err != nil {
			return "", err
		}
	}
	flag := func(outcome, format string, args ...any) (string, error) {
		msg := fmt.Sprintf(format, args...)
		log.WarnContext(ctx, "stripe payment flagged on a Terminal sale: refund it", "sale", sale.ID,
			"payment_intent", e.PaymentIntentID, "event", e.ID, "type", e.Type, "outcome", outcome, "flag", msg)
		_, err := tx.ExecContext(ctx, `UPDATE sales SET payment_flag = $2 WHERE id = $1`, sale.ID, msg)
		return outcome, err
	}
	switch e.Type {
	case tsunagu.StripePaymentSucceeded:
		if e.AmountReceived != sale.Total || e.Currency != "jpy" {
			return flag("AMOUNT_MISMATCH", "Stripe took %d %s for this sale of ¥%d; refund the payment.",
				e.AmountReceived, cmp.Or(e.Currency, "(no currency)"), sale.Total)
		}
		switch sale.Status {
		case tsunagu.SalePendingPayment:
			return "SALE_COMPLETED", completeTerminalSale(ctx, tx, &sale, e.PaymentIntentID)
		case tsunagu.SaleCancelled:
			return paidAfterCancel(ctx, tx, &sale, e.PaymentIntentID, flag)
		case tsunagu.SaleCompleted:
			return "ALREADY_COMPLETED", nil // a late event after ConfirmTerminalSale, say
		}
		log.WarnContext(ctx, "stripe payment for a Terminal sale that is voided: the void must have paid it back",
			"sale", sale.ID, "payment_intent", e.PaymentIntentID, "event", e.ID, "status", sale.Status)
		return "IGNORED", nil
	case tsunagu.StripePaymentFailed:
		if sale.Status != tsunagu.SalePendingPayment {
			return "IGNORED", nil
		}
		_, err := tx.ExecContext(ctx, `UPDATE sales SET last_payment_error = $2 WHERE id = $1`,
			sale.ID, cmp.Or(e.Error, "The card payment failed."))
		return "FAILED", err
	case tsunagu.StripePaymentCanceled:
		if sale.Status != tsunagu.SalePendingPayment {
			return "IGNORED", nil
		}
		return "SALE_CANCELLED", releaseTerminalSale(ctx, tx, &sale)
	}
	return "IGNORED", nil
}

// paidAfterCancel handles a payment that succeeded after its sale was cancelled (by
// a clerk, or a cancellation that crossed the tap): the sale is taken up again if
// its register session is still open and its stock can be held once more, and
// flagged for a refund otherwise.
func paidAfterCancel(ctx context.Context, tx queryer, sale *tsunagu.Sale, intentID string,
	flag func(outcome, format string, args ...any) (string, error)) (string, error) {
	// FOR SHARE: a close waiting on the session sees the sale completed, or it closed first.
	var status tsunagu.SessionStatus
	err := tx.GetContext(ctx, &status, `SELECT status FROM register_sessions WHERE id = $1 FOR SHARE`, sale.SessionID)
	if err != nil {
		return "", err
	}
	if status != tsunagu.SessionOpen {
		return flag("PAID_AFTER_CANCEL", "Paid after the sale was cancelled and its register closed; refund the payment.")
	}
	lines, err := terminalSaleLines(ctx, tx, sale.ID)
	if err != nil {
		return "", err
	}
	ms := make([]movement, len(lines))
	for i, l := range lines {
		ms[i] = movement{ProductID: l.ProductID, LocationID: sale.ShopID, Owner: l.OwnerFacilityID,
			Bucket: tsunagu.BucketReserved, Quantity: l.Quantity, Reason: tsunagu.ReasonReserve}
	}
	err = applyMovements(ctx, tx, document{Type: tsunagu.DocumentSale, ID: int64(sale.ID)}, ms)
	var short *InsufficientStockError
	if errors.As(err, &short) {
		return flag("PAID_AFTER_CANCEL", "Paid after the sale was cancelled, and the goods are gone: refund the payment.")
	}
	if err != nil {
		return "", err
	}
	return "SALE_COMPLETED_AFTER_CANCEL", completeTerminalSale(ctx, tx, sale, intentID)
}

func terminalSaleLines(ctx context.Context, tx queryer, id tsunagu.SaleID) ([]*tsunagu.SaleLine, error) {
	var lines []*tsunagu.SaleLine
	err := tx.SelectContext(ctx, &lines, `SELECT `+saleLineColumns+` FROM sale_lines sl WHERE sl.sale_id = $1 ORDER BY sl.line_number`, id)
	return lines, err
}

// completeTerminalSale completes the locked sale, whose stock is held for it: the
// stock leaves the shop (SALE), the card payment gets the PaymentIntent's ID as its
// reference and the sale the shop's next receipt number.
func completeTerminalSale(ctx context.Context, tx queryer, sale *tsunagu.Sale, intentID string) error {
	lines, err := terminalSaleLines(ctx, tx, sale.ID)
	if err != nil {
		return err
	}
	var ms []movement
	for _, l := range lines {
		ms = append(ms,
			movement{ProductID: l.ProductID, LocationID: sale.ShopID, Owner: l.OwnerFacilityID,
				Bucket: tsunagu.BucketReserved, Quantity: -l.Quantity, Reason: tsunagu.ReasonSale},
			movement{ProductID: l.ProductID, LocationID: sale.ShopID, Owner: l.OwnerFacilityID,
				Bucket: tsunagu.BucketOnHand, Quantity: -l.Quantity, Reason: tsunagu.ReasonSale})
	}
	if err := applyMovements(ctx, tx, document{Type: tsunagu.DocumentSale, ID: int64(sale.ID)}, ms); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `
		WITH n AS (
			UPDATE shops SET last_receipt_number = last_receipt_number + 1 WHERE location_id = $2
			RETURNING last_receipt_number
		), p AS (
			UPDATE sale_payments SET reference = $3 WHERE sale_id = $1
		)
		UPDATE sales SET status = 'COMPLETED', last_payment_error = '',
			receipt_number = (SELECT last_receipt_number FROM n) WHERE id = $1`,
		sale.ID, sale.ShopID, intentID)
	return err
}

// releaseTerminalSale cancels the locked pending sale and releases its stock.
func releaseTerminalSale(ctx context.Context, tx queryer, sale *tsunagu.Sale) error {
	lines, err := terminalSaleLines(ctx, tx, sale.ID)
	if err != nil {
		return err
	}
	ms := make([]movement, len(lines))
	for i, l := range lines {
		ms[i] = movement{ProductID: l.ProductID, LocationID: sale.ShopID, Owner: l.OwnerFacilityID,
			Bucket: tsunagu.BucketReserved, Quantity: -l.Quantity, Reason: tsunagu.ReasonRelease}
	}
	if err := applyMovements(ctx, tx, document{Type: tsunagu.DocumentSale, ID: int64(sale.ID)}, ms); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE sales SET status = 'CANCELLED' WHERE id = $1`, sale.ID)
	return err
}
