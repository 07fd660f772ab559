package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"tsunagu/internal/tsunagu"
)

// saleIntent is the PaymentIntent object of a Terminal sale's event.
func saleIntent(t tsunagu.TerminalSale, amount int64) map[string]any {
	return map[string]any{"id": t.PaymentIntentID, "object": "payment_intent", "amount": amount, "amount_received": amount,
		"currency": "jpy", "metadata": map[string]any{"sale_id": fmt.Sprint(t.Sale.ID)}}
}

// A card sale on a Terminal reader holds its stock until Stripe reports the payment:
// a success completes it with the next receipt number, a cancelled payment releases
// it; receipt numbers stay gapless and the ledger agrees.
func TestTerminalSale(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	w.pos.Payments = w.payments
	s := w.open(w.clerk, w.reg1, 10000)
	in := tsunagu.CreateTerminalSaleInput{SessionID: s.ID, Lines: []tsunagu.SaleLineInput{posLine(w.cookies, 2)},
		ReaderID: "tmr_tsunagu_test", IdempotencyKey: w.key()}
	ts, err := w.pos.CreateTerminalSale(w.clerk, in)
	must(t, err)
	if ts.Sale.Status != tsunagu.SalePendingPayment || ts.Sale.ReceiptNumber != 0 || ts.PaymentIntentID == "" || ts.Sale.Total != 700 {
		t.Fatalf("terminal sale %+v / %+v", ts, ts.Sale)
	}
	wantLevel(t, w, w.homeShop, w.cookies, 10, 2)
	again, err := w.pos.CreateTerminalSale(w.clerk, in)
	must(t, err)
	if again.Sale.ID != ts.Sale.ID || again.PaymentIntentID != ts.PaymentIntentID {
		t.Errorf("retry gave sale %d (%s), want %d (%s)", again.Sale.ID, again.PaymentIntentID, ts.Sale.ID, ts.PaymentIntentID)
	}
	before := w.snapshot()
	_, err = w.pos.VoidSale(w.clerk, tsunagu.VoidSaleInput{SaleID: ts.Sale.ID, IdempotencyKey: w.key()})
	w.refused(t, before, err, tsunagu.CodeInvalidState, "input.saleId")

	if code := w.post(w.event(), tsunagu.StripePaymentSucceeded, saleIntent(*ts, 1)); code != 200 {
		t.Fatalf("status %d", code)
	}
	wantLevel(t, w, w.homeShop, w.cookies, 10, 2) // a payment of ¥1 completes nothing
	if got := w.terminalSale(ts.Sale.ID); got.Status != tsunagu.SalePendingPayment || got.PaymentFlag == "" {
		t.Errorf("a sale paid ¥1 of ¥700 must stay pending and be flagged for a refund: %+v", got)
	}
	id := w.event()
	for range 2 { // the second delivery is a replay
		if code := w.post(id, tsunagu.StripePaymentSucceeded, saleIntent(*ts, 700)); code != 200 {
			t.Fatalf("status %d", code)
		}
	}
	done, err := w.pos.SalesByID(w.clerk, []tsunagu.SaleID{ts.Sale.ID})
	must(t, err)
	if got := done[ts.Sale.ID]; got.Status != tsunagu.SaleCompleted || got.ReceiptNumber != 1 {
		t.Errorf("completed sale %+v", got)
	}
	wantLevel(t, w, w.homeShop, w.cookies, 8, 0)

	failed := w.startTerminal(w.clerk, s, posLine(w.jam, 1))
	wantLevel(t, w, w.homeShop, w.jam, 5, 1)
	before = w.snapshot()
	_, err = w.pos.CloseRegisterSession(w.clerk, tsunagu.CloseSessionInput{IdempotencyKey: fmt.Sprintf("close-%d", s.ID), SessionID: s.ID, CountedCash: posPtr(int64(10000))})
	w.refused(t, before, err, tsunagu.CodeInvalidState, "input.sessionId")
	if code := w.post(w.event(), tsunagu.StripePaymentCanceled, saleIntent(*failed, 650)); code != 200 {
		t.Fatalf("status %d", code)
	}
	wantLevel(t, w, w.homeShop, w.jam, 5, 0)
	got, err := w.pos.ConfirmTerminalSale(w.clerk, failed.Sale.ID)
	must(t, err)
	if got.Status != tsunagu.SaleCancelled {
		t.Errorf("cancelled sale %+v", got)
	}
	cash := w.sell(w.clerk, s, []tsunagu.SaleLineInput{posLine(w.jam, 1)}, posCash(650, 1000))
	if cash.ReceiptNumber != 2 {
		t.Errorf("next receipt number %d, want 2 (gapless)", cash.ReceiptNumber)
	}
	rep, err := w.pos.Report(w.clerk, s.ID)
	must(t, err)
	if rep.SalesCount != 2 || rep.GrossSales != 1350 {
		t.Errorf("report: %d sales, ¥%d; want 2, ¥1,350", rep.SalesCount, rep.GrossSales)
	}
	w.checkLedger()
}

