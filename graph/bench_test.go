package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"

	"tsunagu/graph/gid"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// BenchmarkCatalogPage measures one uncached anonymous catalog page of 50 products
// with their facility, its municipality, the product's municipality and the stock at
// a shop, as the storefront asks for it: GraphQL execution and the four statements,
// in process (no network). The catalog cache is off, as in newAPI. It reports the
// bytes and allocations per page (issue 16 records them before and after a change).
func BenchmarkCatalogPage(b *testing.B) { benchmarkCatalogPage(b, "") }

// BenchmarkCatalogPageSignedIn is the same page for a manager (of the home
// municipality, whose drafts it also sees), as the console asks for it: the token's
// statement more, and never cached.
func BenchmarkCatalogPageSignedIn(b *testing.B) { benchmarkCatalogPage(b, "manager") }

func benchmarkCatalogPage(b *testing.B, as string) {
	a := newAPI(b)
	for i := range 50 {
		if i%2 == 0 {
			a.stocked(a.homeFac, a.homeShop, 3)
		} else {
			a.product(a.partnerFac, fmt.Sprintf("品%02d", i), tsunagu.StatusActive)
		}
	}
	// The facilities and municipalities in memory, as cmd/tsunagu keeps them.
	a.catalog.Refs = postgres.NewReferences()
	a.catalog.Refs.Connected(true)
	q := `query($n: Int, $shop: ID!) { products(first: $n) { edges { cursor node { id name price taxRate allergens
		facility { name municipality { name } } municipality { code name } stock(locationId: $shop) { available } } }
		pageInfo { hasNextPage endCursor } } }`
	body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"n": 50,
		"shop": a.id(gid.KindLocation, int64(a.homeShop.ID))}})
	run := func() *httptest.ResponseRecorder { return a.post(as, body) }
	if rec := run(); rec.Code != 200 || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
		b.Fatalf("%d: %s", rec.Code, rec.Body.String())
	}
	b.ReportAllocs()
	for b.Loop() {
		run()
	}
}

// post answers a GraphQL request's body as a's server does, for the user named as.
func (a *api) post(as string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+a.tokens[as])
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	return rec
}

// BenchmarkCreateSaleAPI measures one 3-line cash sale by a clerk through the
// handler, the token's statement included, in process (no network): the API's own
// share of issue 16's POS case.
func BenchmarkCreateSaleAPI(b *testing.B) {
	b.Run("tokens=db", func(b *testing.B) { benchmarkCreateSaleAPI(b, false) })
	b.Run("tokens=cached", func(b *testing.B) { benchmarkCreateSaleAPI(b, true) })
}

func benchmarkCreateSaleAPI(b *testing.B, cacheTokens bool) {
	a := newAPI(b)
	if cacheTokens {
		a.cacheTokens(b)
	}
	s := a.session()
	var lines []map[string]any
	var total int64
	for range 3 {
		p := a.stocked(a.homeFac, a.homeShop, tsunagu.MaxLineQuantity)
		lines = append(lines, map[string]any{"productId": a.id(gid.KindProduct, int64(p.ID)), "quantity": 1})
		total += p.Price
	}
	q := `mutation($in: CreateSaleInput!) { createSale(input: $in) { sale { id receiptNumber total } userErrors { code message } } }`
	run := func() *httptest.ResponseRecorder {
		body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"in": map[string]any{
			"sessionId": a.id(gid.KindSession, int64(s.ID)), "lines": lines, "idempotencyKey": key(),
			"payments": []map[string]any{{"method": "CASH", "amount": total, "tendered": total}}}}})
		return a.post("clerk", body)
	}
	if rec := run(); rec.Code != 200 || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) ||
		bytes.Contains(rec.Body.Bytes(), []byte(`"code"`)) {
		b.Fatalf("%d: %s", rec.Code, rec.Body.String())
	}
	b.ReportAllocs()
	for b.Loop() {
		run()
	}
}
