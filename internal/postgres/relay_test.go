package postgres_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/lib/pq"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// Writers queue their notifications and only the relay sends them (migration
// 00049): what committed, once, in the order it was queued, identical ones folded.
func TestRelay(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	raw := w.db.SQL()

	// Nothing but the relay calls pg_notify: a writer that did would make every
	// commit wait for the lock of the whole database again.
	var fns pq.StringArray
	must(t, raw.QueryRowContext(ctx, `SELECT coalesce(array_agg(proname::text ORDER BY proname), '{}')
		FROM pg_proc WHERE prosrc ILIKE '%pg_notify%' AND pronamespace = 'public'::regnamespace`).Scan(&fns))
	if len(fns) != 1 || fns[0] != "relay_notifications" {
		t.Fatalf("functions calling pg_notify: %v, want only relay_notifications", fns)
	}

	// A vacuum of the queue does not cut its end off: that takes a lock every
	// writer's INSERT would wait for (migration 00050).
	var opts pq.StringArray
	must(t, raw.QueryRowContext(ctx, `SELECT coalesce(reloptions, '{}') FROM pg_class WHERE oid = 'notify_queue'::regclass`).Scan(&opts))
	if len(opts) != 1 || opts[0] != "vacuum_truncate=false" {
		t.Errorf("notify_queue's options: %v, want vacuum_truncate=false", opts)
	}

	l := pq.NewListener(w.url, 100*time.Millisecond, time.Second, nil)
	defer l.Close()
	must(t, l.Listen(postgres.ChannelEvents))
	must(t, l.Listen("tsunagu_auth"))
	if _, err := postgres.Relay(ctx, raw); err != nil { // what the world's set-up queued
		t.Fatal(err)
	}
	next := func() string {
		t.Helper()
		select {
		case n := <-l.Notify:
			return n.Channel + " " + n.Extra
		case <-time.After(10 * time.Second):
			t.Fatal("no notification")
			return ""
		}
	}
	for {
		// The set-up's, up to a marker queued after them.
		must(t, postgres.Announce(ctx, raw, postgres.ChannelEvents, "user:0"))
		if _, err := postgres.Relay(ctx, raw); err != nil {
			t.Fatal(err)
		}
		if next() == postgres.ChannelEvents+" user:0" {
			break
		}
	}

	clerk, other := tsunagu.UserFrom(w.clerk).ID, tsunagu.UserFrom(w.otherClerk).ID
	// A user disabled and enabled again in one transaction: the token cache's
	// notification, then real time's, twice each.
	tx, err := raw.BeginTx(ctx, nil)
	must(t, err)
	for _, q := range []string{`UPDATE users SET disabled_at = now() WHERE id = $1`, `UPDATE users SET disabled_at = NULL WHERE id = $1`} {
		_, err := tx.ExecContext(ctx, q, clerk)
		must(t, err)
	}
	must(t, tx.Commit())
	// A change rolled back queues nothing.
	tx, err = raw.BeginTx(ctx, nil)
	must(t, err)
	_, err = tx.ExecContext(ctx, `UPDATE users SET disabled_at = now() WHERE id = $1`, other)
	must(t, err)
	must(t, tx.Rollback())

	var queued int
	must(t, raw.QueryRowContext(ctx, `SELECT count(*) FROM notify_queue`).Scan(&queued))
	if queued != 4 {
		t.Fatalf("%d notifications queued, want 4 (two changes, two channels)", queued)
	}
	n, err := postgres.Relay(ctx, raw)
	must(t, err)
	if n != 4 {
		t.Errorf("the relay took %d, want 4", n)
	}
	user := strconv.FormatInt(int64(clerk), 10)
	for _, want := range []string{"tsunagu_auth user:" + user, postgres.ChannelEvents + " user:" + user} {
		if got := next(); got != want {
			t.Errorf("sent %q, want %q", got, want)
		}
	}
	// Sent once: a second turn takes nothing, and the next thing heard is a marker
	// queued after it.
	if n, err := postgres.Relay(ctx, raw); err != nil || n != 0 {
		t.Errorf("a second turn took %d (%v), want 0", n, err)
	}
	must(t, postgres.Announce(ctx, raw, postgres.ChannelEvents, "user:0"))
	if _, err := postgres.Relay(ctx, raw); err != nil {
		t.Fatal(err)
	}
	if got := next(); got != postgres.ChannelEvents+" user:0" {
		t.Errorf("after the marker was relayed, heard %q first, want the marker", got)
	}
}

// connProbe records what Listen reports to a receiver.
type connProbe struct {
	connected chan bool
	heard     chan string
}

func (connProbe) Channels() []string           { return []string{postgres.ChannelEvents} }
func (p connProbe) Notified(_, payload string) { p.heard <- payload }
func (p connProbe) Connected(ok bool)          { p.connected <- ok }

// While a process cannot relay, its receivers are told that a change could go
// unseen; once it can again, they are told so, and hear what was committed
// meanwhile.
func TestListenRelayFails(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	raw := w.db.SQL()
	p := connProbe{connected: make(chan bool, 100), heard: make(chan string, 100)}
	must(t, postgres.Listen(ctx, w.url, nil, p))
	awaitValue(t, p.connected, true, "Connected(true)")
	// Past what the world's set-up queued.
	must(t, postgres.Announce(ctx, raw, postgres.ChannelEvents, "user:0"))
	awaitValue(t, p.heard, "user:0", "the marker")
	_, err := raw.ExecContext(ctx, `ALTER FUNCTION relay_notifications() RENAME TO relay_notifications_away`)
	must(t, err)
	awaitValue(t, p.connected, false, "Connected(false)")
	clerk := tsunagu.UserFrom(w.clerk).ID
	_, err = raw.ExecContext(ctx, `UPDATE users SET disabled_at = now() WHERE id = $1`, clerk)
	must(t, err)
	_, err = raw.ExecContext(ctx, `ALTER FUNCTION relay_notifications_away() RENAME TO relay_notifications`)
	must(t, err)
	awaitValue(t, p.connected, true, "Connected(true) again")
	awaitValue(t, p.heard, "user:"+strconv.FormatInt(int64(clerk), 10), "the change committed while relaying failed")
}

// awaitValue takes from ch until want comes, failing t if it has not within 10 s.
func awaitValue[T comparable](t *testing.T, ch <-chan T, want T, what string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case got := <-ch:
			if got == want {
				return
			}
		case <-deadline:
			t.Fatalf("%s: not reported within 10 s", what)
		}
	}
}