// confirmedIntents makes stripe-mock's PaymentIntents report success.
type confirmedIntents struct{ tsunagu.Payments }

func (c confirmedIntents) RetrievePaymentIntent(ctx context.Context, id string) (*tsunagu.PaymentIntent, error) {
	pi, err := c.Payments.RetrievePaymentIntent(ctx, id)
	if err != nil {
		return nil, err
	}
	pi.ID, pi.Status, pi.Amount, pi.AmountReceived, pi.Currency = id, "succeeded", 1200, 1200, "jpy"
	return pi, nil
}

// The POS app asks the server to check a Terminal payment whose event is late.
func TestConfirmTerminalSale(t *testing.T) {
	t.Parallel()
	w := newOrderWorldWith(t, func(p tsunagu.Payments) tsunagu.Payments { return confirmedIntents{p} })
	w.pos.Payments = w.payments
	s := w.open(w.otherClerk, w.partnerReg, 0)
	ts := w.startTerminal(w.otherClerk, s, posLine(w.spoon, 1))
	before := w.snapshot()
	_, err := w.pos.ConfirmTerminalSale(w.clerk, ts.Sale.ID)
	if tsunagu.ErrorCode(err) != tsunagu.CodeForbidden {
		t.Errorf("another shop's clerk: %v, want FORBIDDEN", err)
	}
	w.unchanged(before)
	sale, err := w.pos.ConfirmTerminalSale(w.otherClerk, ts.Sale.ID)
	must(t, err)
	if sale.Status != tsunagu.SaleCompleted || sale.ReceiptNumber != 1 {
		t.Errorf("confirmed sale %+v", sale)
	}
	wantLevel(t, w, w.partnerShop, w.spoon, 2, 0)
	w.checkLedger()
}

// startTerminal starts a Terminal card sale of lines in session s.
func (w *orderWorld) startTerminal(ctx context.Context, s *tsunagu.RegisterSession, lines ...tsunagu.SaleLineInput) *tsunagu.TerminalSale {
	w.t.Helper()
	ts, err := w.pos.CreateTerminalSale(ctx, tsunagu.CreateTerminalSaleInput{SessionID: s.ID, Lines: lines, IdempotencyKey: w.key()})
	must(w.t, err)
	return ts
}

// terminalSale reads sale id as the admin.
func (w *orderWorld) terminalSale(id tsunagu.SaleID) *tsunagu.Sale {
	w.t.Helper()
	got, err := w.pos.SalesByID(w.admin, []tsunagu.SaleID{id})
	must(w.t, err)
	if got[id] == nil {
		w.t.Fatalf("sale %d not found", id)
	}
	return got[id]
}

// eventOutcome is the outcome recorded with Stripe event id.
func (w *orderWorld) eventOutcome(id string) string {
	w.t.Helper()
	var outcome string
	must(w.t, w.db.SQL().QueryRow(`SELECT outcome FROM stripe_events WHERE id = $1`, id).Scan(&outcome))
	return outcome
}

