package graph

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"tsunagu/graph/generated"
	"tsunagu/internal/images"
	"tsunagu/internal/metrics"
	"tsunagu/internal/tsunagu"
)

// Options configure the HTTP API.
type Options struct {
	// Dev enables introspection and GraphiQL at /.
	Dev bool
	// MaxDepth bounds how deeply fields may nest (default 12).
	MaxDepth int
	// MaxComplexity bounds an operation's cost: the rows it may return, list fields
	// counting their children once per item (cost.go; default 25,000).
	MaxComplexity int
	// MaxSelections bounds the fields an operation selects once its fragments are
	// spread (default 2,000).
	MaxSelections int

	// MaxBodyBytes bounds a request body (default 1 MiB).
	MaxBodyBytes int64
	// MaxAliases bounds the aliased fields of an operation (default 30).
	MaxAliases int
	// MaxOperations bounds the operations in one document (default 5); only one runs.
	MaxOperations int
	// GQLGenCatalog serves Query.products through gqlgen's executor alone, without
	// the catalog page's own writer (catalogpage.go): the reference its answers are
	// checked against, and a way back should it ever answer wrong.
	GQLGenCatalog bool
	// RequestTimeout bounds the handling of one request (default 30 s).
	RequestTimeout time.Duration
	// RateLimits are the leaky buckets per token and per address (off without a
	// Limiter).
	RateLimits RateLimits
	// CatalogCache, when set, answers anonymous catalog queries from memory; it
	// must be fed by postgres.ListenCatalog.
	CatalogCache *CatalogCache
	// Wrote, when set, is called once each mutation has been answered, whatever
	// its outcome: cmd/tsunagu wakes the process's relay of notifications with it
	// (postgres.RelayNow), so that this process's catalog cache and subscribers
	// hear of the change at once, not at the relay's next turn.
	Wrote func()
	// Ready reports whether the service can take requests (e.g. the database answers).
	Ready func(context.Context) error
	// Dependencies are reported one by one at /readyz (see ready.go).
	Dependencies []Dependency
	Log          *slog.Logger
	// Metrics, when set, receive each request's figures (observe.go).
	Metrics *metrics.Metrics
	// CountStatements, when set, returns a context whose SQL statements it counts,
	// and how to read the count: each request's log line and metrics carry it.
	CountStatements func(context.Context) (context.Context, func() int64)
	// POS, when set, is the POS web app, served at /pos and below.
	POS http.Handler
	// Console, when set, is the partner console, served at /console and below.
	Console http.Handler
	// Realtime configures subscriptions over WebSocket at GET /graphql (realtime.go).
	Realtime Realtime
	// TrustedProxies are the load balancers whose X-Forwarded-For names the client
	// (clientaddr.go); none by default.
	TrustedProxies TrustedProxies
	// Images, when set with Resolver.Images, stores uploaded pictures of goods
	// (PUT /uploads/{token}) and serves them at /images/{name} (uploads.go).
	Images *images.Store
	// PublicURL is the origin the web apps reach the server at (https://…), which
	// the URLs of uploaded pictures start with; the request's own when empty.
	PublicURL string
}

func (o *Options) defaults() {
	if o.MaxDepth == 0 {
		o.MaxDepth = 12
	}
	if o.MaxComplexity == 0 {
		o.MaxComplexity = 25_000
	}
	if o.MaxSelections == 0 {
		o.MaxSelections = 2_000
	}
	if o.MaxAliases == 0 {
		o.MaxAliases = 30
	}
	if o.MaxOperations == 0 {
		o.MaxOperations = 5
	}
	o.RateLimits.defaults()
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = 1 << 20
	}
	if o.RequestTimeout == 0 {
		o.RequestTimeout = 30 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Ready == nil {
		o.Ready = func(context.Context) error { return nil }
	}
}

