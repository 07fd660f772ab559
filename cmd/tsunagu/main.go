// Command tsunagu serves the Tsunagu GraphQL API.
//
// It reads its configuration from the environment (see the README), listens, waits
// for the database (answering 503 meanwhile, startup.go) and migrates it,
// optionally loads the demo network, and serves until SIGINT or SIGTERM, when it
// finishes the requests in flight and stops.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	neturl "net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"tsunagu/graph"
	"tsunagu/internal/consoleweb"
	"tsunagu/internal/demo"
	"tsunagu/internal/gcpace"
	"tsunagu/internal/images"
	"tsunagu/internal/pgcluster"
	"tsunagu/internal/postgres"
	"tsunagu/internal/posweb"
	"tsunagu/internal/shopweb"
	"tsunagu/internal/stripe"
	"tsunagu/internal/tsunagu"
	"tsunagu/migrations"
)

func main() {
	demoData := flag.Bool("demo", false, "load the demo network (港区 and its partners) when the database is empty")
	flag.Parse()
	gogc := gcpace.Set()
	cfg := configFromEnv()
	log := newLogger(cfg.logLevel)
	slog.SetDefault(log)
	log.Info("garbage collector paced", "GOGC", gogc)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, *demoData, log); err != nil {
		log.Error("tsunagu stopped", "err", err)
		os.Exit(1)
	}
}

type config struct {
	addr             string
	databaseURL      string
	dataDir          string
	dev              bool
	logLevel         string
	statementTimeout time.Duration
	requestTimeout   time.Duration
	// rateToken and rateIP are "rate/burst" (requests a second / at most at once),
	// or "off".
	rateToken, rateIP string
	// catalogCache serves anonymous catalog reads from memory (invalidated through
	// LISTEN/NOTIFY).
	catalogCache bool
	// tokenCache keeps verified bearer tokens in memory (invalidated through
	// LISTEN/NOTIFY), saving signed-in requests a round trip.
	tokenCache bool
	// referenceCache keeps every facility and municipality in memory (invalidated
	// through LISTEN/NOTIFY), so that catalog pages read products and stock only.
	referenceCache bool
	// reservation is how long an unpaid online order holds its stock.
	reservation time.Duration
	// Stripe: the secret key (card payments are off without it), the API's base
	// URL (stripe-mock in development) and the webhook endpoint's signing secret.
	stripeKey, stripeBase, stripeWebhookSecret string
	// stripePublishableKey is for Stripe.js in the storefront's page to pay.
	stripePublishableKey string
	// listenURL is a direct (session) connection to the primary, for LISTEN and
	// migrations, which a pooler in transaction mode cannot carry; readURL a
	// streaming standby for lag-tolerant reads; prepare keeps the per-connection
	// prepared-statement cache (off behind PgBouncer in transaction mode);
	// metricsAddr serves /metrics (off when empty).
	listenURL, readURL string
	prepare            bool
	metricsAddr        string
	// smtpURL is where the outbox's e-mail goes (off when empty: it waits in the
	// outbox); mailFrom the sender's address; publicURL the base of the links in
	// the e-mails (password reset).
	smtpURL, mailFrom, publicURL string
	// wsOrigins are the browser origins, besides the server's own, that may open
	// a WebSocket for subscriptions (TSUNAGU_WS_ORIGINS, comma-separated).
	wsOrigins []string
	// trustedProxies are the load balancers whose X-Forwarded-For names the
	// client (TSUNAGU_TRUSTED_PROXIES, addresses and networks, comma-separated).
	trustedProxies graph.TrustedProxies
}

