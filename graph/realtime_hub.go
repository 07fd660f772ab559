package graph

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"tsunagu/internal/metrics"
	"tsunagu/internal/tsunagu"
)

// Hub fans the committed events that reach this process (one listener per process,
// postgres.EventsReceiver) out to the subscriptions and sockets open on it. It
// holds no data of any object: a subscription told of a change reads the object
// again, as its subscriber.
//
// A slow subscriber never holds up the others: each has a set of pending objects
// and a wake-up signal, so an object changed many times before the subscriber got
// to it is read once, in its latest state.
type Hub struct {
	sockets   atomic.Int64 // open on this process, signed in or not
	mu        sync.Mutex
	connected bool
	watchers  map[string]map[*watch]struct{}
}

// NewHub returns a hub that reports itself disconnected until its listener says
// otherwise (Connected).
func NewHub() *Hub { return &Hub{watchers: map[string]map[*watch]struct{}{}} }

var _ tsunagu.EventSink = (*Hub)(nil)

// watch is one subscription's (or socket's) interest in a topic.
type watch struct {
	topic   string
	wake    chan struct{} // one pending signal at most
	lost    chan struct{} // closed when events stopped being received
	mu      sync.Mutex
	pending []tsunagu.Event
	seen    map[tsunagu.Event]bool
}

// Topics an event is announced under; a watch names one.
func topicShop(id tsunagu.LocationID) string { return "shop:" + strconv.FormatInt(int64(id), 10) }
func topicOrder(id tsunagu.OrderID) string   { return "order:" + strconv.FormatInt(int64(id), 10) }
func topicLocation(id tsunagu.LocationID) string {
	return "location:" + strconv.FormatInt(int64(id), 10)
}

// prefixUser begins the topic of a user: a signed-in socket watches it to hear of a revocation.
const prefixUser = "user:"

func topicUser(id tsunagu.UserID) string { return prefixUser + strconv.FormatInt(int64(id), 10) }
func topicMunicipality(id tsunagu.MunicipalityID) string {
	return "municipality:" + strconv.FormatInt(int64(id), 10)
}

func topics(e tsunagu.Event) []string {
	switch e.Kind {
	case tsunagu.EventOrder:
		return []string{topicShop(e.ShopID), topicOrder(e.OrderID)}
	case tsunagu.EventStock:
		return []string{topicLocation(e.LocationID)}
	case tsunagu.EventTransfer:
		if e.FromMunicipalityID == e.ToMunicipalityID {
			return []string{topicMunicipality(e.FromMunicipalityID)}
		}
		return []string{topicMunicipality(e.FromMunicipalityID), topicMunicipality(e.ToMunicipalityID)}
	case tsunagu.EventUser:
		return []string{topicUser(e.UserID)}
	}
	return nil
}

// Event hands e to the watches of its topics.
func (h *Hub) Event(e tsunagu.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, t := range topics(e) {
		for w := range h.watchers[t] {
			w.add(e)
		}
	}
}

// Connected records whether events are being received. When they stop, every
// open watch is told (lost) and dropped: a subscriber could miss changes, so it
// must subscribe again and refetch.
func (h *Hub) Connected(ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.connected = ok
	if ok {
		return
	}
	for t, ws := range h.watchers {
		for w := range ws {
			close(w.lost)
		}
		delete(h.watchers, t)
	}
}

// Live reports whether events are being received; a readiness check.
func (h *Hub) Live(context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.connected {
		return errNoLiveUpdates
	}
	return nil
}

// watch registers interest in topic. It returns UNAVAILABLE while events are not
// being received: a subscription then would promise what it cannot keep.
func (h *Hub) watch(topic string) (*watch, error) {
	if h == nil {
		return nil, errNoLiveUpdates
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.connected {
		return nil, errNoLiveUpdates
	}
	w := &watch{topic: topic, wake: make(chan struct{}, 1), lost: make(chan struct{})}
	if h.watchers[topic] == nil {
		h.watchers[topic] = map[*watch]struct{}{}
	}
	h.watchers[topic][w] = struct{}{}
	return w, nil
}

// Watching returns how many subscriptions and signed-in sockets are watching
// events on this process.
func (h *Hub) Watching() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, ws := range h.watchers {
		n += len(ws)
	}
	return n
}

// Instrument reports the sockets and subscriptions open on this process in m.
func (h *Hub) Instrument(m *metrics.Metrics) {
	m.Gauge("tsunagu_websockets_open", "WebSockets open on this process.", func() float64 {
		return float64(h.sockets.Load())
	})
	m.Gauge("tsunagu_subscriptions_open", "GraphQL subscriptions open on this process.", func() float64 {
		h.mu.Lock()
		defer h.mu.Unlock()
		n := 0
		for t, ws := range h.watchers {
			if !strings.HasPrefix(t, prefixUser) { // not a socket's own watch
				n += len(ws)
			}
		}
		return float64(n)
	})
}

// unwatch drops w (again is harmless).
func (h *Hub) unwatch(w *watch) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if ws := h.watchers[w.topic]; ws != nil {
		delete(ws, w)
		if len(ws) == 0 {
			delete(h.watchers, w.topic)
		}
	}
}

var errNoLiveUpdates = tsunagu.Errorf(tsunagu.CodeUnavailable, "",
	"Live updates are not available right now; refetch, and subscribe again in a moment.")

// add queues e, once however often it comes before it is taken, and wakes the
// subscriber.
func (w *watch) add(e tsunagu.Event) {
	w.mu.Lock()
	if !w.seen[e] {
		if w.seen == nil {
			w.seen = map[tsunagu.Event]bool{}
		}
		w.seen[e] = true
		w.pending = append(w.pending, e)
	}
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// take returns the events queued since the last take, oldest first.
func (w *watch) take() []tsunagu.Event {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.pending
	w.pending, w.seen = nil, nil
	return out
}
