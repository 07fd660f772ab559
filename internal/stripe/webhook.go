package stripe

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"tsunagu/internal/metrics"
	"tsunagu/internal/tsunagu"
)

// Tolerance is how old a signed event may be: older ones are refused as replays.
const Tolerance = 5 * time.Minute

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
}

func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEventBytes))
	if err != nil {
		http.Error(w, "cannot read the event\n", http.StatusBadRequest)
		return
	}
	event, err := webhook.ConstructEventWithTolerance(body, r.Header.Get("Stripe-Signature"), h.Secret, Tolerance)
	if err != nil {
		h.Log.WarnContext(ctx, "stripe webhook refused", "err", err, "remote", r.RemoteAddr)
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
