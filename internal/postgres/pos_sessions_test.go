package postgres_test

import (
	"context"
	"sync"
	"testing"

	"tsunagu/internal/tsunagu"
)

func TestOpenRegisterSession(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	s := p.open(p.clerk, p.reg1, 30000)
	if s.Status != tsunagu.SessionOpen || s.OpeningFloat != 30000 || s.RegisterID != p.reg1.ID || s.ShopID != p.homeShop.ID ||
		s.OpenedBy != tsunagu.UserFrom(p.clerk).ID || s.ClosedAt != nil || s.CountedCash != nil || len(s.Denominations) != 0 {
		t.Errorf("session: %+v", s)
	}
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		in    tsunagu.OpenSessionInput
		code  tsunagu.Code
		field string
	}{
		{"ErrOpenAlready", p.manager, tsunagu.OpenSessionInput{IdempotencyKey: p.key(), RegisterID: p.reg1.ID}, tsunagu.CodeInvalidState, "input.registerId"},
		{"ErrNegativeFloat", p.clerk, tsunagu.OpenSessionInput{IdempotencyKey: p.key(), RegisterID: p.reg2.ID, OpeningFloat: -1}, tsunagu.CodeOutOfRange, "input.openingFloat"},
		{"ErrUnknownRegister", p.clerk, tsunagu.OpenSessionInput{IdempotencyKey: p.key(), RegisterID: 999999}, tsunagu.CodeNotFound, ""},
		{"ErrOtherShopsClerk", p.otherClerk, tsunagu.OpenSessionInput{IdempotencyKey: p.key(), RegisterID: p.reg2.ID}, tsunagu.CodeForbidden, ""},
		{"ErrOtherCitysManager", p.otherManager, tsunagu.OpenSessionInput{IdempotencyKey: p.key(), RegisterID: p.reg2.ID}, tsunagu.CodeForbidden, ""},
		{"ErrAnonymous", context.Background(), tsunagu.OpenSessionInput{IdempotencyKey: p.key(), RegisterID: p.reg2.ID}, tsunagu.CodeUnauthenticated, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := p.snapshot()
			_, err := p.pos.OpenRegisterSession(tc.ctx, tc.in)
			p.refused(t, before, err, tc.code, tc.field)
		})
	}
	t.Run("ConcurrentOpen", func(t *testing.T) {
		// Two clerks open the same register at once: one session.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, ctx := range []context.Context{p.clerk, p.manager} {
			wg.Go(func() {
				<-start
				_, errs[i] = p.pos.OpenRegisterSession(ctx, tsunagu.OpenSessionInput{IdempotencyKey: p.key(), RegisterID: p.reg2.ID})
			})
		}
		close(start)
		wg.Wait()
		codes := map[tsunagu.Code]int{}
		for _, err := range errs {
			codes[tsunagu.ErrorCode(err)]++
		}
		if codes[""] != 1 || codes[tsunagu.CodeInvalidState] != 1 {
			t.Errorf("results %v, want one session and one INVALID_STATE", errs)
		}
	})
	t.Run("ReopenAfterClose", func(t *testing.T) {
		p.close(p.clerk, s, 30000)
		again := p.open(p.clerk, p.reg1, 1000)
		if again.ID == s.ID {
			t.Error("the closed session was reopened")
		}
		open, err := p.pos.OpenSessions(p.clerk, []tsunagu.RegisterID{p.reg1.ID, p.reg2.ID, p.partnerReg.ID})
		must(t, err)
		if len(open) != 2 || open[p.reg1.ID].ID != again.ID || open[p.reg2.ID] == nil {
			t.Errorf("open sessions: %+v", open)
		}
	})
}

// A closed session is read-only: no sale, no cash movement, no second close, no void
// of its sales.
func TestClosedSessionReadOnly(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	p.stock(p.homeShop, p.cookies, 5)
	s := p.open(p.clerk, p.reg1, 1000)
	sale := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.cookies, 1)}, posCash(350, 0))
	p.close(p.clerk, s, 1350)
	for _, tc := range []struct {
		name  string
		do    func() error
		code  tsunagu.Code
		field string
	}{
		{"ErrSale", func() error {
			_, err := p.pos.CreateSale(p.clerk, p.saleInput(s, []tsunagu.SaleLineInput{posLine(p.cookies, 1)}, posCash(350, 0)))
			return err
		}, tsunagu.CodeNoOpenSession, "input.sessionId"},
		{"ErrCashMovement", func() error {
			_, err := p.pos.RecordCashMovement(p.clerk, tsunagu.RecordCashMovementInput{SessionID: s.ID, Type: tsunagu.CashIn,
				Amount: 100, Reason: "両替", IdempotencyKey: p.key()})
			return err
		}, tsunagu.CodeNoOpenSession, "input.sessionId"},
		{"ErrCloseAgain", func() error {
			_, err := p.pos.CloseRegisterSession(p.clerk, tsunagu.CloseSessionInput{IdempotencyKey: p.key(), SessionID: s.ID, CountedCash: posPtr[int64](0)})
			return err
		}, tsunagu.CodeInvalidState, "input.sessionId"},
		{"ErrVoid", func() error {
			_, err := p.pos.VoidSale(p.clerk, tsunagu.VoidSaleInput{SaleID: sale.ID, IdempotencyKey: p.key()})
			return err
		}, tsunagu.CodeInvalidState, "input.saleId"},
		{"ErrRefundFromIt", func() error {
			_, err := p.pos.RefundSale(p.clerk, tsunagu.RefundSaleInput{SaleID: sale.ID, SessionID: s.ID,
				Method: tsunagu.RefundCash, IdempotencyKey: p.key()})
			return err
		}, tsunagu.CodeNoOpenSession, "input.sessionId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := p.snapshot()
			p.refused(t, before, tc.do(), tc.code, tc.field)
		})
	}
	p.checkLedger()
}

