package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// movement is one change of one quantity of a level, written as one ledger row.
type movement struct {
	ProductID  tsunagu.ProductID
	LocationID tsunagu.LocationID
	Owner      tsunagu.FacilityID
	Bucket     tsunagu.Bucket
	Quantity   int
	Reason     tsunagu.MovementReason
}

// document is what a set of movements belongs to.
type document struct {
	Type tsunagu.DocumentType
	ID   int64
}

// applyMovements changes stock levels and writes their ledger rows in tx, or changes
// nothing and returns INSUFFICIENT_STOCK naming the first product whose level would
// break a rule: on hand, reserved and incoming never below zero, reserved never above
// on hand. The decision is the guarded UPDATE's, never a read in Go.
//
// Levels are locked in (product, location) order, the one order every operation
// uses, so that concurrent multi-line operations cannot deadlock. Missing levels are
// created (empty) for positive changes; a negative change to a level that does not
// exist is insufficient stock. At most two statements run, whatever the number of
// movements. A caller that wants the change folded into a statement of its own (a
// round trip less) uses planMovements, createLevels and ctes itself.
func applyMovements(ctx context.Context, tx queryer, doc document, ms []movement) error {
	c, err := planMovements(ms)
	if err != nil || c == nil {
		return err
	}
	if err := c.createLevels(ctx, tx); err != nil {
		return err
	}
	var a args
	var short []tsunagu.StockKey
	if err := tx.SelectContext(ctx, &short, `WITH `+c.ctes(ctx, doc, &a)+` SELECT product_id, location_id FROM short`, a...); err != nil {
		return err
	}
	if len(short) > 0 {
		return &InsufficientStockError{Key: short[0]}
	}
	return nil
}

// levelChanges is what a set of movements does to the stock: the net change of each
// level, in lock order, and the ledger rows, as the arrays the statement takes.
type levelChanges struct {
	products, locations, dOn, dRes, dInc []int64
	// newProducts and newLocations are the levels that only grow, which
	// createLevels makes when they are missing.
	newProducts, newLocations                   []int64
	mProducts, mLocations, mOwners, mQuantities []int64
	mBuckets, mReasons                          []string
}

// planMovements nets ms per level; nil for no movements.
func planMovements(ms []movement) (*levelChanges, error) {
	if len(ms) == 0 {
		return nil, nil
	}
	type delta struct{ onHand, reserved, incoming int }
	deltas := map[tsunagu.StockKey]*delta{}
	for _, m := range ms {
		k := tsunagu.StockKey{ProductID: m.ProductID, LocationID: m.LocationID}
		d := deltas[k]
		if d == nil {
			d = &delta{}
			deltas[k] = d
		}
		switch m.Bucket {
		case tsunagu.BucketOnHand:
			d.onHand += m.Quantity
		case tsunagu.BucketReserved:
			d.reserved += m.Quantity
		case tsunagu.BucketIncoming:
			d.incoming += m.Quantity
		default:
			return nil, fmt.Errorf("applyMovements: unknown bucket %q", m.Bucket)
		}
	}
	keys := make([]tsunagu.StockKey, 0, len(deltas))
	for k := range deltas {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b tsunagu.StockKey) int {
		return cmp.Or(cmp.Compare(a.ProductID, b.ProductID), cmp.Compare(a.LocationID, b.LocationID))
	})
	c := &levelChanges{}
	for _, k := range keys {
		d := deltas[k]
		c.products = append(c.products, int64(k.ProductID))
		c.locations = append(c.locations, int64(k.LocationID))
		c.dOn, c.dRes, c.dInc = append(c.dOn, int64(d.onHand)), append(c.dRes, int64(d.reserved)), append(c.dInc, int64(d.incoming))
		if d.onHand >= 0 && d.reserved >= 0 && d.incoming >= 0 {
			c.newProducts, c.newLocations = append(c.newProducts, int64(k.ProductID)), append(c.newLocations, int64(k.LocationID))
		}
	}
	n := len(ms)
	c.mProducts, c.mLocations, c.mOwners = make([]int64, n), make([]int64, n), make([]int64, n)
	c.mBuckets, c.mReasons, c.mQuantities = make([]string, n), make([]string, n), make([]int64, n)
	for i, m := range ms {
		c.mProducts[i], c.mLocations[i], c.mOwners[i] = int64(m.ProductID), int64(m.LocationID), int64(m.Owner)
		c.mBuckets[i], c.mReasons[i], c.mQuantities[i] = string(m.Bucket), string(m.Reason), int64(m.Quantity)
	}
	return c, nil
}

