package posweb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// A clerk's day in Chromium: sign in, open the register, scan two goods, switch
// furigana, English and larger text, search by name, pay cash, get the change and
// the receipt on 58 and 80 mm; a sale whose answer the network loses is sent again
// until it gets through, once, even across a reload; refund a line by receipt
// number, sell by e-money and void that last sale, pay cash in, count the drawer
// and close with the Z report. Every screen passes axe-core (WCAG 2.2 AA).
func TestADayAtTheCounterInChromium(t *testing.T) {
	s := newShop(t)
	b := newBrowser(t, "day")

	b.do("opening the app", chromedp.Navigate(s.url+"/pos"))
	b.waitText("h1", "ログイン")
	b.checkA11y("login")

	// A wrong password is shown in words next to the form, never as a code.
	b.do("signing in wrong", typeInto("#login-email", s.email), typeInto("#login-password", "wrong-password"), click("form button[type=submit]"))
	b.waitText("form", "パスワードが違います")
	if strings.Contains(b.textOf("#main"), "INVALID_CREDENTIALS") {
		t.Error("the sign-in error shows its code")
	}
	// By keyboard alone: Enter in the password field signs in.
	b.do("signing in", typeInto("#login-password", s.password+"\r"))
	b.waitText("h1", "レジを選ぶ")
	b.waitText("#reg-open", "レジを開ける")
	b.checkA11y("registers")

	b.do("opening the register", typeInto("#reg-float", "30000"), click("#reg-open"))
	b.waitText("#cart", "まだ商品がありません")

	// The scanner types the code and Enter into the focused scan field.
	if f := b.eval(`document.activeElement.id`); f != "scan" {
		t.Errorf("the sale screen starts with focus on %q, want the scan field", f)
	}
	b.do("scanning cookies", chromedp.SendKeys(chromedp.CSS("#scan"), cookieCode+"\r"))
	b.waitText("#cart", "クッキー")
	b.do("one more cookie", click("#more-0"))
	b.waitText("#total", "¥700")
	// Focus is on the + button now; the scanner's keys still reach the scan field.
	b.do("scanning a spoon", chromedp.KeyEvent(spoonCode+"\r"))
	b.waitText("#cart", "木のスプーン")
	b.waitText("#total", "¥1,900")
	b.waitText("#totals", "うち消費税 ¥51") // 700 at 8%
	b.waitText("#totals", "¥109")      // 1,200 at 10%
	// An unknown code is explained next to the scan field.
	b.do("scanning a bad code", chromedp.SendKeys(chromedp.CSS("#scan"), "4900000000016\r"))
	b.waitText("#scan-err", "その番号の商品はありません")

	// The display switches: furigana and やさしい日本語, English, larger text.
	b.do("furigana on", click("#pref-furigana"))
	b.waitText("#pay-cash rt", "かね") // やさしい日本語: お金で はらう
	b.checkA11y("sale-furigana")
	b.do("English", click("#pref-lang"))
	b.waitText("#pay-cash", "Pay by cash")
	b.waitText("#cart", "Wooden spoon")
	if lang := b.eval(`document.documentElement.lang`); lang != "en" {
		t.Errorf("html lang = %q in English", lang)
	}
	b.do("larger text", click("#pref-large"))
	b.checkA11y("sale-en-large")
	b.do("back to Japanese, normal text, no furigana", click("#pref-large"), click("#pref-lang"), click("#pref-furigana"))
	b.waitText("#pay-cash", "現金で会計")

	// The name search ignores kana: ひらがな finds クッキー, with its picture.
	b.do("searching", typeInto("#search", "くっきー"))
	b.waitText("#tiles", "クッキー")
	b.do("the picture loads", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Poll[bool](`(() => { const i = document.querySelector("#tiles img"); return !!i && i.complete && i.naturalWidth > 0; })()`)(ctx, t)
		return err
	}))
	b.checkA11y("sale")

	b.do("paying cash", click("#pay-cash"))
	b.waitText("#due", "¥1,900")
	b.do("a ¥5,000 note, by keyboard", chromedp.Focus(chromedp.CSS("#note-5000")), chromedp.KeyEvent("\r"))
	b.waitText("#change-amount", "¥3,100")
	b.checkA11y("pay")
	b.do("completing the sale", click("#complete"))
	b.waitText("#receipt-title", "レシート")
	b.waitText("#change-amount", "¥3,100")
	receipt := b.textOf("#receipt-text")
	for _, want := range []string{"No.000001", "T8000020131032", "クッキー", "木のスプーン", "¥1,900", "¥5,000", "¥3,100"} {
		if !strings.Contains(receipt, want) {
			t.Errorf("the receipt lacks %q:\n%s", want, receipt)
		}
	}
	b.checkA11y("receipt")
	// 80 mm paper has 48 columns, and printing shows only the receipt.
	b.do("80 mm paper", click("label[for=paper-80]"))
	if wide := b.textOf("#receipt-text"); wide == receipt || !strings.Contains(wide, "No.000001") {
		t.Errorf("the 80 mm receipt:\n%s", wide)
	}
	b.do("print preview", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	if shown := b.eval(`[...document.querySelectorAll("button")].filter(e => e.offsetParent !== null).length + ""`); shown != "0" {
		t.Errorf("%s buttons are printed with the receipt", shown)
	}
	b.shot("receipt-print")
	// The paper is as wide as the roll: 80 mm (the print CSS's named page).
	if w := b.pdfPageWidthMM("receipt-80mm"); w < 79 || w > 81 {
		t.Errorf("the printed receipt is %.1f mm wide, want 80 mm", w)
	}
	b.do("screen again", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
		return err
	}), click("label[for=paper-58]"))
	if w := b.pdfPageWidthMM("receipt-58mm"); w < 57 || w > 59 {
		t.Errorf("the printed receipt is %.1f mm wide, want 58 mm", w)
	}

	// The network loses the answer to the next sale: the clerk sees it pending, the
	// app sends it again with the same key, and the server sells it once.
	b.do("next customer", click("#next"))
	b.do("scanning cookies", chromedp.SendKeys(chromedp.CSS("#scan"), cookieCode+"\r"))
	b.waitText("#total", "¥350")
	b.do("paying exact cash", click("#pay-cash"), click("#note-exact"))
	s.dropSales.Store(true)
	b.do("completing the sale", click("#complete"))
	b.waitText("#pending", "送信中")
	b.checkA11y("pending")
	// Even a reload keeps the sale, with its key, and goes on sending it.
	b.do("reloading", chromedp.Reload())
	b.waitText("#pending", "送信中")
	for deadline := time.Now().Add(30 * time.Second); s.dropped.Load() < 2; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after the reload the sale was not sent again (%d sent)", s.dropped.Load())
		}
	}
	b.waitText("#pending", "再送")
	s.dropSales.Store(false)
	b.waitText("#receipt-text", "No.000002")
	if n := s.dropped.Load(); n < 2 {
		t.Errorf("the network dropped %d answers, want at least 2 (before and after the reload)", n)
	}
	b.do("next customer", click("#next"))

	// The first customer brings one cookie back.
	b.do("refund", click("#task-refund"))
	b.do("finding receipt 1", typeInto("#refund-number", "1"), click("#refund-find"))
	b.waitText("#refund-detail", "クッキー")
	// The quantities to take back may stay 0: they say they are optional.
	if got := b.eval(`(n => n ? n.className : "none")(document.querySelector("label[for=refund-qty-0] .need"))`); got != "need optional" {
		t.Errorf("the refund quantity is marked %q, want need optional", got)
	}
	b.do("one cookie back", typeInto("#refund-qty-0", "1"), click("#refund-submit"))
	b.waitText("#refund-done", "¥350")
	// Receipt 2 was sold once: the refund is receipt 3.
	if txt := b.textOf("#refund-text"); !strings.Contains(txt, "No.000003") {
		t.Errorf("the refund receipt is not No.000003:\n%s", txt)
	}
	b.checkA11y("refund")

	// A spoon paid by card, then voided as the last sale: the stock goes back.
	b.do("scanning a spoon", click("#back"), chromedp.SendKeys(chromedp.CSS("#scan"), spoonCode+"\r"))
	b.waitText("#total", "¥1,200")
	b.do("paying by card", click("#pay-card"), click("label[for=method-EMONEY]"), typeInto("#pay-ref", "T-0001"), click("#complete"))
	b.waitText("#receipt-text", "No.000004")
	b.do("void the last sale", click("#next"), click("#task-void"))
	b.waitText("#main", "レシート番号 4")
	b.checkA11y("void")
	b.do("voiding", typeInto("#void-reason", "打ち間違い"), click("#void-submit"))
	b.waitText("#main", "取り消しました")

	b.do("cash in", click("#back"), click("#task-cash"))
	b.do("¥1,000 in", typeInto("#cash-amount", "1000"), typeInto("#cash-reason", "両替"), click("#cash-submit"))
	b.waitText("#cash-done", "¥1,000")
	b.checkA11y("cash")

	// Float 30,000 + 1,900 + 350 − 350 + 1,000 in = 32,900.
	b.do("close", click("#back"), click("#task-close"))
	b.do("counting", typeInto("#denom-10000", "3"), typeInto("#denom-1000", "2"), typeInto("#denom-500", "1"), typeInto("#denom-100", "4"))
	b.waitText("#counted", "¥32,900")
	b.checkA11y("close")
	b.do("closing", click("#close-submit"))
	b.waitText("#z-title", "Z レポート")
	for sel, want := range map[string]string{"#z-sales": "2件", "#z-gross": "¥2,250", "#z-refunds": "¥350", "#z-net": "¥1,900",
		"#z-voids":   "1件 ¥1,200",
		"#z-cash-in": "¥1,000", "#z-expected": "¥32,900", "#z-counted": "¥32,900", "#z-over-short": "¥0"} {
		if got := b.textOf(sel); !strings.Contains(got, want) {
			t.Errorf("Z report %s = %q, want %q", sel, got, want)
		}
	}
	b.checkA11y("zreport")
}

