package main

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"tsunagu/graph"
	"tsunagu/graph/gid"
)

// The real-time delivery (issue 12): realtimeSubscribers sockets, spread over the
// clients' shops, each follow stockLevelChanged at their shop; then realtimeSales
// sales are made through the API, one at a time, and each sale's stock events are
// awaited at every subscriber of its shop. The latency is from the sale's request
// to an event's arrival at a subscriber (every subscriber's every event counts).
// The memory is the heap and stacks the process holds per open subscription,
// after a collection: the server's side and the benchmark's own client side
// together (they share the process), so an upper bound of the server's.
const (
	realtimeSubscribers = 1000
	realtimeSales       = 100
)

const stockSubscription = `subscription($loc: ID!) { stockLevelChanged(locationId: $loc) { product { id } onHand reserved } }`

// subscriber is one socket with one subscription.
type subscriber struct {
	c    *websocket.Conn
	shop int // index into w.shops
}

func (b *bench) realtime(ctx context.Context, endpoint string, hub *graph.Hub) (string, error) {
	before := liveMemory()
	wsURL := "ws" + strings.TrimPrefix(endpoint, "http")
	subs := make([]*subscriber, realtimeSubscribers)
	arrivals := make(chan int, realtimeSubscribers*4) // the shop of each event received
	var readers sync.WaitGroup
	defer func() {
		for _, s := range subs {
			if s != nil {
				s.c.CloseNow()
			}
		}
		readers.Wait()
	}()
	for i := range subs {
		s, err := b.subscribe(ctx, wsURL, i%len(b.w.shops))
		if err != nil {
			return "", fmt.Errorf("subscriber %d: %w", i, err)
		}
		subs[i] = s
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				_, msg, err := s.c.Read(ctx)
				if err != nil {
					return
				}
				var m struct{ Type string }
				switch json.Unmarshal(msg, &m); m.Type {
				case "next":
					arrivals <- s.shop
				case "ping": // as a client must, or the server drops the socket
					if err := s.c.Write(ctx, websocket.MessageText, []byte(`{"type":"pong"}`)); err != nil {
						return
					}
				default:
					logf("  subscriber of shop %d: %s", s.shop, msg)
				}
			}
		}()
	}
	// Each subscription runs in a goroutine of its own: wait until all watch
	// (every socket is signed in, so it also watches its user).
	for deadline := time.Now().Add(time.Minute); hub.Watching() < 2*realtimeSubscribers; {
		if time.Now().After(deadline) {
			return "", fmt.Errorf("%d of %d subscriptions in place after a minute", hub.Watching()/2, realtimeSubscribers)
		}
		time.Sleep(10 * time.Millisecond)
	}
	perSocket := (liveMemory() - before) / realtimeSubscribers
	perShop := make([]int, len(b.w.shops))
	for _, s := range subs {
		perShop[s.shop]++
	}

	var lat, saleTime []time.Duration
	lost := 0
	for i := range realtimeSales {
		c := i % len(b.w.shops)
		// Events of an earlier sale that came after its wait ended are not this one's.
		for drained := false; !drained; {
			select {
			case <-arrivals:
			default:
				drained = true
			}
		}
		t0 := time.Now()
		if err := b.apiSale(withEndpoint(ctx, endpoint), c); err != nil {
			return "", fmt.Errorf("sale %d: %w", i, err)
		}
		saleTime = append(saleTime, time.Since(t0))
		want := perShop[c] * 3 // a sale of 3 products: an event per product and subscriber
		timeout := time.After(10 * time.Second)
	wait:
		for got := 0; got < want; {
			select {
			case shop := <-arrivals:
				if shop != c {
					return "", fmt.Errorf("sale %d at shop %d: an event reached a subscriber of shop %d", i, c, shop)
				}
				lat = append(lat, time.Since(t0))
				got++
			case <-timeout:
				lost += want - got
				break wait
			}
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	sort.Slice(saleTime, func(i, j int) bool { return saleTime[i] < saleTime[j] })
	pct := func(d []time.Duration, p float64) float64 {
		if len(d) == 0 {
			return 0
		}
		return ms(d[min(len(d)-1, int(float64(len(d))*p/100))])
	}
	logf("%-40s %d subscriptions, %d sales: delivery p50 %.1f ms p99 %.1f ms max %.1f ms, %d lost; %.0f KiB per subscription",
		"realtime delivery", realtimeSubscribers, realtimeSales, pct(lat, 50), pct(lat, 99), pct(lat, 100), lost, float64(perSocket)/1024)
	var out strings.Builder
	fmt.Fprintf(&out, "\nReal-time delivery: %d sockets with one stockLevelChanged subscription each, over %d shops (%d each); %d sales of 3 lines through the API, one at a time, each awaited at every subscriber of its shop.\n\n",
		realtimeSubscribers, len(b.w.shops), realtimeSubscribers/len(b.w.shops), realtimeSales)
	fmt.Fprintln(&out, "| events delivered | lost | delivery p50 ms | p99 ms | max ms | the sale's own request p50 ms | heap + stacks per subscription (server and client) |")
	fmt.Fprintln(&out, "|---:|---:|---:|---:|---:|---:|---:|")
	fmt.Fprintf(&out, "| %d | %d | %.1f | %.1f | %.1f | %.1f | %.0f KiB |\n", len(lat), lost,
		pct(lat, 50), pct(lat, 99), pct(lat, 100), pct(saleTime, 50), float64(perSocket)/1024)
	if lost > 0 {
		return out.String(), fmt.Errorf("%d events did not arrive within 10 s", lost)
	}
	return out.String(), nil
}

// subscribe opens a socket signed in as the clerk of shop c and follows the
// stock there.
func (b *bench) subscribe(ctx context.Context, wsURL string, c int) (*subscriber, error) {
	s := &b.w.shops[c]
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(dctx, wsURL, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return nil, err
	}
	send := func(v any) error {
		msg, _ := json.Marshal(v)
		return conn.Write(dctx, websocket.MessageText, msg)
	}
	if err := send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + s.clerk}}); err != nil {
		conn.CloseNow()
		return nil, err
	}
	if _, msg, err := conn.Read(dctx); err != nil || !strings.Contains(string(msg), "connection_ack") {
		conn.CloseNow()
		return nil, fmt.Errorf("no connection_ack: %s %v", msg, err)
	}
	err = send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": stockSubscription,
		"variables": map[string]any{"loc": gid.Encode(gid.KindLocation, s.id)}}})
	if err != nil {
		conn.CloseNow()
		return nil, err
	}
	return &subscriber{c: conn, shop: c}, nil
}

// liveMemory is the heap in use and the goroutines' stacks after a collection.
func liveMemory() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse + m.StackInuse)
}
