package postgres

import (
	"context"
	"strings"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

const productColumns = `p.id, p.facility_id, p.municipality_id, p.translations, p.name_reading, p.category,
	p.code, p.code_kind, p.price, p.tax_class, p.allergens, p.status, p.image_urls,
	p.image_alts, p.created_at, p.updated_at, p.sort_name`

// productRow scans a product: translations are JSON, allergens and pictures arrays.
type productRow struct {
	tsunagu.Product
	Translations jsonValue[tsunagu.Translations]
	Allergens    pq.StringArray
	ImageURLs    pq.StringArray
	ImageAlts    pq.StringArray
}

func (r *productRow) product(l tsunagu.Locale) *tsunagu.Product {
	p := r.Product
	p.Translations = r.Translations.V
	p.Locale = l
	return withLists(&p, r.Allergens, r.ImageURLs, r.ImageAlts)
}

// withLists sets p's allergens and pictures from their columns and returns p.
func withLists(p *tsunagu.Product, allergens, urls, alts pq.StringArray) *tsunagu.Product {
	p.Allergens = make([]tsunagu.Allergen, len(allergens))
	for i, a := range allergens {
		p.Allergens[i] = tsunagu.Allergen(a)
	}
	p.ImageURLs = []string(urls)
	if p.ImageURLs == nil {
		p.ImageURLs = []string{}
	}
	// One text per picture, as the domain keeps them.
	p.ImageAlts = make([]string, len(p.ImageURLs))
	copy(p.ImageAlts, alts)
	return p
}

func products(rows []*productRow, l tsunagu.Locale) []*tsunagu.Product {
	ps := make([]*tsunagu.Product, len(rows))
	for i, r := range rows {
		ps[i] = r.product(l)
	}
	return ps
}

// visibleTo adds the catalog's visibility rule for u to a query: ACTIVE products for
// everyone, every product of their municipality for a manager, all for an admin; a
// clerk sees the ACTIVE products their shop carries (carriedAt), as the counter
// sells them; facility staff only their own facility's, in every status
// (User.OfFacility), and no other product of the network.
func visibleTo(u *tsunagu.User, a *args) string {
	switch {
	case u.IsAdmin():
		return `true`
	case u != nil && u.Role == tsunagu.RoleFacility:
		return ofFacility(u, a, "p.facility_id")
	case u != nil && u.Role == tsunagu.RoleManager && u.MunicipalityID != nil:
		return `(p.status = 'ACTIVE' OR p.municipality_id = ` + a.add(*u.MunicipalityID) + `)`
	case u != nil && u.Role == tsunagu.RoleClerk && u.MunicipalityID != nil:
		return `(p.status = 'ACTIVE' AND ` + carriedAt(a.add(*u.MunicipalityID), "p.municipality_id") + `)`
	}
	return `p.status = 'ACTIVE'`
}

// Products implements tsunagu.CatalogService: ProductPage without references,
// with the visibility rule of visibleTo; each order has its index (productOrder).
func (s *CatalogService) Products(ctx context.Context, f tsunagu.ProductFilter, page tsunagu.PageArgs) (*tsunagu.Page[*tsunagu.Product], error) {
	p, err := s.ProductPage(ctx, f, page, tsunagu.ProductsWith{AllLocales: true})
	if err != nil {
		return nil, err
	}
	return p.Page, nil
}

// ProductsOf implements tsunagu.CatalogService in one statement (firstPages).
func (s *CatalogService) ProductsOf(ctx context.Context, facilities []tsunagu.FacilityID, f tsunagu.ProductFilter, page tsunagu.PageArgs) (map[tsunagu.FacilityID]*tsunagu.Page[*tsunagu.Product], error) {
	text, err := productSearchText(f, &page)
	if err != nil {
		return nil, err
	}
	var a args
	q := firstPages(productColumns, "products", "p", "facility_id", productCond(ctx, f, text, &a), int64s(facilities), page, &a)
	var rows []*productRow
	if err := s.db.q().SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, err
	}
	return groupPages(facilities, products(rows, f.Locale), func(p *tsunagu.Product) tsunagu.FacilityID { return p.FacilityID }, page.First), nil
}

