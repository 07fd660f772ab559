package postgres_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"tsunagu/internal/tsunagu"
)

// paidOrder checks out a pickup cart and pays for it.
func (w *orderWorld) paidOrder(lines []tsunagu.CheckoutLineInput) *tsunagu.Order {
	w.t.Helper()
	o := w.checkout(context.Background(), w.pickupInput(lines)).Order
	w.pay(o)
	return w.order(o.ID)
}

// Staff act only on their own shop's orders, and only in the right state; each
// refusal has its code and changes nothing.
func TestOrderFulfilmentRefused(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	paid := w.paidOrder(cart(w.homeShop, w.cookies, 1))
	unpaid := w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.cookies, 1))).Order
	cancelled := w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.cookies, 1))).Order
	_, err := w.orders.CancelOrder(w.clerk, tsunagu.CancelOrderInput{OrderID: cancelled.ID, IdempotencyKey: w.key()})
	must(t, err)
	tests := []struct {
		name string
		do   func() error
		code tsunagu.Code
	}{
		{"OtherShopsClerk", func() error {
			_, err := w.orders.MarkOrderReady(w.otherClerk, tsunagu.OrderActionInput{OrderID: paid.ID, IdempotencyKey: w.key()})
			return err
		}, tsunagu.CodeForbidden},
		{"OtherManager", func() error {
			_, err := w.orders.CompleteOrder(w.otherManager, tsunagu.OrderActionInput{OrderID: paid.ID, IdempotencyKey: w.key()})
			return err
		}, tsunagu.CodeForbidden},
		{"Customer", func() error {
			_, err := w.orders.CompleteOrder(w.shopper, tsunagu.OrderActionInput{OrderID: paid.ID, IdempotencyKey: w.key()})
			return err
		}, tsunagu.CodeForbidden},
		{"Anonymous", func() error {
			_, err := w.orders.CompleteOrder(context.Background(), tsunagu.OrderActionInput{OrderID: paid.ID, IdempotencyKey: w.key()})
			return err
		}, tsunagu.CodeUnauthenticated},
		{"UnknownOrder", func() error {
			_, err := w.orders.CompleteOrder(w.clerk, tsunagu.OrderActionInput{OrderID: 999999, IdempotencyKey: w.key()})
			return err
		}, tsunagu.CodeNotFound},
		{"CompleteUnpaid", func() error {
			_, err := w.orders.CompleteOrder(w.clerk, tsunagu.OrderActionInput{OrderID: unpaid.ID, IdempotencyKey: w.key()})
			return err
		}, tsunagu.CodeNotPaid},
		{"ShipPickup", func() error {
			_, err := w.orders.ShipOrder(w.clerk, tsunagu.ShipOrderInput{IdempotencyKey: w.key(), OrderID: paid.ID, Carrier: "日本郵便"})
			return err
		}, tsunagu.CodeInvalidState},
		{"RefundUnpaid", func() error {
			_, err := w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: unpaid.ID, IdempotencyKey: w.key()})
			return err
		}, tsunagu.CodeNotPaid},
		{"RefundCancelledUnpaid", func() error {
			_, err := w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: cancelled.ID, IdempotencyKey: w.key()})
			return err
		}, tsunagu.CodeNotPaid},
		{"OverRefund", func() error {
			_, err := w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: paid.ID, IdempotencyKey: w.key(),
				Lines: []tsunagu.RefundLineInput{{LineNumber: 1, Quantity: 2}}})
			return err
		}, tsunagu.CodeOverRefund},
		{"RefundOtherShop", func() error {
			_, err := w.orders.RefundOrder(w.otherClerk, tsunagu.RefundOrderInput{OrderID: paid.ID, IdempotencyKey: w.key()})
			return err
		}, tsunagu.CodeForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := w.snapshot()
			if err := tc.do(); tsunagu.ErrorCode(err) != tc.code {
				t.Errorf("error %v, want %s", err, tc.code)
			}
			w.unchanged(before)
		})
	}
}

// A partial refund puts the refunded units back and gives their price back; its
// retry returns the same refund; refunding the rest gives back the rest of the money
// and the order is REFUNDED.
func TestRefundOrder(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	o := w.paidOrder(cart(w.homeShop, w.cookies, 2, w.jam, 1))
	in := tsunagu.RefundOrderInput{OrderID: o.ID, IdempotencyKey: w.key(), Reason: "割れていた",
		Lines: []tsunagu.RefundLineInput{{LineNumber: 1, Quantity: 1}}}
	rf, err := w.orders.RefundOrder(w.clerk, in)
	must(t, err)
	if rf.Amount != 350 || rf.Status != tsunagu.RefundSucceeded || rf.StripeRefundID == nil {
		t.Fatalf("refund %+v", rf)
	}
	again, err := w.orders.RefundOrder(w.clerk, in)
	must(t, err)
	if again.ID != rf.ID {
		t.Errorf("retry made refund %d, want %d", again.ID, rf.ID)
	}
	if got := w.count(`SELECT count(*) FROM order_refunds WHERE order_id = $1`, o.ID); got != 1 {
		t.Errorf("%d refunds, want 1", got)
	}
	wantLevel(t, w, w.homeShop, w.cookies, 10, 1)
	wantStatus(t, w.order(o.ID), tsunagu.OrderPaid)

	rest, err := w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: o.ID, IdempotencyKey: w.key()})
	must(t, err)
	if rest.Amount != 1000 {
		t.Errorf("the rest refunded ¥%d, want ¥1,000", rest.Amount)
	}
	got := w.order(o.ID)
	wantStatus(t, got, tsunagu.OrderRefunded)
	if got.Refunded != got.Total || got.Stock != tsunagu.StockReleased {
		t.Errorf("refunded order %+v", got)
	}
	wantLevel(t, w, w.homeShop, w.cookies, 10, 0)
	wantLevel(t, w, w.homeShop, w.jam, 5, 0)
	w.checkLedger()
}

