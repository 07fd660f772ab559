package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"tsunagu/graph"
	"tsunagu/graph/gid"
	"tsunagu/internal/metrics"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// wait bounds how long a test waits for something that must happen: an event, a
// close. It is a deadline, not a delay: the tests go on as soon as it happens.
const wait = 10 * time.Second

// process starts another API process on a's database: its own hub and listener,
// served over real HTTP. It returns the base URL.
func (a *api) process(t *testing.T, rt graph.Realtime) (string, *graph.Hub) {
	t.Helper()
	return a.processWith(t, graph.Options{Realtime: rt})
}

// processWith is process with the server's options o (its Realtime.Hub is made
// here), and a token cache, fed on the hub's listening connection as
// cmd/tsunagu feeds it: its sockets' revocations are seen through the cache.
func (a *api) processWith(t *testing.T, o graph.Options) (string, *graph.Hub) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	o.Realtime.Hub = graph.NewHub()
	tokens := postgres.NewTokenCache(postgres.TokenCacheSize, postgres.TokenCacheMaxAge)
	must(t, postgres.Listen(ctx, a.url, nil, postgres.EventsReceiver(o.Realtime.Hub), tokens))
	auth := *a.auth
	auth.Tokens = tokens
	srv := httptest.NewServer(a.serverAuth(&auth, o))
	t.Cleanup(srv.Close)
	return srv.URL, o.Realtime.Hub
}

// post runs a GraphQL operation over HTTP against the process at base.
func post(t *testing.T, base, token, query string, vars map[string]any) *response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest("POST", base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	defer res.Body.Close()
	var r response
	must(t, json.NewDecoder(res.Body).Decode(&r))
	r.Status = res.StatusCode
	return &r
}

// wsMessage is a graphql-transport-ws message.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

type wsClient struct {
	t *testing.T
	c *websocket.Conn
}

// dial opens a socket to the process at base, with origin as the Origin header
// when not empty.
func dial(t *testing.T, base, origin string) (*wsClient, *http.Response, error) {
	t.Helper()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	return dialWith(t, base, h)
}

// dialWith opens a socket to the process at base with the request headers h.
func dialWith(t *testing.T, base string, h http.Header) (*wsClient, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	c, res, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: h})
	if err != nil {
		return nil, res, err
	}
	t.Cleanup(func() { c.CloseNow() })
	return &wsClient{t: t, c: c}, res, nil
}

// connect opens a socket and initialises it as the given token ("" for a guest).
func connect(t *testing.T, base, token string) *wsClient {
	t.Helper()
	c, _, err := dial(t, base, "")
	must(t, err)
	c.init(token)
	if m := c.read(); m.Type != "connection_ack" {
		t.Fatalf("got %s %s, want connection_ack", m.Type, m.Payload)
	}
	return c
}

func (c *wsClient) init(token string) {
	payload := map[string]any{}
	if token != "" {
		payload["Authorization"] = "Bearer " + token
	}
	c.send(map[string]any{"type": "connection_init", "payload": payload})
}

func (c *wsClient) send(v any) {
	c.t.Helper()
	b, _ := json.Marshal(v)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	must(c.t, c.c.Write(ctx, websocket.MessageText, b))
}

// readErr returns the next message other than a ping (answered), or the error
// that ended the socket; it fails the test after wait.
func (c *wsClient) readErr() (wsMessage, error) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	for {
		_, b, err := c.c.Read(ctx)
		if ctx.Err() != nil {
			c.t.Fatalf("nothing came within %s", wait)
		}
		if err != nil {
			return wsMessage{}, err
		}
		var m wsMessage
		must(c.t, json.Unmarshal(b, &m))
		if m.Type == "ping" {
			c.send(map[string]any{"type": "pong"})
			continue
		}
		return m, nil
	}
}

func (c *wsClient) read() wsMessage {
	c.t.Helper()
	m, err := c.readErr()
	must(c.t, err)
	return m
}

// closed waits for the server to close the socket and returns the close code.
func (c *wsClient) closed() websocket.StatusCode {
	c.t.Helper()
	for {
		m, err := c.readErr()
		if err != nil {
			return websocket.CloseStatus(err)
		}
		c.t.Logf("before the close: %s %s", m.Type, m.Payload)
	}
}