// fakeIntents answers for Stripe about PaymentIntents as the test sets them (status,
// amount received, last error); creating them is stripe-mock's. Cancelling one that
// succeeded fails as at Stripe.
type fakeIntents struct {
	tsunagu.Payments
	mu       sync.Mutex
	status   string
	received int64
	declined string
	cancels  int
}

func (f *fakeIntents) set(status string, received int64, declined string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status, f.received, f.declined = status, received, declined
}

func (f *fakeIntents) RetrievePaymentIntent(ctx context.Context, id string) (*tsunagu.PaymentIntent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &tsunagu.PaymentIntent{ID: id, Status: f.status, Amount: f.received, AmountReceived: f.received,
		Currency: "jpy", LastPaymentError: f.declined}, nil
}

func (f *fakeIntents) CancelPaymentIntent(ctx context.Context, id string) (*tsunagu.PaymentIntent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.status == "succeeded" {
		return nil, errors.New("stripe: cancel PaymentIntent: payment_intent_unexpected_state")
	}
	f.status = "canceled"
	f.cancels++
	return &tsunagu.PaymentIntent{ID: id, Status: f.status, Currency: "jpy"}, nil
}

func newFakeIntentsWorld(t *testing.T) (*orderWorld, *fakeIntents) {
	f := &fakeIntents{status: "requires_payment_method"}
	w := newOrderWorldWith(t, func(p tsunagu.Payments) tsunagu.Payments { f.Payments = p; return f })
	w.pos.Payments = w.payments
	return w, f
}

// Every new PaymentIntent is requires_payment_method until the card is tapped:
// confirming the sale then must leave it pending with its stock held. A decline
// (requires_payment_method with an error) is shown and the sale stays pending for
// another card; only a cancelled PaymentIntent cancels the sale.
func TestConfirmTerminalSaleWaitingForCard(t *testing.T) {
	t.Parallel()
	w, f := newFakeIntentsWorld(t)
	s := w.open(w.clerk, w.reg1, 0)
	ts := w.startTerminal(w.clerk, s, posLine(w.jam, 2))

	got, err := w.pos.ConfirmTerminalSale(w.clerk, ts.Sale.ID)
	must(t, err)
	if got.Status != tsunagu.SalePendingPayment || got.LastPaymentError != "" {
		t.Errorf("confirmed right after creation: %+v, want pending", got)
	}
	wantLevel(t, w, w.homeShop, w.jam, 5, 2)

	f.set("requires_payment_method", 0, "Your card was declined.")
	got, err = w.pos.ConfirmTerminalSale(w.clerk, ts.Sale.ID)
	must(t, err)
	if got.Status != tsunagu.SalePendingPayment || got.LastPaymentError != "Your card was declined." {
		t.Errorf("confirmed after a decline: %+v, want pending with the error", got)
	}
	wantLevel(t, w, w.homeShop, w.jam, 5, 2)

	f.set("succeeded", 1300, "")
	got, err = w.pos.ConfirmTerminalSale(w.clerk, ts.Sale.ID)
	must(t, err)
	if got.Status != tsunagu.SaleCompleted || got.ReceiptNumber != 1 || got.LastPaymentError != "" {
		t.Errorf("confirmed after another card paid: %+v", got)
	}
	wantLevel(t, w, w.homeShop, w.jam, 3, 0)

	other := w.startTerminal(w.clerk, s, posLine(w.jam, 1))
	f.set("canceled", 0, "")
	got, err = w.pos.ConfirmTerminalSale(w.clerk, other.Sale.ID)
	must(t, err)
	if got.Status != tsunagu.SaleCancelled {
		t.Errorf("confirmed after the PaymentIntent was cancelled: %+v", got)
	}
	wantLevel(t, w, w.homeShop, w.jam, 3, 0)
	w.close(w.clerk, s, 0)
	w.checkLedger()
}

