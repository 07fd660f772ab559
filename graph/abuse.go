package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"tsunagu/internal/tsunagu"
)

// Limits against hostile or runaway clients, beyond what limits.go measures of an
// operation (depth, aliases, size, cost): operations per document, one operation per HTTP request (no batches),
// and leaky-bucket rate limits per token and per client address.

// operationLimit refuses documents with more than max operations: only one runs,
// but every one of them is parsed and validated.
type operationLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = operationLimit{}

func (operationLimit) ExtensionName() string                   { return "OperationLimit" }
func (operationLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (o operationLimit) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Doc != nil && len(op.Doc.Operations) > o.max {
		err := gqlerror.Errorf("The document holds %d operations; at most %d are allowed.", len(op.Doc.Operations), o.max)
		err.Extensions = map[string]any{"code": "OPERATION_LIMIT_EXCEEDED"}
		return err
	}
	return nil
}

// refuseBatch answers a JSON array of operations (a batch) with an error: each
// HTTP request carries one operation, so that the limits above and the rate limits
// hold per operation. body is the request's, read whole by the middleware.
func refuseBatch(w http.ResponseWriter, body []byte) (refused bool) {
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
			"message":    "Send one operation per request; batches are not accepted.",
			"extensions": map[string]any{"code": "BATCH_LIMIT_EXCEEDED"},
		}}})
		return true
	}
	return false
}

// RateLimits configures the leaky buckets every request is counted against.
type RateLimits struct {
	// Limiter keeps the buckets; nil turns rate limiting off.
	Limiter tsunagu.RateLimiter
	// PerToken is the rate (requests a second) and burst of each bearer token
	// (default 20/s, burst 200).
	TokenRate  float64
	TokenBurst int
	// PerIP is the rate and burst of each client address, signed in or not
	// (default 50/s, burst 500: a shop's clerks may share one address).
	IPRate  float64
	IPBurst int
}

func (l *RateLimits) defaults() {
	if l.TokenRate == 0 {
		l.TokenRate, l.TokenBurst = 20, 200
	}
	if l.IPRate == 0 {
		l.IPRate, l.IPBurst = 50, 500
	}
}

// limits returns the buckets of a request: its client address (as the middleware
// put it in ctx) and, with a bearer token, the token (by its hash: the table never
// holds a usable token).
func (l *RateLimits) limits(ctx context.Context, r *http.Request) []tsunagu.RateLimit {
	out := []tsunagu.RateLimit{{Key: "ip:" + tsunagu.ClientAddrFrom(ctx), Rate: l.IPRate, Burst: l.IPBurst}}
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		h := sha256.Sum256([]byte(strings.TrimSpace(token)))
		out = append(out, tsunagu.RateLimit{Key: "t:" + hex.EncodeToString(h[:16]), Rate: l.TokenRate, Burst: l.TokenBurst})
	}
	return out
}

// throttle counts the request against its buckets and answers it with
// RATE_LIMITED, status 429 and Retry-After when one of them is full. When the
// buckets cannot be read (the database is down) the request goes on: it will fail
// on its own if the database is needed, and a limiter must not add an outage.
func (l *RateLimits) throttle(ctx context.Context, o Options, w http.ResponseWriter, r *http.Request) bool {
	if l.Limiter == nil {
		return false
	}
	wait, err := l.Limiter.Allow(ctx, l.limits(ctx, r))
	if err != nil {
		o.Log.WarnContext(ctx, "rate limiter", "err", err, "request_id", requestID(ctx))
		return false
	}
	if wait <= 0 {
		return false
	}
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusTooManyRequests)
	json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
		"message":    "Too many requests; try again in " + strconv.Itoa(secs) + " s.",
		"extensions": map[string]any{"code": tsunagu.CodeRateLimited, "retryAfter": secs},
	}}})
	return true
}

// timedOut reports whether err comes from the request running out of time.
func timedOut(err error) bool {
	return err != nil && (tsunagu.ErrorCode(err) == tsunagu.CodeTimeout || errors.Is(err, context.DeadlineExceeded))
}

// deadlineWriter stands in for the response of a request whose deadline passed
// before execution could start: gqlgen then answers "null", which tells the client
// nothing; this answers TIMEOUT instead. An answer with an error whose outcome is
// unknown (see outcomeKey) gets the status 503.
type deadlineWriter struct {
	http.ResponseWriter
	ctx     context.Context
	unknown *atomic.Bool
	started bool
}

func (d *deadlineWriter) WriteHeader(status int) {
	d.started = true
	d.ResponseWriter.WriteHeader(status)
}

func (d *deadlineWriter) Write(b []byte) (int, error) {
	if !d.started && string(b) == "null" && timedOut(d.ctx.Err()) {
		d.started = true
		writeError(d.ResponseWriter, http.StatusServiceUnavailable, tsunagu.Errorf(tsunagu.CodeTimeout, "",
			"The request took too long; try again, or ask for less."))
		return len(b), nil
	}
	if !d.started && d.unknown.Load() {
		d.WriteHeader(http.StatusServiceUnavailable)
	}
	d.started = true
	return d.ResponseWriter.Write(b)
}
