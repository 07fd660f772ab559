package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// closeWorld is an order world whose home shop keeps 15 % and has an open session,
// with a counter sale and a paid online order of the home facility's goods moved
// into last month.
type closeWorld struct {
	*orderWorld
	settle  *postgres.SettlementService
	session *tsunagu.RegisterSession
	sale    *tsunagu.Sale
	order   *tsunagu.Order
	month   tsunagu.Month
}

func newCloseWorld(t *testing.T) *closeWorld {
	t.Helper()
	w := &closeWorld{orderWorld: newOrderWorld(t), month: lastMonth()}
	w.settle = postgres.NewSettlementService(w.db)
	_, err := w.settle.SetCommission(w.manager, tsunagu.SetCommissionInput{ShopID: w.homeShop.ID, BasisPoints: 1500,
		EffectiveFrom: "2000-01-01"})
	must(t, err)
	w.session = w.open(w.clerk, w.reg1, 10000)
	w.stock(w.homeShop, w.cookies, 10)
	w.sale = w.sell(w.clerk, w.session, []tsunagu.SaleLineInput{posLine(w.cookies, 3), posLine(w.jam, 1)}, posCash(3*350+650, 0))
	w.order = w.paidOrder(cart(w.homeShop, w.jam, 2))
	w.date(`sales`, `created_at`, int64(w.sale.ID), 2)
	w.date(`orders`, `paid_at`, int64(w.order.ID), 3)
	return w
}

// date moves an event into day (from 1) of the world's month.
func (w *closeWorld) date(table, column string, id int64, day int) {
	w.t.Helper()
	_, err := w.db.SQL().Exec(`UPDATE `+table+` SET `+column+` = $1 WHERE id = $2`,
		w.month.Start().AddDate(0, 0, day-1).Add(10*time.Hour), id)
	must(w.t, err)
}

func (w *closeWorld) close(ctx context.Context, m tsunagu.Month) (*tsunagu.SettlementClose, error) {
	return w.settle.CloseSettlementMonth(ctx, tsunagu.CloseSettlementMonthInput{Month: m.String(), ShopID: w.homeShop.ID})
}

