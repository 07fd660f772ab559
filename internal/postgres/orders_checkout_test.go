package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// Bad carts get a specific error on the right field and change nothing.
func TestCheckoutRefused(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	draft := w.product(w.admin, w.homeFac, "試作品", 500, tsunagu.TaxReduced8)
	_, err := w.catalog.ArchiveProduct(w.admin, draft.ID)
	must(t, err)
	tests := []struct {
		name  string
		mod   func(in *tsunagu.CheckoutInput)
		code  tsunagu.Code
		field string
	}{
		{"EmptyCart", func(in *tsunagu.CheckoutInput) { in.Lines = nil }, tsunagu.CodeEmptyCart, "input.lines"},
		{"TwoShops", func(in *tsunagu.CheckoutInput) { in.Lines = append(in.Lines, cart(w.partnerShop, w.spoon, 1)...) },
			tsunagu.CodeMultipleShops, "input.lines.1.shopId"},
		{"UnknownProduct", func(in *tsunagu.CheckoutInput) { in.Lines[0].ProductID = 999999 }, tsunagu.CodeNotFound, "input.lines.0.productId"},
		{"ArchivedProduct", func(in *tsunagu.CheckoutInput) { in.Lines = append(in.Lines, cart(w.homeShop, draft, 1)...) },
			tsunagu.CodeInvalidState, "input.lines.1"},
		{"InsufficientStock", func(in *tsunagu.CheckoutInput) { in.Lines = append(in.Lines, cart(w.homeShop, w.jam, 6)...) },
			tsunagu.CodeInsufficientStock, "input.lines.1.quantity"},
		{"UnknownShop", func(in *tsunagu.CheckoutInput) { in.Lines[0].ShopID = 999999 }, tsunagu.CodeNotFound, "input.lines.0.shopId"},
		{"NotAShop", func(in *tsunagu.CheckoutInput) { in.Lines[0].ShopID = w.warehouse.ID }, tsunagu.CodeInvalidInput, "input.lines.0.shopId"},
		{"InvalidEmail", func(in *tsunagu.CheckoutInput) { in.Contact.Email = "hanako@" }, tsunagu.CodeInvalidEmail, "input.contact.email"},
		{"DeliveryWithoutAddress", func(in *tsunagu.CheckoutInput) { in.Fulfilment = tsunagu.FulfilDelivery },
			tsunagu.CodeRequired, "input.shippingAddress"},
		{"InvalidPostalCode", func(in *tsunagu.CheckoutInput) {
			in.Fulfilment = tsunagu.FulfilDelivery
			in.ShippingAddress = &tsunagu.ShippingAddress{PostalCode: "1050", Address: "東京都港区芝公園1-5-25"}
		}, tsunagu.CodeInvalidPostalCode, "input.shippingAddress.postalCode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := w.pickupInput(cart(w.homeShop, w.cookies, 1))
			tc.mod(&in)
			before := w.snapshot()
			_, err := w.orders.Checkout(context.Background(), in)
			w.refused(t, before, err, tc.code, tc.field)
		})
	}
	t.Run("PaymentsOff", func(t *testing.T) {
		off := postgres.NewOrderService(w.db, nil)
		before := w.snapshot()
		_, err := off.Checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.cookies, 1)))
		if tsunagu.ErrorCode(err) != tsunagu.CodePaymentsUnavailable {
			t.Errorf("code %q, want PAYMENTS_UNAVAILABLE", tsunagu.ErrorCode(err))
		}
		w.unchanged(before)
	})
}

// A retried checkout returns the same order, token and PaymentIntent, and reserves
// nothing more; the same key with another cart is a conflict.
func TestCheckoutIdempotent(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	in := w.pickupInput(cart(w.homeShop, w.cookies, 3))
	first := w.checkout(context.Background(), in)
	again := w.checkout(context.Background(), in)
	if again.Order.ID != first.Order.ID || *again.Order.PaymentIntentID != *first.Order.PaymentIntentID ||
		again.Token != first.Token || again.ClientSecret != first.ClientSecret {
		t.Errorf("retry gave %+v / %+v, first %+v / %+v", again, again.Order, first, first.Order)
	}
	wantLevel(t, w, w.homeShop, w.cookies, 10, 3)
	in.Lines[0].Quantity = 4
	_, err := w.orders.Checkout(context.Background(), in)
	if tsunagu.ErrorCode(err) != tsunagu.CodeIdempotencyConflict {
		t.Errorf("same key, other cart: %v, want IDEMPOTENCY_CONFLICT", err)
	}
	w.checkLedger()
}

