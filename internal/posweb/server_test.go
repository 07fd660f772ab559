package posweb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"tsunagu/graph"
	"tsunagu/internal/pgtest"
	"tsunagu/internal/postgres"
	"tsunagu/internal/posweb"
	"tsunagu/internal/stripe"
	"tsunagu/internal/stripemock"
	"tsunagu/internal/tsunagu"
	"tsunagu/internal/webtest"
)

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	stripemock.Stop()
	os.Exit(code)
}

// webhookSecret signs the Stripe events the tests post to POST /webhooks/stripe.
const webhookSecret = "whsec_tsunagu_posweb_test"

// shop is the city-hall shop of the tests: a clerk, a register, and two goods in
// stock, one made by a registered invoice issuer (cookies, 8%) and one not
// (spoons, 10%).
type shop struct {
	url      string
	handler  http.Handler
	email    string
	password string
	// dropSales, while set, makes the network lose the answer to every createSale:
	// the server commits the sale, the browser gets a dropped connection.
	dropSales atomic.Bool
	// dropOrders does the same to every action on an online order.
	dropOrders atomic.Bool
	dropped    atomic.Int32
	// unknown, while above zero, makes the next createSale answers (each counts it
	// down) say that their outcome is unknown, as the API does when COMMIT's
	// connection breaks: the server commits the sale, the browser gets UNAVAILABLE
	// with HTTP 200 (as before the API answered 503) or TIMEOUT with 503, in turn.
	unknown atomic.Int32

	// What the tests look at behind the API.
	hub *graph.Hub
	db  *postgres.DB
	// hold holds a subscription to the shop's orders before it watches the hub
	// (live, the hub as its listener's sink, says when an announcement has passed).
	hold     webtest.SubscriptionHold
	live     *webtest.Hub
	orders   *postgres.OrderService
	loc      *tsunagu.Location
	products map[string]*tsunagu.Product // by code
	events   atomic.Int32
}

// otherClerkEmail signs in the shop's second clerk, with the first one's password.
const otherClerkEmail = "clerk2@minato.example"

const (
	cookieCode = "4901234567894"
	spoonCode  = "4512345678906"
	jamCode    = "4501234567018" // only one jar in stock
)

