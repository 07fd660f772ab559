package postgres_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// posWorld is a world with the POS: both shops have receipt settings (the home shop
// run by 港区, registered), the home shop two registers and the partner shop one.
// Stock is put on the shelf through the ledger.
type posWorld struct {
	*world
	pos                    *postgres.POSService
	keys                   atomic.Int64
	reg1, reg2, partnerReg *tsunagu.Register
}

// homeRegistration is 港区's (the home shop operator's) invoice registration number.
const homeRegistration = "T7000012050002"

func newPOSWorld(t testing.TB) *posWorld {
	t.Helper()
	w := newWorld(t)
	p := &posWorld{world: w, pos: postgres.NewPOSService(w.db)}
	_, err := p.pos.UpdateShop(w.manager, tsunagu.UpdateShopInput{ShopID: w.homeShop.ID, OperatorName: posPtr("港区"),
		RegistrationNumber: posPtr(homeRegistration)})
	must(t, err)
	_, err = p.pos.UpdateShop(w.otherManager, tsunagu.UpdateShopInput{ShopID: w.partnerShop.ID, OperatorName: posPtr("旭川市"),
		RegistrationNumber: posPtr(posRegistration("000020012041"))})
	must(t, err)
	p.reg1 = p.register(w.manager, w.homeShop, "レジ1")
	p.reg2 = p.register(w.manager, w.homeShop, "レジ2")
	p.partnerReg = p.register(w.otherManager, w.partnerShop, "レジ1")
	return p
}

func posPtr[T any](v T) *T { return &v }

// posRegistration makes a valid registration number from a 12-digit base.
func posRegistration(base12 string) string {
	return fmt.Sprintf("T%d%s", tsunagu.CorporateCheckDigit(base12), base12)
}

// key returns a new idempotency key.
func (p *posWorld) key() string { return fmt.Sprintf("pos-key-%d", p.keys.Add(1)) }

func (p *posWorld) register(ctx context.Context, shop *tsunagu.Location, name string) *tsunagu.Register {
	p.t.Helper()
	r, err := p.pos.CreateRegister(ctx, tsunagu.CreateRegisterInput{ShopID: shop.ID, Name: name})
	must(p.t, err)
	return r
}

// registerFacility makes f a registered qualified-invoice issuer.
func (p *posWorld) registerFacility(f *tsunagu.Facility, base12 string) {
	p.t.Helper()
	_, err := p.catalog.UpdateFacility(p.admin, tsunagu.UpdateFacilityInput{ID: f.ID, RegistrationNumber: posPtr(posRegistration(base12))})
	must(p.t, err)
}

// stock puts n of pr on the shelf at loc, through the ledger.
func (p *posWorld) stock(loc *tsunagu.Location, pr *tsunagu.Product, n int) {
	p.t.Helper()
	must(p.t, postgres.PutStockForPOSTest(p.admin, p.db, pr.ID, pr.FacilityID, loc.ID, n))
}

// onHand is the stock of pr on hand at loc.
func (p *posWorld) onHand(loc *tsunagu.Location, pr *tsunagu.Product) int {
	p.t.Helper()
	var n int
	err := p.db.SQL().QueryRowContext(context.Background(), `
		SELECT coalesce((SELECT on_hand FROM stock_levels WHERE product_id = $1 AND location_id = $2), 0)`,
		pr.ID, loc.ID).Scan(&n)
	must(p.t, err)
	return n
}

func (p *posWorld) open(ctx context.Context, reg *tsunagu.Register, float int64) *tsunagu.RegisterSession {
	p.t.Helper()
	s, err := p.pos.OpenRegisterSession(ctx, tsunagu.OpenSessionInput{IdempotencyKey: p.key(), RegisterID: reg.ID, OpeningFloat: float})
	must(p.t, err)
	return s
}

func (p *posWorld) close(ctx context.Context, s *tsunagu.RegisterSession, counted int64) *tsunagu.RegisterSession {
	p.t.Helper()
	closed, err := p.pos.CloseRegisterSession(ctx, tsunagu.CloseSessionInput{IdempotencyKey: p.key(), SessionID: s.ID, CountedCash: &counted})
	must(p.t, err)
	return closed
}

func posLine(pr *tsunagu.Product, n int) tsunagu.SaleLineInput {
	id := pr.ID
	return tsunagu.SaleLineInput{ProductID: &id, Quantity: n}
}

