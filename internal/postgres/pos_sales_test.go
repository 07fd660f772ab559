package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"tsunagu/internal/tsunagu"
)

// Every refused sale names its input field, says why, and changes nothing, not even
// the receipt counter: the first sale after all of them is receipt number 1.
func TestCreateSaleErrors(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	_, err := p.catalog.UpdateProduct(p.manager, tsunagu.UpdateProductInput{ID: p.cookies.ID, Code: posPtr("4901234567894")})
	must(t, err)
	archived := p.product(p.admin, p.homeFac, "古いクッキー", 300, tsunagu.TaxReduced8)
	_, err = p.catalog.ArchiveProduct(p.manager, archived.ID)
	must(t, err)
	draft := p.product(p.admin, p.homeFac, "新しいクッキー", 400, tsunagu.TaxReduced8)
	_, err = p.catalog.UpdateProduct(p.manager, tsunagu.UpdateProductInput{ID: draft.ID, Status: posPtr(tsunagu.StatusDraft)})
	must(t, err)
	for _, pr := range []*tsunagu.Product{p.cookies, archived, draft} {
		p.stock(p.homeShop, pr, 5)
	}
	p.stock(p.homeShop, p.jam, 2)
	s := p.open(p.clerk, p.reg1, 10000)
	closed := p.close(p.clerk, p.open(p.clerk, p.reg2, 0), 0)
	unknown := &tsunagu.RegisterSession{ID: 999999}
	cookie := []tsunagu.SaleLineInput{posLine(p.cookies, 1)}
	cash350 := posCash(350, 0)

	for _, tc := range []struct {
		name  string
		ctx   context.Context
		in    tsunagu.CreateSaleInput
		code  tsunagu.Code
		field string
		says  []string
	}{
		{"ErrNoOpenSession", p.clerk, p.saleInput(closed, cookie, cash350), tsunagu.CodeNoOpenSession, "input.sessionId", nil},
		{"ErrUnknownSession", p.clerk, p.saleInput(unknown, cookie, cash350), tsunagu.CodeNotFound, "", nil},
		{"ErrOtherShopsClerk", p.otherClerk, p.saleInput(s, cookie, cash350), tsunagu.CodeForbidden, "", nil},
		{"ErrOtherCitysManager", p.otherManager, p.saleInput(s, cookie, cash350), tsunagu.CodeForbidden, "", nil},
		{"ErrAnonymous", context.Background(), p.saleInput(s, cookie, cash350), tsunagu.CodeUnauthenticated, "", nil},
		{"ErrUnknownProduct", p.clerk, p.saleInput(s, []tsunagu.SaleLineInput{posLine(p.cookies, 1),
			posLine(&tsunagu.Product{ID: 999999}, 1)}, posCash(700, 0)), tsunagu.CodeNotFound, "input.lines.1.productId", nil},
		{"ErrUnknownCode", p.clerk, p.saleInput(s, []tsunagu.SaleLineInput{posCodeLine("4512345678906", 1)}, cash350),
			tsunagu.CodeNotFound, "input.lines.0.code", []string{"4512345678906"}},
		{"ErrInvalidCode", p.clerk, p.saleInput(s, []tsunagu.SaleLineInput{posCodeLine("4901234567890", 1)}, cash350),
			tsunagu.CodeInvalidJAN, "input.lines.0.code", nil},
		{"ErrArchivedProduct", p.clerk, p.saleInput(s, []tsunagu.SaleLineInput{posLine(archived, 1)}, posCash(300, 0)),
			tsunagu.CodeInvalidState, "input.lines.0", []string{"古いクッキー"}},
		{"ErrDraftProduct", p.clerk, p.saleInput(s, []tsunagu.SaleLineInput{posLine(draft, 1)}, posCash(400, 0)),
			tsunagu.CodeInvalidState, "input.lines.0", []string{"新しいクッキー"}},
		{"ErrZeroQuantity", p.clerk, p.saleInput(s, []tsunagu.SaleLineInput{posLine(p.cookies, 0)}, cash350),
			tsunagu.CodeOutOfRange, "input.lines.0.quantity", nil},
		{"ErrInsufficientStock", p.clerk, p.saleInput(s, []tsunagu.SaleLineInput{posLine(p.cookies, 1), posLine(p.jam, 3)}, posCash(2300, 0)),
			tsunagu.CodeInsufficientStock, "input.lines.1.quantity", []string{"Only 2 of ジャム", "needs 3"}},
		// The same product on two lines: the stock is checked for both together, and
		// the error names the first.
		{"ErrInsufficientStockSummed", p.clerk, p.saleInput(s, []tsunagu.SaleLineInput{posLine(p.jam, 1), posLine(p.cookies, 1),
			posLine(p.jam, 2)}, posCash(2300, 0)), tsunagu.CodeInsufficientStock, "input.lines.0.quantity", []string{"needs 3"}},
		{"ErrNotStockedHere", p.clerk, p.saleInput(s, []tsunagu.SaleLineInput{posLine(p.spoon, 1)}, posCash(1200, 0)),
			tsunagu.CodeInsufficientStock, "input.lines.0.quantity", []string{"Only 0 of 木のスプーン"}},
		{"ErrTenderedLess", p.clerk, p.saleInput(s, cookie, posCash(350, 300)), tsunagu.CodeOutOfRange, "input.payments.0.tendered", nil},
		// A JAN code typed into the tendered field: refused before anything is
		// booked, not booked and then unprintable.
		{"ErrTenderedIsACode", p.clerk, p.saleInput(s, cookie, posCash(350, 4901234567894)), tsunagu.CodeOutOfRange,
			"input.payments.0.tendered", []string{"¥100,000,000", "product code"}},
		{"ErrTotalTooLarge", p.clerk, p.saleInput(s, []tsunagu.SaleLineInput{posLine(p.cookies, 100_000), posLine(p.cookies, 100_000),
			posLine(p.cookies, 100_000)}, posPay(tsunagu.PaymentCard, 100_000_000, "C")), tsunagu.CodeOutOfRange, "input.lines", []string{"¥105,000,000"}},
		{"ErrPaymentsShort", p.clerk, p.saleInput(s, []tsunagu.SaleLineInput{posLine(p.cookies, 2)}, posCash(350, 0),
			posPay(tsunagu.PaymentCard, 300, "C")), tsunagu.CodePaymentMismatch, "input.payments", []string{"¥700"}},
		{"ErrPaymentsOver", p.clerk, p.saleInput(s, cookie, posPay(tsunagu.PaymentEMoney, 400, "E")),
			tsunagu.CodePaymentMismatch, "input.payments", nil},
		{"ErrNoKey", p.clerk, tsunagu.CreateSaleInput{SessionID: s.ID, Lines: cookie, Payments: []tsunagu.PaymentInput{cash350}},
			tsunagu.CodeRequired, "input.idempotencyKey", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := p.snapshot()
			_, err := p.pos.CreateSale(tc.ctx, tc.in)
			p.refused(t, before, err, tc.code, tc.field)
			for _, want := range tc.says {
				if msg := tsunagu.ErrorMessage(err); !strings.Contains(msg, want) {
					t.Errorf("message %q does not say %q", msg, want)
				}
			}
		})
	}

	t.Run("OKByCode", func(t *testing.T) {
		// Scanned as typed on a full-width keyboard.
		sale := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posCodeLine("４９０１２３４５６７８９４", 2)}, posCash(700, 1000))
		if sale.ReceiptNumber != 1 || sale.Total != 700 {
			t.Errorf("sale: %+v", sale)
		}
		lines, err := p.pos.SaleLines(p.clerk, []tsunagu.SaleID{sale.ID})
		must(t, err)
		if l := lines[sale.ID]; len(l) != 1 || l[0].ProductID != p.cookies.ID || l[0].Code != "4901234567894" {
			t.Errorf("lines: %+v", l)
		}
	})
	p.checkLedger()
}

