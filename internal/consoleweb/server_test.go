package consoleweb_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/alexedwards/argon2id"

	"tsunagu/graph"
	"tsunagu/internal/consoleweb"
	"tsunagu/internal/demo"
	"tsunagu/internal/images"
	"tsunagu/internal/pgtest"
	"tsunagu/internal/postgres"
	"tsunagu/internal/posweb"
	"tsunagu/internal/tsunagu"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// network is the demo network (港区 and its partners, their shops, facilities,
// goods and staff) behind a server that serves the API, the POS app and the console.
type network struct {
	url string
	db  *postgres.DB
	s   demo.Services
	// by e-mail: the demo's accounts
	creds map[string]demo.Credential
}

const (
	adminEmail    = "admin@tsunagu.example"
	managerEmail  = "manager@minato.example"
	partnerEmail  = "manager@asahikawa.example"
	facilityEmail = "staff@niji.example"
)

func newNetwork(t *testing.T) *network {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.NewURL(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := demo.NewServices(db)
	// The demo's accounts are hashed cheaply here: the test is about the console.
	s.Auth.PasswordParams = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	creds, err := demo.Load(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	n := &network{db: db, s: s, creds: map[string]demo.Credential{}}
	for _, c := range creds {
		n.creds[c.Email] = c
	}
	res := &graph.Resolver{Catalog: s.Catalog, Auth: s.Auth, Stock: s.Stock, Transfers: s.Transfers, POS: s.POS,
		Orders: postgres.NewOrderService(db, nil), Audit: postgres.NewAuditService(db),
		Settlements: postgres.NewSettlementService(db), Watch: postgres.NewWatchService(db), Images: postgres.NewImageService(db)}
	srv := httptest.NewServer(graph.NewServer(res, graph.Options{POS: posweb.Handler("/pos"), Console: consoleweb.Handler("/console"),
		Images: &images.Store{Dir: t.TempDir()}}))
	t.Cleanup(srv.Close)
	n.url = srv.URL
	return n
}

// admin is a context that acts as the network's administrator, for setting up.
func admin() context.Context {
	return tsunagu.WithUser(context.Background(), &tsunagu.User{Role: tsunagu.RoleAdmin}, "")
}

// The console is served at /console/ with a strict Content-Security-Policy, and the
// POS app's shared modules it imports are served where it looks for them.
func TestServesTheConsole(t *testing.T) {
	srv := httptest.NewServer(graph.NewServer(&graph.Resolver{}, graph.Options{POS: posweb.Handler("/pos"), Console: consoleweb.Handler("/console")}))
	defer srv.Close()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.Get(srv.URL + "/console")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/console/" {
		t.Errorf("GET /console: %d to %q, want a redirect to /console/", res.StatusCode, res.Header.Get("Location"))
	}
	for _, path := range []string{"/console/", "/console/app.js", "/console/console.css", "/pos/api.js", "/pos/dom.js", "/pos/i18n.js", "/pos/style.css"} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", path, res.StatusCode)
		}
		if strings.HasPrefix(path, "/console/") {
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
				t.Errorf("GET %s: Content-Security-Policy %q", path, csp)
			}
		}
	}
}
