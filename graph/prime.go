package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/internal/tsunagu"
)

// Priming: the one way pages, lists, payloads and their references load. The
// resolver that loads objects (a page, a nested page, a payload's object, an object
// by ID) hands them to primeAt before it returns them. primeAt reads the query's
// selection below them and loads everything it reaches into the request's loaders,
// one statement per kind: the kinds run in a fixed order (children before the
// objects they refer to, sales before products before facilities before
// municipalities), and a kind that more is asked of later runs again. When gqlgen
// then resolves the children, each resolver finds its object already loaded by ID.
// Nothing depends on how long anyone waits, so a page costs the same statements on
// a busy server as in a test, and the same for 1 item as for 100.

// primer collects, kind by kind, the IDs a selection reaches and loads them.
type primer struct {
	ctx context.Context
	oc  *graphql.OperationContext
	l   *loaders
	kinds

	err error
}

// primeAt primes the loaders for objs, found at path below the field being resolved
// (nothing for the field's own object, "edges", "node" for a connection, the
// object's field for a payload); visit is the objects' type's visitor.
func primeAt[T any](ctx context.Context, objs []T, visit func(*primer, ast.SelectionSet, []T), path ...string) error {
	fc := graphql.GetFieldContext(ctx)
	if len(objs) == 0 || fc == nil || fc.Field.Field == nil {
		return nil
	}
	p := &primer{ctx: ctx, oc: graphql.GetOperationContext(ctx), l: loadersFrom(ctx)}
	sel := p.at(fc.Field.Selections, fc.Field.Definition.Type.Name(), path...)
	if len(sel) == 0 {
		return nil
	}
	visit(p, sel, objs)
	return p.run()
}

// pageNode is the path from a connection to its nodes.
var pageNode = []string{"edges", "node"}

// primeNodes primes the items of a page with visit, for a connection field.
func primeNodes[T any](visit func(*primer, ast.SelectionSet, []T)) func(context.Context, []T) error {
	return func(ctx context.Context, items []T) error { return primeAt(ctx, items, visit, pageNode...) }
}

// primed primes the object the field being resolved returns (nil: nothing).
func primed[T any](ctx context.Context, obj *T, visit func(*primer, ast.SelectionSet, []*T)) (*T, error) {
	if obj == nil {
		return nil, nil
	}
	return obj, primeAt(ctx, []*T{obj}, visit)
}

// primedPayload splits a mutation's result for its payload (see userErrors) and,
// when the mutation succeeded, primes what the payload's field selects of obj.
func primedPayload[T any](ctx context.Context, obj *T, err error, visit func(*primer, ast.SelectionSet, []*T),
	field string) ([]*tsunagu.Error, error) {
	errs, err := userErrors(err)
	if err != nil || len(errs) > 0 || obj == nil {
		return errs, err
	}
	return errs, primeAt(ctx, []*T{obj}, visit, field)
}

// at follows path from sel, a selection on type typ, to the selection it reaches,
// through every field of that name (aliases and fragments included).
func (p *primer) at(sel ast.SelectionSet, typ string, path ...string) ast.SelectionSet {
	for _, name := range path {
		var next ast.SelectionSet
		for _, f := range graphql.CollectFields(p.oc, sel, []string{typ}) {
			if f.Name == name {
				next = append(next, f.Selections...)
				typ = f.Definition.Type.Name()
			}
		}
		sel = next
	}
	return sel
}

// fields returns the fields of sel that apply to an object of type typ.
func (p *primer) fields(sel ast.SelectionSet, typ string) []graphql.CollectedField {
	return graphql.CollectFields(p.oc, sel, []string{typ, "Node"})
}

// run loads what was collected, kind by kind in order, until nothing more is asked.
func (p *primer) run() error {
	order := p.kinds.order()
	for p.err == nil {
		ran := false
		for _, q := range order {
			if q.pending() {
				p.err = q.run(p.ctx)
				ran = true
				break
			}
		}
		if !ran {
			break
		}
	}
	return p.err
}

// A queue collects the IDs of one kind to load, each batch with what to do with
// the objects found.
type queue[K comparable, V any] struct {
	l     *loader[K, V]
	ids   []K
	thens []then[V]
}

type then[V any] struct {
	from, to int
	f        func([]V)
}

type runner interface {
	pending() bool
	run(context.Context) error
}

// want asks for the objects of ids (repeats allowed) and passes the distinct ones
// found to f, which may ask for what they refer to in turn.
func (q *queue[K, V]) want(l *loader[K, V], ids []K, f func([]V)) {
	if len(ids) == 0 {
		return
	}
	q.l = l
	from := len(q.ids)
	q.ids = append(q.ids, ids...)
	q.thens = append(q.thens, then[V]{from, len(q.ids), f})
}

func (q *queue[K, V]) pending() bool { return len(q.ids) > 0 }

func (q *queue[K, V]) run(ctx context.Context) error {
	ids, thens := q.ids, q.thens
	q.ids, q.thens = nil, nil
	if err := q.l.loadMany(ctx, ids); err != nil {
		return err
	}
	seen := map[K]struct{}{}
	for _, t := range thens {
		if t.f != nil {
			t.f(q.l.found(ids[t.from:t.to], seen))
		}
	}
	return nil
}

// refIDs maps objects to the IDs of what they refer to.
func refIDs[T any, K any](objs []T, id func(T) K) []K {
	out := make([]K, len(objs))
	for i, o := range objs {
		out[i] = id(o)
	}
	return out
}

// optionalIDs maps objects to the IDs of an optional reference, leaving out nils.
func optionalIDs[T any, K any](objs []T, id func(T) *K) []K {
	var out []K
	for _, o := range objs {
		if k := id(o); k != nil {
			out = append(out, *k)
		}
	}
	return out
}

// flat joins the child lists of several parents.
func flat[V any](lists [][]V) []V {
	var out []V
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// ptrs returns pointers to the elements of a slice of values.
func ptrs[V any](vs []V) []*V {
	out := make([]*V, len(vs))
	for i := range vs {
		out[i] = &vs[i]
	}
	return out
}

// unique returns ids sorted, without repeats.
func unique[K interface{ ~int64 | ~int32 | ~int }](ids []K) []K {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return slices.Compact(ids)
}