// Closing last month freezes the statement the live computation showed, with a
// statement number; closing again returns it unchanged; a refund of its sale this
// month lowers this month on a line naming the sale, and the closed statement stays
// as it was; so does an event committed after the close with a time in the closed
// month, which counts in the first open month.
func TestCloseSettlementMonth(t *testing.T) {
	t.Parallel()
	w := newCloseWorld(t)
	open := w.statement(w.homeFac.ID, w.homeShop.ID, w.month)
	if open == nil || open.Status != tsunagu.SettlementOpen || open.Gross != 3*350+650+2*650 || open.Commission == 0 {
		t.Fatalf("last month before the close: %+v", open)
	}

	c, err := w.close(w.manager, w.month)
	must(t, err)
	if len(c.Settlements) != 1 {
		t.Fatalf("%d statements closed, want 1", len(c.Settlements))
	}
	closed := c.Settlements[0]
	if closed.ID != open.ID || closed.Status != tsunagu.SettlementClosed || closed.StatementNumber == nil ||
		*closed.StatementNumber != tsunagu.StatementNumber(w.homeShop.ID, 1) || closed.ClosedAt == nil || !closed.ClosedAt.Equal(c.ClosedAt) {
		t.Errorf("closed statement %+v", closed)
	}
	if d := cmp.Diff(open.SettlementFigures, closed.SettlementFigures); d != "" {
		t.Errorf("the close changed the figures (-open +closed):\n%s", d)
	}
	if got := w.statement(w.homeFac.ID, w.homeShop.ID, w.month); !cmp.Equal(got, closed) {
		t.Errorf("settlements(month) after the close: %s", cmp.Diff(closed, got))
	}
	if got, err := w.settle.Settlement(w.manager, closed.ID); err != nil || !cmp.Equal(got, closed) {
		t.Errorf("settlement(id) after the close: %v %s", err, cmp.Diff(closed, got))
	}

	t.Run("Again", func(t *testing.T) {
		before := w.snapshot()
		again, err := w.close(w.admin, w.month)
		must(t, err)
		if d := cmp.Diff(c, again); d != "" {
			t.Errorf("closing again (-first +again):\n%s", d)
		}
		w.unchanged(before)
	})

	// This month: a refund of last month's sale at the counter, a confirmed online
	// refund of last month's order, and a sale committed after the close although
	// its transaction's time is in the closed month.
	w.refund(w.clerk, w.sale, w.session, tsunagu.RefundCash, tsunagu.RefundLineInput{LineNumber: 1, Quantity: 2})
	_, err = w.orders.RefundOrder(w.clerk, tsunagu.RefundOrderInput{OrderID: w.order.ID,
		Lines: []tsunagu.RefundLineInput{{LineNumber: 1, Quantity: 1}}, IdempotencyKey: w.key()})
	must(t, err)
	late := w.sell(w.clerk, w.session, []tsunagu.SaleLineInput{posLine(w.cookies, 1)}, posCash(350, 0))
	w.date(`sales`, `created_at`, int64(late.ID), 20)

	if got := w.statement(w.homeFac.ID, w.homeShop.ID, w.month); !cmp.Equal(got, closed) {
		t.Errorf("the closed statement changed after later refunds (-closed +now):\n%s", cmp.Diff(closed, got))
	}
	now := w.statement(w.homeFac.ID, w.homeShop.ID, w.month.Next())
	if now == nil || now.Status != tsunagu.SettlementOpen || now.Gross != 350 || now.Refunds != 2*350+650 {
		t.Fatalf("this month: %+v, want the late sale's ¥350 and ¥%d of refunds", now, 2*350+650)
	}
	var refundOfSale, refundOfOrder *tsunagu.SettlementLine
	for i, l := range now.Lines {
		switch {
		case l.RefundOf == nil:
		case l.RefundOf.SaleID != nil:
			refundOfSale = &now.Lines[i]
		case l.RefundOf.OrderID != nil:
			refundOfOrder = &now.Lines[i]
		}
	}
	if refundOfSale == nil || *refundOfSale.RefundOf.SaleID != w.sale.ID || *refundOfSale.RefundOf.ReceiptNumber != w.sale.ReceiptNumber ||
		tsunagu.MonthOf(refundOfSale.RefundOf.SoldAt) != w.month || refundOfSale.Refunds != 700 || refundOfSale.UnitsSold != 0 {
		t.Errorf("the counter refund's line: %+v", refundOfSale)
	}
	if refundOfOrder == nil || *refundOfOrder.RefundOf.OrderID != w.order.ID || refundOfOrder.Refunds != 650 {
		t.Errorf("the online refund's line: %+v", refundOfOrder)
	}
}

