package postgres_test

import (
	"net/http"
	"testing"
	"time"

	"tsunagu/internal/tsunagu"
)

// outsideRefund has Stripe report refunded yen of o's charge refunded in all,
// outside Tsunagu, and returns the order's refunds then.
func (w *orderWorld) outsideRefund(o *tsunagu.Order, refunded int64) []*tsunagu.OrderRefund {
	w.t.Helper()
	if code := w.refundedInStripe(w.event(), o, refunded); code != http.StatusOK {
		w.t.Fatalf("webhook answered %d", code)
	}
	return w.refunds(o.ID)
}

// outsideWorld is an order world with a paid order of two cookies and a jam
// (¥1,350) of which Stripe reports refunded yen refunded outside Tsunagu: the
// order and its outside refund.
func outsideWorld(t *testing.T, refunded int64) (*orderWorld, *fakePayments, *tsunagu.Order, *tsunagu.OrderRefund) {
	t.Helper()
	w, f := newFakeOrderWorld(t)
	o := w.paidOrder(cart(w.homeShop, w.cookies, 2, w.jam, 1))
	return w, f, o, w.outsideRefund(o, refunded)[0]
}

// refundLines is what the lines of refund id give back: units and yen.
func (w *orderWorld) refundLines(id tsunagu.OrderRefundID) (units int, amount int64) {
	w.t.Helper()
	must(w.t, w.db.SQL().QueryRow(`SELECT coalesce(sum(quantity), 0), coalesce(sum(amount), 0)
		FROM order_refund_lines WHERE refund_id = $1`, id).Scan(&units, &amount))
	return units, amount
}

// wantOrder fails t unless order id is in status, with refunded yen given back
// and flagged or not.
func (w *orderWorld) wantOrder(t *testing.T, id tsunagu.OrderID, status tsunagu.OrderStatus, refunded int64, flagged bool) {
	t.Helper()
	if got := w.order(id); got.Status != status || got.Refunded != refunded || (got.PaymentFlag != "") != flagged {
		t.Errorf("order %d: %s, ¥%d refunded, flag %q; want %s, ¥%d, flagged %v", id, got.Status, got.Refunded,
			got.PaymentFlag, status, refunded, flagged)
	}
}

// wantStatement fails t unless the home facility's statement of month m at the
// home shop shows gross and refunds (of unitsRefunded units).
func (w *orderWorld) wantStatement(t *testing.T, m tsunagu.Month, gross, refunds int64, unitsRefunded int) {
	t.Helper()
	s := w.statement(w.homeFac.ID, w.homeShop.ID, m)
	if s == nil {
		s = &tsunagu.Settlement{}
	}
	if s.Gross != gross || s.Refunds != refunds || s.UnitsRefunded != unitsRefunded {
		t.Errorf("%s: gross %d refunds %d (%d units), want %d, %d (%d units)", m,
			s.Gross, s.Refunds, s.UnitsRefunded, gross, refunds, unitsRefunded)
	}
}

