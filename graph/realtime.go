package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"tsunagu/internal/tsunagu"
)

// Realtime configures GraphQL subscriptions over WebSocket at /graphql
// (graphql-transport-ws). Without a Hub, upgrades are refused.
type Realtime struct {
	// Hub receives the committed events (postgres.EventsReceiver on the process's
	// listener).
	Hub *Hub
	// AllowedOrigins are the browser origins ("https://pos.example.jp") that may
	// open a socket besides the server's own; a request without Origin is not a
	// browser's and is let through (cross-site WebSocket hijacking needs one).
	AllowedOrigins []string
	// Limits: open sockets per bearer token (default 8) and per client address
	// (default 200), subscriptions per socket (default 20), bytes of a message from
	// the client (default 64 KiB).
	MaxSocketsPerToken, MaxSocketsPerAddress, MaxSubscriptionsPerSocket int
	MaxMessageBytes                                                     int64
	// PingInterval is how often the server pings (default 25 s); a client that does
	// not answer within twice that is dropped.
	PingInterval time.Duration
	// Recheck is how often a socket's token is checked again (default 1 min); a
	// revocation (logout, a disabled or changed account) is acted on at once, and
	// after the listener lost events, once it listens again.
	Recheck time.Duration
}

func (rt *Realtime) defaults() {
	if rt.MaxSocketsPerToken == 0 {
		rt.MaxSocketsPerToken = 8
	}
	if rt.MaxSocketsPerAddress == 0 {
		rt.MaxSocketsPerAddress = 200
	}
	if rt.MaxSubscriptionsPerSocket == 0 {
		rt.MaxSubscriptionsPerSocket = 20
	}
	if rt.MaxMessageBytes == 0 {
		rt.MaxMessageBytes = 64 << 10
	}
	if rt.PingInterval == 0 {
		rt.PingInterval = 25 * time.Second
	}
	if rt.Recheck == 0 {
		rt.Recheck = time.Minute
	}
}

// Close codes of a socket, as graphql-transport-ws clients know them.
const (
	closeUnauthorized    = 4401
	closeForbidden       = 4403
	closeTooManyRequests = 4429
	closeInternal        = 1011
)

// websocketHandler serves GET /graphql: WebSocket upgrades for subscriptions,
// through the same schema and limits (depth, cost, aliases) as POST.
func (res *Resolver) websocketHandler(o Options) http.Handler {
	rt := o.Realtime
	rt.defaults()
	counts := &socketCounts{n: map[string]int{}}
	srv := newGraphQLHandler(res, o).(*handler.Server)
	srv.AddTransport(transport.Websocket{
		// The Origin is checked before the upgrade, by originAllowed.
		Implementation: socketAccepter{transport.CoderWebsocketImplementation{
			AcceptOptions: websocket.AcceptOptions{InsecureSkipVerify: true}}},
		InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			return socketFrom(ctx).init(ctx, p)
		},
		InitTimeout:      10 * time.Second,
		PingPongInterval: rt.PingInterval,
		PayloadReadLimit: &rt.MaxMessageBytes,
		ErrorFunc: func(ctx context.Context, err error) {
			o.Log.DebugContext(ctx, "websocket", "err", err, "request_id", requestID(ctx))
		},
	})
	// Each event is a response of its own, read afresh: its loaders must not hold
	// what an earlier event read.
	srv.AroundOperations(socketOperation)
	srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		return next(withLoaders(ctx, newLoaders(res)))
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := newRequestID()
		w.Header().Set("X-Request-ID", id)
		if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			writeError(w, http.StatusBadRequest, tsunagu.Errorf(tsunagu.CodeInvalidInput, "",
				"GET /graphql opens a WebSocket (graphql-transport-ws) for subscriptions; send queries and mutations with POST."))
			return
		}
		if rt.Hub == nil {
			writeError(w, http.StatusServiceUnavailable, errNoLiveUpdates)
			return
		}
		if !rt.originAllowed(r) {
			writeError(w, http.StatusForbidden, tsunagu.Errorf(tsunagu.CodeForbidden, "",
				"WebSockets from this origin are not allowed."))
			return
		}
		addr := "ip:" + o.TrustedProxies.clientAddress(r)
		if !counts.acquire(addr, rt.MaxSocketsPerAddress) {
			writeError(w, http.StatusTooManyRequests, tsunagu.Errorf(tsunagu.CodeRateLimited, "",
				"Too many open connections from your address (at most %d).", rt.MaxSocketsPerAddress))
			return
		}
		defer counts.release(addr)
		rt.Hub.sockets.Add(1)
		defer rt.Hub.sockets.Add(-1)
		// The server's read and write timeouts are for requests; a socket lives on.
		rc := http.NewResponseController(w)
		rc.SetReadDeadline(time.Time{})
		rc.SetWriteDeadline(time.Time{})
		ctx, cancel := context.WithCancel(context.WithValue(r.Context(), requestIDKey{}, id))
		s := &socket{res: res, rt: &rt, counts: counts, cancel: cancel}
		defer s.done()
		srv.ServeHTTP(w, r.WithContext(context.WithValue(ctx, socketKey{}, s)))
	})
}

