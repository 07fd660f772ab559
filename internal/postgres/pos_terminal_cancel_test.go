package postgres_test

import (
	"testing"

	"tsunagu/internal/stripe"
	"tsunagu/internal/tsunagu"
)

// A Terminal sale the shopper walked away from is cancelled by the clerk: Stripe's
// PaymentIntent first, then the sale, its stock released, and the register can
// close. A retry with the key returns the same sale and asks Stripe nothing.
func TestCancelTerminalSale(t *testing.T) {
	t.Parallel()
	w, f := newFakeIntentsWorld(t)
	s := w.open(w.clerk, w.reg1, 0)
	ts := w.startTerminal(w.clerk, s, posLine(w.jam, 2))
	wantLevel(t, w, w.homeShop, w.jam, 5, 2)

	before := w.snapshot()
	_, err := w.pos.CancelTerminalSale(w.otherClerk, tsunagu.CancelTerminalSaleInput{SaleID: ts.Sale.ID, IdempotencyKey: w.key()})
	if tsunagu.ErrorCode(err) != tsunagu.CodeForbidden {
		t.Errorf("another shop's clerk: %v, want FORBIDDEN", err)
	}
	w.unchanged(before)
	_, err = w.pos.CancelTerminalSale(w.otherManager, tsunagu.CancelTerminalSaleInput{SaleID: ts.Sale.ID, IdempotencyKey: w.key()})
	if tsunagu.ErrorCode(err) != tsunagu.CodeForbidden {
		t.Errorf("another municipality's manager: %v, want FORBIDDEN", err)
	}
	w.unchanged(before)
	_, err = w.pos.CancelTerminalSale(w.clerk, tsunagu.CancelTerminalSaleInput{SaleID: ts.Sale.ID})
	w.refused(t, before, err, tsunagu.CodeRequired, "input.idempotencyKey")
	_, err = w.pos.CancelTerminalSale(w.clerk, tsunagu.CancelTerminalSaleInput{SaleID: ts.Sale.ID + 1000, IdempotencyKey: w.key()})
	w.refused(t, before, err, tsunagu.CodeNotFound, "")
	f.set("processing", 0, "")
	_, err = w.pos.CancelTerminalSale(w.clerk, tsunagu.CancelTerminalSaleInput{SaleID: ts.Sale.ID, IdempotencyKey: w.key()})
	w.refused(t, before, err, tsunagu.CodeInvalidState, "input.saleId")
	if f.cancels != 0 {
		t.Errorf("a payment being processed was cancelled at Stripe")
	}

	f.set("requires_payment_method", 0, "")
	in := tsunagu.CancelTerminalSaleInput{SaleID: ts.Sale.ID, IdempotencyKey: w.key()}
	got, err := w.pos.CancelTerminalSale(w.clerk, in)
	must(t, err)
	if got.Status != tsunagu.SaleCancelled || got.ReceiptNumber != 0 || f.cancels != 1 {
		t.Errorf("cancelled sale %+v, %d cancellations at Stripe; want CANCELLED, 1", got, f.cancels)
	}
	wantLevel(t, w, w.homeShop, w.jam, 5, 0)
	before = w.snapshot()
	again, err := w.pos.CancelTerminalSale(w.clerk, in)
	must(t, err)
	if again.ID != got.ID || again.Status != tsunagu.SaleCancelled || f.cancels != 1 {
		t.Errorf("retry gave %+v after %d cancellations at Stripe", again, f.cancels)
	}
	w.unchanged(before)

	// A late cancelled event changes nothing more.
	if code := w.post(w.event(), tsunagu.StripePaymentCanceled, saleIntent(*ts, 1300)); code != 200 {
		t.Fatalf("status %d", code)
	}
	wantLevel(t, w, w.homeShop, w.jam, 5, 0)
	w.close(w.clerk, s, 0)
	w.checkLedger()
}

// A sale whose PaymentIntent ID was never stored (the process stopped right after
// Stripe answered) can still be cancelled: the PaymentIntent is found again under
// the sale's key and cancelled too.
func TestCancelTerminalSaleWithoutIntent(t *testing.T) {
	t.Parallel()
	w, f := newFakeIntentsWorld(t)
	s := w.open(w.manager, w.reg1, 0)
	ts := w.startTerminal(w.clerk, s, posLine(w.cookies, 1))
	_, err := w.db.SQL().Exec(`UPDATE sales SET payment_intent_id = NULL WHERE id = $1`, ts.Sale.ID)
	must(t, err)
	got, err := w.pos.CancelTerminalSale(w.manager, tsunagu.CancelTerminalSaleInput{SaleID: ts.Sale.ID, IdempotencyKey: w.key()})
	must(t, err)
	if got.Status != tsunagu.SaleCancelled || f.cancels != 1 {
		t.Errorf("cancelled by the manager: %+v, %d cancellations at Stripe", got, f.cancels)
	}
	if n := w.count(`SELECT count(*) FROM sales WHERE id = $1 AND payment_intent_id IS NOT NULL`, ts.Sale.ID); n != 1 {
		t.Errorf("the recovered PaymentIntent ID was not stored")
	}
	wantLevel(t, w, w.homeShop, w.cookies, 10, 0)
	w.close(w.manager, s, 0)
	w.checkLedger()
}