// productOrder gives the condition that starts a page of products in order o after
// page's position (the last item's ID and key) and the ORDER BY of o; each order
// has its index (migration 00038).
func productOrder(o tsunagu.ProductOrder, page tsunagu.PageArgs, a *args) (after, order string, err error) {
	var col string
	desc := false
	switch o {
	case tsunagu.ProductOrderName:
		col = "p.sort_name"
	case tsunagu.ProductOrderPriceAsc:
		col = "p.price"
	case tsunagu.ProductOrderPriceDesc:
		col, desc = "p.price", true
	case tsunagu.ProductOrderNewest:
		col, desc = "p.created_at", true
	case "", tsunagu.ProductOrderID:
		if page.After == 0 {
			// A first page has no lower bound. As `p.id > $n` (with 0) the prepared
			// statement's generic plan costed it at a third of the table and, for a
			// text search, ANDed a bitmap of that range of products_pkey with
			// products_search's: every search read the whole primary key. Without it,
			// EXPLAIN ANALYZE on 10,000 products loaded through the API (a busy
			// machine): one product's name 0.09-0.14 ms instead of 0.32-0.37, a
			// one-letter word 6.7 instead of 12, "wooden" (500 products) 0.9-1.1
			// instead of 1.2-1.25 (README, issue 16).
			return `true`, `p.id`, nil
		}
		return `p.id > ` + a.add(page.After), `p.id`, nil
	default:
		return "", "", tsunagu.Errorf(tsunagu.CodeInvalidInput, "orderBy", "Unknown order %q.", o)
	}
	order, cmp := col+`, p.id`, `>`
	if desc {
		order, cmp = col+` DESC, p.id DESC`, `<`
	}
	if page.After == 0 && page.AfterKey == "" {
		return `true`, order, nil
	}
	key, err := o.ParseKey(page.AfterKey)
	if err != nil {
		return "", "", err
	}
	return `(` + col + `, p.id) ` + cmp + ` (` + a.add(key) + `, ` + a.add(page.After) + `)`, order, nil
}

// productSearchText validates page (filling in its default size) and f's text, and
// returns the text as it is searched for.
func productSearchText(f tsunagu.ProductFilter, page *tsunagu.PageArgs) (string, error) {
	if err := page.Validate(); err != nil {
		return "", err
	}
	text := tsunagu.NormalizeSearchText(f.Text)
	if len([]rune(text)) > tsunagu.MaxSearchTextLength {
		return "", tsunagu.Errorf(tsunagu.CodeTooLong, "filter.text", "Search for at most %d characters.", tsunagu.MaxSearchTextLength)
	}
	return text, nil
}

// productCond is f, but for its facility, as a condition on products p, with the
// catalog's visibility rule for the user; text is f's normalised search text.
func productCond(ctx context.Context, f tsunagu.ProductFilter, text string, a *args) string {
	q := visibleTo(tsunagu.UserFrom(ctx), a)
	if f.MunicipalityID != nil {
		q += ` AND p.municipality_id = ` + a.add(*f.MunicipalityID)
	}
	if f.Category != nil {
		q += ` AND p.category = ` + a.add(*f.Category)
	}
	if f.Status != nil {
		q += ` AND p.status = ` + a.add(*f.Status)
	}
	if len(f.FreeOf) > 0 {
		q += ` AND NOT p.allergens && ` + a.add(pq.Array(f.FreeOf)) + `::text[]`
	}
	if text != "" {
		q += ` AND p.search_text LIKE ` + a.add("%"+escapeLike(text)+"%")
	}
	if f.InStockAt != nil {
		// A shop's stock is public (the storefront asks "in stock at this shop");
		// other locations' only to those who may see their stock.
		q += ` AND EXISTS (SELECT 1 FROM stock_levels s JOIN locations sl ON sl.id = s.location_id
			WHERE s.product_id = p.id AND s.location_id = ` + a.add(*f.InStockAt) + ` AND s.on_hand > s.reserved
			AND (sl.kind = 'SHOP' OR ` + locationsVisibleTo(tsunagu.UserFrom(ctx), a, "sl.id") + `))`
	}
	return q
}