// originAllowed reports whether a browser at the request's Origin may open a
// socket: the server's own origin, or one of AllowedOrigins.
func (rt *Realtime) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, a := range rt.AllowedOrigins {
		if strings.EqualFold(strings.TrimSuffix(a, "/"), origin) {
			return true
		}
	}
	return false
}

// socketCounts counts the open sockets of this process per key (a token's hash, an
// address). The limits are per process: a socket lives in one.
type socketCounts struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *socketCounts) acquire(key string, max int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[key] >= max {
		return false
	}
	c.n[key]++
	return true
}

func (c *socketCounts) release(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[key]--; c.n[key] <= 0 {
		delete(c.n, key)
	}
}

type socketKey struct{}

// socketFrom returns the socket a request arrived on, or nil for POST.
func socketFrom(ctx context.Context) *socket {
	s, _ := ctx.Value(socketKey{}).(*socket)
	return s
}

// socket is one WebSocket connection: its user, its subscriptions, its limits.
type socket struct {
	res    *Resolver
	rt     *Realtime
	counts *socketCounts
	cancel context.CancelFunc

	mu       sync.Mutex
	conn     transport.WebsocketConn
	tokenKey string
	subs     int
}

// socketAccepter hands the accepted connection to its socket, which closes it
// with a code of its own when the sign-in ends.
type socketAccepter struct {
	transport.CoderWebsocketImplementation
}

func (a socketAccepter) Accept(w http.ResponseWriter, r *http.Request, o transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	c, err := a.CoderWebsocketImplementation.Accept(w, r, o)
	if err == nil {
		s := socketFrom(r.Context())
		s.mu.Lock()
		s.conn = c
		s.mu.Unlock()
	}
	return c, err
}