// What goes wrong is said in plain words next to its cause, in the clerk's language:
// a code nobody knows, stock that runs out, a register closed on another terminal.
func TestErrorsInPlainWords(t *testing.T) {
	s := newShop(t)
	b := newBrowser(t, "errors")
	b.do("signing in", chromedp.Navigate(s.url+"/pos/"), typeInto("#login-email", s.email), typeInto("#login-password", s.password+"\r"))
	b.do("opening the register", click("#reg-open"))
	b.waitText("#cart", "まだ商品がありません")

	b.do("English", click("#pref-lang"))
	b.do("scanning a bad code", chromedp.SendKeys(chromedp.CSS("#scan"), "4900000000016\r"))
	b.waitText("#scan-err", "No product has this code.")
	b.do("Japanese", click("#pref-lang"))

	// Two jars, one in stock: the sale is refused and the line says why.
	b.do("scanning jam twice", chromedp.SendKeys(chromedp.CSS("#scan"), jamCode+"\r"))
	b.waitText("#cart", "いちごジャム")
	b.do("one more", click("#more-0"))
	b.waitText("#total", "¥1,200")
	b.do("paying", click("#pay-cash"), click("#note-exact"), click("#complete"))
	b.waitText("#line-err-0", "在庫が足りません")
	if txt := b.textOf("#main"); strings.Contains(txt, "INSUFFICIENT_STOCK") {
		t.Errorf("the error shows its code:\n%s", txt)
	}
	b.checkA11y("error-stock")

	// Someone closes the register on another terminal: the next sale goes back to
	// the choice of register, saying so.
	var regs struct {
		Registers []struct{ OpenSession struct{ ID string } }
	}
	s.gql(t, `{ registers { openSession { id } } }`, nil, &regs)
	var closed struct {
		CloseRegisterSession struct{ UserErrors []struct{ Code string } }
	}
	s.gql(t, `mutation($in: CloseRegisterSessionInput!) { closeRegisterSession(input: $in) { userErrors { code } } }`,
		map[string]any{"in": map[string]any{"sessionId": regs.Registers[0].OpenSession.ID, "countedCash": 30000, "idempotencyKey": "e2e-close-elsewhere"}}, &closed)
	if len(closed.CloseRegisterSession.UserErrors) > 0 {
		t.Fatalf("closing elsewhere: %+v", closed)
	}
	b.do("one jar less", click("#less-0"))
	b.do("paying", click("#pay-cash"), click("#note-exact"), click("#complete"))
	b.waitText("#reg-err", "このレジは閉まっています")
	b.waitText("#reg-open", "レジを開ける")
}

