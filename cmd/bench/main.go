// Command bench measures Tsunagu against the minimal SQL that does the same work.
//
// It creates a large network in a database of its own (DATABASE_URL's server, or a
// private PostgreSQL cluster when it is unset, which loads the dataset without
// durability and measures with it, as production commits), serves the API in-process on two
// loopback ports, one without the catalog cache and one with it (both with the token
// cache, as cmd/tsunagu runs by default), and runs each case
// for a fixed time at a number of concurrent clients, in three turns: each turn
// through GraphQL over HTTP with the cache off, as the fewest statements straight
// from PostgreSQL, with the cache on from cold (a new server each turn) and on
// again once warm (a long-running server's steady state). It prints throughput,
// latency percentiles and the ratios to the SQL.
// Last, it closes every month of the dataset's year of sales at every shop through
// closeSettlementMonth, each beside the minimal SQL of a close (settlement.go).
// -scale runs everything again on catalogs of other sizes.
//
//	go run ./cmd/bench [-clients 8] [-duration 3s] [-scale 10000,100000,1000000]
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	_ "net/http/pprof"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/lib/pq"

	"tsunagu/graph"
	"tsunagu/internal/gcpace"
	"tsunagu/internal/metrics"
	"tsunagu/internal/pgcluster"
	"tsunagu/internal/postgres"
	"tsunagu/migrations"
)

var (
	start = time.Now()
	hold  bool
	reuse string
	// profile receives a CPU profile of the measured cases (-cpuprofile).
	profile *os.File
	// withMetrics records the API's metrics and prints them at the end (-metrics).
	withMetrics bool
	// refs keeps the facilities and municipalities in every server's memory, as
	// cmd/tsunagu does unless TSUNAGU_REFERENCE_CACHE=off.
	refs bool
	// gogc is the collector's percentage in force (gcpace.Set; GOGC overrides it).
	gogc int
	// meter reads the CPU the measured sides spend (cpu.go).
	meter *cpuMeter
)

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%5.1fs] "+format+"\n", append([]any{time.Since(start).Seconds()}, args...)...)
}

func main() {
	clients := flag.Int("clients", 8, "concurrent clients")
	duration := flag.Duration("duration", 3*time.Second, "how long each case is measured (after a warm-up of a fifth of it)")
	scales := flag.String("scale", "100000", "the catalog sizes to run at, in products, comma-separated (10000, 100000, 1000000)")
	rateLimit := flag.Bool("ratelimit", true, "count API requests against the rate limits (set high enough not to refuse any), as in production")
	only := flag.String("only", "", "run only the cases whose name contains this")
	flag.StringVar(&reuse, "reuse", "", "use the dataset already in this database (made by -hold) instead of making one")
	flag.BoolVar(&hold, "hold", false, "after the dataset is made, print the database URL and wait (for EXPLAIN)")
	pprofAddr := flag.String("pprof", "", "serve net/http/pprof on this address while running")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the measured cases to this file, its samples labelled by role (client, uncached server, cached server) and side (go tool pprof -tags)")
	flag.BoolVar(&refs, "refs", true, "keep the facilities and municipalities in the servers' memory, as cmd/tsunagu does (TSUNAGU_REFERENCE_CACHE)")
	flag.BoolVar(&withMetrics, "metrics", false, "record the API's metrics, as TSUNAGU_METRICS_ADDR does, and print them at the end")
	flag.Parse()
	// The servers run in this process: the collector paced as cmd/tsunagu paces it
	// (the load clients and the minimal SQL's share it).
	gogc = gcpace.Set()
	if *pprofAddr != "" {
		go http.ListenAndServe(*pprofAddr, nil)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		profile = f
	}
	var sizes []sizes
	for _, f := range strings.Split(*scales, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1000 {
			fmt.Fprintln(os.Stderr, "bench: -scale takes product counts of at least 1000, such as 10000,100000")
			os.Exit(2)
		}
		sizes = append(sizes, scaled(n))
	}
	if reuse != "" {
		sizes = sizes[:1] // the dataset's own size
	}
	var out []string
	for _, sz := range sizes {
		t, err := run(context.Background(), sz, *clients, *duration, *rateLimit, *only)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		out = append(out, t)
	}
	fmt.Println(strings.Join(out, "\n"))
}

