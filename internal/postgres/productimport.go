package postgres

import (
	"cmp"
	"context"
	"slices"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// ImportProducts implements tsunagu.CatalogService. The file is parsed before any
// transaction; a dry run plans the rows (planImport) in a transaction that writes
// nothing, and an applied import plans them with the products locked and writes
// them in one transaction through runOnce (applyImport), keeping the rows for a
// replay (loadImport).
func (s *CatalogService) ImportProducts(ctx context.Context, in tsunagu.ImportProductsInput) (_ *tsunagu.ProductImport, err error) {
	defer wrap(&err, "CatalogService.ImportProducts")
	var rows []*tsunagu.ProductCSVRow
	prepare := func(u *tsunagu.User) (err error) {
		if u.Role != tsunagu.RoleAdmin && u.Role != tsunagu.RoleManager && u.Role != tsunagu.RoleFacility {
			return tsunagu.ErrForbidden
		}
		rows, err = tsunagu.ParseProductCSV(in.File, in.ProductID)
		return err
	}
	if in.DryRun {
		u, err := tsunagu.RequireStaff(ctx)
		if err != nil {
			return nil, err
		}
		if err := in.Validate(); err != nil {
			return nil, err
		}
		if err := prepare(u); err != nil {
			return nil, err
		}
		out := &tsunagu.ProductImport{DryRun: true}
		err = s.db.transact(ctx, func(tx queryer) error {
			steps, err := planImport(ctx, tx, u, rows, false)
			if err != nil {
				return err
			}
			out.Rows = make([]*tsunagu.ProductImportRow, len(steps))
			for i, st := range steps {
				out.Rows[i] = st.result(st.before)
			}
			return nil
		})
		return out, err
	}
	return runOnce(ctx, s.db, "importProducts", &in, once[*tsunagu.ProductImport]{
		prepare: prepare,
		do: func(tx queryer, u *tsunagu.User, _ *idemKey) (*tsunagu.ProductImport, error) {
			return applyImport(ctx, tx, u, rows)
		},
		id:     func(p *tsunagu.ProductImport) int64 { return p.ID },
		replay: func(tx queryer, id int64) (*tsunagu.ProductImport, error) { return loadImport(ctx, tx, id) },
	})
}

// importStep is what one row does: before is the product it changes (nil for a
// new one), after the product as it will be written.
type importStep struct {
	row           *tsunagu.ProductCSVRow
	before, after *tsunagu.Product
}

func (st importStep) result(p *tsunagu.Product) *tsunagu.ProductImportRow {
	action := tsunagu.ImportCreate
	if st.before != nil {
		action = tsunagu.ImportUpdate
	}
	return importRow(st.row.Row, action, st.after, p)
}

// importRow is what row number n of an import does (action) to a product: its name,
// code and price as shown (as they will be written, or are now) and the product
// written (nil on a dry run).
func importRow(n int, action tsunagu.ProductImportAction, shown, written *tsunagu.Product) *tsunagu.ProductImportRow {
	return &tsunagu.ProductImportRow{Row: n, Action: action, Name: shown.Translations.In(tsunagu.LocaleJA).Name,
		Code: shown.Code, Price: shown.Price, Product: written}
}

// planImport checks every row in tx and returns what each does, or ImportErrors
// with every problem of every row. lock locks the products that rows change. A
// row that changes a product the user may not change, or none, refuses the whole
// request as updateProduct does (FORBIDDEN, NOT_FOUND).
func planImport(ctx context.Context, tx queryer, u *tsunagu.User, rows []*tsunagu.ProductCSVRow, lock bool) ([]importStep, error) {
	// The products the rows change, and the facilities the rows name or those
	// products are made by: two statements.
	var ids []int64
	var names []string
	var facIDs []int64
	if u.FacilityID != nil {
		facIDs = append(facIDs, int64(*u.FacilityID))
	}
	for _, r := range rows {
		if r.ID != nil {
			ids = append(ids, int64(*r.ID))
		}
		if r.Facility != "" {
			names = append(names, r.Facility)
		}
	}
	slices.Sort(ids) // locks taken in one order
	q := `SELECT ` + productColumns + ` FROM products p WHERE p.id = ANY($1) ORDER BY p.id`
	if lock {
		q += ` FOR UPDATE`
	}
	var found []*productRow
	if err := tx.SelectContext(ctx, &found, q, pq.Array(ids)); err != nil {
		return nil, err
	}
	existing := map[tsunagu.ProductID]*tsunagu.Product{}
	for _, r := range found {
		p := r.product(tsunagu.LocaleJA)
		existing[p.ID] = p
		facIDs = append(facIDs, int64(p.FacilityID))
	}
	var facs []*importFacility
	err := tx.SelectContext(ctx, &facs, `SELECT id, name, municipality_id FROM facilities WHERE name = ANY($1) OR id = ANY($2)`,
		pq.Array(names), pq.Array(facIDs))
	if err != nil {
		return nil, err
	}
	fs := importFacilities{byID: map[tsunagu.FacilityID]*importFacility{}, byName: map[string][]*importFacility{}}
	for _, f := range facs {
		fs.byID[f.ID] = f
		if u.EditsGoodsOf(f.ID, f.MunicipalityID) {
			fs.byName[f.Name] = append(fs.byName[f.Name], f)
		}
	}

	steps := make([]importStep, 0, len(rows))
	for _, r := range rows {
		st := importStep{row: r}
		var err error
		if r.Failed("id") {
			continue // neither a change nor a new product, said already
		}
		if r.ID != nil {
			// As updateProduct: an unknown product, or one the user may not
			// change, refuses the request, no telling another's draft from none.
			p := existing[*r.ID]
			if p == nil {
				return nil, tsunagu.Errorf(tsunagu.CodeNotFound, "", "Row %d: there is no such product.", r.Row)
			}
			if err := canChangeProduct(u, p); err != nil {
				return nil, err
			}
			if r.Facility != "" && r.Facility != fs.byID[p.FacilityID].Name {
				r.Fail("facility", tsunagu.CodeInvalidInput, "A product stays with the facility that makes it: this one is %s's.", fs.byID[p.FacilityID].Name)
			}
			after := *p
			after.Translations = slices.Clone(p.Translations)
			after.Allergens = slices.Clone(p.Allergens)
			st.before, st.after = p, &after
			err = st.after.Apply(r.UpdateInput())
		} else {
			made := fs.of(u, r)
			if made == nil {
				continue
			}
			st.after, err = tsunagu.NewProduct(r.CreateInput(made.ID))
			st.after.MunicipalityID = made.MunicipalityID
		}
		if err != nil && !r.FailWith(err) {
			return nil, err
		}
		steps = append(steps, st)
	}
	if err := checkImportCodes(ctx, tx, steps); err != nil {
		return nil, err
	}
	var errs tsunagu.ImportErrors
	for _, r := range rows {
		errs = append(errs, r.Errors...)
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b tsunagu.ProductImportRowError) int { return cmp.Compare(a.Row, b.Row) })
		return nil, errs
	}
	return steps, nil
}

