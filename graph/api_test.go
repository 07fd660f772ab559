package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/alexedwards/argon2id"

	"tsunagu/graph"
	"tsunagu/internal/pgtest"
	"tsunagu/internal/postgres"
	"tsunagu/internal/stripe"
	"tsunagu/internal/stripemock"
	"tsunagu/internal/tsunagu"
)

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	stripemock.Stop()
	os.Exit(code)
}

// api is a Tsunagu server on a fresh database, with a small network in it.
type api struct {
	t           testing.TB
	url         string
	db          *postgres.DB
	catalog     *postgres.CatalogService
	auth        *postgres.AuthService
	stock       *postgres.StockService
	transfers   *postgres.TransferService
	pos         *postgres.POSService
	orders      *postgres.OrderService
	settlements *postgres.SettlementService
	handler     http.Handler

	home, partner         *tsunagu.Municipality
	homeFac, partnerFac   *tsunagu.Facility
	homeShop, partnerShop *tsunagu.Location
	warehouse             *tsunagu.Location
	// Tokens of signed-in users, by name: admin, manager (of home), otherManager
	// (of partner), clerk (of the home shop), otherClerk (of the partner shop),
	// facility (staff of homeFac), otherFacility (of partnerFac); and contexts
	// acting as them, for setting up through the services.
	tokens map[string]string
	ctxs   map[string]context.Context
}

// Roles of the fixture users, as the keys of api.tokens, with "" for anonymous.
var roles = []string{"", "clerk", "otherClerk", "otherManager", "manager", "admin", "facility", "otherFacility"}

func newAPI(t testing.TB) *api {
	return newAPIWith(t, graph.Options{})
}

