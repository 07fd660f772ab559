package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"tsunagu/internal/tsunagu"
)

// saleIntent is the PaymentIntent object of a Terminal sale's event.
func saleIntent(t tsunagu.TerminalSale, amount int64) map[string]any {
	return map[string]any{"id": t.PaymentIntentID, "object": "payment_intent", "amount": amount, "currency": "jpy",
		"metadata": map[string]any{"sale_id": fmt.Sprint(t.Sale.ID)}}
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

	failed, err := w.pos.CreateTerminalSale(w.clerk, tsunagu.CreateTerminalSaleInput{SessionID: s.ID,
		Lines: []tsunagu.SaleLineInput{posLine(w.jam, 1)}, IdempotencyKey: w.key()})
	must(t, err)
	wantLevel(t, w, w.homeShop, w.jam, 5, 1)
	before = w.snapshot()
	_, err = w.pos.CloseRegisterSession(w.clerk, tsunagu.CloseSessionInput{SessionID: s.ID, CountedCash: posPtr(int64(10000))})
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
	pi.ID, pi.Status, pi.Amount, pi.Currency = id, "succeeded", 1200, "jpy"
	return pi, nil
}

// The POS app asks the server to check a Terminal payment whose event is late.
func TestConfirmTerminalSale(t *testing.T) {
	t.Parallel()
	w := newOrderWorldWith(t, func(p tsunagu.Payments) tsunagu.Payments { return confirmedIntents{p} })
	w.pos.Payments = w.payments
	s := w.open(w.otherClerk, w.partnerReg, 0)
	ts, err := w.pos.CreateTerminalSale(w.otherClerk, tsunagu.CreateTerminalSaleInput{SessionID: s.ID,
		Lines: []tsunagu.SaleLineInput{posLine(w.spoon, 1)}, IdempotencyKey: w.key()})
	must(t, err)
	before := w.snapshot()
	_, err = w.pos.ConfirmTerminalSale(w.clerk, ts.Sale.ID)
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
