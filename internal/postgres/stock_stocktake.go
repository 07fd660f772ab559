package postgres

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

const stocktakeColumns = `id, location_id, complete, note, actor_id, created_at`

// RecordStocktake implements tsunagu.StockService in one transaction (runOnce) that
// locks the levels it reads first, in (product, location) order, so that nothing
// moves between the reading and the posting through applyMovements.
func (s *StockService) RecordStocktake(ctx context.Context, in tsunagu.RecordStocktakeInput) (_ *tsunagu.Stocktake, err error) {
	defer wrap(&err, "StockService.RecordStocktake")
	return runOnce(ctx, s.db, "recordStocktake", &in, once[*tsunagu.Stocktake]{
		do: func(tx queryer, u *tsunagu.User, _ *idemKey) (*tsunagu.Stocktake, error) {
			return stocktakeTx(ctx, tx, u, &in)
		},
		id: func(st *tsunagu.Stocktake) int64 { return int64(st.ID) },
		replay: func(tx queryer, id int64) (*tsunagu.Stocktake, error) {
			return loadStocktake(ctx, tx, tsunagu.StocktakeID(id))
		},
	})
}

// stocktakeTx is the work of RecordStocktake in tx: six statements whatever the
// number of lines, and up to two more in applyMovements.
func stocktakeTx(ctx context.Context, tx queryer, u *tsunagu.User, in *tsunagu.RecordStocktakeInput) (*tsunagu.Stocktake, error) {
	var loc tsunagu.Location
	err := tx.GetContext(ctx, &loc, `SELECT `+locationColumns+` FROM locations WHERE id = $1`, in.LocationID)
	if err != nil {
		return nil, notFound(err, "input.locationId", "location")
	}
	if err := tsunagu.CanWorkAt(u, &loc); err != nil {
		return nil, err
	}
	ids, counts := make([]int64, len(in.Lines)), make([]int64, len(in.Lines))
	for i, l := range in.Lines {
		ids[i], counts[i] = int64(l.ProductID), int64(l.Counted)
	}
	// Levels of goods found where none is recorded are made first, in key order, so
	// that the lock below covers every level the stocktake posts to: a delivery
	// arriving meanwhile cannot slip in between count and posting.
	_, err = tx.ExecContext(ctx, `
		INSERT INTO stock_levels (product_id, location_id)
		SELECT p.id, $3 FROM unnest($1::bigint[], $2::int[]) AS i(product_id, counted)
		JOIN products p ON p.id = i.product_id
		WHERE i.counted > 0
		ORDER BY p.id
		ON CONFLICT DO NOTHING`, pq.Array(ids), pq.Array(counts), loc.ID)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		ProductID  tsunagu.ProductID
		Ord        *int // the line's position, from 1; nil for an unlisted level
		Counted    int
		OnHand     int
		Reserved   int
		FacilityID *tsunagu.FacilityID // nil for an unknown product
		Name       string
	}
	err = tx.SelectContext(ctx, &rows, `
		WITH i AS (
			SELECT * FROM unnest($1::bigint[], $2::int[]) WITH ORDINALITY AS i(product_id, counted, ord)
		), l AS MATERIALIZED (
			SELECT product_id, on_hand, reserved FROM stock_levels
			WHERE location_id = $3 AND (product_id = ANY($1) OR $4)
			ORDER BY product_id, location_id
			FOR UPDATE
		)
		SELECT coalesce(i.product_id, l.product_id) AS product_id, i.ord, coalesce(i.counted, 0) AS counted,
			coalesce(l.on_hand, 0) AS on_hand, coalesce(l.reserved, 0) AS reserved,
			p.facility_id, coalesce(p.translations->'JA'->>'name', '') AS name
		FROM i FULL JOIN l ON l.product_id = i.product_id
		LEFT JOIN products p ON p.id = coalesce(i.product_id, l.product_id)
		ORDER BY i.ord NULLS LAST, 1`, pq.Array(ids), pq.Array(counts), loc.ID, in.Complete)
	if err != nil {
		return nil, err
	}
	var errs tsunagu.ValidationErrors
	var lines []tsunagu.StocktakeResultLine
	var ms []movement
	for _, r := range rows {
		listed := r.Ord != nil
		switch {
		case r.FacilityID == nil:
			errs.Add(tsunagu.CodeNotFound, tsunagu.LineField(*r.Ord-1, ".productId"), "There is no such product.")
			continue
		case r.Counted < r.Reserved && listed:
			errs.Add(tsunagu.CodeOutOfRange, tsunagu.LineField(*r.Ord-1, ".counted"),
				"%d of %s are reserved for orders and should still be here; count again, or cancel those orders first.", r.Reserved, r.Name)
		case r.Counted < r.Reserved:
			errs.Add(tsunagu.CodeOutOfRange, "input.complete",
				"%d of %s are reserved for orders and should still be here; count them in a line.", r.Reserved, r.Name)
		case !listed && r.OnHand == 0:
			continue // an empty level nobody counted: nothing to report
		}
		lines = append(lines, tsunagu.StocktakeResultLine{ProductID: r.ProductID, Expected: r.OnHand, Counted: r.Counted})
		if d := r.Counted - r.OnHand; d != 0 {
			ms = append(ms, movement{ProductID: r.ProductID, LocationID: loc.ID, Owner: *r.FacilityID,
				Bucket: tsunagu.BucketOnHand, Quantity: d, Reason: tsunagu.ReasonStocktake})
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(lines, func(a, b tsunagu.StocktakeResultLine) int { return cmp.Compare(a.ProductID, b.ProductID) })
	n := len(lines)
	products, expected, counted := make([]int64, n), make([]int64, n), make([]int64, n)
	for i, l := range lines {
		products[i], expected[i], counted[i] = int64(l.ProductID), int64(l.Expected), int64(l.Counted)
	}
	st := tsunagu.Stocktake{Lines: lines}
	err = tx.GetContext(ctx, &st, `
		WITH s AS (
			INSERT INTO stocktakes (location_id, complete, note, actor_id) VALUES ($1, $2, $3, $4)
			RETURNING `+stocktakeColumns+`
		), l AS (
			INSERT INTO stocktake_lines (stocktake_id, product_id, expected, counted)
			SELECT s.id, d.p, d.e, d.c FROM s, unnest($5::bigint[], $6::int[], $7::int[]) AS d(p, e, c)
		)
		SELECT * FROM s`, loc.ID, in.Complete, in.Note, u.ID, pq.Array(products), pq.Array(expected), pq.Array(counted))
	if err != nil {
		return nil, err
	}
	if st.Lines == nil {
		st.Lines = []tsunagu.StocktakeResultLine{}
	}
	err = applyMovements(ctx, tx, document{Type: tsunagu.DocumentStocktake, ID: int64(st.ID)}, ms)
	var short *InsufficientStockError
	if errors.As(err, &short) {
		// Every level was locked and checked above; this is the database's last word.
		return nil, tsunagu.Errorf(tsunagu.CodeInsufficientStock, "input.lines",
			"The stock changed while it was counted; count again.")
	}
	return &st, err
}

// loadStocktake reads a stocktake with its lines in product order, for the replay of
// a mutation the user was allowed to make.
func loadStocktake(ctx context.Context, tx queryer, id tsunagu.StocktakeID) (*tsunagu.Stocktake, error) {
	var st tsunagu.Stocktake
	if err := tx.GetContext(ctx, &st, `SELECT `+stocktakeColumns+` FROM stocktakes WHERE id = $1`, id); err != nil {
		return nil, err
	}
	st.Lines = []tsunagu.StocktakeResultLine{}
	err := tx.SelectContext(ctx, &st.Lines, `
		SELECT product_id, expected, counted FROM stocktake_lines WHERE stocktake_id = $1 ORDER BY product_id`, id)
	return &st, err
}