func (c *wsClient) subscribe(id, query string, vars map[string]any) {
	c.send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}})
}

// refused reads the answer to subscription id (any with "") that refuses it and
// returns the error code.
func (c *wsClient) refused(id string) string {
	c.t.Helper()
	m := c.read()
	var errs []struct {
		Extensions map[string]any `json:"extensions"`
	}
	switch m.Type {
	case "error":
		must(c.t, json.Unmarshal(m.Payload, &errs))
	case "next":
		var p struct {
			Errors []struct {
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		must(c.t, json.Unmarshal(m.Payload, &p))
		errs = p.Errors
	}
	if (id != "" && m.ID != id) || len(errs) == 0 {
		c.t.Fatalf("got %s %q %s, want an error for %s", m.Type, m.ID, m.Payload, id)
	}
	code, _ := errs[0].Extensions["code"].(string)
	return code
}

// eventOrder is an order as the subscriptions below select it.
type eventOrder struct {
	ID      string
	Status  string
	Version int
}

const orderEventFields = `{ id status version shop { name } lines { name quantity } }`

// order reads the next message, which must be an order event of subscription id.
func (c *wsClient) order(id string) eventOrder {
	c.t.Helper()
	var o eventOrder
	c.event(id, &o)
	return o
}

// await reads order events of subscription id until order want arrives in
// status, and returns it. On the way it passes over events of want itself and of
// the orders in may (announcements of earlier writes still arriving); an event of
// any other order fails the test: the subscriber may not see it.
func (c *wsClient) await(id, want, status string, may map[string]bool) eventOrder {
	c.t.Helper()
	for {
		o := c.order(id)
		if o.ID == want && o.Status == status {
			return o
		}
		if o.ID != want && !may[o.ID] {
			c.t.Fatalf("got %+v while waiting for %s %s", o, want, status)
		}
	}
}

// event reads the next message, which must be an event of subscription id, and
// decodes its object into out.
func (c *wsClient) event(id string, out any) {
	c.t.Helper()
	m := c.read()
	var p struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors []any                      `json:"errors"`
	}
	if m.Type != "next" || m.ID != id {
		c.t.Fatalf("got %s %q %s, want an event of %s", m.Type, m.ID, m.Payload, id)
	}
	must(c.t, json.Unmarshal(m.Payload, &p))
	if len(p.Errors) > 0 || len(p.Data) != 1 {
		c.t.Fatalf("event %s", m.Payload)
	}
	for _, v := range p.Data {
		must(c.t, json.Unmarshal(v, out))
	}
}

// An order changed through one API process reaches the subscribers connected to
// another: its shop's clerk, and the shopper by the order's token; another shop's
// clerk and another order's shopper get nothing of it (each checked by the next
// event they may see coming first).
func TestSubscriptionsAcrossProcesses(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	subscriber, hub := a.process(t, graph.Realtime{})
	writer, _ := a.process(t, graph.Realtime{})
	home := a.paidCheckout(a.homeShop, tsunagu.FulfilPickup)
	home2 := a.paidCheckout(a.homeShop, tsunagu.FulfilPickup)
	partner := a.paidCheckout(a.partnerShop, tsunagu.FulfilPickup)
	const n = 20
	cos := make([]*tsunagu.Checkout, n) // for the latency
	for i := range cos {
		cos[i] = a.paidCheckout(a.homeShop, tsunagu.FulfilPickup)
	}
	oid := func(co *tsunagu.Checkout) string { return a.id(gid.KindOrder, int64(co.Order.ID)) }

	shopEvents := `subscription($shop: ID!) { shopOrderEvents(shopId: $shop) ` + orderEventFields + ` }`
	clerk := connect(t, subscriber, a.tokens["clerk"])
	clerk.subscribe("1", shopEvents, map[string]any{"shop": a.id(gid.KindLocation, int64(a.homeShop.ID))})
	otherClerk := connect(t, subscriber, a.tokens["otherClerk"])
	otherClerk.subscribe("1", shopEvents, map[string]any{"shop": a.id(gid.KindLocation, int64(a.partnerShop.ID))})
	shopper := connect(t, subscriber, "")
	shopper.subscribe("s", `subscription($t: String!) { orderStatus(token: $t) `+orderEventFields+` }`,
		map[string]any{"t": home.Token})
	watching(t, hub, 5) // 3 subscriptions, 2 signed-in sockets

	ready := func(as string, co *tsunagu.Checkout) time.Time {
		t.Helper()
		start := time.Now()
		r := post(t, writer, a.tokens[as], markOrderReady, map[string]any{"in": map[string]any{"orderId": oid(co), "idempotencyKey": key()}})
		if len(r.Errors) > 0 {
			t.Fatalf("markOrderReady: %+v", r.Errors)
		}
		return start
	}

	// Announcements of the writes that made the fixtures may still be on their
	// way when a subscription starts: await skips those (of the orders in may) and
	// fails on any other.
	homeOrders := map[string]bool{oid(home): true, oid(home2): true}
	for _, co := range cos {
		homeOrders[oid(co)] = true
	}
	ready("clerk", home)
	if o := clerk.await("1", oid(home), "READY_FOR_PICKUP", homeOrders); o.Version < 2 {
		t.Errorf("clerk got %+v, want a version above 1", o)
	}
	shopper.await("s", oid(home), "READY_FOR_PICKUP", nil)
	ready("otherClerk", partner)
	// Nothing of the home shop's orders reached the other shop's clerk.
	otherClerk.await("1", oid(partner), "READY_FOR_PICKUP", nil)
	ready("clerk", home2)
	clerk.await("1", oid(home2), "READY_FOR_PICKUP", homeOrders)
	r := post(t, writer, a.tokens["clerk"], completeOrder, map[string]any{"in": map[string]any{"orderId": oid(home), "idempotencyKey": key()}})
	if len(r.Errors) > 0 {
		t.Fatalf("completeOrder: %+v", r.Errors)
	}
	// Nothing of home2 reached home's shopper.
	shopper.await("s", oid(home), "COMPLETED", nil)

	t.Run("Latency", func(t *testing.T) {
		clerk.await("1", oid(home), "COMPLETED", homeOrders)
		var ds []time.Duration
		for _, co := range cos {
			start := ready("clerk", co)
			clerk.await("1", oid(co), "READY_FOR_PICKUP", homeOrders)
			ds = append(ds, time.Since(start))
		}
		slices.Sort(ds)
		t.Logf("mutation sent on one process → event received on another, %d events: p50 %s, p99 %s (max)",
			n, ds[n/2], ds[n-1])
	})
}

// watching waits until n subscriptions and signed-in sockets watch hub's events:
// a socket runs each subscription's resolver in a goroutine of its own, so nothing
// the client receives says when a subscription is in place, unless it asks for the
// acknowledgement (TestSubscriptionAcknowledged).
func watching(t *testing.T, hub *graph.Hub, n int) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for hub.Watching() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d watching, want %d", hub.Watching(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// A subscription that asks for it is acknowledged by a first message sent once it
// is in place: a change made after the acknowledgement comes as an event, with no
// wait for anything else; a refused subscription gets its error, not an
// acknowledgement.
func TestSubscriptionAcknowledged(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	base, hub := a.process(t, graph.Realtime{})
	writer, _ := a.process(t, graph.Realtime{})
	co := a.paidCheckout(a.homeShop, tsunagu.FulfilPickup)
	oid := a.id(gid.KindOrder, int64(co.Order.ID))
	shopEvents := `subscription($shop: ID!) { shopOrderEvents(shopId: $shop) ` + orderEventFields + ` }`
	homeShop := map[string]any{"shop": a.id(gid.KindLocation, int64(a.homeShop.ID))}

	clerk := connect(t, base, a.tokens["clerk"])
	clerk.subscribeAcknowledged("1", shopEvents, homeShop)
	clerk.acknowledged("1")
	if n := hub.Watching(); n != 2 {
		t.Errorf("%d watching at the acknowledgement, want 2 (the socket's user, the subscription)", n)
	}
	r := post(t, writer, a.tokens["clerk"], markOrderReady, map[string]any{"in": map[string]any{"orderId": oid, "idempotencyKey": key()}})
	if len(r.Errors) > 0 {
		t.Fatalf("markOrderReady: %+v", r.Errors)
	}
	// The announcements of the order's payment may come first.
	clerk.await("1", oid, "READY_FOR_PICKUP", nil)

	t.Run("OrderStatus", func(t *testing.T) {
		shopper := connect(t, base, "")
		shopper.subscribeAcknowledged("s", `subscription($t: String!) { orderStatus(token: $t) `+orderEventFields+` }`,
			map[string]any{"t": co.Token})
		shopper.acknowledged("s")
		r := post(t, writer, a.tokens["clerk"], completeOrder, map[string]any{"in": map[string]any{"orderId": oid, "idempotencyKey": key()}})
		if len(r.Errors) > 0 {
			t.Fatalf("completeOrder: %+v", r.Errors)
		}
		shopper.await("s", oid, "COMPLETED", nil)
	})
	t.Run("Refused", func(t *testing.T) {
		c := connect(t, base, a.tokens["otherClerk"])
		c.subscribeAcknowledged("1", shopEvents, homeShop)
		if code := c.refused("1"); code != "FORBIDDEN" {
			t.Errorf("%s, want FORBIDDEN", code)
		}
	})
}

// subscribeAcknowledged starts subscription id asking for its acknowledgement.
func (c *wsClient) subscribeAcknowledged(id, query string, vars map[string]any) {
	c.send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars,
		"extensions": map[string]any{"acknowledge": true}}})
}

