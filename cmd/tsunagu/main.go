// Command tsunagu serves the Tsunagu GraphQL API.
//
// It reads its configuration from the environment (see the README), migrates the
// database, optionally loads the demo network, and serves until SIGINT or SIGTERM,
// when it finishes the requests in flight and stops.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"tsunagu/graph"
	"tsunagu/internal/demo"
	"tsunagu/internal/pgcluster"
	"tsunagu/internal/postgres"
	"tsunagu/internal/posweb"
	"tsunagu/internal/stripe"
	"tsunagu/internal/tsunagu"
	"tsunagu/migrations"
)

func main() {
	demoData := flag.Bool("demo", false, "load the demo network (港区 and its partners) when the database is empty")
	flag.Parse()
	cfg := configFromEnv()
	log := newLogger(cfg.logLevel)
	slog.SetDefault(log)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, *demoData, log); err != nil {
		log.Error("tsunagu stopped", "err", err)
		os.Exit(1)
	}
}

type config struct {
	addr        string
	databaseURL string
	dataDir     string
	dev         bool
	logLevel    string
	// Stripe: the secret key (card payments are off without it), the API's base
	// URL (stripe-mock in development) and the webhook endpoint's signing secret.
	stripeKey, stripeBase, stripeWebhookSecret string
}

func configFromEnv() config {
	return config{
		addr:        envOr("TSUNAGU_ADDR", "localhost:8080"),
		databaseURL: os.Getenv("DATABASE_URL"),
		dataDir:     envOr("TSUNAGU_DATA_DIR", ".data"),
		dev:         os.Getenv("TSUNAGU_DEV") == "1" || os.Getenv("TSUNAGU_DEV") == "true",
		logLevel:    envOr("LOG_LEVEL", "info"),

		stripeKey:           os.Getenv("STRIPE_SECRET_KEY"),
		stripeBase:          os.Getenv("STRIPE_API_BASE"),
		stripeWebhookSecret: os.Getenv("STRIPE_WEBHOOK_SECRET"),
	}
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

	db, err := postgres.Open(ctx, url, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrations.Up(ctx, db.SQL()); err != nil {
		return err
	}
	catalog := postgres.NewCatalogService(db)
	auth := postgres.NewAuthService(db)
	if loadDemo {
		creds, err := demo.Load(ctx, demo.NewServices(db))
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if cfg.dev {
			// A table for the person at the terminal, not a log record.
			fmt.Fprintln(os.Stderr, "\nDemo accounts (printed in dev mode only):")
			for _, c := range creds {
				fmt.Fprintf(os.Stderr, "  %-8s %-28s %-18s %s\n", c.Role, c.Email, c.Password, c.Scope)
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
	pos := postgres.NewPOSService(db)
	if payments != nil {
		pos.Payments = payments // card sales on Stripe Terminal readers
	}
	res := &graph.Resolver{
		Catalog:   catalog,
		Auth:      auth,
		Stock:     postgres.NewStockService(db),
		Transfers: postgres.NewTransferService(db),
		POS:       pos,
		Orders:    orders,
	}
	mux := http.NewServeMux()
	mux.Handle("/", graph.NewServer(res, graph.Options{
		Dev:   cfg.dev,
		Ready: db.Ping,
		Log:   log,
		POS:   posweb.Handler("/pos"),
	}))
	if cfg.stripeWebhookSecret != "" {
		mux.Handle("POST /webhooks/stripe", &stripe.WebhookHandler{Secret: cfg.stripeWebhookSecret, Orders: orders, Log: log})
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
	srv := &http.Server{
		Addr:              cfg.addr,
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	if cfg.dev {
		log.Info("serving the API with GraphiQL (dev mode)", "url", "http://"+cfg.addr+"/")
	} else {
		log.Info("serving the API", "url", "http://"+cfg.addr+"/graphql")
	}
	log.Info("serving the POS web app", "url", "http://"+cfg.addr+"/pos/")

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
