package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/lib/pq"
	"github.com/sethvargo/go-retry"
)

// A server started while PostgreSQL is away listens at once and waits for it:
// /healthz answers 200 (the process lives, so an orchestrator does not restart it
// in a loop), everything else 503 UNAVAILABLE with Retry-After (so a load balancer
// sends it nothing, and a client knows to come back), until the database is
// reachable and migrated and the API's handler takes over.

// Connecting waits 500 ms after the first failed attempt, doubling up to 30 s, each
// wait ±10 % at random so that processes started together do not knock together.
const (
	connectBase   = 500 * time.Millisecond
	connectCap    = 30 * time.Second
	connectJitter = 10 // percent
)

// startupGate is the server's handler: 503 until open hands it the API's.
type startupGate struct {
	api atomic.Pointer[http.Handler]
	// retryAt is when the next attempt to reach the database starts (Unix nanoseconds).
	retryAt atomic.Int64
}

// open hands every request from now on to h.
func (g *startupGate) open(h http.Handler) { g.api.Store(&h) }

func (g *startupGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := g.api.Load(); h != nil {
		(*h).ServeHTTP(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if r.URL.Path == "/healthz" {
		w.Write([]byte("ok\n"))
		return
	}
	// Seconds until the next attempt, at least one: when the client may find the
	// server ready.
	wait := max(1, int(math.Ceil(time.Until(time.Unix(0, g.retryAt.Load())).Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(wait))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusServiceUnavailable)
	json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
		"message":    "The service is starting and cannot reach its database yet. Please try again in a moment.",
		"extensions": map[string]any{"code": "UNAVAILABLE"},
	}}})
}

// listen opens the server's address and serves srv on it (its handler a
// startupGate until the database is ready); errc receives the end of serving.
func listen(srv *http.Server, errc chan<- error) error {
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return err
	}
	go func() { errc <- srv.Serve(ln) }()
	return nil
}

// awaitDatabase runs connect until it succeeds, waiting between attempts as the
// constants above say, and logs each failed attempt with the wait before the next.
// It gives up, with an error log line, at the first error retrying cannot heal
// (permanent), and returns ctx's error when ctx ends first.
func awaitDatabase(ctx context.Context, g *startupGate, log *slog.Logger, connect func(context.Context) error) error {
	next := retry.WithJitterPercent(connectJitter, retry.WithCappedDuration(connectCap, retry.NewExponential(connectBase)))
	var attempt int
	var last error
	b := retry.BackoffFunc(func() (time.Duration, bool) {
		d, stop := next.Next()
		g.retryAt.Store(time.Now().Add(d).UnixNano())
		log.Warn("the database is not reachable yet: not ready, trying again", "attempt", attempt,
			"in", d.Round(time.Millisecond), "err", last)
		return d, stop
	})
	err := retry.Do(ctx, b, func(ctx context.Context) error {
		attempt++
		last = connect(ctx)
		if _, ok := permanent(last); last == nil || ok {
			return last
		}
		return retry.RetryableError(last)
	})
	switch {
	case err == nil:
		if attempt > 1 {
			log.Info("the database is reachable: ready", "attempts", attempt)
		}
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	}
	code, _ := permanent(err)
	log.Error("the database refuses the server, and retrying will not change that: fix DATABASE_URL or the database, then start again",
		"attempt", attempt, "sqlstate", string(code), "err", err)
	return fmt.Errorf("database: %w", err)
}

// permanent reports whether err is one that waiting will not heal, with its
// SQLSTATE: the server's credentials refused (class 28), its database missing (3D),
// or a statement refused as invalid or not permitted (42: a migration). A refused
// connection, a server starting or shutting down (57P03, 57P01) and every other
// error are worth another attempt.
func permanent(err error) (pq.ErrorCode, bool) {
	var pe *pq.Error
	if !errors.As(err, &pe) {
		return "", false
	}
	switch pe.Code.Class() {
	case "28", "3D", "42":
		return pe.Code, true
	}
	return pe.Code, false
}
