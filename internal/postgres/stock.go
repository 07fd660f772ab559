package postgres

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// StockService implements tsunagu.StockService: the stock levels, their ledger, and
// the corrections people make by hand (adjustments and stocktakes).
//
// Every mutation that moves stock is one transaction that takes its idempotency key
// first, then the levels it changes, in (product, location) order, through
// applyMovements (a stocktake locks the levels it reads in that order first). The
// number of statements does not depend on the number of lines.
type StockService struct {
	db *DB
}

var _ tsunagu.StockService = (*StockService)(nil)

// NewStockService returns the stock on db.
func NewStockService(db *DB) *StockService { return &StockService{db: db} }

// levelColumns read stock_levels (unaliased, in SELECT or RETURNING) as a
// tsunagu.StockLevel, with its location's municipality and facility, which decide
// who sees its plans (StockLevel.PlansVisibleTo).
const levelColumns = `product_id, location_id, on_hand, reserved, incoming, reorder_point, updated_at, version,
	(SELECT loc.municipality_id FROM locations loc WHERE loc.id = stock_levels.location_id) AS municipality_id,
	(SELECT loc.facility_id FROM locations loc WHERE loc.id = stock_levels.location_id) AS location_facility_id`

const movementColumns = `m.id, m.product_id, m.location_id, m.owner_facility_id, m.bucket, m.quantity,
	m.reason, m.document_type, m.document_id, m.actor_id, m.created_at`

const adjustmentColumns = `id, location_id, product_id, quantity, reason, note, actor_id, created_at`

const stocktakeColumns = `id, location_id, complete, note, actor_id, created_at`

// StockLevels lists the levels of a location in product order, keyed by product ID.
// Any staff member may read them, but facility staff only at the locations they
// work at (their facility's own, User.WorksAt); only those who see the location's
// plans (User.SeesPlansAt) may filter on the reorder point. Returns
// UNAUTHENTICATED, FORBIDDEN for customers and facility staff elsewhere, FORBIDDEN
// (filter.belowReorderPoint) for the filter, OUT_OF_RANGE (first) for a bad page
// size, or NOT_FOUND (field "") for an unknown location.
func (s *StockService) StockLevels(ctx context.Context, location tsunagu.LocationID, f tsunagu.StockLevelFilter, page tsunagu.PageArgs) (*tsunagu.Page[*tsunagu.StockLevel], error) {
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if err := page.Validate(); err != nil {
		return nil, err
	}
	var loc tsunagu.Location
	err = s.db.q().GetContext(ctx, &loc, `SELECT `+locationColumns+` FROM locations WHERE id = $1`, location)
	if err != nil {
		return nil, notFound(err, "", "location")
	}
	if u.Role == tsunagu.RoleFacility && !u.WorksAt(&loc) {
		return nil, tsunagu.ErrForbidden
	}
	if f.BelowReorderPoint && !u.SeesPlansAt(loc.MunicipalityID, loc.FacilityID) {
		return nil, tsunagu.Errorf(tsunagu.CodeForbidden, "filter.belowReorderPoint",
			"Only the staff of the location's municipality see its reorder points.")
	}
	var a args
	q := `SELECT ` + levelColumns + ` FROM stock_levels
		WHERE location_id = ` + a.add(location) + ` AND product_id > ` + a.add(page.After)
	if f.ProductID != nil {
		q += ` AND product_id = ` + a.add(*f.ProductID)
	}
	if f.BelowReorderPoint {
		// The same rule as tsunagu.StockLevel.BelowReorderPoint.
		q += ` AND reorder_point > 0 AND on_hand - reserved < reorder_point`
	}
	q += ` ORDER BY product_id LIMIT ` + a.add(page.First+1)
	var ls []*tsunagu.StockLevel
	if err := s.db.q().SelectContext(ctx, &ls, q, a...); err != nil {
		return nil, err
	}
	return pageOf(ls, page.First), nil
}

// StockLevelsAt returns the levels that exist among keys, in one statement. Levels
// are not secret (the public catalog shows stock at a shop), so there is no check of
// the user; a key without a level is absent from the map.
func (s *StockService) StockLevelsAt(ctx context.Context, keys []tsunagu.StockKey) (map[tsunagu.StockKey]*tsunagu.StockLevel, error) {
	out := make(map[tsunagu.StockKey]*tsunagu.StockLevel, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	products, locations := make([]int64, len(keys)), make([]int64, len(keys))
	for i, k := range keys {
		products[i], locations[i] = int64(k.ProductID), int64(k.LocationID)
	}
	var ls []*tsunagu.StockLevel
	err := s.db.q().SelectContext(ctx, &ls, `
		SELECT `+levelColumns+` FROM stock_levels
		WHERE (product_id, location_id) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))`,
		pq.Array(products), pq.Array(locations))
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		out[tsunagu.StockKey{ProductID: l.ProductID, LocationID: l.LocationID}] = l
	}
	return out, nil
}

