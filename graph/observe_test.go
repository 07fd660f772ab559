package graph_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"tsunagu/graph"
	"tsunagu/internal/metrics"
	"tsunagu/internal/postgres"
)

// syncBuffer is a log destination the handlers write to concurrently.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// scrape returns the metrics m serves, as name{labels} → value.
func scrape(t *testing.T, m *metrics.Metrics) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	out := map[string]float64{}
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// Every request is counted by operation and result, timed, and logged once with its
// request ID, operation, role, duration and statement count; the figures scraped
// from /metrics are those of the requests sent.
func TestMetricsAndRequestLog(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.stocked(a.homeFac, a.homeShop, 5)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := metrics.New()
	cache := graph.NewCatalogCache()
	cache.Instrument(m)
	must(t, postgres.ListenCatalog(ctx, a.url, cache, nil))
	var logs syncBuffer
	h := a.server(graph.Options{
		Metrics: m, CountStatements: postgres.CountStatements, CatalogCache: cache,
		Log:        slog.New(slog.NewTextHandler(&logs, nil)),
		RateLimits: graph.RateLimits{Limiter: a.limiter(t), TokenRate: 1000, TokenBurst: 1000, IPRate: 0.01, IPBurst: 6},
	})

	const catalogQ = `{ products(first: 5) { edges { node { name price } } } }`
	for range 3 {
		if r := sendFrom(t, h, "192.0.2.10", "", catalogQ); len(r.Errors) > 0 {
			t.Fatalf("catalog: %+v", r.Errors)
		}
	}
	// A userError, an error, a refused token, all from other addresses.
	if r := sendFrom(t, h, "192.0.2.11", a.tokens["clerk"], `mutation { adjustStock(input: {locationId: "bad", productId: "bad",
		quantity: 1, reason: PRODUCTION, idempotencyKey: "k"}) { userErrors { code } } }`); r.Status != 200 {
		t.Fatalf("adjustStock: %d %+v", r.Status, r.Errors)
	}
	if r := sendFrom(t, h, "192.0.2.12", "", `{ registers { name } }`); r.code() != "UNAUTHENTICATED" {
		t.Fatalf("registers answered an anonymous request: %+v", r.Errors)
	}
	if r := sendFrom(t, h, "192.0.2.12", "", `{ noSuchField }`); r.Status != 200 || r.code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Fatalf("an invalid query got %d", r.Status)
	}
	if r := sendFrom(t, h, "192.0.2.13", "not-a-token", `{ me { email } }`); r.Status != 401 {
		t.Fatalf("a bad token got %d", r.Status)
	}
	// The address's bucket holds 6: the 7th and 8th requests are refused.
	for range 6 {
		sendFrom(t, h, "192.0.2.14", "", `{ allergens { nameJa } }`)
	}
	for range 2 {
		if r := sendFrom(t, h, "192.0.2.14", "", `{ allergens { nameJa } }`); r.Status != 429 {
			t.Fatalf("the bucket did not fill: %d", r.Status)
		}
	}

	got := scrape(t, m)
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	var requests []map[string]string
	field := regexp.MustCompile(`(\w+)=("(?:[^"\\]|\\.)*"|\S*)`)
	for _, l := range lines {
		if !strings.Contains(l, "msg=request ") {
			continue
		}
		kv := map[string]string{}
		for _, f := range field.FindAllStringSubmatch(l, -1) {
			kv[f[1]] = strings.Trim(f[2], `"`)
		}
		requests = append(requests, kv)
	}
	if len(requests) != 15 {
		t.Fatalf("%d request log lines for 15 requests:\n%s", len(requests), logs.String())
	}
	// Counted from the log lines, the figures the metrics must show.
	want := map[string]float64{}
	var statements float64
	for _, r := range requests {
		for _, k := range []string{"time", "level", "msg", "request_id", "operation", "operation_name", "role", "result",
			"status", "duration", "statements"} {
			if _, ok := r[k]; !ok || (r[k] == "" && k != "operation_name") {
				t.Errorf("log line without its %s: %v", k, r)
			}
		}
		if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(r["request_id"]) || r["level"] != "INFO" ||
			!regexp.MustCompile(`^[1-5][0-9][0-9]$`).MatchString(r["status"]) {
			t.Errorf("log line with a bad request_id, level or status: %v", r)
		}
		want[`tsunagu_graphql_requests_total{operation="`+r["operation"]+`",result="`+r["result"]+`"}`]++
		n, _ := strconv.Atoi(r["statements"])
		statements += float64(n)
	}
	for k, v := range map[string]float64{
		`tsunagu_graphql_requests_total{operation="products",result="ok"}`:                 3,
		`tsunagu_graphql_requests_total{operation="adjustStock",result="NOT_FOUND"}`:       1,
		`tsunagu_graphql_requests_total{operation="registers",result="UNAUTHENTICATED"}`:   1,
		`tsunagu_graphql_requests_total{operation="-",result="GRAPHQL_VALIDATION_FAILED"}`: 1,
		`tsunagu_graphql_requests_total{operation="-",result="UNAUTHENTICATED"}`:           1,
		`tsunagu_graphql_requests_total{operation="allergens",result="ok"}`:                6,
		`tsunagu_graphql_requests_total{operation="-",result="RATE_LIMITED"}`:              2,
		`tsunagu_rate_limited_total`:                                                       2,
		`tsunagu_catalog_cache_requests_total{result="hit"}`:                               7,
		`tsunagu_catalog_cache_requests_total{result="miss"}`:                              2,
		`tsunagu_graphql_request_duration_seconds_count{operation="products",result="ok"}`: 3,
	} {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
		if strings.HasPrefix(k, "tsunagu_graphql_requests_total") && want[k] != v {
			t.Errorf("the log has %v requests of %s, want %v", want[k], k, v)
		}
	}
	var counted float64
	for k, v := range got {
		if strings.HasPrefix(k, "tsunagu_sql_statements_total") {
			counted += v
		}
	}
	if counted != statements || statements == 0 {
		t.Errorf("statements: %v in the metrics, %v in the log lines", counted, statements)
	}
	if got["tsunagu_catalog_cache_entries"] != 2 || got["tsunagu_catalog_cache_bytes"] == 0 {
		t.Errorf("cache size: %v entries, %v bytes", got["tsunagu_catalog_cache_entries"], got["tsunagu_catalog_cache_bytes"])
	}
	// A cache hit runs no SQL at all (the rate limiter decides in memory once it
	// has read the address's bucket, on the first request); the clerk's request is
	// logged with the clerk's role.
	for _, r := range requests {
		if r["operation"] == "adjustStock" && r["role"] != "CLERK" {
			t.Errorf("adjustStock logged with role %q", r["role"])
		}
	}
	hits := 0
	for _, r := range requests {
		if r["operation"] == "products" && r["statements"] == "0" {
			hits++
		}
	}
	if hits != 2 {
		t.Errorf("%d catalog requests ran no SQL, want the 2 cache hits", hits)
	}
}
