package postgres_test

import (
	"context"
	"net/http"
	"testing"

	"tsunagu/internal/stripemock"
	"tsunagu/internal/tsunagu"
)

// refundedInStripe delivers a signed charge.refunded event (id) for o's charge:
// Stripe has refunded refunded yen of it in all. It returns the HTTP status.
func (w *orderWorld) refundedInStripe(id string, o *tsunagu.Order, refunded int64) int {
	w.t.Helper()
	return w.post(id, tsunagu.StripeChargeRefunded, stripemock.Charge("ch_"+id, *o.PaymentIntentID, o.Total, refunded))
}

// moneyOf is what a charge.refunded event may change about order o: the order, its
// refunds and their lines, its messages and its shop's stock.
func (w *orderWorld) moneyOf(o *tsunagu.Order) string {
	w.t.Helper()
	var s string
	must(w.t, w.db.SQL().QueryRow(`SELECT json_build_object(
		'order', (SELECT row_to_json(o) FROM orders o WHERE o.id = $1),
		'refunds', (SELECT json_agg(r ORDER BY r.id) FROM order_refunds r WHERE r.order_id = $1),
		'lines', (SELECT json_agg(rl ORDER BY rl.refund_id, rl.line_number) FROM order_refund_lines rl
			JOIN order_refunds r ON r.id = rl.refund_id WHERE r.order_id = $1),
		'messages', (SELECT json_agg(n ORDER BY n.id) FROM notifications n WHERE n.order_id = $1),
		'stock', (SELECT json_agg(l ORDER BY l.product_id) FROM stock_levels l WHERE l.location_id = $2))::text`,
		o.ID, o.ShopID).Scan(&s))
	return s
}

// A refund made in Stripe's dashboard shows on the order once, as a refund without
// lines that returns no stock, with the order flagged and the shopper told; a
// replayed or older event, and Stripe reporting our own refunds, change nothing;
// what is recorded never passes what Stripe captured.
func TestRefundMadeInStripe(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	o := w.paidOrder(cart(w.homeShop, w.cookies, 2, w.jam, 1)) // ¥1,350
	wantLevel(t, w, w.homeShop, w.cookies, 10, 2)
	event := w.event()
	if code := w.refundedInStripe(event, o, 500); code != http.StatusOK {
		t.Fatalf("webhook answered %d", code)
	}
	got := w.order(o.ID)
	rs := w.refunds(o.ID)
	if got.Refunded != 500 || got.Status != tsunagu.OrderPaid || got.PaymentFlag == "" || len(rs) != 1 ||
		rs[0].Amount != 500 || rs[0].Status != tsunagu.RefundSucceeded || rs[0].CreatedBy != nil {
		t.Fatalf("after Stripe refunded ¥500: order %+v, refunds %+v", got, rs)
	}
	if n := w.count(`SELECT count(*) FROM order_refund_lines WHERE refund_id = $1`, rs[0].ID); n != 0 {
		t.Errorf("the refund made in Stripe has %d lines, want none", n)
	}
	if n := w.count(`SELECT count(*) FROM notifications WHERE order_id = $1 AND kind = 'ORDER_REFUNDED'`, o.ID); n != 1 {
		t.Errorf("%d refund messages, want 1", n)
	}
	wantLevel(t, w, w.homeShop, w.cookies, 10, 2)
	wantLevel(t, w, w.homeShop, w.jam, 5, 1)

	t.Run("Replayed", func(t *testing.T) {
		before := w.snapshot()
		if code := w.refundedInStripe(event, o, 500); code != http.StatusOK {
			t.Fatalf("webhook answered %d", code)
		}
		w.unchanged(before)
	})
	for _, tc := range []struct {
		name     string
		refunded int64
	}{{"SameAmount", 500}, {"Older", 300}, {"None", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			before := w.moneyOf(o)
			if code := w.refundedInStripe(w.event(), o, tc.refunded); code != http.StatusOK {
				t.Fatalf("webhook answered %d", code)
			}
			if after := w.moneyOf(o); after != before {
				t.Errorf("changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	t.Run("OurOwnRefund", func(t *testing.T) {
		// ¥1,000 of lines: the ¥500 refunded in Stripe pays for half, Stripe is asked for ¥500.
		_, err := w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: o.ID, IdempotencyKey: w.key(),
			Lines: []tsunagu.RefundLineInput{{LineNumber: 1, Quantity: 1}, {LineNumber: 2, Quantity: 1}}})
		must(t, err)
		before := w.moneyOf(o)
		if code := w.refundedInStripe(w.event(), o, 500+500); code != http.StatusOK {
			t.Fatalf("webhook answered %d", code)
		}
		if after := w.moneyOf(o); after != before {
			t.Errorf("Stripe reporting our own refund changed:\nbefore %s\nafter  %s", before, after)
		}
	})
	t.Run("CappedAtCaptured", func(t *testing.T) {
		if code := w.refundedInStripe(w.event(), o, 5000); code != http.StatusOK {
			t.Fatalf("webhook answered %d", code)
		}
		got := w.order(o.ID)
		rs := w.refunds(o.ID)
		if got.Refunded != got.Captured || len(rs) != 3 || rs[2].Amount != 1350-1000 {
			t.Errorf("order %+v, refunds %+v; want the last ¥500 recorded, no more", got, rs)
		}
	})
	w.checkLedger()
}

// A charge.refunded event that comes before the payment it refunds is recorded is
// refused (500: Stripe delivers it again) and changes nothing; delivered again
// after the payment, it is applied. A refund of ours that Stripe answered FAILED is
// not counted as given back.
func TestRefundMadeInStripeEarly(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	o := w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.cookies, 1, w.jam, 1))).Order // ¥1,000
	event := w.event()
	before := w.snapshot()
	if code := w.refundedInStripe(event, o, 200); code != http.StatusInternalServerError {
		t.Errorf("a refund before the payment: %d, want 500", code)
	}
	w.unchanged(before)
	w.pay(o)
	if code := w.refundedInStripe(event, o, 200); code != http.StatusOK {
		t.Fatalf("webhook answered %d", code)
	}
	if got := w.order(o.ID); got.Refunded != 200 {
		t.Fatalf("refunded %d after the redelivery, want 200", got.Refunded)
	}

	_, err := w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: o.ID, IdempotencyKey: w.key(),
		Lines: []tsunagu.RefundLineInput{{LineNumber: 1, Quantity: 1}}})
	must(t, err)
	// Stripe answered that refund failed; staff then refunded ¥350 in the dashboard.
	_, err = w.db.SQL().Exec(`UPDATE order_refunds SET status = 'FAILED', succeeded_at = NULL
		WHERE order_id = $1 AND created_by IS NOT NULL AND stripe_refund_id IS NOT NULL`, o.ID)
	must(t, err)
	if code := w.refundedInStripe(w.event(), o, 200+350); code != http.StatusOK {
		t.Fatalf("webhook answered %d", code)
	}
	rs := w.refunds(o.ID)
	if len(rs) != 3 || rs[2].Amount != 350 || rs[2].Status != tsunagu.RefundSucceeded {
		t.Errorf("refunds %+v; want the ¥350 refunded in Stripe recorded", rs)
	}
}
