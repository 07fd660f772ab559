package model

import "tsunagu/internal/tsunagu"

// Product is the API's product: the domain's, with what it refers to read through
// refs, the request's loaders.
//
// Its reference fields are plain methods that take no context, so gqlgen resolves
// them in line. Bound to resolvers (or to methods taking a context) gqlgen ran
// each in a goroutine of its own: two more goroutines per product for a page that
// asks for facility, municipality and stock, 100 on a page of 50, about a tenth
// of the page's CPU (issue 16). The resolver that returns products primes the
// loaders first (graph/prime.go), so these methods only look up; refs fetches
// alone what nobody primed.
type Product struct {
	*tsunagu.Product
	refs ProductRefs
}

// ProductRefs reads what a product refers to, for one request.
type ProductRefs interface {
	Facility(tsunagu.FacilityID) (*tsunagu.Facility, error)
	Municipality(tsunagu.MunicipalityID) (*tsunagu.Municipality, error)
	// Stock is the level of the product at the location of the global ID
	// locationID: nil when it was never stocked there or may not be seen.
	Stock(p tsunagu.ProductID, locationID string) (*tsunagu.StockLevel, error)
}

// NewProduct presents p, with refs for what it refers to; nil for nil.
func NewProduct(p *tsunagu.Product, refs ProductRefs) *Product {
	if p == nil {
		return nil
	}
	return &Product{Product: p, refs: refs}
}

// NewProducts presents ps as NewProduct does each, in one allocation for all; a
// nil product's element is left zero.
func NewProducts(ps []*tsunagu.Product, refs ProductRefs) []Product {
	out := make([]Product, len(ps))
	for i, p := range ps {
		if p != nil {
			out[i] = Product{Product: p, refs: refs}
		}
	}
	return out
}

// Facility is the facility that makes the product.
func (p *Product) Facility() (*tsunagu.Facility, error) { return p.refs.Facility(p.FacilityID) }

// Municipality is the facility's municipality.
func (p *Product) Municipality() (*tsunagu.Municipality, error) {
	return p.refs.Municipality(p.MunicipalityID)
}

// Stock is the product's level at the location locationID.
func (p *Product) Stock(locationID string) (*tsunagu.StockLevel, error) {
	return p.refs.Stock(p.ID, locationID)
}

// Translations are the product's texts in every locale it has, in the order of
// tsunagu.Locales.
func (p *Product) Translations() []*Translation {
	out := make([]*Translation, len(p.Product.Translations))
	for i, t := range p.Product.Translations {
		out[i] = &Translation{Locale: t.Locale, Name: t.Name, Description: t.Description}
	}
	return out
}
