package postgres

import (
	"context"

	"tsunagu/internal/tsunagu"
)

// CatalogService implements tsunagu.CatalogService.
type CatalogService struct {
	db *DB
	// Refs, when set, keeps the facilities and municipalities in memory for pages
	// and loaders. It must be fed by Listen (as a Receiver).
	Refs *References
}

var _ tsunagu.CatalogService = (*CatalogService)(nil)

// NewCatalogService returns the catalog on db.
func NewCatalogService(db *DB) *CatalogService { return &CatalogService{db: db} }

// Municipalities implements tsunagu.CatalogService in one statement.
func (s *CatalogService) Municipalities(ctx context.Context, page tsunagu.PageArgs) (*tsunagu.Page[*tsunagu.Municipality], error) {
	if err := page.Validate(); err != nil {
		return nil, err
	}
	var rows []*municipalityRow
	err := s.db.q().SelectContext(ctx, &rows, `
		SELECT `+municipalityColumns+` FROM municipalities
		WHERE id > $1 ORDER BY id LIMIT $2`, page.After, page.First+1)
	if err != nil {
		return nil, err
	}
	return pageOf(municipalities(rows), page.First), nil
}

// MunicipalitiesByID implements tsunagu.CatalogService: from s.Refs when it
// keeps them, otherwise in one statement.
func (s *CatalogService) MunicipalitiesByID(ctx context.Context, ids []tsunagu.MunicipalityID) (map[tsunagu.MunicipalityID]*tsunagu.Municipality, error) {
	refs, err := s.Refs.current(ctx, s.db)
	if err != nil || refs == nil {
		return s.municipalitiesByID(ctx, ids)
	}
	return fromCopy(ctx, refs.municipalities, ids, s.municipalitiesByID)
}

func (s *CatalogService) municipalitiesByID(ctx context.Context, ids []tsunagu.MunicipalityID) (map[tsunagu.MunicipalityID]*tsunagu.Municipality, error) {
	var rows []*municipalityRow
	err := s.db.q().SelectContext(ctx, &rows, `
		SELECT `+municipalityColumns+` FROM municipalities WHERE id = ANY($1)`, int64s(ids))
	if err != nil {
		return nil, err
	}
	return byID(municipalities(rows), func(m *tsunagu.Municipality) tsunagu.MunicipalityID { return m.ID }), nil
}

const locationColumns = `id, municipality_id, kind, name, name_reading, facility_id, address, opening_hours, created_at, updated_at`

// Locations implements tsunagu.CatalogService in one statement.
func (s *CatalogService) Locations(ctx context.Context, f tsunagu.LocationFilter, page tsunagu.PageArgs) (*tsunagu.Page[*tsunagu.Location], error) {
	if err := page.Validate(); err != nil {
		return nil, err
	}
	var a args
	q := `SELECT ` + locationColumns + ` FROM locations l WHERE l.id > ` + a.add(page.After) + ` AND ` + locationCond(f, &a)
	if f.MunicipalityID != nil {
		q += ` AND l.municipality_id = ` + a.add(*f.MunicipalityID)
	}
	q += ` ORDER BY l.id LIMIT ` + a.add(page.First+1)
	var ls []*tsunagu.Location
	if err := s.db.q().SelectContext(ctx, &ls, q, a...); err != nil {
		return nil, err
	}
	return pageOf(ls, page.First), nil
}

// LocationsOf implements tsunagu.CatalogService in one statement (firstPages).
func (s *CatalogService) LocationsOf(ctx context.Context, munis []tsunagu.MunicipalityID, f tsunagu.LocationFilter, page tsunagu.PageArgs) (map[tsunagu.MunicipalityID]*tsunagu.Page[*tsunagu.Location], error) {
	if err := page.Validate(); err != nil {
		return nil, err
	}
	var a args
	q := firstPages(locationColumns, "locations", "l", "municipality_id", locationCond(f, &a), int64s(munis), page, &a)
	var ls []*tsunagu.Location
	if err := s.db.q().SelectContext(ctx, &ls, q, a...); err != nil {
		return nil, err
	}
	return groupPages(munis, ls, func(l *tsunagu.Location) tsunagu.MunicipalityID { return l.MunicipalityID }, page.First), nil
}

