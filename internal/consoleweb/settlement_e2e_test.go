package consoleweb_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tsunagu/internal/tsunagu"
	"tsunagu/internal/webtest"
)

const clerkEmail = "clerk@minato.example"

// soldLastMonth sells two of a good at 港区's shop and dates the sale to last month,
// as a sale of then would be (no mutation takes a sale's date).
func (n *network) soldLastMonth(t *testing.T, shop *tsunagu.Location, p *tsunagu.Product) tsunagu.Month {
	t.Helper()
	clerk := n.as(t, clerkEmail)
	regs, err := n.s.POS.Registers(clerk, &shop.ID)
	if err != nil || len(regs) == 0 {
		t.Fatalf("registers: %v", err)
	}
	sess, err := n.s.POS.OpenRegisterSession(clerk, tsunagu.OpenSessionInput{RegisterID: regs[0].ID, OpeningFloat: 10000, IdempotencyKey: "open-settle"})
	if err != nil {
		t.Fatal(err)
	}
	total := 2 * p.Price
	sale, err := n.s.POS.CreateSale(clerk, tsunagu.CreateSaleInput{SessionID: sess.ID, IdempotencyKey: "sale-settle",
		Lines:    []tsunagu.SaleLineInput{{ProductID: &p.ID, Quantity: 2}},
		Payments: []tsunagu.PaymentInput{{Method: tsunagu.PaymentCash, Amount: total, Tendered: &total}}})
	if err != nil {
		t.Fatal(err)
	}
	last := tsunagu.MonthOf(time.Now()).Prev()
	if _, err := n.db.SQL().Exec(`UPDATE sales SET created_at = $1 WHERE id = $2`, last.Start().Add(10*time.Hour), sale.ID); err != nil {
		t.Fatal(err)
	}
	return last
}

// readAndPrintAStatement is 港区's manager, from the home screen, with last
// month's sales at the shop (soldLastMonth): they read last month's statements,
// close the month at the shop, mark the facility's statement paid (from a dialog
// that gives focus back), and open the printable payment notice; the facility's own
// staff then see their statement and nothing to close or pay. It ends signed in as
// the facility's staff.
func readAndPrintAStatement(t *testing.T, n *network, b *webtest.Browser, month tsunagu.Month) {
	t.Helper()
	b.TabTo("nav-settlement")
	b.Do("to the settlement", key("\r"))
	focusOnHeading(t, b, "精算")
	b.Do("last month", chromedp.SetValue(chromedp.CSS("#st-month"), month.String()), click("#st-show"))
	focusOnHeading(t, b, month.String())
	b.WaitText("#settlements", "ワークショップ虹")
	b.WaitText("#settlements", "未確定")
	b.CheckA11y("settlements-open")

	b.Do("closing the month", click("#close-send"))
	b.WaitText("#st-flash", "締めました")
	b.WaitText("#settlements", "確定（未払い）")
	payID := b.Eval(`document.querySelector("#settlements button[id^=pay-]").id`)
	b.TabTo(payID)
	b.Do("opening the payment dialog", key("\r"))
	b.WaitText("#pay-dialog", "支払い済みにする")
	if f := b.Focused(); f != "pay-on" {
		t.Errorf("the dialog opens with focus on %q", f)
	}
	// A reference is required: refused at its field, and nothing changes.
	b.Do("without a reference", click("#pay-yes"))
	b.WaitText("#pay-ref-err", "入力してください")
	b.CheckA11y("pay-dialog")
	b.Do("Escape", key("\x1b"))
	b.Until("the dialog to close", `!document.getElementById("pay-dialog")`)
	if f := b.Focused(); f != payID {
		t.Errorf("after the dialog focus is on %q, want %q", f, payID)
	}
	b.Do("again", key("\r"))
	b.Do("the reference", typeIn("#pay-ref", "振込 2026-001"), click("#pay-yes"))
	b.WaitText("#st-flash", "支払い済み")
	b.WaitText("#settlements", "支払い済み")
	b.Width(320)
	b.CheckReflow("settlements-320")
	b.Width(1280)

	b.Do("opening the notice", click("#settlements a[id^=notice-]"))
	focusOnHeading(t, b, "支払通知書")
	b.Until("the notice", `(() => { const r = document.getElementById("notice").shadowRoot; return !!r && r.textContent.includes("ワークショップ虹"); })()`)
	if lang := b.Eval(`document.getElementById("notice").lang`); lang != "ja" {
		t.Errorf("the notice is marked lang=%q", lang)
	}
	b.CheckA11y("notice")
	b.Media("print")
	if shown := b.Eval(`[...document.querySelectorAll("button, nav, header")].filter(e => e.getClientRects().length).length + ""`); shown != "0" {
		t.Errorf("%s buttons or bars are printed with the notice", shown)
	}
	b.Shot("notice-print")
	b.Media("")

	// The facility's staff read their statement, paid, with nothing to close or pay.
	switchUser(n, b, facilityEmail)
	b.Do("to last month", chromedp.Navigate(n.url+"/console/#/settlement?month="+month.String()))
	b.WaitText("#settlements", "支払い済み")
	if got := b.Eval(`String(!!document.getElementById("close")) + " " + document.querySelectorAll("#settlements button").length`); got != "false 0" {
		t.Errorf("a facility account may close or pay: %s", got)
	}
	if rows := b.Eval(`[...document.querySelectorAll("#settlements tbody th")].map(e => e.textContent).filter(s => !s.startsWith("ワークショップ虹")).join(",")`); rows != "" {
		t.Errorf("a facility account sees the statements of %s", rows)
	}
	b.CheckA11y("facility-settlements")
}