// Twelve shoppers try to buy the last five jars at once: five get one, seven are
// told the stock is short, and nothing is oversold. Their unpaid reservations expire
// and two sweepers running at once put every jar back exactly once.
func TestCheckoutLastUnits(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	const shoppers = 12
	var wg sync.WaitGroup
	errs := make([]error, shoppers)
	for i := range shoppers {
		in := w.pickupInput(cart(w.homeShop, w.jam, 1))
		wg.Go(func() { _, errs[i] = w.orders.Checkout(context.Background(), in) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch tsunagu.ErrorCode(err) {
		case "":
			ok++
		case tsunagu.CodeInsufficientStock:
		default:
			t.Errorf("checkout: %v", err)
		}
	}
	if ok != 5 {
		t.Errorf("%d checkouts got a jar, want 5", ok)
	}
	wantLevel(t, w, w.homeShop, w.jam, 5, 5)

	n, err := w.orders.ReleaseExpired(context.Background(), time.Now(), 100)
	must(t, err)
	if n != 0 {
		t.Errorf("released %d reservations before they expired", n)
	}
	var released [2]int
	var sweepErrs [2]error
	for i := range 2 {
		wg.Go(func() {
			for {
				n, err := w.orders.ReleaseExpired(context.Background(), time.Now().Add(time.Hour), 1)
				released[i] += n
				if err != nil || n == 0 {
					sweepErrs[i] = err
					return
				}
			}
		})
	}
	wg.Wait()
	must(t, errors.Join(sweepErrs[:]...))
	if released[0]+released[1] != 5 {
		t.Errorf("the sweepers released %v orders, want 5 in all", released)
	}
	wantLevel(t, w, w.homeShop, w.jam, 5, 0)
	if got := w.count(`SELECT count(*) FROM orders WHERE status = 'CANCELLED' AND stock = 'RELEASED'`); got != 5 {
		t.Errorf("%d orders cancelled, want 5", got)
	}
	w.checkLedger()
}

// A payment that arrives after the reservation expired takes the order up again
// while the goods are there, and is flagged for a refund when they are gone.
func TestPaymentAfterExpiry(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	late := w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.jam, 2))).Order
	gone := w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.jam, 3))).Order
	_, err := w.orders.ReleaseExpired(context.Background(), time.Now().Add(time.Hour), 100)
	must(t, err)
	w.pay(late)
	wantStatus(t, w.order(late.ID), tsunagu.OrderPaid)
	w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.jam, 3)))
	w.pay(gone)
	got := w.order(gone.ID)
	wantStatus(t, got, tsunagu.OrderCancelled)
	if got.PaymentFlag == "" {
		t.Error("a payment for goods that are gone is not flagged")
	}
	wantLevel(t, w, w.homeShop, w.jam, 5, 5)
	w.checkLedger()
}

// Payments arriving while two sweepers release the same orders' expired
// reservations: each order ends paid with its stock held exactly once, whichever
// came first, and the ledger agrees.
func TestPaymentRacesSweeper(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	var orders []*tsunagu.Order
	for range 8 {
		orders = append(orders, w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.cookies, 1))).Order)
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for range 4 {
				if _, err := w.orders.ReleaseExpired(context.Background(), time.Now().Add(time.Hour), 2); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for _, o := range orders {
		wg.Go(func() {
			if code := w.deliver(w.event(), tsunagu.StripePaymentSucceeded, o, o.Total, "jpy", time.Now(), webhookSecret); code != 200 {
				t.Errorf("order %d: webhook answered %d", o.ID, code)
			}
		})
	}
	wg.Wait()
	for _, o := range orders {
		got := w.order(o.ID)
		if got.Status != tsunagu.OrderPaid || got.Stock != tsunagu.StockCommitted {
			t.Errorf("order %d: %s, stock %s", o.ID, got.Status, got.Stock)
		}
	}
	wantLevel(t, w, w.homeShop, w.cookies, 10, 8)
	w.checkLedger()
}