func newShop(t *testing.T) *shop {
	t.Helper()
	ctx := context.Background()
	url := pgtest.NewURL(t)
	db, err := postgres.Open(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	catalog, auth := postgres.NewCatalogService(db), postgres.NewAuthService(db)
	auth.PasswordParams = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	stock, posSvc := postgres.NewStockService(db), postgres.NewPOSService(db)
	admin := tsunagu.WithUser(ctx, &tsunagu.User{Role: tsunagu.RoleAdmin}, "")

	home := &tsunagu.Municipality{Code: "131032", Name: "港区", NameEn: "Minato", Prefecture: "東京都", IsHome: true}
	must(t, catalog.CreateMunicipality(admin, home))
	fac, err := catalog.CreateFacility(admin, tsunagu.CreateFacilityInput{MunicipalityID: home.ID, Name: "ワークショップ虹",
		Kind: tsunagu.FacilityEmploymentB, Corporation: "社会福祉法人にじ", RegistrationNumber: ptr("T7000012050002")})
	must(t, err)
	other, err := catalog.CreateFacility(admin, tsunagu.CreateFacilityInput{MunicipalityID: home.ID, Name: "ひまわり工房",
		Kind: tsunagu.FacilityEmploymentA, Corporation: "株式会社ひまわり"})
	must(t, err)
	loc := &tsunagu.Location{MunicipalityID: home.ID, Kind: tsunagu.LocationShop, Name: "港区役所 福祉ショップ", NameReading: ptr("みなとくやくしょ ふくししょっぷ")}
	must(t, catalog.CreateLocation(admin, loc))

	s := &shop{email: "clerk@minato.example", password: "clerk-password-1", db: db, loc: loc, products: map[string]*tsunagu.Product{}}
	// The server listens before the goods exist, so that their pictures can be
	// served from its own origin, as the app's Content-Security-Policy allows.
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	s.url = "http://" + srv.Listener.Addr().String()
	manager, err := auth.CreateUser(admin, postgres.NewUserInput{Email: "manager@minato.example", Name: "港 花子",
		Password: "manager-password-1", Role: tsunagu.RoleManager, MunicipalityID: &home.ID})
	must(t, err)
	_, err = auth.CreateUser(admin, postgres.NewUserInput{Email: s.email, Name: "佐藤 一郎", NameReading: ptr("さとう いちろう"), Password: s.password,
		Role: tsunagu.RoleClerk, ShopID: &loc.ID})
	must(t, err)
	// A second clerk of the shop, who takes over the counter.
	_, err = auth.CreateUser(admin, postgres.NewUserInput{Email: otherClerkEmail, Name: "鈴木 花", Password: s.password,
		Role: tsunagu.RoleClerk, ShopID: &loc.ID})
	must(t, err)
	mctx := tsunagu.WithUser(ctx, manager, "")

	active := tsunagu.StatusActive
	for _, p := range []tsunagu.CreateProductInput{
		{FacilityID: fac.ID, Translations: []tsunagu.TranslationInput{{Locale: tsunagu.LocaleJA, Name: "クッキー"},
			{Locale: tsunagu.LocaleJAEasy, Name: "クッキー（おかし）"}, {Locale: tsunagu.LocaleEN, Name: "Cookies"}},
			Category: tsunagu.CategorySweets, Price: 350, TaxClass: tsunagu.TaxReduced8, Code: ptr(cookieCode), Status: &active,
			ImageURLs: []string{s.url + "/img/cookie.svg"}},
		{FacilityID: other.ID, Translations: []tsunagu.TranslationInput{{Locale: tsunagu.LocaleJA, Name: "木のスプーン"},
			{Locale: tsunagu.LocaleEN, Name: "Wooden spoon"}}, NameReading: ptr("きのすぷーん"),
			Category: tsunagu.CategoryCraft, Price: 1200, TaxClass: tsunagu.TaxStandard10, Code: ptr(spoonCode), Status: &active,
			ImageURLs: []string{s.url + "/img/spoon.svg"}},
		{FacilityID: fac.ID, Translations: []tsunagu.TranslationInput{{Locale: tsunagu.LocaleJA, Name: "いちごジャム"},
			{Locale: tsunagu.LocaleEN, Name: "Strawberry jam"}},
			Category: tsunagu.CategoryFood, Price: 600, TaxClass: tsunagu.TaxReduced8, Code: ptr(jamCode), Status: &active},
	} {
		prod, err := catalog.CreateProduct(admin, p)
		must(t, err)
		s.products[*p.Code] = prod
		n := 20
		if *p.Code == jamCode {
			n = 1
		}
		_, err = stock.AdjustStock(mctx, tsunagu.AdjustStockInput{LocationID: loc.ID, ProductID: prod.ID, Quantity: n,
			Reason: tsunagu.ReasonProduction, IdempotencyKey: "seed-" + *p.Code})
		must(t, err)
	}
	_, err = posSvc.UpdateShop(mctx, tsunagu.UpdateShopInput{ShopID: loc.ID, OperatorName: ptr("港区"), RegistrationNumber: ptr("T8000020131032")})
	must(t, err)
	_, err = posSvc.CreateRegister(mctx, tsunagu.CreateRegisterInput{ShopID: loc.ID, Name: "レジ1"})
	must(t, err)

	// Online orders are paid through stripe-mock, which keeps no state: the payment
	// arrives as a signed event at the webhook, as Stripe would send it.
	s.orders = postgres.NewOrderService(db, stripe.New("sk_test_tsunagu", stripemock.URL(t)))
	// Live updates, as a process of the API has them: its listener feeds its hub.
	hub := graph.NewHub()
	lctx, stopListening := context.WithCancel(context.Background())
	t.Cleanup(stopListening)
	s.live = &webtest.Hub{Hub: hub}
	must(t, postgres.Listen(lctx, url, nil, postgres.EventsReceiver(s.live)))
	s.hub = hub
	api := graph.NewServer(&graph.Resolver{Catalog: catalog, Auth: auth, Stock: stock,
		Transfers: postgres.NewTransferService(db), POS: posSvc, Orders: s.orders, Settlements: postgres.NewSettlementService(db),
		Watch: holdingWatcher{postgres.NewWatchService(db), s}},
		graph.Options{POS: posweb.Handler("/pos"), Realtime: graph.Realtime{Hub: hub}})
	mux := http.NewServeMux()
	mux.Handle("/", s.flaky(api))
	mux.Handle("POST /webhooks/stripe", &stripe.WebhookHandler{Secret: webhookSecret, Orders: s.orders,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	mux.HandleFunc("GET /img/{name}", func(w http.ResponseWriter, r *http.Request) {
		svg, ok := pictures[r.PathValue("name")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		io.WriteString(w, svg)
	})
	s.handler = mux
	srv.Start()
	return s
}

// paidPickupOrder is a guest's online order for pickup at the shop, checked out and
// then paid: Stripe's payment_intent.succeeded event, signed, posted to the server's
// webhook. items are pairs of product code and quantity.
func (s *shop) paidPickupOrder(t *testing.T, name string, items ...any) *tsunagu.Order {
	t.Helper()
	var lines []tsunagu.CheckoutLineInput
	for i := 0; i < len(items); i += 2 {
		lines = append(lines, tsunagu.CheckoutLineInput{ShopID: s.loc.ID, ProductID: s.products[items[i].(string)].ID, Quantity: items[i+1].(int)})
	}
	co, err := s.orders.Checkout(context.Background(), tsunagu.CheckoutInput{
		Contact: tsunagu.OrderContact{Email: "shopper@example.jp", Name: name, Phone: "03-1234-5678"},
		Lines:   lines, Fulfilment: tsunagu.FulfilPickup, IdempotencyKey: fmt.Sprintf("checkout-%s-%d", name, s.events.Add(1))})
	must(t, err)
	o := co.Order
	body, sig := stripemock.Event(fmt.Sprintf("evt_posweb_%d", s.events.Add(1)), tsunagu.StripePaymentSucceeded,
		stripemock.PaymentIntent(*o.PaymentIntentID, o.Total, "jpy", int64(o.ID), "succeeded"), webhookSecret, time.Now())
	req, _ := http.NewRequest(http.MethodPost, s.url+"/webhooks/stripe", bytes.NewReader(body))
	req.Header.Set("Stripe-Signature", sig)
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the webhook answered %d to the payment", res.StatusCode)
	}
	if o = s.order(t, o.ID); o.Status != tsunagu.OrderPaid {
		t.Fatalf("order %d is %s after its payment, want PAID", o.ID, o.Status)
	}
	return o
}

// order reads an order through the service, as the network's admin.
func (s *shop) order(t *testing.T, id tsunagu.OrderID) *tsunagu.Order {
	t.Helper()
	admin := tsunagu.WithUser(context.Background(), &tsunagu.User{Role: tsunagu.RoleAdmin}, "")
	os, err := s.orders.OrdersByID(admin, []tsunagu.OrderID{id})
	must(t, err)
	if os[id] == nil {
		t.Fatalf("order %d not found", id)
	}
	return os[id]
}

// gql sends a GraphQL request as the clerk, from outside the browser (another
// terminal), and decodes its data into out.
func (s *shop) gql(t *testing.T, query string, vars map[string]any, out any) {
	t.Helper()
	call := func(token, query string, vars map[string]any, out any) {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req, _ := http.NewRequest(http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		must(t, err)
		defer res.Body.Close()
		var r struct {
			Data   json.RawMessage
			Errors []struct{ Message string }
		}
		must(t, json.NewDecoder(res.Body).Decode(&r))
		if len(r.Errors) > 0 {
			t.Fatalf("%s: %v", query, r.Errors)
		}
		must(t, json.Unmarshal(r.Data, out))
	}
	var login struct{ Login struct{ Token string } }
	call("", `mutation($in: LoginInput!) { login(input: $in) { token } }`,
		map[string]any{"in": map[string]any{"email": s.email, "password": s.password}}, &login)
	call(login.Login.Token, query, vars, out)
}

// holdingWatcher is the shop's Watcher, which holds a subscription to its
// orders, once allowed, as s.hold asks.
type holdingWatcher struct {
	tsunagu.Watcher
	s *shop
}

func (w holdingWatcher) WatchShopOrders(ctx context.Context, shop tsunagu.LocationID) error {
	err := w.Watcher.WatchShopOrders(ctx, shop)
	if err == nil {
		w.s.hold.Here(ctx)
	}
	return err
}

// pictures are the goods' pictures.
var pictures = map[string]string{
	"cookie.svg": `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" fill="#f6e7c8"/>` +
		`<circle cx="48" cy="48" r="34" fill="#c98b3c"/><circle cx="36" cy="38" r="5" fill="#5a3412"/>` +
		`<circle cx="58" cy="34" r="4" fill="#5a3412"/><circle cx="54" cy="58" r="5" fill="#5a3412"/><circle cx="34" cy="60" r="3" fill="#5a3412"/></svg>`,
	"spoon.svg": `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" fill="#e4efe4"/>` +
		`<ellipse cx="48" cy="28" rx="14" ry="18" fill="#a86f3a"/><rect x="44" y="42" width="8" height="44" rx="4" fill="#a86f3a"/></svg>`,
}

// flaky passes requests through, except that while dropSales (dropOrders) is set it
// lets each createSale (markOrderReady, completeOrder) run and then drops the
// connection before the answer.
func (s *shop) flaky(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.dropSales.Load() && !s.dropOrders.Load() && s.unknown.Load() <= 0 || r.URL.Path != "/graphql" {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if strings.Contains(string(body), "createSale") && s.unknown.Load() > 0 {
			next.ServeHTTP(httptest.NewRecorder(), r)
			status, code := http.StatusOK, "UNAVAILABLE"
			if s.unknown.Add(-1)%2 == 1 {
				status, code = http.StatusServiceUnavailable, "TIMEOUT"
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"errors":[{"message":"outcome unknown","path":["createSale"],"extensions":{"code":%q}}],"data":null}`, code)
			return
		}
		if !(s.dropSales.Load() && strings.Contains(string(body), "createSale") ||
			s.dropOrders.Load() && strings.Contains(string(body), "OrderActionInput")) {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(httptest.NewRecorder(), r)
		s.dropped.Add(1)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
}

// TestServesTheApp checks the app's files and the headers that guard them,
// without a browser.
func TestServesTheApp(t *testing.T) {
	srv := httptest.NewServer(graph.NewServer(&graph.Resolver{}, graph.Options{POS: posweb.Handler("/pos")}))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(srv.URL + "/pos")
	must(t, err)
	res.Body.Close()
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/pos/" {
		t.Errorf("GET /pos: %d to %q, want a redirect to /pos/", res.StatusCode, res.Header.Get("Location"))
	}
	for path, want := range map[string]string{"/pos/": "<main", "/pos/app.js": "import", "/pos/style.css": "@media print"} {
		res, err := http.Get(srv.URL + path)
		must(t, err)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
			t.Errorf("GET %s: %d, body lacks %q", path, res.StatusCode, want)
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "connect-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q", path, csp)
		}
	}
	res, err = http.Get(srv.URL + "/pos/nothing.js")
	must(t, err)
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /pos/nothing.js: %d, want 404", res.StatusCode)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }
