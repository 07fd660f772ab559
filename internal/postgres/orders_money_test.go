package postgres_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"tsunagu/internal/stripemock"
	"tsunagu/internal/tsunagu"
)

// fakePayments is stripe-mock with the answers a test needs in place of Stripe's:
// each hook, when set, replaces the call; every call is recorded.
type fakePayments struct {
	tsunagu.Payments
	mu             sync.Mutex
	createIntent   func(ctx context.Context, p tsunagu.PaymentIntentParams) (*tsunagu.PaymentIntent, error)
	createRefund   func(p tsunagu.RefundParams) (*tsunagu.PaymentRefund, error)
	retrieveRefund func(id string) (*tsunagu.PaymentRefund, error)
	intentCalls    int
	refundKeys     []string
	retrieved      []string
	cancelled      []string
}

func (f *fakePayments) CreatePaymentIntent(ctx context.Context, p tsunagu.PaymentIntentParams) (*tsunagu.PaymentIntent, error) {
	f.mu.Lock()
	f.intentCalls++
	hook := f.createIntent
	f.mu.Unlock()
	if hook != nil {
		return hook(ctx, p)
	}
	return f.Payments.CreatePaymentIntent(ctx, p)
}

func (f *fakePayments) CancelPaymentIntent(ctx context.Context, id string) (*tsunagu.PaymentIntent, error) {
	f.mu.Lock()
	f.cancelled = append(f.cancelled, id)
	f.mu.Unlock()
	return f.Payments.CancelPaymentIntent(ctx, id)
}

func (f *fakePayments) CreateRefund(ctx context.Context, p tsunagu.RefundParams) (*tsunagu.PaymentRefund, error) {
	f.mu.Lock()
	f.refundKeys = append(f.refundKeys, p.IdempotencyKey)
	hook := f.createRefund
	f.mu.Unlock()
	if hook != nil {
		return hook(p)
	}
	return f.Payments.CreateRefund(ctx, p)
}

func (f *fakePayments) RetrieveRefund(ctx context.Context, id string) (*tsunagu.PaymentRefund, error) {
	f.mu.Lock()
	f.retrieved = append(f.retrieved, id)
	hook := f.retrieveRefund
	f.mu.Unlock()
	if hook != nil {
		return hook(id)
	}
	return f.Payments.RetrieveRefund(ctx, id)
}

func (f *fakePayments) set(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn()
}

func newFakeOrderWorld(t *testing.T) (*orderWorld, *fakePayments) {
	var f *fakePayments
	w := newOrderWorldWith(t, func(p tsunagu.Payments) tsunagu.Payments {
		f = &fakePayments{Payments: p}
		return f
	})
	return w, f
}

// refunds returns the order's refunds, oldest first.
func (w *orderWorld) refunds(id tsunagu.OrderID) []*tsunagu.OrderRefund {
	w.t.Helper()
	rs, err := w.orders.OrderRefunds(w.admin, []tsunagu.OrderID{id})
	must(w.t, err)
	return rs[id]
}

