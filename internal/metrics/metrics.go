// Package metrics holds the API's Prometheus metrics (prometheus/client_golang),
// one set per server, served in the Prometheus text format by Handler on an address
// of its own (TSUNAGU_METRICS_ADDR), never on the public one.
//
// Every method is safe on a nil *Metrics and then does nothing, so that the code
// that records a figure never checks whether metrics are on.
package metrics

import (
	"database/sql"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are one server's collectors, on a registry of their own.
type Metrics struct {
	reg *prometheus.Registry

	requests   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	statements *prometheus.CounterVec
	cache      *prometheus.CounterVec
	reads      *prometheus.CounterVec
	rateLimit  prometheus.Counter
	webhooks   *prometheus.CounterVec
	expired    prometheus.Counter
	mailSent   *prometheus.CounterVec
	mailFailed *prometheus.CounterVec
}

// New returns the metrics of one server, with Go's runtime and the process's own
// figures beside them.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tsunagu_graphql_requests_total",
		Help: "GraphQL requests answered, by operation (the first root field) and result (ok, a userError code, or an error code).",
	}, []string{"operation", "result"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "tsunagu_graphql_request_duration_seconds",
		Help:    "Time to answer a GraphQL request, by operation and result.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"operation", "result"})
	m.statements = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tsunagu_sql_statements_total",
		Help: "SQL statements sent for GraphQL requests (BEGIN and COMMIT included), by operation.",
	}, []string{"operation"})
	m.cache = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tsunagu_catalog_cache_requests_total",
		Help: "Anonymous catalog requests the cache looked up, by result: hit, or miss (answered by GraphQL).",
	}, []string{"result"})
	m.reads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tsunagu_catalog_cache_miss_reads_total",
		Help: "Catalog cache misses with a standby configured, by where they read: replica, or primary (the standby had not replayed the last invalidation, or was away).",
	}, []string{"target"})
	m.rateLimit = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "tsunagu_rate_limited_total",
		Help: "Requests refused by the rate limits (429 RATE_LIMITED).",
	})
	m.webhooks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tsunagu_stripe_webhook_events_total",
		Help: "Stripe webhook events received, by type and outcome (applied, ignored, refused, malformed, failed).",
	}, []string{"type", "outcome"})
	m.expired = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "tsunagu_reservations_expired_total",
		Help: "Unpaid online orders whose stock reservation expired and was released by this process.",
	})
	m.mailSent = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tsunagu_mail_sent_total",
		Help: "E-mails from the outbox handed to the SMTP server by this process, by kind.",
	}, []string{"kind"})
	m.mailFailed = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tsunagu_mail_send_failures_total",
		Help: "Failed attempts at sending an e-mail from the outbox, by kind and outcome: retry (tried again after its backoff) or given_up (its last attempt).",
	}, []string{"kind", "outcome"})
	m.reg.MustRegister(m.requests, m.duration, m.statements, m.cache, m.reads, m.rateLimit, m.webhooks, m.expired,
		m.mailSent, m.mailFailed,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Request records one answered GraphQL request.
func (m *Metrics) Request(operation, result string, d time.Duration, statements int64) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(operation, result).Inc()
	m.duration.WithLabelValues(operation, result).Observe(d.Seconds())
	m.statements.WithLabelValues(operation).Add(float64(statements))
	if result == "RATE_LIMITED" {
		m.rateLimit.Inc()
	}
}

// CacheLookup records a catalog cache hit or miss.
func (m *Metrics) CacheLookup(hit bool) {
	if m == nil {
		return
	}
	if hit {
		m.cache.WithLabelValues("hit").Inc()
	} else {
		m.cache.WithLabelValues("miss").Inc()
	}
}

// CatalogRead records where a catalog cache miss read: the replica or the primary.
func (m *Metrics) CatalogRead(replica bool) {
	if m == nil {
		return
	}
	if replica {
		m.reads.WithLabelValues("replica").Inc()
	} else {
		m.reads.WithLabelValues("primary").Inc()
	}
}

// WebhookEvent records a Stripe event and what became of it.
func (m *Metrics) WebhookEvent(eventType, outcome string) {
	if m == nil {
		return
	}
	m.webhooks.WithLabelValues(eventType, outcome).Inc()
}

// ReservationsExpired records n orders released by the sweeper.
func (m *Metrics) ReservationsExpired(n int) {
	if m == nil || n <= 0 {
		return
	}
	m.expired.Add(float64(n))
}

// MailSent records an e-mail of kind sent.
func (m *Metrics) MailSent(kind string) {
	if m == nil {
		return
	}
	m.mailSent.WithLabelValues(kind).Inc()
}

// MailFailed records a failed attempt at an e-mail of kind; gaveUp when it was the
// message's last.
func (m *Metrics) MailFailed(kind string, gaveUp bool) {
	if m == nil {
		return
	}
	outcome := "retry"
	if gaveUp {
		outcome = "given_up"
	}
	m.mailFailed.WithLabelValues(kind, outcome).Inc()
}

// Gauge adds a figure read when the metrics are scraped, such as the catalog
// cache's size or the e-mail outbox's backlog. A gauge of a name already added
// replaces it: what is instrumented again (the bench's new cache each turn) is
// what is read.
func (m *Metrics) Gauge(name, help string, read func() float64) {
	if m == nil {
		return
	}
	g := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, read)
	m.reg.Unregister(g)
	m.reg.MustRegister(g)
}

// DBPool adds the figures of a connection pool (connections open, in use and idle,
// waits for one and their total time), labelled db_name=name.
func (m *Metrics) DBPool(db *sql.DB, name string) {
	if m == nil {
		return
	}
	m.reg.MustRegister(collectors.NewDBStatsCollector(db, name))
}

// Register adds any other collector, such as a package's own counters.
func (m *Metrics) Register(c prometheus.Collector) {
	if m == nil {
		return
	}
	m.reg.MustRegister(c)
}