func TestCloseRegisterSessionErrors(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	s := p.open(p.clerk, p.reg1, 1000)
	counted := func(n int64) *int64 { return &n }
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		in    tsunagu.CloseSessionInput
		code  tsunagu.Code
		field string
	}{
		{"ErrNotCounted", p.clerk, tsunagu.CloseSessionInput{IdempotencyKey: p.key(), SessionID: s.ID}, tsunagu.CodeRequired, "input.countedCash"},
		{"ErrNegative", p.clerk, tsunagu.CloseSessionInput{IdempotencyKey: p.key(), SessionID: s.ID, CountedCash: counted(-5)}, tsunagu.CodeOutOfRange, "input.countedCash"},
		{"ErrUnknownDenomination", p.clerk, tsunagu.CloseSessionInput{IdempotencyKey: p.key(), SessionID: s.ID,
			Denominations: []tsunagu.DenominationCount{{Denomination: 3, Count: 1}}}, tsunagu.CodeInvalidInput, "input.denominations.0.denomination"},
		{"ErrDisagree", p.clerk, tsunagu.CloseSessionInput{IdempotencyKey: p.key(), SessionID: s.ID, CountedCash: counted(1000),
			Denominations: []tsunagu.DenominationCount{{Denomination: 500, Count: 1}}}, tsunagu.CodeInvalidInput, "input.countedCash"},
		{"ErrUnknownSession", p.clerk, tsunagu.CloseSessionInput{IdempotencyKey: p.key(), SessionID: 999999, CountedCash: counted(0)}, tsunagu.CodeNotFound, ""},
		{"ErrOtherShopsClerk", p.otherClerk, tsunagu.CloseSessionInput{IdempotencyKey: p.key(), SessionID: s.ID, CountedCash: counted(0)}, tsunagu.CodeForbidden, ""},
		{"ErrOtherCitysManager", p.otherManager, tsunagu.CloseSessionInput{IdempotencyKey: p.key(), SessionID: s.ID, CountedCash: counted(0)}, tsunagu.CodeForbidden, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := p.snapshot()
			_, err := p.pos.CloseRegisterSession(tc.ctx, tc.in)
			p.refused(t, before, err, tc.code, tc.field)
		})
	}
	// A manager of the shop's city may close it.
	closed := p.close(p.manager, s, 1000)
	if closed.ClosedBy == nil || *closed.ClosedBy != tsunagu.UserFrom(p.manager).ID {
		t.Errorf("closed by %v", closed.ClosedBy)
	}
}