// Every refusal of a close has its code and changes nothing.
func TestCloseSettlementMonthRefused(t *testing.T) {
	t.Parallel()
	w := newCloseWorld(t)
	before := w.snapshot()
	_, err := w.close(w.manager, tsunagu.MonthOf(time.Now()))
	w.refused(t, before, err, tsunagu.CodeMonthNotEnded, "input.month")
	// The shop sold nothing before two months ago: a first close may start there.
	_, err = w.close(w.manager, w.month.Prev().Prev())
	must(t, err)
	before = w.snapshot()
	_, err = w.close(w.manager, w.month)
	w.refused(t, before, err, tsunagu.CodeMonthNotInOrder, "input.month")
	_, err = w.close(w.manager, w.month.Prev().Prev().Prev())
	w.refused(t, before, err, tsunagu.CodeMonthNotInOrder, "input.month")
	_, err = w.settle.CloseSettlementMonth(w.manager, tsunagu.CloseSettlementMonthInput{Month: "2026-13", ShopID: w.homeShop.ID})
	w.refused(t, before, err, tsunagu.CodeInvalidInput, "input.month")
	_, err = w.settle.CloseSettlementMonth(w.manager, tsunagu.CloseSettlementMonthInput{Month: w.month.String(), ShopID: w.warehouse.ID})
	w.refused(t, before, err, tsunagu.CodeNotFound, "input.shopId")
	for _, ctx := range []context.Context{w.otherManager, w.clerk} {
		_, err = w.close(ctx, w.month.Prev())
		if tsunagu.ErrorCode(err) != tsunagu.CodeForbidden {
			t.Errorf("another municipality's manager or a clerk: %v, want FORBIDDEN", err)
		}
		w.unchanged(before)
	}

	// A first close after a month with sales names the month to close first; then
	// months close one after the other.
	fresh := newCloseWorld(t)
	_, err = fresh.db.SQL().Exec(`UPDATE sales SET created_at = $1 WHERE id = $2`,
		fresh.month.Prev().Prev().Start().Add(10*time.Hour), fresh.sale.ID)
	must(t, err)
	before = fresh.snapshot()
	_, err = fresh.close(fresh.manager, fresh.month.Next().Next())
	fresh.refused(t, before, err, tsunagu.CodeMonthNotEnded, "input.month")
	_, err = fresh.close(fresh.manager, fresh.month)
	fresh.refused(t, before, err, tsunagu.CodeMonthNotInOrder, "input.month")
	_, err = fresh.close(fresh.manager, fresh.month.Prev().Prev())
	must(t, err)
	before = fresh.snapshot()
	_, err = fresh.close(fresh.manager, fresh.month)
	fresh.refused(t, before, err, tsunagu.CodeMonthNotInOrder, "input.month")
	for _, m := range []tsunagu.Month{fresh.month.Prev(), fresh.month} {
		_, err = fresh.close(fresh.manager, m)
		must(t, err)
	}
	if n := fresh.count(`SELECT count(*) FROM settlement_statements WHERE status = 'CLOSED'`); n != 2 {
		t.Errorf("%d closed statements, want 2 (the sale's month and the order's)", n)
	}
}