// locationCond is f as a condition on locations l, but for its municipality.
func locationCond(f tsunagu.LocationFilter, a *args) string {
	if f.Kind != nil {
		return `l.kind = ` + a.add(*f.Kind)
	}
	return `true`
}

// LocationsByID implements tsunagu.CatalogService in one statement.
func (s *CatalogService) LocationsByID(ctx context.Context, ids []tsunagu.LocationID) (map[tsunagu.LocationID]*tsunagu.Location, error) {
	var ls []*tsunagu.Location
	err := s.db.q().SelectContext(ctx, &ls, `
		SELECT `+locationColumns+` FROM locations WHERE id = ANY($1)`, int64s(ids))
	if err != nil {
		return nil, err
	}
	return byID(ls, func(l *tsunagu.Location) tsunagu.LocationID { return l.ID }), nil
}

// CreateLocation implements tsunagu.CatalogService: one INSERT that checks the
// facility belongs to the municipality, and the audit entry, in one transaction.
func (s *CatalogService) CreateLocation(ctx context.Context, l *tsunagu.Location) (err error) {
	defer wrap(&err, "CatalogService.CreateLocation")
	if err := tsunagu.CanManageMunicipality(tsunagu.UserFrom(ctx), l.MunicipalityID); err != nil {
		return err
	}
	if err := l.Validate(); err != nil {
		return err
	}
	return s.db.transact(ctx, func(tx queryer) error {
		err := tx.GetContext(ctx, l, `
			INSERT INTO locations (municipality_id, kind, name, facility_id, address, opening_hours, name_reading)
			SELECT $1, $2, $3, $4, $5, $6, $7
			WHERE $4::bigint IS NULL
			   OR EXISTS (SELECT FROM facilities WHERE id = $4 AND municipality_id = $1)
			RETURNING `+locationColumns,
			l.MunicipalityID, l.Kind, l.Name, l.FacilityID, l.Address, l.OpeningHours, l.NameReading)
		if err != nil {
			return notFound(err, "input.facilityId", "facility in this municipality")
		}
		return audit(ctx, tx, audited{Action: "createLocation", ObjectType: "Location", ObjectID: int64(l.ID),
			MunicipalityID: &l.MunicipalityID, After: l})
	})
}

// UpdateLocation implements tsunagu.CatalogService: the location is locked (FOR
// UPDATE), checked, changed and audited in one transaction.
func (s *CatalogService) UpdateLocation(ctx context.Context, in tsunagu.UpdateLocationInput) (_ *tsunagu.Location, err error) {
	defer wrap(&err, "CatalogService.UpdateLocation")
	out := &tsunagu.Location{}
	err = s.db.transact(ctx, func(tx queryer) error {
		var before tsunagu.Location
		err := tx.GetContext(ctx, &before, `SELECT `+locationColumns+` FROM locations WHERE id = $1 FOR UPDATE`, in.ID)
		if err != nil {
			return notFound(err, "", "location")
		}
		if err := tsunagu.CanManageMunicipality(tsunagu.UserFrom(ctx), before.MunicipalityID); err != nil {
			return err
		}
		l := before
		if err := l.Apply(in); err != nil {
			return err
		}
		err = tx.GetContext(ctx, out, `
			UPDATE locations SET name = $2, address = $3, opening_hours = $4, name_reading = $5, updated_at = now()
			WHERE id = $1 RETURNING `+locationColumns, l.ID, l.Name, l.Address, l.OpeningHours, l.NameReading)
		if err != nil {
			return err
		}
		return audit(ctx, tx, audited{Action: "updateLocation", ObjectType: "Location", ObjectID: int64(out.ID),
			MunicipalityID: &out.MunicipalityID, Before: &before, After: out})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// pageOf trims a list fetched with one extra row into a page.
func pageOf[T any](items []T, first int) *tsunagu.Page[T] {
	p := &tsunagu.Page[T]{Items: items}
	if len(items) > first {
		p.Items, p.HasNextPage = items[:first], true
	}
	if p.Items == nil {
		p.Items = []T{}
	}
	return p
}

func byID[K comparable, V any](items []V, key func(V) K) map[K]V {
	m := make(map[K]V, len(items))
	for _, it := range items {
		m[key(it)] = it
	}
	return m
}
