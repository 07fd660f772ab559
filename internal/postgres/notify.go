package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/lib/pq"
)

// Catalog change channels, notified by the triggers of migration 00005.
const (
	ChannelCatalog = "tsunagu_catalog"
	ChannelStock   = "tsunagu_stock"
)

// CatalogEvents is what ListenCatalog reports to.
type CatalogEvents interface {
	// Changed reports a committed change on channel (ChannelCatalog, ChannelStock,
	// or ChannelReferences: a facility or municipality).
	Changed(channel string)
	// Connected reports whether notifications are being received. While they are
	// not, a change could go unseen: caches must neither serve nor keep anything.
	Connected(ok bool)
}

// CoveredEvents may be implemented by a CatalogEvents that reads from a standby:
// after each change and each (re)connection it reported, ListenCatalog reads the
// primary's log insert position and reports it with Covered, a position at or past
// every change reported so far (their commits preceded their notifications). A
// standby that has replayed that far has all of them.
type CoveredEvents interface {
	Covered(lsn uint64)
	// ReadsReplica tells whether the positions are wanted (a standby is in use):
	// without one, ListenCatalog reads none.
	ReadsReplica() bool
}

// ListenCatalog listens for catalog changes on a connection of its own to url
// until ctx ends, reconnecting by itself. It reports Connected(true) once listening
// (and again after each reconnection), from when on nothing committed is missed,
// and Connected(false) whenever the connection is lost.
func ListenCatalog(ctx context.Context, url string, ev CatalogEvents, log *slog.Logger) error {
	return Listen(ctx, url, log, CatalogReceiver(ev))
}

// A Receiver takes, from Listen, the notifications of the channels it names.
type Receiver interface {
	Channels() []string
	// Notified reports a committed notification on one of the channels.
	Notified(channel, payload string)
	// Connected reports whether notifications are being received; while they are
	// not, a change could go unseen.
	Connected(ok bool)
}

// CatalogReceiver is the Receiver of the catalog channels for ev.
func CatalogReceiver(ev CatalogEvents) Receiver { return catalogReceiver{ev} }

type catalogReceiver struct{ CatalogEvents }

// Channels are the catalog's, and ChannelReferences: an answer made from a copy
// of the facilities and municipalities (References) that the change's
// notification on ChannelCatalog reached before ChannelReferences dropped it is
// dropped with it. (A Listen must list the References before the cache, so that
// the copy is gone before the answers made from it.)
func (catalogReceiver) Channels() []string {
	return []string{ChannelCatalog, ChannelStock, ChannelReferences}
}
func (r catalogReceiver) Notified(channel, _ string) { r.Changed(channel) }
func (r catalogReceiver) covered() (CoveredEvents, bool) {
	c, ok := r.CatalogEvents.(CoveredEvents)
	return c, ok
}

// Listen listens on one connection of its own to url, until ctx ends, for the
// channels of every receiver, reconnecting by itself: one connection per process
// whatever listens. Each receiver gets the notifications of its channels, and
// Connected(true) once listening (and again after each reconnection), from when on
// nothing committed is missed, and Connected(false) whenever the connection is lost.
//
// It also relays (Relay): on a second connection, every RelayInterval (up to
// relayIdleInterval after a quiet spell of relayQuietAfter), it sends the
// notifications committed since the last turn of any process, so that a change
// is heard that soon. A turn that fails counts as a lost connection
// (Connected(false)) until one succeeds.
// Listen returns once a first turn and LISTEN ran.
func Listen(ctx context.Context, url string, log *slog.Logger, rs ...Receiver) error {
	if log == nil {
		log = slog.Default()
	}
	// Whether notifications are flowing: the LISTEN connection is up, and so are
	// this process's relay turns (which send, at each, all that is committed).
	var (
		mu                  sync.Mutex
		listening, relaying = true, true
	)
	set := func(p *bool, v bool) {
		mu.Lock()
		defer mu.Unlock()
		*p = v
		ok := listening && relaying
		for _, r := range rs {
			r.Connected(ok)
		}
	}
	byChannel := map[string][]Receiver{}
	for _, r := range rs {
		for _, ch := range r.Channels() {
			byChannel[ch] = append(byChannel[ch], r)
		}
	}
	// The relay's connection, and the one reading the primary's log position. A
	// first turn before listening sends what was committed before this process
	// came: it has nothing to drop for it.
	primary, err := sql.Open("postgres", url)
	if err != nil {
		return err
	}
	primary.SetMaxOpenConns(2)
	if _, err := Relay(ctx, primary); err != nil {
		primary.Close()
		return fmt.Errorf("relaying notifications: %w", err)
	}
	ready := make(chan struct{}, 1)
	l := pq.NewListener(url, 100*time.Millisecond, 5*time.Second, func(t pq.ListenerEventType, err error) {
		switch t {
		case pq.ListenerEventReconnected:
			// resync has re-issued LISTEN on the new connection.
			select {
			case ready <- struct{}{}:
			default:
			}
		case pq.ListenerEventDisconnected, pq.ListenerEventConnectionAttemptFailed:
			set(&listening, false)
			if err != nil {
				log.Warn("notifications lost", "err", err)
			}
		}
	})
	// Listen returns once LISTEN ran on the first connection.
	for ch := range byChannel {
		if err := l.Listen(ch); err != nil {
			l.Close()
			primary.Close()
			return err
		}
	}
	var cov CoveredEvents
	for _, r := range rs {
		if c, ok := r.(catalogReceiver); ok {
			if ce, ok := c.covered(); ok && ce.ReadsReplica() {
				cov = ce
			}
		}
	}
	set(&listening, true)
	relayed := make(chan struct{}, 1)
	var wake chan struct{}
	for _, r := range rs {
		if rn, ok := r.(*RelayNow); ok {
			wake = rn.c
		}
	}
	go relayLoop(ctx, primary, log, productionRelay, wake, func() { set(&relaying, false) }, relayed)
	go func() {
		defer l.Close()
		defer primary.Close()
		uncovered := true
		retry := time.NewTimer(0)
		for {
			select {
			case <-ctx.Done():
				set(&listening, false)
				return
			case <-ready:
				set(&listening, true)
				uncovered = true
			case <-relayed:
				set(&relaying, true)
				uncovered = true
			case n := <-l.Notify:
				uncovered = true
				if n == nil {
					// Sent after a reconnection: anything may have changed meanwhile.
					set(&listening, true)
					break
				}
				for _, r := range byChannel[n.Channel] {
					r.Notified(n.Channel, n.Extra)
				}
			case <-retry.C:
			case <-time.After(time.Minute):
				go l.Ping()
			}
			if cov != nil && uncovered {
				// Before the next notification is taken: Covered speaks of all those
				// reported so far.
				lctx, cancel := context.WithTimeout(ctx, 2*time.Second)
				lsn, err := InsertLSN(lctx, primary)
				cancel()
				if err != nil {
					retry.Reset(time.Second)
					continue
				}
				uncovered = false
				cov.Covered(lsn)
			}
		}
	}()
	return nil
}
