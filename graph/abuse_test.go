package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"tsunagu/graph"
	"tsunagu/graph/gid"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

func TestAbuseLimits(t *testing.T) {
	t.Parallel()
	a := newAPIWith(t, graph.Options{MaxAliases: 3, MaxOperations: 2})
	t.Run("ErrAliases", func(t *testing.T) {
		r := a.do("", `{ a: allergens { nameJa } b: allergens { nameJa } c: allergens { nameJa } d: allergens { nameJa } }`, nil)
		if r.code() != "ALIAS_LIMIT_EXCEEDED" {
			t.Errorf("code %q: %+v", r.code(), r.Errors)
		}
	})
	t.Run("ErrAliasesThroughFragments", func(t *testing.T) {
		r := a.do("", `{ ...F ...F } fragment F on Query { a: allergens { nameJa } b: allergens { nameJa } }`, nil)
		if r.code() != "ALIAS_LIMIT_EXCEEDED" {
			t.Errorf("code %q: %+v", r.code(), r.Errors)
		}
	})
	t.Run("AliasesWithinTheLimit", func(t *testing.T) {
		r := a.do("", `{ a: allergens { nameJa } b: allergens { nameJa } allergens { c: nameJa } }`, nil)
		if len(r.Errors) > 0 {
			t.Errorf("refused: %+v", r.Errors)
		}
	})
	t.Run("ErrOperations", func(t *testing.T) {
		body, _ := json.Marshal(map[string]any{"operationName": "A",
			"query": `query A { allergens { nameJa } } query B { allergens { nameJa } } query C { allergens { nameJa } }`})
		r := a.send(context.Background(), "", "application/json", body)
		if r.code() != "OPERATION_LIMIT_EXCEEDED" {
			t.Errorf("code %q: %+v", r.code(), r.Errors)
		}
	})
	t.Run("ErrBatch", func(t *testing.T) {
		r := a.send(context.Background(), "", "application/json",
			[]byte(` [{"query": "{ allergens { nameJa } }"}, {"query": "{ allergens { nameJa } }"}]`))
		if r.code() != "BATCH_LIMIT_EXCEEDED" || r.Status != 400 {
			t.Errorf("status %d, code %q", r.Status, r.code())
		}
	})
}

// Lists in inputs are bounded: a sale, a transfer and a stocktake refuse one line
// too many with OUT_OF_RANGE on input.lines, before touching the database.
func TestInputListLimits(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	s := a.session()
	p := a.id(gid.KindProduct, 1)
	lines := func(n int, line map[string]any) []map[string]any {
		out := make([]map[string]any, n)
		for i := range out {
			out[i] = line
		}
		return out
	}
	loc := func(l *tsunagu.Location) string { return a.id(gid.KindLocation, int64(l.ID)) }
	for name, c := range map[string]struct {
		as, query string
		in        map[string]any
	}{
		"createSale": {"clerk", createSale, map[string]any{"sessionId": a.id(gid.KindSession, int64(s.ID)), "idempotencyKey": key(),
			"lines":    lines(tsunagu.MaxSaleLines+1, map[string]any{"productId": p, "quantity": 1}),
			"payments": []map[string]any{{"method": "CASH", "amount": 100}}}},
		"requestTransfer": {"manager", requestTransfer, map[string]any{"fromLocationId": loc(a.warehouse), "toLocationId": loc(a.partnerShop),
			"lines": lines(tsunagu.MaxLines+1, map[string]any{"productId": p, "quantity": 1}), "idempotencyKey": key()}},
		"recordStocktake": {"manager", recordStocktake, map[string]any{"locationId": loc(a.warehouse),
			"lines": lines(tsunagu.MaxLines+1, map[string]any{"productId": p, "counted": 1}), "idempotencyKey": key()}},
	} {
		t.Run(name, func(t *testing.T) {
			errs, gqlCode := a.mutate(c.as, name, c.query, map[string]any{"in": c.in})
			if gqlCode != "" || !strings.Contains(codes(errs), "OUT_OF_RANGE@input.lines") {
				t.Errorf("got %s %s", gqlCode, codes(errs))
			}
		})
	}
}

// sendFrom sends query through h as a client at address ip, with a bearer token
// unless token is "".
func sendFrom(t *testing.T, h http.Handler, ip, token, query string) *response {
	t.Helper()
	return sendVia(t, h, ip, "", token, query)
}

// sendVia is sendFrom through a proxy at ip, which says the request came from
// forwardedFor (an X-Forwarded-For header, when not empty).
func sendVia(t *testing.T, h http.Handler, ip, forwardedFor, token, query string) *response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req := httptest.NewRequest("POST", "/graphql", bytes.NewReader(body))
	req.RemoteAddr = ip + ":40000"
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var r response
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatalf("response is not JSON (%d): %s", rec.Code, rec.Body.String())
	}
	r.Status, r.Header = rec.Code, rec.Header()
	return &r
}

// checkThrottled fails unless r is a RATE_LIMITED answer saying when to retry.
func checkThrottled(t *testing.T, r *response) {
	t.Helper()
	retry, _ := r.Errors[0].Extensions["retryAfter"].(float64)
	header, _ := strconv.Atoi(r.Header.Get("Retry-After"))
	if r.code() != "RATE_LIMITED" || r.Status != 429 || retry < 1 || header != int(retry) {
		t.Errorf("status %d, code %q, retryAfter %v, Retry-After %q", r.Status, r.code(), retry, r.Header.Get("Retry-After"))
	}
}

// limiter returns a rate limiter on a's database as the server makes it
// (cmd/tsunagu), until the test ends.
func (a *api) limiter(t *testing.T) *postgres.SharedRateLimiter {
	return postgres.NewSharedRateLimiter(t.Context(), a.db, postgres.RateLimitFlushEvery)
}

