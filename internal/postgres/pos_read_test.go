package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/tsunagu"
)

// The receipt of a sale is a qualified simplified invoice: goods of the registered
// home facility are the qualifying goods with tax per rate; the partner facility is
// not registered, so its spoons are marked and totalled apart. Refunds and voids get
// their return receipts, and the shop's rounding setting decides the tax.
func TestPOSReceipts(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	p.registerFacility(p.homeFac, "000020131032")
	p.stock(p.homeShop, p.cookies, 10)
	p.stock(p.homeShop, p.spoon, 5)
	s := p.open(p.clerk, p.reg1, 10000)
	sale := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.cookies, 3), posLine(p.spoon, 2)}, posCash(3450, 5000))

	rc, err := p.pos.Receipt(p.clerk, sale.ID, nil)
	must(t, err)
	want := &tsunagu.Receipt{IssuerName: "港区", RegistrationNumber: homeRegistration, ShopName: p.homeShop.Name,
		RegisterName: "レジ1", ReceiptNumber: 1, IssuedAt: sale.CreatedAt, Kind: tsunagu.ReceiptSale, Rounding: tsunagu.RoundDown,
		Lines: []tsunagu.ReceiptLine{
			{Name: "クッキー", UnitPrice: 350, Quantity: 3, TaxClass: tsunagu.TaxReduced8, Qualified: true},
			{Name: "木のスプーン", UnitPrice: 1200, Quantity: 2, TaxClass: tsunagu.TaxStandard10, Qualified: false}},
		Payments: []tsunagu.ReceiptPayment{{Method: tsunagu.PaymentCash, Amount: 3450, Tendered: 5000}},
		ReceiptTotals: tsunagu.ReceiptTotals{Total: 3450, Items: 5, Paid: 3450, Change: 1550,
			Qualifying:    []tsunagu.RateTotal{{Class: tsunagu.TaxReduced8, Rate: 8, Total: 1050, Tax: 77}},
			NonQualifying: []tsunagu.RateTotal{{Class: tsunagu.TaxStandard10, Rate: 10, Total: 2400, Tax: 218}}},
	}
	if diff := cmp.Diff(want, rc); diff != "" {
		t.Errorf("receipt (-want +got):\n%s", diff)
	}
	text, err := rc.Text(58)
	must(t, err)
	for _, s := range []string{homeRegistration, "No.000001", "※クッキー", "◇木のスプーン", "¥3,450", "¥5,000", "¥1,550", "¥77"} {
		if !strings.Contains(text, s) {
			t.Errorf("receipt text lacks %q:\n%s", s, text)
		}
	}

	// A spoon comes back: the return receipt, number 2, for the original number 1.
	rf := p.refund(p.clerk, sale, s, tsunagu.RefundOriginal, tsunagu.RefundLineInput{LineNumber: 2, Quantity: 1})
	rrc, err := p.pos.Receipt(p.clerk, sale.ID, &rf.ID)
	must(t, err)
	if rrc.Kind != tsunagu.ReceiptRefund || rrc.ReceiptNumber != 2 || rrc.OriginalNumber != 1 || !rrc.OriginalIssuedAt.Equal(sale.CreatedAt) ||
		!rrc.IssuedAt.Equal(rf.CreatedAt) || rrc.Total != -1200 || len(rrc.Lines) != 1 || rrc.Lines[0].Quantity != 1 ||
		!cmp.Equal(rrc.NonQualifying, []tsunagu.RateTotal{{Class: tsunagu.TaxStandard10, Rate: 10, Total: -1200, Tax: -109}}) ||
		!cmp.Equal(rrc.Payments, []tsunagu.ReceiptPayment{{Method: tsunagu.PaymentCash, Amount: 1200}}) || rrc.Paid != -1200 {
		t.Errorf("refund receipt: %+v", rrc)
	}
	if text, err := rrc.Text(80); err != nil || !strings.Contains(text, "返") || !strings.Contains(text, "No.000001") {
		t.Errorf("refund receipt text (%v):\n%s", err, text)
	}

	// A sale voided: its receipt becomes the void receipt, with the card paid back.
	card := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.cookies, 1)}, posPay(tsunagu.PaymentCard, 350, "C-77"))
	_, err = p.pos.VoidSale(p.clerk, tsunagu.VoidSaleInput{SaleID: card.ID, IdempotencyKey: p.key()})
	must(t, err)
	vrc, err := p.pos.Receipt(p.clerk, card.ID, nil)
	must(t, err)
	if vrc.Kind != tsunagu.ReceiptVoid || vrc.OriginalNumber != 3 || vrc.Total != -350 || vrc.ReceiptNumber != 0 ||
		!cmp.Equal(vrc.Payments, []tsunagu.ReceiptPayment{{Method: tsunagu.PaymentCard, Amount: 350, Reference: "C-77"}}) {
		t.Errorf("void receipt: %+v", vrc)
	}
	if _, err := vrc.Text(58); err != nil {
		t.Errorf("void receipt text: %v", err)
	}

	// Not seen by another shop; a refund of another sale is no receipt of this one.
	if _, err := p.pos.Receipt(p.otherClerk, sale.ID, nil); tsunagu.ErrorCode(err) != tsunagu.CodeNotFound {
		t.Errorf("another shop's clerk: %v", err)
	}
	if _, err := p.pos.Receipt(p.clerk, card.ID, &rf.ID); tsunagu.ErrorCode(err) != tsunagu.CodeNotFound {
		t.Errorf("refund of another sale: %v", err)
	}

	// The shop changes its name and rounding: what was issued stays as issued, and
	// the open session's report keeps the rounding it opened with.
	z, err := p.pos.Report(p.clerk, s.ID)
	must(t, err)
	if !cmp.Equal(z.ByTaxRate, []tsunagu.RateTotal{{Class: tsunagu.TaxReduced8, Rate: 8, Total: 1050, Tax: 77},
		{Class: tsunagu.TaxStandard10, Rate: 10, Total: 1200, Tax: 109}}) {
		t.Errorf("report by rate, rounded down: %+v", z.ByTaxRate)
	}
	_, err = p.pos.UpdateShop(p.manager, tsunagu.UpdateShopInput{ShopID: p.homeShop.ID, OperatorName: posPtr("港区役所"),
		RegistrationNumber: posPtr(homeRegistration), Rounding: posPtr(tsunagu.RoundHalfUp)})
	must(t, err)
	again, err := p.pos.Receipt(p.clerk, sale.ID, nil)
	must(t, err)
	if diff := cmp.Diff(want, again); diff != "" {
		t.Errorf("an issued receipt changed with the shop's settings (-was +now):\n%s", diff)
	}
	if z2, err := p.pos.Report(p.clerk, s.ID); err != nil || !cmp.Equal(z2, z) {
		t.Errorf("the session's report changed with the shop's settings: %+v, %v", z2, err)
	}

	// The next session takes the new settings: ¥1,050 at 8% holds ¥77.78 of tax,
	// so ¥78 rounded half up.
	p.close(p.clerk, s, z.ExpectedCash)
	s2 := p.open(p.clerk, p.reg1, 10000)
	if s2.Rounding != tsunagu.RoundHalfUp || s2.OperatorName != "港区役所" {
		t.Errorf("new session's settings: %q %q", s2.Rounding, s2.OperatorName)
	}
	sale2 := p.sell(p.clerk, s2, []tsunagu.SaleLineInput{posLine(p.cookies, 3)}, posCash(1050, 1050))
	rc, err = p.pos.Receipt(p.clerk, sale2.ID, nil)
	must(t, err)
	if rc.Rounding != tsunagu.RoundHalfUp || rc.IssuerName != "港区役所" || rc.Qualifying[0].Tax != 78 {
		t.Errorf("receipt of the new session: %+v", rc)
	}
	z, err = p.pos.Report(p.clerk, s2.ID)
	must(t, err)
	if z.ByTaxRate[0].Tax != 78 {
		t.Errorf("report by rate, rounded half up: %+v", z.ByTaxRate)
	}
	p.checkLedger()
}

