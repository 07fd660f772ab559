package postgres

import (
	"context"
	"slices"
	"strconv"
	"sync"

	"tsunagu/internal/tsunagu"
)

// ChannelReferences carries the committed changes of facilities and municipalities
// (migration 00048's triggers), with no payload: the process drops all it keeps.
const ChannelReferences = "tsunagu_references"

// MaxReferences bounds the facilities a process keeps (References): a network
// with more is read from the tables on every page. Japan has about 30,000
// disability employment and day-care facilities in all; a partner network holds a
// few hundred, a kilobyte or so each in memory.
const MaxReferences = 30000

// References keeps every facility and municipality in an API process, so that a
// catalog page (ProductPage) and the loaders (FacilitiesByID, MunicipalitiesByID)
// look them up in memory instead of joining the tables for every page: a network
// has a few hundred of them, changed a few times a month, and a page of 50
// products names up to 50 facilities, a third of the statement's cost in
// PostgreSQL (README, Benchmark, issue 16). Both are read for anyone, so one copy
// serves every user.
//
// Invalidation is exact across processes, as the catalog cache's and the token
// cache's are: every committed write to either table is notified on
// ChannelReferences to every process (Listen with References as a Receiver), and
// each drops its copy, read again in full by the next page that needs it; the
// process that made the change (CatalogService's four writers) drops it itself
// before its method returns, so a user sees their own change at once. While
// notifications are not being received, it keeps nothing and every page joins the
// tables. A copy is kept only if nothing was notified while it was being read.
//
// The trade-off is the catalog cache's: between a change's commit and its
// notification's arrival in another process (milliseconds), that process may
// still show the facility or municipality as it was, as a request that started a
// moment earlier would have.
//
// The objects it hands out are shared by every request that reads them: nothing
// may change them (the services' writers make new ones).
type References struct {
	mu        sync.Mutex
	connected bool
	gen       uint64 // counts drops; a copy read under an older gen is not kept
	snap      *refSnapshot
	// tooMany is the gen at which the tables held more than MaxReferences
	// facilities (plus one, 0 for never), not read again until something changes.
	tooMany uint64
	// loading (a lock, held while it holds a value) serialises the reads of the
	// tables: the pages that need a copy while one is being read wait for it rather
	// than each reading the tables, each no longer than its own context allows (a
	// sync.Mutex would hold it for as long as the reader's).
	loading chan struct{}
}

// refSnapshot is one complete copy of both tables.
type refSnapshot struct {
	facilities     map[tsunagu.FacilityID]*tsunagu.Facility
	municipalities map[tsunagu.MunicipalityID]*tsunagu.Municipality
}

// NewReferences returns an empty References, which keeps nothing until
// Connected(true).
func NewReferences() *References { return &References{loading: make(chan struct{}, 1)} }

// Channels implements Receiver.
func (c *References) Channels() []string { return []string{ChannelReferences} }

// Notified implements Receiver: a facility or municipality changed.
func (c *References) Notified(string, string) { c.forget() }

// Connected implements Receiver. Either way what is kept may be stale, and is
// dropped.
func (c *References) Connected(ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.connected = ok
	c.drop()
}

// forget drops the copy (a change notified, or made by this process).
func (c *References) forget() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.drop()
}

// drop drops the copy; c.mu is held.
func (c *References) drop() {
	c.gen++
	c.snap = nil
}

// peek returns the copy kept, if any; and the gen to read a new one under.
func (c *References) peek() (*refSnapshot, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.snap, c.gen, c.connected && c.tooMany != c.gen+1
}

// current returns the copy, reading both tables (from the primary) when none is
// kept; nil when c is nil, notifications are not being received, the tables hold
// more than MaxReferences facilities, or a change was notified while they were
// being read (the caller then reads the tables itself, this once). It fails with
// ctx's error when ctx ends while another request is reading them.
func (c *References) current(ctx context.Context, db *DB) (*refSnapshot, error) {
	if c == nil {
		return nil, nil
	}
	if s, _, _ := c.peek(); s != nil {
		return s, nil
	}
	if !c.lockLoading(ctx) {
		return nil, ctx.Err()
	}
	defer c.unlockLoading()
	s, gen, ok := c.peek()
	if s != nil || !ok {
		return s, nil
	}
	s, err := readReferences(context.WithValue(ctx, replicaKey{}, false), db)
	if err != nil {
		return nil, err
	}
	return c.keep(s, gen), nil
}

// lockLoading takes c.loading, waiting at most until ctx ends: false if it did.
func (c *References) lockLoading(ctx context.Context) bool {
	select {
	case c.loading <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (c *References) unlockLoading() { <-c.loading }

// keep stores s, read under gen, unless anything was dropped since or
// notifications are not being received; it returns s if it was kept or is still
// current, nil (read the tables) otherwise. A nil s marks the tables as too large
// to keep until the next change.
func (c *References) keep(s *refSnapshot, gen uint64) *refSnapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.connected || c.gen != gen {
		return nil
	}
	if s == nil {
		c.tooMany = gen + 1
		return nil
	}
	c.snap = s
	return s
}

// readReferences reads both tables whole; a nil copy when there are more than
// MaxReferences facilities.
func readReferences(ctx context.Context, db *DB) (*refSnapshot, error) {
	var fs []*facilityRow
	err := db.q().SelectContext(ctx, &fs, `SELECT `+facilityColumns+` FROM facilities f LIMIT `+strconv.Itoa(MaxReferences+1))
	if err != nil || len(fs) > MaxReferences {
		return nil, err
	}
	var ms []*municipalityRow
	if err := db.q().SelectContext(ctx, &ms, `SELECT `+municipalityColumns+` FROM municipalities`); err != nil {
		return nil, err
	}
	return &refSnapshot{
		facilities:     byID(facilities(fs), func(f *tsunagu.Facility) tsunagu.FacilityID { return f.ID }),
		municipalities: byID(municipalities(ms), func(m *tsunagu.Municipality) tsunagu.MunicipalityID { return m.ID }),
	}, nil
}

// fromCopy answers ids (repeats allowed) from kept (nil: nothing kept) and reads
// those it lacks (a row inserted after the copy was read, its notification not yet
// in) with read, which is also how every id is read when nothing is kept.
func fromCopy[K comparable, V any](ctx context.Context, kept map[K]V, ids []K,
	read func(context.Context, []K) (map[K]V, error)) (map[K]V, error) {
	if kept == nil {
		return read(ctx, ids)
	}
	out := make(map[K]V, len(ids))
	var missing []K
	for _, id := range ids {
		if v, ok := kept[id]; ok {
			out[id] = v
		} else if !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	more, err := read(ctx, missing)
	for id, v := range more {
		out[id] = v
	}
	return out, err
}

// column is key of each of items, in order.
func column[T, K any](items []T, key func(T) K) []K {
	out := make([]K, len(items))
	for i, it := range items {
		out[i] = key(it)
	}
	return out
}
