package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"tsunagu/graph/gid"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// The tests below pin how many SQL statements the major queries and mutations run
// (BEGIN and COMMIT included), and that the number does not grow with the page size
// or the number of lines. They run at the production settings: nothing in loading
// waits for anything (graph/prime.go), so the count is the same on a busy server. A
// failure means a change added a round trip per item, or a field priming does not
// reach; fix the SQL or the field's visitor (graph/prime_*.go), never the expected
// number alone.

// statements runs an operation as the user as, fails on any GraphQL error, decodes
// its data into out (when not nil) and returns the statements it ran.
func (a *api) statements(as, query string, vars map[string]any, out any) int64 {
	a.t.Helper()
	var c postgres.StatementCounter
	ctx := postgres.WithStatementCounter(context.Background(), &c)
	r := a.doCtx(ctx, as, query, vars)
	if len(r.Errors) > 0 {
		a.t.Fatalf("errors: %+v", r.Errors)
	}
	if out != nil {
		must(a.t, json.Unmarshal(r.Data, out))
	}
	return c.Count()
}

// checkCounts fails unless every count is want.
func checkCounts(t *testing.T, what string, want int64, counts map[int]int64) {
	t.Helper()
	for n, got := range counts {
		if got != want {
			t.Errorf("%s with %d: %d statements, want %d (all: %v)", what, n, got, want, counts)
		}
	}
}

func TestStockLevelPageStatementCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for i := range 30 {
		a.stocked(a.homeFac, a.homeShop, 5+i)
	}
	q := `query($loc: ID!, $n: Int) { stockLevels(locationId: $loc, first: $n) { edges { node {
		onHand available reorderPoint product { name price code facility { name municipality { name } } }
		owner { name } location { name } } } pageInfo { hasNextPage } } }`
	counts := map[int]int64{}
	for _, n := range []int{1, 10, 30} {
		var out struct{ StockLevels struct{ Edges []any } }
		counts[n] = a.statements("clerk", q, map[string]any{"loc": a.id(gid.KindLocation, int64(a.homeShop.ID)), "n": n}, &out)
		if len(out.StockLevels.Edges) != n {
			t.Fatalf("%d levels, want %d", len(out.StockLevels.Edges), n)
		}
	}
	// the token; the location (it exists), the page; products, facilities (owners
	// and makers), the location, municipalities.
	checkCounts(t, "stock level page", 7, counts)
}

func TestTransferPageStatementCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for range 12 {
		a.transfer(a.warehouse, a.partnerShop, "manager", tsunagu.TransferShipped)
	}
	q := `query($n: Int) { transfers(first: $n) { edges { node { status from { name } to { name }
		fromMunicipality { name } lines { requested shipped product { name facility { name } } owner { name } }
		events { type actor { email } } shipments { carrier shippedBy { email } } } } } }`
	counts := map[int]int64{}
	for _, n := range []int{1, 5, 12} {
		var out struct{ Transfers struct{ Edges []any } }
		counts[n] = a.statements("manager", q, map[string]any{"n": n}, &out)
		if len(out.Transfers.Edges) != n {
			t.Fatalf("%d transfers, want %d", len(out.Transfers.Edges), n)
		}
	}
	// the token; the page; lines, events, shipments; products, facilities,
	// locations, municipalities, users.
	checkCounts(t, "transfer page", 10, counts)
}

func TestSalePageStatementCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	s := a.session()
	p := a.stocked(a.homeFac, a.homeShop, 100)
	q2 := a.stocked(a.homeFac, a.homeShop, 100)
	for range 12 {
		_, err := a.pos.CreateSale(a.ctxs["clerk"], tsunagu.CreateSaleInput{SessionID: s.ID,
			Lines:          []tsunagu.SaleLineInput{{ProductID: &p.ID, Quantity: 1}, {ProductID: &q2.ID, Quantity: 2}},
			Payments:       []tsunagu.PaymentInput{{Method: tsunagu.PaymentCash, Amount: p.Price + 2*q2.Price}},
			IdempotencyKey: key()})
		must(t, err)
	}
	q := `query($shop: ID!, $n: Int) { sales(filter: {shopId: $shop}, first: $n) { edges { node {
		receiptNumber total status soldBy { email } lines { name quantity product { name } owner { name } }
		payments { method amount change } } } } }`
	counts := map[int]int64{}
	for _, n := range []int{1, 5, 12} {
		var out struct{ Sales struct{ Edges []any } }
		counts[n] = a.statements("clerk", q, map[string]any{"shop": a.id(gid.KindLocation, int64(a.homeShop.ID)), "n": n}, &out)
		if len(out.Sales.Edges) != n {
			t.Fatalf("%d sales, want %d", len(out.Sales.Edges), n)
		}
	}
	// the token; the page; lines, payments; products, facilities, users.
	checkCounts(t, "sale page", 7, counts)
}

func TestCreateSaleStatementCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	s := a.session()
	var ps []*tsunagu.Product
	for range 10 {
		ps = append(ps, a.stocked(a.homeFac, a.homeShop, 50))
	}
	counts := map[int]int64{}
	for _, n := range []int{1, 10} {
		var lines []map[string]any
		var total int64
		for _, p := range ps[:n] {
			lines = append(lines, map[string]any{"productId": a.id(gid.KindProduct, int64(p.ID)), "quantity": 2})
			total += 2 * p.Price
		}
		var out struct {
			CreateSale struct{ UserErrors []userError }
		}
		counts[n] = a.statements("clerk", createSale, map[string]any{"in": map[string]any{
			"sessionId": a.id(gid.KindSession, int64(s.ID)), "lines": lines, "idempotencyKey": key(),
			"payments": []map[string]any{{"method": "CASH", "amount": total, "tendered": total + 1000}}}}, &out)
		if len(out.CreateSale.UserErrors) > 0 {
			t.Fatalf("createSale: %+v", out.CreateSale.UserErrors)
		}
	}
	// the token; the sale in one statement (key, session, products, stock, receipt
	// number, lines, payments, ledger); the payments of the payload.
	checkCounts(t, "createSale", 3, counts)
}

func TestTransferMutationStatementCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	loc := func(l *tsunagu.Location) string { return a.id(gid.KindLocation, int64(l.ID)) }
	ship, receive := map[int]int64{}, map[int]int64{}
	for _, n := range []int{1, 5} {
		var lines []map[string]any
		for range n {
			p := a.stocked(a.homeFac, a.warehouse, 10)
			lines = append(lines, map[string]any{"productId": a.id(gid.KindProduct, int64(p.ID)), "quantity": 3})
		}
		var req struct {
			RequestTransfer struct {
				Transfer   struct{ ID, Status string }
				UserErrors []userError
			}
		}
		a.ok("manager", requestTransfer, map[string]any{"in": map[string]any{"fromLocationId": loc(a.warehouse),
			"toLocationId": loc(a.partnerShop), "lines": lines, "idempotencyKey": key()}}, &req)
		tr := req.RequestTransfer.Transfer
		if len(req.RequestTransfer.UserErrors) > 0 || tr.Status != "APPROVED" {
			t.Fatalf("request: %+v", req.RequestTransfer)
		}
		var out map[string]struct {
			Transfer   struct{ Status string }
			UserErrors []userError
		}
		ship[n] = a.statements("manager", shipTransfer, map[string]any{"in": map[string]any{"transferId": tr.ID,
			"carrier": "ヤマト運輸", "idempotencyKey": key()}}, &out)
		if st := out["shipTransfer"]; len(st.UserErrors) > 0 || st.Transfer.Status != "SHIPPED" {
			t.Fatalf("ship: %+v", st)
		}
		receive[n] = a.statements("otherClerk", receiveTransfer, map[string]any{"in": map[string]any{"transferId": tr.ID,
			"idempotencyKey": key()}}, &out)
		if rt := out["receiveTransfer"]; len(rt.UserErrors) > 0 || rt.Transfer.Status != "RECEIVED" {
			t.Fatalf("receive: %+v", rt)
		}
	}
	// the token; the step as one statement, refused: the destination has no level
	// of these products yet; the destination's missing levels; the step as one
	// statement again (key, transfer and lines, shipment, stock, movements, event);
	// the payload's lines and products.
	checkCounts(t, "shipTransfer", 6, ship)
	// the token; the receipt in one statement (key, transfer and lines, stock,
	// movements, event); the payload's lines and products.
	checkCounts(t, "receiveTransfer", 4, receive)
}

func TestRecordStocktakeStatementCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	counts := map[int]int64{}
	for _, n := range []int{1, 20} {
		// A location of its own per run, so that each stocktake counts only its products.
		l := &tsunagu.Location{MunicipalityID: a.home.ID, Kind: tsunagu.LocationWarehouse, Name: fmt.Sprintf("倉庫%d", n)}
		must(t, a.catalog.CreateLocation(a.adminCtx(), l))
		var lines []map[string]any
		for range n {
			p := a.stocked(a.homeFac, l, 10)
			lines = append(lines, map[string]any{"productId": a.id(gid.KindProduct, int64(p.ID)), "counted": 7})
		}
		var out struct {
			RecordStocktake struct {
				Stocktake struct {
					ChangedLines []any
				}
				UserErrors []userError
			}
		}
		counts[n] = a.statements("manager", recordStocktake, map[string]any{"in": map[string]any{
			"locationId": a.id(gid.KindLocation, int64(l.ID)), "lines": lines, "idempotencyKey": key()}}, &out)
		if st := out.RecordStocktake; len(st.UserErrors) > 0 || len(st.Stocktake.ChangedLines) != n {
			t.Fatalf("stocktake: %+v", st)
		}
	}
	// the token, the transaction (BEGIN to COMMIT, lines in arrays), the
	// payload's products: eleven, whatever the number of lines.
	checkCounts(t, "recordStocktake", 11, counts)
}

// The catalog page the shop's web page shows: products with their facility, its
// municipality and the stock at the shop.
func TestProductPageWithStockStatementCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for i := range 40 {
		if i%2 == 0 {
			a.stocked(a.homeFac, a.homeShop, 3)
		} else {
			a.product(a.homeFac, fmt.Sprintf("在庫のない品%d", i), tsunagu.StatusActive)
		}
	}
	q := `query($n: Int, $shop: ID!) { products(first: $n) { edges { node { name price
		facility { name municipality { name } } stock(locationId: $shop) { available } } } } }`
	counts := map[int]int64{}
	for _, n := range []int{1, 10, 40} {
		var out struct {
			Products struct {
				Edges []struct {
					Node struct{ Stock *struct{ Available int } }
				}
			}
		}
		counts[n] = a.statements("", q, map[string]any{"n": n, "shop": a.id(gid.KindLocation, int64(a.homeShop.ID))}, &out)
		stocked := 0
		for _, e := range out.Products.Edges {
			if e.Node.Stock != nil {
				stocked++
			}
		}
		if len(out.Products.Edges) != n || stocked != (n+1)/2 {
			t.Fatalf("%d products, %d with stock; want %d, %d", len(out.Products.Edges), stocked, n, (n+1)/2)
		}
	}
	// the page, with its facilities, municipalities and stock levels joined
	// (CatalogService.ProductPage): one statement.
	checkCounts(t, "product page with stock", 1, counts)
}
