package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tsunagu/internal/pgcluster"
)

// TestFaults' scenario through PgBouncer in transaction pooling mode (Debian's
// pgbouncer 1.18, started here in front of the cluster): both servers' pools go
// through it with the prepared-statement cache off, their LISTEN and migrations
// on direct connections (DATABASE_LISTEN_URL). The kill -9, the cut connections
// (PgBouncer's server connections among them) and the PostgreSQL restart must
// still lose and oversell nothing. Afterwards each server's /metrics is scraped.
func TestFaultsThroughPgBouncer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster, PgBouncer and two servers")
	}
	var bouncer *pgcluster.Bouncer
	runFaults(t, faultsOptions{
		via: func(c *pgcluster.Cluster, dir string) []string {
			bdir := filepath.Join(dir, "bouncer")
			if err := os.Mkdir(bdir, 0o755); err != nil {
				t.Fatal(err)
			}
			// PgBouncer 1.18 refuses statement_timeout as a client's startup
			// parameter: the servers send none (TSUNAGU_STATEMENT_TIMEOUT=0) and
			// every server connection sets the production value instead.
			b, err := c.StartBouncer(context.Background(), pgcluster.BouncerOptions{Dir: bdir, PoolSize: 10,
				ConnectQuery: "SET statement_timeout = 5000"})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				// After the cluster has stopped and removed its folders: the test's
				// folder goes with PgBouncer's.
				b.Stop()
				os.RemoveAll(bdir)
				os.Remove(dir)
			})
			bouncer = b
			return []string{"DATABASE_URL=" + b.URL("postgres"), "DATABASE_LISTEN_URL=" + c.URL("postgres"),
				"TSUNAGU_PREPARED_STATEMENTS=off", "TSUNAGU_STATEMENT_TIMEOUT=0"}
		},
		after: func(servers []*server) {
			n, err := bouncer.Transactions(context.Background(), "postgres")
			if err != nil || n < 500 {
				t.Errorf("PgBouncer carried %d transactions (%v): the servers did not go through it", n, err)
			}
			t.Logf("PgBouncer carried %d transactions", n)
			// Server 0 was killed and restarted, so its figures start again: each
			// outcome must show in one of the two.
			var all string
			for i, s := range servers {
				body := scrapeMetrics(t, s.metricsAddr)
				all += body
				if !strings.Contains(body, `go_sql_wait_count_total{db_name="primary"}`) {
					t.Errorf("server %d's /metrics lacks the pool's figures", i)
				}
				if testing.Verbose() {
					t.Logf("server %d /metrics (tsunagu_ and go_sql_ lines, no buckets):\n%s", i, grepLines(body, "tsunagu_", "go_sql_"))
				}
			}
			for _, want := range []string{`tsunagu_graphql_requests_total{operation="createSale",result="ok"}`,
				`tsunagu_graphql_requests_total{operation="checkout",result="ok"}`,
				`tsunagu_stripe_webhook_events_total{outcome="applied",type="payment_intent.succeeded"}`,
				`tsunagu_sql_statements_total{operation="createSale"}`} {
				if !strings.Contains(all, want) {
					t.Errorf("no server's /metrics has %s", want)
				}
			}
		},
	})
}

// scrapeMetrics GETs /metrics from addr.
func scrapeMetrics(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/metrics: %d %v", resp.StatusCode, err)
	}
	return string(b)
}

// grepLines returns the lines of s starting with one of the prefixes.
func grepLines(s string, prefixes ...string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, p := range prefixes {
			if strings.HasPrefix(l, p) && !strings.Contains(l, "_bucket{") {
				out = append(out, l)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}