// escapeLike quotes LIKE's wildcards so that a search for "50%" means the text.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ProductsByID implements tsunagu.CatalogService in one statement: visibleTo,
// widened to every status but DRAFT for all but facility staff.
func (s *CatalogService) ProductsByID(ctx context.Context, ids []tsunagu.ProductID) (map[tsunagu.ProductID]*tsunagu.Product, error) {
	var a args
	u := tsunagu.UserFrom(ctx)
	cond := visibleTo(u, &a)
	if u == nil || u.Role != tsunagu.RoleFacility {
		cond = `(p.status <> 'DRAFT' OR ` + cond + `)`
	}
	q := `SELECT ` + productColumns + ` FROM products p WHERE p.id = ANY(` + a.add(int64s(ids)) + `) AND ` + cond
	var rows []*productRow
	if err := s.db.q().SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, err
	}
	return byID(products(rows, tsunagu.LocaleJA), func(p *tsunagu.Product) tsunagu.ProductID { return p.ID }), nil
}

// ProductByCode implements tsunagu.CatalogService in one statement, with the
// visibility rule of visibleTo.
func (s *CatalogService) ProductByCode(ctx context.Context, code string) (*tsunagu.Product, error) {
	pc, err := tsunagu.ParseProductCode(code, "code")
	if err != nil {
		return nil, err
	}
	var a args
	q := `SELECT ` + productColumns + ` FROM products p WHERE p.code = ` + a.add(pc.Code) +
		` AND ` + visibleTo(tsunagu.UserFrom(ctx), &a)
	var row productRow
	if err := s.db.q().GetContext(ctx, &row, q, a...); err != nil {
		return nil, notFound(err, "", "product with code "+pc.Code)
	}
	return row.product(tsunagu.LocaleJA), nil
}

// CreateProduct implements tsunagu.CatalogService: the facility's municipality is
// read, the product inserted and audited in one transaction; the unique index
// products_code decides between two products given one code at once.
func (s *CatalogService) CreateProduct(ctx context.Context, in tsunagu.CreateProductInput) (_ *tsunagu.Product, err error) {
	defer wrap(&err, "CatalogService.CreateProduct")
	var out *tsunagu.Product
	err = s.db.transact(ctx, func(tx queryer) error {
		var muni tsunagu.MunicipalityID
		err := tx.GetContext(ctx, &muni, `SELECT municipality_id FROM facilities WHERE id = $1`, in.FacilityID)
		if err != nil {
			return notFound(err, "input.facilityId", "facility")
		}
		if err := tsunagu.CanEditGoodsOf(tsunagu.UserFrom(ctx), in.FacilityID, muni); err != nil {
			return err
		}
		p, err := tsunagu.NewProduct(in)
		if err != nil {
			return err
		}
		p.MunicipalityID = muni
		if out, err = insertProduct(ctx, tx, p); err != nil {
			return err
		}
		return audit(ctx, tx, audited{Action: "createProduct", ObjectType: "Product", ObjectID: int64(out.ID),
			MunicipalityID: &out.MunicipalityID, After: out})
	})
	return out, err
}

// UpdateProduct implements tsunagu.CatalogService through changeProduct.
func (s *CatalogService) UpdateProduct(ctx context.Context, in tsunagu.UpdateProductInput) (_ *tsunagu.Product, err error) {
	defer wrap(&err, "CatalogService.UpdateProduct")
	return s.changeProduct(ctx, "updateProduct", in.ID, func(p *tsunagu.Product) error { return p.Apply(in) })
}

// ArchiveProduct implements tsunagu.CatalogService through changeProduct.
func (s *CatalogService) ArchiveProduct(ctx context.Context, id tsunagu.ProductID) (_ *tsunagu.Product, err error) {
	defer wrap(&err, "CatalogService.ArchiveProduct")
	return s.changeProduct(ctx, "archiveProduct", id, func(p *tsunagu.Product) error {
		if p.Status == tsunagu.StatusArchived {
			return tsunagu.Errorf(tsunagu.CodeInvalidState, "input.id", "This product is archived already.")
		}
		p.Status = tsunagu.StatusArchived
		return nil
	})
}