// failingRefunds makes Stripe out of reach for refunds while fail is set, and
// makes Stripe refuse them (a refund Stripe reports failed) while refuse is set.
type failingRefunds struct {
	tsunagu.Payments
	fail   atomic.Bool
	refuse atomic.Bool
	mu     sync.Mutex
	keys   []string // the idempotency key of each call
}

func (f *failingRefunds) CreateRefund(ctx context.Context, p tsunagu.RefundParams) (*tsunagu.PaymentRefund, error) {
	f.mu.Lock()
	f.keys = append(f.keys, p.IdempotencyKey)
	f.mu.Unlock()
	switch {
	case f.fail.Load():
		return nil, errors.New("stripe: connection reset")
	case f.refuse.Load():
		return &tsunagu.PaymentRefund{ID: "re_refused_" + p.IdempotencyKey, Status: "failed"}, nil
	}
	return f.Payments.CreateRefund(ctx, p)
}

// When Stripe fails, the refund stays recorded as FAILED and the shop hears so; the
// retry with the same key asks Stripe again and completes it, refunding once.
func TestRefundOrderRetry(t *testing.T) {
	t.Parallel()
	var f *failingRefunds
	w := newOrderWorldWith(t, func(p tsunagu.Payments) tsunagu.Payments {
		f = &failingRefunds{Payments: p}
		return f
	})
	o := w.paidOrder(cart(w.homeShop, w.jam, 2))
	f.fail.Store(true)
	in := tsunagu.RefundOrderInput{OrderID: o.ID, IdempotencyKey: w.key()}
	_, err := w.orders.RefundOrder(w.clerk, in)
	if tsunagu.ErrorCode(err) != tsunagu.CodePaymentsUnavailable {
		t.Fatalf("refund with Stripe down: %v, want PAYMENTS_UNAVAILABLE", err)
	}
	if got := w.count(`SELECT count(*) FROM order_refunds WHERE order_id = $1 AND status = 'FAILED' AND amount = 1300`, o.ID); got != 1 {
		t.Fatalf("%d FAILED refunds recorded, want 1", got)
	}
	f.fail.Store(false)
	rf, err := w.orders.RefundOrder(w.clerk, in)
	must(t, err)
	if rf.Status != tsunagu.RefundSucceeded {
		t.Errorf("retried refund %+v", rf)
	}
	if got := w.count(`SELECT count(*) FROM order_refunds WHERE order_id = $1`, o.ID); got != 1 {
		t.Errorf("%d refunds, want 1", got)
	}
	if len(f.keys) != 2 || f.keys[0] != f.keys[1] || f.keys[0] == "" {
		t.Errorf("Stripe asked with keys %q, want one failed call and its retry under the same key", f.keys)
	}
	w.checkLedger()
}

// Cancelling a paid order puts its stock back and refunds it in full; cancelling an
// unpaid one just releases the stock.
func TestCancelOrder(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	paid := w.paidOrder(cart(w.homeShop, w.cookies, 4))
	unpaid := w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.cookies, 1))).Order
	wantLevel(t, w, w.homeShop, w.cookies, 10, 5)
	c, err := w.orders.CancelOrder(w.clerk, tsunagu.CancelOrderInput{OrderID: paid.ID, Reason: "品切れ", IdempotencyKey: w.key()})
	must(t, err)
	wantStatus(t, c, tsunagu.OrderCancelled)
	if got := w.count(`SELECT count(*) FROM order_refunds WHERE order_id = $1 AND status = 'SUCCEEDED' AND amount = 1400`, paid.ID); got != 1 {
		t.Errorf("%d full refunds, want 1", got)
	}
	_, err = w.orders.CancelOrder(w.manager, tsunagu.CancelOrderInput{OrderID: unpaid.ID, IdempotencyKey: w.key()})
	must(t, err)
	if got := w.count(`SELECT count(*) FROM order_refunds WHERE order_id = $1`, unpaid.ID); got != 0 {
		t.Errorf("%d refunds of an unpaid order", got)
	}
	wantLevel(t, w, w.homeShop, w.cookies, 10, 0)
	before := w.snapshot()
	_, err = w.orders.CancelOrder(w.clerk, tsunagu.CancelOrderInput{OrderID: paid.ID, IdempotencyKey: w.key()})
	if tsunagu.ErrorCode(err) != tsunagu.CodeInvalidState {
		t.Errorf("cancelling twice: %v, want INVALID_STATE", err)
	}
	w.unchanged(before)
	w.checkLedger()
}
