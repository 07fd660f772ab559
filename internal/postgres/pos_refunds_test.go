package postgres_test

import (
	"context"
	"strings"
	"testing"

	"tsunagu/internal/tsunagu"
)

func TestRefundSaleErrors(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	p.stock(p.homeShop, p.cookies, 20)
	p.stock(p.homeShop, p.jam, 20)
	closed := p.close(p.clerk, p.open(p.clerk, p.reg2, 0), 0)
	s := p.open(p.clerk, p.reg1, 10000)
	partner := p.open(p.otherClerk, p.partnerReg, 10000)
	// 3 cookies and a jam; 2 cookies refunded already.
	sale := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.cookies, 3), posLine(p.jam, 1)}, posCash(1700, 0))
	p.refund(p.clerk, sale, s, tsunagu.RefundCash, tsunagu.RefundLineInput{LineNumber: 1, Quantity: 2})
	voided := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.jam, 1)}, posCash(650, 0))
	_, err := p.pos.VoidSale(p.clerk, tsunagu.VoidSaleInput{SaleID: voided.ID, IdempotencyKey: p.key()})
	must(t, err)
	done := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.jam, 2)}, posCash(1300, 0))
	p.refund(p.clerk, done, s, tsunagu.RefundOriginal)

	in := func(saleID tsunagu.SaleID, session tsunagu.SessionID, lines ...tsunagu.RefundLineInput) tsunagu.RefundSaleInput {
		return tsunagu.RefundSaleInput{SaleID: saleID, SessionID: session, Lines: lines, Method: tsunagu.RefundCash, IdempotencyKey: p.key()}
	}
	l := func(n, q int) tsunagu.RefundLineInput { return tsunagu.RefundLineInput{LineNumber: n, Quantity: q} }
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		in    tsunagu.RefundSaleInput
		code  tsunagu.Code
		field string
		says  string
	}{
		{"ErrOverRefund", p.clerk, in(sale.ID, s.ID, l(2, 1), l(1, 2)), tsunagu.CodeOverRefund, "input.lines.1.quantity", "Only 1 of クッキー"},
		{"ErrMoreThanSold", p.clerk, in(sale.ID, s.ID, l(2, 2)), tsunagu.CodeOverRefund, "input.lines.0.quantity", "Only 1 of ジャム"},
		{"ErrEverythingRefunded", p.clerk, in(done.ID, s.ID), tsunagu.CodeOverRefund, "input.lines", ""},
		{"ErrUnknownLine", p.clerk, in(sale.ID, s.ID, l(9, 1)), tsunagu.CodeNotFound, "input.lines.0.lineNumber", ""},
		{"ErrVoidedSale", p.clerk, in(voided.ID, s.ID), tsunagu.CodeInvalidState, "input.saleId", ""},
		{"ErrClosedSession", p.clerk, in(sale.ID, closed.ID, l(2, 1)), tsunagu.CodeNoOpenSession, "input.sessionId", ""},
		{"ErrUnknownSession", p.clerk, in(sale.ID, 999999, l(2, 1)), tsunagu.CodeNotFound, "input.sessionId", ""},
		{"ErrAnotherShopsSession", p.admin, in(sale.ID, partner.ID, l(2, 1)), tsunagu.CodeInvalidInput, "input.sessionId", ""},
		{"ErrUnknownSale", p.clerk, in(999999, s.ID), tsunagu.CodeNotFound, "", ""},
		{"ErrOtherShopsClerk", p.otherClerk, in(sale.ID, partner.ID, l(2, 1)), tsunagu.CodeForbidden, "", ""},
		{"ErrOtherCitysManager", p.otherManager, in(sale.ID, s.ID, l(2, 1)), tsunagu.CodeForbidden, "", ""},
		{"ErrUnknownMethod", p.clerk, tsunagu.RefundSaleInput{SaleID: sale.ID, SessionID: s.ID, Method: "CARD", IdempotencyKey: p.key()},
			tsunagu.CodeInvalidInput, "input.method", ""},
		{"ErrDuplicateLine", p.clerk, in(sale.ID, s.ID, l(1, 1), l(1, 1)), tsunagu.CodeDuplicate, "input.lines.1.lineNumber", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := p.snapshot()
			_, err := p.pos.RefundSale(tc.ctx, tc.in)
			p.refused(t, before, err, tc.code, tc.field)
			if msg := tsunagu.ErrorMessage(err); !strings.Contains(msg, tc.says) {
				t.Errorf("message %q does not say %q", msg, tc.says)
			}
		})
	}

	t.Run("OKRest", func(t *testing.T) {
		// Lines left out: everything not yet refunded, the last cookie and the jam.
		rf := p.refund(p.clerk, sale, s, tsunagu.RefundCash)
		if rf.Total != 350+650 {
			t.Errorf("refund of the rest: %+v", rf)
		}
		lines, err := p.pos.SaleLines(p.clerk, []tsunagu.SaleID{sale.ID})
		must(t, err)
		for _, l := range lines[sale.ID] {
			if l.Refunded != l.Quantity {
				t.Errorf("line %d: %d of %d refunded", l.LineNumber, l.Refunded, l.Quantity)
			}
		}
		before := p.snapshot()
		_, err = p.pos.RefundSale(p.clerk, in(sale.ID, s.ID, l(1, 1)))
		p.refused(t, before, err, tsunagu.CodeOverRefund, "input.lines.0.quantity")
	})
	if got := p.onHand(p.homeShop, p.cookies); got != 20 {
		t.Errorf("cookies on hand %d, want all 20 back", got)
	}
	p.checkLedger()
}

// The database refuses a refund beyond what was sold even if the service's checks
// were bypassed: the CHECK on sale_lines is the last line of defence.
func TestRefundOverSoldRefusedByDatabase(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	p.stock(p.homeShop, p.cookies, 5)
	s := p.open(p.clerk, p.reg1, 0)
	sale := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.cookies, 2)}, posCash(700, 0))
	_, err := p.db.SQL().ExecContext(context.Background(), `UPDATE sale_lines SET refunded = 3 WHERE sale_id = $1`, sale.ID)
	if err == nil || !strings.Contains(err.Error(), "sale_lines_refunded") {
		t.Errorf("refunded 3 of 2: %v", err)
	}
}
