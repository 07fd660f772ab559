package postgres

import (
	"context"
	"database/sql"
	"log/slog"
	"testing"
	"time"

	"github.com/lib/pq"

	"tsunagu/internal/pgtest"
)

// A woken relay turns: with turns an hour apart, a notification is heard only
// because of a wake. Each wake comes within a second of the last turn, so the
// relay brings its next turn forward to a second after it (production's wakeGap
// is RelayInterval) rather than turning at once, and the wake is not lost.
func TestRelayWakes(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	db, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l := pq.NewListener(url, 100*time.Millisecond, time.Second, nil)
	defer l.Close()
	if err := l.Listen(ChannelEvents); err != nil {
		t.Fatal(err)
	}
	now := NewRelayNow()
	hour := relayTiming{busy: time.Hour, quietAfter: time.Hour, idle: time.Hour, wakeGap: time.Second}
	go relayLoop(ctx, db, slog.Default(), hour, now.c, func() { t.Error("a turn failed") }, make(chan struct{}, 1))
	for _, payload := range []string{"user:1", "user:2"} {
		if err := Announce(ctx, db, ChannelEvents, payload); err != nil {
			t.Fatal(err)
		}
		now.Wake()
		select {
		case n := <-l.Notify:
			if n.Extra != payload {
				t.Errorf("heard %q, want %q", n.Extra, payload)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s was not relayed when the relay was woken", payload)
		}
	}
}
