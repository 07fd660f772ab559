package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"tsunagu/internal/tsunagu"
)

// What unpaid orders may hold is bounded: an email address and an account may have
// MaxUnpaidOrders orders waiting for payment, a network address
// MaxUnpaidOrdersPerClient; one more is refused with TOO_MANY_UNPAID_ORDERS and
// changes nothing. Staff cancelling an order releases its reservation and frees its
// place. Concurrent checkouts of one address never pass the bound together.
func TestCheckoutUnpaidOrderBounds(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	soap := w.product(w.admin, w.homeFac, "石けん", 300, tsunagu.TaxStandard10)
	w.stock(w.homeShop, soap, 200)
	one := func(email string) tsunagu.CheckoutInput {
		in := w.pickupInput(cart(w.homeShop, soap, 1))
		if email != "" {
			in.Contact.Email = email
		}
		return in
	}

	t.Run("PerEmail", func(t *testing.T) {
		var first *tsunagu.Order
		for i := range tsunagu.MaxUnpaidOrders {
			// The bound ignores the case of the address.
			email := "taro@example.jp"
			if i%2 == 1 {
				email = "TARO@example.jp"
			}
			co := w.checkout(context.Background(), one(email))
			if first == nil {
				first = co.Order
			}
		}
		before := w.snapshot()
		_, err := w.orders.Checkout(context.Background(), one("taro@example.jp"))
		w.refused(t, before, err, tsunagu.CodeTooManyUnpaidOrders, "input.contact.email")

		_, err = w.orders.CancelOrder(w.clerk, tsunagu.CancelOrderInput{OrderID: first.ID, Reason: "お客様の依頼", IdempotencyKey: w.key()})
		must(t, err)
		w.checkout(context.Background(), one("taro@example.jp"))
	})
	t.Run("PerAccount", func(t *testing.T) {
		for range tsunagu.MaxUnpaidOrders {
			w.checkout(w.shopper, one(""))
		}
		before := w.snapshot()
		_, err := w.orders.Checkout(w.shopper, one(""))
		w.refused(t, before, err, tsunagu.CodeTooManyUnpaidOrders, "input.contact.email")
	})
	t.Run("PerClient", func(t *testing.T) {
		office := tsunagu.WithClientAddr(context.Background(), "203.0.113.7")
		for range tsunagu.MaxUnpaidOrdersPerClient {
			w.checkout(office, one(""))
		}
		before := w.snapshot()
		_, err := w.orders.Checkout(office, one(""))
		w.refused(t, before, err, tsunagu.CodeTooManyUnpaidOrders, "")
		w.checkout(tsunagu.WithClientAddr(context.Background(), "203.0.113.8"), one(""))
	})
	t.Run("Concurrent", func(t *testing.T) {
		const tries = 8
		var wg sync.WaitGroup
		errs := make([]error, tries)
		for i := range tries {
			in := one("jiro@example.jp")
			wg.Go(func() { _, errs[i] = w.orders.Checkout(context.Background(), in) })
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch tsunagu.ErrorCode(err) {
			case "":
				ok++
			case tsunagu.CodeTooManyUnpaidOrders:
			default:
				t.Errorf("checkout: %v", err)
			}
		}
		if ok != tsunagu.MaxUnpaidOrders {
			t.Errorf("%d concurrent checkouts of one address passed, want %d", ok, tsunagu.MaxUnpaidOrders)
		}
	})
	w.checkLedger()
}

// An unpaid order holds its stock for the reservation time the server is set to
// (TSUNAGU_ORDER_RESERVATION), not a fixed one: reserved until created + the setting.
func TestCheckoutReservationFollowsSetting(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	for _, ttl := range []time.Duration{7 * time.Minute, 2 * time.Hour} {
		w.orders.ReservationTTL = ttl
		o := w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.cookies, 1))).Order
		if held := o.ReservedUntil.Sub(o.CreatedAt); held != ttl {
			t.Errorf("an order made with a %v reservation holds its stock for %v", ttl, held)
		}
	}
}
