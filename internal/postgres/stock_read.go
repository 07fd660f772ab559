package postgres

import (
	"context"

	"tsunagu/internal/tsunagu"
)

// Movement implements tsunagu.StockService in one statement (movementsVisibleTo).
func (s *StockService) Movement(ctx context.Context, id tsunagu.MovementID) (_ *tsunagu.StockMovement, err error) {
	defer wrap(&err, "StockService.Movement")
	u := tsunagu.UserFrom(ctx)
	a := args{id}
	var m tsunagu.StockMovement
	err = s.db.q().GetContext(ctx, &m, `SELECT `+movementColumns+` FROM stock_movements m
		WHERE m.id = $1 AND `+movementsVisibleTo(u, &a), a...)
	if err != nil {
		return nil, notFound(err, "", "stock movement")
	}
	return &m, nil
}

// Adjustment implements tsunagu.StockService: visible, then loadAdjustment.
func (s *StockService) Adjustment(ctx context.Context, id tsunagu.AdjustmentID) (_ *tsunagu.StockAdjustment, err error) {
	defer wrap(&err, "StockService.Adjustment")
	if err := s.visible(ctx, "stock_adjustments", int64(id), "stock adjustment"); err != nil {
		return nil, err
	}
	return loadAdjustment(ctx, s.db.q(), id)
}

// Stocktake implements tsunagu.StockService: visible, then loadStocktake.
func (s *StockService) Stocktake(ctx context.Context, id tsunagu.StocktakeID) (_ *tsunagu.Stocktake, err error) {
	defer wrap(&err, "StockService.Stocktake")
	if err := s.visible(ctx, "stocktakes", int64(id), "stocktake"); err != nil {
		return nil, err
	}
	return loadStocktake(ctx, s.db.q(), id)
}

// visible returns nil when the row id of table (with a location_id) exists and the
// user may see its location's stock, else NOT_FOUND naming what.
func (s *StockService) visible(ctx context.Context, table string, id int64, what string) error {
	a := args{id}
	var ok bool
	err := s.db.q().GetContext(ctx, &ok, `SELECT true FROM `+table+` WHERE id = $1 AND `+
		locationsVisibleTo(tsunagu.UserFrom(ctx), &a, "location_id"), a...)
	return notFound(err, "", what)
}
