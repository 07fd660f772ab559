package postgres

import (
	"context"
	"errors"

	"tsunagu/internal/tsunagu"
)

const adjustmentColumns = `id, location_id, product_id, quantity, reason, note, actor_id, created_at`

// AdjustStock implements tsunagu.StockService in one transaction (runOnce): the
// adjustment, its movement and the level change through applyMovements, its guarded
// statement refusing what would go below zero.
func (s *StockService) AdjustStock(ctx context.Context, in tsunagu.AdjustStockInput) (_ *tsunagu.StockAdjustment, err error) {
	defer wrap(&err, "StockService.AdjustStock")
	return runOnce(ctx, s.db, "adjustStock", &in, once[*tsunagu.StockAdjustment]{
		do: func(tx queryer, u *tsunagu.User, _ *idemKey) (*tsunagu.StockAdjustment, error) {
			return adjustStockTx(ctx, tx, u, &in)
		},
		id: func(a *tsunagu.StockAdjustment) int64 { return int64(a.ID) },
		replay: func(tx queryer, id int64) (*tsunagu.StockAdjustment, error) {
			return loadAdjustment(ctx, tx, tsunagu.AdjustmentID(id))
		},
	})
}

// adjustStockTx is the work of AdjustStock in tx.
func adjustStockTx(ctx context.Context, tx queryer, u *tsunagu.User, in *tsunagu.AdjustStockInput) (*tsunagu.StockAdjustment, error) {
	t, err := loadTarget(ctx, tx, u, in.LocationID, in.ProductID)
	if err != nil {
		return nil, err
	}
	if in.Reason == tsunagu.ReasonProduction {
		if t.ProductStatus == tsunagu.StatusArchived {
			return nil, tsunagu.Errorf(tsunagu.CodeInvalidState, "input.productId",
				"%s is archived: no new goods of it can come in.", t.ProductName)
		}
		if t.ProductMunicipalityID != t.MunicipalityID {
			return nil, tsunagu.Errorf(tsunagu.CodeInvalidInput, "input.reason",
				"New goods of %s come in at a location of the city that makes them; send them to %s with a transfer.", t.ProductName, t.Name)
		}
	}
	var a tsunagu.StockAdjustment
	err = tx.GetContext(ctx, &a, `
		INSERT INTO stock_adjustments (location_id, product_id, quantity, reason, note, actor_id)
		VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING `+adjustmentColumns, in.LocationID, in.ProductID, in.Quantity, in.Reason, in.Note, u.ID)
	if err != nil {
		return nil, err
	}
	k := tsunagu.StockKey{ProductID: in.ProductID, LocationID: in.LocationID}
	err = applyMovements(ctx, tx, document{Type: tsunagu.DocumentAdjustment, ID: int64(a.ID)}, []movement{{
		ProductID: k.ProductID, LocationID: k.LocationID, Owner: t.ProductFacilityID,
		Bucket: tsunagu.BucketOnHand, Quantity: in.Quantity, Reason: in.Reason}})
	var short *InsufficientStockError
	if errors.As(err, &short) {
		// The refusal was the guarded update's, not the database's: tx still answers.
		l, err := levelAt(ctx, tx, k)
		if err != nil {
			return nil, err
		}
		return nil, tsunagu.Errorf(tsunagu.CodeInsufficientStock, "input.quantity",
			"Only %d of %s are available at %s; %d cannot be taken away.", max(l.Available(), 0), t.ProductName, t.Name, -in.Quantity)
	}
	if err != nil {
		return nil, err
	}
	if a.Level, err = levelAt(ctx, tx, k); err != nil {
		return nil, err
	}
	return &a, nil
}

// loadAdjustment reads an adjustment with its level as it is now, for the replay of
// a mutation the user was allowed to make.
func loadAdjustment(ctx context.Context, tx queryer, id tsunagu.AdjustmentID) (*tsunagu.StockAdjustment, error) {
	var a tsunagu.StockAdjustment
	if err := tx.GetContext(ctx, &a, `SELECT `+adjustmentColumns+` FROM stock_adjustments WHERE id = $1`, id); err != nil {
		return nil, err
	}
	var err error
	a.Level, err = levelAt(ctx, tx, tsunagu.StockKey{ProductID: a.ProductID, LocationID: a.LocationID})
	return &a, err
}