// NewServer returns the HTTP handler of the whole API: POST /graphql, /healthz,
// /readyz, the POS web app at /pos and the console at /console when given and, in dev mode, GraphiQL at /.
func NewServer(res *Resolver, o Options) http.Handler {
	o.defaults()
	mux := http.NewServeMux()
	mux.Handle("POST /graphql", observe(o, res.middleware(o, newGraphQLHandler(res, o))))
	mux.Handle("GET /graphql", res.websocketHandler(o))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /readyz", readyHandler(o))
	if o.Images != nil && res.Images != nil {
		mux.Handle("PUT /uploads/{token}", res.uploadHandler(o))
		mux.Handle("GET /images/{name}", o.Images)
	}
	if o.POS != nil {
		mux.Handle("GET /pos", o.POS)
		mux.Handle("GET /pos/", o.POS)
	}
	if o.Console != nil {
		mux.Handle("GET /console", o.Console)
		mux.Handle("GET /console/", o.Console)
	}
	if o.Dev {
		mux.Handle("GET /{$}", playground.Handler("Tsunagu", "/graphql"))
	}
	return mux
}

func newGraphQLHandler(res *Resolver, o Options) http.Handler {
	srv := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: res}))
	srv.AddTransport(graphqlPOST{})
	srv.SetQueryCache(newQueryCache())
	srv.SetParserTokenLimit(maxTokens)
	srv.SetDisableSuggestion(!o.Dev)
	if o.Dev {
		srv.Use(extension.Introspection{})
	}
	srv.Use(&queryLimits{maxDepth: o.MaxDepth, maxAliases: o.MaxAliases, maxSelections: o.MaxSelections,
		maxCost: o.MaxComplexity, introspection: o.Dev})
	srv.Use(operationLimit{max: o.MaxOperations})
	srv.Use(observer{})
	if o.Wrote != nil {
		srv.AroundOperations(afterMutation(o.Wrote))
	}
	srv.Use(subscriptionGate{})
	if !o.GQLGenCatalog {
		srv.Use(catalogPage{r: res})
	}
	srv.SetErrorPresenter(presentError(o.Log))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		o.Log.ErrorContext(ctx, "panic", "panic", p, "request_id", requestID(ctx), "stack", string(debug.Stack()))
		return errors.New("panic in resolver")
	})
	return srv
}

// afterMutation calls wrote once a mutation's answer is made (its transaction is
// over by then).
func afterMutation(wrote func()) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		h := next(ctx)
		if op := graphql.GetOperationContext(ctx).Operation; op == nil || op.Operation != ast.Mutation {
			return h
		}
		return func(ctx context.Context) *graphql.Response {
			r := h(ctx)
			wrote()
			return r
		}
	}
}