// init authenticates connection_init's payload: {"Authorization": "Bearer <token>"}
// for staff and signed-in shoppers, nothing for a guest. A bad token closes the
// socket with 4401.
func (s *socket) init(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	h := p.Authorization()
	if h == "" {
		return ctx, nil, nil
	}
	refuse := func(code int, msg string) (context.Context, *transport.InitPayload, error) {
		ctx = transport.AppendCloseReason(transport.WithWebsocketCloseCode(ctx, code), msg)
		return ctx, nil, errors.New(msg)
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	token = strings.TrimSpace(token)
	if !ok || token == "" {
		return refuse(closeUnauthorized, `Send {"Authorization": "Bearer <token>"}.`)
	}
	u, err := s.res.Auth.Authenticate(ctx, token)
	if tsunagu.ErrorCode(err) == tsunagu.CodeUnauthenticated {
		return refuse(closeUnauthorized, "Your sign-in has expired or is not valid.")
	}
	if err != nil {
		return refuse(closeInternal, "Could not check your sign-in; try again.")
	}
	sum := sha256.Sum256([]byte(token))
	key := "t:" + hex.EncodeToString(sum[:16])
	if !s.counts.acquire(key, s.rt.MaxSocketsPerToken) {
		return refuse(closeTooManyRequests, "Too many open connections for this sign-in (at most "+
			strconv.Itoa(s.rt.MaxSocketsPerToken)+").")
	}
	s.mu.Lock()
	s.tokenKey = key
	s.mu.Unlock()
	// Watched before the acknowledgement: a revocation from then on is seen.
	w, _ := s.rt.Hub.watch(topicUser(u.ID))
	go s.recheck(ctx, token, u, w)
	return tsunagu.WithUser(ctx, u, token), nil, nil
}

// recheck authenticates the token again whenever the hub announces a change of
// the user (a revoked token, a disabled or changed account) and every Recheck (an
// expired token, or an announcement lost), until the socket ends; then it closes
// the socket with 4401, or 4403 when the user's access changed.
func (s *socket) recheck(ctx context.Context, token string, u *tsunagu.User, w *watch) {
	tick := time.NewTicker(s.rt.Recheck)
	defer tick.Stop()
	defer func() {
		if w != nil {
			s.rt.Hub.unwatch(w)
		}
	}()
	for {
		var wake, lost <-chan struct{}
		var retry <-chan time.Time
		if w != nil {
			wake, lost = w.wake, w.lost
		} else {
			// Events stopped: watch again as soon as they come back.
			retry = time.After(time.Second)
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
			w.take()
		case <-lost:
			w = nil
			continue
		case <-retry:
			if w, _ = s.rt.Hub.watch(topicUser(u.ID)); w == nil {
				continue
			}
			// A revocation may have gone unannounced meanwhile: check now.
		case <-tick.C:
		}
		now, err := s.res.Auth.Authenticate(ctx, token)
		switch {
		case tsunagu.ErrorCode(err) == tsunagu.CodeUnauthenticated:
			s.close(closeUnauthorized, "Your sign-in has ended; sign in again.")
			return
		case err != nil:
			// The database did not answer: the next tick tries again.
		case !sameAccess(u, now):
			s.close(closeForbidden, "Your access has changed; connect again.")
			return
		}
	}
}

// sameAccess reports whether two reads of a user give the same rights.
func sameAccess(a, b *tsunagu.User) bool {
	return a.ID == b.ID && a.Role == b.Role && samePtr(a.MunicipalityID, b.MunicipalityID) && samePtr(a.ShopID, b.ShopID) && samePtr(a.FacilityID, b.FacilityID)
}

func samePtr[T comparable](x, y *T) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }

// close ends the socket with code, which the client sees with reason.
func (s *socket) close(code int, reason string) {
	s.mu.Lock()
	c := s.conn
	s.mu.Unlock()
	if c != nil {
		c.WriteClose(code, reason)
	}
	s.cancel()
}

// done releases what the socket held, once it has ended.
func (s *socket) done() {
	s.cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tokenKey != "" {
		s.counts.release(s.tokenKey)
		s.tokenKey = ""
	}
}

// subscribe counts a subscription of the socket against its limit; the returned
// func gives the place back.
func (s *socket) subscribe() (func(), error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.subs >= s.rt.MaxSubscriptionsPerSocket {
		return nil, tsunagu.Errorf(tsunagu.CodeRateLimited, "",
			"Too many subscriptions on this connection (at most %d); end one first.", s.rt.MaxSubscriptionsPerSocket)
	}
	s.subs++
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			s.subs--
			s.mu.Unlock()
		})
	}, nil
}

// subscriptionGate refuses subscriptions outside a WebSocket: over POST one would
// hold the request until its first event.
type subscriptionGate struct{}

func (subscriptionGate) ExtensionName() string                   { return "SubscriptionGate" }
func (subscriptionGate) Validate(graphql.ExecutableSchema) error { return nil }

func (subscriptionGate) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation != nil && op.Operation.Operation == ast.Subscription && socketFrom(ctx) == nil {
		err := gqlerror.Errorf("Subscriptions are served over a WebSocket at /graphql (graphql-transport-ws).")
		err.Extensions = map[string]any{"code": string(tsunagu.CodeInvalidInput)}
		return err
	}
	return nil
}
