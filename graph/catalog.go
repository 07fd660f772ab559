package graph

import (
	"context"

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

func translations(p *tsunagu.Product) []*model.Translation {
	out := []*model.Translation{}
	for _, l := range tsunagu.Locales {
		if t, ok := p.Translations[l]; ok {
			out = append(out, &model.Translation{Locale: l, Name: t.Name, Description: t.Description})
		}
	}
	return out
}

func (r *Resolver) products(ctx context.Context, f tsunagu.ProductFilter, first *int, after *string) (*model.ProductConnection, error) {
	page, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	p, err := r.Catalog.Products(ctx, f, page)
	if err != nil {
		return nil, err
	}
	if err := r.prefetchProductRefs(ctx, p.Items); err != nil {
		return nil, err
	}
	if err := r.prefetchProductStock(ctx, p.Items); err != nil {
		return nil, err
	}
	return productConnection(p), nil
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
	return locationConnection(p), nil
}

// product resolves product(id:): null when there is no such visible product.
func (r *Resolver) product(ctx context.Context, id string, locale *tsunagu.Locale) (*tsunagu.Product, error) {
	pid, err := gid.DecodeKind(id, gid.KindProduct)
	if err != nil {
		return nil, nil
	}
	p, err := load(ctx, loadersFrom(ctx).product, tsunagu.ProductID(pid), "product")
	if tsunagu.ErrorCode(err) == tsunagu.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return inLocale(p, locale), nil
}

// node resolves any global ID; null when the object does not exist or is not visible.
func (r *Resolver) node(ctx context.Context, id string) (model.Node, error) {
	kind, n, err := gid.Decode(id)
	if err != nil {
		return nil, nil
	}
	l := loadersFrom(ctx)
	var v any
	switch kind {
	case gid.KindMunicipality:
		v, err = load(ctx, l.municipality, tsunagu.MunicipalityID(n), "municipality")
	case gid.KindFacility:
		v, err = load(ctx, l.facility, tsunagu.FacilityID(n), "facility")
	case gid.KindLocation:
		v, err = load(ctx, l.location, tsunagu.LocationID(n), "location")
	case gid.KindProduct:
		return r.product(ctx, id, nil)
	case gid.KindTransfer:
		return r.transfer(ctx, id)
	case gid.KindSale:
		return r.sale(ctx, id)
	case gid.KindOrder:
		return r.order(ctx, id)
	case gid.KindSession:
		return r.registerSession(ctx, id)
	case gid.KindRegister:
		v, err = loadVisible(ctx, l.register, tsunagu.RegisterID(n))
	case gid.KindUser:
		var us map[tsunagu.UserID]*tsunagu.User
		us, err = r.Auth.UsersByID(ctx, []tsunagu.UserID{tsunagu.UserID(n)})
		if u := us[tsunagu.UserID(n)]; u != nil {
			return u, nil
		}
		return nil, err
	default:
		return nil, nil
	}
	if tsunagu.ErrorCode(err) == tsunagu.CodeNotFound {
		return nil, nil
	}
	return v, err
}

func facilityPayload(f *tsunagu.Facility, err error) (*model.FacilityPayload, error) {
	errs, err := userErrors(err)
	if err != nil || len(errs) > 0 {
		return &model.FacilityPayload{UserErrors: errs}, err
	}
	return &model.FacilityPayload{Facility: f, UserErrors: errs}, nil
}

func productPayload(p *tsunagu.Product, err error) (*model.ProductPayload, error) {
	errs, err := userErrors(err)
	if err != nil || len(errs) > 0 {
		return &model.ProductPayload{UserErrors: errs}, err
	}
	return &model.ProductPayload{Product: p, UserErrors: errs}, nil
}
