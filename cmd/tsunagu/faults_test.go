package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
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
	"tsunagu/internal/pgtest"
	"tsunagu/internal/postgres"
	"tsunagu/internal/stripemock"
	"tsunagu/internal/tsunagu"
	"tsunagu/migrations"
)

// The test binary doubles as the server: TestFaults starts copies of itself with
// TSUNAGU_FAULT_SERVER=1, which serve the API as cmd/tsunagu does, so that the test
// can kill one with SIGKILL.
func TestMain(m *testing.M) {
	if os.Getenv("TSUNAGU_FAULT_SERVER") == "1" {
		log := newLogger(envOr("LOG_LEVEL", "error"))
		demo := os.Getenv("TSUNAGU_FAULT_DEMO") == "1" // as `make run` passes -demo
		if err := run(context.Background(), configFromEnv(), demo, log); err != nil {
			log.Error("server", "err", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	stripemock.Stop()
	os.Exit(code)
}

// server is one API process of the test.
type server struct {
	t           *testing.T
	addr        string
	metricsAddr string
	env         []string
	cmd         *exec.Cmd
	// stderr receives the process's log; os.Stderr when nil.
	stderr io.Writer
}

// start starts the server process and waits until it is ready.
func (s *server) start() {
	s.t.Helper()
	s.launch()
	s.awaitReady()
}

// launch starts the server process and returns at once.
func (s *server) launch() {
	s.t.Helper()
	s.cmd = exec.Command(os.Args[0], "-test.run=^$")
	s.cmd.Env = append(os.Environ(), append(s.env, "TSUNAGU_FAULT_SERVER=1", "TSUNAGU_ADDR="+s.addr,
		"TSUNAGU_METRICS_ADDR="+s.metricsAddr)...)
	s.cmd.Stderr = s.stderr
	if s.stderr == nil {
		s.cmd.Stderr = os.Stderr
	}
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
}

// awaitReady waits up to 30 s for the server's /readyz to answer 200.
func (s *server) awaitReady() {
	s.t.Helper()
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

// freeAddr is a loopback address no one listens on, for a server process to bind
// later. Its port is below the kernel's ephemeral range (ip_local_port_range starts
// at 32768 by default): a port the kernel chose (127.0.0.1:0, or the local end of
// any outgoing connection, of which the parallel packages open thousands) would be
// free when checked here and could be taken by the time the server binds it, or
// again while a killed server restarts on it.
func freeAddr(t *testing.T) string {
	t.Helper()
	for range 1000 {
		addr := fmt.Sprintf("127.0.0.1:%d", 20000+mrand.IntN(12000))
		l, err := net.Listen("tcp", addr)
		if err != nil {
			continue
		}
		l.Close()
		return addr
	}
	t.Fatal("no free port between 20000 and 32000")
	return ""
}

// tempCluster starts a temporary PostgreSQL cluster in a new folder named from
// prefix, and returns it and the folder; the caller stops it.
func tempCluster(t *testing.T, prefix string) (*pgcluster.Cluster, string) {
	t.Helper()
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755) // the cluster may run as the postgres user
	c, err := pgcluster.Start(context.Background(), pgcluster.Options{DataDir: filepath.Join(dir, "data"), Temporary: true})
	if err != nil {
		t.Fatal(err)
	}
	return c, dir
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

// post posts a GraphQL request to addr, as the bearer of token if there is one,
// and decodes the answer's data into data. It returns an apiError for an error the
// API answered with, and any other error for a request that got no answer from
// the API (the process is gone, the database is away): those clients retry with
// the same key.
func post(ctx context.Context, addr, token, query string, in map[string]any, data any) error {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"in": in}})
	req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+addr+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	r := struct {
		Data   any
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}{Data: data}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return fmt.Errorf("status %d: %w", resp.StatusCode, err)
	}
	if len(r.Errors) > 0 {
		return &apiError{fmt.Sprint(r.Errors[0].Extensions["code"]), r.Errors[0].Message}
	}
	return nil
}

// send posts createSale to addr. It returns the sale, or the userError's code, or
// an error for anything that did not get an answer from the API.
func send(ctx context.Context, addr, token string, in map[string]any) (id string, receipt int, code string, err error) {
	var data struct {
		CreateSale struct {
			Sale *struct {
				ID            string
				ReceiptNumber int
			}
			UserErrors []struct{ Code string }
		}
	}
	if err := post(ctx, addr, token, createSale, in, &data); err != nil {
		return "", 0, "", err
	}
	p := data.CreateSale
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
	runFaults(t, faultsOptions{})
}

// faultsOptions vary TestFaults' scenario: via puts something between the servers
// and the cluster (PgBouncer) and returns the servers' extra environment; after
// looks at the servers once everything is checked, before they stop.
type faultsOptions struct {
	via   func(c *pgcluster.Cluster, dir string) []string
	after func(servers []*server)
}

// runFaults runs TestFaults' scenario.
func runFaults(t *testing.T, o faultsOptions) {
	ctx := context.Background()
	c, dir := tempCluster(t, "tsunagu-faults-")
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
	const products, units = 8, 250
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
	_, err = pos.UpdateShop(admin, tsunagu.UpdateShopInput{ShopID: shop.ID, OperatorName: &[]string{"港区"}[0]})
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
		sess, err := pos.OpenRegisterSession(tsunagu.WithUser(ctx, s.User, s.Token), tsunagu.OpenSessionInput{IdempotencyKey: fmt.Sprintf("open-%d", i), RegisterID: reg.ID, OpeningFloat: 10000})
		must(err)
		clerks = append(clerks, clerk{s.Token, sess.ID})
	}

	env := []string{"DATABASE_URL=" + url, "TSUNAGU_RATE_TOKEN=off", "TSUNAGU_RATE_IP=off", "LOG_LEVEL=error",
		"STRIPE_SECRET_KEY=" + faultsStripeKey, "STRIPE_API_BASE=" + stripemock.URL(t), "STRIPE_WEBHOOK_SECRET=" + faultsWebhookSecret}
	if o.via != nil {
		env = append(env, o.via(c, dir)...)
	}
	servers := []*server{{t: t, addr: freeAddr(t), metricsAddr: freeAddr(t), env: env},
		{t: t, addr: freeAddr(t), metricsAddr: freeAddr(t), env: env}}
	for _, s := range servers {
		s.start()
		defer s.kill()
	}

	// 32 clients buy one or two of a random product until it is all gone: three in
	// four at the registers, the others as guests online, for pickup at the same shop
	// (one cart in three with a second product), each paying by card once the
	// checkout is answered.
	raw, err := sql.Open("postgres", url)
	must(err)
	defer raw.Close()
	shopID := gid.Encode(gid.KindLocation, int64(shop.ID))
	var mu sync.Mutex
	var acked []sale
	var placed []*order
	retries := map[string]int{}  // attempts that got no answer, by what they were
	answered := map[string]int{} // the codes of the errors the API gave
	soldOut := map[int]bool{}
	// running waits for n more sales or orders and checks that the load is still on,
	// so that the fault what lands in it.
	running := func(what string, n int) {
		mu.Lock()
		want := len(acked) + len(placed) + n
		mu.Unlock()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			mu.Lock()
			got := len(acked) + len(placed)
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
		t.Logf("%s after %d sales and %d orders", what, len(acked), len(placed))
	}
	var wg sync.WaitGroup
	loadCtx, stop := context.WithTimeout(ctx, 60*time.Second)
	defer stop()
	// again counts an attempt at what that got no answer and says whether to try
	// once more.
	again := func(what string, err error, attempt int) bool {
		if loadCtx.Err() != nil || attempt > 200 {
			return false
		}
		mu.Lock()
		retries[what]++
		if ae, ok := err.(*apiError); ok {
			answered[ae.code]++
		}
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		return true
	}
	newKey := func() string {
		k := make([]byte, 8)
		rand.Read(k)
		return hex.EncodeToString(k)
	}
	// sell makes one sale at clerk cl's register; false means the client gave up on
	// it, unanswered: it may or may not have happened.
	sell := func(i int, cl clerk) bool {
		n := mrand.IntN(products)
		q := 1 + mrand.IntN(2)
		in := map[string]any{"sessionId": gid.Encode(gid.KindSession, int64(cl.session)), "idempotencyKey": newKey(),
			"lines":    []map[string]any{{"productId": gid.Encode(gid.KindProduct, int64(ps[n].ID)), "quantity": q}},
			"payments": []map[string]any{{"method": "CASH", "amount": ps[n].Price * int64(q)}}}
		for attempt := 0; ; attempt++ {
			id, receipt, code, err := send(loadCtx, servers[(i+attempt)%2].addr, cl.token, in)
			if err != nil {
				if !again("createSale", err, attempt) {
					return false
				}
				continue
			}
			mu.Lock()
			defer mu.Unlock()
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
			return true
		}
	}
	// buyOnline checks out one cart as guest i and pays for it: a
	// payment_intent.succeeded event to one process's webhook, sent again until it
	// is acknowledged, and then once more to the other (Stripe may deliver an event
	// twice). False means the guest gave up on the checkout or the payment.
	buyOnline := func(i int) bool {
		n := mrand.IntN(products)
		o := &order{key: newKey(), products: []int{n}, qtys: []int{1 + mrand.IntN(2)}}
		if mrand.IntN(3) == 0 {
			o.products = append(o.products, (n+1+mrand.IntN(products-1))%products)
			o.qtys = append(o.qtys, 1+mrand.IntN(2))
		}
		var lines []map[string]any
		var want int64
		for k, p := range o.products {
			lines = append(lines, map[string]any{"shopId": shopID, "productId": gid.Encode(gid.KindProduct, int64(ps[p].ID)),
				"quantity": o.qtys[k]})
			want += ps[p].Price * int64(o.qtys[k])
		}
		o.input = map[string]any{"lines": lines, "fulfilment": "PICKUP", "idempotencyKey": o.key,
			"contact": map[string]any{"email": fmt.Sprintf("guest%d@example.jp", i), "name": "ゲスト", "phone": "090-1234-5678"}}
		var a checkoutAnswer
		for attempt := 0; ; attempt++ {
			var err error
			if a, err = sendCheckout(loadCtx, servers[(i+attempt)%2].addr, o.input); err == nil {
				break
			}
			if !again("checkout", err, attempt) {
				return false
			}
		}
		switch a.code {
		case "":
		case "INSUFFICIENT_STOCK":
			// Orders do not expire during the test: a line of one unit that is short
			// means the product is gone.
			var k int
			if _, err := fmt.Sscanf(a.field, "input.lines.%d.quantity", &k); err == nil && k < len(o.qtys) && o.qtys[k] == 1 {
				mu.Lock()
				soldOut[o.products[k]] = true
				mu.Unlock()
			}
			return true
		default:
			t.Errorf("checkout: %s on %s", a.code, a.field)
			return true
		}
		o.id, o.token, o.secret, o.total = a.id, a.token, a.secret, a.total
		var err error
		if _, o.dbID, err = gid.Decode(a.id); err != nil {
			t.Errorf("checkout answered order %q: %v", a.id, err)
			return true
		}
		if o.total != want {
			t.Errorf("order %d: total %d, want %d", o.dbID, o.total, want)
		}
		mu.Lock()
		placed = append(placed, o)
		mu.Unlock()

		intent, err := intentOf(loadCtx, raw, o.dbID)
		if err != nil {
			if loadCtx.Err() == nil {
				t.Error(err)
			}
			return false
		}
		o.intent, o.event = intent, "evt_faults_"+newKey()
		to := i % 2
		for attempt := 0; ; attempt++ {
			to = 1 - to
			code, err := deliver(loadCtx, servers[to].addr, o)
			if err == nil && code == http.StatusOK {
				break
			}
			// 500 and 503 (a process still waiting for its database) are worth another try.
			if err == nil && code != http.StatusInternalServerError && code != http.StatusServiceUnavailable {
				t.Errorf("order %d: the webhook answered %d", o.dbID, code)
				return true
			}
			if !again("webhook", err, attempt) {
				return false
			}
		}
		mu.Lock()
		o.paid = true
		mu.Unlock()
		deliver(loadCtx, servers[1-to].addr, o)
		return true
	}
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
				if i%4 == 3 {
					if !buyOnline(i) {
						return
					}
				} else if !sell(i, cl) {
					return
				}
			}
		}()
	}
	// The faults, while the clients buy.
	running("kill -9 of one server", 30)
	servers[0].kill()
	time.Sleep(200 * time.Millisecond)
	servers[0].start()
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
	var paid int
	for _, o := range placed {
		if o.paid {
			paid++
		}
	}
	t.Logf("%d sales and %d orders acknowledged, %d paid; attempts retried: %v; errors answered: %v",
		len(acked), len(placed), paid, retries, answered)
	if retries["checkout"]+retries["webhook"] == 0 {
		t.Error("no checkout or payment was caught by a fault")
	}
	// The API failed requests in flight with errors a client can act on, never an
	// internal error.
	for code := range answered {
		if code != "UNAVAILABLE" && code != "TIMEOUT" {
			t.Errorf("the API answered %d requests with %s", answered[code], code)
		}
	}
	// Stripe delivers every paid event again, to both processes: nothing changes.
	for _, o := range placed {
		if !o.paid {
			continue
		}
		for _, s := range servers {
			if code, err := deliver(ctx, s.addr, o); err != nil || code != http.StatusOK {
				t.Errorf("order %d: redelivery answered %d %v", o.dbID, code, err)
			}
		}
	}

	// Nothing oversold, nothing lost: for every product, what the registers sold,
	// what orders hold (reserved or paid) and what is left to sell make what came
	// in; the reserved bucket is exactly what the orders hold, and nothing is left.
	var bad int
	must(raw.QueryRowContext(ctx, `
		WITH pos AS (
			SELECT sl.product_id, sum(sl.quantity) AS q FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id
			WHERE s.status = 'COMPLETED' GROUP BY sl.product_id
		), held AS (
			SELECT ol.product_id, sum(ol.quantity) AS q FROM order_lines ol JOIN orders o ON o.id = ol.order_id
			WHERE o.stock IN ('RESERVED', 'COMMITTED') GROUP BY ol.product_id
		)
		SELECT count(*) FROM stock_levels l LEFT JOIN pos USING (product_id) LEFT JOIN held USING (product_id)
		WHERE coalesce(pos.q, 0) + coalesce(held.q, 0) + (l.on_hand - l.reserved) <> $1
		   OR l.reserved <> coalesce(held.q, 0) OR l.on_hand - l.reserved <> 0`, units).Scan(&bad))
	if bad > 0 {
		t.Errorf("%d products: sold + held by orders + left differs from what came in, or some are left", bad)
	}
	var posUnits, orderUnits int
	must(raw.QueryRowContext(ctx, `SELECT
		(SELECT coalesce(sum(quantity), 0) FROM sale_lines), (SELECT coalesce(sum(quantity), 0) FROM order_lines)`).
		Scan(&posUnits, &orderUnits))
	t.Logf("%d units sold at the registers, %d ordered online", posUnits, orderUnits)
	if orderUnits == 0 || posUnits == 0 {
		t.Errorf("the registers sold %d units and the orders took %d: the load did not mix them", posUnits, orderUnits)
	}
	// Levels (on hand, reserved, incoming) equal their ledger.
	must(pgtest.CheckLedger(ctx, db.SQL()))
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
	// Every order whole: lines that add up to its totals, a reservation movement per
	// line of its quantity, and what it holds in the reserved bucket; and no
	// movement of an order that does not exist.
	must(raw.QueryRowContext(ctx, `
		WITH reserve AS (
			SELECT document_id AS order_id, product_id, quantity::bigint AS q FROM stock_movements
			WHERE document_type = 'ORDER' AND reason = 'RESERVE' AND bucket = 'RESERVED'
		)
		SELECT count(*) FROM orders o
		WHERE NOT EXISTS (SELECT FROM order_lines WHERE order_id = o.id)
		   OR (SELECT sum(unit_price * quantity) FROM order_lines WHERE order_id = o.id) <> o.subtotal
		   OR o.total <> o.subtotal + o.shipping_fee
		   OR EXISTS (SELECT product_id, quantity::bigint FROM order_lines WHERE order_id = o.id
		              EXCEPT ALL SELECT product_id, q FROM reserve WHERE order_id = o.id)
		   OR EXISTS (SELECT product_id, q FROM reserve WHERE order_id = o.id
		              EXCEPT ALL SELECT product_id, quantity::bigint FROM order_lines WHERE order_id = o.id)
		   OR (SELECT coalesce(sum(quantity), 0) FROM stock_movements
		       WHERE document_type = 'ORDER' AND document_id = o.id AND bucket = 'RESERVED')
		      <> CASE WHEN o.stock IN ('RESERVED', 'COMMITTED')
		              THEN (SELECT sum(quantity) FROM order_lines WHERE order_id = o.id) ELSE 0 END`).Scan(&bad))
	if bad > 0 {
		t.Errorf("%d orders are not whole", bad)
	}
	must(raw.QueryRowContext(ctx, `SELECT count(*) FROM stock_movements m WHERE m.document_type = 'ORDER'
		AND NOT EXISTS (SELECT FROM orders o WHERE o.id = m.document_id)`).Scan(&bad))
	if bad > 0 {
		t.Errorf("%d stock movements of orders that do not exist", bad)
	}
	// Receipt numbers have no gaps or repeats.
	must(raw.QueryRowContext(ctx, `SELECT count(*) - count(DISTINCT receipt_number) + (max(receipt_number) - count(*))
		FROM sales`).Scan(&bad))
	if bad != 0 {
		t.Errorf("receipt numbers have gaps or repeats (%d)", bad)
	}
	// Every order whose payment was acknowledged is paid, once, for its total, with
	// its stock committed; no payment was flagged or refunded, and each event was
	// applied once.
	type orderRow struct {
		status, stock, flag string
		total, captured     int64
	}
	rows, err := raw.QueryContext(ctx, `SELECT id, status, stock, payment_flag, total, captured FROM orders`)
	must(err)
	inDB := map[int64]orderRow{}
	var paidInDB int
	for rows.Next() {
		var id int64
		var r orderRow
		must(rows.Scan(&id, &r.status, &r.stock, &r.flag, &r.total, &r.captured))
		inDB[id] = r
		if r.status == "PAID" {
			paidInDB++
		}
		if r.flag != "" {
			t.Errorf("order %d is flagged: %s", id, r.flag)
		}
	}
	must(rows.Err())
	for _, o := range placed {
		r, ok := inDB[o.dbID]
		switch {
		case !ok:
			t.Errorf("acknowledged order %d is not in the database", o.dbID)
		case r.total != o.total:
			t.Errorf("order %d: total %d in the database, %d answered", o.dbID, r.total, o.total)
		case o.paid && (r.status != "PAID" || r.stock != "COMMITTED" || r.captured != o.total):
			t.Errorf("order %d: paid, but %s with stock %s, captured %d of %d", o.dbID, r.status, r.stock, r.captured, o.total)
		}
	}
	if len(inDB) < len(placed) {
		t.Errorf("%d orders in the database, %d acknowledged", len(inDB), len(placed))
	}
	var events, applied, refunds int
	must(raw.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM stripe_events),
		(SELECT count(DISTINCT order_id) FROM stripe_events WHERE outcome = 'PAID'), (SELECT count(*) FROM order_refunds)`).
		Scan(&events, &applied, &refunds))
	if events != applied || applied != paidInDB || refunds != 0 {
		t.Errorf("%d events recorded, %d applied to as many orders, %d orders paid, %d refunds", events, applied, paidInDB, refunds)
	}
	// Every acknowledged key still answers with its sale, from either process, and
	// every acknowledged checkout with its order, token and client secret, from both.
	for i, s := range acked {
		id, receipt, code, err := send(ctx, servers[i%2].addr, s.token, s.input)
		if err != nil || code != "" || id != s.id || receipt != s.receipt {
			t.Errorf("retry of key %s: %s #%d %s %v; first answer %s #%d", s.key, id, receipt, code, err, s.id, s.receipt)
		}
	}
	for _, o := range placed {
		for _, s := range servers {
			a, err := sendCheckout(ctx, s.addr, o.input)
			if err != nil || a.code != "" || a.id != o.id || a.token != o.token || a.secret != o.secret || a.total != o.total {
				t.Errorf("retry of checkout key %s: %+v %v; first answer %s", o.key, a, err, o.id)
			}
		}
	}
	var count int
	must(raw.QueryRowContext(ctx, `SELECT count(*) FROM sales`).Scan(&count))
	if count < len(acked) {
		t.Errorf("%d sales in the database, %d acknowledged", count, len(acked))
	}
	if o.after != nil {
		o.after(servers)
	}
}
