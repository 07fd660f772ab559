package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	neturl "net/url"
	"time"

	"tsunagu/graph"
	"tsunagu/internal/mail"
	"tsunagu/internal/metrics"
	"tsunagu/internal/postgres"
	"tsunagu/internal/smtp"
	"tsunagu/internal/stripemock"
	"tsunagu/internal/tsunagu"
)

// What running beyond one process needs: the pools (primary, optional standby),
// the metrics on an address of their own, and the dependencies /readyz reports.

// openDB opens the API's pool on the primary at url (directly or through
// PgBouncer) and, when readURL is set, its pool on a streaming standby.
func openDB(ctx context.Context, cfg config, url, readURL string, log *slog.Logger) (*postgres.DB, error) {
	settings := func(u string) (string, error) {
		u, err := postgres.WithStatementTimeout(u, cfg.statementTimeout)
		if err == nil && !cfg.prepare {
			u, err = postgres.ForTransactionPooler(u)
		}
		return u, err
	}
	u, err := settings(url)
	if err != nil {
		return nil, err
	}
	db, err := postgres.Open(ctx, u, log)
	if err != nil {
		return nil, err
	}
	if readURL != "" {
		// A standby away at start is not fatal: reads go to the primary until it
		// answers (/readyz reports it).
		u, err := settings(readURL)
		if err == nil {
			var replica *postgres.DB
			if replica, err = postgres.OpenStandby(u, log); err == nil {
				db.SetReplica(replica)
			}
		}
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("DATABASE_READ_URL: %w", err)
		}
	}
	db.SetPrepare(cfg.prepare)
	return db, nil
}

// newMetrics returns the server's metrics, nil when TSUNAGU_METRICS_ADDR is unset.
func newMetrics(cfg config, db *postgres.DB) *metrics.Metrics {
	if cfg.metricsAddr == "" {
		return nil
	}
	m := metrics.New()
	m.DBPool(db.SQL(), "primary")
	if r := db.Replica(); r != nil {
		m.DBPool(r.SQL(), "replica")
	}
	return m
}

func metricsMux(m *metrics.Metrics) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	return mux
}

// dependencies are what /readyz checks: the primary (required), and the standby,
// the catalog listener, Stripe and the SMTP server (optional: the service goes on
// without them).
func dependencies(cfg config, db *postgres.DB, listenURL string, cache *graph.CatalogCache, sender *mail.Sender) []graph.Dependency {
	deps := []graph.Dependency{{Name: "primary", Check: db.Ping}}
	if r := db.Replica(); r != nil {
		deps = append(deps, graph.Dependency{Name: "replica", Optional: true, Check: func(ctx context.Context) error {
			_, err := r.ReplayLSN(ctx)
			return err
		}})
	}
	if cache != nil {
		deps = append(deps, graph.Dependency{Name: "listener", Optional: true, Check: cache.Listening})
	}
	if cfg.stripeKey != "" {
		base := cfg.stripeBase
		if base == "" {
			base = "https://api.stripe.com"
		}
		deps = append(deps, graph.Dependency{Name: "stripe", Optional: true, Check: func(ctx context.Context) error {
			return reachable(ctx, base)
		}})
	}
	if sender != nil {
		if p, ok := sender.Transport.(interface{ Ping(context.Context) error }); ok {
			deps = append(deps, graph.Dependency{Name: "smtp", Optional: true, Check: p.Ping})
		}
	}
	return deps
}

// mailSender returns the sender of the e-mail outbox over SMTP_URL, nil when it is
// unset (messages then wait in the outbox). The outbox's backlog is a metric either way.
func mailSender(cfg config, db *postgres.DB, m *metrics.Metrics, log *slog.Logger) (*mail.Sender, error) {
	outbox := postgres.NewOutbox(db)
	m.Gauge("tsunagu_mail_outbox_backlog", "E-mails in the outbox neither sent nor given up.", func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := outbox.Backlog(ctx)
		if err != nil {
			return math.NaN()
		}
		return float64(n)
	})
	if cfg.smtpURL == "" {
		log.Warn("SMTP_URL is not set: e-mails wait in the outbox and are not sent")
		return nil, nil
	}
	conf, err := smtp.ParseURL(cfg.smtpURL)
	if err != nil {
		return nil, err
	}
	tr, err := smtp.New(conf, cfg.mailFrom)
	if err != nil {
		return nil, err
	}
	log.Info("sending e-mail over SMTP", "server", conf.Addr(), "tls", conf.TLS, "from", cfg.mailFrom)
	site := cfg.site()
	return &mail.Sender{
		Outbox:    outbox,
		Transport: tr,
		Site:      site,
		Sent:      func(k mail.Kind) { m.MailSent(string(k)) },
		Failed:    func(k mail.Kind, gaveUp bool) { m.MailFailed(string(k), gaveUp) },
		Log:       log,
	}, nil
}

// devPay is the storefront's way to pay under `make run`: in dev mode, with
// Stripe's API on loopback (stripe-mock) and the webhook's secret, it posts the
// signed payment event Stripe would send to the server's own webhook, since
// Stripe's Payment Element cannot reach stripe-mock. Anywhere else it is nil.
func devPay(cfg config, payments tsunagu.Payments, orders *postgres.OrderService, log *slog.Logger) func(context.Context, string) error {
	base, err := neturl.Parse(cfg.stripeBase)
	if !cfg.dev || payments == nil || cfg.stripeWebhookSecret == "" || err != nil || !loopback(base.Hostname()) {
		return nil
	}
	log.Info("the storefront's page to pay offers a test payment through stripe-mock (dev mode)")
	p := &stripemock.Payer{Orders: orders, Webhook: loopbackURL(cfg.addr) + "/webhooks/stripe", Secret: cfg.stripeWebhookSecret}
	return p.Pay
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loopbackURL is the server's own address as this machine reaches it.
func loopbackURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// site is the web apps' public base address: TSUNAGU_PUBLIC_URL, or the server's
// own address when it is not set (dev).
func (c config) site() string {
	if c.publicURL != "" {
		return c.publicURL
	}
	return loopbackURL(c.addr)
}

// reachable reports whether a TCP connection to the host of base opens.
func reachable(ctx context.Context, base string) error {
	u, err := neturl.Parse(base)
	if err != nil {
		return err
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), map[string]string{"http": "80"}[u.Scheme]+map[string]string{"https": "443"}[u.Scheme])
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	c, err := (&net.Dialer{}).DialContext(ctx, "tcp", host)
	if err != nil {
		return fmt.Errorf("%s unreachable: %w", u.Host, err)
	}
	return c.Close()
}

// every runs job now and then each interval until ctx ends; a job still running
// when an interval passes is not run twice (the ticker drops the tick).
func every(ctx context.Context, interval time.Duration, job func(context.Context)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		job(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
