package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/postgres"
	"tsunagu/internal/stripe"
	"tsunagu/internal/stripemock"
	"tsunagu/internal/tsunagu"
)

const webhookSecret = "whsec_tsunagu_test"

// orderWorld is a POS world taking online orders paid through stripe-mock: the home
// shop delivers for ¥800, free from ¥5,000, and has cookies (¥350, 8%) and jam (¥650,
// 8%) on the shelf; the spoon (¥1,200, 10%) is at the partner shop.
type orderWorld struct {
	*posWorld
	orders   *postgres.OrderService
	payments tsunagu.Payments
	webhook  http.Handler
	events   atomic.Int64
	// shopper is a signed-in customer.
	shopper context.Context
}

func newOrderWorld(t testing.TB) *orderWorld {
	t.Helper()
	return newOrderWorldWith(t, func(p tsunagu.Payments) tsunagu.Payments { return p })
}

// newOrderWorldWith lets a test wrap the Stripe client (to make it fail).
func newOrderWorldWith(t testing.TB, wrap func(tsunagu.Payments) tsunagu.Payments) *orderWorld {
	t.Helper()
	p := newPOSWorld(t)
	w := &orderWorld{posWorld: p}
	w.payments = wrap(stripe.New("sk_test_tsunagu", stripemock.URL(t)))
	w.orders = postgres.NewOrderService(p.db, w.payments)
	w.webhook = &stripe.WebhookHandler{Secret: webhookSecret, Orders: w.orders,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	_, err := p.db.SQL().Exec(`UPDATE shops SET shipping_fee = 800, free_shipping_above = 5000 WHERE location_id = $1`, p.homeShop.ID)
	must(t, err)
	p.stock(p.homeShop, p.cookies, 10)
	p.stock(p.homeShop, p.jam, 5)
	p.stock(p.partnerShop, p.spoon, 3)
	w.shopper = w.signedUp(tsunagu.SignUpInput{Email: "Shopper@Example.JP", Password: "a long enough password", Name: "買い物客"})
	return w
}

// signedUp signs a shopper up with in, confirms the address with the link in the
// outbox and returns a context signed in as the shopper.
func (w *world) signedUp(in tsunagu.SignUpInput) context.Context {
	w.t.Helper()
	ctx := context.Background()
	must(w.t, w.auth.SignUp(ctx, in))
	s, err := w.auth.VerifyEmail(ctx, tsunagu.VerifyEmailInput{Token: w.verificationToken(strings.ToLower(in.Email)), Password: in.Password})
	must(w.t, err)
	return tsunagu.WithUser(ctx, s.User, s.Token)
}

// verificationToken reads the token of the last verification link to email from the outbox.
func (w *world) verificationToken(email string) string {
	return w.mailedToken("EMAIL_VERIFICATION", email)
}

func cart(shop *tsunagu.Location, items ...any) []tsunagu.CheckoutLineInput {
	var lines []tsunagu.CheckoutLineInput
	for i := 0; i < len(items); i += 2 {
		lines = append(lines, tsunagu.CheckoutLineInput{ShopID: shop.ID, ProductID: items[i].(*tsunagu.Product).ID, Quantity: items[i+1].(int)})
	}
	return lines
}

func (w *orderWorld) pickupInput(lines []tsunagu.CheckoutLineInput) tsunagu.CheckoutInput {
	key := w.key()
	// An address of its own per checkout: one address may hold only
	// tsunagu.MaxUnpaidOrders unpaid orders.
	return tsunagu.CheckoutInput{Contact: tsunagu.OrderContact{Email: "hanako+" + key + "@example.jp", Name: "山田花子", Phone: "03-1234-5678"},
		Lines: lines, Fulfilment: tsunagu.FulfilPickup, IdempotencyKey: key}
}

func (w *orderWorld) checkout(ctx context.Context, in tsunagu.CheckoutInput) *tsunagu.Checkout {
	w.t.Helper()
	co, err := w.orders.Checkout(ctx, in)
	must(w.t, err)
	return co
}

// post posts a signed event about object to the webhook and returns the HTTP status.
func (w *orderWorld) post(id, typ string, object map[string]any) int {
	w.t.Helper()
	body, sig := stripemock.Event(id, typ, object, webhookSecret, time.Now())
	req := httptest.NewRequest("POST", "/webhooks/stripe", bytes.NewReader(body))
	req.Header.Set("Stripe-Signature", sig)
	rec := httptest.NewRecorder()
	w.webhook.ServeHTTP(rec, req)
	return rec.Code
}

// deliver posts a signed event about the order's PaymentIntent to the webhook and
// returns the HTTP status.
func (w *orderWorld) deliver(id, typ string, o *tsunagu.Order, amount int64, currency string, at time.Time, secret string) int {
	w.t.Helper()
	body, sig := stripemock.Event(id, typ, stripemock.PaymentIntent(*o.PaymentIntentID, amount, currency, int64(o.ID), "succeeded"), secret, at)
	req := httptest.NewRequest("POST", "/webhooks/stripe", bytes.NewReader(body))
	req.Header.Set("Stripe-Signature", sig)
	rec := httptest.NewRecorder()
	w.webhook.ServeHTTP(rec, req)
	return rec.Code
}

func (w *orderWorld) event() string { return fmt.Sprintf("evt_test_%d", w.events.Add(1)) }

// pay delivers a payment_intent.succeeded event for the whole order.
func (w *orderWorld) pay(o *tsunagu.Order) {
	w.t.Helper()
	if code := w.deliver(w.event(), tsunagu.StripePaymentSucceeded, o, o.Total, "jpy", time.Now(), webhookSecret); code != http.StatusOK {
		w.t.Fatalf("webhook answered %d", code)
	}
}

func (w *orderWorld) order(id tsunagu.OrderID) *tsunagu.Order {
	w.t.Helper()
	os, err := w.orders.OrdersByID(w.admin, []tsunagu.OrderID{id})
	must(w.t, err)
	if os[id] == nil {
		w.t.Fatalf("order %d not found", id)
	}
	return os[id]
}

// level is the stock on hand and reserved of pr at loc.
func (w *orderWorld) level(loc *tsunagu.Location, pr *tsunagu.Product) (onHand, reserved int) {
	w.t.Helper()
	err := w.db.SQL().QueryRow(`SELECT coalesce(max(on_hand), 0), coalesce(max(reserved), 0) FROM stock_levels
		WHERE product_id = $1 AND location_id = $2`, pr.ID, loc.ID).Scan(&onHand, &reserved)
	must(w.t, err)
	return onHand, reserved
}

func (w *orderWorld) count(query string, args ...any) int {
	w.t.Helper()
	var n int
	must(w.t, w.db.SQL().QueryRow(query, args...).Scan(&n))
	return n
}

func wantLevel(t *testing.T, w *orderWorld, loc *tsunagu.Location, pr *tsunagu.Product, onHand, reserved int) {
	t.Helper()
	if h, r := w.level(loc, pr); h != onHand || r != reserved {
		t.Errorf("product %d: on hand %d, reserved %d; want %d, %d", pr.ID, h, r, onHand, reserved)
	}
}

func wantStatus(t *testing.T, o *tsunagu.Order, s tsunagu.OrderStatus) {
	t.Helper()
	if o.Status != s {
		t.Fatalf("order %d is %s, want %s", o.ID, o.Status, s)
	}
}

// A guest orders for pickup, pays through Stripe (a signed succeeded event), the
// clerk puts the goods out and hands them over: the stock is reserved, committed and
// then leaves the shop through the ledger, owned by the facility.
func TestOrderPickup(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	co := w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.cookies, 2, w.jam, 1)))
	o := co.Order
	wantStatus(t, o, tsunagu.OrderPendingPayment)
	if o.Total != 1350 || o.ShippingFee != 0 || o.PaymentIntentID == nil || co.ClientSecret == "" || len(co.Token) < 40 {
		t.Fatalf("checkout %+v, order %+v", co, o)
	}
	wantLevel(t, w, w.homeShop, w.cookies, 10, 2)
	// The order's own lines, as stored, make its taxes: the home facility is not a
	// registered issuer, so its goods are totalled apart as non-qualifying.
	lines, err := w.orders.OrderLines(w.admin, []tsunagu.OrderID{o.ID})
	must(t, err)
	q, nq := tsunagu.OrderTaxes(lines[o.ID], o.ShippingFee, o.Rounding)
	wantTaxes := []tsunagu.RateTotal{{Class: tsunagu.TaxReduced8, Rate: 8, Total: 1350, Tax: 100}}
	if d := cmp.Diff(wantTaxes, nq); d != "" || len(q) != 0 || len(lines[o.ID]) != 2 {
		t.Errorf("the order's non-qualifying taxes (-want +got):\n%s\nqualifying %+v", d, q)
	}

	byToken, err := w.orders.OrderByToken(context.Background(), co.Token)
	must(t, err)
	if byToken.ID != o.ID {
		t.Errorf("token opens order %d, want %d", byToken.ID, o.ID)
	}

	_, err = w.orders.CompleteOrder(w.clerk, tsunagu.OrderActionInput{OrderID: o.ID, IdempotencyKey: w.key()})
	if tsunagu.ErrorCode(err) != tsunagu.CodeNotPaid {
		t.Fatalf("completing an unpaid order: %v, want NOT_PAID", err)
	}

	w.pay(o)
	paid := w.order(o.ID)
	wantStatus(t, paid, tsunagu.OrderPaid)
	if paid.Stock != tsunagu.StockCommitted || paid.PaidAt == nil {
		t.Errorf("paid order %+v", paid)
	}
	// Expiry no longer touches a paid order.
	n, err := w.orders.ReleaseExpired(context.Background(), time.Now().Add(time.Hour), 100)
	must(t, err)
	if n != 0 {
		t.Errorf("released %d paid orders", n)
	}

	ready, err := w.orders.MarkOrderReady(w.clerk, tsunagu.OrderActionInput{OrderID: o.ID, IdempotencyKey: w.key()})
	must(t, err)
	wantStatus(t, ready, tsunagu.OrderReady)
	if got := w.count(`SELECT count(*) FROM notifications WHERE order_id = $1 AND kind = 'ORDER_READY' AND recipient = $2`, o.ID, o.Email); got != 1 {
		t.Errorf("%d ORDER_READY notifications, want 1", got)
	}
	complete := tsunagu.OrderActionInput{OrderID: o.ID, IdempotencyKey: w.key()}
	done, err := w.orders.CompleteOrder(w.clerk, complete)
	must(t, err)
	wantStatus(t, done, tsunagu.OrderCompleted)
	again, err := w.orders.CompleteOrder(w.clerk, complete) // a retry: the same result, no stock moves
	must(t, err)
	wantStatus(t, again, tsunagu.OrderCompleted)
	wantLevel(t, w, w.homeShop, w.cookies, 8, 0)
	wantLevel(t, w, w.homeShop, w.jam, 4, 0)
	if got := w.count(`SELECT count(*) FROM stock_movements WHERE document_type = 'ORDER' AND document_id = $1
		AND reason = 'ORDER_FULFILLED' AND owner_facility_id = $2`, o.ID, w.homeFac.ID); got != 4 {
		t.Errorf("%d ORDER_FULFILLED movements owned by the facility, want 4", got)
	}
	w.checkLedger()
}