// An order refunded in full in Stripe's dashboard is refunded through refundOrder
// without a new Stripe refund: its lines go on the outside refund, its stock goes
// back, the flag clears, the order is REFUNDED and the month's statement counts the
// refund. Another shop's clerk is refused before, and a retry changes nothing.
func TestRefundOrderAttributesOutsideRefund(t *testing.T) {
	t.Parallel()
	w, f, o, outside := outsideWorld(t, 1350)
	in := tsunagu.RefundOrderInput{OrderID: o.ID, IdempotencyKey: w.key(), Reason: "棚に戻した",
		Lines: []tsunagu.RefundLineInput{{LineNumber: 1, Quantity: 2}, {LineNumber: 2, Quantity: 1}}}

	t.Run("OtherShopsClerk", func(t *testing.T) {
		before := w.snapshot()
		other := in
		other.IdempotencyKey = w.key()
		if _, err := w.orders.RefundOrder(w.otherClerk, other); tsunagu.ErrorCode(err) != tsunagu.CodeForbidden {
			t.Errorf("error %v, want FORBIDDEN", err)
		}
		w.unchanged(before)
	})
	this := tsunagu.MonthOf(time.Now())
	w.wantStatement(t, this, 1350, 0, 0) // the goods are not known: nothing given back yet

	rf, err := w.orders.RefundOrder(w.clerk, in)
	must(t, err)
	if rf.ID != outside.ID || rf.Amount != 1350 || rf.Status != tsunagu.RefundSucceeded {
		t.Errorf("refund %+v, want the outside refund %d", rf, outside.ID)
	}
	if len(f.refundKeys) != 0 {
		t.Errorf("Stripe asked for refunds %v, want none", f.refundKeys)
	}
	if units, amount := w.refundLines(outside.ID); units != 3 || amount != 1350 {
		t.Errorf("the outside refund's lines give back %d units, ¥%d; want 3, ¥1350", units, amount)
	}
	w.wantOrder(t, o.ID, tsunagu.OrderRefunded, 1350, false)
	if n := len(w.refunds(o.ID)); n != 1 {
		t.Errorf("%d refunds, want the outside one only", n)
	}
	wantLevel(t, w, w.homeShop, w.cookies, 10, 0)
	wantLevel(t, w, w.homeShop, w.jam, 5, 0)
	if n := w.count(`SELECT count(*) FROM notifications WHERE order_id = $1 AND kind = 'ORDER_REFUNDED'`, o.ID); n != 1 {
		t.Errorf("%d refund messages, want only the one of the refund made in Stripe", n)
	}

	t.Run("Retry", func(t *testing.T) {
		before := w.snapshot()
		again, err := w.orders.RefundOrder(w.clerk, in)
		must(t, err)
		if again.ID != rf.ID {
			t.Errorf("retry answered refund %d, want %d", again.ID, rf.ID)
		}
		w.unchanged(before)
	})
	t.Run("NothingLeft", func(t *testing.T) {
		before := w.snapshot()
		_, err := w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: o.ID, IdempotencyKey: w.key()})
		if tsunagu.ErrorCode(err) != tsunagu.CodeOverRefund {
			t.Errorf("error %v, want OVER_REFUND", err)
		}
		w.unchanged(before)
	})
	w.wantStatement(t, this, 1350, 1350, 3)
	w.checkLedger()
}

// Outside money smaller than the lines asked pays first, and only the rest goes to
// Stripe; lines worth less than the outside money take what they are worth and the
// order stays flagged until the rest is attributed.
func TestRefundOrderPartlyOutside(t *testing.T) {
	t.Parallel()
	t.Run("RestToStripe", func(t *testing.T) {
		t.Parallel()
		w, f, o, outside := outsideWorld(t, 500)
		in := tsunagu.RefundOrderInput{OrderID: o.ID, IdempotencyKey: w.key(),
			Lines: []tsunagu.RefundLineInput{{LineNumber: 1, Quantity: 2}}} // ¥700
		rf, err := w.orders.RefundOrder(w.clerk, in)
		must(t, err)
		if rf.ID == outside.ID || rf.Amount != 200 || rf.Status != tsunagu.RefundSucceeded || len(f.refundKeys) != 1 {
			t.Errorf("refund %+v, Stripe asked %v; want a new ¥200 refund, asked once", rf, f.refundKeys)
		}
		if units, amount := w.refundLines(outside.ID); units != 1 || amount != 500 {
			t.Errorf("outside refund's lines: %d units, ¥%d; want 1, ¥500", units, amount)
		}
		if units, amount := w.refundLines(rf.ID); units != 1 || amount != 200 {
			t.Errorf("new refund's lines: %d units, ¥%d; want 1, ¥200", units, amount)
		}
		w.wantOrder(t, o.ID, tsunagu.OrderPaid, 700, false)
		wantLevel(t, w, w.homeShop, w.cookies, 10, 0)
		wantLevel(t, w, w.homeShop, w.jam, 5, 1)
		w.wantStatement(t, tsunagu.MonthOf(time.Now()), 1350, 700, 2)
		before := w.snapshot()
		again, err := w.orders.RefundOrder(w.clerk, in)
		must(t, err)
		if again.ID != rf.ID || len(f.refundKeys) != 1 {
			t.Errorf("retry answered refund %d (Stripe asked %v), want %d", again.ID, f.refundKeys, rf.ID)
		}
		w.unchanged(before)
		w.checkLedger()
	})
	t.Run("LinesWorthLess", func(t *testing.T) {
		t.Parallel()
		w, f, o, outside := outsideWorld(t, 1000)
		rf, err := w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: o.ID, IdempotencyKey: w.key(),
			Lines: []tsunagu.RefundLineInput{{LineNumber: 1, Quantity: 1}}}) // ¥350
		must(t, err)
		if rf.ID != outside.ID || len(f.refundKeys) != 0 {
			t.Errorf("refund %+v, Stripe asked %v; want the outside refund, Stripe not asked", rf, f.refundKeys)
		}
		w.wantOrder(t, o.ID, tsunagu.OrderPaid, 1000, true) // ¥650 unattributed
		w.wantStatement(t, tsunagu.MonthOf(time.Now()), 1350, 350, 1)

		// The rest of the order: ¥650 outside, ¥350 through Stripe.
		rest, err := w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: o.ID, IdempotencyKey: w.key()})
		must(t, err)
		if rest.Amount != 350 || len(f.refundKeys) != 1 {
			t.Errorf("refund %+v, Stripe asked %v; want ¥350 through Stripe", rest, f.refundKeys)
		}
		if units, amount := w.refundLines(outside.ID); amount != 1000 || units < 1 {
			t.Errorf("outside refund's lines: %d units, ¥%d; want all ¥1000 attributed", units, amount)
		}
		w.wantOrder(t, o.ID, tsunagu.OrderRefunded, 1350, false)
		wantLevel(t, w, w.homeShop, w.jam, 5, 0)
		w.wantStatement(t, tsunagu.MonthOf(time.Now()), 1350, 1350, 3)
		w.checkLedger()
	})
}

