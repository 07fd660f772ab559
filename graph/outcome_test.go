package graph_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	_ "github.com/lib/pq"

	"tsunagu/graph"
)

// An answer that leaves a mutation's outcome unknown (UNAVAILABLE, TIMEOUT) is
// sent with HTTP 503, never 200: a client and any proxy then take it as no answer
// and send the request again with the same idempotency key. Here a sale waits for
// its register session, which another transaction holds, until the request's time
// is up; the retry with the same key after the lock is gone sells once.
func TestOutcomeUnknownIs503(t *testing.T) {
	t.Parallel()
	a, h, raw, tx, body := saleBehindLock(t, 2*time.Second)
	ctx := context.Background()
	r := a.sendTo(h, "Bearer "+a.tokens["clerk"], body)
	if r.code() != "TIMEOUT" || r.Status != 503 {
		t.Errorf("a sale that ran out of time: status %d, code %q, want 503 TIMEOUT: %+v", r.Status, r.code(), r.Errors)
	}
	must(t, tx.Rollback())
	var sales int
	must(t, raw.QueryRowContext(ctx, `SELECT count(*) FROM sales`).Scan(&sales))
	if sales != 0 {
		t.Fatalf("%d sales after the timeout, want 0", sales)
	}

	r = a.sendTo(h, "Bearer "+a.tokens["clerk"], body)
	if r.Status != 200 || len(r.Errors) > 0 {
		t.Fatalf("the retry: status %d, %+v", r.Status, r.Errors)
	}
	r = a.sendTo(h, "Bearer "+a.tokens["clerk"], body)
	must(t, raw.QueryRowContext(ctx, `SELECT count(*) FROM sales`).Scan(&sales))
	if r.Status != 200 || sales != 1 {
		t.Errorf("after two answered tries with one key: status %d, %d sales, want 1", r.Status, sales)
	}
}

// sendTo posts a GraphQL request body to h with the Authorization header given.
func (a *api) sendTo(h http.Handler, authorization string, body []byte) *response {
	a.t.Helper()
	req := httptest.NewRequest("POST", "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", authorization)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var r response
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		a.t.Fatalf("response is not JSON (%d): %s", rec.Code, rec.Body.String())
	}
	r.Status, r.Header = rec.Code, rec.Header()
	return &r
}

// The same for UNAVAILABLE: the sale's connection is cut while it waits for the
// register session (every try of it: the transaction is retried on a new one), so
// the API cannot know whether it committed; the answer is 503, and the retry with
// the same key once the database is back sells once.
func TestOutcomeUnavailableIs503(t *testing.T) {
	t.Parallel()
	a, h, raw, tx, body := saleBehindLock(t, 30*time.Second)
	ctx := context.Background()
	answered := make(chan *response, 1)
	go func() { answered <- a.sendTo(h, "Bearer "+a.tokens["clerk"], body) }()
	var r *response
	for r == nil {
		select {
		case r = <-answered:
		case <-time.After(20 * time.Millisecond):
			// Cut every connection that waits for the session's lock.
			if _, err := raw.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`); err != nil {
				t.Fatal(err)
			}
		}
	}
	if r.code() != "UNAVAILABLE" || r.Status != 503 {
		t.Errorf("a sale whose connection broke: status %d, code %q, want 503 UNAVAILABLE: %+v", r.Status, r.code(), r.Errors)
	}
	must(t, tx.Rollback())
	r = a.sendTo(h, "Bearer "+a.tokens["clerk"], body)
	var sales int
	must(t, raw.QueryRowContext(ctx, `SELECT count(*) FROM sales`).Scan(&sales))
	if r.Status != 200 || len(r.Errors) > 0 || sales != 1 {
		t.Errorf("the retry: status %d, %+v, %d sales, want 1", r.Status, r.Errors, sales)
	}
}

// saleBehindLock is a clerk's sale (body) that will wait for its register session,
// which tx, on a connection of its own (raw), holds locked; h serves the API with
// requests given timeout.
func saleBehindLock(t *testing.T, timeout time.Duration) (*api, http.Handler, *sql.DB, *sql.Tx, []byte) {
	a := newAPI(t)
	s := a.session()
	p := a.stocked(a.homeFac, a.homeShop, 5)
	in := saleInput(a, s, p, 1)
	h := a.server(graph.Options{RequestTimeout: timeout})
	raw, err := sql.Open("postgres", a.url)
	must(t, err)
	t.Cleanup(func() { raw.Close() })
	tx, err := raw.BeginTx(context.Background(), nil)
	must(t, err)
	if _, err := tx.Exec(`SELECT id FROM register_sessions WHERE id = $1 FOR UPDATE`, int64(s.ID)); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"query": createSale, "variables": map[string]any{"in": in}})
	return a, h, raw, tx, body
}