// run makes a dataset of size sz (or reuses one) and measures every case on it; it
// returns the table.
func run(ctx context.Context, sz sizes, clients int, duration time.Duration, rateLimit bool, only string) (string, error) {
	url, private, stop := reuse, false, func() {}
	var err error
	if url == "" {
		if url, private, stop, err = database(ctx, sz); err != nil {
			return "", err
		}
	}
	defer stop()
	// The minimal SQL's pool plans its prepared statements as the API's does.
	rawURL, err := postgres.WithGenericPlans(url)
	if err != nil {
		return "", err
	}
	raw, err := sql.Open("postgres", rawURL)
	if err != nil {
		return "", err
	}
	defer raw.Close()
	var w *world
	if reuse != "" {
		w, err = loadWorld(ctx, raw, sz)
	} else {
		if err := migrations.Up(ctx, raw); err != nil {
			return "", err
		}
		logf("creating the dataset")
		// One connection: the seed's temporary tables and settings live in its session.
		raw.SetMaxOpenConns(1)
		w, err = seed(ctx, raw, sz)
	}
	if err != nil {
		return "", err
	}
	raw.SetMaxOpenConns(clients * 2)
	raw.SetMaxIdleConns(clients * 2)
	if private {
		if err := durable(ctx, raw); err != nil {
			return "", err
		}
	}
	if hold {
		fmt.Println(url)
		select {}
	}
	if err := report(ctx, raw); err != nil {
		return "", err
	}
	meter = newCPUMeter(ctx, raw)

	// The API, as cmd/tsunagu wires it, on a loopback port.
	apiURL, err := postgres.WithStatementTimeout(url, 5*time.Second)
	if err != nil {
		return "", err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, err := postgres.Open(ctx, apiURL, log)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var m *metrics.Metrics
	if withMetrics {
		m = metrics.New()
		m.DBPool(db.SQL(), "primary")
	}
	// Servers on the one pool, as cmd/tsunagu wires it: without the catalog cache,
	// with it, and (for the real-time case) with subscriptions fed by a listener.
	serve := func(cached, live bool) (string, *graph.Hub, func(), error) {
		auth := postgres.NewAuthService(db)
		catalog := postgres.NewCatalogService(db)
		res := &graph.Resolver{Catalog: catalog, Auth: auth,
			Stock: postgres.NewStockService(db), Transfers: postgres.NewTransferService(db), POS: postgres.NewPOSService(db),
			Settlements: postgres.NewSettlementService(db), Watch: postgres.NewWatchService(db)}
		o := graph.Options{Log: log}
		if m != nil {
			o.Metrics, o.CountStatements = m, postgres.CountStatements
		}
		sctx, cancel := context.WithCancel(ctx)
		if rateLimit {
			// Production's accounting, with buckets no benchmark client fills.
			o.RateLimits = graph.RateLimits{Limiter: postgres.NewSharedRateLimiter(sctx, db, postgres.RateLimitFlushEvery),
				TokenRate: 1e6, TokenBurst: 1e6, IPRate: 1e6, IPBurst: 1e6}
		}
		// The token cache, on in cmd/tsunagu unless TSUNAGU_TOKEN_CACHE=off, is on in
		// every server: "cache off" is the catalog cache off, the slow path of a
		// page the cache cannot serve. (The minimal SQL knows its users in memory.)
		tokens := postgres.NewTokenCache(postgres.TokenCacheSize, postgres.TokenCacheMaxAge)
		auth.Tokens = tokens
		// And the relay woken after each mutation.
		relayNow := postgres.NewRelayNow()
		o.Wrote = relayNow.Wake
		receivers := []postgres.Receiver{tokens, relayNow}
		// So is the copy of the facilities and municipalities (TSUNAGU_REFERENCE_CACHE),
		// unless -refs=false; before the catalog cache, as cmd/tsunagu lists it.
		if refs {
			catalog.Refs = postgres.NewReferences()
			receivers = append(receivers, catalog.Refs)
		}
		if cached {
			o.CatalogCache = graph.NewCatalogCache()
			o.CatalogCache.Instrument(m)
			receivers = append(receivers, postgres.CatalogReceiver(o.CatalogCache))
		}
		if live {
			// One load generator stands in for a thousand tablets: the limits per
			// token and per address are raised to let it; the others are production's.
			// Its events come through the one listener and relay, as in cmd/tsunagu.
			o.Realtime = graph.Realtime{Hub: graph.NewHub(), MaxSocketsPerToken: realtimeSubscribers,
				MaxSocketsPerAddress: realtimeSubscribers}
			o.Realtime.Hub.Instrument(m)
			receivers = append(receivers, postgres.EventsReceiver(o.Realtime.Hub))
		}
		if err := postgres.Listen(sctx, url, log, receivers...); err != nil {
			cancel()
			return "", nil, nil, err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			cancel()
			return "", nil, nil, err
		}
		var h http.Handler = graph.NewServer(res, o)
		if profile != nil {
			// A context and a copy of the request more for each: only when profiling.
			role := "uncached server"
			if cached {
				role = "cached server"
			}
			h = labelled(role, h)
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		// The server closes before its limiter and listener stop, and they before the pool.
		return "http://" + ln.Addr().String() + "/graphql", o.Realtime.Hub, func() { srv.Close(); cancel() }, nil
	}
	uncached, _, stopUncached, err := serve(false, false)
	if err != nil {
		return "", err
	}
	defer stopUncached()
	b := &bench{w: w, raw: raw, sz: sz,
		http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients * 2, DisableCompression: true}}}
	if err := b.prepare(ctx); err != nil {
		return "", err
	}

	if profile != nil {
		pprof.StartCPUProfile(profile)
		defer pprof.StopCPUProfile()
	}
	var rows []row
	for _, c := range b.cases() {
		if only != "" && !strings.Contains(c.name, only) {
			continue
		}
		r := row{c: c, off: &sample{}, min: &sample{}, on: &sample{}, warm: &sample{}}
		// Every side in turns, a third of the time each turn. Run one after the
		// other, a change in the machine's pace between them (this VM's own SQL
		// throughput moved 4,000-7,300 pages/s from run to run) became the ratio's;
		// and a write case wears the database as it goes (dead rows, a longer
		// ledger), so the sides measured last, the cache on and warmed, were
		// measured on a worse database than the SQL: ship + receive came out slower
		// with the cache than without it (README, issue 16).
		for range rounds {
			r.off.merge(measure(side(withEndpoint(ctx, uncached), "off"), clients, duration/rounds, c.api))
			r.min.merge(measure(side(ctx, "SQL"), clients, duration/rounds, c.minimal))
			// With the cache on from cold: a new server each turn, its caches empty.
			cached, _, stopCached, err := serve(true, false)
			if err != nil {
				return "", err
			}
			r.on.merge(measure(side(withEndpoint(ctx, cached), "on"), clients, duration/rounds, c.api))
			// Again on the cache the turn filled: what a server that has been up a
			// while serves.
			r.warm.merge(measure(side(withEndpoint(ctx, cached), "warmed"), clients, duration/rounds, c.api))
			stopCached()
		}
		logf("%-40s API off %6.0f/s p99 %5.1f ms | on %6.0f/s p99 %5.1f | warm %6.0f/s p99 %5.1f | SQL %6.0f/s p99 %5.1f | ratios %.2f %.2f %.2f",
			c.name, r.off.throughput(), ms(r.off.pct(99)), r.on.throughput(), ms(r.on.pct(99)),
			r.warm.throughput(), ms(r.warm.pct(99)), r.min.throughput(), ms(r.min.pct(99)),
			r.ratio(r.off), r.ratio(r.on), r.ratio(r.warm))
		rows = append(rows, r)
	}
	var commits string
	err = raw.QueryRowContext(ctx, `SELECT 'fsync ' || current_setting('fsync') || ', synchronous_commit ' ||
		current_setting('synchronous_commit')`).Scan(&commits)
	if err != nil {
		return "", err
	}
	t := table(rows, w.products, clients, duration, rateLimit, commits)
	if only == "" || strings.Contains("realtime delivery", only) {
		live, hub, stopLive, err := serve(false, true)
		if err != nil {
			return "", err
		}
		s, err := b.realtime(ctx, live, hub)
		stopLive()
		if err != nil {
			return "", fmt.Errorf("realtime delivery: %w", err)
		}
		t += s
	}
	if m != nil {
		printMetrics(m)
	}
	// Last: it closes the dataset's months, which the other cases do not read.
	if only == "" || strings.Contains("settlement close", only) {
		s, err := b.settlementClose(withEndpoint(ctx, uncached))
		if err != nil {
			return "", fmt.Errorf("settlement close: %w", err)
		}
		t += s
	}
	return t, nil
}

