package consoleweb_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tsunagu/internal/tsunagu"
)

// The network's administrator adds a municipality (大阪市) and makes it 港区's partner,
// then ends that partnership from tomorrow (today is refused at the field: it began
// today); 港区's manager adds a register at the shop. A manager is offered no
// municipality or partnership of the network, nor to end one.
func TestAdminGrowsTheNetworkInChromium(t *testing.T) {
	n := newNetwork(t)
	d, err := tsunagu.MunicipalityCheckDigit("27100")
	if err != nil {
		t.Fatal(err)
	}
	b := n.openAs(t, "console-network", adminEmail)
	b.TabTo("nav-network")
	b.Do("to the network", key("\r"))
	focusOnHeading(t, b, "ネットワーク")
	b.WaitText("#municipalities", "旭川市")
	b.CheckA11y("network")
	b.Do("大阪市", typeIn("#mu-code", "27100"+strconv.Itoa(d)), typeIn("#mu-name", "大阪市"), typeIn("#mu-en", "Osaka"), typeIn("#mu-pref", "大阪府"), click("#add-muni-send"))
	b.WaitText("#net-flash", "加えました")
	b.WaitText("#municipalities", "大阪市")
	b.Do("partners", chromedp.Evaluate[chromedp.Void](`(() => {
		const pick = (id, name) => { const s = document.getElementById(id); s.value = [...s.options].find(o => o.textContent === name).value; };
		pick("pa-a", "港区"); pick("pa-b", "大阪市"); })()`), click("#add-partner-send"))
	b.WaitText("#net-flash", "連携を結びました")
	b.Until("大阪市 among 港区's partners", `[...document.querySelectorAll("#municipalities tbody tr")].some(r => r.querySelector("th").textContent.includes("港区") && r.textContent.includes("大阪市"))`)

	// The partnership begun today can end from tomorrow on, not today: said at the
	// day's field in the dialog, which gives focus back when it closes.
	b.Do("ending the partnership with 大阪市", chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("#partnerships tbody tr")]
		.find(r => r.textContent.includes("大阪市")).querySelector("button").focus()`), key("\r"))
	b.WaitText("#end-dialog h2", "連携を終える")
	b.CheckA11y("network-end-dialog")
	b.TabTo("end-yes")
	b.Do("ending it today", key("\r"))
	b.WaitText("#end-on-err", "正しくありません")
	if f := b.Focused(); f != "end-on" {
		t.Errorf("after a refused day focus is on %q", f)
	}
	tomorrow := tsunagu.JapanToday(time.Now()).AddDate(0, 0, 1).Format(time.DateOnly)
	b.Do("tomorrow", chromedp.Evaluate[chromedp.Void](`(() => { const i = document.getElementById("end-on"); i.value = "`+tomorrow+`";
		i.dispatchEvent(new Event("input", { bubbles: true })); })()`), click("#end-yes"))
	b.WaitText("#net-flash", "連携は "+tomorrow+" から終わります")
	b.Until("the end shown in the list", `[...document.querySelectorAll("#partnerships tbody tr")].some(r => r.textContent.includes("大阪市") && r.textContent.includes(`+strconv.Quote(tomorrow)+`) && !r.querySelector("button"))`)
	ends := ""
	minato := n.shopOf(t, "港区").MunicipalityID
	ps, err := n.s.Catalog.PartnershipsOf(admin(), []tsunagu.MunicipalityID{minato})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps[minato] {
		if p.EndsOn != nil {
			ends += p.EndsOn.Format(time.DateOnly)
		}
	}
	if ends != tomorrow {
		t.Errorf("港区's partnerships end on %q, want one ending %s", ends, tomorrow)
	}
	b.Width(320)
	b.CheckReflow("network-320")
	b.Width(1280)

	switchUser(n, b, managerEmail)
	b.Do("to the network", click("#nav-network"))
	focusOnHeading(t, b, "ネットワーク")
	if b.Eval(`String(!!document.getElementById("add-muni") || !!document.getElementById("add-partner") || !!document.querySelector("#partnerships button"))`) != "false" {
		t.Error("a manager is offered to add municipalities or partnerships")
	}
	b.Do("a register", typeIn("#re-name", "レジ3"), click("#add-register-send"))
	b.WaitText("#net-flash", "レジを加えました")
	b.CheckA11y("network-manager")
}