// A succeeded PaymentIntent for a mismatched amount (received) never completes a
// sale, whatever the PaymentIntent's amount says; the sale is flagged.
func TestConfirmTerminalSaleAmountMismatch(t *testing.T) {
	t.Parallel()
	w, f := newFakeIntentsWorld(t)
	s := w.open(w.clerk, w.reg1, 0)
	ts := w.startTerminal(w.clerk, s, posLine(w.cookies, 1))
	f.set("succeeded", 100, "")
	got, err := w.pos.ConfirmTerminalSale(w.clerk, ts.Sale.ID)
	must(t, err)
	if got.Status != tsunagu.SalePendingPayment || got.ReceiptNumber != 0 || !strings.Contains(got.PaymentFlag, "100") {
		t.Errorf("paid ¥100 of ¥350: %+v, want pending and flagged", got)
	}
	wantLevel(t, w, w.homeShop, w.cookies, 10, 1)
	w.checkLedger()
}

// payment_intent.payment_failed is a decline: Terminal lets the clerk try another
// card on the same PaymentIntent, so the sale stays pending with its stock held and
// the error to show, and a later success completes it.
func TestTerminalPaymentFailedKeepsSale(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	w.pos.Payments = w.payments
	s := w.open(w.clerk, w.reg1, 0)
	ts := w.startTerminal(w.clerk, s, posLine(w.cookies, 3))
	declined := saleIntent(*ts, 1050)
	declined["status"] = "requires_payment_method"
	declined["amount_received"] = 0
	declined["last_payment_error"] = map[string]any{"type": "card_error", "code": "card_declined", "message": "Your card was declined."}
	id := w.event()
	if code := w.post(id, tsunagu.StripePaymentFailed, declined); code != 200 {
		t.Fatalf("status %d", code)
	}
	got := w.terminalSale(ts.Sale.ID)
	if got.Status != tsunagu.SalePendingPayment || got.LastPaymentError != "Your card was declined." || w.eventOutcome(id) != "FAILED" {
		t.Errorf("declined: %+v (%s), want pending with the error", got, w.eventOutcome(id))
	}
	wantLevel(t, w, w.homeShop, w.cookies, 10, 3)
	before := w.snapshot()
	_, err := w.pos.CloseRegisterSession(w.clerk, tsunagu.CloseSessionInput{IdempotencyKey: fmt.Sprintf("close-%d", s.ID), SessionID: s.ID, CountedCash: posPtr(int64(0))})
	w.refused(t, before, err, tsunagu.CodeInvalidState, "input.sessionId")

	if code := w.post(w.event(), tsunagu.StripePaymentSucceeded, saleIntent(*ts, 1050)); code != 200 {
		t.Fatalf("status %d", code)
	}
	got = w.terminalSale(ts.Sale.ID)
	if got.Status != tsunagu.SaleCompleted || got.ReceiptNumber != 1 || got.LastPaymentError != "" {
		t.Errorf("paid with another card: %+v", got)
	}
	wantLevel(t, w, w.homeShop, w.cookies, 7, 0)
	w.close(w.clerk, s, 0)
	w.checkLedger()
}

