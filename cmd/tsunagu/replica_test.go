package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"tsunagu/internal/pgcluster"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
	"tsunagu/migrations"
)

// A primary and a streaming standby made with pg_basebackup -R, and a server with
// DATABASE_READ_URL on the standby. Anonymous catalog reads that miss the cache go
// to the standby; a price change is never served stale from the cache once its
// notification has arrived, even while the standby's replay is paused (the misses
// then read from the primary); /readyz reports the standby and the primary going
// away and coming back, and the same server process answers throughout.
func TestReplica(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a primary, a standby and a server")
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "tsunagu-replica-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(dir) // last: the clusters remove their folders, and then it is empty
	os.Chmod(dir, 0o755) // the clusters may run as the postgres user
	primary, err := pgcluster.Start(ctx, pgcluster.Options{DataDir: filepath.Join(dir, "primary", "data"), Temporary: true})
	if err != nil {
		t.Fatal(err)
	}
	defer primary.Stop()
	db, err := postgres.Open(ctx, primary.URL("postgres"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(migrations.Up(ctx, db.SQL()))
	product, adminToken, update := catalogProduct(t, db)

	sdata := filepath.Join(dir, "standby", "data")
	must(primary.BaseBackup(ctx, sdata))
	standby, err := pgcluster.Start(ctx, pgcluster.Options{DataDir: sdata, Temporary: true, Port: 5434})
	if err != nil {
		t.Fatal(err)
	}
	defer standby.Stop()
	sdb, err := sql.Open("postgres", standby.URL("postgres"))
	must(err)
	defer sdb.Close()

	s := &server{t: t, addr: freeAddr(t), metricsAddr: freeAddr(t), env: []string{
		"DATABASE_URL=" + primary.URL("postgres"), "DATABASE_READ_URL=" + standby.URL("postgres"),
		"TSUNAGU_RATE_TOKEN=off", "TSUNAGU_RATE_IP=off", "LOG_LEVEL=error"}}
	s.start()
	defer s.kill()

	// ask reads the product's price anonymously; distinct makes the request one the
	// cache has not seen (a miss: the variables are part of its key), else it is
	// the same request each time.
	n := 0
	q := fmt.Sprintf(`{ products(first: 5, filter: {text: %q}) { edges { node { price } } } }`, product)
	ask := func(distinct bool) int64 {
		t.Helper()
		var vars map[string]any
		if distinct {
			n++
			vars = map[string]any{"n": n}
		}
		var data struct {
			Products struct {
				Edges []struct{ Node struct{ Price int64 } }
			}
		}
		must(post(ctx, s.addr, "", q, vars, &data))
		if len(data.Products.Edges) != 1 {
			t.Fatalf("catalog: %+v", data)
		}
		return data.Products.Edges[0].Node.Price
	}
	reads := func(target string) float64 {
		t.Helper()
		return metricValue(scrapeMetrics(t, s.metricsAddr), `tsunagu_catalog_cache_miss_reads_total{target="`+target+`"}`)
	}
	// until asks cond again until it holds, for at most 15 s.
	until := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(15 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("waited 15 s for %s", what)
			}
		}
	}

	// Catalog misses read from the standby once it has replayed the listener's
	// starting position.
	until("a catalog miss read from the standby", func() bool { return ask(true) == 100 && reads("replica") > 0 })
	var onStandby int
	must(sdb.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
		WHERE query LIKE '%FROM products p%' AND pid <> pg_backend_pid()`).Scan(&onStandby))
	if onStandby == 0 {
		t.Error("no connection to the standby ran the catalog's products query")
	}
	if ask(false) != 100 || ask(false) != 100 {
		t.Fatal("the price is not 100")
	}
	// A report that tolerates lag reads from the standby too.
	var balance struct {
		ExchangeBalance []struct {
			Net           int
			TransfersAToB struct{ ShippedUnits int }
		}
	}
	must(post(ctx, s.addr, adminToken, `{ exchangeBalance(fromMonth: "2026-01", toMonth: "2026-12") { net transfersAToB { shippedUnits } } }`, nil, &balance))
	must(sdb.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
		WHERE query LIKE '%WITH moves AS%' AND pid <> pg_backend_pid()`).Scan(&onStandby))
	if onStandby == 0 {
		t.Error("exchangeBalance did not run on the standby")
	}

	// The standby stops replaying; the price changes on the primary. Once the
	// notification has arrived, every answer, cached or not, shows the new price:
	// the misses read from the primary, for the standby has not replayed the change.
	_, err = sdb.ExecContext(ctx, `SELECT pg_wal_replay_pause()`)
	must(err)
	update(200)
	fromPrimary := reads("primary")
	until("the new price", func() bool { return ask(false) == 200 })
	for i := range 40 {
		if p := ask(i%2 == 0); p != 200 {
			t.Fatalf("served %d after the change to 200 was notified (answer %d)", p, i)
		}
	}
	if reads("primary") < fromPrimary+20 {
		t.Errorf("misses read from the primary: %v before, %v after, want 20 more", fromPrimary, reads("primary"))
	}
	// Replay goes on: misses read from the standby again, with the new price.
	_, err = sdb.ExecContext(ctx, `SELECT pg_wal_replay_resume()`)
	must(err)
	fromReplica := reads("replica")
	until("misses on the standby again", func() bool { return ask(true) == 200 && reads("replica") > fromReplica })

	// /readyz follows the standby and the primary going away and coming back.
	ready := func() (int, map[string]string, string) {
		resp, err := http.Get("http://" + s.addr + "/readyz")
		must(err)
		defer resp.Body.Close()
		var r struct {
			Status       string
			Dependencies map[string]string
		}
		must(json.NewDecoder(resp.Body).Decode(&r))
		return resp.StatusCode, r.Dependencies, r.Status
	}
	if code, deps, status := ready(); code != 200 || status != "ok" || deps["primary"] != "ok" || deps["replica"] != "ok" || deps["listener"] != "ok" {
		t.Fatalf("readyz: %d %s %v", code, status, deps)
	}
	must(standby.Halt(ctx))
	if code, deps, status := ready(); code != 200 || status != "degraded" || deps["replica"] == "ok" {
		t.Errorf("standby down: readyz %d %s %v, want 200 degraded", code, status, deps)
	}
	if ask(true) != 200 {
		t.Error("with the standby down, a catalog miss did not answer from the primary")
	}
	must(standby.Resume(ctx))
	until("readyz to see the standby back", func() bool { _, deps, _ := ready(); return deps["replica"] == "ok" })
	must(primary.Halt(ctx))
	if code, deps, status := ready(); code != 503 || status != "unavailable" || deps["primary"] == "ok" {
		t.Errorf("primary down: readyz %d %s %v, want 503 unavailable", code, status, deps)
	}
	must(primary.Resume(ctx))
	until("readyz ok after the primary came back", func() bool {
		code, deps, status := ready()
		return code == 200 && status == "ok" && deps["listener"] == "ok"
	})
	update(300)
	until("the price after the primary came back", func() bool { return ask(false) == 300 })
	if s.cmd.ProcessState != nil {
		t.Error("the server process ended")
	}
	// Both pools show in the metrics.
	body := scrapeMetrics(t, s.metricsAddr)
	for _, pool := range []string{"primary", "replica"} {
		if !strings.Contains(body, `go_sql_open_connections{db_name="`+pool+`"}`) {
			t.Errorf("/metrics lacks the %s pool", pool)
		}
	}
	if testing.Verbose() {
		t.Logf("/metrics (tsunagu_ and go_sql_ lines, no buckets):\n%s", grepLines(body, "tsunagu_", "go_sql_"))
	}
}