// A payment Stripe takes for an order that will not take it is recorded as
// captured, flagged and refunded in full, automatically: after a staff
// cancellation (the order stays cancelled, with its reason), after expiry when the
// goods are gone, and for another amount. Only an order cancelled by expiry whose
// goods are still there is taken up again.
func TestFlaggedPaymentRefunded(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	wantRefunded := func(t *testing.T, o *tsunagu.Order, captured int64) {
		t.Helper()
		if o.PaymentFlag == "" || o.Captured != captured || o.Refunded != captured || o.PaidAt != nil {
			t.Errorf("flagged order %+v", o)
		}
		rs := w.refunds(o.ID)
		if len(rs) != 1 || rs[0].Amount != captured || rs[0].Status != tsunagu.RefundSucceeded || rs[0].StripeRefundID == nil {
			t.Fatalf("refunds %+v, want one SUCCEEDED of ¥%d", rs, captured)
		}
		if got := w.count(`SELECT count(*) FROM order_refund_lines WHERE refund_id = $1`, rs[0].ID); got != 0 {
			t.Errorf("%d refund lines for a payment that sold nothing", got)
		}
		if got := w.count(`SELECT count(*) FROM notifications WHERE order_id = $1 AND kind = 'ORDER_REFUNDED'`, o.ID); got != 1 {
			t.Errorf("%d ORDER_REFUNDED notifications, want 1", got)
		}
	}

	t.Run("AfterStaffCancel", func(t *testing.T) {
		o := w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.cookies, 2))).Order
		_, err := w.orders.CancelOrder(w.clerk, tsunagu.CancelOrderInput{OrderID: o.ID, Reason: "お客様の依頼", IdempotencyKey: w.key()})
		must(t, err)
		_, reserved := w.level(w.homeShop, w.cookies)
		w.pay(o)
		got := w.order(o.ID)
		wantStatus(t, got, tsunagu.OrderCancelled)
		if got.CancelReason != "お客様の依頼" || got.CancelledBy != tsunagu.CancelledByStaff || got.Stock != tsunagu.StockReleased {
			t.Errorf("a staff cancellation was undone: %+v", got)
		}
		if _, r := w.level(w.homeShop, w.cookies); r != reserved {
			t.Errorf("reserved %d, want %d: the goods were taken again", r, reserved)
		}
		wantRefunded(t, got, 700)
		// Nothing is left for staff to refund; the refusal changes nothing.
		before := w.snapshot()
		_, err = w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: o.ID, IdempotencyKey: w.key()})
		if tsunagu.ErrorCode(err) != tsunagu.CodeOverRefund {
			t.Errorf("refunding again: %v, want OVER_REFUND", err)
		}
		w.unchanged(before)
	})
	t.Run("AfterExpiryGoodsGone", func(t *testing.T) {
		gone := w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.jam, 5))).Order
		_, err := w.orders.ReleaseExpired(context.Background(), time.Now().Add(time.Hour), 100)
		must(t, err)
		if got := w.order(gone.ID); got.CancelledBy != tsunagu.CancelledByExpiry {
			t.Errorf("expired order cancelled by %q", got.CancelledBy)
		}
		w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.jam, 5)))
		w.pay(gone)
		got := w.order(gone.ID)
		wantStatus(t, got, tsunagu.OrderCancelled)
		wantRefunded(t, got, 3250)
		wantLevel(t, w, w.homeShop, w.jam, 5, 5)
	})
	t.Run("AfterExpiryGoodsThere", func(t *testing.T) {
		late := w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.cookies, 1))).Order
		_, err := w.orders.ReleaseExpired(context.Background(), time.Now().Add(time.Hour), 100)
		must(t, err)
		w.pay(late)
		got := w.order(late.ID)
		wantStatus(t, got, tsunagu.OrderPaid)
		if got.Captured != 350 || got.CancelReason != "" || got.CancelledBy != "" || len(w.refunds(late.ID)) != 0 {
			t.Errorf("revived order %+v", got)
		}
	})
	t.Run("AmountReceivedShort", func(t *testing.T) {
		// The PaymentIntent's amount fits, but Stripe received less: what counts is
		// what was received.
		o := w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.cookies, 1))).Order
		pi := stripemock.PaymentIntent(*o.PaymentIntentID, o.Total, "jpy", int64(o.ID), "succeeded")
		pi["amount_received"] = int64(300)
		if code := w.post(w.event(), tsunagu.StripePaymentSucceeded, pi); code != http.StatusOK {
			t.Fatalf("webhook answered %d", code)
		}
		got := w.order(o.ID)
		wantStatus(t, got, tsunagu.OrderPendingPayment)
		wantRefunded(t, got, 300)
	})
	w.checkLedger()
}

// When Stripe is down as the webhook refunds a flagged payment, the event is still
// applied (200) and the refund recorded FAILED; the refund retrier then sends it
// under the same Stripe idempotency key, once.
func TestFlaggedRefundRetried(t *testing.T) {
	t.Parallel()
	w, f := newFakeOrderWorld(t)
	o := w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.jam, 1))).Order
	_, err := w.orders.CancelOrder(w.clerk, tsunagu.CancelOrderInput{OrderID: o.ID, IdempotencyKey: w.key()})
	must(t, err)
	f.set(func() {
		f.createRefund = func(tsunagu.RefundParams) (*tsunagu.PaymentRefund, error) { return nil, errors.New("stripe: timeout") }
	})
	w.pay(o)
	rs := w.refunds(o.ID)
	if len(rs) != 1 || rs[0].Status != tsunagu.RefundFailed || rs[0].Amount != 650 {
		t.Fatalf("refunds %+v, want one FAILED of ¥650", rs)
	}
	f.set(func() { f.createRefund = nil })
	n, err := w.orders.RetryRefunds(context.Background(), time.Now(), 100)
	must(t, err)
	if n != 1 {
		t.Errorf("retried %d refunds, want 1", n)
	}
	if rs := w.refunds(o.ID); rs[0].Status != tsunagu.RefundSucceeded {
		t.Errorf("retried refund %+v", rs[0])
	}
	if len(f.refundKeys) != 2 || f.refundKeys[0] != f.refundKeys[1] {
		t.Errorf("Stripe asked with keys %q, want the same key twice", f.refundKeys)
	}
	if n, _ := w.orders.RetryRefunds(context.Background(), time.Now(), 100); n != 0 {
		t.Errorf("retried %d settled refunds", n)
	}
	w.checkLedger()
}

