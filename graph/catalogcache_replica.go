package graph

import (
	"context"
	"errors"
	"net/http"

	"tsunagu/internal/metrics"
)

// ReplicaRouter returns ctx marked to read from the streaming standby if the standby
// has replayed the primary's log at least up to lsn, else false (read from the
// primary). postgres.DB.OnReplica is one.
type ReplicaRouter func(ctx context.Context, lsn uint64) (context.Context, bool)

// UseReplica sends the reads of cache misses to a streaming standby. Call it before
// the listener starts, which must then report Covered (postgres.ListenCatalog does,
// for a CoveredEvents that ReadsReplica).
//
// The cache never keeps an answer read from the standby that is older than an
// invalidation it has seen: after each notification the listener reads the
// primary's log insert position (past the commit of the change notified) and
// reports it with Covered. A miss reads from the standby only if no notification
// came since the last Covered and the standby has replayed at least that far
// (checked before its first statement, and replay only moves forward), so what it
// reads includes every change notified so far; one notified while it runs stops
// the answer from being kept (the generation check of serve), as on the primary.
// Otherwise the miss reads from the primary.
func (c *CatalogCache) UseReplica(r ReplicaRouter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.replica = r
}

// Listening reports whether change notifications are being received (the cache
// serves nothing while they are not), for /readyz.
func (c *CatalogCache) Listening(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.connected {
		return errors.New("catalog change notifications are not being received: the catalog cache is off")
	}
	return nil
}

// ReadsReplica tells the listener whether to report Covered.
func (c *CatalogCache) ReadsReplica() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.replica != nil
}

// Covered reports a primary log position at or past every change notified so far.
func (c *CatalogCache) Covered(lsn uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lsn, c.covered = max(c.lsn, lsn), true
}

// route returns r, with its context marked for the standby when it may read there.
func (c *CatalogCache) route(r *http.Request, lsn uint64, covered bool) *http.Request {
	if c.replica == nil {
		return r
	}
	if covered {
		if ctx, ok := c.replica(r.Context(), lsn); ok {
			c.metrics.CatalogRead(true)
			return r.WithContext(ctx)
		}
	}
	c.metrics.CatalogRead(false)
	return r
}

// Instrument records the cache's hits and misses, its size and where its misses
// read, in m.
func (c *CatalogCache) Instrument(m *metrics.Metrics) {
	c.mu.Lock()
	c.metrics = m
	c.mu.Unlock()
	m.Gauge("tsunagu_catalog_cache_bytes", "Bytes of answers the catalog cache holds.", func() float64 {
		c.mu.Lock()
		defer c.mu.Unlock()
		return float64(c.bytes[0] + c.bytes[1])
	})
	m.Gauge("tsunagu_catalog_cache_entries", "Answers the catalog cache holds.", func() float64 {
		c.mu.Lock()
		defer c.mu.Unlock()
		return float64(len(c.entries[0]) + len(c.entries[1]))
	})
}