func configFromEnv() config {
	return config{
		addr:             envOr("TSUNAGU_ADDR", "localhost:8080"),
		databaseURL:      os.Getenv("DATABASE_URL"),
		dataDir:          envOr("TSUNAGU_DATA_DIR", ".data"),
		dev:              os.Getenv("TSUNAGU_DEV") == "1" || os.Getenv("TSUNAGU_DEV") == "true",
		logLevel:         envOr("LOG_LEVEL", "info"),
		statementTimeout: durationOr("TSUNAGU_STATEMENT_TIMEOUT", 5*time.Second),
		requestTimeout:   durationOr("TSUNAGU_REQUEST_TIMEOUT", 30*time.Second),
		rateToken:        envOr("TSUNAGU_RATE_TOKEN", "20/200"),
		rateIP:           envOr("TSUNAGU_RATE_IP", "50/500"),
		catalogCache:     os.Getenv("TSUNAGU_CATALOG_CACHE") != "off",
		tokenCache:       os.Getenv("TSUNAGU_TOKEN_CACHE") != "off",
		referenceCache:   os.Getenv("TSUNAGU_REFERENCE_CACHE") != "off",
		reservation:      durationOr("TSUNAGU_ORDER_RESERVATION", postgres.DefaultReservationTTL),

		stripeKey:            os.Getenv("STRIPE_SECRET_KEY"),
		stripeBase:           os.Getenv("STRIPE_API_BASE"),
		stripeWebhookSecret:  os.Getenv("STRIPE_WEBHOOK_SECRET"),
		stripePublishableKey: os.Getenv("STRIPE_PUBLISHABLE_KEY"),

		listenURL:   os.Getenv("DATABASE_LISTEN_URL"),
		readURL:     os.Getenv("DATABASE_READ_URL"),
		prepare:     os.Getenv("TSUNAGU_PREPARED_STATEMENTS") != "off",
		metricsAddr: os.Getenv("TSUNAGU_METRICS_ADDR"),

		smtpURL:  os.Getenv("SMTP_URL"),
		mailFrom: envOr("MAIL_FROM", "Tsunagu <noreply@localhost>"),
		// The links in e-mails: where shoppers and staff reach the web apps.
		publicURL:      publicURL("TSUNAGU_PUBLIC_URL"),
		wsOrigins:      strings.FieldsFunc(os.Getenv("TSUNAGU_WS_ORIGINS"), func(r rune) bool { return r == ',' || r == ' ' }),
		trustedProxies: trustedProxies("TSUNAGU_TRUSTED_PROXIES"),
	}
}

// publicURL reads the site's public base address; one that is not an http(s)
// address stops the server rather than put it into every link and canonical address.
func publicURL(key string) string {
	v := strings.TrimRight(os.Getenv(key), "/")
	if u, err := neturl.Parse(v); v != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		fmt.Fprintf(os.Stderr, "%s: %q is not an http(s) address such as https://shop.example.jp\n", key, v)
		os.Exit(2)
	}
	return v
}

// trustedProxies reads the load balancers' addresses from the environment; a
// malformed list stops the server rather than key every limit on the wrong address.
func trustedProxies(key string) graph.TrustedProxies {
	t, err := graph.ParseTrustedProxies(os.Getenv(key))
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", key, err)
		os.Exit(2)
	}
	return t
}

// durationOr reads a duration such as "5s" from the environment; a malformed one
// stops the server rather than run with a limit nobody chose.
func durationOr(key string, def time.Duration) time.Duration {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		fmt.Fprintf(os.Stderr, "%s: %q is not a duration like 5s\n", key, v)
		os.Exit(2)
	}
	return d
}

// rateLimits builds the API's rate limits from the configuration.
func rateLimits(ctx context.Context, cfg config, db *postgres.DB) (graph.RateLimits, error) {
	var l graph.RateLimits
	parse := func(key, v string) (float64, int, error) {
		rate, burst, ok := strings.Cut(v, "/")
		r, err1 := strconv.ParseFloat(rate, 64)
		b, err2 := strconv.Atoi(burst)
		if !ok || err1 != nil || err2 != nil || r <= 0 || b < 1 {
			return 0, 0, fmt.Errorf("%s: %q is not rate/burst like 20/200, or off", key, v)
		}
		return r, b, nil
	}
	if cfg.rateToken == "off" && cfg.rateIP == "off" {
		return l, nil
	}
	var err error
	// "off" for one of the two: a limit no client reaches.
	l.TokenRate, l.TokenBurst, l.IPRate, l.IPBurst = 1e9, 1e9, 1e9, 1e9
	if cfg.rateToken != "off" {
		if l.TokenRate, l.TokenBurst, err = parse("TSUNAGU_RATE_TOKEN", cfg.rateToken); err != nil {
			return l, err
		}
	}
	if cfg.rateIP != "off" {
		if l.IPRate, l.IPBurst, err = parse("TSUNAGU_RATE_IP", cfg.rateIP); err != nil {
			return l, err
		}
	}
	// Decided in memory, shared through PostgreSQL five times a second.
	l.Limiter = postgres.NewSharedRateLimiter(ctx, db, postgres.RateLimitFlushEvery)
	return l, nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}