// importFacility is a facility an import's rows name, or whose product they change.
type importFacility struct {
	ID             tsunagu.FacilityID
	Name           string
	MunicipalityID tsunagu.MunicipalityID `db:"municipality_id"`
}

type importFacilities struct {
	byID map[tsunagu.FacilityID]*importFacility
	// byName holds the facilities whose goods the user lists.
	byName map[string][]*importFacility
}

// of is the facility a new product's row names, among those whose goods u lists;
// facility staff may leave it out for their own. It is nil, with the row's
// problem added, when there is none or more than one.
func (fs importFacilities) of(u *tsunagu.User, r *tsunagu.ProductCSVRow) *importFacility {
	if r.Facility == "" && u.Role == tsunagu.RoleFacility && u.FacilityID != nil && fs.byID[*u.FacilityID] != nil {
		return fs.byID[*u.FacilityID]
	}
	switch named := fs.byName[r.Facility]; {
	case r.Facility == "":
		r.Fail("facility", tsunagu.CodeRequired, "Enter the name of the facility that makes the product.")
	case len(named) == 0:
		r.Fail("facility", tsunagu.CodeNotFound, "There is no facility named %q whose goods you list.", r.Facility)
	case len(named) > 1:
		r.Fail("facility", tsunagu.CodeDuplicate, "More than one facility whose goods you list is named %q; list these goods one by one in the editor.", r.Facility)
	default:
		return named[0]
	}
	return nil
}

