package postgres

import (
	"context"

	"tsunagu/internal/tsunagu"
)

// PutStockForPOSTest puts q of product p, owned by facility owner, on hand at loc
// through the ledger (PRODUCTION), so that the tests of package postgres_test start
// from stock that the ledger accounts for.
func PutStockForPOSTest(ctx context.Context, db *DB, p tsunagu.ProductID, owner tsunagu.FacilityID, loc tsunagu.LocationID, q int) error {
	return db.transact(ctx, func(tx queryer) error {
		return applyMovements(ctx, tx, document{Type: tsunagu.DocumentAdjustment}, []movement{{ProductID: p, LocationID: loc,
			Owner: owner, Bucket: tsunagu.BucketOnHand, Quantity: q, Reason: tsunagu.ReasonProduction}})
	})
}
