package posweb_test

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// When live updates stop (the API process lost its listening connection, so the
// subscription ends with UNAVAILABLE), the pickup list falls back to asking every
// 20 s, the app's own interval: a paid order still comes onto the list by itself,
// with the notice shown and read out.
func TestPickupOrderArrivesWhenLiveUpdatesStop(t *testing.T) {
	s := newShop(t)
	s.paidPickupOrder(t, "山田花子", cookieCode, 1)
	b := newBrowser(t, "pickup-fallback")

	b.openPickup(s)
	b.waitText("#pickup-paid", "山田花子")
	deadline := time.Now().Add(10 * time.Second)
	for s.hub.Watching() < 2 { // the socket's user and the subscription
		if time.Now().After(deadline) {
			t.Fatalf("the app did not subscribe: %d watching", s.hub.Watching())
		}
		time.Sleep(5 * time.Millisecond)
	}
	var n int
	err := s.db.SQL().QueryRowContext(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query ILIKE 'listen%'`).Scan(&n)
	if err != nil || n != 1 {
		t.Fatalf("terminated %d listening connections (%v), want 1", n, err)
	}
	// The subscription ended; the app does not subscribe again on its own.
	for s.hub.Watching() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d still watching after the listener dropped", s.hub.Watching())
		}
		time.Sleep(5 * time.Millisecond)
	}

	second := s.paidPickupOrder(t, "Tran Thi Lan", jamCode, 1)
	want := fmt.Sprintf("新しい注文 #%d（Tran Thi Lan さま）が届きました。", second.Number())
	b.waitText("#pickup-news", want) // within the 20 s interval (a step may take 30 s)
	b.waitText("#pickup-paid", "Tran Thi Lan")
	b.until("the live region says so", fmt.Sprintf(`document.getElementById("announcer").textContent === %q`, want))
}