// checkImportCodes adds DUPLICATE_CODE to the rows whose code another row of the
// file has, or a product that the file does not change: one statement.
func checkImportCodes(ctx context.Context, tx queryer, steps []importStep) error {
	first := map[string]int{} // code: the first row with it
	changed := map[tsunagu.ProductID]bool{}
	var codes []string
	for _, st := range steps {
		if st.before != nil {
			changed[st.before.ID] = true
		}
		if st.after == nil || st.after.Code == nil {
			continue
		}
		c := *st.after.Code
		if n, ok := first[c]; ok {
			st.row.Fail("code", tsunagu.CodeDuplicateCode, "Row %d has this code too; each product has its own.", n)
			continue
		}
		first[c] = st.row.Row
		codes = append(codes, c)
	}
	var held []struct {
		ID   tsunagu.ProductID
		Code string
	}
	if err := tx.SelectContext(ctx, &held, `SELECT id, code FROM products WHERE code = ANY($1)`, pq.Array(codes)); err != nil {
		return err
	}
	for _, h := range held {
		if changed[h.ID] {
			continue // its code in the file counts, checked above
		}
		for _, st := range steps {
			if st.after != nil && st.after.Code != nil && *st.after.Code == h.Code && (st.before == nil || st.before.ID != h.ID) {
				st.row.Fail("code", tsunagu.CodeDuplicateCode, "Another product has this code already.")
			}
		}
	}
	return nil
}

// applyImport writes every row in tx, changes before new products (so that a code
// one row gives up is free for another), and keeps what each row did.
func applyImport(ctx context.Context, tx queryer, u *tsunagu.User, rows []*tsunagu.ProductCSVRow) (*tsunagu.ProductImport, error) {
	steps, err := planImport(ctx, tx, u, rows, true)
	if err != nil {
		return nil, err
	}
	out := &tsunagu.ProductImport{Rows: make([]*tsunagu.ProductImportRow, len(steps))}
	for _, creating := range []bool{false, true} {
		for i, st := range steps {
			if (st.before == nil) != creating {
				continue
			}
			var p *tsunagu.Product
			if creating {
				p, err = insertProduct(ctx, tx, st.after)
			} else {
				p, err = writeProduct(ctx, tx, st.after)
			}
			if err != nil {
				return nil, err
			}
			err = audit(ctx, tx, audited{Action: "importProducts", ObjectType: "Product", ObjectID: int64(p.ID),
				MunicipalityID: &p.MunicipalityID, Before: st.before, After: p})
			if err != nil {
				return nil, err
			}
			out.Rows[i] = st.result(p)
		}
	}
	kept := make([]importedRow, len(out.Rows))
	for i, r := range out.Rows {
		kept[i] = importedRow{Row: r.Row, Action: r.Action, ProductID: r.Product.ID}
	}
	var by *tsunagu.UserID
	if u.ID != 0 {
		by = &u.ID
	}
	err = tx.GetContext(ctx, &out.ID, `INSERT INTO product_imports (user_id, rows) VALUES ($1, $2) RETURNING id`,
		by, jsonValue[[]importedRow]{kept})
	return out, err
}

// importedRow is what a row of an applied import did, as product_imports keeps it.
type importedRow struct {
	Row       int                         `json:"row"`
	Action    tsunagu.ProductImportAction `json:"action"`
	ProductID tsunagu.ProductID           `json:"productId"`
}

// loadImport is an applied import with its products as they are now: two statements.
func loadImport(ctx context.Context, tx queryer, id int64) (*tsunagu.ProductImport, error) {
	var kept jsonValue[[]importedRow]
	if err := tx.GetContext(ctx, &kept, `SELECT rows FROM product_imports WHERE id = $1`, id); err != nil {
		return nil, err
	}
	ids := make([]int64, len(kept.V))
	for i, r := range kept.V {
		ids[i] = int64(r.ProductID)
	}
	var found []*productRow
	if err := tx.SelectContext(ctx, &found, `SELECT `+productColumns+` FROM products p WHERE p.id = ANY($1)`, pq.Array(ids)); err != nil {
		return nil, err
	}
	byID := map[tsunagu.ProductID]*tsunagu.Product{}
	for _, r := range found {
		byID[r.ID] = r.product(tsunagu.LocaleJA)
	}
	out := &tsunagu.ProductImport{ID: id}
	for _, r := range kept.V {
		p := byID[r.ProductID]
		out.Rows = append(out.Rows, importRow(r.Row, r.Action, p, p))
	}
	return out, nil
}