// Cancelling a paid order that was partly refunded in Stripe's dashboard puts the
// units left on that outside money first, as refundOrder does, and asks Stripe
// only for the rest: every unit is given back once, and the refunds' lines add up
// to what the shopper got back, so the statement counts the order's money once.
// (Before, the cancel's refund claimed every unit at full price for only the rest
// of the money, and the outside refund stayed unattributed.)
func TestCancelOrderAttributesOutsideRefund(t *testing.T) {
	t.Parallel()
	w, f, o, outside := outsideWorld(t, 500)
	in := tsunagu.CancelOrderInput{OrderID: o.ID, Reason: "在庫の手違い", IdempotencyKey: w.key()}
	out, err := w.orders.CancelOrder(w.clerk, in)
	must(t, err)
	if out.Status != tsunagu.OrderCancelled {
		t.Errorf("status %s, want CANCELLED", out.Status)
	}
	if len(f.refundKeys) != 1 {
		t.Fatalf("Stripe asked for refunds %v, want one", f.refundKeys)
	}
	if units, amount := w.refundLines(outside.ID); units != 1 || amount != 500 {
		t.Errorf("outside refund's lines: %d units, ¥%d; want 1, ¥500", units, amount)
	}
	rs := w.refunds(o.ID)
	if len(rs) != 2 || rs[1].Amount != 850 {
		t.Fatalf("refunds %+v, want the outside ¥500 and a new ¥850", rs)
	}
	if units, amount := w.refundLines(rs[1].ID); units != 2 || amount != 850 {
		t.Errorf("new refund's lines: %d units, ¥%d; want 2, ¥850", units, amount)
	}
	w.wantOrder(t, o.ID, tsunagu.OrderCancelled, 1350, false)
	if n := w.count(`SELECT count(*) FROM order_lines WHERE order_id = $1 AND refunded <> quantity`, o.ID); n != 0 {
		t.Errorf("%d lines not wholly refunded", n)
	}
	w.wantStatement(t, tsunagu.MonthOf(time.Now()), 1350, 1350, 3)
	wantLevel(t, w, w.homeShop, w.cookies, 10, 0)
	wantLevel(t, w, w.homeShop, w.jam, 5, 0)

	before := w.snapshot()
	again, err := w.orders.CancelOrder(w.clerk, in)
	must(t, err)
	if again.ID != o.ID || len(f.refundKeys) != 1 {
		t.Errorf("retry: order %d, Stripe asked %v; want the same order, asked once", again.ID, f.refundKeys)
	}
	w.unchanged(before)
	w.checkLedger()
}

// Lines put on an outside refund of a month already closed count in the shop's
// first open month, as a refund of the earlier order; the closed statement stays.
func TestRefundOrderOutsideInClosedMonth(t *testing.T) {
	t.Parallel()
	w := newCloseWorld(t)
	outside := w.outsideRefund(w.order, w.order.Total)[0]
	w.date(`order_refunds`, `succeeded_at`, int64(outside.ID), 5)
	_, err := w.close(w.manager, w.month)
	must(t, err)
	closed := w.statement(w.homeFac.ID, w.homeShop.ID, w.month)
	this := tsunagu.MonthOf(time.Now())
	w.wantStatement(t, this, 0, 0, 0)

	_, err = w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: w.order.ID, IdempotencyKey: w.key()})
	must(t, err)
	w.wantStatement(t, this, 0, w.order.Subtotal, 2)
	if after := w.statement(w.homeFac.ID, w.homeShop.ID, w.month); after.Refunds != closed.Refunds || after.Payable != closed.Payable {
		t.Errorf("the closed statement changed: %+v, was %+v", after, closed)
	}
}