// A checkout whose PaymentIntent could not be created leaves no order holding
// stock: the order is cancelled by PAYMENT, its reservation released, and a retry
// with the same key, once Stripe is back, checks out afresh. If the sweeper cancels
// the order while its checkout is at Stripe, the new PaymentIntent is cancelled and
// not stored, and the answer is ORDER_EXPIRED.
func TestCheckoutStripeDown(t *testing.T) {
	t.Parallel()
	w, f := newFakeOrderWorld(t)
	down := func(context.Context, tsunagu.PaymentIntentParams) (*tsunagu.PaymentIntent, error) {
		return nil, errors.New("stripe: connection refused")
	}

	t.Run("CancelledWhileAtStripe", func(t *testing.T) {
		f.set(func() {
			f.createIntent = func(ctx context.Context, p tsunagu.PaymentIntentParams) (*tsunagu.PaymentIntent, error) {
				if _, err := w.orders.ReleaseExpired(context.Background(), time.Now().Add(time.Hour), 100); err != nil {
					return nil, err
				}
				return f.Payments.CreatePaymentIntent(ctx, p)
			}
		})
		_, err := w.orders.Checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.jam, 1)))
		if tsunagu.ErrorCode(err) != tsunagu.CodeOrderExpired {
			t.Errorf("checkout racing the sweeper: %v, want ORDER_EXPIRED", err)
		}
		if got := w.count(`SELECT count(*) FROM orders WHERE status = 'CANCELLED' AND (payment_intent_id IS NOT NULL OR client_secret IS NOT NULL)`); got != 0 {
			t.Errorf("%d cancelled orders got a PaymentIntent", got)
		}
		if len(f.cancelled) != 1 {
			t.Errorf("Stripe cancelled %q, want the new PaymentIntent", f.cancelled)
		}
		f.set(func() { f.createIntent = nil })
	})
	t.Run("NothingHeld", func(t *testing.T) {
		f.set(func() { f.createIntent = down })
		in := w.pickupInput(cart(w.homeShop, w.cookies, 2))
		_, err := w.orders.Checkout(context.Background(), in)
		if tsunagu.ErrorCode(err) != tsunagu.CodePaymentsUnavailable {
			t.Fatalf("checkout with Stripe down: %v", err)
		}
		wantLevel(t, w, w.homeShop, w.cookies, 10, 0)
		if got := w.count(`SELECT count(*) FROM orders WHERE status = 'CANCELLED' AND cancelled_by = 'PAYMENT' AND stock = 'RELEASED'`); got != 1 {
			t.Errorf("%d orders cancelled by PAYMENT, want 1", got)
		}
		f.set(func() { f.createIntent = nil })
		co := w.checkout(context.Background(), in)
		if co.Order.Status != tsunagu.OrderPendingPayment || co.Order.PaymentIntentID == nil || co.ClientSecret == "" {
			t.Errorf("retry once Stripe is back: %+v", co.Order)
		}
		wantLevel(t, w, w.homeShop, w.cookies, 10, 2)
		again := w.checkout(context.Background(), in)
		if again.Order.ID != co.Order.ID {
			t.Errorf("a replay of the retry gave order %d, want %d", again.Order.ID, co.Order.ID)
		}
	})
	wantLevel(t, w, w.homeShop, w.jam, 5, 0)
	w.checkLedger()
}