// A signed-in customer orders for delivery below the free-shipping amount: the fee is
// added and taxed at 10%; shipping takes the stock out, completion records delivery.
func TestOrderDelivery(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	in := w.pickupInput(cart(w.homeShop, w.cookies, 2))
	in.Fulfilment = tsunagu.FulfilDelivery
	in.ShippingAddress = &tsunagu.ShippingAddress{PostalCode: "〒１０５－００１１", Address: "東京都港区芝公園1-5-25"}
	co := w.checkout(w.shopper, in)
	o := co.Order
	if o.Subtotal != 700 || o.ShippingFee != 800 || o.Total != 1500 || o.PostalCode != "105-0011" || o.CustomerID == nil {
		t.Fatalf("order %+v", o)
	}
	mine, err := w.orders.Orders(w.shopper, tsunagu.OrderFilter{}, tsunagu.PageArgs{})
	must(t, err)
	if len(mine.Items) != 1 || mine.Items[0].ID != o.ID {
		t.Errorf("the customer's orders: %+v", mine.Items)
	}
	// The shipping fee is the shop's own service: qualifying, at 10%, apart from
	// the unregistered facility's goods.
	lines, err := w.orders.OrderLines(w.admin, []tsunagu.OrderID{o.ID})
	must(t, err)
	q, nq := tsunagu.OrderTaxes(lines[o.ID], o.ShippingFee, o.Rounding)
	if d := cmp.Diff([]tsunagu.RateTotal{{Class: tsunagu.TaxStandard10, Rate: 10, Total: 800, Tax: 72}}, q); d != "" {
		t.Errorf("qualifying taxes (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]tsunagu.RateTotal{{Class: tsunagu.TaxReduced8, Rate: 8, Total: 700, Tax: 51}}, nq); d != "" {
		t.Errorf("non-qualifying taxes (-want +got):\n%s", d)
	}
	w.pay(o)
	_, err = w.orders.MarkOrderReady(w.clerk, tsunagu.OrderActionInput{OrderID: o.ID, IdempotencyKey: w.key()})
	if tsunagu.ErrorCode(err) != tsunagu.CodeInvalidState {
		t.Errorf("marking a delivery ready: %v, want INVALID_STATE", err)
	}
	shipped, err := w.orders.ShipOrder(w.clerk, tsunagu.ShipOrderInput{IdempotencyKey: w.key(), OrderID: o.ID, Carrier: "ヤマト運輸", TrackingNumber: "1234-5678-9012"})
	must(t, err)
	wantStatus(t, shipped, tsunagu.OrderShipped)
	wantLevel(t, w, w.homeShop, w.cookies, 8, 0)
	done, err := w.orders.CompleteOrder(w.clerk, tsunagu.OrderActionInput{OrderID: o.ID, IdempotencyKey: w.key()})
	must(t, err)
	wantStatus(t, done, tsunagu.OrderCompleted)
	wantLevel(t, w, w.homeShop, w.cookies, 8, 0)

	page, err := w.orders.Orders(w.clerk, tsunagu.OrderFilter{Status: &done.Status}, tsunagu.PageArgs{First: 1})
	must(t, err)
	if len(page.Items) != 1 || page.Items[0].ID != o.ID {
		t.Errorf("the shop's completed orders: %+v", page.Items)
	}
	other, err := w.orders.Orders(w.otherClerk, tsunagu.OrderFilter{}, tsunagu.PageArgs{})
	must(t, err)
	if len(other.Items) != 0 {
		t.Errorf("another shop's clerk sees %d orders", len(other.Items))
	}
	w.checkLedger()
}

// Webhook events are verified, applied once, and harmless when late, repeated, about
// no order of ours, or of the wrong amount.
func TestOrderWebhook(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	newOrder := func() *tsunagu.Order {
		return w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.cookies, 1))).Order
	}
	refused := func(t *testing.T, status int, before string) {
		t.Helper()
		if status != http.StatusBadRequest {
			t.Errorf("status %d, want 400", status)
		}
		w.unchanged(before)
	}

	t.Run("BadSignature", func(t *testing.T) {
		o := newOrder()
		before := w.snapshot()
		refused(t, w.deliver(w.event(), tsunagu.StripePaymentSucceeded, o, o.Total, "jpy", time.Now(), "whsec_wrong"), before)
	})
	t.Run("StaleTimestamp", func(t *testing.T) {
		o := newOrder()
		before := w.snapshot()
		refused(t, w.deliver(w.event(), tsunagu.StripePaymentSucceeded, o, o.Total, "jpy", time.Now().Add(-6*time.Minute), webhookSecret), before)
	})
	t.Run("Replayed", func(t *testing.T) {
		o := newOrder()
		id := w.event()
		if code := w.deliver(id, tsunagu.StripePaymentSucceeded, o, o.Total, "jpy", time.Now(), webhookSecret); code != 200 {
			t.Fatalf("status %d", code)
		}
		wantStatus(t, w.order(o.ID), tsunagu.OrderPaid)
		before := w.snapshot()
		if code := w.deliver(id, tsunagu.StripePaymentSucceeded, o, o.Total, "jpy", time.Now(), webhookSecret); code != 200 {
			t.Fatalf("status %d", code)
		}
		w.unchanged(before)
	})
	t.Run("LateFailure", func(t *testing.T) {
		o := newOrder()
		w.pay(o)
		if code := w.deliver(w.event(), tsunagu.StripePaymentFailed, o, o.Total, "jpy", time.Now(), webhookSecret); code != 200 {
			t.Fatalf("status %d", code)
		}
		wantStatus(t, w.order(o.ID), tsunagu.OrderPaid)
	})
	t.Run("FailureThenSuccess", func(t *testing.T) {
		o := newOrder()
		w.deliver(w.event(), tsunagu.StripePaymentFailed, o, o.Total, "jpy", time.Now(), webhookSecret)
		got := w.order(o.ID)
		wantStatus(t, got, tsunagu.OrderPendingPayment)
		if got.LastPaymentError == "" {
			t.Error("no payment error recorded")
		}
		w.pay(o)
		wantStatus(t, w.order(o.ID), tsunagu.OrderPaid)
	})
	t.Run("Canceled", func(t *testing.T) {
		o := newOrder()
		_, reserved := w.level(w.homeShop, w.cookies)
		w.deliver(w.event(), tsunagu.StripePaymentCanceled, o, o.Total, "jpy", time.Now(), webhookSecret)
		wantStatus(t, w.order(o.ID), tsunagu.OrderCancelled)
		if _, r := w.level(w.homeShop, w.cookies); r != reserved-1 {
			t.Errorf("reserved %d, want %d", r, reserved-1)
		}
	})
	t.Run("UnknownOrder", func(t *testing.T) {
		o := newOrder()
		ghost := &tsunagu.Order{ID: o.ID + 1000, PaymentIntentID: ptrTo("pi_not_ours")}
		before := w.snapshot()
		if code := w.deliver(w.event(), tsunagu.StripePaymentSucceeded, ghost, 350, "jpy", time.Now(), webhookSecret); code != 200 {
			t.Fatalf("status %d", code)
		}
		if w.snapshot() == before {
			t.Error("the event was not recorded")
		}
		wantStatus(t, w.order(o.ID), tsunagu.OrderPendingPayment)
	})
	for _, tc := range []struct {
		name     string
		amount   int64
		currency string
	}{{"WrongAmount", 1, "jpy"}, {"WrongCurrency", 350, "usd"}} {
		t.Run(tc.name, func(t *testing.T) {
			o := newOrder()
			if code := w.deliver(w.event(), tsunagu.StripePaymentSucceeded, o, tc.amount, tc.currency, time.Now(), webhookSecret); code != 200 {
				t.Fatalf("status %d", code)
			}
			got := w.order(o.ID)
			wantStatus(t, got, tsunagu.OrderPendingPayment)
			if got.PaymentFlag == "" {
				t.Error("the mismatch is not flagged")
			}
		})
	}
	w.checkLedger()
}