// acknowledged reads the next message, which must acknowledge subscription id.
func (c *wsClient) acknowledged(id string) {
	c.t.Helper()
	m := c.read()
	var p map[string]json.RawMessage
	if m.Type == "next" && m.ID == id {
		must(c.t, json.Unmarshal(m.Payload, &p))
	}
	if string(p["data"]) != "null" || string(p["extensions"]) != `{"subscribed":true}` || len(p) != 2 {
		c.t.Fatalf("got %s %q %s, want the acknowledgement of %s", m.Type, m.ID, m.Payload, id)
	}
}

// The socket's refusals, at the production limits.
func TestSubscriptionRefusals(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	base, _ := a.process(t, graph.Realtime{AllowedOrigins: []string{"https://pos.example.jp"}})
	writer, _ := a.process(t, graph.Realtime{})
	shopEvents := `subscription($shop: ID!) { shopOrderEvents(shopId: $shop) { id } }`
	homeShop := map[string]any{"shop": a.id(gid.KindLocation, int64(a.homeShop.ID))}

	t.Run("BadToken", func(t *testing.T) {
		c, _, err := dial(t, base, "")
		must(t, err)
		c.init("not-a-token")
		if code := c.closed(); code != 4401 {
			t.Errorf("closed with %d, want 4401", code)
		}
	})
	t.Run("ForeignOrigin", func(t *testing.T) {
		_, res, err := dial(t, base, "https://evil.example.com")
		if err == nil || res == nil || res.StatusCode != http.StatusForbidden {
			t.Errorf("dial from a foreign origin: %v, %v; want 403", err, res)
		}
		for _, origin := range []string{"https://pos.example.jp", base} {
			if _, _, err := dial(t, base, origin); err != nil {
				t.Errorf("dial from %s: %v", origin, err)
			}
		}
	})
	t.Run("ForbiddenShop", func(t *testing.T) {
		for _, as := range []string{"otherManager", "otherClerk", ""} {
			c := connect(t, base, a.tokens[as])
			c.subscribe("1", shopEvents, homeShop)
			want := "FORBIDDEN"
			if as == "" {
				want = "UNAUTHENTICATED"
			}
			if code := c.refused("1"); code != want {
				t.Errorf("%q: %s, want %s", as, code, want)
			}
		}
	})
	t.Run("WrongOrderToken", func(t *testing.T) {
		c := connect(t, base, "")
		c.subscribe("1", `subscription { orderStatus(token: "no-such-token") { id } }`, nil)
		if code := c.refused("1"); code != "NOT_FOUND" {
			t.Errorf("%s, want NOT_FOUND", code)
		}
	})
	t.Run("OverPOST", func(t *testing.T) {
		r := post(t, base, a.tokens["clerk"], shopEvents, homeShop)
		if r.code() != "INVALID_INPUT" {
			t.Errorf("code %q, want INVALID_INPUT", r.code())
		}
	})
	t.Run("TooDeep", func(t *testing.T) {
		c := connect(t, base, a.tokens["clerk"])
		deep := strings.Repeat("partners { ", 10) + "id" + strings.Repeat(" }", 10)
		c.subscribe("1", `subscription($shop: ID!) { shopOrderEvents(shopId: $shop) { shop { municipality { `+deep+` } } } }`, homeShop)
		if code := c.refused("1"); code != "DEPTH_LIMIT_EXCEEDED" {
			t.Errorf("%s, want DEPTH_LIMIT_EXCEEDED", code)
		}
	})
	t.Run("TooManySubscriptions", func(t *testing.T) {
		c := connect(t, base, a.tokens["manager"])
		for i := range 21 {
			c.subscribe(fmt.Sprint(i), shopEvents, homeShop)
		}
		// One of the 21 (they start concurrently) is refused; 20 stay.
		if code := c.refused(""); code != "RATE_LIMITED" {
			t.Errorf("%s, want RATE_LIMITED", code)
		}
	})
	t.Run("TooManySockets", func(t *testing.T) {
		tok := a.login(t, "clerk")
		for range 8 {
			connect(t, base, tok)
		}
		c, _, err := dial(t, base, "")
		must(t, err)
		c.init(tok)
		if code := c.closed(); code != 4429 {
			t.Errorf("closed with %d, want 4429", code)
		}
	})
	t.Run("MessageTooLarge", func(t *testing.T) {
		c := connect(t, base, a.tokens["clerk"])
		c.subscribe("1", shopEvents+strings.Repeat(" ", 70<<10), homeShop)
		if code := c.closed(); code != websocket.StatusMessageTooBig {
			t.Errorf("closed with %d, want %d", code, websocket.StatusMessageTooBig)
		}
	})
	t.Run("Revoked", func(t *testing.T) {
		// A process of its own: the sockets of the cases above end meanwhile.
		base, hub := a.process(t, graph.Realtime{})
		tok := a.login(t, "clerk")
		c := connect(t, base, tok)
		c.subscribe("1", shopEvents, homeShop)
		watching(t, hub, 2) // the socket's user, its subscription
		// Signed out through another process: the socket closes.
		if r := post(t, writer, tok, `mutation { logout { userErrors { code } } }`, nil); len(r.Errors) > 0 {
			t.Fatalf("logout: %+v", r.Errors)
		}
		if code := c.closed(); code != 4401 {
			t.Errorf("closed with %d, want 4401", code)
		}
	})
}