// database returns the URL of a fresh database for the benchmark, whether it is on
// a private cluster of the bench's own (DATABASE_URL unset), and a function that
// drops it (or stops the private cluster).
func database(ctx context.Context, sz sizes) (string, bool, func(), error) {
	name := "tsunagu_bench_" + strconv.Itoa(sz.municipalities*sz.facilitiesPer*sz.productsPer)
	if base := os.Getenv("DATABASE_URL"); base != "" {
		u, err := url.Parse(base)
		if err != nil {
			return "", false, nil, fmt.Errorf("DATABASE_URL: %w", err)
		}
		admin, err := sql.Open("postgres", base)
		if err != nil {
			return "", false, nil, err
		}
		if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			return "", false, nil, err
		}
		if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
			return "", false, nil, err
		}
		u.Path = "/" + name
		return u.String(), false, func() {
			admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
			admin.Close()
		}, nil
	}
	dir, err := os.MkdirTemp("", "tsunagu-bench-")
	if err != nil {
		return "", false, nil, err
	}
	// The cluster may run as the postgres user, who must reach the folder.
	os.Chmod(dir, 0o755)
	logf("DATABASE_URL is not set: starting a private PostgreSQL in %s", dir)
	c, err := pgcluster.Start(ctx, pgcluster.Options{DataDir: filepath.Join(dir, "data"), Temporary: true})
	if err != nil {
		return "", false, nil, err
	}
	admin, err := sql.Open("postgres", c.URL("postgres"))
	if err != nil {
		c.Stop()
		return "", false, nil, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		c.Stop()
		return "", false, nil, err
	}
	return c.URL(name), true, func() { c.Stop() }, nil
}

