package graph

import (
	"context"

	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/graph/model"
	"tsunagu/internal/tsunagu"
)

// soldLines resolves soldLines(filter:, first:, after:).
func (r *Resolver) soldLines(ctx context.Context, f *tsunagu.SoldLineFilter, first *int, after *string) (*model.SoldLineConnection, error) {
	page, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	p, err := r.POS.SoldLines(ctx, deref(f), page)
	if err != nil {
		return nil, err
	}
	if err := primeAt(ctx, p.Items, (*primer).soldLine, pageNode...); err != nil {
		return nil, err
	}
	return connection(p, (*tsunagu.SoldLine).Key,
		func(c string, n *tsunagu.SoldLine) *model.SoldLineEdge {
			return &model.SoldLineEdge{Cursor: c, Node: n}
		},
		func(e []*model.SoldLineEdge, i *model.PageInfo) *model.SoldLineConnection {
			return &model.SoldLineConnection{Edges: e, PageInfo: i}
		}), nil
}

func (p *primer) soldLine(sel ast.SelectionSet, objs []*tsunagu.SoldLine) {
	for _, f := range p.fields(sel, "SoldLine") {
		switch f.Name {
		case "shop":
			p.locationsAt(f.Selections, refIDs(objs, func(o *tsunagu.SoldLine) tsunagu.LocationID { return o.ShopID }))
		case "line":
			ls := make([]*tsunagu.SaleLine, len(objs))
			for i, o := range objs {
				ls[i] = o.Line
			}
			p.saleLine(f.Selections, ls)
		}
	}
}
