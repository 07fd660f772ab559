package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

// A page's references are fetched up front, in one statement per kind, and primed
// into the request's loaders, when the query asks for them. Left to the loaders
// alone, the fields of a page's nodes run in goroutines, and a loader's short wait
// can close its batch before the slowest of them asks: the page would then cost a
// statement more on a busy machine. Prefetching makes the count exact.

// selects reports whether the selection of the field being resolved reaches the
// field path, e.g. selects(ctx, "edges", "node", "facility"). A path through a
// fragment on an abstract type is not seen; the loaders then fetch it as usual.
func selects(ctx context.Context, path ...string) bool {
	return len(selected(ctx, path...)) > 0
}

// selected returns the fields the selection of the field being resolved reaches
// at the end of path, e.g. every stock(locationId:) under "edges", "node", "stock".
func selected(ctx context.Context, path ...string) []graphql.CollectedField {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || len(path) == 0 {
		return nil
	}
	oc := graphql.GetOperationContext(ctx)
	sel, typ := fc.Field.Selections, fc.Field.Definition.Type.Name()
	var found []graphql.CollectedField
	for _, name := range path {
		var next ast.SelectionSet
		found = found[:0]
		for _, f := range graphql.CollectFields(oc, sel, []string{typ}) {
			if f.Name == name {
				next = append(next, f.Selections...)
				found = append(found, f)
				typ = f.Definition.Type.Name()
			}
		}
		if len(found) == 0 {
			return nil
		}
		sel = next
	}
	return found
}

// prefetchProductStock primes the stock level loader for a page of products, at
// every location the query asks about with stock(locationId:).
func (r *Resolver) prefetchProductStock(ctx context.Context, ps []*tsunagu.Product) error {
	if r.Stock == nil || len(ps) == 0 {
		return nil
	}
	vars := graphql.GetOperationContext(ctx).Variables
	var keys []tsunagu.StockKey
	seen := map[tsunagu.LocationID]bool{}
	for _, f := range selected(ctx, "edges", "node", "stock") {
		s, _ := f.ArgumentMap(vars)["locationId"].(string)
		loc, err := gid.DecodeKind(s, gid.KindLocation)
		if err != nil || seen[tsunagu.LocationID(loc)] {
			continue // the field itself reports a bad ID
		}
		seen[tsunagu.LocationID(loc)] = true
		for _, p := range ps {
			keys = append(keys, tsunagu.StockKey{ProductID: p.ID, LocationID: tsunagu.LocationID(loc)})
		}
	}
	if len(keys) == 0 {
		return nil
	}
	levels, err := r.Stock.StockLevelsAt(ctx, keys)
	if err != nil {
		return err
	}
	l := loadersFrom(ctx).stockLevel
	for _, k := range keys {
		// A product never stocked there is null (loadVisible), primed as such.
		l.Prime(k, levels[k])
	}
	return nil
}

// prefetchProductRefs primes the facility and municipality loaders for a page of
// products, as far as the query asks for them (one statement per kind, see refs).
func (r *Resolver) prefetchProductRefs(ctx context.Context, ps []*tsunagu.Product) error {
	var x refs
	x.product(ctx, "edges", "node")
	for _, p := range ps {
		if x.productFacility {
			x.facilities = append(x.facilities, p.FacilityID)
		}
		if x.productMuni {
			x.munis = append(x.munis, p.MunicipalityID)
		}
	}
	return r.prime(ctx, &x)
}

// unique returns ids sorted, without repeats.
func unique[K interface{ ~int64 | ~int32 | ~int }](ids []K) []K {
	slices.Sort(ids)
	return slices.Compact(ids)
}