// durable turns the private cluster's durability back on once the dataset is made:
// a Temporary pgcluster runs with fsync, synchronous_commit and full_page_writes
// off, right for the seed's load but not how production commits: the write
// cases' figures without durability were not production's (README, issue 16).
func durable(ctx context.Context, db *sql.DB) error {
	for _, q := range []string{`ALTER SYSTEM SET fsync = on`, `ALTER SYSTEM SET synchronous_commit = on`,
		`ALTER SYSTEM SET full_page_writes = on`, `SELECT pg_reload_conf()`} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("durable: %w", err)
		}
	}
	return nil
}

// report prints the size of the dataset.
func report(ctx context.Context, db *sql.DB) error {
	var parts []string
	for _, t := range []string{"municipalities", "facilities", "products", "stock_levels", "stock_movements",
		"sales", "sale_lines", "transfers"} {
		var n int64
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
			return err
		}
		parts = append(parts, fmt.Sprintf("%s %d", t, n))
	}
	var bad int64
	err := db.QueryRowContext(ctx, `
		SELECT count(*) FROM stock_levels l LEFT JOIN (
			SELECT product_id, location_id, sum(quantity) FILTER (WHERE bucket = 'ON_HAND') AS on_hand,
				sum(quantity) FILTER (WHERE bucket = 'INCOMING') AS incoming
			FROM stock_movements GROUP BY product_id, location_id
		) m USING (product_id, location_id)
		WHERE l.on_hand <> coalesce(m.on_hand, 0) OR l.incoming <> coalesce(m.incoming, 0)`).Scan(&bad)
	if err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("dataset: %d stock levels disagree with their ledger", bad)
	}
	logf("dataset ready (levels equal ledger sums): %s", strings.Join(parts, ", "))
	return nil
}