// A refund Stripe reports pending stays PENDING until the retrier reads it settled;
// one Stripe reports failed is FAILED with the reason.
func TestRefundStatusFromStripe(t *testing.T) {
	t.Parallel()
	w, f := newFakeOrderWorld(t)
	o := w.paidOrder(cart(w.homeShop, w.cookies, 2))
	f.set(func() {
		f.createRefund = func(tsunagu.RefundParams) (*tsunagu.PaymentRefund, error) {
			return &tsunagu.PaymentRefund{ID: "re_pending", Status: "pending"}, nil
		}
	})
	rf, err := w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: o.ID, IdempotencyKey: w.key(),
		Lines: []tsunagu.RefundLineInput{{LineNumber: 1, Quantity: 1}}})
	must(t, err)
	if rf.Status != tsunagu.RefundPending || rf.StripeRefundID == nil || *rf.StripeRefundID != "re_pending" {
		t.Fatalf("refund %+v, want PENDING re_pending", rf)
	}
	f.set(func() {
		f.retrieveRefund = func(id string) (*tsunagu.PaymentRefund, error) {
			return &tsunagu.PaymentRefund{ID: id, Status: "succeeded"}, nil
		}
		f.createRefund = func(tsunagu.RefundParams) (*tsunagu.PaymentRefund, error) {
			return &tsunagu.PaymentRefund{ID: "re_failed", Status: "failed"}, nil
		}
	})
	_, err = w.orders.RetryRefunds(context.Background(), time.Now(), 100)
	must(t, err)
	if rs := w.refunds(o.ID); rs[0].Status != tsunagu.RefundSucceeded || len(f.retrieved) != 1 {
		t.Errorf("pending refund after the retrier: %+v (read %q)", rs[0], f.retrieved)
	}
	_, err = w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: o.ID, IdempotencyKey: w.key()})
	if tsunagu.ErrorCode(err) != tsunagu.CodePaymentsUnavailable {
		t.Errorf("refund Stripe failed: %v, want PAYMENTS_UNAVAILABLE", err)
	}
	rs := w.refunds(o.ID)
	if len(rs) != 2 || rs[1].Status != tsunagu.RefundFailed || rs[1].Error == "" {
		t.Errorf("refunds %+v, want the second FAILED with its reason", rs)
	}
	w.checkLedger()
}

// A paid order cancelled while Stripe is down keeps its FAILED refund although the
// order, now CANCELLED, takes no retry of the staff action: the retrier sends it,
// under the refund's own key, once; refunds Stripe failed are left for staff.
func TestRefundRetrierAfterCancel(t *testing.T) {
	t.Parallel()
	w, f := newFakeOrderWorld(t)
	o := w.paidOrder(cart(w.homeShop, w.cookies, 3))
	f.set(func() {
		f.createRefund = func(tsunagu.RefundParams) (*tsunagu.PaymentRefund, error) { return nil, errors.New("stripe: 503") }
	})
	_, err := w.orders.CancelOrder(w.clerk, tsunagu.CancelOrderInput{OrderID: o.ID, IdempotencyKey: w.key()})
	if tsunagu.ErrorCode(err) != tsunagu.CodePaymentsUnavailable {
		t.Fatalf("cancel with Stripe down: %v, want PAYMENTS_UNAVAILABLE", err)
	}
	wantStatus(t, w.order(o.ID), tsunagu.OrderCancelled)
	// Not yet due: a refund just tried rests before the retrier takes it.
	if n, err := w.orders.RetryRefunds(context.Background(), time.Now().Add(-time.Minute), 100); err != nil || n != 0 {
		t.Errorf("retried %d refunds (%v) tried a moment ago", n, err)
	}
	f.set(func() { f.createRefund = nil })
	n, err := w.orders.RetryRefunds(context.Background(), time.Now(), 100)
	must(t, err)
	rs := w.refunds(o.ID)
	if n != 1 || len(rs) != 1 || rs[0].Status != tsunagu.RefundSucceeded || rs[0].Amount != 1050 || rs[0].Error != "" {
		t.Errorf("retried %d; refunds %+v", n, rs)
	}
	if len(f.refundKeys) != 2 || f.refundKeys[0] != f.refundKeys[1] {
		t.Errorf("Stripe asked with keys %q, want the same key twice", f.refundKeys)
	}
	got := w.order(o.ID)
	if got.Refunded != 1050 || got.Captured != 1050 {
		t.Errorf("order %+v", got)
	}

	// A refund Stripe itself failed is not sent again and again.
	o2 := w.paidOrder(cart(w.homeShop, w.jam, 1))
	f.set(func() {
		f.createRefund = func(tsunagu.RefundParams) (*tsunagu.PaymentRefund, error) {
			return &tsunagu.PaymentRefund{ID: "re_failed", Status: "failed"}, nil
		}
	})
	_, err = w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: o2.ID, IdempotencyKey: w.key()})
	if tsunagu.ErrorCode(err) != tsunagu.CodePaymentsUnavailable {
		t.Fatalf("refund Stripe failed: %v", err)
	}
	calls := len(f.refundKeys)
	if n, err := w.orders.RetryRefunds(context.Background(), time.Now(), 100); err != nil || n != 0 || len(f.refundKeys) != calls {
		t.Errorf("retrier sent %d refunds Stripe failed (%v)", n, err)
	}
	w.checkLedger()
}
