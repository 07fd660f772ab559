package postgres

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// ProductPage implements tsunagu.CatalogService in one statement: Products' page,
// with Products' visibility rule and order, as a subquery, and what with asks for
// joined to its rows (LATERAL, so that only the page's rows are joined: a plain join
// lets the planner merge a shop's whole stock in product order for deep pages). The
// references are read with the columns and rules of FacilitiesByID,
// MunicipalitiesByID and StockLevelsAt (levelColumns), which read them for anyone.
//
// Why: a catalog page used to be four statements (the page, then facilities,
// municipalities and stock primed by the API), scanned by sqlx's reflection; the
// priming's three were 28 % of a page's CPU and scanAll 40 % (README, Benchmark,
// issue 16). Rows are scanned by hand here (pageScan).
func (s *CatalogService) ProductPage(ctx context.Context, f tsunagu.ProductFilter, page tsunagu.PageArgs, with tsunagu.ProductsWith) (*tsunagu.ProductPage, error) {
	text, err := productSearchText(f, &page)
	if err != nil {
		return nil, err
	}
	var a args
	after, order, err := productOrder(f.Order, page, &a)
	if err != nil {
		return nil, err
	}
	locale := f.Locale
	if locale == "" {
		locale = tsunagu.LocaleJA
	}
	// With the facilities and municipalities kept in memory (s.Refs), the
	// statement reads the products and their stock only, and the page's references
	// are looked up afterwards.
	var refs *refSnapshot
	if with.Facilities || with.Municipalities {
		if refs, err = s.Refs.current(ctx, s.db); err != nil {
			return nil, err
		}
	}
	joined := with
	if refs != nil {
		joined.Facilities, joined.Municipalities = false, false
	}
	out, err := s.productPage(ctx, f, text, after, order, page, joined, locale, &a)
	if err != nil || refs == nil {
		return out, err
	}
	if with.Facilities {
		ids := column(out.Items, func(p *tsunagu.Product) tsunagu.FacilityID { return p.FacilityID })
		if out.Facilities, err = fromCopy(ctx, refs.facilities, ids, s.facilitiesByID); err != nil {
			return nil, err
		}
	}
	if with.Municipalities {
		ids := column(out.Items, func(p *tsunagu.Product) tsunagu.MunicipalityID { return p.MunicipalityID })
		if out.Municipalities, err = fromCopy(ctx, refs.municipalities, ids, s.municipalitiesByID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// productPage is ProductPage's statement, reading what with asks for with the
// products; after and order are productOrder's, their arguments in a.
func (s *CatalogService) productPage(ctx context.Context, f tsunagu.ProductFilter, text, after, order string,
	page tsunagu.PageArgs, with tsunagu.ProductsWith, locale tsunagu.Locale, a *args) (*tsunagu.ProductPage, error) {
	var r pageScan
	cols, dests := r.productColumns(with, locale, f.Order, a)
	q := `SELECT ` + cols + ` FROM products p WHERE ` + after + ` AND ` + productCond(ctx, f, text, a)
	if f.FacilityID != nil {
		q += ` AND p.facility_id = ` + a.add(*f.FacilityID)
	}
	// The limit is written into the statement (pageLimit, as the other lists'):
	// as a parameter, PostgreSQL's generic plan of the prepared statement planned for
	// any number of rows (30 ms a page), so it planned every page afresh instead
	// (0.3-0.6 ms, more than running it); with the number, it keeps the generic plan
	// (planning 0.01 ms, running 0.18-0.3 ms; EXPLAIN on the bench's 100,000
	// products), as the bench's minimal SQL does.
	q += ` ORDER BY ` + order + ` LIMIT ` + pageLimit(page.First, a)
	if with.Facilities || with.Municipalities || with.StockAt != nil {
		cols, joins, firsts := `p.*`, ``, ``
		if with.Facilities || with.Municipalities {
			// A facility or municipality is read on the first of its products in the
			// page's order only, NULL on the others: lib/pq decodes every value it is
			// sent (a string or a boxed number each), and a page repeats them. OFFSET 0
			// keeps each a lookup by key for the rows that need it: flattened into a
			// hash join, the planner read all 1,000 facilities for every page (EXPLAIN
			// on the bench's 100,000 products: 0.9-1.9 ms against 0.4 ms).
			firsts = `,
				row_number() OVER (PARTITION BY p.facility_id ORDER BY ` + order + `) = 1 AS first_of_facility,
				row_number() OVER (PARTITION BY p.municipality_id ORDER BY ` + order + `) = 1 AS first_of_municipality`
		}
		if with.Facilities {
			cols += `, f.*`
			joins += ` LEFT JOIN LATERAL (SELECT ` + facilityColumns + ` FROM facilities f
				WHERE f.id = p.facility_id AND p.first_of_facility OFFSET 0) f ON true`
		}
		if with.Municipalities {
			cols += `, m.*`
			joins += ` LEFT JOIN LATERAL (SELECT ` + municipalityColumns + ` FROM municipalities
				WHERE id = p.municipality_id AND p.first_of_municipality OFFSET 0) m ON true`
		}
		switch {
		case with.StockAt != nil && with.BriefStock:
			// The level's product and location are the row's and StockAt.
			cols += `, s.*`
			joins += ` LEFT JOIN LATERAL (SELECT stock_levels.on_hand, stock_levels.reserved FROM stock_levels
				WHERE stock_levels.product_id = p.id AND stock_levels.location_id = ` + a.add(*with.StockAt) + `) s ON true`
		case with.StockAt != nil:
			// levelColumns, with the location joined once for the page, not in the
			// LATERAL, where it was looked up again for every row.
			cols += `, s.*, loc.municipality_id, loc.facility_id`
			joins += ` LEFT JOIN LATERAL (SELECT ` + levelOwn + ` FROM stock_levels
				WHERE stock_levels.product_id = p.id AND stock_levels.location_id = ` + a.add(*with.StockAt) + `) s ON true
				LEFT JOIN locations loc ON loc.id = s.location_id`
		}
		q = `SELECT ` + cols + ` FROM (SELECT p.*` + firsts + ` FROM (` + q + `) p) p` + joins + ` ORDER BY ` + order
	}
	rows, err := s.db.q().QueryContext(ctx, q, *a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out, err := r.scan(rows, r.dests(dests, with), with, locale, page.First)
	if err != nil {
		return nil, mapDBError(dbError(err))
	}
	return out, nil
}

// productColumns are the columns of the page's products (productColumns, or only
// some with with.Brief), with the texts in every locale (with.AllLocales) or as
// the name and description in Japanese and in locale, and the destinations of
// their values in r, in the same order.
func (r *pageScan) productColumns(with tsunagu.ProductsWith, locale tsunagu.Locale, order tsunagu.ProductOrder, a *args) (string, []any) {
	var cols []string
	var dests []any
	add := func(col string, dest any) { cols, dests = append(cols, col), append(dests, dest) }
	add(`p.id`, &r.id)
	add(`p.facility_id`, &r.facilityID)
	add(`p.municipality_id`, &r.municipalityID)
	add(`p.price`, &r.price)
	add(`p.tax_class`, &r.taxClass)
	add(`p.allergens`, &r.allergens)
	if with.AllLocales {
		add(`p.translations`, &r.translations)
	} else {
		add(`p.translations->'JA'->>'name' AS ja_name`, &r.jaName)
		if !with.NoDescriptions {
			add(`p.translations->'JA'->>'description' AS ja_description`, &r.jaDesc)
		}
		if locale != tsunagu.LocaleJA {
			l := a.add(string(locale))
			add(`p.translations->`+l+`::text->>'name' AS l_name`, &r.lName)
			if !with.NoDescriptions {
				add(`p.translations->`+l+`::text->>'description' AS l_description`, &r.lDesc)
			}
		}
	}
	// The order's key, for the cursors and the ORDER BY around the page.
	if !with.Brief || order == tsunagu.ProductOrderName {
		add(`p.sort_name`, &r.sortName)
	}
	if !with.Brief || order == tsunagu.ProductOrderNewest {
		add(`p.created_at`, &r.created)
	}
	if !with.Brief {
		add(`p.name_reading`, &r.nameReading)
		add(`p.category`, &r.category)
		add(`p.code`, &r.code)
		add(`p.code_kind`, &r.codeKind)
		add(`p.status`, &r.status)
		add(`p.image_urls`, &r.imageURLs)
		add(`p.image_alts`, &r.imageAlts)
		add(`p.updated_at`, &r.updated)
	}
	return strings.Join(cols, ", "), dests
}

// pageScan is one row of ProductPage's statement, scanned into fields without
// reflection: int64, string and time destinations take database/sql's fast paths
// (lib/pq has made the string already; assigning it copies nothing), and the JSON
// and arrays stay the driver's bytes (RawBytes) until a product, or a facility or
// municipality not seen on an earlier row (a page repeats them), is built from
// them. Figures against sqlx's scanAll of the four statements: README, Benchmark,
// "One statement for a catalog page".
type pageScan struct {
	id, facilityID, municipalityID, price int64
	translations                          sql.RawBytes
	jaName, jaDesc, lName, lDesc          sql.NullString
	nameReading, code, codeKind           sql.NullString
	category, taxClass, status, sortName  string
	allergens, imageURLs, imageAlts       sql.RawBytes
	created, updated                      time.Time
	firstOfF, firstOfM                    bool

	// A facility's and a municipality's columns are NULL but on their first row.
	fID, fMuni                       sql.NullInt64
	fName, fKana, fKind, fCorp, fReg sql.NullString
	fContact, fStory, fImages        sql.RawBytes
	fCreated, fUpdated               sql.NullTime
	mID                              sql.NullInt64
	mCode, mName, mKana, mEn, mPref  sql.NullString
	mContact                         sql.RawBytes
	mHome                            sql.NullBool
	mCreated, mUpdated               sql.NullTime
	// A level's product and location are read with levelOwn's columns, but
	// taken from the row and the page's StockAt (BriefStock reads neither).
	sProduct, sLocation, sOnHand, sReserved sql.NullInt64
	sIncoming, sReorder, sVersion, sMuni    sql.NullInt64
	sLocFa                                  sql.NullInt64
	sUpdated                                sql.NullTime
}

// dests are the row's destinations in the statement's column order: the
// products' (productColumns), then those of what with joins.
func (r *pageScan) dests(products []any, with tsunagu.ProductsWith) []any {
	d := products
	if with.Facilities || with.Municipalities {
		d = append(d, &r.firstOfF, &r.firstOfM)
	}
	if with.Facilities { // facilityColumns
		d = append(d, &r.fID, &r.fMuni, &r.fName, &r.fKana, &r.fKind, &r.fCorp, &r.fReg, &r.fContact, &r.fStory,
			&r.fImages, &r.fCreated, &r.fUpdated)
	}
	if with.Municipalities { // municipalityColumns
		d = append(d, &r.mID, &r.mCode, &r.mName, &r.mKana, &r.mEn, &r.mPref, &r.mHome, &r.mContact, &r.mCreated, &r.mUpdated)
	}
	switch {
	case with.StockAt != nil && with.BriefStock:
		d = append(d, &r.sOnHand, &r.sReserved)
	case with.StockAt != nil: // levelOwn, then the location's municipality and facility
		d = append(d, &r.sProduct, &r.sLocation, &r.sOnHand, &r.sReserved, &r.sIncoming, &r.sReorder, &r.sUpdated,
			&r.sVersion, &r.sMuni, &r.sLocFa)
	}
	return d
}

// scan reads ProductPage's rows: at most first products (one more row
// says there is a next page) and their references, each facility and municipality
// built once.
//
// The page's products and stock levels are made a few arrays at a time (slab), and
// the page points into them: 4 allocations for a page of 50, not one a row, and a
// page of a few rows (a narrow search, the last page) is no larger than its rows
// (one array of first, up to 100 products, was 28 kB zeroed for any page).
func (r *pageScan) scan(rows *sql.Rows, dests []any, with tsunagu.ProductsWith, locale tsunagu.Locale, first int) (*tsunagu.ProductPage, error) {
	out := &tsunagu.ProductPage{Page: &tsunagu.Page[*tsunagu.Product]{Items: make([]*tsunagu.Product, 0, first)}}
	products := slab[tsunagu.Product]{max: first}
	levels := slab[tsunagu.StockLevel]{max: first} // at most one a product
	if with.Facilities {
		out.Facilities = map[tsunagu.FacilityID]*tsunagu.Facility{}
	}
	if with.Municipalities {
		out.Municipalities = map[tsunagu.MunicipalityID]*tsunagu.Municipality{}
	}
	if with.StockAt != nil {
		out.Stock = make(map[tsunagu.StockKey]*tsunagu.StockLevel, first)
	}
	for rows.Next() {
		if err := rows.Scan(dests...); err != nil {
			return nil, err
		}
		if len(out.Items) == first {
			out.HasNextPage = true
			break
		}
		p := products.next()
		if err := r.product(p, with, locale); err != nil {
			return nil, err
		}
		out.Items = append(out.Items, p)
		if with.Facilities && r.firstOfF {
			fa, err := r.facility()
			if err != nil {
				return nil, err
			}
			out.Facilities[fa.ID] = fa
		}
		if with.Municipalities && r.firstOfM {
			m, err := r.municipality()
			if err != nil {
				return nil, err
			}
			out.Municipalities[m.ID] = m
		}
		if with.StockAt != nil && r.sOnHand.Valid { // on_hand is NOT NULL: NULL is no level
			l := levels.next()
			*l = r.level(p.ID, *with.StockAt)
			out.Stock[tsunagu.StockKey{ProductID: l.ProductID, LocationID: l.LocationID}] = l
		}
	}
	return out, rows.Err()
}

// slab hands out pointers to new zero Ts, at most max of them, allocated in arrays
// that double (8, 8, 16, 32, …, each cut to what max leaves): a page of 50
// products is 4 arrays with no slot unused, a page of 3 one array of 3. An array is
// never appended to past its capacity (a full one is followed by a new one), so a
// pointer it gave stays valid; the Ts of one array live as long as any of them is
// held (a page's products and levels live and die together: a request's loaders
// hold the page, and the catalog cache keeps bytes).
type slab[T any] struct {
	buf       []T
	made, max int
}

func (s *slab[T]) next() *T {
	if len(s.buf) == cap(s.buf) {
		n := max(1, min(max(8, s.made), s.max-s.made))
		s.buf, s.made = make([]T, 0, n), s.made+n
	}
	s.buf = s.buf[:len(s.buf)+1]
	return &s.buf[len(s.buf)-1]
}

// product makes *p the row's product, as productRow.product makes it.
func (r *pageScan) product(p *tsunagu.Product, with tsunagu.ProductsWith, locale tsunagu.Locale) error {
	*p = tsunagu.Product{ID: tsunagu.ProductID(r.id), FacilityID: tsunagu.FacilityID(r.facilityID),
		MunicipalityID: tsunagu.MunicipalityID(r.municipalityID), Category: tsunagu.Category(r.category),
		Price: r.price, TaxClass: tsunagu.TaxClass(r.taxClass), Status: tsunagu.ProductStatus(r.status),
		CreatedAt: r.created, UpdatedAt: r.updated, SortName: r.sortName, Locale: locale}
	if with.AllLocales {
		// Directly: json.Unmarshal would check the syntax once more before calling it.
		if err := p.Translations.UnmarshalJSON(r.translations); err != nil {
			return err
		}
	} else {
		// Japanese, then the page's locale (read only when it is not Japanese,
		// and after it in Locales): in order, in one array of the exact length.
		n := 0
		if r.jaName.Valid {
			n++
		}
		if r.lName.Valid {
			n++
		}
		p.Translations = make(tsunagu.Translations, 0, n)
		if r.jaName.Valid {
			p.Translations = append(p.Translations, tsunagu.LocaleText{Locale: tsunagu.LocaleJA,
				Text: tsunagu.Text{Name: r.jaName.String, Description: r.jaDesc.String}})
		}
		if r.lName.Valid {
			p.Translations = append(p.Translations, tsunagu.LocaleText{Locale: locale,
				Text: tsunagu.Text{Name: r.lName.String, Description: r.lDesc.String}})
		}
	}
	p.NameReading = optString(r.nameReading)
	p.Code = optString(r.code)
	if r.codeKind.Valid {
		k := tsunagu.ProductCodeKind(r.codeKind.String)
		p.CodeKind = &k
	}
	allergens, err1 := stringArray(r.allergens)
	urls, err2 := stringArray(r.imageURLs)
	alts, err3 := stringArray(r.imageAlts)
	if err := errors.Join(err1, err2, err3); err != nil {
		return err
	}
	withLists(p, allergens, urls, alts)
	return nil
}

// facility is the row's facility, as facilityRow.facility makes it.
func (r *pageScan) facility() (*tsunagu.Facility, error) {
	row := facilityRow{Facility: tsunagu.Facility{ID: tsunagu.FacilityID(r.fID.Int64), MunicipalityID: tsunagu.MunicipalityID(r.fMuni.Int64),
		Name: r.fName.String, NameKana: r.fKana.String, Kind: tsunagu.FacilityKind(r.fKind.String), Corporation: r.fCorp.String,
		RegistrationNumber: optString(r.fReg), CreatedAt: r.fCreated.Time, UpdatedAt: r.fUpdated.Time}}
	if err := scanRaw(&row.Contact, r.fContact, &row.Story, r.fStory, &row.ImageURLs, r.fImages); err != nil {
		return nil, err
	}
	return row.facility(), nil
}

// municipality is the row's municipality, as municipalityRow.municipality makes it.
func (r *pageScan) municipality() (*tsunagu.Municipality, error) {
	row := municipalityRow{Municipality: tsunagu.Municipality{ID: tsunagu.MunicipalityID(r.mID.Int64), Code: r.mCode.String,
		Name: r.mName.String, NameKana: r.mKana.String, NameEn: r.mEn.String, Prefecture: r.mPref.String,
		IsHome: r.mHome.Bool, CreatedAt: r.mCreated.Time, UpdatedAt: r.mUpdated.Time}}
	if err := scanRaw(&row.Contact, r.mContact); err != nil {
		return nil, err
	}
	return row.municipality(), nil
}

// level is the row's stock level of product p at location loc, as levelColumns
// read it (with BriefStock, the columns not read are zero).
func (r *pageScan) level(p tsunagu.ProductID, loc tsunagu.LocationID) tsunagu.StockLevel {
	l := tsunagu.StockLevel{ProductID: p, LocationID: loc,
		MunicipalityID: tsunagu.MunicipalityID(r.sMuni.Int64), OnHand: int(r.sOnHand.Int64), Reserved: int(r.sReserved.Int64),
		Incoming: int(r.sIncoming.Int64), ReorderPoint: int(r.sReorder.Int64), UpdatedAt: r.sUpdated.Time, Version: r.sVersion.Int64}
	if r.sLocFa.Valid {
		f := tsunagu.FacilityID(r.sLocFa.Int64)
		l.LocationFacilityID = &f
	}
	return l
}

// optString is s's string, or nil for NULL. It copies the string out before taking
// its address: &s.String moved s to the heap on every call, NULL or not, two
// allocations per product of a brief listing, which reads neither column (issue 16).
func optString(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	v := s.String
	return &v
}

// stringArray parses a text[] column's bytes; nil for NULL and for an empty
// array, the common case, without parsing.
func stringArray(b sql.RawBytes) (pq.StringArray, error) {
	if len(b) == 0 || string(b) == "{}" {
		return nil, nil
	}
	var a pq.StringArray
	err := a.Scan([]byte(b))
	return a, err
}

// scanRaw scans pairs of (sql.Scanner, the driver's bytes of a column).
func scanRaw(pairs ...any) error {
	for i := 0; i < len(pairs); i += 2 {
		var src any // SQL NULL
		if b := pairs[i+1].(sql.RawBytes); b != nil {
			src = []byte(b)
		}
		if err := pairs[i].(sql.Scanner).Scan(src); err != nil {
			return err
		}
	}
	return nil
}
