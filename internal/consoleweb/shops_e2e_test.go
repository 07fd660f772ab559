package consoleweb_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"tsunagu/internal/tsunagu"
)

// shopSettings is a shop's receipt settings as the API has them.
func (n *network) shopSettings(t *testing.T, shop tsunagu.LocationID) tsunagu.Shop {
	t.Helper()
	shops, err := n.s.POS.ShopsByID(admin(), []tsunagu.LocationID{shop})
	if err != nil {
		t.Fatal(err)
	}
	if shops[shop] == nil {
		t.Fatalf("shop %d has no receipt settings", shop)
	}
	return *shops[shop]
}

// 港区's manager sets the receipt settings of the city hall's shop by keyboard alone:
// a registration number with a wrong check digit is refused at its field as it is
// typed and again by the API, and nothing changes, not even the operator typed with
// it; then a good number, the new operator, rounding half up and no pickup are saved,
// and the API has them. The screen says a change applies from the next register
// session, passes axe-core with furigana and in English, and reflows at 320 px. A
// FACILITY account is offered no such screen and is refused at its address.
func TestManagerSetsAShopsReceiptSettingsInChromium(t *testing.T) {
	n := newNetwork(t)
	shop := n.shopOf(t, "港区")
	before := n.shopSettings(t, shop.ID)
	const base = "123456789012"
	d := tsunagu.CorporateCheckDigit(base)
	good, bad := fmt.Sprintf("T%d%s", d, base), fmt.Sprintf("T%d%s", d%9+1, base)
	const operator = "社会福祉法人みなと福祉会"

	b := n.openAs(t, "console-shop", managerEmail)
	b.TabTo("nav-network")
	b.Do("to the network", key("\r"))
	focusOnHeading(t, b, "ネットワーク")
	// The manager is offered the settings of their own municipality's shop only.
	if rows := b.Eval(`[...document.querySelectorAll("#municipalities a[id^=shop-]")].map(a => a.closest("tr").querySelector("th").textContent).join("|")`); rows == "" || strings.Count(rows, "港区") != strings.Count(rows, "|")+1 {
		t.Errorf("the manager is offered the receipt settings of the shops of %q, want 港区's only", rows)
	}
	link := b.Eval(`document.querySelector("#municipalities a[id^=shop-]").id`)
	b.TabTo(link)
	b.Do("to the shop's settings", key("\r"))
	focusOnHeading(t, b, "レシートの設定")
	b.WaitText("#sh-when", "次にレジを開けたときから")
	if got := b.Eval(`document.getElementById("sh-operator").value + "|" + document.getElementById("sh-reg").value + "|" + document.getElementById("sh-rounding").value + "|" + document.getElementById("sh-pickup").checked`); got != before.OperatorName+"|"+*before.RegistrationNumber+"|roundDOWN|true" {
		t.Errorf("the form shows %q, the API has %+v", got, before)
	}
	b.CheckA11y("shop-settings")

	// A wrong check digit is said as it is typed, and the API refuses it at the field.
	b.TabTo("sh-operator")
	b.Do("a new operator and a bad number", typeIn("#sh-operator", operator), typeIn("#sh-reg", bad))
	b.WaitText("#sh-reg-err", "チェックデジットが違います")
	b.Do("saving with Enter", key("\r"))
	b.WaitText("#sh-reg-err", "インボイス登録番号が正しくありません")
	if f := b.Focused(); f != "sh-reg" {
		t.Errorf("after the refusal focus is on %q, want the number's field", f)
	}
	if got := b.Eval(`document.getElementById("sh-reg").getAttribute("aria-describedby") + " " + document.getElementById("sh-reg").getAttribute("aria-invalid")`); got != "sh-reg-hint sh-reg-err true" {
		t.Errorf("the refused field's description and state: %q", got)
	}
	if after := n.shopSettings(t, shop.ID); after.OperatorName != before.OperatorName || *after.RegistrationNumber != *before.RegistrationNumber {
		t.Errorf("a refused save changed the shop: %+v, was %+v", after, before)
	}
	b.CheckA11y("shop-settings-refused")

	b.Do("a good number", typeIn("#sh-reg", good))
	b.Until("no error at the number", `document.getElementById("sh-reg-err").hidden`)
	b.TabTo("sh-rounding")
	b.Do("rounding half up", key(kb.ArrowDown))
	b.TabTo("sh-pickup")
	b.Do("no pickup", key(" "))
	b.TabTo("sh-save")
	b.Do("saving", key("\r"))
	b.WaitText("#sh-saved", "保存しました")
	if f := b.Focused(); f != "sh-saved" {
		t.Errorf("after saving focus is on %q, want the note that it was saved", f)
	}
	after := n.shopSettings(t, shop.ID)
	if after.OperatorName != operator || after.RegistrationNumber == nil || *after.RegistrationNumber != good ||
		after.Rounding != tsunagu.RoundHalfUp || after.AcceptsPickup {
		t.Errorf("after saving the API has %+v, want %s, %s, HALF_UP and no pickup", after, operator, good)
	}

	// With furigana and やさしい日本語, in English with the Japanese marked, and large
	// at 320 px.
	b.TabTo("pref-furigana")
	b.Do("furigana on", key("\r"))
	b.WaitText("#sh-when", "つぎに レジを あけた")
	if n := b.Eval(`String(document.querySelectorAll("#main ruby").length)`); n == "0" {
		t.Error("no furigana on the shop's settings")
	}
	b.CheckA11y("shop-settings-furigana")
	b.Do("English", click("#pref-lang"))
	b.WaitText("h1", "Receipt settings")
	if got := b.Eval(`[document.querySelector("h1 [lang=ja]")?.textContent, document.getElementById("sh-operator").lang].join("|")`); got != shop.Name+"|ja" {
		t.Errorf("in English the shop's name and the operator are not marked Japanese: %q", got)
	}
	b.Do("larger text", click("#pref-large"))
	b.CheckA11y("shop-settings-en-large")
	b.Width(320)
	b.CheckReflow("shop-settings-en-large-320")
	b.Width(1280)
	b.Do("back to Japanese", click("#pref-lang"), click("#pref-large"), click("#pref-furigana"))
	b.WaitText("h1", "レシートの設定")

	// A facility's staff have no network to go to, and the address is refused.
	switchUser(n, b, facilityEmail)
	if b.Eval(`String(!!document.getElementById("nav-network"))`) != "false" {
		t.Error("a facility account is offered the network")
	}
	b.Do("to the shop's settings by its address", chromedp.Evaluate[chromedp.Void](`location.hash = "#/shops/`+strings.TrimPrefix(link, "shop-")+`"`))
	b.WaitText("#main", "権限がありません")
	if b.Eval(`String(!!document.getElementById("shop-form"))`) != "false" {
		t.Error("a facility account is shown the shop's settings")
	}
	b.CheckA11y("shop-settings-facility")
}