func posCodeLine(code string, n int) tsunagu.SaleLineInput {
	return tsunagu.SaleLineInput{Code: &code, Quantity: n}
}

// posCash pays amount in cash; tendered 0 means exactly the amount.
func posCash(amount, tendered int64) tsunagu.PaymentInput {
	p := tsunagu.PaymentInput{Method: tsunagu.PaymentCash, Amount: amount}
	if tendered > 0 {
		p.Tendered = &tendered
	}
	return p
}

func posPay(m tsunagu.PaymentMethod, amount int64, ref string) tsunagu.PaymentInput {
	return tsunagu.PaymentInput{Method: m, Amount: amount, Reference: ref}
}

func (p *posWorld) saleInput(s *tsunagu.RegisterSession, lines []tsunagu.SaleLineInput, pays ...tsunagu.PaymentInput) tsunagu.CreateSaleInput {
	return tsunagu.CreateSaleInput{SessionID: s.ID, Lines: lines, Payments: pays, IdempotencyKey: p.key()}
}

func (p *posWorld) sell(ctx context.Context, s *tsunagu.RegisterSession, lines []tsunagu.SaleLineInput, pays ...tsunagu.PaymentInput) *tsunagu.Sale {
	p.t.Helper()
	sale, err := p.pos.CreateSale(ctx, p.saleInput(s, lines, pays...))
	must(p.t, err)
	return sale
}

func (p *posWorld) refund(ctx context.Context, sale *tsunagu.Sale, s *tsunagu.RegisterSession, m tsunagu.RefundMethod, lines ...tsunagu.RefundLineInput) *tsunagu.Refund {
	p.t.Helper()
	rf, err := p.pos.RefundSale(ctx, tsunagu.RefundSaleInput{SaleID: sale.ID, SessionID: s.ID, Lines: lines, Method: m, IdempotencyKey: p.key()})
	must(p.t, err)
	return rf
}