// The rate limits hold per token and per address, across API processes (two
// handlers, each with its own limiter, on one database), and answer RATE_LIMITED
// with when to retry.
func TestRateLimits(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	la, lb := a.limiter(t), a.limiter(t)
	o := graph.Options{RateLimits: graph.RateLimits{Limiter: la,
		TokenRate: 0.01, TokenBurst: 2, IPRate: 0.01, IPBurst: 3}}
	o2 := o
	o2.RateLimits.Limiter = lb
	one, two := a.server(o), a.server(o2)
	// share is the end of a flush interval in both processes: each has learned of
	// the other's requests.
	share := func() {
		for _, l := range []*postgres.SharedRateLimiter{la, lb, la} {
			must(t, l.Flush(t.Context()))
		}
	}
	const q = `{ me { email } }`

	t.Run("PerToken", func(t *testing.T) {
		tok := a.tokens["clerk"]
		// From different addresses, so that only the token's bucket fills.
		if r := sendFrom(t, one, "192.0.2.1", tok, q); len(r.Errors) > 0 {
			t.Fatalf("first: %+v", r.Errors)
		}
		if r := sendFrom(t, two, "192.0.2.2", tok, q); len(r.Errors) > 0 {
			t.Fatalf("second, through the other process: %+v", r.Errors)
		}
		share()
		checkThrottled(t, sendFrom(t, one, "192.0.2.3", tok, q))
		checkThrottled(t, sendFrom(t, two, "192.0.2.4", tok, q))
		// Another token from a fresh address is not held up.
		if r := sendFrom(t, one, "192.0.2.5", a.tokens["manager"], q); len(r.Errors) > 0 {
			t.Errorf("another token: %+v", r.Errors)
		}
	})
	t.Run("PerAddress", func(t *testing.T) {
		for i := range 3 {
			h := one
			if i == 1 {
				h = two
			}
			if r := sendFrom(t, h, "198.51.100.7", "", q); len(r.Errors) > 0 {
				t.Fatalf("request %d: %+v", i+1, r.Errors)
			}
		}
		share()
		checkThrottled(t, sendFrom(t, two, "198.51.100.7", "", q))
		// Signing in does not escape the address's bucket.
		checkThrottled(t, sendFrom(t, one, "198.51.100.7", a.tokens["admin"], q))
		if r := sendFrom(t, one, "198.51.100.8", "", q); len(r.Errors) > 0 {
			t.Errorf("another address: %+v", r.Errors)
		}
	})
	t.Run("BehindALoadBalancer", func(t *testing.T) {
		lb, err := graph.ParseTrustedProxies("10.0.0.0/8")
		must(t, err)
		trusting := o
		trusting.TrustedProxies = lb
		h := a.server(trusting)
		// Two shoppers behind the balancer 10.1.1.1: each has a bucket of its own.
		for range 3 {
			if r := sendVia(t, h, "10.1.1.1", "203.0.113.20", "", q); len(r.Errors) > 0 {
				t.Fatalf("first client: %+v", r.Errors)
			}
		}
		checkThrottled(t, sendVia(t, h, "10.1.1.1", "203.0.113.20", "", q))
		// A client's own X-Forwarded-For is read from the right: only what the
		// trusted hop appended counts, so inventing addresses escapes nothing.
		checkThrottled(t, sendVia(t, h, "10.1.1.1", "198.18.0.1, 203.0.113.20", "", q))
		if r := sendVia(t, h, "10.1.1.1", "203.0.113.21", "", q); len(r.Errors) > 0 {
			t.Errorf("second client behind the same balancer: %+v", r.Errors)
		}
		// Without trusted proxies the header is anybody's to send, and ignored: the
		// bucket is the peer's.
		for i := range 3 {
			if r := sendVia(t, one, "192.0.2.60", fmt.Sprintf("198.18.1.%d", i), "", q); len(r.Errors) > 0 {
				t.Fatalf("request %d: %+v", i+1, r.Errors)
			}
		}
		checkThrottled(t, sendVia(t, one, "192.0.2.60", "198.18.1.99", "", q))
	})
	t.Run("DatabaseDownLetsRequestsThrough", func(t *testing.T) {
		// A limiter that cannot reach its buckets must not turn into an outage of
		// its own: the request goes on (and fails there if it needs the database).
		down := a.server(graph.Options{RateLimits: graph.RateLimits{Limiter: failingLimiter{}}})
		if r := sendFrom(t, down, "203.0.113.9", "", `{ allergens { nameJa } }`); len(r.Errors) > 0 {
			t.Errorf("refused: %+v", r.Errors)
		}
	})
}

type failingLimiter struct{}

func (failingLimiter) Allow(context.Context, []tsunagu.RateLimit) (time.Duration, error) {
	return 0, context.DeadlineExceeded
}

// A request that runs out of time answers TIMEOUT, not an internal error.
func TestRequestTimeout(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	h := a.server(graph.Options{RequestTimeout: time.Nanosecond})
	r := sendFrom(t, h, "192.0.2.1", "", `{ products { edges { node { name } } } }`)
	if r.code() != "TIMEOUT" {
		t.Errorf("anonymous: status %d, code %q: %+v %s", r.Status, r.code(), r.Errors, r.Data)
	}
	r = sendFrom(t, h, "192.0.2.1", a.tokens["clerk"], `{ me { email } }`)
	if r.code() != "TIMEOUT" || r.Status != 503 {
		t.Errorf("signed in: status %d, code %q: %+v", r.Status, r.code(), r.Errors)
	}
}