// StockMovements lists the ledger newest first, keyed by movement ID (a page after
// key k holds movements older than k). The filter must name a location or a
// product. A user sees the movements at locations of their municipality (admins see
// all), and managers also those of goods their municipality's facilities own, wherever
// they sit (consignment); others are left out, not refused.
//
// Returns UNAUTHENTICATED, FORBIDDEN for customers, OUT_OF_RANGE (first) or REQUIRED
// (filter) when it names neither a location nor a product.
func (s *StockService) StockMovements(ctx context.Context, f tsunagu.StockMovementFilter, page tsunagu.PageArgs) (*tsunagu.Page[*tsunagu.StockMovement], error) {
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if err := page.Validate(); err != nil {
		return nil, err
	}
	if f.LocationID == nil && f.ProductID == nil {
		return nil, tsunagu.Errorf(tsunagu.CodeRequired, "filter", "Choose a location or a product to see its stock movements.")
	}
	var a args
	q := `SELECT ` + movementColumns + ` FROM stock_movements m WHERE ` + movementsVisibleTo(u, &a)
	if page.After > 0 {
		q += ` AND m.id < ` + a.add(page.After)
	}
	if f.LocationID != nil {
		q += ` AND m.location_id = ` + a.add(*f.LocationID)
	}
	if f.ProductID != nil {
		q += ` AND m.product_id = ` + a.add(*f.ProductID)
	}
	if f.DocumentType != nil {
		q += ` AND m.document_type = ` + a.add(*f.DocumentType)
	}
	if f.DocumentID != nil {
		q += ` AND m.document_id = ` + a.add(*f.DocumentID)
	}
	if f.Since != nil {
		q += ` AND m.created_at >= ` + a.add(*f.Since)
	}
	if f.Until != nil {
		q += ` AND m.created_at < ` + a.add(*f.Until)
	}
	q += ` ORDER BY m.id DESC LIMIT ` + a.add(page.First+1)
	var ms []*tsunagu.StockMovement
	if err := s.db.q().SelectContext(ctx, &ms, q, a...); err != nil {
		return nil, err
	}
	return pageOf(ms, page.First), nil
}

// movementsVisibleTo is the SQL condition on stock_movements m that staff user u may
// see: everything for an admin; movements at locations of their municipality (the
// rule of User.SeesMunicipality); for a manager also movements of goods owned by
// their municipality's facilities.
func movementsVisibleTo(u *tsunagu.User, a *args) string {
	cond := locationsVisibleTo(u, a, "m.location_id")
	if u != nil && u.Role == tsunagu.RoleManager && u.MunicipalityID != nil {
		cond = `(` + cond + ` OR m.owner_facility_id IN (SELECT id FROM facilities WHERE municipality_id = ` + a.add(*u.MunicipalityID) + `))`
	}
	return cond
}

// locationsVisibleTo is the SQL condition that the location in column col is one
// whose stock records user u may see (the rule of User.SeesStockAt): any for an
// admin, their facility's own locations for facility staff, those of their
// municipality for other staff, none for anyone else.
func locationsVisibleTo(u *tsunagu.User, a *args, col string) string {
	switch {
	case u.IsAdmin():
		return `true`
	case u != nil && u.Role == tsunagu.RoleFacility:
		return col + ` IN (SELECT id FROM locations WHERE kind = 'FACILITY' AND ` + ofFacility(u, a, "facility_id") + `)`
	case u == nil || u.MunicipalityID == nil || u.Role == tsunagu.RoleCustomer:
		return `false`
	}
	return col + ` IN (SELECT id FROM locations WHERE municipality_id = ` + a.add(*u.MunicipalityID) + `)`
}

// stockTarget is a location and, when it exists, a product whose stock there is to
// change. ProductID is nil for an unknown product.
type stockTarget struct {
	tsunagu.Location
	ProductID             *tsunagu.ProductID
	ProductFacilityID     tsunagu.FacilityID
	ProductMunicipalityID tsunagu.MunicipalityID
	ProductStatus         tsunagu.ProductStatus
	ProductName           string
}

// loadTarget reads location and product in one statement and checks that u works
// at the location. Returns NOT_FOUND (input.locationId), UNAUTHENTICATED, FORBIDDEN
// or NOT_FOUND (input.productId), in that order.
func loadTarget(ctx context.Context, tx queryer, u *tsunagu.User, location tsunagu.LocationID, product tsunagu.ProductID) (*stockTarget, error) {
	var t stockTarget
	err := tx.GetContext(ctx, &t, `
		SELECT l.id, l.municipality_id, l.kind, l.name, l.facility_id, l.address, l.created_at,
			p.id AS product_id, coalesce(p.facility_id, 0) AS product_facility_id,
			coalesce(p.municipality_id, 0) AS product_municipality_id, coalesce(p.status, '') AS product_status,
			coalesce(p.translations->'JA'->>'name', '') AS product_name
		FROM locations l LEFT JOIN products p ON p.id = $2
		WHERE l.id = $1`, location, product)
	if err != nil {
		return nil, notFound(err, "input.locationId", "location")
	}
	if err := tsunagu.CanWorkAt(u, &t.Location); err != nil {
		return nil, err
	}
	// Facility staff see no other facility's goods (visibleTo).
	if t.ProductID == nil || (u.Role == tsunagu.RoleFacility && !u.OfFacility(t.ProductFacilityID)) {
		return nil, tsunagu.Errorf(tsunagu.CodeNotFound, "input.productId", "There is no such product.")
	}
	return &t, nil
}