// middleware adds what every GraphQL request needs: a request ID, a body limit and a
// timeout, one operation per request, the rate limits, the catalog cache for
// anonymous reads, the user of its bearer token, and fresh loaders.
func (res *Resolver) middleware(o Options, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := newRequestID()
		w.Header().Set("X-Request-ID", id)
		ctx, cancel := context.WithTimeout(r.Context(), o.RequestTimeout)
		defer cancel()
		ctx = context.WithValue(ctx, requestIDKey{}, id)
		ctx = tsunagu.WithClientAddr(ctx, o.TrustedProxies.clientAddress(r))
		if !jsonRequest(r) {
			writeError(w, http.StatusUnsupportedMediaType, tsunagu.Errorf(tsunagu.CodeInvalidInput, "",
				"Send the request with Content-Type: application/json."))
			return
		}
		// The body is read here, whole, so that one too large (declared or chunked)
		// is refused with 413 before anything runs.
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, o.MaxBodyBytes))
		if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, tsunagu.Errorf(tsunagu.CodeOutOfRange, "",
				"The request is larger than %d bytes.", o.MaxBodyBytes))
			return
		} else if err != nil {
			writeError(w, http.StatusBadRequest, tsunagu.Errorf(tsunagu.CodeInvalidInput, "", "The request body could not be read."))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if refuseBatch(w, body) || o.RateLimits.throttle(ctx, o, w, r) {
			return
		}
		run := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			unknown := new(atomic.Bool)
			ctx := context.WithValue(withLoaders(r.Context(), newLoaders(res)), outcomeKey{}, unknown)
			next.ServeHTTP(&deadlineWriter{ResponseWriter: w, ctx: ctx, unknown: unknown}, r.WithContext(ctx))
		})
		if o.CatalogCache.serve(w, r.WithContext(ctx), body, run) {
			return
		}

		if h := r.Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				writeError(w, http.StatusUnauthorized, tsunagu.Errorf(tsunagu.CodeUnauthenticated, "",
					"Send the token as 'Authorization: Bearer <token>'."))
				return
			}
			u, err := res.Auth.Authenticate(ctx, strings.TrimSpace(token))
			if err != nil {
				if timedOut(err) {
					writeError(w, http.StatusServiceUnavailable, tsunagu.Errorf(tsunagu.CodeTimeout, "",
						"The request took too long; try again."))
					return
				}
				if tsunagu.ErrorCode(err) == tsunagu.CodeUnavailable {
					writeError(w, http.StatusServiceUnavailable, err)
					return
				}
				if tsunagu.ErrorCode(err) != tsunagu.CodeUnauthenticated {
					o.Log.ErrorContext(ctx, "authenticate", "err", err, "request_id", id)
					writeError(w, http.StatusServiceUnavailable, tsunagu.Errorf(tsunagu.CodeInternal, "", "Internal error."))
					return
				}
				writeError(w, http.StatusUnauthorized, err)
				return
			}
			ctx = tsunagu.WithUser(ctx, u, token)
		}
		run.ServeHTTP(w, r.WithContext(ctx))
	})
}

// writeError answers a request that never reached GraphQL execution, in the shape
// of a GraphQL response.
func writeError(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
		"message":    tsunagu.ErrorMessage(err),
		"extensions": map[string]any{"code": tsunagu.ErrorCode(err)},
	}}})
}

type requestIDKey struct{}

// outcomeKey holds, for a request, whether an error of it leaves the outcome
// unknown (UNAVAILABLE, TIMEOUT: a mutation may have committed or not). Such an
// answer goes out as 503, so that clients and proxies treat it as no answer and
// retry with the same idempotency key, never as a refusal.
type outcomeKey struct{}

func outcomeUnknown(ctx context.Context) {
	if b, ok := ctx.Value(outcomeKey{}).(*atomic.Bool); ok {
		b.Store(true)
	}
}

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// presentError shows clients only the domain's own errors, with extensions.code;
// GraphQL's own (syntax, validation, limits) pass as they are; anything else is
// logged with the request ID and shown as "Internal error.".
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var e *tsunagu.Error
		if errors.As(err, &e) {
			if e.Code == tsunagu.CodeUnavailable || e.Code == tsunagu.CodeTimeout {
				outcomeUnknown(ctx)
			}
			gqlErr.Message = e.Message
			gqlErr.Extensions = map[string]any{"code": e.Code}
			if e.Field != "" {
				gqlErr.Extensions["field"] = e.Field
			}
			return gqlErr
		}
		var ge *gqlerror.Error
		if errors.As(err, &ge) && ge.Err == nil {
			return gqlErr
		}
		if timedOut(err) {
			outcomeUnknown(ctx)
			return &gqlerror.Error{
				Message:    "The request took too long; try again, or ask for less.",
				Path:       gqlErr.Path,
				Extensions: map[string]any{"code": tsunagu.CodeTimeout, "requestId": requestID(ctx)},
			}
		}
		log.ErrorContext(ctx, "internal error", "err", err, "request_id", requestID(ctx), "path", gqlErr.Path.String())
		return &gqlerror.Error{
			Message:    "Internal error.",
			Path:       gqlErr.Path,
			Extensions: map[string]any{"code": tsunagu.CodeInternal, "requestId": requestID(ctx)},
		}
	}
}
