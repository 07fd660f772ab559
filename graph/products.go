package graph

import (
	"context"

	"tsunagu/graph/model"
	"tsunagu/internal/tsunagu"
)

// productRefs reads a product's references from the request's loaders, for the
// methods of model.Product. It keeps the context of the resolver that returned the
// products: those methods take none (so that gqlgen resolves them in line), and a
// reference nobody primed is fetched with it, as the user of that request.
type productRefs struct {
	ctx context.Context
	l   *loaders
}

func refsOf(ctx context.Context) productRefs { return productRefs{ctx: ctx, l: loadersFrom(ctx)} }

func (r productRefs) Facility(id tsunagu.FacilityID) (*tsunagu.Facility, error) {
	return load(r.ctx, &r.l.facility, id, "facility")
}

func (r productRefs) Municipality(id tsunagu.MunicipalityID) (*tsunagu.Municipality, error) {
	return load(r.ctx, &r.l.municipality, id, "municipality")
}

func (r productRefs) Stock(p tsunagu.ProductID, locationID string) (*tsunagu.StockLevel, error) {
	return productStock(r.ctx, p, locationID)
}

// apiProduct presents p (nil: nil) with the references of the request of ctx.
func apiProduct(ctx context.Context, p *tsunagu.Product) *model.Product {
	return model.NewProduct(p, refsOf(ctx))
}

// loadProduct is a reference to a product, through the request's loader.
func loadProduct(ctx context.Context, id tsunagu.ProductID) (*model.Product, error) {
	p, err := load(ctx, &loadersFrom(ctx).product, id, "product")
	return apiProduct(ctx, p), err
}

// primedProduct is a product the field being resolved returns, primed for its
// selection.
func primedProduct(ctx context.Context, p *tsunagu.Product) (*model.Product, error) {
	p, err := primed(ctx, p, (*primer).product)
	return apiProduct(ctx, p), err
}
