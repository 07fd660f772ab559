package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/internal/tsunagu"
)

// What every GraphQL request leaves behind: one log line (request ID, operation,
// user role, result, duration, SQL statements) and its figures in the metrics.

// requestInfo is filled in as a request passes through the API (the cache, the
// GraphQL executor) and read when it has been answered. One goroutine handles a
// request, so it needs no lock.
type requestInfo struct {
	operation string // the first root field: bounded by the schema, fit for a label
	opName    string // the operationName the client chose, for the log only
	result    string // "ok", a userError code, or an error code
	role      string // the user's role, once authenticated
}

type requestInfoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	if i, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return i
	}
	return &requestInfo{} // a request that did not come through observe
}

// observe wraps the /graphql handler: it times the request, counts its
// statements (Options.CountStatements), logs it and records it in Options.Metrics.
// Requests refused before execution (rate limit, body size, bad token) get the code
// of the error they were answered with.
func observe(o Options, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{}
		ctx := context.WithValue(r.Context(), requestInfoKey{}, info)
		statements := func() int64 { return 0 }
		if o.CountStatements != nil {
			ctx, statements = o.CountStatements(ctx)
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(ctx))
		d := time.Since(start)
		if info.result == "" {
			info.result = errorCode(rec.body)
		}
		if info.operation == "" {
			info.operation = "-"
		}
		n := statements()
		o.Metrics.Request(info.operation, info.result, d, n)
		role := info.role
		if role == "" {
			role = "anonymous"
		}
		if h := o.Log.Handler(); h.Enabled(ctx, slog.LevelInfo) {
			// The record made here rather than by Logger.LogAttrs, which asks
			// runtime.Callers for the caller's PC, a source no handler of ours
			// prints (and always this line): that walk of the stack was half of the
			// log line's cost in BenchmarkCatalogPage.
			r := slog.NewRecord(start.Add(d), slog.LevelInfo, "request", 0)
			r.AddAttrs(slog.String("request_id", w.Header().Get("X-Request-Id")), // canonical: Get need not copy it
				slog.String("operation", info.operation), slog.String("operation_name", info.opName),
				slog.String("role", role), slog.String("result", info.result), slog.Int("status", rec.status),
				slog.Duration("duration", d), slog.Int64("statements", n))
			h.Handle(ctx, r)
		}
	})
}

// statusRecorder keeps the status and the start of an error answer's body (to read
// its code).
type statusRecorder struct {
	http.ResponseWriter
	status int
	body   []byte
}

func (s *statusRecorder) WriteHeader(status int) {
	s.status = status
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status != http.StatusOK && len(s.body) < 4096 {
		s.body = append(s.body, b[:min(len(b), 4096-len(s.body))]...)
	}
	return s.ResponseWriter.Write(b)
}

// errorCode reads the code of the first error of a GraphQL answer's body; "ok"
// when there is none.
func errorCode(body []byte) string {
	var r struct {
		Errors []struct {
			Extensions struct{ Code string }
		}
	}
	if len(body) == 0 || json.Unmarshal(body, &r) != nil || len(r.Errors) == 0 {
		if len(body) > 0 {
			return "ERROR"
		}
		return "ok"
	}
	if c := r.Errors[0].Extensions.Code; c != "" {
		return c
	}
	return "ERROR"
}

// observer is the executor's side of observe: it names the operation and reads the
// result from the answer (its first error's code, else the first userError's code
// of a mutation's payload).
type observer struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = observer{}

func (observer) ExtensionName() string                   { return "Observer" }
func (observer) Validate(graphql.ExecutableSchema) error { return nil }

func (observer) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	info := infoFrom(ctx)
	if !graphql.HasOperationContext(ctx) {
		return resp
	}
	op := graphql.GetOperationContext(ctx)
	info.opName = op.OperationName
	if u := tsunagu.UserFrom(ctx); u != nil {
		info.role = string(u.Role)
	}
	if op.Operation != nil {
		info.operation = rootField(op.Operation.SelectionSet)
	}
	if resp == nil {
		return resp
	}
	switch {
	case len(resp.Errors) > 0:
		info.result = "ERROR"
		if c, ok := resp.Errors[0].Extensions["code"]; ok {
			info.result = fmt.Sprint(c)
		}
	case op.Operation != nil && op.Operation.Operation == ast.Mutation:
		info.result = userErrorCode(resp.Data)
	default:
		info.result = "ok"
	}
	return resp
}

// rootField names an operation by its first root field.
func rootField(set ast.SelectionSet) string {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			return s.Name
		case *ast.InlineFragment:
			return rootField(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				return rootField(s.Definition.SelectionSet)
			}
		}
	}
	return "-"
}

// userErrorCode returns the code of the first userError among a mutation's
// payloads, or "ok". Most mutations succeed, and their payloads' userErrors are
// empty: gqlgen writes the answer compact, and a quote inside a string is escaped,
// so without the bytes "userErrors":[{ there is no userError to find, and the
// answer is not decoded (decoding every mutation's answer again was 5 % of the
// server's CPU in make bench's sale case).
func userErrorCode(data json.RawMessage) string {
	if !bytes.Contains(data, []byte(`"userErrors":[{`)) {
		return "ok"
	}
	var payloads map[string]json.RawMessage
	if json.Unmarshal(data, &payloads) != nil {
		return "ok"
	}
	for _, p := range payloads {
		var v struct {
			UserErrors []struct{ Code string } `json:"userErrors"`
		}
		if json.Unmarshal(p, &v) == nil && len(v.UserErrors) > 0 && v.UserErrors[0].Code != "" {
			return v.UserErrors[0].Code
		}
	}
	return "ok"
}
