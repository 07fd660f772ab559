package graph

import (
	"context"
	"encoding/base64"
	"errors"

	"tsunagu/graph/gid"
	"tsunagu/graph/model"
	"tsunagu/internal/tsunagu"
)

// Helpers of the catalog resolvers.

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func productFilter(f *tsunagu.ProductFilter, locale *tsunagu.Locale) tsunagu.ProductFilter {
	out := deref(f)
	out.Locale = deref(locale)
	if out.Locale == "" {
		out.Locale = tsunagu.LocaleJA
	}
	return out
}

// inLocale returns a copy of p presented in locale: loaders share their objects
// within a request, so the original is not changed.
func inLocale(p *tsunagu.Product, locale *tsunagu.Locale) *tsunagu.Product {
	cp := *p
	cp.Locale = tsunagu.LocaleJA
	if locale != nil {
		cp.Locale = *locale
	}
	return &cp
}

func (r *Resolver) products(ctx context.Context, f tsunagu.ProductFilter, first *int, after *string) (*model.ProductConnection, error) {
	page, err := productPageArgs(first, after, f.Order)
	if err != nil {
		return nil, err
	}
	with := productsWith(ctx)
	p, err := r.Catalog.ProductPage(ctx, f, page, with)
	if err != nil {
		return nil, err
	}
	putProductRefs(loadersFrom(ctx), p, with)
	if err := primeAt(ctx, p.Items, (*primer).product, pageNode...); err != nil {
		return nil, err
	}
	return orderedProductConnection(ctx, p.Page, f.Order), nil
}

func (r *Resolver) municipalities(ctx context.Context, first *int, after *string) (*model.MunicipalityConnection, error) {
	page, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	p, err := r.Catalog.Municipalities(ctx, page)
	if err != nil {
		return nil, err
	}
	if err := primeAt(ctx, p.Items, (*primer).municipality, pageNode...); err != nil {
		return nil, err
	}
	return municipalityConnection(p), nil
}

func (r *Resolver) facilities(ctx context.Context, f tsunagu.FacilityFilter, first *int, after *string) (*model.FacilityConnection, error) {
	page, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	p, err := r.Catalog.Facilities(ctx, f, page)
	if err != nil {
		return nil, err
	}
	if err := primeAt(ctx, p.Items, (*primer).facility, pageNode...); err != nil {
		return nil, err
	}
	return facilityConnection(p), nil
}

func (r *Resolver) locations(ctx context.Context, f tsunagu.LocationFilter, first *int, after *string) (*model.LocationConnection, error) {
	page, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	p, err := r.Catalog.Locations(ctx, f, page)
	if err != nil {
		return nil, err
	}
	if err := primeAt(ctx, p.Items, (*primer).location, pageNode...); err != nil {
		return nil, err
	}
	return locationConnection(p), nil
}

// product resolves product(id:): null when there is no such visible product.
func (r *Resolver) product(ctx context.Context, id string, locale *tsunagu.Locale) (*model.Product, error) {
	pid, err := gid.DecodeKind(id, gid.KindProduct)
	if err != nil {
		return nil, nil
	}
	p, err := load(ctx, &loadersFrom(ctx).product, tsunagu.ProductID(pid), "product")
	if tsunagu.ErrorCode(err) == tsunagu.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return primedProduct(ctx, inLocale(p, locale))
}

// productByCode resolves productByCode(code:): null for a code no visible product has.
func (r *Resolver) productByCode(ctx context.Context, code string, locale *tsunagu.Locale) (*model.Product, error) {
	p, err := r.Catalog.ProductByCode(ctx, code)
	if tsunagu.ErrorCode(err) == tsunagu.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return primedProduct(ctx, inLocale(p, locale))
}

// facilityProducts resolves Facility.products: a nested page (see nested.go).
func (r *Resolver) facilityProducts(ctx context.Context, f *tsunagu.Facility, filter *tsunagu.ProductFilter, first *int,
	after *string, locale *tsunagu.Locale) (*model.ProductConnection, error) {
	pf := productFilter(filter, locale)
	p, err := loadersFrom(ctx).productsOf.get(ctx, f.ID, first, after,
		func(ctx context.Context, fs []tsunagu.FacilityID, page tsunagu.PageArgs) (map[tsunagu.FacilityID]*tsunagu.Page[*tsunagu.Product], error) {
			return r.Catalog.ProductsOf(ctx, fs, pf, page)
		}, primeNodes((*primer).product))
	if err != nil {
		return nil, err
	}
	return orderedProductConnection(ctx, p, tsunagu.ProductOrderID), nil
}

