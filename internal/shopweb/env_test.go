package shopweb_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/alexedwards/argon2id"
	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/graph"
	"tsunagu/internal/mail"
	"tsunagu/internal/pgtest"
	"tsunagu/internal/postgres"
	"tsunagu/internal/shopweb"
	"tsunagu/internal/stripe"
	"tsunagu/internal/stripemock"
	"tsunagu/internal/tsunagu"
	"tsunagu/internal/webtest"
)

// webhookSecret signs the Stripe events the tests post to POST /webhooks/stripe.
const webhookSecret = "whsec_tsunagu_shopweb_test"

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	stripemock.Stop()
	os.Exit(code)
}

// env is the server as cmd/tsunagu wires it (the API, and the shop's pages calling
// it in process) on a real database, with the services behind it for the tests
// to set things up and look at.
type env struct {
	url     string
	api     http.Handler // the API the pages call
	db      *postgres.DB
	auth    *postgres.AuthService
	catalog *postgres.CatalogService
	orders  *postgres.OrderService
	admin   context.Context
	staff   context.Context // the admin as a user of the database
	home    *tsunagu.Municipality
	shop    *tsunagu.Location
	manager *tsunagu.User
	// hold holds a subscription to an order before it watches the hub (live, the
	// hub as its listener's sink, says when an announcement has passed).
	hold webtest.SubscriptionHold
	live *webtest.Hub
}

// envOption changes how newEnv sets up the API, given its database's URL.
type envOption func(t *testing.T, url string, o *graph.Options)

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	ctx := context.Background()
	url := pgtest.NewURL(t)
	db, err := postgres.Open(ctx, url, nil)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	e := &env{db: db, catalog: postgres.NewCatalogService(db), auth: postgres.NewAuthService(db),
		admin: tsunagu.WithUser(ctx, &tsunagu.User{Role: tsunagu.RoleAdmin}, "")}
	e.auth.PasswordParams = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	e.home = &tsunagu.Municipality{Code: "131032", Name: "港区", NameEn: "Minato", Prefecture: "東京都", IsHome: true}
	must(t, e.catalog.CreateMunicipality(e.admin, e.home))
	e.shop = &tsunagu.Location{MunicipalityID: e.home.ID, Kind: tsunagu.LocationShop, Name: "港区役所 福祉ショップ"}
	must(t, e.catalog.CreateLocation(e.admin, e.shop))
	// An admin who is a user of the database, for what records its actor (stock).
	admin, err := e.auth.CreateUser(e.admin, postgres.NewUserInput{Email: "admin@minato.example", Name: "管理者",
		Password: "admin-password-1", Role: tsunagu.RoleAdmin})
	must(t, err)
	e.staff = tsunagu.WithUser(ctx, admin, "")
	e.manager, err = e.auth.CreateUser(e.admin, postgres.NewUserInput{Email: "manager@minato.example", Name: "港 花子",
		Password: "manager-password-1", Role: tsunagu.RoleManager, MunicipalityID: &e.home.ID})
	must(t, err)

	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	// Payments through stripe-mock, which keeps no state: a payment arrives as
	// Stripe's signed event at the webhook (env.paid). Live updates as a process of
	// the API has them: its listener feeds its hub.
	e.orders = postgres.NewOrderService(db, stripe.New("sk_test_tsunagu", stripemock.URL(t)))
	hub := graph.NewHub()
	lctx, stopListening := context.WithCancel(context.Background())
	t.Cleanup(stopListening)
	e.live = &webtest.Hub{Hub: hub}
	must(t, postgres.Listen(lctx, url, nil, postgres.EventsReceiver(e.live)))
	o := graph.Options{Log: quiet, Realtime: graph.Realtime{Hub: hub}}
	for _, opt := range opts {
		opt(t, url, &o)
	}
	api := graph.NewServer(&graph.Resolver{Catalog: e.catalog, Auth: e.auth, Stock: postgres.NewStockService(db),
		Transfers: postgres.NewTransferService(db), POS: postgres.NewPOSService(db), Orders: holdingOrders{e.orders, e},
		Settlements: postgres.NewSettlementService(db), Watch: postgres.NewWatchService(db)}, o)
	e.api = api
	mux := http.NewServeMux()
	mux.Handle("/", api)
	mux.Handle("POST /webhooks/stripe", &stripe.WebhookHandler{Secret: webhookSecret, Orders: e.orders, Log: quiet})
	mux.HandleFunc("GET /img/{name}", func(w http.ResponseWriter, r *http.Request) {
		svg, ok := pictures[r.PathValue("name")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		io.WriteString(w, svg)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e.url = srv.URL
	// The shop's public address is the test server's, known once it listens; no
	// request reaches the pages before they are mounted.
	shop := shopweb.Handler(shopweb.Options{API: api, StripePublishableKey: "pk_test_tsunagu", PublicURL: srv.URL,
		Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))})
	for _, p := range shopweb.Paths {
		mux.Handle(p, shop)
	}
	return e
}