// Two processes closing the same month at once, each on its own connections,
// produce one close: the same statements, numbered once.
func TestCloseSettlementMonthConcurrently(t *testing.T) {
	t.Parallel()
	w := newCloseWorld(t)
	other, err := postgres.Open(context.Background(), w.url, nil)
	must(t, err)
	t.Cleanup(func() { other.Close() })
	services := []*postgres.SettlementService{w.settle, postgres.NewSettlementService(other)}
	results := make([]*tsunagu.SettlementClose, 2)
	errs := make([]error, 2)
	var start, done sync.WaitGroup
	start.Add(1)
	for i, s := range services {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			results[i], errs[i] = s.CloseSettlementMonth(w.manager,
				tsunagu.CloseSettlementMonthInput{Month: w.month.String(), ShopID: w.homeShop.ID})
		}()
	}
	start.Done()
	done.Wait()
	must(t, errs[0])
	must(t, errs[1])
	if d := cmp.Diff(results[0], results[1]); d != "" {
		t.Errorf("two closes at once differ:\n%s", d)
	}
	if n := w.count(`SELECT count(*) FROM settlement_closes`); n != 1 {
		t.Errorf("%d closes, want 1", n)
	}
	if n := w.count(`SELECT count(*) FROM settlement_statements WHERE statement_number IS NOT NULL`); n != 1 {
		t.Errorf("%d numbered statements, want 1", n)
	}
	var lines int
	for _, l := range results[0].Settlements[0].Lines {
		lines += l.UnitsSold
	}
	if n := w.count(`SELECT coalesce(sum(units_sold), 0) FROM settlement_lines`); n != lines || lines != 3+1+2 {
		t.Errorf("stored lines sell %d units, the statement %d, want 6", n, lines)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'closeSettlementMonth'`); n != 1 {
		t.Errorf("%d audit entries of the close, want 1", n)
	}
}

// A closed statement is paid once, on a day from its close on; the same payment
// again changes nothing; every refusal has its code and changes nothing.
func TestMarkSettlementPaid(t *testing.T) {
	t.Parallel()
	w := newCloseWorld(t)
	c, err := w.close(w.manager, w.month)
	must(t, err)
	closed := c.Settlements[0]
	w.sell(w.clerk, w.session, []tsunagu.SaleLineInput{posLine(w.cookies, 1)}, posCash(350, 0))
	open := w.statement(w.homeFac.ID, w.homeShop.ID, w.month.Next())
	closedOn := c.ClosedAt.In(time.FixedZone("JST", 9*3600)).Format(time.DateOnly)
	dayBefore := c.ClosedAt.In(time.FixedZone("JST", 9*3600)).AddDate(0, 0, -1).Format(time.DateOnly)
	pay := func(ctx context.Context, id tsunagu.SettlementID, on, ref string) (*tsunagu.Settlement, error) {
		return w.settle.MarkSettlementPaid(ctx, tsunagu.MarkSettlementPaidInput{ID: id, PaidOn: on, Reference: ref})
	}

	before := w.snapshot()
	_, err = pay(w.manager, open.ID, closedOn, "振込 0001")
	w.refused(t, before, err, tsunagu.CodeSettlementNotClosed, "input.id")
	_, err = pay(w.manager, closed.ID, dayBefore, "振込 0001")
	w.refused(t, before, err, tsunagu.CodePaidBeforeClose, "input.paidOn")
	_, err = pay(w.manager, closed.ID, "2026-02-30", "振込 0001")
	w.refused(t, before, err, tsunagu.CodeInvalidInput, "input.paidOn")
	tomorrow := time.Now().In(time.FixedZone("JST", 9*3600)).AddDate(0, 0, 1).Format(time.DateOnly)
	_, err = pay(w.manager, closed.ID, tomorrow, "振込 0001")
	w.refused(t, before, err, tsunagu.CodeInvalidInput, "input.paidOn")
	_, err = pay(w.otherManager, closed.ID, closedOn, "振込 0001")
	if tsunagu.ErrorCode(err) != tsunagu.CodeNotFound {
		t.Errorf("another municipality's manager: %v, want NOT_FOUND", err)
	}
	_, err = pay(w.clerk, closed.ID, closedOn, "振込 0001")
	if tsunagu.ErrorCode(err) != tsunagu.CodeForbidden {
		t.Errorf("a clerk: %v, want FORBIDDEN", err)
	}
	w.unchanged(before)

	paid, err := pay(w.manager, closed.ID, closedOn, " 振込 0001 ")
	must(t, err)
	want := *closed
	want.Status, want.PaidOn, want.PaymentReference = tsunagu.SettlementPaid, paid.PaidOn, "振込 0001"
	if d := cmp.Diff(&want, paid); d != "" || paid.PaidOn == nil || paid.PaidOn.Format(time.DateOnly) != closedOn {
		t.Errorf("paid statement (-want +got):\n%s", d)
	}
	if got := w.statement(w.homeFac.ID, w.homeShop.ID, w.month); !cmp.Equal(got, paid) {
		t.Errorf("settlements(month) after the payment: %s", cmp.Diff(paid, got))
	}
	before = w.snapshot()
	again, err := pay(w.admin, closed.ID, closedOn, "振込 0001")
	must(t, err)
	if !cmp.Equal(again, paid) {
		t.Errorf("the same payment again: %s", cmp.Diff(paid, again))
	}
	w.unchanged(before)
	_, err = pay(w.manager, closed.ID, closedOn, "振込 0002")
	w.refused(t, before, err, tsunagu.CodeAlreadyPaid, "input.id")

	status := tsunagu.SettlementPaid
	p, err := w.settle.Settlements(w.admin, tsunagu.SettlementFilter{Month: w.month.String(), Status: &status}, tsunagu.PageArgs{First: 10})
	must(t, err)
	if len(p.Items) != 1 || p.Items[0].ID != closed.ID {
		t.Errorf("PAID statements of the month: %+v", p.Items)
	}
}
