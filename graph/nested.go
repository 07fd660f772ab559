package graph

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/vikstrous/dataloadgen"

	"tsunagu/internal/tsunagu"
)

// A nested list (a municipality's facilities, a facility's products) loads through
// a page loader: the pages of every parent on a page are read in one call. The key
// carries the field's arguments, so that parents asked for with the same filter and
// page share a statement and different ones are still answered right.

// pageKey is a parent and the nested field's arguments, as JSON.
type pageKey[P comparable] struct {
	Parent P
	Args   string
}

// pageArgsOf are the arguments of a nested list field.
type pageArgsOf[F any] struct {
	Filter F
	Page   tsunagu.PageArgs
}

// newPageKey makes the key of parent's page with filter f and page.
func newPageKey[P comparable, F any](parent P, f F, page tsunagu.PageArgs) pageKey[P] {
	b, _ := json.Marshal(pageArgsOf[F]{f, page}) // plain data: it always encodes
	return pageKey[P]{parent, string(b)}
}

// newPageLoader batches fetch, which reads the pages of many parents with one
// filter and page, by the arguments of its keys.
func newPageLoader[P comparable, F any, T any](fetch func(context.Context, []P, F, tsunagu.PageArgs) (map[P]*tsunagu.Page[T], error),
	opt dataloadgen.Option) *dataloadgen.Loader[pageKey[P], *tsunagu.Page[T]] {
	return dataloadgen.NewMappedLoader(func(ctx context.Context, keys []pageKey[P]) (map[pageKey[P]]*tsunagu.Page[T], error) {
		groups := map[string][]P{}
		for _, k := range keys {
			groups[k.Args] = append(groups[k.Args], k.Parent)
		}
		out := make(map[pageKey[P]]*tsunagu.Page[T], len(keys))
		for args, parents := range groups {
			var a pageArgsOf[F]
			if err := json.Unmarshal([]byte(args), &a); err != nil {
				return nil, err
			}
			pages, err := fetch(ctx, parents, a.Filter, a.Page)
			if err != nil {
				return nil, err
			}
			for _, p := range parents {
				if pg := pages[p]; pg != nil {
					out[pageKey[P]{p, args}] = pg
				}
			}
		}
		return out, nil
	}, opt)
}

// loadPage loads parent's page of a nested list with filter f and the connection
// arguments first and after.
func loadPage[P comparable, F any, T any](ctx context.Context, l *dataloadgen.Loader[pageKey[P], *tsunagu.Page[T]],
	parent P, f F, first *int, after *string) (*tsunagu.Page[T], error) {
	page, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	pg, err := l.Load(ctx, newPageKey(parent, f, page))
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return &tsunagu.Page[T]{Items: []T{}}, nil
	}
	return pg, err
}