// A sale and the close with the keyboard alone: Tab to each control, type, Enter.
func TestKeyboardOnly(t *testing.T) {
	s := newShop(t)
	b := newBrowser(t, "keyboard")
	b.do("opening the app", chromedp.Navigate(s.url+"/pos/"))
	b.waitText("h1", "ログイン")
	b.tabTo("login-email")
	b.do("typing the email", chromedp.KeyEvent(s.email))
	b.tabTo("login-password")
	b.do("typing the password", chromedp.KeyEvent(s.password+"\r"))
	b.waitText("#reg-open", "レジを開ける")
	b.tabTo("reg-float")
	b.tabTo("reg-open")
	b.do("opening", chromedp.KeyEvent("\r"))
	b.waitText("#cart", "まだ商品がありません")

	b.do("scanning", chromedp.KeyEvent(cookieCode+"\r"))
	b.waitText("#cart", "クッキー")
	b.tabTo("more-0")
	b.do("one more", chromedp.KeyEvent("\r"))
	b.waitText("#total", "¥700")
	b.tabTo("pay-cash")
	b.do("pay", chromedp.KeyEvent("\r"))
	b.waitText("#due", "¥700")
	b.do("typing the cash received", chromedp.KeyEvent("1000"))
	b.waitText("#change-amount", "¥300")
	b.tabTo("complete")
	b.do("complete", chromedp.KeyEvent("\r"))
	b.waitText("#change-amount", "¥300")
	b.waitText("#receipt-text", "No.000001")
	b.do("next customer", chromedp.KeyEvent("\r")) // focus starts on it
	b.waitText("#cart", "まだ商品がありません")

	b.tabTo("task-close")
	b.do("close", chromedp.KeyEvent("\r"))
	b.do("three ¥10,000 notes", chromedp.KeyEvent("3")) // focus starts on ¥10,000
	b.tabTo("denom-500")
	b.do("one ¥500 coin", chromedp.KeyEvent("1"))
	b.tabTo("denom-100")
	b.do("two ¥100 coins", chromedp.KeyEvent("2"))
	b.waitText("#counted", "¥30,700")
	b.tabTo("close-submit")
	b.do("closing", chromedp.KeyEvent("\r"))
	b.waitText("#z-expected", "¥30,700")
	b.waitText("#z-over-short", "¥0")
	b.shot("zreport")
}

