package stripemock

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"tsunagu/internal/tsunagu"
)

// Payer pays orders under `make run`, where the page to pay cannot show Stripe's
// Payment Element: Stripe.js talks to Stripe's own servers, never to stripe-mock.
// It posts to the server's webhook the signed payment_intent.succeeded that
// Stripe would send once the card was charged, so that the order is paid through
// the same verification and the same code as in production. It is for a server
// whose Stripe is stripe-mock only.
type Payer struct {
	Orders interface {
		OrderByToken(ctx context.Context, token string) (*tsunagu.Order, error)
	}
	// Webhook is the address of the server's POST /webhooks/stripe, and Secret its
	// signing secret (STRIPE_WEBHOOK_SECRET).
	Webhook, Secret string
}

// Pay pays the order the token opens in full. Paying it again changes nothing:
// the event has the order's ID, and the webhook applies each event once. Returns
// the order service's NOT_FOUND for a token that opens no order.
func (p *Payer) Pay(ctx context.Context, token string) error {
	o, err := p.Orders.OrderByToken(ctx, token)
	if err != nil {
		return err
	}
	if o.PaymentIntentID == nil {
		return fmt.Errorf("stripemock: order %d has no PaymentIntent", o.ID)
	}
	body, sig := Event(fmt.Sprintf("evt_makerun_%d", o.ID), tsunagu.StripePaymentSucceeded,
		PaymentIntent(*o.PaymentIntentID, o.Total, "jpy", int64(o.ID), "succeeded"), p.Secret, time.Now())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.Webhook, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", sig)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("stripemock: posting the payment to %s: %w", p.Webhook, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		return fmt.Errorf("stripemock: the webhook answered %s: %s", res.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}