// createLevels makes the missing levels of positive changes, in a statement of its
// own: a level inserted by a CTE would be invisible to the update in the same
// statement. Nothing runs when every change takes something away (a sale).
func (c *levelChanges) createLevels(ctx context.Context, tx queryer) error {
	if len(c.newProducts) == 0 {
		return nil
	}
	// In key order too: inserting the same new keys in different orders could
	// deadlock on the primary key.
	_, err := tx.ExecContext(ctx, `
		INSERT INTO stock_levels (product_id, location_id)
		SELECT p, l FROM unnest($1::bigint[], $2::bigint[]) AS k(p, l) ORDER BY p, l
		ON CONFLICT DO NOTHING`, pq.Array(c.newProducts), pq.Array(c.newLocations))
	return err
}

// ctes is the change as CTEs of a statement, after createLevels, with its values
// added to a. They lock the levels in key order, update them guarded, and write the
// ledger only when every level changed; the statement must then roll back unless
// CTE short(product_id, location_id), the first level refused, is empty. updated
// holds the levels changed: a CTE of the statement that must run after the stock's
// locks (the receipt number of a sale) waits for it with
// "AND (SELECT count(*) FROM updated) >= 0" in its WHERE.
func (c *levelChanges) ctes(ctx context.Context, doc document, a *args) string {
	return `d AS (
			SELECT * FROM unnest(` + a.add(pq.Array(c.products)) + `::bigint[], ` + a.add(pq.Array(c.locations)) + `::bigint[], ` +
		a.add(pq.Array(c.dOn)) + `::int[], ` + a.add(pq.Array(c.dRes)) + `::int[], ` + a.add(pq.Array(c.dInc)) + `::int[])
				AS d(product_id, location_id, d_on, d_res, d_inc)
		), locked AS MATERIALIZED (
			SELECT l.product_id, l.location_id FROM stock_levels l
			JOIN d USING (product_id, location_id)
			ORDER BY l.product_id, l.location_id
			FOR UPDATE OF l
		), updated AS (
			UPDATE stock_levels l
			SET on_hand = l.on_hand + d.d_on, reserved = l.reserved + d.d_res,
				incoming = l.incoming + d.d_inc, updated_at = now()
			FROM d
			WHERE l.product_id = d.product_id AND l.location_id = d.location_id
			  AND (SELECT count(*) FROM locked) >= 0
			  AND l.on_hand + d.d_on >= 0 AND l.reserved + d.d_res >= 0
			  AND l.incoming + d.d_inc >= 0 AND l.reserved + d.d_res <= l.on_hand + d.d_on
			RETURNING l.product_id, l.location_id
		), ledger AS (
			INSERT INTO stock_movements (product_id, location_id, owner_facility_id, bucket, quantity,
				reason, document_type, document_id, actor_id)
			SELECT p, l, o, b, q, r, ` + a.add(doc.Type) + `, ` + a.add(doc.ID) + `, ` + a.add(actorID(ctx)) + `
			FROM unnest(` + a.add(pq.Array(c.mProducts)) + `::bigint[], ` + a.add(pq.Array(c.mLocations)) + `::bigint[], ` +
		a.add(pq.Array(c.mOwners)) + `::bigint[], ` + a.add(pq.Array(c.mBuckets)) + `::text[], ` +
		a.add(pq.Array(c.mQuantities)) + `::int[], ` + a.add(pq.Array(c.mReasons)) + `::text[]) AS m(p, l, o, b, q, r)
			-- Only when every level changed; otherwise the caller rolls back anyway.
			WHERE (SELECT count(*) FROM updated) = ` + a.add(len(c.products)) + `
		), short AS (
			SELECT d.product_id, d.location_id FROM d
			WHERE NOT EXISTS (SELECT FROM updated u WHERE u.product_id = d.product_id AND u.location_id = d.location_id)
			ORDER BY 1, 2 LIMIT 1
		)`
}

// InsufficientStockError is the INSUFFICIENT_STOCK of applyMovements; callers turn it
// into a domain error naming the input line.
type InsufficientStockError struct{ Key tsunagu.StockKey }

func (e *InsufficientStockError) Error() string {
	return fmt.Sprintf("insufficient stock of product %d at location %d", e.Key.ProductID, e.Key.LocationID)
}

func actorID(ctx context.Context) *int64 {
	if u := tsunagu.UserFrom(ctx); u != nil && u.ID != 0 {
		id := int64(u.ID)
		return &id
	}
	return nil
}