// refused asserts that err has code and field (of its first user error) and that the
// database is as it was before.
// A day at the home shop's counter, closed with a Z report whose every figure is
// checked: sales in cash with change and split cash and card, a void, a refund of one
// item in cash, cash paid in and out, and a count by denomination that is ¥10 short.
func TestPOSDay(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	p.registerFacility(p.homeFac, "000020131032")
	p.stock(p.homeShop, p.cookies, 20)
	p.stock(p.homeShop, p.jam, 10)
	p.stock(p.homeShop, p.spoon, 5)
	s := p.open(p.clerk, p.reg1, 30000)
	clerkID := tsunagu.UserFrom(p.clerk).ID

	// 3 cookies and a jam: ¥1,700, paid with ¥2,000, ¥300 change.
	sale1 := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.cookies, 3), posLine(p.jam, 1)}, posCash(1700, 2000))
	want1 := tsunagu.Sale{ID: sale1.ID, ShopID: p.homeShop.ID, RegisterID: p.reg1.ID, SessionID: s.ID, ReceiptNumber: 1,
		Status: tsunagu.SaleCompleted, Total: 1700, SoldBy: clerkID, CreatedAt: sale1.CreatedAt}
	if diff := cmp.Diff(want1, *sale1); diff != "" {
		t.Errorf("sale 1 (-want +got):\n%s", diff)
	}
	// A spoon and 2 cookies: ¥1,900, ¥900 in cash (¥1,000 handed over) and ¥1,000 by card.
	sale2 := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.spoon, 1), posLine(p.cookies, 2)},
		posCash(900, 1000), posPay(tsunagu.PaymentCard, 1000, "CARD-0001"))
	// A jam by QR, voided at once.
	sale3 := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.jam, 1)}, posPay(tsunagu.PaymentQR, 650, "QR-1"))
	if sale2.ReceiptNumber != 2 || sale3.ReceiptNumber != 3 {
		t.Errorf("receipt numbers %d, %d; want 2, 3", sale2.ReceiptNumber, sale3.ReceiptNumber)
	}
	voided, err := p.pos.VoidSale(p.clerk, tsunagu.VoidSaleInput{SaleID: sale3.ID, Reason: " 打ち間違い ", IdempotencyKey: p.key()})
	must(t, err)
	if voided.Status != tsunagu.SaleVoided || voided.VoidedAt == nil || voided.VoidedBy == nil || *voided.VoidedBy != clerkID ||
		voided.VoidReason != "打ち間違い" || voided.Total != 650 || voided.ReceiptNumber != 3 {
		t.Errorf("voided sale: %+v", voided)
	}
	// One cookie of sale 1 comes back, paid back in cash.
	rf := p.refund(p.clerk, sale1, s, tsunagu.RefundCash, tsunagu.RefundLineInput{LineNumber: 1, Quantity: 1})
	if rf.ReceiptNumber != 4 || rf.Total != 350 || rf.SaleID != sale1.ID || rf.SessionID != s.ID || rf.Method != tsunagu.RefundCash {
		t.Errorf("refund: %+v", rf)
	}
	for _, m := range []tsunagu.RecordCashMovementInput{
		{SessionID: s.ID, Type: tsunagu.CashIn, Amount: 5000, Reason: "両替", IdempotencyKey: p.key()},
		{SessionID: s.ID, Type: tsunagu.CashOut, Amount: 2000, Reason: "切手代", IdempotencyKey: p.key()},
	} {
		cm, err := p.pos.RecordCashMovement(p.clerk, m)
		must(t, err)
		if cm.Type != m.Type || cm.Amount != m.Amount || cm.Reason != m.Reason || cm.ActorID != clerkID || cm.SessionID != s.ID {
			t.Errorf("cash movement: %+v", cm)
		}
	}

	z, err := p.pos.Report(p.clerk, s.ID)
	must(t, err)
	want := &tsunagu.ZReport{
		SalesCount: 2, GrossSales: 3600, VoidCount: 1, VoidTotal: 650, RefundCount: 1, RefundTotal: 350, NetSales: 3250,
		// Cash: ¥1,700 + ¥900 − ¥350 refunded; the voided QR sale counts for nothing.
		ByPaymentMethod: []tsunagu.MethodTotal{{Method: tsunagu.PaymentCash, Count: 2, Amount: 2250}, {Method: tsunagu.PaymentCard, Count: 1, Amount: 1000}},
		// 8%: ¥1,050 + ¥650 + ¥700 − ¥350 = ¥2,050, tax ⌊2050 × 8/108⌋ = ¥151; 10%: the spoon.
		ByTaxRate: []tsunagu.RateTotal{{Class: tsunagu.TaxReduced8, Rate: 8, Total: 2050, Tax: 151},
			{Class: tsunagu.TaxStandard10, Rate: 10, Total: 1200, Tax: 109}},
		// The spoon's maker is not a registered issuer: its ¥1,200 is totalled apart.
		// The receipts printed ⌊1700 × 8/108⌋ = ¥125, ⌊700 × 8/108⌋ = ¥51 and, on the
		// refund, −¥25: ¥151, here the same as the tax of the day's total.
		ReportTaxes: tsunagu.ReportTaxes{
			Qualifying:    []tsunagu.RateTotal{{Class: tsunagu.TaxReduced8, Rate: 8, Total: 2050, Tax: 151}},
			NonQualifying: []tsunagu.RateTotal{{Class: tsunagu.TaxStandard10, Rate: 10, Total: 1200, Tax: 109}},
			ReceiptTaxes:  []tsunagu.RateTotal{{Class: tsunagu.TaxReduced8, Rate: 8, Total: 2050, Tax: 151}},
		},
		OpeningFloat: 30000, CashSales: 2600, CashRefunds: 350, CashIn: 5000, CashOut: 2000,
		ExpectedCash: 30000 + 2600 - 350 + 5000 - 2000,
	}
	if diff := cmp.Diff(want, z); diff != "" {
		t.Errorf("report of the open session (-want +got):\n%s", diff)
	}

	// Counted: 3 × ¥10,000, 5 × ¥1,000, 2 × ¥100, 4 × ¥10 = ¥35,240, ¥10 short.
	denominations := []tsunagu.DenominationCount{{Denomination: 10000, Count: 3}, {Denomination: 1000, Count: 5},
		{Denomination: 100, Count: 2}, {Denomination: 10, Count: 4}}
	closed, err := p.pos.CloseRegisterSession(p.clerk, tsunagu.CloseSessionInput{IdempotencyKey: p.key(), SessionID: s.ID, Denominations: denominations, Note: " 10円不足 "})
	must(t, err)
	if closed.Status != tsunagu.SessionClosed || closed.CountedCash == nil || *closed.CountedCash != 35240 || closed.ClosedAt == nil ||
		closed.ClosedBy == nil || *closed.ClosedBy != clerkID || closed.CloseNote != "10円不足" || !cmp.Equal(closed.Denominations, denominations) {
		t.Errorf("closed session: %+v", closed)
	}
	want.CountedCash, want.OverShort = posPtr[int64](35240), posPtr[int64](-10)
	for _, ctx := range []context.Context{p.clerk, p.manager, p.admin} {
		z, err := p.pos.Report(ctx, s.ID)
		must(t, err)
		if diff := cmp.Diff(want, z); diff != "" {
			t.Errorf("report of the closed session (-want +got):\n%s", diff)
		}
	}
	for _, ctx := range []context.Context{p.otherClerk, p.otherManager} {
		if _, err := p.pos.Report(ctx, s.ID); tsunagu.ErrorCode(err) != tsunagu.CodeNotFound {
			t.Errorf("another city's staff read the report: %v", err)
		}
	}

	// Stock: cookies 20 − 3 − 2 + 1, jam 10 − 1 − 1 + 1 (the void), spoons 5 − 1.
	for _, c := range []struct {
		pr   *tsunagu.Product
		want int
	}{{p.cookies, 16}, {p.jam, 9}, {p.spoon, 4}} {
		if got := p.onHand(p.homeShop, c.pr); got != c.want {
			t.Errorf("%s on hand %d, want %d", c.pr.Name(), got, c.want)
		}
	}
	// The sales stay as they were; the refund is counted on its line.
	lines, err := p.pos.SaleLines(p.clerk, []tsunagu.SaleID{sale1.ID, sale3.ID})
	must(t, err)
	wantLines := []*tsunagu.SaleLine{
		{SaleID: sale1.ID, LineNumber: 1, ProductID: p.cookies.ID, OwnerFacilityID: p.homeFac.ID, Name: "クッキー",
			UnitPrice: 350, Quantity: 3, TaxClass: tsunagu.TaxReduced8, Qualified: true, Refunded: 1},
		{SaleID: sale1.ID, LineNumber: 2, ProductID: p.jam.ID, OwnerFacilityID: p.homeFac.ID, Name: "ジャム",
			UnitPrice: 650, Quantity: 1, TaxClass: tsunagu.TaxReduced8, Qualified: true},
	}
	if diff := cmp.Diff(wantLines, lines[sale1.ID]); diff != "" {
		t.Errorf("lines of sale 1 (-want +got):\n%s", diff)
	}
	if len(lines[sale3.ID]) != 1 || lines[sale3.ID][0].Quantity != 1 {
		t.Errorf("lines of the voided sale: %+v", lines[sale3.ID])
	}
	pays, err := p.pos.SalePayments(p.clerk, []tsunagu.SaleID{sale2.ID})
	must(t, err)
	wantPays := []*tsunagu.Payment{{Method: tsunagu.PaymentCash, Amount: 900, Tendered: 1000, Change: 100},
		{Method: tsunagu.PaymentCard, Amount: 1000, Reference: "CARD-0001"}}
	if diff := cmp.Diff(wantPays, pays[sale2.ID]); diff != "" {
		t.Errorf("payments of sale 2 (-want +got):\n%s", diff)
	}
	rls, err := p.pos.RefundLines(p.clerk, []tsunagu.RefundID{rf.ID})
	must(t, err)
	if diff := cmp.Diff([]*tsunagu.RefundLine{{RefundID: rf.ID, LineNumber: 1, Quantity: 1, Amount: 350}}, rls[rf.ID]); diff != "" {
		t.Errorf("refund lines (-want +got):\n%s", diff)
	}
	// The ledger: the sale, its void and the refund, each under the sale's document.
	var moves []string
	rows, err := p.db.SQL().QueryContext(context.Background(), `
		SELECT reason || ' ' || quantity || ' ' || document_id FROM stock_movements
		WHERE document_type = 'SALE' AND document_id IN ($1, $2) ORDER BY id`, sale1.ID, sale3.ID)
	must(t, err)
	for rows.Next() {
		var m string
		must(t, rows.Scan(&m))
		moves = append(moves, m)
	}
	must(t, rows.Err())
	id1, id3 := fmt.Sprint(sale1.ID), fmt.Sprint(sale3.ID)
	if diff := cmp.Diff([]string{"SALE -3 " + id1, "SALE -1 " + id1, "SALE -1 " + id3, "SALE_VOID 1 " + id3, "REFUND 1 " + id1}, moves); diff != "" {
		t.Errorf("movements (-want +got):\n%s", diff)
	}
	p.checkLedger()
}

