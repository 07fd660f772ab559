package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"tsunagu/graph/gid"
	"tsunagu/internal/pgcluster"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
	"tsunagu/migrations"
)

// The test binary doubles as the server: TestFaults starts copies of itself with
// TSUNAGU_FAULT_SERVER=1, which serve the API as cmd/tsunagu does, so that the test
// can kill one with SIGKILL.
func TestMain(m *testing.M) {
	if os.Getenv("TSUNAGU_FAULT_SERVER") == "1" {
		log := newLogger("error")
		if err := run(context.Background(), configFromEnv(), false, log); err != nil {
			log.Error("server", "err", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// server is one API process of the test.
type server struct {
	t    *testing.T
	addr string
	env  []string
	cmd  *exec.Cmd
}

func (s *server) start() {
	s.t.Helper()
	s.cmd = exec.Command(os.Args[0], "-test.run=^$")
	s.cmd.Env = append(os.Environ(), append(s.env, "TSUNAGU_FAULT_SERVER=1", "TSUNAGU_ADDR="+s.addr)...)
	s.cmd.Stderr = os.Stderr
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + s.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("server %s did not become ready", s.addr)
}

func (s *server) kill() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// apiError is a GraphQL error the API answered with.
type apiError struct{ code, message string }

func (e *apiError) Error() string { return e.code + ": " + e.message }

// sale is what a client was told about a sale it made.
type sale struct {
	token, key string
	input      map[string]any
	id         string
	receipt    int
}

const createSale = `mutation($in: CreateSaleInput!) { createSale(input: $in) {
	sale { id receiptNumber } userErrors { code message } } }`

// send posts createSale to addr. It returns the sale, or the userError's code, or
// an error for anything that did not get an answer from the API (the process is
// gone, the database is away): those the client retries with the same key.
func send(ctx context.Context, addr, token string, in map[string]any) (id string, receipt int, code string, err error) {
	body, _ := json.Marshal(map[string]any{"query": createSale, "variables": map[string]any{"in": in}})
	req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+addr+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", 0, "", err
	}
	defer resp.Body.Close()
	var r struct {
		Data struct {
			CreateSale struct {
				Sale *struct {
					ID            string
					ReceiptNumber int
				}
				UserErrors []struct{ Code string }
			}
		}
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return "", 0, "", fmt.Errorf("status %d: %w", resp.StatusCode, err)
	}
	if len(r.Errors) > 0 {
		return "", 0, "", &apiError{fmt.Sprint(r.Errors[0].Extensions["code"]), r.Errors[0].Message}
	}
	p := r.Data.CreateSale
	if len(p.UserErrors) > 0 {
		return "", 0, p.UserErrors[0].Code, nil
	}
	return p.Sale.ID, p.Sale.ReceiptNumber, "", nil
}

// Two API processes on one database sell the last units of a few products to 32
// clients at once; one process is killed with SIGKILL in the middle and restarted,
// every database connection is cut once, and PostgreSQL is restarted. Clients retry whatever got no answer
// with the same idempotency key, on the other process. Afterwards nothing is
// oversold, no sale is half-written, the levels equal the ledger, and every
// acknowledged key still returns its sale.
func TestFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster and two servers")
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "tsunagu-faults-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755) // the cluster may run as the postgres user
	c, err := pgcluster.Start(ctx, pgcluster.Options{DataDir: filepath.Join(dir, "data"), Temporary: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	url := c.URL("postgres")
	db, err := postgres.Open(ctx, url, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := migrations.Up(ctx, db.SQL()); err != nil {
		t.Fatal(err)
	}

	// A shop with four open registers and a clerk at each, and products with a few
	// units each: fewer than the clients will ask for.
	const products, units = 8, 100
	catalog, auth, stock, pos := postgres.NewCatalogService(db), postgres.NewAuthService(db), postgres.NewStockService(db), postgres.NewPOSService(db)
	auth.PasswordParams = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// The first admin, made by an admin context without an account, then signed in:
	// the ledger names a real actor.
	_, err = auth.CreateUser(tsunagu.WithUser(ctx, &tsunagu.User{Role: tsunagu.RoleAdmin}, ""), postgres.NewUserInput{
		Email: "admin@example.jp", Password: "password-admin", Name: "admin", Role: tsunagu.RoleAdmin})
	must(err)
	as, err := auth.Login(ctx, tsunagu.LoginInput{Email: "admin@example.jp", Password: "password-admin"})
	must(err)
	admin := tsunagu.WithUser(ctx, as.User, as.Token)
	home := &tsunagu.Municipality{Code: "131032", Name: "港区", Prefecture: "東京都", IsHome: true}
	must(catalog.CreateMunicipality(admin, home))
	fac, err := catalog.CreateFacility(admin, tsunagu.CreateFacilityInput{MunicipalityID: home.ID, Name: "工房",
		Kind: tsunagu.FacilityEmploymentB, Corporation: "社会福祉法人"})
	must(err)
	shop := &tsunagu.Location{MunicipalityID: home.ID, Kind: tsunagu.LocationShop, Name: "ショップ"}
	must(catalog.CreateLocation(admin, shop))
	_, err = pos.UpdateShop(admin, tsunagu.Shop{LocationID: shop.ID, OperatorName: "港区"})
	must(err)
	var ps []*tsunagu.Product
	active := tsunagu.StatusActive
	for i := range products {
		p, err := catalog.CreateProduct(admin, tsunagu.CreateProductInput{FacilityID: fac.ID,
			Translations: []tsunagu.TranslationInput{{Locale: tsunagu.LocaleJA, Name: fmt.Sprintf("品%d", i)}},
			Category:     tsunagu.CategoryCraft, Price: int64(100 * (i + 1)), TaxClass: tsunagu.TaxStandard10, Status: &active})
		must(err)
		_, err = stock.AdjustStock(admin, tsunagu.AdjustStockInput{LocationID: shop.ID, ProductID: p.ID, Quantity: units,
			Reason: tsunagu.ReasonProduction, IdempotencyKey: fmt.Sprintf("in-%d", i)})
		must(err)
		ps = append(ps, p)
	}
	type clerk struct {
		token   string
		session tsunagu.SessionID
	}
	var clerks []clerk
	for i := range 4 {
		email := fmt.Sprintf("clerk%d@example.jp", i)
		_, err := auth.CreateUser(admin, postgres.NewUserInput{Email: email, Password: "password-clerk", Name: "clerk",
			Role: tsunagu.RoleClerk, ShopID: &shop.ID})
		must(err)
		s, err := auth.Login(ctx, tsunagu.LoginInput{Email: email, Password: "password-clerk"})
		must(err)
		reg, err := pos.CreateRegister(admin, tsunagu.CreateRegisterInput{ShopID: shop.ID, Name: fmt.Sprintf("レジ%d", i)})
		must(err)
		sess, err := pos.OpenRegisterSession(tsunagu.WithUser(ctx, s.User, s.Token), tsunagu.OpenSessionInput{RegisterID: reg.ID, OpeningFloat: 10000})
		must(err)
		clerks = append(clerks, clerk{s.Token, sess.ID})
	}

	env := []string{"DATABASE_URL=" + url, "TSUNAGU_RATE_TOKEN=off", "TSUNAGU_RATE_IP=off", "LOG_LEVEL=error"}
	servers := []*server{{t: t, addr: freeAddr(t), env: env}, {t: t, addr: freeAddr(t), env: env}}
	for _, s := range servers {
		s.start()
		defer s.kill()
	}

	// 32 clients buy one or two of a random product until it is all gone.
	var mu sync.Mutex
	var acked []sale
	var retries int
	answered := map[string]int{} // the codes of the errors the API gave
	soldOut := map[int]bool{}
	// running waits for n more sales and checks that the load is still on, so that
	// the fault what lands in it.
	running := func(what string, n int) {
		mu.Lock()
		want := len(acked) + n
		mu.Unlock()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			mu.Lock()
			got := len(acked)
			mu.Unlock()
			if got >= want {
				break
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if len(soldOut) == products {
			t.Fatalf("the load was over before %s", what)
		}
		t.Logf("%s after %d sales", what, len(acked))
	}
	var wg sync.WaitGroup
	loadCtx, stop := context.WithTimeout(ctx, 20*time.Second)
	defer stop()
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl := clerks[i%len(clerks)]
			for loadCtx.Err() == nil {
				mu.Lock()
				if len(soldOut) == products {
					mu.Unlock()
					return
				}
				mu.Unlock()
				n := mrand.IntN(products)
				q := 1 + mrand.IntN(2)
				k := make([]byte, 8)
				rand.Read(k)
				in := map[string]any{"sessionId": gid.Encode(gid.KindSession, int64(cl.session)), "idempotencyKey": hex.EncodeToString(k),
					"lines":    []map[string]any{{"productId": gid.Encode(gid.KindProduct, int64(ps[n].ID)), "quantity": q}},
					"payments": []map[string]any{{"method": "CASH", "amount": ps[n].Price * int64(q)}}}
				for attempt := 0; ; attempt++ {
					id, receipt, code, err := send(loadCtx, servers[(i+attempt)%2].addr, cl.token, in)
					if err != nil {
						if loadCtx.Err() != nil || attempt > 200 {
							return // never acknowledged: it may or may not have happened
						}
						mu.Lock()
						retries++
						if ae, ok := err.(*apiError); ok {
							answered[ae.code]++
						}
						mu.Unlock()
						time.Sleep(20 * time.Millisecond)
						continue
					}
					mu.Lock()
					switch code {
					case "":
						acked = append(acked, sale{cl.token, in["idempotencyKey"].(string), in, id, receipt})
					case "INSUFFICIENT_STOCK":
						if q == 1 {
							soldOut[n] = true
						}
					default:
						t.Errorf("createSale: %s", code)
					}
					mu.Unlock()
					break
				}
			}
		}()
	}
	// The faults, while the clients buy.
	running("kill -9 of one server", 30)
	servers[0].kill()
	time.Sleep(200 * time.Millisecond)
	servers[0].start()
	raw, err := sql.Open("postgres", url)
	must(err)
	defer raw.Close()
	running("cutting every database connection", 30)
	_, err = raw.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`)
	must(err)
	running("restarting PostgreSQL", 30)
	must(c.Restart(ctx))
	wg.Wait()
	if loadCtx.Err() != nil {
		t.Fatalf("the load did not finish: %d products sold out", len(soldOut))
	}
	t.Logf("%d sales acknowledged, %d attempts retried; errors answered: %v", len(acked), retries, answered)
	// The API failed requests in flight with errors a client can act on, never an
	// internal error.
	for code := range answered {
		if code != "UNAVAILABLE" && code != "TIMEOUT" {
			t.Errorf("the API answered %d requests with %s", answered[code], code)
		}
	}

	// Nothing oversold, nothing lost: what is on hand and what was sold make what came in.
	var bad int
	must(raw.QueryRowContext(ctx, `
		SELECT count(*) FROM stock_levels l LEFT JOIN (
			SELECT sl.product_id, sum(sl.quantity) AS q FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id
			WHERE s.status = 'COMPLETED' GROUP BY sl.product_id
		) sold USING (product_id)
		WHERE l.on_hand + coalesce(sold.q, 0) <> $1 OR l.on_hand < 0`, units).Scan(&bad))
	if bad > 0 {
		t.Errorf("%d products: on hand + sold differs from what came in", bad)
	}
	// Levels equal their ledger.
	must(raw.QueryRowContext(ctx, `
		SELECT count(*) FROM stock_levels l LEFT JOIN (
			SELECT product_id, location_id, sum(quantity) AS q FROM stock_movements WHERE bucket = 'ON_HAND'
			GROUP BY product_id, location_id
		) m USING (product_id, location_id) WHERE l.on_hand <> coalesce(m.q, 0)`).Scan(&bad))
	if bad > 0 {
		t.Errorf("%d levels differ from their ledger", bad)
	}
	// Every sale whole: its lines add up to its total, one payment of it, a movement per line.
	must(raw.QueryRowContext(ctx, `
		SELECT count(*) FROM sales s
		WHERE (SELECT coalesce(sum(unit_price * quantity), 0) FROM sale_lines WHERE sale_id = s.id) <> s.total
		   OR (SELECT count(*) FROM sale_lines WHERE sale_id = s.id) = 0
		   OR (SELECT coalesce(sum(amount), 0) FROM sale_payments WHERE sale_id = s.id) <> s.total
		   OR (SELECT count(*) FROM stock_movements WHERE document_type = 'SALE' AND document_id = s.id)
		      <> (SELECT count(*) FROM sale_lines WHERE sale_id = s.id)`).Scan(&bad))
	if bad > 0 {
		t.Errorf("%d sales are not whole", bad)
	}
	// Receipt numbers have no gaps or repeats.
	must(raw.QueryRowContext(ctx, `SELECT count(*) - count(DISTINCT receipt_number) + (max(receipt_number) - count(*))
		FROM sales`).Scan(&bad))
	if bad != 0 {
		t.Errorf("receipt numbers have gaps or repeats (%d)", bad)
	}
	// Every acknowledged key still answers with its sale, from either process.
	for i, s := range acked {
		id, receipt, code, err := send(ctx, servers[i%2].addr, s.token, s.input)
		if err != nil || code != "" || id != s.id || receipt != s.receipt {
			t.Errorf("retry of key %s: %s #%d %s %v; first answer %s #%d", s.key, id, receipt, code, err, s.id, s.receipt)
		}
	}
	var count int
	must(raw.QueryRowContext(ctx, `SELECT count(*) FROM sales`).Scan(&count))
	if count < len(acked) {
		t.Errorf("%d sales in the database, %d acknowledged", count, len(acked))
	}
}
