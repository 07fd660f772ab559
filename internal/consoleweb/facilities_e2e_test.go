package consoleweb_test

import (
	"testing"
)

// 港区's manager adds a facility: a registration number with a wrong check digit is
// caught as it is typed; the facility is then in the list and opens for editing.
func TestManagerAddsAFacilityInChromium(t *testing.T) {
	n := newNetwork(t)
	b := n.openAs(t, "console-facilities", managerEmail)
	b.TabTo("nav-facilities")
	b.Do("to the facilities", key("\r"))
	focusOnHeading(t, b, "事業所")
	b.WaitText("#facilities", "ワークショップ虹")
	b.CheckA11y("facilities")
	b.Do("a new one", click("#new-facility"))
	focusOnHeading(t, b, "事業所を登録する")
	b.Do("its name", typeIn("#fa-name", "みなと工房"), typeIn("#fa-kana", "みなとこうぼう"), typeIn("#fa-corp", "社会福祉法人みなと"))
	b.Do("a wrong number", typeIn("#fa-reg", "T8000012050002"))
	b.WaitText("#fa-reg-err", "正しくありません")
	b.Do("the right one", typeIn("#fa-reg", "T7000012050002"))
	b.Until("the error to go", `document.getElementById("fa-reg-err").hidden`)
	b.CheckA11y("facility-new")
	b.Width(320)
	b.CheckReflow("facility-new-320")
	b.Width(1280)
	b.Do("saving", click("#fa-save"))
	focusOnHeading(t, b, "事業所の編集")
	b.Do("to the list", click("#fa-back"))
	b.WaitText("#facilities", "みなと工房")
}