// A shop that is not a registered invoice issuer cannot issue qualified invoices for
// anyone: its receipts print, with every good marked as not qualifying.
func TestReceiptOfUnregisteredShop(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	p.registerFacility(p.homeFac, "000020131032")
	_, err := p.pos.UpdateShop(p.manager, tsunagu.UpdateShopInput{ShopID: p.homeShop.ID, OperatorName: posPtr("港区"), RegistrationNumber: posPtr("")})
	must(t, err)
	p.stock(p.homeShop, p.cookies, 10)
	s := p.open(p.clerk, p.reg1, 0)
	sale := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.cookies, 3)}, posCash(1050, 1050))
	rc, err := p.pos.Receipt(p.clerk, sale.ID, nil)
	must(t, err)
	if rc.RegistrationNumber != "" || len(rc.Qualifying) != 0 || !cmp.Equal(rc.NonQualifying,
		[]tsunagu.RateTotal{{Class: tsunagu.TaxReduced8, Rate: 8, Total: 1050, Tax: 77}}) {
		t.Errorf("receipt: %+v", rc)
	}
	text, err := rc.Text(58)
	if err != nil || !strings.Contains(text, "◇※クッキー") || strings.Contains(text, "登録番号") ||
		!strings.Contains(text, "◇当店は適格請求書発行事業者では") {
		t.Errorf("receipt text (%v):\n%q", err, text)
	}
}

