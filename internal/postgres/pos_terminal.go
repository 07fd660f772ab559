package postgres

import (
	"context"
	"database/sql"
	"errors"
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

// CreateTerminalSale sells the lines for one card payment of their total on a Stripe
// Terminal reader. Like CreateSale, one transaction resolves the lines and holds
// their stock (RESERVE) for a sale PENDING_PAYMENT, without a receipt number; then,
// outside it, a card_present PaymentIntent in yen is created (with the sale's ID in
// its metadata and a key derived from the sale) and, with a reader, handed to it. A
// retry with the same idempotency key returns the same sale and PaymentIntent.
//
// Returns PAYMENTS_UNAVAILABLE without Stripe (nothing changes) or when Stripe fails
// after the sale was made (retry with the same key; the sale stays pending), and the
// errors of CreateSale.
func (s *POSService) CreateTerminalSale(ctx context.Context, in tsunagu.CreateTerminalSaleInput) (*tsunagu.TerminalSale, error) {
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if s.Payments == nil {
		return nil, errPaymentsOff
	}
	sin := tsunagu.CreateSaleInput{SessionID: in.SessionID, Lines: in.Lines, IdempotencyKey: in.IdempotencyKey,
		Payments: []tsunagu.PaymentInput{terminalPayment(1)}}
	if err := sin.Validate(); err != nil {
		return nil, err
	}
	ids, codes := make([]int64, len(in.Lines)), make([]string, len(in.Lines))
	for i, l := range in.Lines {
		if l.ProductID != nil {
			ids[i] = int64(*l.ProductID)
			continue
		}
		pc, err := tsunagu.ParseProductCode(*l.Code, saleLineField(i, ".code"))
		if err != nil {
			return nil, err
		}
		codes[i] = pc.Code
	}
	req := in
	req.IdempotencyKey = ""
	var sale *tsunagu.Sale
	var intentID *string
	err = s.db.transact(ctx, func(tx queryer) error {
		id, replay, err := idempotentKey(ctx, tx, "createTerminalSale", in.IdempotencyKey, req, func(k *idemKey) (int64, error) {
			out, err := createSaleTx(ctx, tx, u, &sin, ids, codes, true, k)
			if err != nil {
				return 0, err
			}
			sale = out
			return int64(out.ID), nil
		})
		if err != nil || !replay {
			return err
		}
		if sale, err = loadSale(ctx, tx, tsunagu.SaleID(id)); err != nil {
			return err
		}
		return tx.GetContext(ctx, &intentID, `SELECT payment_intent_id FROM sales WHERE id = $1`, id)
	})
	if err != nil {
		return nil, err
	}
	unavailable := tsunagu.Errorf(tsunagu.CodePaymentsUnavailable, "",
		"The card reader could not be reached; the sale is kept: try again with the same idempotency key.")
	pi, err := s.Payments.CreatePaymentIntent(ctx, tsunagu.PaymentIntentParams{Amount: sale.Total, SaleID: sale.ID,
		CardPresent: true, IdempotencyKey: saleIntentKey(sale.ID),
		Description: "Tsunagu sale " + strconv.FormatInt(int64(sale.ID), 10)})
	if err != nil {
		s.db.log.ErrorContext(ctx, "creating the PaymentIntent of a Terminal sale", "sale", sale.ID, "err", err)
		return nil, unavailable
	}
	if intentID == nil {
		err = s.db.q().GetContext(ctx, &intentID, `UPDATE sales SET payment_intent_id = coalesce(payment_intent_id, $2)
			WHERE id = $1 RETURNING payment_intent_id`, sale.ID, pi.ID)
		if err != nil {
			return nil, err
		}
	}
	if in.ReaderID != "" && sale.Status == tsunagu.SalePendingPayment {
		if err := s.Payments.ProcessOnReader(ctx, in.ReaderID, *intentID); err != nil {
			s.db.log.ErrorContext(ctx, "handing a PaymentIntent to a Terminal reader", "sale", sale.ID, "err", err)
			return nil, unavailable
		}
	}
	return &tsunagu.TerminalSale{Sale: sale, PaymentIntentID: *intentID, ClientSecret: pi.ClientSecret}, nil
}

// ConfirmTerminalSale asks Stripe for the state of a pending Terminal sale's payment
// (for when its webhook event is late) and completes the sale if it succeeded or
// cancels it if it was cancelled or needs another card; otherwise, and for a sale
// that is not pending, it returns the sale as it is. Returns NOT_FOUND (field "")
// for an unknown sale, FORBIDDEN for another shop's, PAYMENTS_UNAVAILABLE when Stripe
// cannot be asked.
func (s *POSService) ConfirmTerminalSale(ctx context.Context, id tsunagu.SaleID) (*tsunagu.Sale, error) {
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	var row struct {
		lockedSale
		PaymentIntentID *string
	}
	err = s.db.q().GetContext(ctx, &row, `SELECT `+saleColumns+`, l.municipality_id, s.payment_intent_id
		FROM sales s JOIN locations l ON l.id = s.shop_id WHERE s.id = $1`, id)
	if err != nil {
		return nil, notFound(err, "", "sale")
	}
	if !worksAtShop(u, row.ShopID, row.MunicipalityID) {
		return nil, tsunagu.ErrForbidden
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
		return nil, tsunagu.Errorf(tsunagu.CodePaymentsUnavailable, "", "The card processor could not be reached; try again.")
	}
	e := tsunagu.PaymentEvent{PaymentIntentID: pi.ID, Amount: pi.Amount, Currency: pi.Currency, SaleID: id}
	switch pi.Status {
	case "succeeded":
		e.Type = tsunagu.StripePaymentSucceeded
	case "canceled", "requires_payment_method":
		e.Type = tsunagu.StripePaymentCanceled
	default:
		return &row.Sale, nil
	}
	err = s.db.transact(ctx, func(tx queryer) error {
		_, err := applySalePayment(ctx, tx, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	return loadSale(ctx, s.db.q(), id)
}

// applySalePayment is the effect of a payment event on the Terminal sale of its
// PaymentIntent, in tx: success completes the pending sale (the held stock leaves
// the shop as SALE, the next receipt number is taken), cancellation or failure
// cancels it (RELEASE). A sale that is not pending is left alone, so events that come
// twice or late are harmless; a success for another amount or currency is refused
// (logged by the caller through the outcome). Returns the outcome.
func applySalePayment(ctx context.Context, tx queryer, e tsunagu.PaymentEvent) (string, error) {
	var sale tsunagu.Sale
	err := tx.GetContext(ctx, &sale, `SELECT `+saleColumns+` FROM sales s
		WHERE s.payment_intent_id = $1 AND s.id = $2 FOR UPDATE`, e.PaymentIntentID, e.SaleID)
	if errors.Is(err, sql.ErrNoRows) {
		return "UNKNOWN_SALE", nil
	}
	if err != nil {
		return "", err
	}
	if sale.Status != tsunagu.SalePendingPayment {
		return "IGNORED", nil
	}
	var lines []*tsunagu.SaleLine
	err = tx.SelectContext(ctx, &lines, `SELECT `+saleLineColumns+` FROM sale_lines sl WHERE sl.sale_id = $1 ORDER BY sl.line_number`, sale.ID)
	if err != nil {
		return "", err
	}
	doc := document{Type: tsunagu.DocumentSale, ID: int64(sale.ID)}
	var ms []movement
	switch e.Type {
	case tsunagu.StripePaymentSucceeded:
		if e.Amount != sale.Total || e.Currency != "jpy" {
			return "AMOUNT_MISMATCH", nil
		}
		for _, l := range lines {
			ms = append(ms,
				movement{ProductID: l.ProductID, LocationID: sale.ShopID, Owner: l.OwnerFacilityID,
					Bucket: tsunagu.BucketReserved, Quantity: -l.Quantity, Reason: tsunagu.ReasonSale},
				movement{ProductID: l.ProductID, LocationID: sale.ShopID, Owner: l.OwnerFacilityID,
					Bucket: tsunagu.BucketOnHand, Quantity: -l.Quantity, Reason: tsunagu.ReasonSale})
		}
		if err := applyMovements(ctx, tx, doc, ms); err != nil {
			return "", err
		}
		_, err = tx.ExecContext(ctx, `
			WITH n AS (
				UPDATE shops SET last_receipt_number = last_receipt_number + 1 WHERE location_id = $2
				RETURNING last_receipt_number
			), p AS (
				UPDATE sale_payments SET reference = $3 WHERE sale_id = $1
			)
			UPDATE sales SET status = 'COMPLETED', receipt_number = (SELECT last_receipt_number FROM n) WHERE id = $1`,
			sale.ID, sale.ShopID, e.PaymentIntentID)
		return "SALE_COMPLETED", err
	case tsunagu.StripePaymentFailed, tsunagu.StripePaymentCanceled:
		for _, l := range lines {
			ms = append(ms, movement{ProductID: l.ProductID, LocationID: sale.ShopID, Owner: l.OwnerFacilityID,
				Bucket: tsunagu.BucketReserved, Quantity: -l.Quantity, Reason: tsunagu.ReasonRelease})
		}
		if err := applyMovements(ctx, tx, doc, ms); err != nil {
			return "", err
		}
		_, err = tx.ExecContext(ctx, `UPDATE sales SET status = 'CANCELLED' WHERE id = $1`, sale.ID)
		return "SALE_CANCELLED", err
	}
	return "IGNORED", nil
}

// terminalPayment is the card payment of a Terminal sale for amount; its reference
// names the terminal until the PaymentIntent's ID replaces it when the card pays.
func terminalPayment(amount int64) tsunagu.PaymentInput {
	return tsunagu.PaymentInput{Method: tsunagu.PaymentCard, Amount: amount, Reference: "Stripe Terminal"}
}
