package graph

import (
	"context"
	"sync"

	"tsunagu/internal/tsunagu"
)

// A loader holds the objects of one kind that a request has loaded, by ID (GoAlert's
// loaders by ID, without a batching window). The resolver of a page, list or payload
// loads what its query's selection reaches, one statement per kind (see prime.go),
// and stores it here before gqlgen resolves the children, which then only look it
// up. An ID nobody loaded is fetched alone, once per request. Nothing waits for
// other keys to arrive, so the statements a query runs do not depend on timing.
type loader[K comparable, V any] struct {
	fetch func(context.Context, []K) (map[K]V, error)

	// mu guards m. Once a page is primed its children only read, many at once
	// (gqlgen resolves them in goroutines): they share the read lock.
	mu sync.RWMutex
	m  map[K]entry[V]
}

// entry is what a loader knows of one ID: the object (found false when there is
// none, or the user may not see it) once its fetch is done.
type entry[V any] struct {
	v     V
	found bool
	f     *fetching
}

// fetching is one fetch of a loader, which every entry it covers waits for.
type fetching struct {
	done chan struct{}
	err  error
}

// loadMany loads the IDs the loader does not hold yet, in one statement, and waits
// for those others are loading.
func (l *loader[K, V]) loadMany(ctx context.Context, ids []K) error {
	var f *fetching
	var missing []K
	l.mu.Lock()
	if l.m == nil {
		l.m = make(map[K]entry[V], len(ids))
	}
	for _, id := range ids {
		if _, ok := l.m[id]; !ok {
			if f == nil {
				f = &fetching{done: make(chan struct{})}
			}
			l.m[id] = entry[V]{f: f}
			missing = append(missing, id)
		}
	}
	l.mu.Unlock()
	if f != nil {
		l.run(ctx, f, missing)
	}
	var others []K
	l.mu.RLock()
	for _, id := range ids {
		e := l.m[id]
		select {
		case <-e.f.done:
			if e.f.err != nil {
				l.mu.RUnlock()
				return e.f.err
			}
		default:
			others = append(others, id)
		}
	}
	l.mu.RUnlock()
	for _, id := range others {
		if _, _, err := l.wait(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// found returns the distinct objects of ids, all loaded, that exist; seen is
// scratch space.
func (l *loader[K, V]) found(ids []K, seen map[K]struct{}) []V {
	clear(seen)
	out := make([]V, 0, len(ids))
	l.mu.RLock()
	defer l.mu.RUnlock()
	for _, id := range ids {
		if _, dup := seen[id]; dup {
			continue
		}
		seen[id] = struct{}{}
		if e := l.m[id]; e.found {
			out = append(out, e.v)
		}
	}
	return out
}

// run fetches ids for f and stores what came back.
func (l *loader[K, V]) run(ctx context.Context, f *fetching, ids []K) {
	var got map[K]V
	if l.fetch != nil {
		got, f.err = l.fetch(ctx, ids)
	}
	l.mu.Lock()
	for _, id := range ids {
		v, ok := got[id]
		l.m[id] = entry[V]{v: v, found: ok, f: f}
	}
	l.mu.Unlock()
	close(f.done)
}

// put stores objects read along with others (a page's references, read in the
// page's statement: Resolver.products) as loaded: each of ids, found when got has
// it, as a fetch of ids would have stored them. An ID already loaded or being
// loaded keeps what it has.
func (l *loader[K, V]) put(ids []K, got map[K]V) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = make(map[K]entry[V], len(ids))
	}
	for _, id := range ids {
		if _, ok := l.m[id]; !ok {
			v, found := got[id]
			l.m[id] = entry[V]{v: v, found: found, f: loaded}
		}
	}
}

// loaded is the fetch of what put stored: done, without error.
var loaded = func() *fetching {
	f := &fetching{done: make(chan struct{})}
	close(f.done)
	return f
}()

// get returns the object of id, fetching it alone if nobody loaded it.
func (l *loader[K, V]) get(ctx context.Context, id K) (V, bool, error) {
	// An entry seen with its fetch done, under the lock, is final: run stores it
	// before it closes done.
	l.mu.RLock()
	e, ok := l.m[id]
	if ok {
		select {
		case <-e.f.done:
			l.mu.RUnlock()
			return e.v, e.found, e.f.err
		default:
		}
	}
	l.mu.RUnlock()
	if ok {
		return l.wait(ctx, id)
	}
	l.mu.Lock()
	if l.m == nil {
		l.m = map[K]entry[V]{}
	}
	if _, ok := l.m[id]; ok { // another resolver asked first
		l.mu.Unlock()
		return l.wait(ctx, id)
	}
	f := &fetching{done: make(chan struct{})}
	l.m[id] = entry[V]{f: f}
	l.mu.Unlock()
	l.run(ctx, f, []K{id})
	return l.wait(ctx, id)
}

// wait returns the entry of id once its fetch is done.
func (l *loader[K, V]) wait(ctx context.Context, id K) (V, bool, error) {
	l.mu.RLock()
	e := l.m[id]
	l.mu.RUnlock()
	select {
	case <-e.f.done:
	case <-ctx.Done():
		var zero V
		return zero, false, ctx.Err()
	}
	l.mu.RLock()
	e = l.m[id]
	l.mu.RUnlock()
	return e.v, e.found, e.f.err
}

// load fetches one object through a loader; a missing object is NOT_FOUND.
func load[K comparable, V any](ctx context.Context, l *loader[K, V], id K, what string) (V, error) {
	v, ok, err := l.get(ctx, id)
	if err == nil && !ok {
		return v, tsunagu.Errorf(tsunagu.CodeNotFound, "", "There is no such %s.", what)
	}
	return v, err
}

// loadOptional is load for a reference that may be absent (nil id); it gives nil then.
func loadOptional[K comparable, V any](ctx context.Context, l *loader[K, V], id *K, what string) (V, error) {
	if id == nil {
		var zero V
		return zero, nil
	}
	return load(ctx, l, *id, what)
}

// loadVisible is load for a reference the user may not be allowed to see (an actor
// who is a customer, say): it gives nil instead of an error then.
func loadVisible[K comparable, V any](ctx context.Context, l *loader[K, V], id K) (V, error) {
	v, _, err := l.get(ctx, id)
	return v, err
}

// loadList fetches the children of a parent through a loader of lists; a parent
// without children gives an empty list.
func loadList[K comparable, V any](ctx context.Context, l *loader[K, []V], id K) ([]V, error) {
	v, _, err := l.get(ctx, id)
	if err == nil && v == nil {
		return []V{}, nil
	}
	return v, err
}