// municipalityFacilities resolves Municipality.facilities: a nested page.
func (r *Resolver) municipalityFacilities(ctx context.Context, m *tsunagu.Municipality, first *int, after *string) (*model.FacilityConnection, error) {
	p, err := loadersFrom(ctx).facilitiesOf.get(ctx, m.ID, first, after,
		func(ctx context.Context, ms []tsunagu.MunicipalityID, page tsunagu.PageArgs) (map[tsunagu.MunicipalityID]*tsunagu.Page[*tsunagu.Facility], error) {
			return r.Catalog.FacilitiesOf(ctx, ms, tsunagu.FacilityFilter{}, page)
		}, primeNodes((*primer).facility))
	if err != nil {
		return nil, err
	}
	return facilityConnection(p), nil
}

// municipalityLocations resolves Municipality.locations: a nested page.
func (r *Resolver) municipalityLocations(ctx context.Context, m *tsunagu.Municipality, first *int, after *string) (*model.LocationConnection, error) {
	p, err := loadersFrom(ctx).locationsOf.get(ctx, m.ID, first, after,
		func(ctx context.Context, ms []tsunagu.MunicipalityID, page tsunagu.PageArgs) (map[tsunagu.MunicipalityID]*tsunagu.Page[*tsunagu.Location], error) {
			return r.Catalog.LocationsOf(ctx, ms, tsunagu.LocationFilter{}, page)
		}, primeNodes((*primer).location))
	if err != nil {
		return nil, err
	}
	return locationConnection(p), nil
}

func facilityPayload(ctx context.Context, f *tsunagu.Facility, err error) (*model.FacilityPayload, error) {
	errs, err := primedPayload(ctx, f, err, (*primer).facility, "facility")
	if err != nil || len(errs) > 0 {
		return &model.FacilityPayload{UserErrors: errs}, err
	}
	return &model.FacilityPayload{Facility: f, UserErrors: errs}, nil
}

func productPayload(ctx context.Context, p *tsunagu.Product, err error) (*model.ProductPayload, error) {
	errs, err := primedPayload(ctx, p, err, (*primer).product, "product")
	if err != nil || len(errs) > 0 {
		return &model.ProductPayload{UserErrors: errs}, err
	}
	return &model.ProductPayload{Product: apiProduct(ctx, p), UserErrors: errs}, nil
}

// importedProductID reads the id column of a CSV file of products: the global IDs
// the console's export writes.
func importedProductID(s string) (tsunagu.ProductID, bool) {
	id, err := gid.DecodeKind(s, gid.KindProduct)
	return tsunagu.ProductID(id), err == nil
}

// decodeFile takes importProducts' file, sent base64-encoded (standard, with or
// without padding, as browsers' FileReader and btoa give it).
func decodeFile(in *tsunagu.ImportProductsInput, data string) error {
	b, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(data)
	}
	if err != nil {
		return tsunagu.Errorf(tsunagu.CodeInvalidInput, "input.file", "Send the file's bytes base64-encoded.")
	}
	in.File = b
	return nil
}

// importPayload is importProducts' answer: each row's problems in rowErrors, and
// the refusal as a whole in userErrors.
func importPayload(dryRun bool, v *tsunagu.ProductImport, err error) (*model.ImportProductsPayload, error) {
	out := &model.ImportProductsPayload{DryRun: dryRun, Rows: []*tsunagu.ProductImportRow{}, RowErrors: []*tsunagu.ProductImportRowError{}}
	var rowErrs tsunagu.ImportErrors
	if errors.As(err, &rowErrs) {
		for i := range rowErrs {
			out.RowErrors = append(out.RowErrors, &rowErrs[i])
		}
	}
	out.UserErrors, err = userErrors(err)
	if err != nil || len(out.UserErrors) > 0 {
		return out, err
	}
	out.Rows = v.Rows
	return out, nil
}
