package posweb_test

import (
	"fmt"
	"testing"
)

// A pickup order paid online while the pickup list is open comes onto the list by
// itself (shopOrderEvents over a WebSocket), with a notice shown on the screen and
// read out through the live region.
func TestPickupOrderArrivesLive(t *testing.T) {
	s := newShop(t)
	s.paidPickupOrder(t, "山田花子", cookieCode, 1)
	b := newBrowser(t, "pickup-live")

	b.openPickup(s)
	b.waitText("#pickup-paid", "山田花子")
	// Paid at once: before the list's subscription is in place or after, it comes
	// in (TestPickupOrderPaidBeforeSubscribed holds the moment before).
	second := s.paidPickupOrder(t, "Tran Thi Lan", jamCode, 1)
	b.waitText("#pickup-news", fmt.Sprintf("新しい注文 #%d（Tran Thi Lan さま）が届きました。", second.Number()))
	b.waitText("#pickup-paid", "Tran Thi Lan")
	b.until("the live region says so", fmt.Sprintf(`document.getElementById("announcer").textContent === %q`,
		fmt.Sprintf("新しい注文 #%d（Tran Thi Lan さま）が届きました。", second.Number())))
	b.checkA11y("pickup-live")

	// In English, the shopper's Japanese name in the notice and in what the live
	// region says is marked lang="ja" (before: read in an English voice). The list
	// redrawn in English keeps its subscription: a new socket would leave a moment
	// in which an order paid is on neither (the third order was lost so, now and
	// then, when it was paid before the new socket had subscribed).
	b.eval(`(() => { const W = WebSocket; window.sockets = 0;
		window.WebSocket = class extends W { constructor(...a) { super(...a); window.sockets++; } }; return ""; })()`)
	b.do("English", click("#pref-lang"))
	b.waitText("#pickup-title", "Pickup orders")
	if n := b.eval(`String(window.sockets)`); n != "0" {
		t.Errorf("the list redrawn in English opened %s new sockets, want 0 (the subscription kept)", n)
	}
	third := s.paidPickupOrder(t, "高橋 美咲", cookieCode, 1)
	said := fmt.Sprintf("New order #%d (高橋 美咲) has come in.", third.Number())
	b.waitText("#pickup-news", said)
	b.until("the live region says so", fmt.Sprintf(`document.getElementById("announcer").textContent === %q`, said))
	if got := b.eval(`(s => s ? s.lang + " " + s.textContent : "none")(document.querySelector("#announcer [lang]"))`); got != "ja 高橋 美咲" {
		t.Errorf("the announced name is marked %q, want ja 高橋 美咲", got)
	}
	if bad := b.eval(japaneseOutsideJa); bad != "" {
		t.Errorf("the pickup list in English has Japanese text without lang=\"ja\": %s", bad)
	}
	b.checkA11y("pickup-live-en")
}

// An order paid after the pickup list was read and before its subscription was in
// place comes onto the list by itself too: the app reads the list again once the
// server acknowledges the subscription. The test holds that moment open: the
// subscription waits, allowed but not yet watching, until the order is paid and
// its announcement has passed the hub, to nobody (before: the order stayed off
// the list until the clerk refreshed it).
func TestPickupOrderPaidBeforeSubscribed(t *testing.T) {
	s := newShop(t)
	s.paidPickupOrder(t, "山田花子", cookieCode, 1)
	held := s.hold.Next()
	b := newBrowser(t, "pickup-window")

	b.openPickup(s)
	b.waitText("#pickup-paid", "山田花子") // the list is read
	held.Wait(t)
	second := s.paidPickupOrder(t, "Tran Thi Lan", jamCode, 1)
	s.live.Settled(t, s.db.SQL())
	held.Release()

	said := fmt.Sprintf("新しい注文 #%d（Tran Thi Lan さま）が届きました。", second.Number())
	b.waitText("#pickup-news", said)
	b.waitText("#pickup-paid", "Tran Thi Lan")
	b.until("the live region says so", fmt.Sprintf(`document.getElementById("announcer").textContent === %q`, said))
}