// Behind a trusted load balancer the socket limit per address counts each
// client's sockets (by X-Forwarded-For), not the balancer's; and the open sockets
// and subscriptions are metrics.
func TestSocketsBehindALoadBalancer(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	lb, err := graph.ParseTrustedProxies("127.0.0.1")
	must(t, err)
	base, hub := a.processWith(t, graph.Options{TrustedProxies: lb, Realtime: graph.Realtime{MaxSocketsPerAddress: 1}})
	m := metrics.New()
	hub.Instrument(m)
	from := func(addr string) http.Header { return http.Header{"X-Forwarded-For": {addr}} }
	shopEvents := `subscription($shop: ID!) { shopOrderEvents(shopId: $shop) { id } }`
	homeShop := map[string]any{"shop": a.id(gid.KindLocation, int64(a.homeShop.ID))}

	var clients []*wsClient
	for _, addr := range []string{"203.0.113.1", "203.0.113.2"} {
		c, _, err := dialWith(t, base, from(addr))
		if err != nil {
			t.Fatalf("the first socket of %s: %v", addr, err)
		}
		c.init(a.tokens["clerk"])
		if msg := c.read(); msg.Type != "connection_ack" {
			t.Fatalf("%s: got %s, want connection_ack", addr, msg.Type)
		}
		c.subscribe("1", shopEvents, homeShop)
		clients = append(clients, c)
	}
	_, res, err := dialWith(t, base, from("203.0.113.1"))
	if err == nil || res == nil || res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a second socket of 203.0.113.1: %v, %v; want 429", err, res)
	}
	watching(t, hub, 4) // two signed-in sockets, two subscriptions
	got := scrape(t, m)
	if got["tsunagu_websockets_open"] != 2 || got["tsunagu_subscriptions_open"] != 2 {
		t.Errorf("websockets_open %v, subscriptions_open %v; want 2 and 2",
			got["tsunagu_websockets_open"], got["tsunagu_subscriptions_open"])
	}
	for _, c := range clients {
		c.c.Close(websocket.StatusNormalClosure, "")
	}
	watching(t, hub, 0)
	deadline := time.Now().Add(wait)
	for scrape(t, m)["tsunagu_websockets_open"] != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("websockets_open stays at %v after the sockets closed", scrape(t, m)["tsunagu_websockets_open"])
		}
		time.Sleep(time.Millisecond)
	}
}

// login signs the user named in again and returns the new token.
func (a *api) login(t *testing.T, name string) string {
	t.Helper()
	s, err := a.auth.Login(context.Background(), tsunagu.LoginInput{Email: name + "@example.jp", Password: "password-" + name})
	must(t, err)
	return s.Token
}

// subscriptionMatrix has an entry for every subscription (checked by
// TestAuthorizationMatrixCoversSchema): who may subscribe, over the objects of
// the home municipality. Every other signed-in role must be refused FORBIDDEN,
// anonymous sockets UNAUTHENTICATED. That each event is then read as the
// subscriber is TestSubscriptionsAcrossProcesses's.
var subscriptionMatrix = map[string]authzCase{
	"shopOrderEvents": {`subscription($shop: ID!) { shopOrderEvents(shopId: $shop) { id } }`, shopStaff,
		func(a *api) map[string]any {
			return map[string]any{"shop": a.id(gid.KindLocation, int64(a.homeShop.ID))}
		}},
	// The order token is the shopper's key: anyone who holds it, signed in or not.
	"orderStatus": {`subscription($t: String!) { orderStatus(token: $t) { id } }`, roles,
		func(a *api) map[string]any {
			return map[string]any{"t": a.paidCheckout(a.homeShop, tsunagu.FulfilPickup).Token}
		}},
	"stockLevelChanged": {`subscription($loc: ID!) { stockLevelChanged(locationId: $loc) { onHand } }`, []string{"clerk", "manager", "admin"},
		func(a *api) map[string]any {
			return map[string]any{"loc": a.id(gid.KindLocation, int64(a.homeShop.ID))}
		}},
	"transferEvents": {`subscription($m: ID!) { transferEvents(municipalityId: $m) { id } }`, []string{"clerk", "manager", "admin"},
		func(a *api) map[string]any { return map[string]any{"m": a.id(gid.KindMunicipality, int64(a.home.ID))} }},
}