// A PaymentIntent that has succeeded is never cancelled: cancelling its sale
// completes it instead, with the next receipt number; for a wrong amount the sale is
// flagged for a refund and cancelled, its goods kept. A completed sale cannot be
// cancelled.
func TestCancelTerminalSalePaid(t *testing.T) {
	t.Parallel()
	w, f := newFakeIntentsWorld(t)
	s := w.open(w.clerk, w.reg1, 0)
	ts := w.startTerminal(w.clerk, s, posLine(w.jam, 1))
	f.set("succeeded", 650, "")
	got, err := w.pos.CancelTerminalSale(w.clerk, tsunagu.CancelTerminalSaleInput{SaleID: ts.Sale.ID, IdempotencyKey: w.key()})
	must(t, err)
	if got.Status != tsunagu.SaleCompleted || got.ReceiptNumber != 1 || f.cancels != 0 {
		t.Errorf("cancel of a paid sale: %+v, %d cancellations at Stripe; want COMPLETED, none", got, f.cancels)
	}
	wantLevel(t, w, w.homeShop, w.jam, 4, 0)

	before := w.snapshot()
	_, err = w.pos.CancelTerminalSale(w.clerk, tsunagu.CancelTerminalSaleInput{SaleID: ts.Sale.ID, IdempotencyKey: w.key()})
	w.refused(t, before, err, tsunagu.CodeInvalidState, "input.saleId")
	cash := w.sell(w.clerk, s, []tsunagu.SaleLineInput{posLine(w.jam, 1)}, posCash(650, 0))
	before = w.snapshot()
	_, err = w.pos.CancelTerminalSale(w.clerk, tsunagu.CancelTerminalSaleInput{SaleID: cash.ID, IdempotencyKey: w.key()})
	w.refused(t, before, err, tsunagu.CodeInvalidState, "input.saleId")

	wrong := w.startTerminal(w.clerk, s, posLine(w.jam, 1))
	f.set("succeeded", 65, "")
	got, err = w.pos.CancelTerminalSale(w.clerk, tsunagu.CancelTerminalSaleInput{SaleID: wrong.Sale.ID, IdempotencyKey: w.key()})
	must(t, err)
	if got.Status != tsunagu.SaleCancelled || got.PaymentFlag == "" || f.cancels != 0 {
		t.Errorf("cancel of a sale paid ¥65 of ¥650: %+v; want CANCELLED and flagged, nothing cancelled at Stripe", got)
	}
	wantLevel(t, w, w.homeShop, w.jam, 3, 0)
	w.close(w.clerk, s, 650)
	w.checkLedger()
}

// Stripe is down when a Terminal sale starts, so its PaymentIntent is never created
// (or never stored): the sale stays pending, holding its stock. It must still be
// cancelled while Stripe stays down, or the register could never close.
func TestCancelTerminalSaleWhileStripeIsDown(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	down := stripe.New("sk_test_tsunagu", "http://127.0.0.1:1") // nothing listens there
	w.pos.Payments = down
	s := w.open(w.clerk, w.reg1, 0)
	in := tsunagu.CreateTerminalSaleInput{SessionID: s.ID, Lines: []tsunagu.SaleLineInput{posLine(w.jam, 2)},
		ReaderID: "tmr_reader", IdempotencyKey: w.key()}
	_, err := w.pos.CreateTerminalSale(w.clerk, in)
	if tsunagu.ErrorCode(err) != tsunagu.CodePaymentsUnavailable {
		t.Fatalf("starting with Stripe down: %v, want PAYMENTS_UNAVAILABLE", err)
	}
	wantLevel(t, w, w.homeShop, w.jam, 5, 2)
	var id tsunagu.SaleID
	must(t, w.db.SQL().QueryRow(`SELECT id FROM sales WHERE status = 'PENDING_PAYMENT' AND payment_intent_id IS NULL`).Scan(&id))

	got, err := w.pos.CancelTerminalSale(w.clerk, tsunagu.CancelTerminalSaleInput{SaleID: id, IdempotencyKey: w.key()})
	must(t, err)
	if got.Status != tsunagu.SaleCancelled {
		t.Errorf("cancelled while Stripe is down: %+v", got)
	}
	wantLevel(t, w, w.homeShop, w.jam, 5, 0)

	// Stripe is back and the app retries the start with its key: the sale stays
	// cancelled and no reader is handed its PaymentIntent.
	w.pos.Payments = w.payments
	again, err := w.pos.CreateTerminalSale(w.clerk, in)
	must(t, err)
	if again.Sale.Status != tsunagu.SaleCancelled {
		t.Errorf("the retried start revived the sale: %+v", again.Sale)
	}
	wantLevel(t, w, w.homeShop, w.jam, 5, 0)
	w.close(w.clerk, s, 0)
	w.checkLedger()
}
