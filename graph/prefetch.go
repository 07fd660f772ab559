package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

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
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return false
	}
	oc := graphql.GetOperationContext(ctx)
	sel, typ := fc.Field.Selections, fc.Field.Definition.Type.Name()
	for _, name := range path {
		var next ast.SelectionSet
		found := false
		for _, f := range graphql.CollectFields(oc, sel, []string{typ}) {
			if f.Name == name {
				next, found = append(next, f.Selections...), true
				typ = f.Definition.Type.Name()
			}
		}
		if !found {
			return false
		}
		sel = next
	}
	return true
}

// prefetchProductRefs primes the facility and municipality loaders for a page of
// products, as far as the query asks for them.
func (r *Resolver) prefetchProductRefs(ctx context.Context, ps []*tsunagu.Product) error {
	l := loadersFrom(ctx)
	wantFacility := selects(ctx, "edges", "node", "facility")
	var munis []tsunagu.MunicipalityID
	if selects(ctx, "edges", "node", "municipality") {
		for _, p := range ps {
			munis = append(munis, p.MunicipalityID)
		}
	}
	if wantFacility && len(ps) > 0 {
		ids := make([]tsunagu.FacilityID, 0, len(ps))
		for _, p := range ps {
			ids = append(ids, p.FacilityID)
		}
		fs, err := r.Catalog.FacilitiesByID(ctx, unique(ids))
		if err != nil {
			return err
		}
		withMuni := selects(ctx, "edges", "node", "facility", "municipality")
		for id, f := range fs {
			l.facility.Prime(id, f)
			if withMuni {
				munis = append(munis, f.MunicipalityID)
			}
		}
	}
	if len(munis) == 0 {
		return nil
	}
	ms, err := r.Catalog.MunicipalitiesByID(ctx, unique(munis))
	if err != nil {
		return err
	}
	for id, m := range ms {
		l.municipality.Prime(id, m)
	}
	return nil
}

// unique returns ids sorted, without repeats.
func unique[K interface{ ~int64 | ~int32 | ~int }](ids []K) []K {
	slices.Sort(ids)
	return slices.Compact(ids)
}