// A refund on a later day pays back a sale of a closed session from today's session,
// by the sale's own methods: the card first, up to what it paid, then cash.
func TestPOSRefundInLaterSession(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	p.stock(p.homeShop, p.spoon, 3)
	p.stock(p.homeShop, p.cookies, 3)
	yesterday := p.open(p.clerk, p.reg1, 10000)
	sale := p.sell(p.clerk, yesterday, []tsunagu.SaleLineInput{posLine(p.spoon, 1), posLine(p.cookies, 2)},
		posCash(900, 0), posPay(tsunagu.PaymentCard, 1000, "C-9"))
	p.close(p.clerk, yesterday, 10900)

	today := p.open(p.clerk, p.reg2, 5000)
	rf := p.refund(p.manager, sale, today, tsunagu.RefundOriginal, tsunagu.RefundLineInput{LineNumber: 1, Quantity: 1})
	if rf.Total != 1200 || rf.ReceiptNumber != 2 || rf.SessionID != today.ID {
		t.Errorf("refund: %+v", rf)
	}
	var paidBack []string
	rows, err := p.db.SQL().QueryContext(context.Background(), `SELECT method || ' ' || amount FROM refund_payments
		WHERE refund_id = $1 ORDER BY method`, rf.ID)
	must(t, err)
	for rows.Next() {
		var s string
		must(t, rows.Scan(&s))
		paidBack = append(paidBack, s)
	}
	must(t, rows.Err())
	if diff := cmp.Diff([]string{"CARD 1000", "CASH 200"}, paidBack); diff != "" {
		t.Errorf("paid back (-want +got):\n%s", diff)
	}
	// The rest (the cookies) by ORIGINAL again: the card has nothing left to take.
	rest := p.refund(p.clerk, sale, today, tsunagu.RefundOriginal)
	if rest.Total != 700 || rest.ReceiptNumber != 3 {
		t.Errorf("refund of the rest: %+v", rest)
	}

	// Today's report counts both refunds, against the cash and card they paid back.
	z, err := p.pos.Report(p.clerk, today.ID)
	must(t, err)
	want := &tsunagu.ZReport{RefundCount: 2, RefundTotal: 1900, NetSales: -1900,
		ByPaymentMethod: []tsunagu.MethodTotal{{Method: tsunagu.PaymentCash, Amount: -900}, {Method: tsunagu.PaymentCard, Amount: -1000}},
		ByTaxRate: []tsunagu.RateTotal{{Class: tsunagu.TaxReduced8, Rate: 8, Total: -700, Tax: -51},
			{Class: tsunagu.TaxStandard10, Rate: 10, Total: -1200, Tax: -109}},
		// No maker here is a registered issuer: everything is totalled apart, and no
		// receipt printed a claimable tax.
		ReportTaxes: tsunagu.ReportTaxes{Qualifying: []tsunagu.RateTotal{}, ReceiptTaxes: []tsunagu.RateTotal{},
			NonQualifying: []tsunagu.RateTotal{{Class: tsunagu.TaxReduced8, Rate: 8, Total: -700, Tax: -51},
				{Class: tsunagu.TaxStandard10, Rate: 10, Total: -1200, Tax: -109}}},
		OpeningFloat: 5000, CashRefunds: 900, ExpectedCash: 4100}
	if diff := cmp.Diff(want, z); diff != "" {
		t.Errorf("today's report (-want +got):\n%s", diff)
	}
	// Yesterday's report is as it was closed.
	z, err = p.pos.Report(p.clerk, yesterday.ID)
	must(t, err)
	if z.SalesCount != 1 || z.GrossSales != 1900 || z.RefundCount != 0 || z.ExpectedCash != 10900 || *z.OverShort != 0 {
		t.Errorf("yesterday's report: %+v", z)
	}
	if got := p.onHand(p.homeShop, p.spoon) + p.onHand(p.homeShop, p.cookies); got != 6 {
		t.Errorf("stock on hand %d, want all 6 back", got)
	}
	p.checkLedger()
}