// changeProduct locks a product, checks that the user edits its facility's goods
// (User.EditsGoodsOf), lets change modify it and writes it back, all in one
// transaction, with the audit log's entry for action.
func (s *CatalogService) changeProduct(ctx context.Context, action string, id tsunagu.ProductID, change func(*tsunagu.Product) error) (*tsunagu.Product, error) {
	var out *tsunagu.Product
	err := s.db.transact(ctx, func(tx queryer) error {
		var row productRow
		err := tx.GetContext(ctx, &row, `SELECT `+productColumns+` FROM products p WHERE p.id = $1 FOR UPDATE`, id)
		if err != nil {
			return notFound(err, "", "product")
		}
		p, before := row.product(tsunagu.LocaleJA), row.product(tsunagu.LocaleJA)
		if err := canChangeProduct(tsunagu.UserFrom(ctx), p); err != nil {
			return err
		}
		if err := change(p); err != nil {
			return err
		}
		if out, err = writeProduct(ctx, tx, p); err != nil {
			return err
		}
		return audit(ctx, tx, audited{Action: action, ObjectType: "Product", ObjectID: int64(out.ID),
			MunicipalityID: &out.MunicipalityID, Before: before, After: out})
	})
	return out, err
}

// insertProduct stores the new product p (validated, with its municipality) and
// returns it as stored: one statement.
func insertProduct(ctx context.Context, tx queryer, p *tsunagu.Product) (*tsunagu.Product, error) {
	var row productRow
	err := tx.GetContext(ctx, &row, `
		INSERT INTO products AS p (facility_id, municipality_id, translations, search_text, category,
			code, code_kind, price, tax_class, allergens, status, image_urls, name_reading, image_alts)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		RETURNING `+productColumns,
		p.FacilityID, p.MunicipalityID, jsonValue[tsunagu.Translations]{p.Translations}, p.SearchText(),
		p.Category, p.Code, p.CodeKind, p.Price, p.TaxClass, pq.Array(p.Allergens), p.Status, pq.Array(p.ImageURLs),
		p.NameReading, pq.Array(p.ImageAlts))
	if err != nil {
		return nil, err
	}
	return row.product(tsunagu.LocaleJA), nil
}

// writeProduct stores the changed fields of product p (validated) and returns it
// as stored: one statement.
func writeProduct(ctx context.Context, tx queryer, p *tsunagu.Product) (*tsunagu.Product, error) {
	var row productRow
	err := tx.GetContext(ctx, &row, `
		UPDATE products AS p SET translations = $2, search_text = $3, category = $4, code = $5,
			code_kind = $6, price = $7, tax_class = $8, allergens = $9, status = $10,
			image_urls = $11, name_reading = $12, image_alts = $13, updated_at = now()
		WHERE p.id = $1
		RETURNING `+productColumns,
		p.ID, jsonValue[tsunagu.Translations]{p.Translations}, p.SearchText(), p.Category, p.Code,
		p.CodeKind, p.Price, p.TaxClass, pq.Array(p.Allergens), p.Status, pq.Array(p.ImageURLs), p.NameReading,
		pq.Array(p.ImageAlts))
	if err != nil {
		return nil, err
	}
	return row.product(tsunagu.LocaleJA), nil
}

// canChangeProduct returns nil when u edits p's facility's goods (User.EditsGoodsOf),
// FORBIDDEN when u may see p but not change it, and NOT_FOUND when u may not see
// it: others cannot tell a draft they may not see from no product at all, and
// facility staff see no other facility's products at all.
func canChangeProduct(u *tsunagu.User, p *tsunagu.Product) error {
	err := tsunagu.CanEditGoodsOf(u, p.FacilityID, p.MunicipalityID)
	if u != nil && (p.Status != tsunagu.StatusActive || u.Role == tsunagu.RoleFacility) && err == tsunagu.ErrForbidden {
		return tsunagu.Errorf(tsunagu.CodeNotFound, "", "There is no such product.")
	}
	return err
}