// holdingOrders is the API's OrderService, which holds a subscription to an
// order, once its token opened it, as e.hold asks.
type holdingOrders struct {
	tsunagu.OrderService
	e *env
}

func (o holdingOrders) OrderByToken(ctx context.Context, token string) (*tsunagu.Order, error) {
	order, err := o.OrderService.OrderByToken(ctx, token)
	if err == nil && graphql.HasOperationContext(ctx) && graphql.GetOperationContext(ctx).Operation.Operation == ast.Subscription {
		o.e.hold.Here(ctx)
	}
	return order, err
}

var linkRE = regexp.MustCompile(`https?://\S+`)

// mail renders the last message of kind to recipient as the sender would, with
// the server as the public site.
func (e *env) mail(t *testing.T, kind mail.Kind, recipient string) *mail.Email {
	t.Helper()
	var m mail.Message
	must(t, e.db.SQL().QueryRow(`SELECT id, kind, recipient, locale, payload, created_at FROM notifications
		WHERE kind = $1 AND recipient = $2 ORDER BY id DESC LIMIT 1`, kind, recipient).
		Scan(&m.ID, &m.Kind, &m.Recipient, &m.Locale, &m.Payload, &m.CreatedAt))
	em, err := mail.Render(m, e.url)
	must(t, err)
	return em
}

// mailLink renders the last message of kind to recipient and returns the link it
// carries.
func (e *env) mailLink(t *testing.T, kind mail.Kind, recipient string) string {
	t.Helper()
	em := e.mail(t, kind, recipient)
	link := linkRE.FindString(em.Text)
	if link == "" {
		t.Fatalf("no link in the %s message:\n%s", kind, em.Text)
	}
	return link
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// pictures are the goods' pictures, served by the test's server.
var pictures = map[string]string{
	"cookie.svg": `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 90"><rect width="120" height="90" fill="#f6e7c8"/>` +
		`<circle cx="60" cy="45" r="32" fill="#c98b3c"/><circle cx="48" cy="36" r="5" fill="#5a3412"/>` +
		`<circle cx="70" cy="32" r="4" fill="#5a3412"/><circle cx="66" cy="56" r="5" fill="#5a3412"/></svg>`,
	"rice.svg": `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 90"><rect width="120" height="90" fill="#eef3e2"/>` +
		`<circle cx="45" cy="45" r="24" fill="#e8d3a5"/><circle cx="78" cy="48" r="22" fill="#efdcb3"/></svg>`,
	"soy.svg": `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 90"><rect width="120" height="90" fill="#e3ecf5"/>` +
		`<rect x="30" y="22" width="60" height="46" rx="23" fill="#d9b77e"/></svg>`,
	"spoon.svg": `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 90"><rect width="120" height="90" fill="#e4efe4"/>` +
		`<ellipse cx="60" cy="26" rx="14" ry="17" fill="#a86f3a"/><rect x="56" y="40" width="8" height="44" rx="4" fill="#a86f3a"/></svg>`,
}
