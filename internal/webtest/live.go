package webtest

import (
	"context"
	"database/sql"
	"sync/atomic"
	"testing"
	"time"

	"tsunagu/graph"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// What an app misses while its subscription starts: the tests hold a
// subscription after it is allowed and before it watches the hub
// (SubscriptionHold, at a service its resolver calls first), change what it
// follows, and let it go once that change's announcement has passed the hub, to
// nobody (Hub.Settled).

// SubscriptionHold holds the next subscription that reaches Here.
type SubscriptionHold struct {
	next atomic.Pointer[HeldSubscription]
}

// HeldSubscription is one subscription held.
type HeldSubscription struct {
	reached chan struct{} // closed when the subscription is held
	release chan struct{} // closed to let it go on
}

// Next holds the next subscription that reaches Here.
func (h *SubscriptionHold) Next() *HeldSubscription {
	p := &HeldSubscription{reached: make(chan struct{}), release: make(chan struct{})}
	h.next.Store(p)
	return p
}

// Here holds the subscription of ctx, if Next asked for it, until it is released
// or ctx ends. A test's service wrapper calls it where the subscription's
// resolver has been allowed and does not yet watch.
func (h *SubscriptionHold) Here(ctx context.Context) {
	p := h.next.Swap(nil)
	if p == nil {
		return
	}
	close(p.reached)
	select {
	case <-p.release:
	case <-ctx.Done():
	}
}

// Wait returns once the subscription is held.
func (p *HeldSubscription) Wait(t testing.TB) {
	t.Helper()
	select {
	case <-p.reached:
	case <-time.After(10 * time.Second):
		t.Fatal("the app did not subscribe")
	}
}

// Release lets the subscription go on.
func (p *HeldSubscription) Release() { close(p.release) }

// markerEvent is Settled's announcement: of a user there is not.
const markerEvent = "user:0"

// Hub is the hub as the sink of a process's listener (postgres.EventsReceiver),
// counting Settled's markers once the hub has handed them out.
type Hub struct {
	*graph.Hub
	markers atomic.Int64
}

func (h *Hub) Event(e tsunagu.Event) {
	h.Hub.Event(e)
	if e.Kind == tsunagu.EventUser && e.UserID == 0 {
		h.markers.Add(1)
	}
}

// Settled returns once the hub has handed out every announcement committed on db
// before: a relay turn that takes the marker takes them too, and sends them before
// it (in the order they were queued), so once the marker has passed the hub, they
// have.
func (h *Hub) Settled(t testing.TB, db *sql.DB) {
	t.Helper()
	n := h.markers.Load()
	if err := postgres.Announce(context.Background(), db, postgres.ChannelEvents, markerEvent); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for h.markers.Load() == n {
		if time.Now().After(deadline) {
			t.Fatal("the hub did not get the marker")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
