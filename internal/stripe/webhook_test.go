package stripe_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tsunagu/internal/metrics"
	"tsunagu/internal/stripe"
	"tsunagu/internal/stripemock"
	"tsunagu/internal/tsunagu"
)

type recorder struct{ events []tsunagu.PaymentEvent }

func (r *recorder) ApplyPaymentEvent(_ context.Context, e tsunagu.PaymentEvent) error {
	r.events = append(r.events, e)
	return nil
}

func TestWebhookHandler(t *testing.T) {
	const secret = "whsec_unit"
	pi := stripemock.PaymentIntent("pi_123", 1350, "jpy", 42, "succeeded")
	pi["amount_received"] = 1350
	tests := []struct {
		name   string
		typ    string
		object map[string]any
		secret string
		age    time.Duration
		status int
		events int
		metric string // the sample of tsunagu_stripe_webhook_events_total counted
	}{
		{"Succeeded", tsunagu.StripePaymentSucceeded, pi, secret, 0, 200, 1, `{outcome="applied",type="payment_intent.succeeded"}`},
		{"IgnoredType", "charge.refunded", map[string]any{"id": "ch_1"}, secret, 0, 200, 0, `{outcome="ignored",type="other"}`},
		{"BadSignature", tsunagu.StripePaymentSucceeded, pi, "whsec_other", 0, 400, 0, `{outcome="refused",type="unknown"}`},
		{"Stale", tsunagu.StripePaymentSucceeded, pi, secret, 6 * time.Minute, 400, 0, `{outcome="refused",type="unknown"}`},
		{"NoPaymentIntent", tsunagu.StripePaymentFailed, map[string]any{"object": "payment_intent"}, secret, 0, 400, 0,
			`{outcome="malformed",type="payment_intent.payment_failed"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			m := metrics.New()
			h := &stripe.WebhookHandler{Secret: secret, Orders: rec, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: m}
			body, sig := stripemock.Event("evt_1", tc.typ, tc.object, tc.secret, time.Now().Add(-tc.age))
			req := httptest.NewRequest("POST", "/webhooks/stripe", bytes.NewReader(body))
			req.Header.Set("Stripe-Signature", sig)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tc.status || len(rec.events) != tc.events {
				t.Fatalf("status %d with %d events, want %d with %d", w.Code, len(rec.events), tc.status, tc.events)
			}
			scrape := httptest.NewRecorder()
			m.Handler().ServeHTTP(scrape, httptest.NewRequest("GET", "/metrics", nil))
			if want := "\ntsunagu_stripe_webhook_events_total" + tc.metric + " 1\n"; !strings.Contains(scrape.Body.String(), want) {
				t.Errorf("the metrics lack %q", want)
			}
			if tc.events == 1 {
				e := rec.events[0]
				if e.ID != "evt_1" || e.PaymentIntentID != "pi_123" || e.Amount != 1350 || e.AmountReceived != 1350 || e.Currency != "jpy" || e.OrderID != 42 {
					t.Errorf("event %+v", e)
				}
			}
		})
	}
}
