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
// PaymentIntent events and refunded charges to the orders. A bad signature or a stale timestamp gets
// 400 and changes nothing; an event the orders could not apply gets 500, so Stripe
// delivers it again; every other event gets 200, including ones we ignore.
type WebhookHandler struct {
	Secret string
	Orders Applier
	Log    *slog.Logger
	// Metrics, when set, count the events by type and outcome.
	Metrics *metrics.Metrics
	// Wrote, when set, is called after an event is applied, as the GraphQL server
	// calls Options.Wrote after a mutation: cmd/tsunagu wakes the notification
	// relay with it (postgres.RelayNow), so that a paid order's stock changes reach
	// the caches and subscribers at once, not at the relay's next turn.
	Wrote func()

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
		typ := "other"
		if e.Type != "" {
			typ = e.Type
			h.Log.InfoContext(ctx, "stripe webhook: a refunded charge without a PaymentIntent (no order's) ignored",
				"event", event.ID, "type", event.Type)
		}
		h.Metrics.WebhookEvent(typ, "ignored")
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
	if h.Wrote != nil {
		h.Wrote()
	}
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
// false for any other type (e empty), and for a refunded charge that belongs to no
// PaymentIntent (e with its Type: no order's, ignored with a log line).
func paymentEvent(event stripego.Event) (e tsunagu.PaymentEvent, ok bool, err error) {
	switch event.Type {
	case tsunagu.StripePaymentSucceeded, tsunagu.StripePaymentFailed, tsunagu.StripePaymentCanceled:
	case tsunagu.StripeChargeRefunded:
		return chargeEvent(event)
	default:
		return e, false, nil
	}
	var pi stripego.PaymentIntent
	if err := decodeObject(event, &pi, func() string { return pi.ID }, errMalformed); err != nil {
		return e, false, err
	}
	e = tsunagu.PaymentEvent{ID: event.ID, Type: string(event.Type), PaymentIntentID: pi.ID,
		Amount: pi.Amount, AmountReceived: pi.AmountReceived, Currency: string(pi.Currency),
		OrderID: tsunagu.OrderID(metadataID(pi.Metadata, "order_id")), SaleID: tsunagu.SaleID(metadataID(pi.Metadata, "sale_id"))}
	if pi.LastPaymentError != nil {
		e.Error = pi.LastPaymentError.Msg
	}
	return e, true, nil
}

// chargeEvent reads a charge.refunded event: the charge's PaymentIntent (the order
// is found by it), what Stripe has refunded of the charge in all, and the order ID
// of the charge's metadata if it has one.
func chargeEvent(event stripego.Event) (e tsunagu.PaymentEvent, ok bool, err error) {
	var ch stripego.Charge
	if err := decodeObject(event, &ch, func() string { return ch.ID }, errNoCharge); err != nil {
		return e, false, err
	}
	e = tsunagu.PaymentEvent{ID: event.ID, Type: string(event.Type), Amount: ch.Amount,
		AmountReceived: ch.AmountCaptured, AmountRefunded: ch.AmountRefunded, Currency: string(ch.Currency),
		OrderID: tsunagu.OrderID(metadataID(ch.Metadata, "order_id"))}
	if ch.PaymentIntent == nil || ch.PaymentIntent.ID == "" {
		return e, false, nil
	}
	e.PaymentIntentID = ch.PaymentIntent.ID
	return e, true, nil
}

// decodeObject decodes event's object into v; it returns missing when the event
// has none or it has no ID.
func decodeObject(event stripego.Event, v any, id func() string, missing error) error {
	if event.Data == nil {
		return missing
	}
	if err := json.Unmarshal(event.Data.Raw, v); err != nil {
		return err
	}
	if id() == "" {
		return missing
	}
	return nil
}

// metadataID is the ID under key in an object's metadata, 0 when there is none.
func metadataID(m map[string]string, key string) int64 {
	id, err := strconv.ParseInt(m[key], 10, 64)
	if err != nil {
		return 0
	}
	return id
}

var (
	errMalformed = errors.New("the event has no PaymentIntent")
	errNoCharge  = errors.New("the event has no charge")
)