func run(ctx context.Context, cfg config, loadDemo bool, log *slog.Logger) error {
	if loadDemo && !cfg.dev {
		// The demo accounts' passwords are public: never on a server in production.
		return errors.New("-demo creates accounts with published passwords: use it only in dev mode (TSUNAGU_DEV=1)")
	}
	// The address opens first: until the database is reachable and migrated, the
	// gate answers /healthz 200 and everything else 503 (startup.go).
	gate := &startupGate{}
	srv := &http.Server{
		Addr:              cfg.addr,
		Handler:           gate,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      cfg.requestTimeout + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 2)
	if err := listen(srv, errc); err != nil {
		return err
	}
	defer srv.Close()

	url := cfg.databaseURL
	if url == "" {
		// No database configured: run a private PostgreSQL under the data folder.
		// Its data is kept between runs; the server process stops with us.
		dir := filepath.Join(cfg.dataDir, "postgres")
		log.Info("DATABASE_URL is not set; starting a private PostgreSQL", "dir", dir)
		c, err := pgcluster.Start(ctx, pgcluster.Options{
			DataDir: dir,
			Logf:    func(f string, a ...any) { log.Info(fmt.Sprintf(f, a...)) },
		})
		if err != nil {
			return err
		}
		defer func() {
			if err := c.Stop(); err != nil {
				log.Error("stopping the private PostgreSQL", "err", err)
			}
		}()
		url = c.URL("postgres")
	}
	listenURL := cfg.listenURL
	if listenURL == "" {
		listenURL = url
	}

	// Migrations run on a direct connection of their own (goose holds a session
	// lock), without the statement timeout that bounds the API's statements. Both
	// wait for the database, with backoff.
	var db *postgres.DB
	err := awaitDatabase(ctx, gate, log, func(ctx context.Context) error {
		if err := migrate(ctx, listenURL, log); err != nil {
			return err
		}
		var err error
		db, err = openDB(ctx, cfg, url, cfg.readURL, log)
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			log.Info("stopped before the database was reachable")
			return nil
		}
		return err
	}
	defer db.Close()
	m := newMetrics(cfg, db)
	limits, err := rateLimits(ctx, cfg, db)
	if err != nil {
		return err
	}
	// One listening connection per process: the catalog cache's changes, the token
	// cache's and the subscriptions' events.
	hub := graph.NewHub()
	hub.Instrument(m)
	// The relay turns at once after each mutation of this process (Options.Wrote).
	relayNow := postgres.NewRelayNow()
	receivers := []postgres.Receiver{postgres.EventsReceiver(hub), relayNow}
	// The copy of the facilities and municipalities before the catalog cache, so
	// that a change drops the copy before the answers made from it
	// (postgres.CatalogReceiver).
	catalog := postgres.NewCatalogService(db)
	if cfg.referenceCache {
		catalog.Refs = postgres.NewReferences()
		receivers = append(receivers, catalog.Refs)
	}
	var cache *graph.CatalogCache
	if cfg.catalogCache {
		cache = graph.NewCatalogCache()
		cache.Instrument(m)
		if db.Replica() != nil {
			cache.UseReplica(db.OnReplica)
		}
		receivers = append(receivers, postgres.CatalogReceiver(cache))
	}
	var tokens *postgres.TokenCache
	if cfg.tokenCache {
		tokens = postgres.NewTokenCache(postgres.TokenCacheSize, postgres.TokenCacheMaxAge)
		receivers = append(receivers, tokens)
	}
	if err := postgres.Listen(ctx, listenURL, log, receivers...); err != nil {
		return fmt.Errorf("notifications: %w", err)
	}
	auth := postgres.NewAuthService(db)
	auth.Tokens = tokens
	if loadDemo {
		creds, err := demo.Load(ctx, demo.NewServices(db))
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if cfg.dev {
			// A table for the person at the terminal, not a log record.
			fmt.Fprintln(os.Stderr, "\nDemo accounts (printed in dev mode only):")
			we, wp := 0, 0
			for _, c := range creds {
				we, wp = max(we, len(c.Email)), max(wp, len(c.Password))
			}
			for _, c := range creds {
				fmt.Fprintf(os.Stderr, "  %-8s %-*s  %-*s  %s\n", c.Role, we, c.Email, wp, c.Password, c.Scope)
			}
			fmt.Fprintln(os.Stderr)
		}
	}

	var payments tsunagu.Payments
	if cfg.stripeKey == "" {
		log.Warn("STRIPE_SECRET_KEY is not set: card payments are off (online checkout refuses; cash sales work)")
	} else {
		payments = stripe.New(cfg.stripeKey, cfg.stripeBase)
		log.Info("card payments through Stripe are on", "api", envOr("STRIPE_API_BASE", "https://api.stripe.com"))
	}
	orders := postgres.NewOrderService(db, payments)
	orders.ReservationTTL = cfg.reservation
	orders.Expired = m.ReservationsExpired
	pos := postgres.NewPOSService(db)
	if payments != nil {
		pos.Payments = payments // card sales on Stripe Terminal readers
	}
	res := &graph.Resolver{
		Catalog:     catalog,
		Auth:        auth,
		Stock:       postgres.NewStockService(db),
		Transfers:   postgres.NewTransferService(db),
		POS:         pos,
		Orders:      orders,
		Audit:       postgres.NewAuditService(db),
		Settlements: postgres.NewSettlementService(db),
		Watch:       postgres.NewWatchService(db),
		Images:      postgres.NewImageService(db),
	}
	sender, err := mailSender(cfg, db, m, log)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	api := graph.NewServer(res, graph.Options{
		Dev:   cfg.dev,
		Ready: db.Ping,
		Dependencies: append(dependencies(cfg, db, listenURL, cache, sender),
			graph.Dependency{Name: "events", Optional: true, Check: hub.Live}),
		Metrics:         m,
		CountStatements: postgres.CountStatements,
		Log:             log,
		RequestTimeout:  cfg.requestTimeout,
		RateLimits:      limits,
		CatalogCache:    cache,
		Wrote:           relayNow.Wake,
		POS:             posweb.Handler("/pos"),
		Console:         consoleweb.Handler("/console"),
		Realtime:        graph.Realtime{Hub: hub, AllowedOrigins: cfg.wsOrigins},
		TrustedProxies:  cfg.trustedProxies,
		// Uploaded pictures of goods; with several processes, a folder they share.
		Images:    &images.Store{Dir: filepath.Join(cfg.dataDir, "images")},
		PublicURL: cfg.publicURL,
	})
	mux.Handle("/", api)
	// The storefront and the account pages read and write through the API alone.
	if cfg.publicURL == "" {
		log.Warn("TSUNAGU_PUBLIC_URL is not set: the links in e-mails and the shop's canonical addresses point at " + cfg.site())
	}
	shop := shopweb.Handler(shopweb.Options{API: api, Log: log, PublicURL: cfg.site(),
		StripePublishableKey: cfg.stripePublishableKey, DevPay: devPay(cfg, payments, orders, log)})
	for _, p := range shopweb.Paths {
		mux.Handle(p, shop)
	}
	if cfg.stripeWebhookSecret != "" {
		mux.Handle("POST /webhooks/stripe", &stripe.WebhookHandler{Secret: cfg.stripeWebhookSecret, Orders: orders, Log: log,
			Metrics: m, Wrote: relayNow.Wake})
	} else if payments != nil {
		log.Warn("STRIPE_WEBHOOK_SECRET is not set: Stripe's events are not received, so orders are never marked paid")
	}
	// Every process sweeps and retries refunds; row locks (SKIP LOCKED) keep them
	// from releasing an order or sending a refund twice. They stop, and are waited
	// for, before the database closes (the deferred db.Close runs after workers.Wait).
	workCtx, stopWork := context.WithCancel(ctx)
	var workers sync.WaitGroup
	defer func() {
		stopWork()
		workers.Wait()
	}()
	workers.Go(func() { orders.RunSweeper(workCtx, time.Minute) })
	workers.Go(func() { orders.RunRefundRetrier(workCtx, time.Minute) })
	workers.Go(func() {
		every(workCtx, time.Hour, func(ctx context.Context) {
			if n, err := auth.ForgetLoginFailures(ctx); err != nil {
				log.ErrorContext(ctx, "forgetting old failed sign-ins", "err", err)
			} else if n > 0 {
				log.InfoContext(ctx, "forgot old failed sign-ins", "runs", n)
			}
		})
	})
	if sender != nil {
		// Every process sends; Claim's row locks keep them from sending one twice.
		workers.Go(func() { sender.Run(workCtx, 5*time.Second) })
	}
	gate.open(mux)
	if m != nil {
		msrv := &http.Server{Addr: cfg.metricsAddr, Handler: metricsMux(m), ReadHeaderTimeout: 10 * time.Second}
		go func() { errc <- msrv.ListenAndServe() }()
		defer msrv.Close()
		log.Info("serving metrics", "url", "http://"+cfg.metricsAddr+"/metrics")
	}
	if cfg.dev {
		log.Info("serving the API with GraphiQL (dev mode)", "url", "http://"+cfg.addr+"/")
	} else {
		log.Info("serving the API", "url", "http://"+cfg.addr+"/graphql")
	}
	log.Info("serving the POS web app", "url", "http://"+cfg.addr+"/pos/")
	log.Info("serving the storefront", "url", "http://"+cfg.addr+"/shop/")
	log.Info("serving the partner console", "url", "http://"+cfg.addr+"/console/")

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// migrate applies the migrations through a pool of its own.
func migrate(ctx context.Context, url string, log *slog.Logger) error {
	db, err := postgres.Open(ctx, url, log)
	if err != nil {
		return err
	}
	defer db.Close()
	return migrations.Up(ctx, db.SQL())
}