// catalogProduct makes an active product priced ¥100 in a fresh network and
// returns its name, an admin's token and a function changing its price.
func catalogProduct(t *testing.T, db *postgres.DB) (string, string, func(price int64)) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	catalog, auth := postgres.NewCatalogService(db), postgres.NewAuthService(db)
	auth.PasswordParams = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	admin := tsunagu.WithUser(ctx, &tsunagu.User{Role: tsunagu.RoleAdmin}, "")
	u, err := auth.CreateUser(admin, postgres.NewUserInput{Email: "admin@example.jp", Password: "password-admin", Name: "admin", Role: tsunagu.RoleAdmin})
	must(err)
	session, err := auth.Login(ctx, tsunagu.LoginInput{Email: "admin@example.jp", Password: "password-admin"})
	must(err)
	admin = tsunagu.WithUser(ctx, u, session.Token)
	home := &tsunagu.Municipality{Code: "131032", Name: "港区", Prefecture: "東京都", IsHome: true}
	must(catalog.CreateMunicipality(admin, home))
	fac, err := catalog.CreateFacility(admin, tsunagu.CreateFacilityInput{MunicipalityID: home.ID, Name: "工房",
		Kind: tsunagu.FacilityEmploymentB, Corporation: "社会福祉法人"})
	must(err)
	active := tsunagu.StatusActive
	const name = "ふくろう"
	p, err := catalog.CreateProduct(admin, tsunagu.CreateProductInput{FacilityID: fac.ID,
		Translations: []tsunagu.TranslationInput{{Locale: tsunagu.LocaleJA, Name: name}},
		Category:     tsunagu.CategoryCraft, Price: 100, TaxClass: tsunagu.TaxStandard10, Status: &active})
	must(err)
	return name, session.Token, func(price int64) {
		t.Helper()
		_, err := catalog.UpdateProduct(admin, tsunagu.UpdateProductInput{ID: p.ID, Price: &price})
		must(err)
	}
}

// metricValue reads one sample, such as `x_total{a="b"}`, from a /metrics body; 0
// when it is not there.
func metricValue(body, sample string) float64 {
	for _, l := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(l, sample+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}
