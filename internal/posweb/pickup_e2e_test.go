package posweb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tsunagu/graph/gid"
	"tsunagu/internal/pgtest"
	"tsunagu/internal/tsunagu"
)

// Pickup orders in Chromium: two shoppers have paid online for pickup at the shop.
// The clerk opens the task, marks the first order ready while the network loses the
// answer (the app sends it again with the same key, and it is done once), hands it
// over after confirming, by keyboard, through a lost answer and a reload (sent once
// again with its key as the app starts); the second was put out on another terminal
// meanwhile, and the clerk's press is explained in words. The first order is then
// COMPLETED and its goods have left the shop through the ledger.
func TestPickupOrdersInChromium(t *testing.T) {
	s := newShop(t)
	first := s.paidPickupOrder(t, "山田花子", cookieCode, 2, spoonCode, 1)
	second := s.paidPickupOrder(t, "Tran Thi Lan", jamCode, 1)
	n1, n2 := first.Number(), second.Number()
	b := newBrowser(t, "pickup")

	b.openPickup(s)
	card := fmt.Sprintf("#pickup-paid li.order:has(#ready-%d)", n1)
	for _, want := range []string{fmt.Sprintf("注文 #%d", n1), "山田花子 さま", "クッキー", "× 2", "木のスプーン", "× 1", "¥1,900"} {
		b.waitText(card, want)
	}
	b.waitText("#pickup-paid", "Tran Thi Lan")
	b.waitText("#pickup-ready", "お渡しを待つ注文はありません")
	b.checkA11y("pickup")

	// The network loses the answer: the app says it is sending, sends again with the
	// same key, and the order is marked ready once (a second mark would be refused).
	s.dropOrders.Store(true)
	b.tabTo(fmt.Sprintf("ready-%d", n1))
	b.do("ready, by keyboard", chromedp.KeyEvent("\r"))
	b.waitText("#pending", fmt.Sprintf("注文 #%d の操作を送信中です", n1))
	if kept := b.eval(`localStorage.getItem("pos.pendingOrderAction") || ""`); !strings.Contains(kept, "idempotencyKey") {
		t.Errorf("the action in flight is not kept with its key: %q", kept)
	}
	b.until("two answers lost", `document.querySelector("#pending .hint") !== null`)
	s.dropOrders.Store(false)
	b.waitText("#pickup-done", fmt.Sprintf("注文 #%d の準備ができました", n1))
	b.waitText("#pickup-ready", "山田花子")
	if s.dropped.Load() < 2 {
		t.Errorf("%d answers were dropped, want 2 or more", s.dropped.Load())
	}
	if got := s.order(t, first.ID).Status; got != tsunagu.OrderReady {
		t.Errorf("after marking ready the order is %s", got)
	}

	// Another terminal puts the second order out; the clerk's press is explained.
	var other struct {
		MarkOrderReady struct{ UserErrors []struct{ Code string } }
	}
	s.gql(t, `mutation($in: OrderActionInput!) { markOrderReady(input: $in) { userErrors { code } } }`,
		map[string]any{"in": map[string]any{"orderId": gid.Encode(gid.KindOrder, n2), "idempotencyKey": "other-terminal"}}, &other)
	if len(other.MarkOrderReady.UserErrors) > 0 {
		t.Fatalf("marking ready elsewhere: %+v", other)
	}
	b.do("ready, too late", click(fmt.Sprintf("#ready-%d", n2)))
	b.waitText("#pickup-err", "ほかの人が先に準備した")
	if txt := b.textOf("#main"); strings.Contains(txt, "INVALID_STATE") {
		t.Errorf("the error shows its code:\n%s", txt)
	}

	// Handing over asks first; "not yet" changes nothing.
	b.do("hand over", click(fmt.Sprintf("#handover-%d", n1)))
	b.waitText(fmt.Sprintf("#handover-ask-%d", n1), "山田花子 さまに注文")
	b.do("not yet", click(fmt.Sprintf("#handover-no-%d", n1)))
	b.do("hand over", click(fmt.Sprintf("#handover-%d", n1)))
	if f := b.eval(`document.activeElement.id`); f != fmt.Sprintf("handover-yes-%d", n1) {
		t.Errorf("the confirmation starts with focus on %q", f)
	}
	b.checkA11y("pickup-confirm")
	// The answer is lost and the page reloaded: the kept action goes out again with
	// its key as the app starts, and the order is handed over once.
	s.dropOrders.Store(true)
	b.do("yes, by keyboard", chromedp.KeyEvent("\r"))
	b.waitText("#pending", fmt.Sprintf("注文 #%d の操作を送信中です", n1))
	b.until("an answer lost, and a retry", `document.querySelector("#pending .hint") !== null`)
	b.do("reloading", chromedp.Reload())
	b.waitText("#pending", fmt.Sprintf("注文 #%d の操作を送信中です", n1))
	s.dropOrders.Store(false)
	b.waitText("#pickup-done", fmt.Sprintf("注文 #%d をお渡ししました", n1))
	b.until("the live region says so", fmt.Sprintf(`document.getElementById("announcer").textContent === %q`,
		fmt.Sprintf("注文 #%d をお渡ししました。", n1)))
	if kept := b.eval(`localStorage.getItem("pos.pendingOrderAction") || ""`); kept != "" {
		t.Errorf("an answered action is still kept: %s", kept)
	}
	b.do("English", click("#pref-lang"))
	b.waitText("#pickup-ready", fmt.Sprintf("Order #%d", n2))
	b.waitText("#pickup-paid", "No orders to prepare.")
	b.shot("pickup-en")
	b.do("Japanese, with furigana", click("#pref-lang"), click("#pref-furigana"))
	b.waitText("#pickup-title rt", "ちゅうもん") // やさしい日本語: とりに くる 注文
	b.waitText(fmt.Sprintf("#handover-%d", n2), "わたした")
	b.shot("pickup-furigana")

	if got := s.order(t, first.ID).Status; got != tsunagu.OrderCompleted {
		t.Errorf("after the handover the order is %s, want COMPLETED", got)
	}
	// The goods left the shop through the ledger: 20 cookies less 2, 20 spoons less 1.
	if err := pgtest.CheckLedger(context.Background(), s.db.SQL()); err != nil {
		t.Error(err)
	}
	var levels struct {
		StockLevels struct {
			Edges []struct {
				Node struct {
					Product          struct{ Code string }
					OnHand, Reserved int
				}
			}
		}
	}
	s.gql(t, `query($loc: ID!) { stockLevels(locationId: $loc, first: 10) { edges { node { product { code } onHand reserved } } } }`,
		map[string]any{"loc": gid.Encode(gid.KindLocation, int64(s.loc.ID))}, &levels)
	want := map[string][2]int{cookieCode: {18, 0}, spoonCode: {19, 0}, jamCode: {1, 1}}
	for _, e := range levels.StockLevels.Edges {
		if w, ok := want[e.Node.Product.Code]; ok && (e.Node.OnHand != w[0] || e.Node.Reserved != w[1]) {
			t.Errorf("%s: on hand %d, reserved %d; want %d, %d", e.Node.Product.Code, e.Node.OnHand, e.Node.Reserved, w[0], w[1])
		}
	}
}

// openPickup signs the clerk in, opens the register and goes to the pickup list.
func (b *browser) openPickup(s *shop) {
	b.t.Helper()
	b.do("opening the app", chromedp.Navigate(s.url+"/pos/"))
	b.do("signing in", typeInto("#login-email", s.email), typeInto("#login-password", s.password+"\r"))
	b.do("opening the register", typeInto("#reg-float", "30000"), click("#reg-open"))
	b.waitText("#task-pickup", "受け取り待ちの注文")
	b.do("the pickup task", click("#task-pickup"))
	b.waitText("h1", "受け取り待ちの注文")
}

// until waits until a JavaScript expression is true.
func (b *browser) until(what, js string) {
	b.t.Helper()
	b.do(what, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Poll[bool](js, chromedp.WithPollingInterval(30*time.Millisecond))(ctx, t)
		return err
	}))
}