// A payment that succeeds after its sale was cancelled is money taken: the sale is
// completed again while its goods are still there (with the next receipt number),
// and flagged for a refund when they are gone or the register has closed; it is
// never ignored.
func TestTerminalPaidAfterCancel(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	w.pos.Payments = w.payments
	s := w.open(w.clerk, w.reg1, 0)
	sell := func(n int) *tsunagu.TerminalSale {
		ts := w.startTerminal(w.clerk, s, posLine(w.jam, n))
		if code := w.post(w.event(), tsunagu.StripePaymentCanceled, saleIntent(*ts, 650*int64(n))); code != 200 {
			t.Fatalf("status %d", code)
		}
		return ts
	}

	t.Run("StockThere", func(t *testing.T) {
		ts := sell(2)
		wantLevel(t, w, w.homeShop, w.jam, 5, 0)
		id := w.event()
		if code := w.post(id, tsunagu.StripePaymentSucceeded, saleIntent(*ts, 1300)); code != 200 {
			t.Fatalf("status %d", code)
		}
		got := w.terminalSale(ts.Sale.ID)
		if got.Status != tsunagu.SaleCompleted || got.ReceiptNumber != 1 || got.PaymentFlag != "" {
			t.Errorf("paid after cancel, goods there: %+v (%s)", got, w.eventOutcome(id))
		}
		wantLevel(t, w, w.homeShop, w.jam, 3, 0)
		w.checkLedger()
	})
	t.Run("StockGone", func(t *testing.T) {
		ts := sell(2)
		w.sell(w.clerk, s, []tsunagu.SaleLineInput{posLine(w.jam, 2)}, posCash(1300, 0))
		wantLevel(t, w, w.homeShop, w.jam, 1, 0)
		id := w.event()
		if code := w.post(id, tsunagu.StripePaymentSucceeded, saleIntent(*ts, 1300)); code != 200 {
			t.Fatalf("status %d", code)
		}
		got := w.terminalSale(ts.Sale.ID)
		if got.Status != tsunagu.SaleCancelled || got.ReceiptNumber != 0 || !strings.Contains(got.PaymentFlag, "refund") ||
			w.eventOutcome(id) != "PAID_AFTER_CANCEL" {
			t.Errorf("paid after cancel, goods gone: %+v (%s), want cancelled and flagged", got, w.eventOutcome(id))
		}
		wantLevel(t, w, w.homeShop, w.jam, 1, 0)
		w.checkLedger()
	})
	t.Run("RegisterClosed", func(t *testing.T) {
		ts := sell(1)
		w.close(w.clerk, s, 1300)
		id := w.event()
		if code := w.post(id, tsunagu.StripePaymentSucceeded, saleIntent(*ts, 650)); code != 200 {
			t.Fatalf("status %d", code)
		}
		got := w.terminalSale(ts.Sale.ID)
		if got.Status != tsunagu.SaleCancelled || !strings.Contains(got.PaymentFlag, "refund") || w.eventOutcome(id) != "PAID_AFTER_CANCEL" {
			t.Errorf("paid after cancel, register closed: %+v (%s), want cancelled and flagged", got, w.eventOutcome(id))
		}
		wantLevel(t, w, w.homeShop, w.jam, 1, 0)
		w.checkLedger()
	})
}

// A sale whose PaymentIntent ID was never stored (the process stopped right after
// Stripe answered) is found by the sale ID in the event's metadata: its payment
// completes it, and the ID is stored.
func TestTerminalEventWithoutStoredIntent(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	w.pos.Payments = w.payments
	s := w.open(w.clerk, w.reg1, 0)
	ts := w.startTerminal(w.clerk, s, posLine(w.cookies, 1))
	_, err := w.db.SQL().Exec(`UPDATE sales SET payment_intent_id = NULL WHERE id = $1`, ts.Sale.ID)
	must(t, err)
	id := w.event()
	if code := w.post(id, tsunagu.StripePaymentSucceeded, saleIntent(*ts, 350)); code != 200 {
		t.Fatalf("status %d", code)
	}
	if got := w.terminalSale(ts.Sale.ID); got.Status != tsunagu.SaleCompleted || w.eventOutcome(id) != "SALE_COMPLETED" {
		t.Errorf("paid sale without its PaymentIntent ID: %+v (%s)", got, w.eventOutcome(id))
	}
	if n := w.count(`SELECT count(*) FROM sales WHERE id = $1 AND payment_intent_id = $2`, ts.Sale.ID, ts.PaymentIntentID); n != 1 {
		t.Errorf("the PaymentIntent ID was not stored")
	}
	wantLevel(t, w, w.homeShop, w.cookies, 9, 0)
	w.checkLedger()
}