// op is one operation of a case, run by client c.
type op func(ctx context.Context, c int) error

// sample is what measure saw of one side of a case.
type sample struct {
	n, errors int
	elapsed   time.Duration
	cpu       cpuUse // spent while measured, by the bench's process and PostgreSQL
	lat       []time.Duration
	firstErr  error
}

func (s *sample) throughput() float64 { return float64(s.n) / s.elapsed.Seconds() }

// rounds is how many turns each side of a case takes.
const rounds = 3

// merge adds o's operations, time and latencies to s, as if measured at once.
func (s *sample) merge(o *sample) {
	s.n += o.n
	s.errors += o.errors
	s.elapsed += o.elapsed
	s.cpu = s.cpu.add(o.cpu)
	if s.firstErr == nil {
		s.firstErr = o.firstErr
	}
	s.lat = append(s.lat, o.lat...)
	sort.Slice(s.lat, func(i, j int) bool { return s.lat[i] < s.lat[j] })
}

func (s *sample) pct(p float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	i := int(float64(len(s.lat))*p/100+0.5) - 1
	return s.lat[max(0, min(i, len(s.lat)-1))]
}

// measure runs op at clients concurrent clients: a warm-up of a fifth of d, then d
// measured.
func measure(ctx context.Context, clients int, d time.Duration, fn op) *sample {
	var measuring atomic.Bool
	stopAt := time.Now().Add(d / 5)
	per := make([]sample, clients)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := make(chan struct{})
	for c := range clients {
		wg.Add(1)
		go pprof.Do(ctx, pprof.Labels("role", "client"), func(ctx context.Context) {
			defer wg.Done()
			s := &per[c]
			for {
				select {
				case <-done:
					return
				default:
				}
				t0 := time.Now()
				err := fn(ctx, c)
				lat := time.Since(t0)
				if !measuring.Load() {
					continue
				}
				if err != nil {
					s.errors++
					mu.Lock()
					if s.firstErr == nil {
						s.firstErr = err
					}
					mu.Unlock()
					continue
				}
				s.n++
				s.lat = append(s.lat, lat)
			}
		})
	}
	time.Sleep(time.Until(stopAt))
	measuring.Store(true)
	t0, cpu0 := time.Now(), meter.begin()
	time.Sleep(d)
	close(done)
	elapsed, cpu := time.Since(t0), meter.end().sub(cpu0)
	wg.Wait()
	out := &sample{elapsed: elapsed, cpu: cpu}
	for _, s := range per {
		out.n += s.n
		out.errors += s.errors
		out.lat = append(out.lat, s.lat...)
		if out.firstErr == nil {
			out.firstErr = s.firstErr
		}
	}
	sort.Slice(out.lat, func(i, j int) bool { return out.lat[i] < out.lat[j] })
	if out.errors > 0 {
		logf("  %d errors, the first: %v", out.errors, out.firstErr)
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

type row struct {
	c                  benchCase
	off, on, warm, min *sample
}

// ratio is s's throughput over the minimal SQL's.
func (r row) ratio(s *sample) float64 {
	if r.min.throughput() == 0 {
		return 0
	}
	return s.throughput() / r.min.throughput()
}

// met says whether the case meets its target without the cache.
func (r row) met() bool {
	return r.off.errors == 0 && r.ratio(r.off) >= r.c.ratio && r.off.pct(99) <= r.c.p99
}

func table(rows []row, products int64, clients int, d time.Duration, rateLimit bool, commits string) string {
	var b strings.Builder
	host, _ := os.Hostname()
	fmt.Fprintf(&b, "\n%d products; %d clients over loopback, %v a case; host %s, %d cores; %s; rate limits counted: %v; facilities and municipalities in memory: %v; GOGC %d\n\n",
		products, clients, d, host, cores(), commits, rateLimit, refs, gogc)
	fmt.Fprintln(&b, "| case | cache off ops/s | p99 ms | cache on ops/s | p99 ms | warmed ops/s | p99 ms | SQL ops/s | p99 ms | off ÷ SQL | on ÷ SQL | warmed ÷ SQL | target (cache off) |")
	fmt.Fprintln(&b, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, r := range rows {
		verdict := "met"
		if !r.met() {
			verdict = "**missed**"
		}
		fmt.Fprintf(&b, "| %s | %.0f | %.1f | %.0f | %.1f | %.0f | %.1f | %.0f | %.1f | %.2f | %.2f | %.2f | ≥ %.1f, p99 ≤ %.0f ms: %s |\n",
			r.c.name, r.off.throughput(), ms(r.off.pct(99)), r.on.throughput(), ms(r.on.pct(99)),
			r.warm.throughput(), ms(r.warm.pct(99)), r.min.throughput(), ms(r.min.pct(99)),
			r.ratio(r.off), r.ratio(r.on), r.ratio(r.warm), r.c.ratio, ms(r.c.p99), verdict)
	}
	cpuTable(&b, rows)
	return b.String()
}

// cpuTable prints what an operation of each side cost in CPU, the bench's process
// (load clients and servers) and PostgreSQL apart: on a machine whose cores are
// all busy, a side's throughput is about the cores over its total, so the
// columns say where a ratio's gap is spent.
func cpuTable(b *strings.Builder, rows []row) {
	db := func(u time.Duration, s *sample) string {
		if !meter.onThisMachine() {
			return "—"
		}
		return fmt.Sprintf("%.0f", perOp(u, s))
	}
	fmt.Fprintln(b, "\nCPU an operation, µs (process: the bench's load clients and the servers it runs; PostgreSQL: the cluster's processes):")
	fmt.Fprintln(b, "\n| case | cache off: process | PostgreSQL | all | warmed: process | PostgreSQL | all | SQL: process | PostgreSQL | all | SQL's all ÷ cache off's |")
	fmt.Fprintln(b, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		all := func(s *sample) float64 { return perOp(s.cpu.process+s.cpu.db, s) }
		share := 0.0
		if all(r.off) > 0 {
			share = all(r.min) / all(r.off)
		}
		fmt.Fprintf(b, "| %s | %.0f | %s | %.0f | %.0f | %s | %.0f | %.0f | %s | %.0f | %.2f |\n", r.c.name,
			perOp(r.off.cpu.process, r.off), db(r.off.cpu.db, r.off), all(r.off),
			perOp(r.warm.cpu.process, r.warm), db(r.warm.cpu.db, r.warm), all(r.warm),
			perOp(r.min.cpu.process, r.min), db(r.min.cpu.db, r.min), all(r.min), share)
	}
}

// printMetrics prints the API's own metrics (tsunagu_ and the pool's go_sql_, without
// the histograms' buckets), as a scrape of /metrics would show them.
func printMetrics(m *metrics.Metrics) {
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	fmt.Println("\n/metrics after the run (tsunagu_ and go_sql_, buckets left out):")
	for _, l := range strings.Split(rec.Body.String(), "\n") {
		if (strings.HasPrefix(l, "tsunagu_") || strings.HasPrefix(l, "go_sql_")) && !strings.Contains(l, "_bucket{") {
			fmt.Println(l)
		}
	}
}
