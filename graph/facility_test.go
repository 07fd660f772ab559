package graph_test

import (
	"slices"
	"testing"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

// facilityWorld is the API's network with a second facility at home (the
// neighbour) and a store room of each home facility.
type facilityWorld struct {
	*api
	neighbour                *tsunagu.Facility
	store, neighbourStore    *tsunagu.Location
	own, draft, theirs, away *tsunagu.Product
}

func newFacilityWorld(t *testing.T) *facilityWorld {
	a := newAPI(t)
	w := &facilityWorld{api: a}
	ctx := a.adminCtx()
	var err error
	w.neighbour, err = a.catalog.CreateFacility(ctx, tsunagu.CreateFacilityInput{MunicipalityID: a.home.ID,
		Name: "となりの作業所", Kind: tsunagu.FacilityEmploymentA, Corporation: "NPO法人となり"})
	must(t, err)
	w.store = &tsunagu.Location{MunicipalityID: a.home.ID, Kind: tsunagu.LocationFacility, Name: "虹の作業室", FacilityID: &a.homeFac.ID}
	must(t, a.catalog.CreateLocation(ctx, w.store))
	w.neighbourStore = &tsunagu.Location{MunicipalityID: a.home.ID, Kind: tsunagu.LocationFacility, Name: "となりの倉庫", FacilityID: &w.neighbour.ID}
	must(t, a.catalog.CreateLocation(ctx, w.neighbourStore))
	w.own = a.stocked(a.homeFac, w.store, 5)
	w.draft = a.product(a.homeFac, "試作のクッキー", tsunagu.StatusDraft)
	w.theirs = a.stocked(w.neighbour, w.neighbourStore, 5)
	w.away = a.product(a.partnerFac, "ひまわりの皿", tsunagu.StatusActive)
	return w
}

// Facility staff see their own facility's products, drafts included, and no other
// product of the network: not the neighbour's in the same town, not a partner's,
// not by ID, by code or in the catalog.
func TestFacilityStaffSeeOnlyTheirGoods(t *testing.T) {
	t.Parallel()
	w := newFacilityWorld(t)
	var out struct {
		Products struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	w.ok("facility", `{ products(first: 100) { edges { node { id } } } }`, nil, &out)
	var got []string
	for _, e := range out.Products.Edges {
		got = append(got, e.Node.ID)
	}
	want := []string{w.id(gid.KindProduct, int64(w.own.ID)), w.id(gid.KindProduct, int64(w.draft.ID))}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("products %v, want only the facility's own %v", got, want)
	}
	for name, p := range map[string]*tsunagu.Product{"neighbour": w.theirs, "partner": w.away} {
		var one struct{ Product *struct{ ID string } }
		w.ok("facility", `query($id: ID!) { product(id: $id) { id } }`, map[string]any{"id": w.id(gid.KindProduct, int64(p.ID))}, &one)
		if one.Product != nil {
			t.Errorf("product(id) of the %s's product: %+v, want null", name, one.Product)
		}
		var node struct{ Node *struct{ ID string } }
		w.ok("facility", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": w.id(gid.KindProduct, int64(p.ID))}, &node)
		if node.Node != nil {
			t.Errorf("node(id) of the %s's product: %+v, want null", name, node.Node)
		}
	}
	// The neighbour's staff (the partner's facility here) see none of them.
	w.ok("otherFacility", `{ products(first: 100) { edges { node { id } } } }`, nil, &out)
	for _, e := range out.Products.Edges {
		if slices.Contains(want, e.Node.ID) {
			t.Errorf("another facility's staff see %s", e.Node.ID)
		}
	}
}

// Facility staff change their own products; another facility's is NOT_FOUND to
// them (they cannot tell it exists) and stays as it was.
func TestFacilityStaffEditOnlyTheirGoods(t *testing.T) {
	t.Parallel()
	w := newFacilityWorld(t)
	errs, code := w.mutate("facility", "updateProduct", updateProduct, map[string]any{"in": map[string]any{
		"id": w.id(gid.KindProduct, int64(w.draft.ID)), "price": 480}})
	if code != "" || len(errs) > 0 {
		t.Fatalf("own product: %q %v", code, errs)
	}
	for name, p := range map[string]*tsunagu.Product{"ErrNeighboursProduct": w.theirs, "ErrPartnersProduct": w.away} {
		t.Run(name, func(t *testing.T) {
			before := w.snapshot()
			_, code := w.mutate("facility", "updateProduct", updateProduct, map[string]any{"in": map[string]any{
				"id": w.id(gid.KindProduct, int64(p.ID)), "price": 1}})
			if code != "NOT_FOUND" {
				t.Errorf("code %q, want NOT_FOUND", code)
			}
			w.unchanged(before)
		})
	}
	t.Run("ErrCreateForNeighbour", func(t *testing.T) {
		before := w.snapshot()
		_, code := w.mutate("facility", "createProduct", createProduct, map[string]any{"in": with(validProduct(w.neighbour), "code", nil)})
		if code != "FORBIDDEN" {
			t.Errorf("code %q, want FORBIDDEN", code)
		}
		w.unchanged(before)
	})
}

const facilityStockLevels = `query($loc: ID!) { stockLevels(locationId: $loc) { edges { node { onHand product { id } } } } }`

// Facility staff keep the stock at their own store room and nowhere else: levels
// and adjustments elsewhere are FORBIDDEN, another facility's goods at their store
// room NOT_FOUND, movements elsewhere left out; and nothing changes.
func TestFacilityStaffStock(t *testing.T) {
	t.Parallel()
	w := newFacilityWorld(t)
	var levels struct {
		StockLevels struct {
			Edges []struct{ Node struct{ OnHand int } }
		}
	}
	w.ok("facility", facilityStockLevels, map[string]any{"loc": w.id(gid.KindLocation, int64(w.store.ID))}, &levels)
	if len(levels.StockLevels.Edges) != 1 || levels.StockLevels.Edges[0].Node.OnHand != 5 {
		t.Errorf("own store room's levels %+v, want the 5 made", levels)
	}
	errs, code := w.mutate("facility", "adjustStock", adjustStock, map[string]any{"in": map[string]any{
		"locationId": w.id(gid.KindLocation, int64(w.store.ID)), "productId": w.id(gid.KindProduct, int64(w.own.ID)),
		"quantity": 3, "reason": "PRODUCTION", "idempotencyKey": key()}})
	if code != "" || len(errs) > 0 {
		t.Fatalf("adjusting at their own store room: %q %v", code, errs)
	}
	for _, loc := range []*tsunagu.Location{w.neighbourStore, w.homeShop, w.warehouse} {
		t.Run("ErrLevelsAt"+loc.Name, func(t *testing.T) {
			r := w.do("facility", facilityStockLevels, map[string]any{"loc": w.id(gid.KindLocation, int64(loc.ID))})
			if r.code() != "FORBIDDEN" {
				t.Errorf("code %q, want FORBIDDEN", r.code())
			}
		})
	}
	for _, tc := range []struct {
		name    string
		loc     *tsunagu.Location
		product *tsunagu.Product
		want    string
	}{
		{"ErrNeighboursStoreRoom", w.neighbourStore, w.theirs, "FORBIDDEN"},
		{"ErrShop", w.homeShop, w.own, "FORBIDDEN"},
		{"ErrNeighboursGoodsAtOwnStoreRoom", w.store, w.theirs, "NOT_FOUND@input.productId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := w.snapshot()
			errs, code := w.mutate("facility", "adjustStock", adjustStock, map[string]any{"in": map[string]any{
				"locationId": w.id(gid.KindLocation, int64(tc.loc.ID)), "productId": w.id(gid.KindProduct, int64(tc.product.ID)),
				"quantity": -1, "reason": "DAMAGED", "idempotencyKey": key()}})
			if got := code + codes(errs); got != tc.want {
				t.Errorf("got %q, want %s", got, tc.want)
			}
			w.unchanged(before)
		})
	}
	var moves struct {
		StockMovements struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	w.ok("facility", `query($loc: ID!) { stockMovements(filter: {locationId: $loc}) { edges { node { id } } } }`,
		map[string]any{"loc": w.id(gid.KindLocation, int64(w.neighbourStore.ID))}, &moves)
	if len(moves.StockMovements.Edges) != 0 {
		t.Errorf("the neighbour's store room's movements are shown: %+v", moves)
	}
	w.ok("facility", `query($loc: ID!) { stockMovements(filter: {locationId: $loc}) { edges { node { id } } } }`,
		map[string]any{"loc": w.id(gid.KindLocation, int64(w.store.ID))}, &moves)
	if len(moves.StockMovements.Edges) != 2 {
		t.Errorf("own store room's movements %+v, want the two", moves)
	}
}

const soldLinesQuery = `{ soldLines(first: 50) { edges { node { shop { id } soldAt line { product { id } quantity amount owner { id } } } } } }`

// Facility staff read the lines of the sales of their goods, and nothing else of
// those sales: not the other facility's line of the same receipt, not the sale
// itself, not the other facility's sales.
func TestFacilityStaffSales(t *testing.T) {
	t.Parallel()
	w := newFacilityWorld(t)
	s := w.session()
	mine := w.stocked(w.homeFac, w.homeShop, 5)
	neighbours := w.stocked(w.neighbour, w.homeShop, 5)
	sale, err := w.pos.CreateSale(w.ctxs["clerk"], tsunagu.CreateSaleInput{SessionID: s.ID,
		Lines:          []tsunagu.SaleLineInput{{ProductID: &mine.ID, Quantity: 2}, {ProductID: &neighbours.ID, Quantity: 1}},
		Payments:       []tsunagu.PaymentInput{{Method: tsunagu.PaymentCash, Amount: 3 * mine.Price}},
		IdempotencyKey: key()})
	must(t, err)

	type soldLines struct {
		SoldLines struct {
			Edges []struct {
				Node struct {
					Shop   struct{ ID string }
					SoldAt string
					Line   struct {
						Product  struct{ ID string }
						Quantity int
						Amount   int64
						Owner    struct{ ID string }
					}
				}
			}
		}
	}
	var out soldLines
	w.ok("facility", soldLinesQuery, nil, &out)
	if e := out.SoldLines.Edges; len(e) != 1 || e[0].Node.Line.Product.ID != w.id(gid.KindProduct, int64(mine.ID)) ||
		e[0].Node.Line.Quantity != 2 || e[0].Node.Shop.ID != w.id(gid.KindLocation, int64(w.homeShop.ID)) || e[0].Node.SoldAt == "" {
		t.Errorf("facility staff's sold lines %+v, want their one line", out)
	}
	w.ok("otherFacility", soldLinesQuery, nil, &out)
	if len(out.SoldLines.Edges) != 0 {
		t.Errorf("another facility's staff see %+v", out)
	}
	w.ok("clerk", soldLinesQuery, nil, &out)
	if len(out.SoldLines.Edges) != 2 {
		t.Errorf("the shop's clerk sees %d lines, want both", len(out.SoldLines.Edges))
	}
	var sales struct {
		Sales struct {
			Edges []struct{ Node struct{ ID string } }
		}
		Sale *struct{ ID string }
	}
	w.ok("facility", `query($id: ID!) { sales(first: 50) { edges { node { id } } } sale(id: $id) { id } }`,
		map[string]any{"id": w.id(gid.KindSale, int64(sale.ID))}, &sales)
	if len(sales.Sales.Edges) != 0 || sales.Sale != nil {
		t.Errorf("facility staff see the whole sale: %+v", sales)
	}
}