func TestRecordCashMovement(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	p.stock(p.homeShop, p.cookies, 5)
	s := p.open(p.clerk, p.reg1, 1000)
	p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.cookies, 1)}, posCash(350, 500))
	cash := func(typ tsunagu.CashMovementType, amount int64, reason string) tsunagu.RecordCashMovementInput {
		return tsunagu.RecordCashMovementInput{SessionID: s.ID, Type: typ, Amount: amount, Reason: reason, IdempotencyKey: p.key()}
	}
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		in    tsunagu.RecordCashMovementInput
		code  tsunagu.Code
		field string
	}{
		// The drawer holds the ¥1,000 float and ¥350 from the sale.
		{"ErrOutMoreThanDrawer", p.clerk, cash(tsunagu.CashOut, 1351, "銀行へ"), tsunagu.CodeOutOfRange, "input.amount"},
		{"ErrNoReason", p.clerk, cash(tsunagu.CashIn, 100, "  "), tsunagu.CodeRequired, "input.reason"},
		{"ErrUnknownType", p.clerk, cash("SIDEWAYS", 100, "両替"), tsunagu.CodeInvalidInput, "input.type"},
		{"ErrZeroAmount", p.clerk, cash(tsunagu.CashIn, 0, "両替"), tsunagu.CodeOutOfRange, "input.amount"},
		{"ErrNoKey", p.clerk, tsunagu.RecordCashMovementInput{SessionID: s.ID, Type: tsunagu.CashIn, Amount: 1, Reason: "両替"},
			tsunagu.CodeRequired, "input.idempotencyKey"},
		{"ErrUnknownSession", p.clerk, tsunagu.RecordCashMovementInput{SessionID: 999999, Type: tsunagu.CashIn, Amount: 1,
			Reason: "両替", IdempotencyKey: p.key()}, tsunagu.CodeNotFound, ""},
		{"ErrOtherShopsClerk", p.otherClerk, cash(tsunagu.CashIn, 100, "両替"), tsunagu.CodeForbidden, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := p.snapshot()
			_, err := p.pos.RecordCashMovement(tc.ctx, tc.in)
			p.refused(t, before, err, tc.code, tc.field)
		})
	}
	t.Run("OutUpToDrawer", func(t *testing.T) {
		_, err := p.pos.RecordCashMovement(p.clerk, cash(tsunagu.CashOut, 1350, "銀行へ"))
		must(t, err)
		before := p.snapshot()
		_, err = p.pos.RecordCashMovement(p.clerk, cash(tsunagu.CashOut, 1, "銀行へ"))
		p.refused(t, before, err, tsunagu.CodeOutOfRange, "input.amount")
		_, err = p.pos.RecordCashMovement(p.clerk, cash(tsunagu.CashIn, 200, "両替"))
		must(t, err)
		_, err = p.pos.RecordCashMovement(p.clerk, cash(tsunagu.CashOut, 200, "両替"))
		must(t, err)
	})
	ms, err := p.pos.CashMovements(p.clerk, []tsunagu.SessionID{s.ID})
	must(t, err)
	var got []int64
	for _, m := range ms[s.ID] {
		if m.Type == tsunagu.CashOut {
			got = append(got, -m.Amount)
		} else {
			got = append(got, m.Amount)
		}
	}
	if len(got) != 3 || got[0] != -1350 || got[1] != 200 || got[2] != -200 {
		t.Errorf("movements %v", got)
	}
	if other, err := p.pos.CashMovements(p.otherClerk, []tsunagu.SessionID{s.ID}); err != nil || len(other) != 0 {
		t.Errorf("another shop's clerk sees %v, %v", other, err)
	}
}

// TestRegisterSessionRetries: opening and closing a register are answered again,
// not refused, when the answer was lost and the app sends the same key.
func TestRegisterSessionRetries(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	open := tsunagu.OpenSessionInput{IdempotencyKey: p.key(), RegisterID: p.reg2.ID, OpeningFloat: 20000}
	first, err := p.pos.OpenRegisterSession(p.clerk, open)
	must(t, err)
	before := p.snapshot()
	again, err := p.pos.OpenRegisterSession(p.clerk, open)
	must(t, err)
	if again.ID != first.ID || again.Status != tsunagu.SessionOpen {
		t.Errorf("the retried open answered %+v, want session %d", again, first.ID)
	}
	if p.snapshot() != before {
		t.Error("the retry changed the database")
	}

	t.Run("ErrSameKeyOtherFloat", func(t *testing.T) {
		other := open
		other.OpeningFloat = 25000
		before := p.snapshot()
		_, err := p.pos.OpenRegisterSession(p.clerk, other)
		p.refused(t, before, err, tsunagu.CodeIdempotencyConflict, "input.idempotencyKey")
	})
	t.Run("ErrNoKey", func(t *testing.T) {
		before := p.snapshot()
		_, err := p.pos.OpenRegisterSession(p.clerk, tsunagu.OpenSessionInput{RegisterID: p.reg1.ID})
		p.refused(t, before, err, tsunagu.CodeRequired, "input.idempotencyKey")
		_, err = p.pos.CloseRegisterSession(p.clerk, tsunagu.CloseSessionInput{SessionID: first.ID, CountedCash: posPtr[int64](0)})
		p.refused(t, before, err, tsunagu.CodeRequired, "input.idempotencyKey")
	})

	closing := tsunagu.CloseSessionInput{IdempotencyKey: p.key(), SessionID: first.ID, CountedCash: posPtr[int64](20000)}
	closed, err := p.pos.CloseRegisterSession(p.clerk, closing)
	must(t, err)
	before = p.snapshot()
	again, err = p.pos.CloseRegisterSession(p.clerk, closing)
	must(t, err)
	if again.ID != closed.ID || again.Status != tsunagu.SessionClosed || *again.CountedCash != 20000 {
		t.Errorf("the retried close answered %+v", again)
	}
	if p.snapshot() != before {
		t.Error("the retry changed the database")
	}
	// A new key is a new closing: the session is closed already.
	closing.IdempotencyKey = p.key()
	_, err = p.pos.CloseRegisterSession(p.clerk, closing)
	p.refused(t, before, err, tsunagu.CodeInvalidState, "input.sessionId")
}
