package postgres

import (
	"context"

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

// levelOwn are stock_levels' own columns of a tsunagu.StockLevel (unaliased).
const levelOwn = `stock_levels.product_id, stock_levels.location_id, stock_levels.on_hand, stock_levels.reserved,
	stock_levels.incoming, stock_levels.reorder_point, stock_levels.updated_at, stock_levels.version`

// levelColumns read a row of levelFrom as a tsunagu.StockLevel, with its location's
// municipality and facility, which decide who sees its plans
// (StockLevel.PlansVisibleTo); levelReturning reads the same in a RETURNING, where
// no join can be.
//
// Why a join: as scalar subqueries (levelReturning's), PostgreSQL scanned the
// 200-row locations table twice for every level read (a seq scan of its 3 pages
// costs less than the index by its estimates): a catalog page of 50 products with
// their stock at a shop was 102 such scans, 3 ms of its 4-5 ms in PostgreSQL
// (EXPLAIN on the bench's 100,000 products; issue 16).
const (
	levelColumns   = levelOwn + `, loc.municipality_id, loc.facility_id AS location_facility_id`
	levelFrom      = `stock_levels JOIN locations loc ON loc.id = stock_levels.location_id`
	levelReturning = levelOwn + `,
	(SELECT loc.municipality_id FROM locations loc WHERE loc.id = stock_levels.location_id) AS municipality_id,
	(SELECT loc.facility_id FROM locations loc WHERE loc.id = stock_levels.location_id) AS location_facility_id`
)

const movementColumns = `m.id, m.product_id, m.location_id, m.owner_facility_id, m.bucket, m.quantity,
	m.reason, m.document_type, m.document_id, m.actor_id, m.created_at`

// StockLevels implements tsunagu.StockService: the location, then the page, in two
// statements.
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
	q := `SELECT ` + levelColumns + ` FROM ` + levelFrom + `
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

// StockLevelsAt implements tsunagu.StockService in one statement.
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
		SELECT `+levelColumns+` FROM `+levelFrom+`
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

// StockMovements implements tsunagu.StockService in one statement
// (movementsVisibleTo).
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
	q += ` ORDER BY m.id DESC LIMIT ` + pageLimit(page.First, &a)
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

// levelAt reads one level; a level that does not exist is an empty one.
func levelAt(ctx context.Context, tx queryer, k tsunagu.StockKey) (*tsunagu.StockLevel, error) {
	ls := []*tsunagu.StockLevel{}
	err := tx.SelectContext(ctx, &ls, `SELECT `+levelColumns+` FROM `+levelFrom+` WHERE product_id = $1 AND location_id = $2`,
		k.ProductID, k.LocationID)
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return &tsunagu.StockLevel{ProductID: k.ProductID, LocationID: k.LocationID}, nil
	}
	return ls[0], nil
}

// SetReorderPoint implements tsunagu.StockService: the target is checked
// (loadTarget) and the level upserted in one transaction.
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
			RETURNING `+levelReturning, in.ProductID, in.LocationID, in.ReorderPoint)
	})
	if err != nil {
		return nil, err
	}
	return &l, nil
}
