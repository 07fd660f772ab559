package stripe_test

import (
	"bytes"
	"context"
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
		logged string // what the log says, if anything is expected
	}{
		{"Succeeded", tsunagu.StripePaymentSucceeded, pi, secret, 0, 200, 1, `{outcome="applied",type="payment_intent.succeeded"}`, ""},
		{"IgnoredType", "charge.dispute.created", map[string]any{"id": "dp_1"}, secret, 0, 200, 0, `{outcome="ignored",type="other"}`, ""},
		{"Refunded", tsunagu.StripeChargeRefunded, stripemock.Charge("ch_1", "pi_123", 1350, 500), secret, 0, 200, 1,
			`{outcome="applied",type="charge.refunded"}`, ""},
		// A charge of no PaymentIntent is no order's: ignored, with a log line.
		{"RefundedWithoutPaymentIntent", tsunagu.StripeChargeRefunded, stripemock.Charge("ch_1", "", 1350, 500), secret, 0, 200, 0,
			`{outcome="ignored",type="charge.refunded"}`, "without a PaymentIntent"},
		{"RefundedNoCharge", tsunagu.StripeChargeRefunded, map[string]any{"object": "charge"}, secret, 0, 400, 0,
			`{outcome="malformed",type="charge.refunded"}`, ""},
		{"BadSignature", tsunagu.StripePaymentSucceeded, pi, "whsec_other", 0, 400, 0, `{outcome="refused",type="unknown"}`, ""},
		{"Stale", tsunagu.StripePaymentSucceeded, pi, secret, 6 * time.Minute, 400, 0, `{outcome="refused",type="unknown"}`, ""},
		// Signed with the right secret but dated ahead: forged or held back.
		{"Future", tsunagu.StripePaymentSucceeded, pi, secret, -3 * time.Minute, 400, 0, `{outcome="refused",type="unknown"}`, ""},
		{"SlightSkew", tsunagu.StripePaymentSucceeded, pi, secret, -20 * time.Second, 200, 1, `{outcome="applied",type="payment_intent.succeeded"}`, ""},
		{"NoPaymentIntent", tsunagu.StripePaymentFailed, map[string]any{"object": "payment_intent"}, secret, 0, 400, 0,
			`{outcome="malformed",type="payment_intent.payment_failed"}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			m := metrics.New()
			var logs bytes.Buffer
			wrote := 0
			h := &stripe.WebhookHandler{Secret: secret, Orders: rec, Log: slog.New(slog.NewTextHandler(&logs, nil)), Metrics: m,
				Wrote: func() { wrote++ }}
			body, sig := stripemock.Event("evt_1", tc.typ, tc.object, tc.secret, time.Now().Add(-tc.age))
			req := httptest.NewRequest("POST", "/webhooks/stripe", bytes.NewReader(body))
			req.Header.Set("Stripe-Signature", sig)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tc.status || len(rec.events) != tc.events || wrote != tc.events {
				t.Fatalf("status %d with %d events applied and Wrote called %d times, want %d with %d",
					w.Code, len(rec.events), wrote, tc.status, tc.events)
			}
			scrape := httptest.NewRecorder()
			m.Handler().ServeHTTP(scrape, httptest.NewRequest("GET", "/metrics", nil))
			if want := "\ntsunagu_stripe_webhook_events_total" + tc.metric + " 1\n"; !strings.Contains(scrape.Body.String(), want) {
				t.Errorf("the metrics lack %q", want)
			}
			if tc.events == 1 {
				want := tsunagu.PaymentEvent{ID: "evt_1", Type: tc.typ, PaymentIntentID: "pi_123", Amount: 1350,
					AmountReceived: 1350, Currency: "jpy", OrderID: 42}
				if tc.typ == tsunagu.StripeChargeRefunded {
					want.OrderID, want.AmountRefunded = 0, 500 // the order is found by its PaymentIntent
				}
				if e := rec.events[0]; e != want {
					t.Errorf("event %+v, want %+v", e, want)
				}
			}
			if tc.logged != "" && !strings.Contains(logs.String(), tc.logged) {
				t.Errorf("the log lacks %q:\n%s", tc.logged, logs.String())
			}
		})
	}
}

// TestWebhookRefusalsLimited: an address sending forged events gets 429 after 20 in a
// minute, without its signatures being checked, while another address's genuine
// event is applied; the refusals are logged as one summing line, not one each.
func TestWebhookRefusalsLimited(t *testing.T) {
	const secret = "whsec_unit"
	rec := &recorder{}
	var logs bytes.Buffer
	m := metrics.New()
	h := &stripe.WebhookHandler{Secret: secret, Orders: rec, Log: slog.New(slog.NewTextHandler(&logs, nil)), Metrics: m}
	pi := stripemock.PaymentIntent("pi_123", 1350, "jpy", 42, "succeeded")
	pi["amount_received"] = 1350
	post := func(addr, key string) int {
		body, sig := stripemock.Event("evt_1", tsunagu.StripePaymentSucceeded, pi, key, time.Now())
		req := httptest.NewRequest("POST", "/webhooks/stripe", bytes.NewReader(body))
		req.RemoteAddr = addr
		req.Header.Set("Stripe-Signature", sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}
	for i := range 20 {
		if code := post("192.0.2.1:1000", "whsec_forged"); code != 400 {
			t.Fatalf("forged event %d: %d, want 400", i+1, code)
		}
	}
	for range 3 {
		if code := post("192.0.2.1:1001", "whsec_forged"); code != 429 {
			t.Fatalf("past the budget: %d, want 429", code)
		}
	}
	if code := post("192.0.2.1:1002", secret); code != 429 {
		t.Errorf("a good event from the limited address: %d, want 429 (Stripe retries)", code)
	}
	if code := post("198.51.100.7:443", secret); code != 200 || len(rec.events) != 1 {
		t.Errorf("a genuine event from elsewhere: %d, %d applied", code, len(rec.events))
	}
	if n := strings.Count(logs.String(), "\n"); n != 0 {
		t.Errorf("%d log lines for the refusals, want none until the window ends:\n%s", n, logs.String())
	}
}