func TestVoidSaleErrors(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	p.stock(p.homeShop, p.cookies, 10)
	earlier := p.open(p.clerk, p.reg2, 0)
	ofClosed := p.sell(p.clerk, earlier, []tsunagu.SaleLineInput{posLine(p.cookies, 1)}, posCash(350, 0))
	p.close(p.clerk, earlier, 350)
	s := p.open(p.clerk, p.reg1, 0)
	voided := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.cookies, 1)}, posCash(350, 0))
	_, err := p.pos.VoidSale(p.clerk, tsunagu.VoidSaleInput{SaleID: voided.ID, IdempotencyKey: p.key()})
	must(t, err)
	refunded := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.cookies, 2)}, posCash(700, 0))
	p.refund(p.clerk, refunded, s, tsunagu.RefundCash, tsunagu.RefundLineInput{LineNumber: 1, Quantity: 1})
	fresh := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.cookies, 1)}, posCash(350, 0))

	for _, tc := range []struct {
		name  string
		ctx   context.Context
		in    tsunagu.VoidSaleInput
		code  tsunagu.Code
		field string
	}{
		{"ErrVoidedAlready", p.clerk, tsunagu.VoidSaleInput{SaleID: voided.ID, IdempotencyKey: p.key()}, tsunagu.CodeInvalidState, "input.saleId"},
		{"ErrClosedSession", p.clerk, tsunagu.VoidSaleInput{SaleID: ofClosed.ID, IdempotencyKey: p.key()}, tsunagu.CodeInvalidState, "input.saleId"},
		{"ErrHasRefunds", p.clerk, tsunagu.VoidSaleInput{SaleID: refunded.ID, IdempotencyKey: p.key()}, tsunagu.CodeInvalidState, "input.saleId"},
		{"ErrUnknownSale", p.clerk, tsunagu.VoidSaleInput{SaleID: 999999, IdempotencyKey: p.key()}, tsunagu.CodeNotFound, ""},
		{"ErrOtherShopsClerk", p.otherClerk, tsunagu.VoidSaleInput{SaleID: fresh.ID, IdempotencyKey: p.key()}, tsunagu.CodeForbidden, ""},
		{"ErrReasonTooLong", p.clerk, tsunagu.VoidSaleInput{SaleID: fresh.ID, IdempotencyKey: p.key(),
			Reason: strings.Repeat("理", tsunagu.MaxNoteLength+1)}, tsunagu.CodeTooLong, "input.reason"},
		{"ErrNoKey", p.clerk, tsunagu.VoidSaleInput{SaleID: fresh.ID}, tsunagu.CodeRequired, "input.idempotencyKey"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := p.snapshot()
			_, err := p.pos.VoidSale(tc.ctx, tc.in)
			p.refused(t, before, err, tc.code, tc.field)
		})
	}
	if msg := func() string {
		_, err := p.pos.VoidSale(p.clerk, tsunagu.VoidSaleInput{SaleID: ofClosed.ID, IdempotencyKey: p.key()})
		return tsunagu.ErrorMessage(err)
	}(); !strings.Contains(msg, "refund it instead") {
		t.Errorf("the void of a closed session's sale says %q", msg)
	}
	p.checkLedger()
}

