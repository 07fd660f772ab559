package consoleweb_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
	"tsunagu/internal/webtest"
)

// switchUser signs the browser out and in again as another demo account.
func switchUser(n *network, b *webtest.Browser, email string) {
	b.Do("signing out", click("#signout"))
	b.WaitText("h1", "ログイン")
	signIn(b, email, n.creds[email].Password)
}

// transferShippedAndReceivedShort is a transfer from 港区 to 旭川, from any screen:
// 旭川's manager asks 港区 for goods; 港区's approves fewer, ships part and then the
// rest; 旭川 receives the first box in full and the second one short, one lost on
// the way. A second request is cancelled from a dialog that gives focus back when
// closed. Each step is read back in the transfer's history, and each screen passes
// axe-core. It ends signed in as 旭川's manager.
func transferShippedAndReceivedShort(t *testing.T, n *network, b *webtest.Browser) {
	t.Helper()
	minato, asahikawa := n.shopOf(t, "港区"), n.shopOf(t, "旭川市")
	goods := n.productsOf(t, minato)
	switchUser(n, b, partnerEmail)

	b.TabTo("nav-transfers")
	b.Do("to the transfers", key("\r"))
	focusOnHeading(t, b, "商品の移動")
	b.CheckA11y("transfers")
	b.Do("a new request", click("#new-transfer"))
	focusOnHeading(t, b, "移動を依頼する")
	// SetValue fires input and change, as a choice from the list does.
	b.Do("choosing the source", chromedp.SetValue(chromedp.CSS("#rq-from"), gid.Encode(gid.KindLocation, int64(minato.ID))))
	b.WaitText("#rq-lines", goods[0].Name())
	b.Do("choosing the destination", chromedp.SetValue(chromedp.CSS("#rq-to"), gid.Encode(gid.KindLocation, int64(asahikawa.ID))))
	b.Do("quantities", typeIn("#rq-q-0", "5"), typeIn("#rq-q-1", "2"))
	b.CheckA11y("transfer-request")
	b.Do("sending", click("#rq-send"))
	focusOnHeading(t, b, "移動の詳細")
	b.WaitText("#tr-status", "承認待ち")
	id := strings.TrimPrefix(b.Eval(`location.hash`), "#/transfers/")

	// 港区 approves 4 of the 5, and ships 3 now.
	switchUser(n, b, managerEmail)
	b.WaitText("#todo-approve", "旭川市")
	b.Do("opening it from the home screen", click("#todo-approve a"))
	focusOnHeading(t, b, "移動の詳細")
	b.Do("approving fewer", typeIn("#approve-q-0", "4"), click("#approve-send"))
	b.WaitText("#tr-status", "発送待ち")
	if f := b.Focused(); f != "tr-status" {
		t.Errorf("after approving focus is on %q", f)
	}
	b.Do("shipping part", typeIn("#ship-q-0", "3"), typeIn("#ship-carrier", "ヤマト運輸"), typeIn("#ship-tracking", "1234-5678"), click("#ship-send"))
	b.WaitText("#tr-status", "発送済み")
	b.Until("one left to ship", `document.getElementById("ship-q-0").value === "1"`)
	b.CheckA11y("transfer-shipped-part")

	// 旭川 receives the first box in full.
	switchUser(n, b, partnerEmail)
	b.WaitText("#todo-receive", "港区")
	b.Do("opening it", click("#todo-receive a"))
	focusOnHeading(t, b, "移動の詳細")
	b.Do("receiving in full", click("#receive-send"))
	b.WaitText("#tr-history", "受領")

	// 港区 ships the rest; 旭川 finds one of them lost.
	switchUser(n, b, managerEmail)
	b.Do("to the transfer", chromedp.Navigate(n.url+"/console/#/transfers/"+id))
	focusOnHeading(t, b, "移動の詳細")
	b.Do("shipping the rest", click("#ship-send"))
	b.WaitText("#tr-flash", "発送しました")
	switchUser(n, b, partnerEmail)
	b.Do("to the transfer", chromedp.Navigate(n.url+"/console/#/transfers/"+id))
	focusOnHeading(t, b, "移動の詳細")
	b.WaitText("#receive", "受け取る")
	b.Do("receiving short", typeIn("#receive-q-0", "0"), typeIn("#receive-short-0", "1"))
	b.CheckA11y("transfer-receive")
	b.Do("sending", click("#receive-send"))
	b.WaitText("#tr-status", "受領済み")
	b.WaitText("#tr-receipts", "不足 1")
	b.WaitText("#tr-receipts", "紛失")
	b.CheckA11y("transfer-received")
	b.Width(320)
	b.CheckReflow("transfer-received-320")
	b.Width(1280)

	lines := n.transferLines(t, id)
	if got := lines[goods[0].ID]; got.Approved != 4 || got.Shipped != 4 || got.Received != 3 || got.Short != 1 {
		t.Errorf("the first line: %+v", got)
	}

	// A second request is cancelled; Escape closes the dialog with focus back on its button.
	b.Do("to the transfers", click("#nav-transfers"))
	focusOnHeading(t, b, "商品の移動")
	b.Do("a new request", click("#new-transfer"))
	// A change of mind: 仙台's shop, then 港区's before 仙台's goods came. 仙台's answer
	// is held back until 港区's goods are listed and a quantity is typed; when it
	// comes, 港区's goods and the quantity stay.
	sendai := n.shopOf(t, "仙台市")
	late := b.Hold("*/graphql", gid.Encode(gid.KindMunicipality, int64(sendai.MunicipalityID)))
	b.Do("choosing 仙台's shop", chromedp.SetValue(chromedp.CSS("#rq-from"), gid.Encode(gid.KindLocation, int64(sendai.ID))))
	late.Wait()
	b.Do("choosing 港区's instead", chromedp.SetValue(chromedp.CSS("#rq-from"), gid.Encode(gid.KindLocation, int64(minato.ID))))
	b.WaitText("#rq-lines", goods[0].Name())
	b.Do("one", chromedp.SetValue(chromedp.CSS("#rq-to"), gid.Encode(gid.KindLocation, int64(asahikawa.ID))), typeIn("#rq-q-0", "1"))
	late.Release()
	for _, p := range n.productsOf(t, sendai) {
		if strings.Contains(b.Text("#rq-lines"), p.Name()) {
			t.Errorf("仙台's answer, come late, listed %s under 港区's shop", p.Name())
		}
	}
	if got := b.Eval(`document.getElementById("rq-q-0").value`); got != "1" {
		t.Errorf("the quantity typed is %q after 仙台's answer came late, want 1", got)
	}
	b.Do("sending", click("#rq-send"))
	b.WaitText("#tr-status", "承認待ち")
	second := n.transferLines(t, strings.TrimPrefix(b.Eval(`location.hash`), "#/transfers/"))
	if got := second[goods[0].ID]; len(second) != 1 || got == nil || got.Requested != 1 {
		t.Errorf("the second request's lines: %d, the first good's %+v", len(second), got)
	}
	b.TabTo("tr-cancel")
	b.Do("opening the dialog", key("\r"))
	b.WaitText("#cancel-dialog", "よろしいですか")
	if f := b.Focused(); f != "cancel-reason" {
		t.Errorf("the dialog opens with focus on %q", f)
	}
	b.CheckA11y("transfer-cancel-dialog")
	b.Do("Escape", key("\x1b"))
	b.Until("the dialog to close", `!document.getElementById("cancel-dialog")`)
	if f := b.Focused(); f != "tr-cancel" {
		t.Errorf("after the dialog focus is on %q, want its button", f)
	}
	b.Do("cancelling", key("\r"))
	b.Do("the reason", typeIn("#cancel-reason", "数を間違えました"), click("#cancel-yes"))
	b.WaitText("#tr-status", "取り消し")
	b.WaitText("#tr-history", "数を間違えました")
}

// transferLines are a transfer's lines by product, as the service has them.
func (n *network) transferLines(t *testing.T, globalID string) map[tsunagu.ProductID]*tsunagu.TransferLine {
	t.Helper()
	raw, err := gid.DecodeKind(globalID, gid.KindTransfer)
	if err != nil {
		t.Fatalf("transfer ID %q: %v", globalID, err)
	}
	id := tsunagu.TransferID(raw)
	ls, err := n.s.Transfers.TransferLines(admin(), []tsunagu.TransferID{id})
	if err != nil {
		t.Fatal(err)
	}
	out := map[tsunagu.ProductID]*tsunagu.TransferLine{}
	for _, l := range ls[id] {
		out[l.ProductID] = l
	}
	return out
}