func TestSubscriptionAuthorization(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	base, hub := a.process(t, graph.Realtime{})
	for name, c := range subscriptionMatrix {
		for _, role := range roles {
			t.Run(name+"/as "+role, func(t *testing.T) {
				vars := c.vars(a)
				// Sequential subtests: nothing else watches meanwhile.
				before := hub.Watching()
				ws := connect(t, base, a.tokens[role])
				if role != "" {
					before++ // the signed-in socket's own watch
				}
				ws.subscribe("1", c.query, vars)
				switch {
				case slices.Contains(c.allowed, role):
					watching(t, hub, before+1)
				case role == "":
					if code := ws.refused("1"); code != "UNAUTHENTICATED" {
						t.Errorf("anonymous: %s, want UNAUTHENTICATED", code)
					}
				default:
					if code := ws.refused("1"); code != "FORBIDDEN" {
						t.Errorf("%s, want FORBIDDEN", code)
					}
				}
				ws.c.Close(websocket.StatusNormalClosure, "")
				if role != "" {
					before--
				}
				watching(t, hub, before)
			})
		}
	}
}

// Stock levels and transfers changed through one API process reach the
// subscribers on another that may read them, and only those: a clerk following
// their municipality's transfers gets none about another shop's (each checked by
// the next event they may see coming first).
func TestStockAndTransferEventsAcrossProcesses(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	subscriber, hub := a.process(t, graph.Realtime{})
	writer, _ := a.process(t, graph.Realtime{})
	p1, p2 := a.stocked(a.homeFac, a.homeShop, 5), a.stocked(a.homeFac, a.homeShop, 5)
	pPartner := a.stocked(a.partnerFac, a.partnerShop, 5)
	pWarehouse := a.stocked(a.homeFac, a.warehouse, 10)
	pPartnerShop := a.stocked(a.partnerFac, a.partnerShop, 10)
	loc := func(l *tsunagu.Location) string { return a.id(gid.KindLocation, int64(l.ID)) }
	prod := func(p *tsunagu.Product) string { return a.id(gid.KindProduct, int64(p.ID)) }
	muni := func(m *tsunagu.Municipality) string { return a.id(gid.KindMunicipality, int64(m.ID)) }

	stockQ := `subscription($loc: ID!, $only: [ID!]) { stockLevelChanged(locationId: $loc, productIds: $only) {
		product { id name } location { id } onHand available version } }`
	transferQ := `subscription($m: ID!) { transferEvents(municipalityId: $m) { id status version from { id } to { id } } }`
	clerk := connect(t, subscriber, a.tokens["clerk"])
	clerk.subscribe("s", stockQ, map[string]any{"loc": loc(a.homeShop), "only": []string{prod(p1)}})
	clerk.subscribe("t", transferQ, map[string]any{"m": muni(a.home)})
	otherClerk := connect(t, subscriber, a.tokens["otherClerk"])
	otherClerk.subscribe("s", stockQ, map[string]any{"loc": loc(a.partnerShop)})
	manager := connect(t, subscriber, a.tokens["manager"])
	manager.subscribe("t", transferQ, map[string]any{"m": muni(a.home)})
	otherManager := connect(t, subscriber, a.tokens["otherManager"])
	otherManager.subscribe("t", transferQ, map[string]any{"m": muni(a.partner)})
	watching(t, hub, 9) // 5 subscriptions, 4 signed-in sockets

	type level struct {
		Product  struct{ ID string }
		Location struct{ ID string }
		OnHand   int
		Version  int
	}
	adjust := func(as string, l *tsunagu.Location, p *tsunagu.Product, n int) {
		t.Helper()
		r := post(t, writer, a.tokens[as], adjustStock, map[string]any{"in": map[string]any{"locationId": loc(l),
			"productId": prod(p), "quantity": n, "reason": "PRODUCTION", "idempotencyKey": key()}})
		if len(r.Errors) > 0 || strings.Contains(string(r.Data), `"code"`) {
			t.Fatalf("adjustStock: %s %+v", r.Data, r.Errors)
		}
	}
	adjust("clerk", a.homeShop, p2, 1) // not followed
	adjust("clerk", a.homeShop, p1, 2)
	// awaitLevel reads stock events of c until product p's level at l reaches
	// onHand. Announcements of the fixtures' writes may still arrive: it passes over
	// levels of l of the products in may, and fails on any other.
	awaitLevel := func(c *wsClient, l *tsunagu.Location, p *tsunagu.Product, onHand int, may ...*tsunagu.Product) level {
		t.Helper()
		for {
			var got level
			c.event("s", &got)
			if got.Product.ID == prod(p) && got.OnHand == onHand && got.Location.ID == loc(l) {
				return got
			}
			if got.Location.ID != loc(l) || !slices.ContainsFunc(append(may, p), func(q *tsunagu.Product) bool { return prod(q) == got.Product.ID }) {
				t.Fatalf("got %+v while waiting for %s at %d", got, prod(p), onHand)
			}
		}
	}
	if l := awaitLevel(clerk, a.homeShop, p1, 7); l.Version < 2 {
		t.Errorf("clerk got %+v, want a version above 1", l)
	}
	adjust("otherClerk", a.partnerShop, pPartner, 1)
	// Nothing of the home shop reached the other shop's clerk.
	awaitLevel(otherClerk, a.partnerShop, pPartner, 6, pPartnerShop)

	type transfer struct {
		ID, Status string
		Version    int
	}
	request := func(as string, from, to *tsunagu.Location, p *tsunagu.Product) transfer {
		t.Helper()
		r := post(t, writer, a.tokens[as], requestTransfer, map[string]any{"in": map[string]any{
			"fromLocationId": loc(from), "toLocationId": loc(to),
			"lines": []map[string]any{{"productId": prod(p), "quantity": 1}}, "idempotencyKey": key()}})
		var out struct {
			RequestTransfer struct{ Transfer *transfer }
		}
		if len(r.Errors) > 0 || json.Unmarshal(r.Data, &out) != nil || out.RequestTransfer.Transfer == nil {
			t.Fatalf("requestTransfer: %s %+v", r.Data, r.Errors)
		}
		return *out.RequestTransfer.Transfer
	}
	// Warehouse → partner's shop: the home manager and the partner's see it; the
	// home shop's clerk may not read it.
	toPartner := request("manager", a.warehouse, a.partnerShop, pWarehouse)
	var tr transfer
	for _, c := range []*wsClient{manager, otherManager} {
		if c.event("t", &tr); tr.ID != toPartner.ID || tr.Status != toPartner.Status {
			t.Errorf("got %+v, want %+v", tr, toPartner)
		}
	}
	// Warehouse → home shop: the clerk's first transfer event is this one.
	toShop := request("manager", a.warehouse, a.homeShop, pWarehouse)
	if clerk.event("t", &tr); tr.ID != toShop.ID {
		t.Errorf("clerk got %+v first, want %s (not the other shop's %s)", tr, toShop.ID, toPartner.ID)
	}
	if manager.event("t", &tr); tr.ID != toShop.ID {
		t.Errorf("manager got %+v, want %s", tr, toShop.ID)
	}
	requested := tr.Version
	// Partner's shop → home shop, offered by the partner's manager: the first the
	// partner's manager gets after toPartner (not toShop, all within home).
	offer := request("otherManager", a.partnerShop, a.homeShop, pPartnerShop)
	if otherManager.event("t", &tr); tr.ID != offer.ID {
		t.Errorf("partner's manager got %+v, want %s (not %s)", tr, offer.ID, toShop.ID)
	}
	r := post(t, writer, a.tokens["manager"], approveTransfer, map[string]any{"in": map[string]any{"transferId": toShop.ID, "idempotencyKey": key()}})
	if len(r.Errors) > 0 || strings.Contains(string(r.Data), `"code"`) {
		t.Fatalf("approveTransfer: %s %+v", r.Data, r.Errors)
	}
	// The offer comes first (to the clerk's shop), then the approval.
	if clerk.event("t", &tr); tr.ID != offer.ID {
		t.Errorf("clerk got %+v, want the offer %s", tr, offer.ID)
	}
	if clerk.event("t", &tr); tr.ID != toShop.ID || tr.Status != "APPROVED" || tr.Version <= requested {
		t.Errorf("clerk got %+v, want %s APPROVED, version above %d", tr, toShop.ID, requested)
	}
}