// Retries with the same key return the first result and do the work once; the same
// key for another request is refused.
func TestPOSIdempotency(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	p.stock(p.homeShop, p.cookies, 50)
	s := p.open(p.clerk, p.reg1, 1000)

	in := p.saleInput(s, []tsunagu.SaleLineInput{posLine(p.cookies, 2)}, posCash(700, 1000))
	first, err := p.pos.CreateSale(p.clerk, in)
	must(t, err)
	t.Run("CreateSaleRetry", func(t *testing.T) {
		before := p.snapshot()
		again, err := p.pos.CreateSale(p.clerk, in)
		must(t, err)
		if *again != *first {
			t.Errorf("retry returned %+v, want %+v", again, first)
		}
		if after := p.snapshot(); after != before {
			t.Error("the retry changed the database")
		}
	})
	t.Run("ErrCreateSaleConflict", func(t *testing.T) {
		other := in
		other.Lines = []tsunagu.SaleLineInput{posLine(p.cookies, 1)}
		other.Payments = []tsunagu.PaymentInput{posCash(350, 0)}
		before := p.snapshot()
		_, err := p.pos.CreateSale(p.clerk, other)
		p.refused(t, before, err, tsunagu.CodeIdempotencyConflict, "input.idempotencyKey")
	})
	t.Run("ErrKeyOfAnotherOperation", func(t *testing.T) {
		before := p.snapshot()
		_, err := p.pos.VoidSale(p.clerk, tsunagu.VoidSaleInput{SaleID: first.ID, IdempotencyKey: in.IdempotencyKey})
		p.refused(t, before, err, tsunagu.CodeIdempotencyConflict, "input.idempotencyKey")
	})
	t.Run("KeysAreEachUsers", func(t *testing.T) {
		// The manager's sale with the clerk's key is a sale of its own.
		sale, err := p.pos.CreateSale(p.manager, in)
		must(t, err)
		if sale.ID == first.ID || sale.ReceiptNumber != 2 {
			t.Errorf("manager's sale %+v", sale)
		}
	})
	t.Run("CreateSaleConcurrent", func(t *testing.T) {
		// The same key from 5 goroutines at once: one sale.
		in := p.saleInput(s, []tsunagu.SaleLineInput{posLine(p.cookies, 1)}, posCash(350, 0))
		stock := p.onHand(p.homeShop, p.cookies)
		var wg sync.WaitGroup
		ids := make([]tsunagu.SaleID, 5)
		errs := make([]error, 5)
		start := make(chan struct{})
		for i := range 5 {
			wg.Go(func() {
				<-start
				sale, err := p.pos.CreateSale(p.clerk, in)
				errs[i] = err
				if err == nil {
					ids[i] = sale.ID
				}
			})
		}
		close(start)
		wg.Wait()
		for i := range 5 {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Errorf("call %d: sale %d, %v; want sale %d", i, ids[i], errs[i], ids[0])
			}
		}
		if got := p.onHand(p.homeShop, p.cookies); got != stock-1 {
			t.Errorf("on hand %d, want %d: sold more than once", got, stock-1)
		}
	})
	t.Run("VoidSaleRetry", func(t *testing.T) {
		sale := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.cookies, 3)}, posCash(1050, 0))
		void := tsunagu.VoidSaleInput{SaleID: sale.ID, Reason: "取消", IdempotencyKey: p.key()}
		v1, err := p.pos.VoidSale(p.clerk, void)
		must(t, err)
		stock, before := p.onHand(p.homeShop, p.cookies), p.snapshot()
		v2, err := p.pos.VoidSale(p.clerk, void)
		must(t, err)
		if v2.ID != v1.ID || v2.Status != tsunagu.SaleVoided || !v2.VoidedAt.Equal(*v1.VoidedAt) {
			t.Errorf("retry returned %+v, want %+v", v2, v1)
		}
		if p.onHand(p.homeShop, p.cookies) != stock || p.snapshot() != before {
			t.Error("the retry changed the database")
		}
	})
	t.Run("RefundSaleRetry", func(t *testing.T) {
		sale := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.cookies, 3)}, posCash(1050, 0))
		rin := tsunagu.RefundSaleInput{SaleID: sale.ID, SessionID: s.ID, Method: tsunagu.RefundCash, IdempotencyKey: p.key(),
			Lines: []tsunagu.RefundLineInput{{LineNumber: 1, Quantity: 1}}}
		r1, err := p.pos.RefundSale(p.clerk, rin)
		must(t, err)
		stock, before := p.onHand(p.homeShop, p.cookies), p.snapshot()
		r2, err := p.pos.RefundSale(p.clerk, rin)
		must(t, err)
		if *r2 != *r1 {
			t.Errorf("retry returned %+v, want %+v", r2, r1)
		}
		if p.onHand(p.homeShop, p.cookies) != stock || p.snapshot() != before {
			t.Error("the retry changed the database")
		}
		rin.Lines[0].Quantity = 2
		_, err = p.pos.RefundSale(p.clerk, rin)
		p.refused(t, before, err, tsunagu.CodeIdempotencyConflict, "input.idempotencyKey")
	})
	t.Run("CashMovementRetry", func(t *testing.T) {
		cin := tsunagu.RecordCashMovementInput{SessionID: s.ID, Type: tsunagu.CashIn, Amount: 500, Reason: "両替", IdempotencyKey: p.key()}
		m1, err := p.pos.RecordCashMovement(p.clerk, cin)
		must(t, err)
		before := p.snapshot()
		m2, err := p.pos.RecordCashMovement(p.clerk, cin)
		must(t, err)
		if *m2 != *m1 || p.snapshot() != before {
			t.Errorf("retry returned %+v, want %+v, or changed the database", m2, m1)
		}
	})
	p.checkLedger()
	t.Run("ErrSaleWithKeyOfAnotherOperation", func(t *testing.T) {
		// The sale takes its key in its first statement: a key another operation
		// used is still a conflict, and the sale is not made.
		reason := "押し間違い"
		other := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.cookies, 1)}, posCash(350, 0))
		voidKey := p.key()
		_, err := p.pos.VoidSale(p.clerk, tsunagu.VoidSaleInput{SaleID: other.ID, Reason: reason, IdempotencyKey: voidKey})
		must(t, err)
		reuse := in
		reuse.IdempotencyKey = voidKey
		before := p.snapshot()
		_, err = p.pos.CreateSale(p.clerk, reuse)
		p.refused(t, before, err, tsunagu.CodeIdempotencyConflict, "input.idempotencyKey")
	})
}
