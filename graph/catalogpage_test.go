package graph_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"tsunagu/graph"
	"tsunagu/graph/gid"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// catalogPair is the API twice on one database: as it serves (Query.products
// written by catalogpage.go) and through gqlgen's executor alone, the reference.
type catalogPair struct {
	*api
	gqlgen    *api
	locations map[string]string
}

// newCatalogPair makes a catalog with what each of the page's fields can hold:
// drafts (the manager's), products of two municipalities, translations with
// characters JSON escapes (and those it need not), codes, readings, allergens,
// pictures, stock at a shop and none.
func newCatalogPair(t testing.TB) *catalogPair {
	a := newAPI(t)
	ref := *a
	ref.handler = a.server(graph.Options{GQLGenCatalog: true})
	texts := []string{"「手作り」の\"クッキー\"", "tab\there\nline\\slash <b>&amp;</b> \u2028 😀", "ctrl\x01\x1f end", "plain"}
	for i := range 12 {
		status := tsunagu.StatusActive
		if i%5 == 3 {
			status = tsunagu.StatusDraft
		}
		f := a.homeFac
		if i%3 == 1 {
			f = a.partnerFac
		}
		p := a.product(f, fmt.Sprintf("品%02d %s", i, texts[i%len(texts)]), status, func(in *tsunagu.CreateProductInput) {
			if i%2 == 0 {
				in.Translations = append(in.Translations,
					tsunagu.TranslationInput{Locale: tsunagu.LocaleEN, Name: "Item " + texts[(i+1)%len(texts)], Description: texts[(i+2)%len(texts)]},
					tsunagu.TranslationInput{Locale: tsunagu.LocaleKO, Name: "상품", Description: ""})
				in.Translations[0].Description = texts[(i+3)%len(texts)]
				in.Allergens = []tsunagu.Allergen{tsunagu.AllergenWheat, tsunagu.AllergenMilk}
				in.ImageURLs = []string{"https://example.jp/a.jpg", "https://example.jp/b.jpg"}
				in.ImageAlts = []string{"クッキー", ""}
				in.NameReading = ptr("しな")
			}
			if i%4 == 0 {
				body := fmt.Sprintf("45%010d", i)
				in.Code = ptr(fmt.Sprintf("%s%d", body, tsunagu.JANCheckDigit(body)))
			}
			if i%4 == 2 {
				in.TaxClass = tsunagu.TaxStandard10
			}
		})
		if i%3 == 0 && status == tsunagu.StatusActive {
			_, err := a.stock.AdjustStock(a.ctxs["admin"], tsunagu.AdjustStockInput{LocationID: a.homeShop.ID,
				ProductID: p.ID, Quantity: i + 1, Reason: tsunagu.ReasonProduction, IdempotencyKey: key()})
			must(t, err)
		}
	}
	return &catalogPair{api: a, gqlgen: &ref, locations: map[string]string{
		"home":      a.id(gid.KindLocation, int64(a.homeShop.ID)),
		"partner":   a.id(gid.KindLocation, int64(a.partnerShop.ID)),
		"warehouse": a.id(gid.KindLocation, int64(a.warehouse.ID)),
	}}
}

// raw answers a request as a's server does, its status and bytes unparsed.
func raw(a *api, as, query string, vars map[string]any) string {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	rec := a.post(as, body)
	return fmt.Sprintf("%d %s", rec.Code, rec.Body.String())
}

// same fails t unless both servers answer the request with the same bytes; it
// returns the answer.
func (c *catalogPair) same(t testing.TB, as, query string, vars map[string]any) string {
	t.Helper()
	return c.sameOn(t, c.api, as, query, vars)
}

// sameOn is same with a's server in place of c's own.
func (c *catalogPair) sameOn(t testing.TB, a *api, as, query string, vars map[string]any) string {
	t.Helper()
	got, want := raw(a, as, query, vars), raw(c.gqlgen, as, query, vars)
	if got != want && unordered(got) != unordered(want) {
		t.Fatalf("as %q, %s with %v:\ncatalog page: %s\ngqlgen:       %s", as, query, vars, got, want)
	}
	return got
}

