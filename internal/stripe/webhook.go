package stripe

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"tsunagu/internal/metrics"
	"tsunagu/internal/tsunagu"
)

// Tolerance is how old a signed event may be: older ones are refused as replays.
const Tolerance = 5 * time.Minute

// FutureSkew is how far ahead of our clock an event's signature time may be: further
// is a forged or replayed-later event, refused like a stale one.
const FutureSkew = time.Minute

// Refused events (bad signature, stale or future time) are limited per address:
// after maxRefused in a refusalWindow, the address gets 429 without its signature
// being checked, until the window ends. Stripe's own deliveries are never refused,
// so they are never limited; Stripe retries a 429 anyway.
const (
	maxRefused    = 20
	refusalWindow = time.Minute
)

// maxEventBytes bounds an event's body; Stripe's events are far smaller.
const maxEventBytes = 512 << 10

// Applier applies a verified payment event; tsunagu.OrderService is one.
type Applier interface {
	ApplyPaymentEvent(ctx context.Context, e tsunagu.PaymentEvent) error
}

// WebhookHandler serves POST /webhooks/stripe: it verifies the Stripe-Signature of
// each event with the endpoint's signing secret (within Tolerance) and hands
// PaymentIntent events to the orders. A bad signature or a stale timestamp gets
// 400 and changes nothing; an event the orders could not apply gets 500, so Stripe
// delivers it again; every other event gets 200, including ones we ignore.
type WebhookHandler struct {
	Secret string
	Orders Applier
	Log    *slog.Logger
	// Metrics, when set, count the events by type and outcome.
	Metrics *metrics.Metrics

	mu      sync.Mutex
	window  time.Time      // start of the current refusal window
	refused map[string]int // refused events by address in the window
	logged  int            // refusals in the window already summed up in the log
}

// limited counts a refused event from addr (when refuse) and reports whether addr
// is over its budget in the current window. At the end of a window, one log line
// sums up the refusals of the last one: a flood of forged events is counted, not
// logged line by line.
func (h *WebhookHandler) limited(ctx context.Context, addr string, refuse bool) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	if now.Sub(h.window) > refusalWindow {
		if n := total(h.refused); n > 0 {
			h.Log.WarnContext(ctx, "stripe webhook: refused events", "count", n, "addresses", len(h.refused), "since", h.window)
		}
		h.window, h.refused = now, map[string]int{}
	}
	if refuse {
		h.refused[addr]++
	}
	return h.refused[addr] >= maxRefused
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	addr, _, _ := net.SplitHostPort(r.RemoteAddr)
	if h.limited(ctx, addr, false) {
		h.Metrics.WebhookEvent("unknown", "limited")
		http.Error(w, "too many refused events\n", http.StatusTooManyRequests)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEventBytes))
	if err != nil {
		http.Error(w, "cannot read the event\n", http.StatusBadRequest)
		return
	}
	sig := r.Header.Get("Stripe-Signature")
	event, err := webhook.ConstructEventWithTolerance(body, sig, h.Secret, Tolerance)
	if err == nil && signedAfter(sig, time.Now().Add(FutureSkew)) {
		err = errors.New("the event is signed in the future")
	}
	if err != nil {
		h.limited(ctx, addr, true)
		h.Metrics.WebhookEvent("unknown", "refused")
		http.Error(w, "invalid signature\n", http.StatusBadRequest)
		return
	}
	e, ok, err := paymentEvent(event)
	if err != nil {
		h.Log.ErrorContext(ctx, "stripe webhook: malformed event", "event", event.ID, "type", event.Type, "err", err)
		h.Metrics.WebhookEvent(string(event.Type), "malformed")
		http.Error(w, "malformed event\n", http.StatusBadRequest)
		return
	}
	if !ok {
		h.Metrics.WebhookEvent("other", "ignored")
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := h.Orders.ApplyPaymentEvent(ctx, e); err != nil {
		h.Log.ErrorContext(ctx, "stripe webhook: applying event", "event", event.ID, "type", event.Type, "err", err)
		h.Metrics.WebhookEvent(e.Type, "failed")
		http.Error(w, "internal error\n", http.StatusInternalServerError)
		return
	}
	h.Metrics.WebhookEvent(e.Type, "applied")
	w.WriteHeader(http.StatusOK)
}

// signedAfter reports whether the Stripe-Signature header's time (t=…) is after
// limit; a header without one was refused already.
func signedAfter(header string, limit time.Time) bool {
	for part := range strings.SplitSeq(header, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "t="); ok {
			t, err := strconv.ParseInt(v, 10, 64)
			return err == nil && time.Unix(t, 0).After(limit)
		}
	}
	return false
}

// paymentEvent reads the PaymentIntent of the events the orders react to; ok is
// false for any other type.
func paymentEvent(event stripego.Event) (e tsunagu.PaymentEvent, ok bool, err error) {
	switch event.Type {
	case tsunagu.StripePaymentSucceeded, tsunagu.StripePaymentFailed, tsunagu.StripePaymentCanceled:
	default:
		return e, false, nil
	}
	if event.Data == nil {
		return e, false, errMalformed
	}
	var pi stripego.PaymentIntent
	if err := json.Unmarshal(event.Data.Raw, &pi); err != nil {
		return e, false, err
	}
	if pi.ID == "" {
		return e, false, errMalformed
	}
	e = tsunagu.PaymentEvent{ID: event.ID, Type: string(event.Type), PaymentIntentID: pi.ID,
		Amount: pi.Amount, AmountReceived: pi.AmountReceived, Currency: string(pi.Currency)}
	if id, err := strconv.ParseInt(pi.Metadata["order_id"], 10, 64); err == nil {
		e.OrderID = tsunagu.OrderID(id)
	}
	if id, err := strconv.ParseInt(pi.Metadata["sale_id"], 10, 64); err == nil {
		e.SaleID = tsunagu.SaleID(id)
	}
	if pi.LastPaymentError != nil {
		e.Error = pi.LastPaymentError.Msg
	}
	return e, true, nil
}

var errMalformed = errors.New("the event has no PaymentIntent")