func TestSalesVisibilityAndFilters(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	p.stock(p.homeShop, p.cookies, 10)
	p.stock(p.partnerShop, p.spoon, 10)
	s1 := p.open(p.clerk, p.reg1, 0)
	s2 := p.open(p.manager, p.reg2, 0)
	ps := p.open(p.otherClerk, p.partnerReg, 0)
	cookie := []tsunagu.SaleLineInput{posLine(p.cookies, 1)}
	h1 := p.sell(p.clerk, s1, cookie, posCash(350, 0))
	h2 := p.sell(p.clerk, s1, cookie, posPay(tsunagu.PaymentCard, 350, "C"))
	h3 := p.sell(p.manager, s2, cookie, posPay(tsunagu.PaymentQR, 350, "Q"))
	p1 := p.sell(p.otherClerk, ps, []tsunagu.SaleLineInput{posLine(p.spoon, 1)}, posCash(1200, 0))
	rf := p.refund(p.clerk, h1, s1, tsunagu.RefundCash)
	ids := func(sales []*tsunagu.Sale) []tsunagu.SaleID {
		out := []tsunagu.SaleID{}
		for _, s := range sales {
			out = append(out, s.ID)
		}
		return out
	}
	all := []tsunagu.SaleID{h1.ID, h2.ID, h3.ID, p1.ID}
	past, future := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	card := tsunagu.PaymentCard
	for _, tc := range []struct {
		name string
		ctx  context.Context
		f    tsunagu.SaleFilter
		want []tsunagu.SaleID
	}{
		{"Clerk", p.clerk, tsunagu.SaleFilter{}, []tsunagu.SaleID{h3.ID, h2.ID, h1.ID}},
		{"OtherClerk", p.otherClerk, tsunagu.SaleFilter{}, []tsunagu.SaleID{p1.ID}},
		{"Manager", p.manager, tsunagu.SaleFilter{}, []tsunagu.SaleID{h3.ID, h2.ID, h1.ID}},
		{"OtherManager", p.otherManager, tsunagu.SaleFilter{}, []tsunagu.SaleID{p1.ID}},
		{"Admin", p.admin, tsunagu.SaleFilter{}, []tsunagu.SaleID{p1.ID, h3.ID, h2.ID, h1.ID}},
		{"AdminShop", p.admin, tsunagu.SaleFilter{ShopID: &p.partnerShop.ID}, []tsunagu.SaleID{p1.ID}},
		{"ClerkOtherShop", p.clerk, tsunagu.SaleFilter{ShopID: &p.partnerShop.ID}, []tsunagu.SaleID{}},
		{"Session", p.clerk, tsunagu.SaleFilter{SessionID: &s2.ID}, []tsunagu.SaleID{h3.ID}},
		{"PaymentMethod", p.admin, tsunagu.SaleFilter{PaymentMethod: &card}, []tsunagu.SaleID{h2.ID}},
		{"DateRange", p.admin, tsunagu.SaleFilter{Since: &past, Until: &future}, []tsunagu.SaleID{p1.ID, h3.ID, h2.ID, h1.ID}},
		{"SinceFuture", p.admin, tsunagu.SaleFilter{Since: &future}, []tsunagu.SaleID{}},
		{"UntilPast", p.admin, tsunagu.SaleFilter{Until: &past}, []tsunagu.SaleID{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := p.pos.Sales(tc.ctx, tc.f, tsunagu.PageArgs{})
			must(t, err)
			if diff := cmp.Diff(tc.want, ids(page.Items)); diff != "" || page.HasNextPage {
				t.Errorf("sales (-want +got):\n%s (next page %v)", diff, page.HasNextPage)
			}
			byID, err := p.pos.SalesByID(tc.ctx, all)
			must(t, err)
			if tc.f == (tsunagu.SaleFilter{}) && len(byID) != len(tc.want) {
				t.Errorf("by ID: %d sales, want %d", len(byID), len(tc.want))
			}
		})
	}
	t.Run("Pages", func(t *testing.T) {
		page, err := p.pos.Sales(p.admin, tsunagu.SaleFilter{}, tsunagu.PageArgs{First: 3})
		must(t, err)
		if diff := cmp.Diff([]tsunagu.SaleID{p1.ID, h3.ID, h2.ID}, ids(page.Items)); diff != "" || !page.HasNextPage {
			t.Errorf("first page (-want +got):\n%s (next page %v)", diff, page.HasNextPage)
		}
		page, err = p.pos.Sales(p.admin, tsunagu.SaleFilter{}, tsunagu.PageArgs{First: 3, After: int64(h2.ID)})
		must(t, err)
		if diff := cmp.Diff([]tsunagu.SaleID{h1.ID}, ids(page.Items)); diff != "" || page.HasNextPage {
			t.Errorf("second page (-want +got):\n%s (next page %v)", diff, page.HasNextPage)
		}
		if _, err := p.pos.Sales(p.admin, tsunagu.SaleFilter{}, tsunagu.PageArgs{First: 101}); tsunagu.ErrorCode(err) != tsunagu.CodeOutOfRange {
			t.Errorf("101 a page: %v", err)
		}
		if _, err := p.pos.Sales(context.Background(), tsunagu.SaleFilter{}, tsunagu.PageArgs{}); tsunagu.ErrorCode(err) != tsunagu.CodeUnauthenticated {
			t.Errorf("anonymous: %v", err)
		}
	})
	t.Run("ByReceiptNumber", func(t *testing.T) {
		got, err := p.pos.SaleByReceiptNumber(p.clerk, p.homeShop.ID, 2)
		must(t, err)
		if got.ID != h2.ID {
			t.Errorf("receipt 2 is sale %d, want %d", got.ID, h2.ID)
		}
		// A refund's slip finds the sale it gave money back for.
		got, err = p.pos.SaleByReceiptNumber(p.clerk, p.homeShop.ID, rf.ReceiptNumber)
		must(t, err)
		if got.ID != h1.ID {
			t.Errorf("refund receipt %d is sale %d, want %d", rf.ReceiptNumber, got.ID, h1.ID)
		}
		for _, c := range []struct {
			ctx    context.Context
			number int64
		}{{p.otherClerk, 2}, {p.otherManager, 2}, {p.clerk, 99}, {p.otherClerk, rf.ReceiptNumber}} {
			if _, err := p.pos.SaleByReceiptNumber(c.ctx, p.homeShop.ID, c.number); tsunagu.ErrorCode(err) != tsunagu.CodeNotFound {
				t.Errorf("receipt %d: %v, want NOT_FOUND", c.number, err)
			}
		}
	})
	t.Run("Loaders", func(t *testing.T) {
		home := []tsunagu.SaleID{h1.ID, h2.ID, h3.ID}
		refunds, err := p.pos.Refunds(p.manager, home)
		must(t, err)
		if len(refunds) != 1 || len(refunds[h1.ID]) != 1 || refunds[h1.ID][0].ID != rf.ID {
			t.Errorf("refunds: %+v", refunds)
		}
		sessions, err := p.pos.SessionsByID(p.clerk, []tsunagu.SessionID{s1.ID, s2.ID, ps.ID})
		must(t, err)
		if len(sessions) != 2 || sessions[s2.ID].OpenedBy != tsunagu.UserFrom(p.manager).ID {
			t.Errorf("sessions: %+v", sessions)
		}
		// Another shop's clerk sees none of it.
		lines, err := p.pos.SaleLines(p.otherClerk, home)
		must(t, err)
		pays, err := p.pos.SalePayments(p.otherClerk, home)
		must(t, err)
		rfs, err := p.pos.Refunds(p.otherClerk, home)
		must(t, err)
		rls, err := p.pos.RefundLines(p.otherClerk, []tsunagu.RefundID{rf.ID})
		must(t, err)
		ss, err := p.pos.SessionsByID(p.otherClerk, []tsunagu.SessionID{s1.ID, s2.ID})
		must(t, err)
		open, err := p.pos.OpenSessions(p.otherClerk, []tsunagu.RegisterID{p.reg1.ID, p.reg2.ID})
		must(t, err)
		if len(lines)+len(pays)+len(rfs)+len(rls)+len(ss)+len(open) != 0 {
			t.Errorf("another shop's clerk sees %v %v %v %v %v %v", lines, pays, rfs, rls, ss, open)
		}
	})
}
