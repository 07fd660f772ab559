package postgres

import (
	"context"

	"tsunagu/internal/tsunagu"
)

// CatalogService implements tsunagu.CatalogService.
type CatalogService struct {
	db *DB
}

var _ tsunagu.CatalogService = (*CatalogService)(nil)

// NewCatalogService returns the catalog on db.
func NewCatalogService(db *DB) *CatalogService { return &CatalogService{db: db} }

const municipalityColumns = `id, code, name, name_kana, name_en, prefecture, is_home, created_at`

// Municipalities lists the municipalities in ID order. Anyone may read them.
func (s *CatalogService) Municipalities(ctx context.Context, page tsunagu.PageArgs) (*tsunagu.Page[*tsunagu.Municipality], error) {
	if err := page.Validate(); err != nil {
		return nil, err
	}
	var ms []*tsunagu.Municipality
	err := s.db.q().SelectContext(ctx, &ms, `
		SELECT `+municipalityColumns+` FROM municipalities
		WHERE id > $1 ORDER BY id LIMIT $2`, page.After, page.First+1)
	if err != nil {
		return nil, err
	}
	return pageOf(ms, page.First), nil
}

// MunicipalitiesByID returns the municipalities among ids.
func (s *CatalogService) MunicipalitiesByID(ctx context.Context, ids []tsunagu.MunicipalityID) (map[tsunagu.MunicipalityID]*tsunagu.Municipality, error) {
	var ms []*tsunagu.Municipality
	err := s.db.q().SelectContext(ctx, &ms, `
		SELECT `+municipalityColumns+` FROM municipalities WHERE id = ANY($1)`, int64s(ids))
	if err != nil {
		return nil, err
	}
	return byID(ms, func(m *tsunagu.Municipality) tsunagu.MunicipalityID { return m.ID }), nil
}

// Partners returns, for each of ms, the municipalities it has a partnership with,
// by code, in one statement.
func (s *CatalogService) Partners(ctx context.Context, ms []tsunagu.MunicipalityID) (map[tsunagu.MunicipalityID][]*tsunagu.Municipality, error) {
	var rows []*struct {
		Of tsunagu.MunicipalityID
		tsunagu.Municipality
	}
	err := s.db.q().SelectContext(ctx, &rows, `
		WITH p AS (
			SELECT municipality_a AS of, municipality_b AS partner FROM partnerships WHERE municipality_a = ANY($1)
			UNION ALL
			SELECT municipality_b, municipality_a FROM partnerships WHERE municipality_b = ANY($1)
		)
		SELECT p.of, `+municipalityColumns+` FROM p JOIN municipalities ON id = p.partner
		ORDER BY p.of, code`, int64s(ms))
	if err != nil {
		return nil, err
	}
	out := make(map[tsunagu.MunicipalityID][]*tsunagu.Municipality, len(ms))
	for _, r := range rows {
		out[r.Of] = append(out[r.Of], &r.Municipality)
	}
	return out, nil
}

// CreateMunicipality adds a municipality; only admins may. Returns
// INVALID_MUNICIPALITY_CODE for a bad code and DUPLICATE for a code in use.
func (s *CatalogService) CreateMunicipality(ctx context.Context, m *tsunagu.Municipality) (err error) {
	defer wrap(&err, "CatalogService.CreateMunicipality")
	if !tsunagu.UserFrom(ctx).IsAdmin() {
		return tsunagu.ErrForbidden
	}
	code, err := tsunagu.ParseMunicipalityCode(m.Code, "input.code")
	if err != nil {
		return err
	}
	m.Code = code
	err = s.db.q().GetContext(ctx, m, `
		INSERT INTO municipalities (code, name, name_kana, name_en, prefecture, is_home)
		VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING `+municipalityColumns,
		m.Code, m.Name, m.NameKana, m.NameEn, m.Prefecture, m.IsHome)
	return err
}

// AddPartnership links two municipalities; only admins may. Adding an existing
// partnership changes nothing.
func (s *CatalogService) AddPartnership(ctx context.Context, a, b tsunagu.MunicipalityID) (err error) {
	defer wrap(&err, "CatalogService.AddPartnership")
	if !tsunagu.UserFrom(ctx).IsAdmin() {
		return tsunagu.ErrForbidden
	}
	if a == b {
		return tsunagu.Errorf(tsunagu.CodeInvalidInput, "input", "A municipality cannot partner with itself.")
	}
	if a > b {
		a, b = b, a
	}
	_, err = s.db.q().ExecContext(ctx, `
		INSERT INTO partnerships (municipality_a, municipality_b) VALUES ($1, $2)
		ON CONFLICT DO NOTHING`, a, b)
	return err
}

const locationColumns = `id, municipality_id, kind, name, facility_id, address, created_at`

// Locations lists locations in ID order. Anyone may read them.
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

// LocationsOf lists a page of the locations of each of munis that match f (whose
// MunicipalityID is ignored), in one statement.
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

// LocationsByID returns the locations among ids.
func (s *CatalogService) LocationsByID(ctx context.Context, ids []tsunagu.LocationID) (map[tsunagu.LocationID]*tsunagu.Location, error) {
	var ls []*tsunagu.Location
	err := s.db.q().SelectContext(ctx, &ls, `
		SELECT `+locationColumns+` FROM locations WHERE id = ANY($1)`, int64s(ids))
	if err != nil {
		return nil, err
	}
	return byID(ls, func(l *tsunagu.Location) tsunagu.LocationID { return l.ID }), nil
}

// CreateLocation adds a location to a municipality the user manages.
func (s *CatalogService) CreateLocation(ctx context.Context, l *tsunagu.Location) (err error) {
	defer wrap(&err, "CatalogService.CreateLocation")
	if err := tsunagu.CanManageMunicipality(tsunagu.UserFrom(ctx), l.MunicipalityID); err != nil {
		return err
	}
	err = s.db.q().GetContext(ctx, l, `
		INSERT INTO locations (municipality_id, kind, name, facility_id, address)
		SELECT $1, $2, $3, $4, $5
		WHERE $4::bigint IS NULL
		   OR EXISTS (SELECT FROM facilities WHERE id = $4 AND municipality_id = $1)
		RETURNING `+locationColumns,
		l.MunicipalityID, l.Kind, l.Name, l.FacilityID, l.Address)
	return notFound(err, "input.facilityId", "facility in this municipality")
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