// unordered is an answer with its errors sorted: gqlgen resolves a list's elements
// concurrently and reports their errors in the order they happen; the rest of the
// answer must be the same bytes.
func unordered(answer string) string {
	status, body, _ := strings.Cut(answer, " ")
	var r struct {
		Errors []json.RawMessage `json:"errors"`
		Data   json.RawMessage   `json:"data"`
	}
	if json.Unmarshal([]byte(body), &r) != nil || len(r.Errors) < 2 {
		return answer
	}
	errs := make([]string, len(r.Errors))
	for i, e := range r.Errors {
		errs[i] = string(e)
	}
	slices.Sort(errs)
	return status + " " + strings.Join(errs, "\n") + "\n" + string(r.Data)
}

const everyProductField = `id name nameReading description translations { locale name description __typename }
	category code codeKind price taxClass taxRate allergens status imageUrls imageAlts createdAt updatedAt __typename
	facility { id name nameKana kind corporation registrationNumber isQualifiedInvoiceIssuer imageUrls createdAt updatedAt __typename
		municipality { id code name nameKana nameEn prefecture isHome __typename } }
	municipality { id code name nameKana nameEn prefecture isHome __typename }
	stock(locationId: $shop) { onHand reserved available version updatedAt __typename }`

// TestCatalogPageAsGQLGen: the catalog page's own writer answers every query shape
// with gqlgen's bytes, for every role (drafts and stock as each may see them), and
// leaves to gqlgen what it does not know (errors, fields it does not write, @defer).
func TestCatalogPageAsGQLGen(t *testing.T) {
	c := newCatalogPair(t)
	home := c.locations["home"]
	cases := []struct {
		name, query string
		vars        map[string]any
	}{
		{"every field", `query($shop: ID!) { products(first: 50) { edges { cursor node { ` + everyProductField + ` } }
			pageInfo { hasNextPage endCursor __typename } __typename } }`, map[string]any{"shop": home}},
		{"the bench's page", `query($first: Int, $after: String, $filter: ProductFilter, $shop: ID!) {
			products(first: $first, after: $after, filter: $filter) {
			edges { node { id name price taxRate facility { name municipality { name } } stock(locationId: $shop) { available } } }
			pageInfo { endCursor hasNextPage } } }`, map[string]any{"first": 5, "shop": home}},
		{"aliases and repeats", `query($shop: ID!) { p: products(first: 3) { e: edges { c: cursor n: node { i: id name n2: name
			s1: stock(locationId: $shop) { available } s2: stock(locationId: $shop) { onHand } id } node { price } }
			pageInfo { hasNextPage } } products(first: 2, locale: EN) { edges { node { name description } } } }`,
			map[string]any{"shop": home}},
		{"fragments", `query($shop: ID!) { products(first: 4) { ...conn } }
			fragment conn on ProductConnection { edges { node { ...prod ... on Node { id } ... on Product { price } ... { code } } } pageInfo { ...pi } }
			fragment prod on Product { name facility { ...fac } stock(locationId: $shop) { ... on StockLevel { available } } }
			fragment fac on Facility { name ... on Node { id } municipality { ... on Municipality { name } } }
			fragment pi on PageInfo { endCursor }`, map[string]any{"shop": home}},
		{"include and skip", `query($yes: Boolean!, $no: Boolean!, $shop: ID!) { products(first: 5) { edges {
			cursor @skip(if: $yes) node { id @include(if: $no) name @include(if: $yes) price @skip(if: $no)
			stock(locationId: $shop) @include(if: $yes) { available }
			facility @skip(if: $yes) { name } ... @include(if: $no) { code } ... @include(if: $yes) { taxRate } } } } }`,
			map[string]any{"yes": true, "no": false, "shop": home}},
		{"locales", `{ en: products(first: 6, locale: EN) { edges { node { name description } } }
			easy: products(first: 6, locale: JA_X_EASY) { edges { node { name } } }
			ko: products(first: 6, locale: KO) { edges { node { name translations { locale name } } } } }`, nil},
		{"filters and orders", `query($m: ID, $f: ID) { a: products(first: 3, filter: {municipalityId: $m}) { edges { node { id } } pageInfo { endCursor hasNextPage } }
			b: products(filter: {facilityId: $f, freeOf: [WHEAT], text: "品"}, orderBy: NAME) { edges { cursor node { name } } }
			c: products(first: 2, filter: {status: DRAFT}) { edges { node { id status } } }
			d: products(first: 0) { edges { cursor } pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"m": c.id(gid.KindMunicipality, int64(c.partner.ID)), "f": c.id(gid.KindFacility, int64(c.homeFac.ID))}},
		{"stock elsewhere", `query($a: ID!, $b: ID!) { products(first: 20) { edges { node { id
			a: stock(locationId: $a) { available onHand reserved } b: stock(locationId: $b) { available } } } } }`,
			map[string]any{"a": c.locations["partner"], "b": c.locations["warehouse"]}},
		{"a field it leaves to gqlgen", `query($shop: ID!) { products(first: 3) { edges { node { name
			stock(locationId: $shop) { available incoming reorderPoint } facility { story contact { phone } } } } } }`,
			map[string]any{"shop": home}},
		{"beside other root fields", `{ __typename products(first: 2) { edges { node { id } } } allergens { allergen } }`, nil},
		{"a bad cursor", `{ products(first: 2, after: "nope") { edges { node { id } } } }`, nil},
		{"a bad location", `{ products(first: 2) { edges { node { id stock(locationId: "nope") { available } } } } }`, nil},
		{"a location of another kind", `query($p: ID!) { products(first: 2) { edges { node { id stock(locationId: $p) { available } } } } }`,
			map[string]any{"p": c.id(gid.KindFacility, int64(c.homeFac.ID))}},
		{"a bad filter", `{ products(first: 2, filter: {municipalityId: "nope"}) { edges { node { id } } } }`, nil},
		{"too many", `{ products(first: 5000) { edges { node { id } } } }`, nil},
		{"negative", `{ products(first: -1) { edges { node { id } } } }`, nil},
		{"not valid", `{ products(first: 2) { edges { node { nope } } } }`, nil},
		{"deferred", `{ products(first: 2) { edges { node { id ... @defer { name } } } } }`, nil},
	}
	// The same server with the facilities and municipalities kept in memory
	// (postgres.References, on in cmd/tsunagu), which the page then reads apart.
	withRefs := postgres.NewCatalogService(c.db)
	withRefs.Refs = postgres.NewReferences()
	withRefs.Refs.Connected(true) // nothing changes them during the test
	refs := *c.api
	refs.handler = c.serverWith(withRefs, graph.Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, as := range roles {
				c.same(t, as, tc.query, tc.vars)
				c.sameOn(t, &refs, as, tc.query, tc.vars)
			}
		})
	}
	// The page itself must be written (the cases above pass trivially if every
	// answer were an error).
	if got := c.same(t, "manager", cases[0].query, cases[0].vars); strings.Contains(got, `"errors"`) ||
		!strings.Contains(got, `"status":"DRAFT"`) || !strings.Contains(got, `"available":`) {
		t.Fatalf("the manager's page: %s", got)
	}
}

// failingPages is a catalog whose pages fail with err (a statement timeout, say),
// counting how often they are asked for.
type failingPages struct {
	tsunagu.CatalogService
	err   error
	calls atomic.Int64
}

func (f *failingPages) ProductPage(context.Context, tsunagu.ProductFilter, tsunagu.PageArgs, tsunagu.ProductsWith) (*tsunagu.ProductPage, error) {
	f.calls.Add(1)
	return nil, f.err
}

// When the page's statement fails, the writer reports the error with gqlgen's
// bytes (message, code, path, location; the data null) and the statement runs
// once: left to gqlgen, it would run again only to fail again.
func TestCatalogPageErrorAsGQLGen(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for _, err := range []error{
		tsunagu.Errorf(tsunagu.CodeTimeout, "", "The database took too long to answer; try again, or ask for less."),
		errors.New("connection reset"), // an internal error: "Internal error." and the log
	} {
		mine, ref := &failingPages{CatalogService: a.catalog, err: err}, &failingPages{CatalogService: a.catalog, err: err}
		writer, gqlgen := *a, *a
		writer.handler = a.serverWith(mine, graph.Options{})
		gqlgen.handler = a.serverWith(ref, graph.Options{GQLGenCatalog: true})
		// Each request has its own ID.
		requestID := regexp.MustCompile(`"requestId":"[0-9a-f]+"`)
		q := `query($shop: ID!) { __typename x: products(first: 3) { edges { node { id name
			stock(locationId: $shop) { available } } } } }`
		vars := map[string]any{"shop": a.id(gid.KindLocation, int64(a.homeShop.ID))}
		for _, as := range roles {
			got := requestID.ReplaceAllString(raw(&writer, as, q, vars), `"requestId":""`)
			want := requestID.ReplaceAllString(raw(&gqlgen, as, q, vars), `"requestId":""`)
			if got != want || !strings.Contains(got, `"path":["x"]`) || !strings.Contains(got, `"data":null`) {
				t.Errorf("as %q, %v:\ncatalog page: %s\ngqlgen:       %s", as, err, got, want)
			}
		}
		if mine.calls.Load() != int64(len(roles)) || ref.calls.Load() != int64(len(roles)) {
			t.Errorf("%v: %d pages asked for by the writer's server, %d by gqlgen's; want %d each",
				err, mine.calls.Load(), ref.calls.Load(), len(roles))
		}
	}
}

// FuzzCatalogPage builds a selection of a catalog page from the bytes (fields,
// aliases, fragments, directives, nesting) and checks that both servers answer it
// with the same bytes.
func FuzzCatalogPage(f *testing.F) {
	c := newCatalogPair(f)
	for _, seed := range []string{"", "\x00\x01\x02\x03", "abcdefghijklmnop", "\xff\x10\x20\x30\x40\x50\x60\x70\x80\x90",
		"\x05\x07\x11\x13\x17\x1d\x1f\x25\x29\x2b\x2f\x35\x3b\x3d\x43"} {
		f.Add(seed, uint8(0))
	}
	f.Fuzz(func(t *testing.T, shape string, role uint8) {
		g := &selectionGen{b: []byte(shape)}
		query := `query($shop: ID!, $yes: Boolean!, $no: Boolean!) { products(first: ` + fmt.Sprint(g.next()%8) + `) ` +
			g.selection("ProductConnection", 0) + ` }`
		c.same(t, roles[int(role)%len(roles)], query, map[string]any{"shop": c.locations["home"], "yes": true, "no": false})
	})
}

// selectionGen draws a selection from bytes.
type selectionGen struct {
	b []byte
	i int
}

func (g *selectionGen) next() int {
	if g.i >= len(g.b) {
		return 0
	}
	g.i++
	return int(g.b[g.i-1])
}

// fuzzFields are the fields of each type the generator picks from, leaves and
// objects, those catalogpage.go writes and some it leaves to gqlgen.
var fuzzFields = map[string][][2]string{
	"ProductConnection": {{"edges", "ProductEdge"}, {"pageInfo", "PageInfo"}, {"__typename", ""}},
	"ProductEdge":       {{"node", "Product"}, {"cursor", ""}, {"__typename", ""}},
	"PageInfo":          {{"hasNextPage", ""}, {"endCursor", ""}, {"__typename", ""}},
	"Product": {{"id", ""}, {"name", ""}, {"price", ""}, {"facility", "Facility"}, {"municipality", "Municipality"},
		{"stock(locationId: $shop)", "StockLevel"}, {"translations", "Translation"}, {"nameReading", ""},
		{"description", ""}, {"category", ""}, {"code", ""}, {"codeKind", ""}, {"taxClass", ""}, {"taxRate", ""},
		{"allergens", ""}, {"status", ""}, {"imageUrls", ""}, {"imageAlts", ""}, {"createdAt", ""}, {"updatedAt", ""},
		{"__typename", ""}},
	"Facility": {{"id", ""}, {"name", ""}, {"municipality", "Municipality"}, {"kind", ""}, {"registrationNumber", ""},
		{"isQualifiedInvoiceIssuer", ""}, {"story", ""}, {"__typename", ""}},
	"Municipality": {{"id", ""}, {"name", ""}, {"code", ""}, {"isHome", ""}, {"prefecture", ""}, {"__typename", ""}},
	"StockLevel":   {{"available", ""}, {"onHand", ""}, {"reserved", ""}, {"version", ""}, {"incoming", ""}, {"__typename", ""}},
	"Translation":  {{"locale", ""}, {"name", ""}, {"description", ""}},
}

var fuzzAliases = []string{"a", "b", "id", "name"}

// selection writes { … } on typ: one to four fields, each maybe aliased, behind a
// directive, or in an inline fragment.
func (g *selectionGen) selection(typ string, depth int) string {
	var s strings.Builder
	s.WriteString("{ ")
	fields := fuzzFields[typ]
	n := 1 + g.next()%4
	for range n {
		fd := fields[g.next()%len(fields)]
		var field string
		switch x := g.next(); {
		case x%7 == 1:
			field = fuzzAliases[x/7%len(fuzzAliases)] + ": " + fd[0]
		default:
			field = fd[0]
		}
		if fd[1] != "" {
			if depth > 4 {
				continue
			}
			field += " " + g.selection(fd[1], depth+1)
		}
		switch x := g.next() % 9; x {
		case 1:
			field += " @include(if: $yes)"
		case 2:
			field += " @skip(if: $yes)"
		case 3:
			field = "... @include(if: $no) { " + field + " }"
		case 4:
			field = "... on " + typ + " { " + field + " }"
		}
		s.WriteString(field + " ")
	}
	s.WriteString("__typename }")
	return s.String()
}

// TestCatalogPageIsWrittenByHand: the shapes the catalog's clients ask for take the
// page's own writer, not gqlgen's fallback, which answers with the same bytes and so
// would pass every comparison above. The writer's whole point is its cost: a page of
// 12 products is written with under three quarters of gqlgen's allocations (1,461
// against 8,265 anonymous, 1,422 against 3,533 for the manager, who sees fewer of
// them; README's Benchmark for a full page), a count that does not depend on the
// machine's load. Served by gqlgen after the writer gave up, it would take more.
func TestCatalogPageIsWrittenByHand(t *testing.T) {
	c := newCatalogPair(t)
	vars := map[string]any{"shop": c.locations["home"]}
	for _, tc := range []struct{ name, as, query string }{
		{"every field, anonymous", "", `query($shop: ID!) { products(first: 50) { edges { cursor node { ` + everyProductField + ` } }
			pageInfo { hasNextPage endCursor } } }`},
		{"the bench's page, the manager", "manager", `query($shop: ID!) { products(first: 50) {
			edges { node { id name price taxRate facility { name municipality { name } } stock(locationId: $shop) { available } } }
			pageInfo { endCursor hasNextPage } } }`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{"query": tc.query, "variables": vars})
			allocs := func(a *api) float64 {
				return testing.AllocsPerRun(5, func() {
					if rec := a.post(tc.as, body); rec.Code != 200 || strings.Contains(rec.Body.String(), `"errors"`) {
						t.Fatalf("%d %s", rec.Code, rec.Body)
					}
				})
			}
			own, ref := allocs(c.api), allocs(c.gqlgen)
			t.Logf("allocations per page: %.0f written by hand, %.0f by gqlgen", own, ref)
			if own > ref*3/4 {
				t.Errorf("the page took %.0f allocations against gqlgen's %.0f: it was not written by hand", own, ref)
			}
		})
	}
}

// TestCatalogPageOverHTTP: pages written at once by many requests over a real
// connection are each gqlgen's bytes (their buffers are shared between requests,
// buffers.go, and must go back only once written), sent with their length rather
// than chunked.
func TestCatalogPageOverHTTP(t *testing.T) {
	c := newCatalogPair(t)
	srv := httptest.NewServer(c.handler)
	defer srv.Close()
	var bodies, want []string
	for i, q := range []string{
		`query($shop: ID!) { products(first: 50) { edges { cursor node { ` + everyProductField + ` } } } }`,
		`{ products(first: 3, locale: EN) { edges { node { id name description } } pageInfo { endCursor } } }`,
		`{ products(first: 7, orderBy: NAME) { edges { node { name price facility { name } } } } }`,
		`{ a: products(first: 1) { edges { cursor } } b: products(first: 9, locale: KO) { edges { node { name } } } }`,
	} {
		body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"shop": c.locations["home"]}})
		bodies = append(bodies, string(body))
		rec := c.gqlgen.post("", body)
		if rec.Code != 200 || strings.Contains(rec.Body.String(), `"errors"`) {
			t.Fatalf("query %d: %d %s", i, rec.Code, rec.Body)
		}
		want = append(want, rec.Body.String())
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 40 {
				q := (g + i) % len(bodies)
				resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(bodies[q]))
				if err != nil {
					t.Error(err)
					return
				}
				got, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || string(got) != want[q] {
					t.Errorf("query %d: %v\n got %s\nwant %s", q, err, got, want[q])
					return
				}
				if resp.ContentLength != int64(len(got)) || len(resp.TransferEncoding) > 0 {
					t.Errorf("query %d: Content-Length %d, Transfer-Encoding %v, for %d bytes",
						q, resp.ContentLength, resp.TransferEncoding, len(got))
					return
				}
			}
		})
	}
	wg.Wait()
}
