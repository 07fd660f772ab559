package postgres

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"
)

// Writing transactions do not NOTIFY: their triggers queue notifications in the
// table notify_queue (announce), and every listener (Listen) relays what has
// committed to pg_notify every RelayInterval, in a transaction of its own
// (migration 00049). PostgreSQL holds a lock of the whole database from before a
// notifying transaction commits until after its WAL flush; with the relay only
// the relays take it, not every sale and transfer.
const (
	// RelayInterval is how often each listening process relays while changes
	// come: until relayQuietAfter has passed since a turn last found any. Then
	// the wait doubles at each empty turn up to relayIdleInterval: an idle process
	// costs 10 turns a second, not 50. So a committed change waits at most
	// RelayInterval before its notification is sent while changes keep coming,
	// and relayIdleInterval when it is the first after a quiet spell, unless the
	// process that made it wakes its relay (RelayNow).
	RelayInterval     = 20 * time.Millisecond
	relayQuietAfter   = time.Second
	relayIdleInterval = 100 * time.Millisecond
	// relayTimeout bounds one turn, so that a stuck one cannot keep the others
	// waiting for their turn.
	relayTimeout = 5 * time.Second
	// vacuumEvery is how often a relay that took rows vacuums the table: the
	// relays delete all its rows 50 times a second, and autovacuum comes round
	// about once a minute, while every turn reads the dead rows it left.
	vacuumEvery = time.Second
)

// relayTiming is when a relay turns (production's: RelayInterval,
// relayQuietAfter, relayIdleInterval); wakeGap is how soon after a turn a wake may
// bring on the next (production's: RelayInterval).
type relayTiming struct{ busy, quietAfter, idle, wakeGap time.Duration }

var productionRelay = relayTiming{busy: RelayInterval, quietAfter: relayQuietAfter, idle: relayIdleInterval,
	wakeGap: RelayInterval}

// RelayNow, given to Listen among its receivers (it listens to nothing), makes the
// process's relay turn at once when Wake is called rather than at its next
// interval. A process calls Wake after committing a change (cmd/tsunagu: after
// every mutation), so that its own caches and subscribers hear of the change
// within a turn, as they heard of it at commit before the relay.
type RelayNow struct{ c chan struct{} }

func NewRelayNow() *RelayNow { return &RelayNow{c: make(chan struct{}, 1)} }

// Wake asks for a turn; wakes while one is pending are folded into it.
func (r *RelayNow) Wake() {
	select {
	case r.c <- struct{}{}:
	default:
	}
}

func (*RelayNow) Channels() []string      { return nil }
func (*RelayNow) Notified(string, string) {}
func (*RelayNow) Connected(bool)          {}

// Relay sends every committed notification the relays have not sent yet, in the
// order they were queued (identical ones folded into the first), and returns how
// many queued notifications it took. Relays of any process take turns.
func Relay(ctx context.Context, db *sql.DB) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, relayTimeout)
	defer cancel()
	var n int64
	err := db.QueryRowContext(ctx, `SELECT relay_notifications()`).Scan(&n)
	return n, err
}

// Announce queues a notification on channel, sent once the caller's transaction
// (or statement, on a pool) has committed and a relay has run: what triggers do,
// for a caller with no row to change.
func Announce(ctx context.Context, q sqlx.ExecerContext, channel, payload string) error {
	_, err := q.ExecContext(ctx, `SELECT announce($1, $2)`, channel, payload)
	return err
}

// relayLoop relays until ctx ends, at the times of t and whenever wake has
// something. It calls down when a turn fails after one that succeeded
// (notifications are not flowing: a change could go unseen for as long) and
// signals up when one succeeds again.
func relayLoop(ctx context.Context, db *sql.DB, log *slog.Logger, t relayTiming, wake <-chan struct{},
	down func(), up chan<- struct{}) {
	wait := time.NewTimer(t.busy)
	defer wait.Stop()
	interval := t.busy
	ok := true
	var taken int64
	vacuumed, lastFound, last := time.Now(), time.Now(), time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wait.C:
		case <-wake:
			// A wake brings the next turn forward to no sooner than wakeGap after
			// the last: under a stream of mutations the relay keeps its busy pace
			// (a turn for each mutation cost the bench's sales a fifth of their
			// rate), and after a quiet spell the first change is sent at once.
			if since := time.Since(last); since < t.wakeGap {
				wait.Reset(t.wakeGap - since)
				continue
			}
		}
		last = time.Now()
		n, err := Relay(ctx, db)
		switch {
		case err != nil:
			interval = t.idle
		case n > 0:
			interval, lastFound = t.busy, time.Now()
		case time.Since(lastFound) >= t.quietAfter:
			interval = min(2*interval, t.idle)
		}
		wait.Reset(interval)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if ok {
				ok = false
				down()
				log.Warn("notifications not relayed", "err", err)
			}
			continue
		}
		if !ok {
			ok = true
			select {
			case up <- struct{}{}:
			default:
			}
		}
		taken += n
		if taken > 0 && time.Since(vacuumed) >= vacuumEvery {
			// SKIP_LOCKED: another process's relay may be vacuuming it.
			if _, err := db.ExecContext(ctx, `VACUUM (SKIP_LOCKED) notify_queue`); err != nil && ctx.Err() == nil {
				log.Warn("notify_queue not vacuumed", "err", err)
			}
			taken, vacuumed = 0, time.Now()
		}
	}
}
