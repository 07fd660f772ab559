package graph

import (
	"context"
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/internal/tsunagu"
)

// A nested list with arguments (a municipality's facilities, a facility's products)
// loads by field of the query: priming notes, for each such field, the parents it
// will be asked of, and the first resolver of the field loads the pages of all of
// them in one statement, with the arguments gqlgen gives it (the same for every
// parent: they come from the field and the operation's variables), then primes the
// pages' items. Every other parent's resolver finds its page loaded.

// nestedPages are the pages of one nested list's fields, by field and parent.
type nestedPages[P interface{ ~int64 }, T any] struct {
	mu      sync.Mutex
	byField map[*ast.Field]*fieldPages[P, T]
}

type fieldPages[P interface{ ~int64 }, T any] struct {
	parents []P
	once    sync.Once
	pages   map[P]*tsunagu.Page[T]
	err     error
}

// note records that field f will be asked of parents.
func (n *nestedPages[P, T]) note(f *ast.Field, parents []P) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.byField == nil {
		n.byField = map[*ast.Field]*fieldPages[P, T]{}
	}
	fp := n.byField[f]
	if fp == nil {
		fp = &fieldPages[P, T]{}
		n.byField[f] = fp
	}
	fp.parents = append(fp.parents, parents...)
}

// get returns parent's page of the field being resolved, with first and after. The
// first call for the field loads the pages of every parent noted for it through
// fetch, which reads the pages of many parents, and primes the items with prime; a
// parent nobody noted is loaded alone.
func (n *nestedPages[P, T]) get(ctx context.Context, parent P, first *int, after *string,
	fetch func(context.Context, []P, tsunagu.PageArgs) (map[P]*tsunagu.Page[T], error),
	prime func(context.Context, []T) error) (*tsunagu.Page[T], error) {
	page, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	var f *ast.Field
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		f = fc.Field.Field
	}
	n.mu.Lock()
	fp := n.byField[f]
	n.mu.Unlock()
	if fp != nil {
		fp.once.Do(func() {
			// Another root field with the same fragment may still be noting parents:
			// those it notes from now on are loaded alone.
			n.mu.Lock()
			parents := slices.Clone(fp.parents)
			n.mu.Unlock()
			fp.pages, fp.err = loadPages(ctx, parents, page, fetch, prime)
		})
		if fp.err != nil {
			return nil, fp.err
		}
		if pg, ok := fp.pages[parent]; ok {
			return pg, nil
		}
	}
	pages, err := loadPages(ctx, []P{parent}, page, fetch, prime)
	if err != nil {
		return nil, err
	}
	return pages[parent], nil
}

// loadPages fetches the pages of parents, an empty page for a parent without
// items, and primes their items.
func loadPages[P interface{ ~int64 }, T any](ctx context.Context, parents []P, page tsunagu.PageArgs,
	fetch func(context.Context, []P, tsunagu.PageArgs) (map[P]*tsunagu.Page[T], error),
	prime func(context.Context, []T) error) (map[P]*tsunagu.Page[T], error) {
	got, err := fetch(ctx, unique(parents), page)
	if err != nil {
		return nil, err
	}
	out := make(map[P]*tsunagu.Page[T], len(parents))
	var items []T
	for _, p := range parents {
		pg := got[p]
		if pg == nil {
			pg = &tsunagu.Page[T]{Items: []T{}}
		}
		if _, dup := out[p]; !dup {
			items = append(items, pg.Items...)
		}
		out[p] = pg
	}
	return out, prime(ctx, items)
}