// AdjustStock corrects the stock on hand of one product at one location, by an
// admin, a manager of the location's municipality or a clerk of that shop. The
// adjustment, its movement (owned by the product's facility) and the level change
// in one transaction; the result carries the level after it.
//
// New goods (PRODUCTION) come in only at a location of the product's own
// municipality, and never for an archived product: goods reach other cities by
// transfer. Other reasons apply to any product, archived ones included, so that
// stock of a product no longer sold can still be written off or found.
//
// Returns UNAUTHENTICATED, FORBIDDEN, validation errors, NOT_FOUND (input.locationId,
// input.productId), INVALID_STATE (input.productId) or INVALID_INPUT (input.reason)
// for PRODUCTION as above, INSUFFICIENT_STOCK (input.quantity) when it would take
// more than is available (on hand less reserved), or IDEMPOTENCY_CONFLICT; and then
// changes nothing. A repeated key with the same input returns the first adjustment,
// with the level as it is now, and moves nothing.
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

// levelAt reads one level; a level that does not exist is an empty one.
func levelAt(ctx context.Context, tx queryer, k tsunagu.StockKey) (*tsunagu.StockLevel, error) {
	ls := []*tsunagu.StockLevel{}
	err := tx.SelectContext(ctx, &ls, `SELECT `+levelColumns+` FROM stock_levels WHERE product_id = $1 AND location_id = $2`,
		k.ProductID, k.LocationID)
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return &tsunagu.StockLevel{ProductID: k.ProductID, LocationID: k.LocationID}, nil
	}
	return ls[0], nil
}

// RecordStocktake records a count of a location's stock, by an admin, a manager of
// the location's municipality or a clerk of that shop, and posts each difference
// between count and stock on hand as a STOCKTAKE movement, all in one transaction.
// The levels it reads are locked first, so that nothing moves between the reading
// and the posting. A product counted where it has no level yet is expected at 0.
// With Complete, every product with stock on hand at the location that is not listed
// is counted as 0.
//
// The result lists every line in product order, the unchanged ones included (and for
// Complete, the unlisted products it zeroed).
//
// Returns UNAUTHENTICATED, FORBIDDEN, validation errors, NOT_FOUND (input.locationId,
// input.lines.N.productId), OUT_OF_RANGE (input.lines.N.counted, or input.complete
// for an unlisted product) when fewer are counted than are reserved for orders, or
// IDEMPOTENCY_CONFLICT; and then changes nothing. A repeated key with the same input
// returns the first stocktake and moves nothing.
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

func stocktakeField(i int, sub string) string { return "input.lines." + strconv.Itoa(i) + sub }

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
			errs.Add(tsunagu.CodeNotFound, stocktakeField(*r.Ord-1, ".productId"), "There is no such product.")
			continue
		case r.Counted < r.Reserved && listed:
			errs.Add(tsunagu.CodeOutOfRange, stocktakeField(*r.Ord-1, ".counted"),
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

// SetReorderPoint sets the reorder point of a product at a location (0 removes it),
// creating an empty level where there is none, by an admin, a manager of the
// location's municipality or a clerk of that shop. It moves no stock, so it writes
// no movement and takes no idempotency key: setting it twice is setting it once.
//
// Returns UNAUTHENTICATED, FORBIDDEN, OUT_OF_RANGE (input.reorderPoint) or NOT_FOUND
// (input.locationId, input.productId); and then changes nothing.
func (s *StockService) SetReorderPoint(ctx context.Context, in tsunagu.SetReorderPointInput) (_ *tsunagu.StockLevel, err error) {
	defer wrap(&err, "StockService.SetReorderPoint")
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if in.ReorderPoint < 0 || in.ReorderPoint > tsunagu.MaxLineQuantity {
		return nil, tsunagu.Errorf(tsunagu.CodeOutOfRange, "input.reorderPoint", "Enter a reorder point from 0 to %d.", tsunagu.MaxLineQuantity)
	}
	var l tsunagu.StockLevel
	err = s.db.transact(ctx, func(tx queryer) error {
		if _, err := loadTarget(ctx, tx, u, in.LocationID, in.ProductID); err != nil {
			return err
		}
		return tx.GetContext(ctx, &l, `
			INSERT INTO stock_levels (product_id, location_id, reorder_point) VALUES ($1, $2, $3)
			ON CONFLICT (product_id, location_id) DO UPDATE SET reorder_point = excluded.reorder_point, updated_at = now()
			RETURNING `+levelColumns, in.ProductID, in.LocationID, in.ReorderPoint)
	})
	if err != nil {
		return nil, err
	}
	return &l, nil
}
