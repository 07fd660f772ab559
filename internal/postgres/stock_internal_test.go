package postgres

import (
	"context"

	"tsunagu/internal/tsunagu"
)

// ReserveStockForTest reserves q of the stock on hand of product p (owned by
// facility owner) at loc through the ledger, as an unpaid online order does, so
// that the stocktake tests of package postgres_test can count below what is
// reserved without setting up a storefront, a shopper and a card payment. It
// returns INSUFFICIENT_STOCK as applyMovements does.
func ReserveStockForTest(ctx context.Context, db *DB, p tsunagu.ProductID, owner tsunagu.FacilityID, loc tsunagu.LocationID, q int) error {
	return db.transact(ctx, func(tx queryer) error {
		return applyMovements(ctx, tx, document{Type: tsunagu.DocumentOrder}, []movement{{ProductID: p, LocationID: loc,
			Owner: owner, Bucket: tsunagu.BucketReserved, Quantity: q, Reason: tsunagu.ReasonReserve}})
	})
}