func newAPIWith(t testing.TB, o graph.Options) *api {
	t.Helper()
	ctx := context.Background()
	url := pgtest.NewURL(t)
	db, err := postgres.Open(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := &api{t: t, url: url, db: db, catalog: postgres.NewCatalogService(db), auth: postgres.NewAuthService(db),
		stock: postgres.NewStockService(db), transfers: postgres.NewTransferService(db), pos: postgres.NewPOSService(db),
		orders:      postgres.NewOrderService(db, stripe.New("sk_test_tsunagu", stripemock.URL(t))),
		settlements: postgres.NewSettlementService(db),
		tokens:      map[string]string{}, ctxs: map[string]context.Context{}}
	a.pos.Payments = stripe.New("sk_test_tsunagu", stripemock.URL(t))
	// Cheap hashes: the tests sign in many times.
	a.auth.PasswordParams = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	a.handler = a.server(o)
	a.seed()
	return a
}

// server returns a handler of the API on a's database with options o: another API
// process, as far as the database can tell.
func (a *api) server(o graph.Options) http.Handler { return a.serverOf(a.catalog, a.auth, o) }

// serverWith is server with catalog in place of a's catalog service.
func (a *api) serverWith(catalog tsunagu.CatalogService, o graph.Options) http.Handler {
	return a.serverOf(catalog, a.auth, o)
}

// serverAuth is server with auth in place of a's accounts (another token cache).
func (a *api) serverAuth(auth *postgres.AuthService, o graph.Options) http.Handler {
	return a.serverOf(a.catalog, auth, o)
}

func (a *api) serverOf(catalog tsunagu.CatalogService, auth *postgres.AuthService, o graph.Options) http.Handler {
	return graph.NewServer(&graph.Resolver{Catalog: catalog, Auth: auth,
		Stock: a.stock, Transfers: a.transfers, POS: a.pos, Orders: a.orders,
		Audit: postgres.NewAuditService(a.db), Settlements: a.settlements,
		Watch: postgres.NewWatchService(a.db), Images: postgres.NewImageService(a.db)}, o)
}

func (a *api) adminCtx() context.Context {
	return tsunagu.WithUser(context.Background(), &tsunagu.User{Role: tsunagu.RoleAdmin}, "")
}

func (a *api) seed() {
	t, ctx := a.t, a.adminCtx()
	t.Helper()
	a.home = &tsunagu.Municipality{Code: "131032", Name: "港区", NameEn: "Minato", Prefecture: "東京都", IsHome: true}
	a.partner = &tsunagu.Municipality{Code: "012041", Name: "旭川市", NameEn: "Asahikawa", Prefecture: "北海道"}
	for _, m := range []*tsunagu.Municipality{a.home, a.partner} {
		must(t, a.catalog.CreateMunicipality(ctx, m))
	}
	a.partnership(a.home.ID, a.partner.ID)
	var err error
	a.homeFac, err = a.catalog.CreateFacility(ctx, tsunagu.CreateFacilityInput{
		MunicipalityID: a.home.ID, Name: "ワークショップ虹", Kind: tsunagu.FacilityEmploymentB,
		Corporation: "社会福祉法人にじ", RegistrationNumber: ptr("T7000012050002")})
	must(t, err)
	a.partnerFac, err = a.catalog.CreateFacility(ctx, tsunagu.CreateFacilityInput{
		MunicipalityID: a.partner.ID, Name: "ひまわり工房", Kind: tsunagu.FacilityEmploymentA,
		Corporation: "株式会社ひまわり"})
	must(t, err)
	a.homeShop = &tsunagu.Location{MunicipalityID: a.home.ID, Kind: tsunagu.LocationShop, Name: "港区役所 福祉ショップ"}
	must(t, a.catalog.CreateLocation(ctx, a.homeShop))
	a.partnerShop = &tsunagu.Location{MunicipalityID: a.partner.ID, Kind: tsunagu.LocationShop, Name: "旭川市役所 ふくしの店"}
	must(t, a.catalog.CreateLocation(ctx, a.partnerShop))
	a.warehouse = &tsunagu.Location{MunicipalityID: a.home.ID, Kind: tsunagu.LocationWarehouse, Name: "芝浦倉庫"}
	must(t, a.catalog.CreateLocation(ctx, a.warehouse))

	users := map[string]postgres.NewUserInput{
		"admin":         {Role: tsunagu.RoleAdmin},
		"manager":       {Role: tsunagu.RoleManager, MunicipalityID: &a.home.ID},
		"otherManager":  {Role: tsunagu.RoleManager, MunicipalityID: &a.partner.ID},
		"clerk":         {Role: tsunagu.RoleClerk, ShopID: &a.homeShop.ID},
		"otherClerk":    {Role: tsunagu.RoleClerk, ShopID: &a.partnerShop.ID},
		"facility":      {Role: tsunagu.RoleFacility, FacilityID: &a.homeFac.ID},
		"otherFacility": {Role: tsunagu.RoleFacility, FacilityID: &a.partnerFac.ID},
	}
	for name, in := range users {
		in.Email, in.Password, in.Name = name+"@example.jp", "password-"+name, name
		_, err := a.auth.CreateUser(ctx, in)
		must(t, err)
		s, err := a.auth.Login(ctx, tsunagu.LoginInput{Email: in.Email, Password: in.Password})
		must(t, err)
		a.tokens[name] = s.Token
		a.ctxs[name] = tsunagu.WithUser(context.Background(), s.User, s.Token)
	}
}

// partnership makes municipalities x and y partners from today on, as an admin.
func (a *api) partnership(x, y tsunagu.MunicipalityID) *tsunagu.Partnership {
	a.t.Helper()
	p, err := a.catalog.CreatePartnership(a.adminCtx(), tsunagu.CreatePartnershipInput{MunicipalityA: x, MunicipalityB: y})
	must(a.t, err)
	return p
}

// product creates a product of facility f as an admin.
func (a *api) product(f *tsunagu.Facility, nameJa string, status tsunagu.ProductStatus, mods ...func(*tsunagu.CreateProductInput)) *tsunagu.Product {
	a.t.Helper()
	in := tsunagu.CreateProductInput{
		FacilityID:   f.ID,
		Translations: []tsunagu.TranslationInput{{Locale: tsunagu.LocaleJA, Name: nameJa}},
		Category:     tsunagu.CategorySweets, Price: 350, TaxClass: tsunagu.TaxReduced8, Status: &status,
	}
	for _, m := range mods {
		m(&in)
	}
	p, err := a.catalog.CreateProduct(a.adminCtx(), in)
	must(a.t, err)
	return p
}

// response is a GraphQL response.
type response struct {
	Status int
	Header http.Header
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// code returns the extensions.code of the first error, or "" without errors.
func (r *response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// do runs a GraphQL operation as the user named as (see roles).
func (a *api) do(as, query string, vars map[string]any) *response {
	return a.doCtx(context.Background(), as, query, vars)
}

func (a *api) doCtx(ctx context.Context, as, query string, vars map[string]any) *response {
	a.t.Helper()
	auth := ""
	if as != "" {
		tok, ok := a.tokens[as]
		if !ok {
			tok = as // a raw token
		}
		auth = "Bearer " + tok
	}
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return a.send(ctx, auth, "application/json", body)
}

// doRaw sends a query with the Authorization header as given.
func (a *api) doRaw(authorization, query string) *response {
	a.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	return a.send(context.Background(), authorization, "application/json", body)
}

func (a *api) send(ctx context.Context, authorization, contentType string, body []byte) *response {
	a.t.Helper()
	req := httptest.NewRequestWithContext(ctx, "POST", "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	var r response
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		a.t.Fatalf("response is not JSON (%d): %s", rec.Code, rec.Body.String())
	}
	r.Status, r.Header = rec.Code, rec.Header()
	return &r
}

// ok runs an operation that must succeed and decodes its data into out.
func (a *api) ok(as, query string, vars map[string]any, out any) {
	a.t.Helper()
	r := a.do(as, query, vars)
	if len(r.Errors) > 0 {
		a.t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			a.t.Fatalf("decode %s: %v", r.Data, err)
		}
	}
}

type userError struct {
	Code    string  `json:"code"`
	Field   *string `json:"field"`
	Message string  `json:"message"`
}

// mutate runs a mutation whose payload is at data[name] and returns its userErrors;
// a GraphQL error is returned as its code in the second result.
func (a *api) mutate(as, name, query string, vars map[string]any) ([]userError, string) {
	a.t.Helper()
	r := a.do(as, query, vars)
	if len(r.Errors) > 0 {
		return nil, r.code()
	}
	var data map[string]struct {
		UserErrors []userError `json:"userErrors"`
	}
	if err := json.Unmarshal(r.Data, &data); err != nil {
		a.t.Fatal(err)
	}
	return data[name].UserErrors, ""
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }

func codes(errs []userError) string {
	var s []string
	for _, e := range errs {
		f := ""
		if e.Field != nil {
			f = *e.Field
		}
		s = append(s, e.Code+"@"+f)
	}
	return strings.Join(s, ",")
}