// A sale on a tablet by touch alone (text through the on-screen keyboard): the
// layout takes one column, and every control answers a tap.
func TestTouchOnly(t *testing.T) {
	s := newShop(t)
	b := newBrowser(t, "touch")
	tap := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.Tap(chromedp.CSS(sel)) }
	b.do("a portrait tablet", chromedp.EmulateViewport(800, 1280, chromedp.EmulatePortrait, chromedp.EmulateTouch),
		chromedp.Navigate(s.url+"/pos/"))
	b.do("signing in", tap("#login-email"), chromedp.KeyEvent(s.email), tap("#login-password"), chromedp.KeyEvent(s.password),
		tap("form button[type=submit]"))
	b.do("opening the register", tap("label[for=reg-0]"), tap("#reg-open"))
	b.waitText("#cart", "まだ商品がありません")
	b.do("searching", tap("#search"), chromedp.KeyEvent("すぷーん"))
	b.waitText("#tiles", "木のスプーン")
	b.do("the tile", tap("#tiles button"))
	b.waitText("#cart", "木のスプーン")
	b.do("one more", tap("#more-0"))
	b.waitText("#total", "¥2,400")
	b.checkA11y("sale-tablet")
	b.do("paying", tap("#pay-cash"), tap("#note-5000"))
	b.waitText("#change-amount", "¥2,600")
	b.do("complete", tap("#complete"))
	b.waitText("#receipt-text", "No.000001")
	b.checkA11y("receipt-tablet")
}