// When a process's listening connection drops, its subscriptions end with
// UNAVAILABLE (the client refetches and subscribes again) rather than going
// silent; once it listens again, subscribing works.
func TestSubscriptionsWhenListenerDrops(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	base, hub := a.process(t, graph.Realtime{})
	shopEvents := `subscription($shop: ID!) { shopOrderEvents(shopId: $shop) { id } }`
	homeShop := map[string]any{"shop": a.id(gid.KindLocation, int64(a.homeShop.ID))}
	c := connect(t, base, a.tokens["clerk"])
	c.subscribe("1", shopEvents, homeShop)
	watching(t, hub, 2)
	var n int
	must(t, a.db.SQL().QueryRowContext(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query ILIKE 'listen%'`).Scan(&n))
	if n != 1 {
		t.Fatalf("terminated %d listening connections, want 1", n)
	}
	if code := c.refused("1"); code != "UNAVAILABLE" {
		t.Errorf("%s, want UNAVAILABLE", code)
	}
	// The listener reconnects by itself; then the socket watches its user again
	// and takes subscriptions.
	deadline := time.Now().Add(wait)
	for hub.Live(context.Background()) != nil {
		if time.Now().After(deadline) {
			t.Fatal("the listener did not reconnect")
		}
		time.Sleep(time.Millisecond)
	}
	watching(t, hub, 1)
	c.subscribe("2", shopEvents, homeShop)
	watching(t, hub, 2)
}
