package graph_test

import (
	"fmt"
	"testing"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

// Statement counts of the lists and objects that the batching loaders alone used to
// serve: priming covers every page, object by ID and nested list, so none of them
// grows with the number of items.

// A sale by ID, and the same sale through node(id:), cost the same for 1 line as
// for 10, with every reference of its lines.
func TestSaleByIDStatementCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	s := a.session()
	q := `query($id: ID!) { sale(id: $id) { total soldBy { email } register { name shop { name } }
		session { openedBy { email } } lines { product { name facility { name municipality { name } } } owner { name } }
		payments { amount } receipt { total } }
		node(id: $id) { ... on Sale { lines { product { name } } } } }`
	counts := map[int]int64{}
	for _, n := range []int{1, 10} {
		var lines []tsunagu.SaleLineInput
		var total int64
		for range n {
			p := a.stocked(a.homeFac, a.homeShop, 5)
			lines = append(lines, tsunagu.SaleLineInput{ProductID: &p.ID, Quantity: 1})
			total += p.Price
		}
		sale, err := a.pos.CreateSale(a.ctxs["clerk"], tsunagu.CreateSaleInput{SessionID: s.ID, Lines: lines,
			Payments: []tsunagu.PaymentInput{{Method: tsunagu.PaymentCash, Amount: total}}, IdempotencyKey: key()})
		must(t, err)
		var out struct {
			Sale struct {
				Lines []struct{ Product struct{ Name string } }
			}
			Node struct {
				Lines []struct{ Product struct{ Name string } }
			}
		}
		counts[n] = a.statements("clerk", q, map[string]any{"id": a.id(gid.KindSale, int64(sale.ID))}, &out)
		if len(out.Sale.Lines) != n || len(out.Node.Lines) != n || out.Node.Lines[0].Product.Name == "" {
			t.Fatalf("sale %+v, node %+v", out.Sale, out.Node)
		}
	}
	// the token; the sale (sale and node share it); lines, payments, register,
	// session, receipt; products, facilities, the shop, municipalities, users.
	checkCounts(t, "sale by ID", 12, counts)
}

func TestStockMovementPageStatementCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for range 12 {
		a.stocked(a.homeFac, a.homeShop, 3)
	}
	q := `query($loc: ID!, $n: Int) { stockMovements(filter: {locationId: $loc}, first: $n) { edges { node {
		quantity product { name facility { name } } location { name municipality { name } } owner { name } actor { email } } } } }`
	counts := map[int]int64{}
	for _, n := range []int{1, 12} {
		var out struct{ StockMovements struct{ Edges []any } }
		counts[n] = a.statements("manager", q, map[string]any{"loc": a.id(gid.KindLocation, int64(a.homeShop.ID)), "n": n}, &out)
		if len(out.StockMovements.Edges) != n {
			t.Fatalf("%d movements, want %d", len(out.StockMovements.Edges), n)
		}
	}
	// the token; the page; products, facilities, the location, municipalities, users.
	checkCounts(t, "stock movement page", 7, counts)
}

// The locations and facilities pages prime their references and nested pages too.
func TestLocationAndFacilityPageStatementCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.shop()
	ctx := a.adminCtx()
	for i := range 8 {
		f, err := a.catalog.CreateFacility(ctx, tsunagu.CreateFacilityInput{MunicipalityID: a.home.ID,
			Name: fmt.Sprintf("施設%d", i), Kind: tsunagu.FacilityOther, Corporation: "法人"})
		must(t, err)
		a.product(f, fmt.Sprintf("品%d", i), tsunagu.StatusActive)
		must(t, a.catalog.CreateLocation(ctx, &tsunagu.Location{MunicipalityID: a.home.ID, FacilityID: &f.ID,
			Kind: tsunagu.LocationFacility, Name: f.Name + "の倉庫"}))
	}
	locations := `query($n: Int) { locations(first: $n) { edges { node { name municipality { name }
		facility { name } shop { operatorName shippingRule { fee } } } } } }`
	facilities := `query($n: Int) { facilities(first: $n) { edges { node { name municipality { name }
		products(first: 2) { edges { node { name facility { name } municipality { name } } } } } } } }`
	// The fixture's three locations and two facilities come first; each page
	// reaches at least one of the new ones.
	lc, fc := map[int]int64{}, map[int]int64{}
	for _, n := range []int{4, 11} {
		var lo struct{ Locations struct{ Edges []any } }
		lc[n] = a.statements("", locations, map[string]any{"n": n}, &lo)
		var fo struct{ Facilities struct{ Edges []any } }
		fc[n-1] = a.statements("", facilities, map[string]any{"n": n - 1}, &fo)
		if len(lo.Locations.Edges) != n || len(fo.Facilities.Edges) != n-1 {
			t.Fatalf("%d locations, %d facilities, want %d and %d", len(lo.Locations.Edges), len(fo.Facilities.Edges), n, n-1)
		}
	}
	// the page; municipalities, facilities, shops, shipping rules.
	checkCounts(t, "location page", 5, lc)
	// the page; municipalities, the products' pages, their facilities.
	checkCounts(t, "facility page", 4, fc)
}

// Nested pages load by field of the query: two aliases of one nested list with
// different arguments each get their own pages, every parent its own.
func TestNestedPagesByField(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	ctx := a.adminCtx()
	for i := range 3 {
		f, err := a.catalog.CreateFacility(ctx, tsunagu.CreateFacilityInput{MunicipalityID: a.partner.ID,
			Name: fmt.Sprintf("施設%d", i), Kind: tsunagu.FacilityOther, Corporation: "法人"})
		must(t, err)
		for j := range 3 {
			a.product(f, fmt.Sprintf("品%d-%d", i, j), tsunagu.StatusActive)
		}
		a.product(f, fmt.Sprintf("クッキー%d", i), tsunagu.StatusActive)
	}
	q := `query($m: ID) { facilities(filter: {municipalityId: $m}, first: 10) { edges { node { name
		one: products(first: 1) { edges { node { name } } pageInfo { hasNextPage } }
		all: products(first: 10) { edges { node { name } } }
		cookies: products(filter: {text: "くっきー"}) { edges { node { name } } } } } } }`
	type page struct {
		Edges    []struct{ Node struct{ Name string } }
		PageInfo struct{ HasNextPage bool }
	}
	var out struct {
		Facilities struct {
			Edges []struct {
				Node struct {
					Name              string
					One, All, Cookies page
				}
			}
		}
	}
	n := a.statements("", q, map[string]any{"m": a.id(gid.KindMunicipality, int64(a.partner.ID))}, &out)
	// the page; one statement per nested field.
	if n != 4 {
		t.Errorf("%d statements, want 4", n)
	}
	fs := out.Facilities.Edges
	if len(fs) != 4 { // the partner's own facility and the three made here
		t.Fatalf("%d facilities", len(fs))
	}
	for _, e := range fs[1:] {
		f := e.Node
		suffix := f.Name[len("施設"):]
		if len(f.One.Edges) != 1 || !f.One.PageInfo.HasNextPage || len(f.All.Edges) != 4 || len(f.Cookies.Edges) != 1 ||
			f.Cookies.Edges[0].Node.Name != "クッキー"+suffix || f.One.Edges[0].Node.Name != "品"+suffix+"-0" {
			t.Errorf("facility %s: %+v", f.Name, f)
		}
	}
}
