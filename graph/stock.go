package graph

import (
	"context"

	"tsunagu/graph/gid"
	"tsunagu/graph/model"
	"tsunagu/internal/tsunagu"
)

// Helpers of the stock resolvers.

func stockLevelConnection(p *tsunagu.Page[*tsunagu.StockLevel]) *model.StockLevelConnection {
	return connection(p, func(l *tsunagu.StockLevel) int64 { return int64(l.ProductID) },
		func(c string, n *tsunagu.StockLevel) *model.StockLevelEdge {
			return &model.StockLevelEdge{Cursor: c, Node: n}
		},
		func(e []*model.StockLevelEdge, i *model.PageInfo) *model.StockLevelConnection {
			return &model.StockLevelConnection{Edges: e, PageInfo: i}
		})
}

func stockMovementConnection(p *tsunagu.Page[*tsunagu.StockMovement]) *model.StockMovementConnection {
	return connection(p, func(m *tsunagu.StockMovement) int64 { return int64(m.ID) },
		func(c string, n *tsunagu.StockMovement) *model.StockMovementEdge {
			return &model.StockMovementEdge{Cursor: c, Node: n}
		},
		func(e []*model.StockMovementEdge, i *model.PageInfo) *model.StockMovementConnection {
			return &model.StockMovementConnection{Edges: e, PageInfo: i}
		})
}

func (r *Resolver) stockLevels(ctx context.Context, locationID string, f *tsunagu.StockLevelFilter, first *int, after *string) (*model.StockLevelConnection, error) {
	loc, err := gid.DecodeKind(locationID, gid.KindLocation)
	if err != nil {
		return nil, err
	}
	page, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	p, err := r.Stock.StockLevels(ctx, tsunagu.LocationID(loc), deref(f), page)
	if err != nil {
		return nil, err
	}
	if err := primeAt(ctx, p.Items, (*primer).stockLevel, pageNode...); err != nil {
		return nil, err
	}
	return stockLevelConnection(p), nil
}

func (r *Resolver) stockMovements(ctx context.Context, f tsunagu.StockMovementFilter, first *int, after *string) (*model.StockMovementConnection, error) {
	page, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	p, err := r.Stock.StockMovements(ctx, f, page)
	if err != nil {
		return nil, err
	}
	if err := primeAt(ctx, p.Items, (*primer).stockMovement, pageNode...); err != nil {
		return nil, err
	}
	return stockMovementConnection(p), nil
}

// productStock resolves Product.stock(locationId): null where it was never stocked.
func productStock(ctx context.Context, p tsunagu.ProductID, locationID string) (*tsunagu.StockLevel, error) {
	loc, err := gid.DecodeKind(locationID, gid.KindLocation)
	if err != nil {
		return nil, err
	}
	return loadVisible(ctx, &loadersFrom(ctx).stockLevel, tsunagu.StockKey{ProductID: p, LocationID: tsunagu.LocationID(loc)})
}

// plan is v, one of level l's plans, for a caller who may see them
// (StockLevel.PlansVisibleTo), and nil for anyone else.
func plan[T any](ctx context.Context, l *tsunagu.StockLevel, v T) *T {
	if !l.PlansVisibleTo(tsunagu.UserFrom(ctx)) {
		return nil
	}
	return &v
}

// documentID is the global ID of the document a movement belongs to.
func documentID(m *tsunagu.StockMovement) *string {
	kind := map[tsunagu.DocumentType]string{
		tsunagu.DocumentAdjustment: gid.KindAdjustment,
		tsunagu.DocumentStocktake:  gid.KindStocktake,
		tsunagu.DocumentTransfer:   gid.KindTransfer,
		tsunagu.DocumentSale:       gid.KindSale,
		tsunagu.DocumentOrder:      gid.KindOrder,
	}[m.DocumentType]
	if kind == "" {
		return nil
	}
	id := gid.Encode(kind, m.DocumentID)
	return &id
}

func changedLines(s *tsunagu.Stocktake) []*tsunagu.StocktakeResultLine {
	out := []*tsunagu.StocktakeResultLine{}
	for i := range s.Lines {
		if s.Lines[i].Difference() != 0 {
			out = append(out, &s.Lines[i])
		}
	}
	return out
}

func adjustmentPayload(ctx context.Context, a *tsunagu.StockAdjustment, err error) (*model.AdjustStockPayload, error) {
	errs, err := primedPayload(ctx, a, err, (*primer).stockAdjustment, "adjustment")
	if err != nil || len(errs) > 0 {
		return &model.AdjustStockPayload{UserErrors: errs}, err
	}
	return &model.AdjustStockPayload{Adjustment: a, UserErrors: errs}, nil
}

func stocktakePayload(ctx context.Context, s *tsunagu.Stocktake, err error) (*model.RecordStocktakePayload, error) {
	errs, err := primedPayload(ctx, s, err, (*primer).stocktake, "stocktake")
	if err != nil || len(errs) > 0 {
		return &model.RecordStocktakePayload{UserErrors: errs}, err
	}
	return &model.RecordStocktakePayload{Stocktake: s, UserErrors: errs}, nil
}

func stockLevelPayload(ctx context.Context, l *tsunagu.StockLevel, err error) (*model.StockLevelPayload, error) {
	errs, err := primedPayload(ctx, l, err, (*primer).stockLevel, "level")
	if err != nil || len(errs) > 0 {
		return &model.StockLevelPayload{UserErrors: errs}, err
	}
	return &model.StockLevelPayload{Level: l, UserErrors: errs}, nil
}

// owner is the facility that owns a product's stock (consignment): its maker.
func owner(ctx context.Context, id tsunagu.ProductID) (*tsunagu.Facility, error) {
	p, err := load(ctx, &loadersFrom(ctx).product, id, "product")
	if err != nil {
		return nil, err
	}
	return load(ctx, &loadersFrom(ctx).facility, p.FacilityID, "facility")
}
