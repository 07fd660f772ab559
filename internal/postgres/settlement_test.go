package postgres_test

import (
	"testing"
	"time"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// lastMonth is the month before now's (Japan time).
func lastMonth() tsunagu.Month {
	return tsunagu.MonthOf(tsunagu.MonthOf(time.Now()).Start().Add(-time.Hour))
}

// statement returns the statement of (facility, shop, month) as the service reads
// it, or nil when there is none.
func (w *world) statement(fac tsunagu.FacilityID, shop tsunagu.LocationID, m tsunagu.Month) *tsunagu.Settlement {
	w.t.Helper()
	p, err := postgres.NewSettlementService(w.db).Settlements(w.admin,
		tsunagu.SettlementFilter{Month: m.String(), FacilityID: &fac, ShopID: &shop}, tsunagu.PageArgs{First: 10})
	must(w.t, err)
	switch len(p.Items) {
	case 0:
		return nil
	case 1:
		return p.Items[0]
	}
	w.t.Fatalf("%d statements of one facility, shop and month", len(p.Items))
	return nil
}

// An online refund counts only once Stripe confirms it, in the month it does: one
// Stripe refused never counts, one requested last month while Stripe was out of
// reach and confirmed on a retry this month lowers this month, not last.
func TestSettlementCountsConfirmedRefunds(t *testing.T) {
	t.Parallel()
	f := &failingRefunds{}
	w := newOrderWorldWith(t, func(p tsunagu.Payments) tsunagu.Payments { f.Payments = p; return f })
	refused := w.paidOrder(cart(w.homeShop, w.cookies, 1))
	late := w.paidOrder(cart(w.homeShop, w.jam, 1))
	prev, this := lastMonth(), tsunagu.MonthOf(time.Now())
	lastMonthDay := prev.Start().Add(36 * time.Hour)
	_, err := w.db.SQL().Exec(`UPDATE orders SET paid_at = $1 WHERE id IN ($2, $3)`, lastMonthDay, refused.ID, late.ID)
	must(t, err)

	f.refuse.Store(true)
	_, err = w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: refused.ID, IdempotencyKey: w.key()})
	if tsunagu.ErrorCode(err) != tsunagu.CodePaymentsUnavailable {
		t.Fatalf("refund Stripe refused: %v, want PAYMENTS_UNAVAILABLE", err)
	}
	f.refuse.Store(false)
	f.fail.Store(true)
	retry := tsunagu.RefundOrderInput{OrderID: late.ID, IdempotencyKey: w.key()}
	_, err = w.orders.RefundOrder(w.clerk, retry)
	if tsunagu.ErrorCode(err) != tsunagu.CodePaymentsUnavailable {
		t.Fatalf("refund with Stripe down: %v, want PAYMENTS_UNAVAILABLE", err)
	}
	if n := w.count(`SELECT count(*) FROM order_refunds WHERE status = 'FAILED' AND order_id IN ($1, $2)`, refused.ID, late.ID); n != 2 {
		t.Fatalf("%d FAILED refunds, want 2", n)
	}
	_, err = w.db.SQL().Exec(`UPDATE order_refunds SET created_at = $1, updated_at = $1 WHERE order_id IN ($2, $3)`,
		lastMonthDay.Add(time.Hour), refused.ID, late.ID)
	must(t, err)

	sold := refused.Subtotal + late.Subtotal
	check := func(when string, m tsunagu.Month, gross, refunds int64, unitsRefunded int) {
		t.Helper()
		s := w.statement(w.homeFac.ID, w.homeShop.ID, m)
		if s == nil {
			if gross != 0 || refunds != 0 {
				t.Errorf("%s: no statement of %s, want gross %d refunds %d", when, m, gross, refunds)
			}
			return
		}
		if s.Gross != gross || s.Refunds != refunds || s.UnitsRefunded != unitsRefunded {
			t.Errorf("%s: %s gross %d refunds %d (%d units), want %d, %d (%d units)", when, m,
				s.Gross, s.Refunds, s.UnitsRefunded, gross, refunds, unitsRefunded)
		}
	}
	// Neither refund gave money back.
	check("before the retry", prev, sold, 0, 0)
	check("before the retry", this, 0, 0, 0)

	f.fail.Store(false)
	rf, err := w.orders.RefundOrder(w.clerk, retry)
	must(t, err)
	if rf.Status != tsunagu.RefundSucceeded || !tsunagu.RefundCounts(rf.Status) {
		t.Fatalf("retried refund %+v", rf)
	}
	// Confirmed now: this month's, whatever month it was asked for in.
	check("after the retry", prev, sold, 0, 0)
	check("after the retry", this, 0, late.Subtotal, 1)
}
