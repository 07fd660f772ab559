// Package stripe is the card processor of the online orders: PaymentIntents and
// refunds through stripe-go, and the webhook handler that turns Stripe's signed
// events into payment events for the orders.
package stripe

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"tsunagu/internal/tsunagu"
)

// Client implements tsunagu.Payments with stripe-go.
type Client struct {
	api *client.API
}

var _ tsunagu.Payments = (*Client)(nil)

// New returns a client for the Stripe API with the secret key key. A non-empty
// baseURL replaces Stripe's (https://api.stripe.com), for stripe-mock.
func New(key, baseURL string) *Client {
	cfg := &stripego.BackendConfig{
		HTTPClient: &http.Client{Timeout: 20 * time.Second},
		// Stripe's own logging goes to stdout; errors reach our logs through callers.
		LeveledLogger: &stripego.LeveledLogger{Level: stripego.LevelNull},
	}
	if baseURL != "" {
		cfg.URL = stripego.String(baseURL)
	}
	return &Client{api: client.New(key, &stripego.Backends{
		API:     stripego.GetBackendWithConfig(stripego.APIBackend, cfg),
		Connect: stripego.GetBackendWithConfig(stripego.ConnectBackend, cfg),
		Uploads: stripego.GetBackendWithConfig(stripego.UploadsBackend, cfg),
	})}
}

// Currency is the only currency of the network: yen, a zero-decimal currency, so an
// amount is a number of yen.
const Currency = "jpy"

// CreatePaymentIntent creates a card PaymentIntent in yen with the order's ID in its
// metadata, under p's idempotency key: the same key returns the same PaymentIntent.
func (c *Client) CreatePaymentIntent(ctx context.Context, p tsunagu.PaymentIntentParams) (*tsunagu.PaymentIntent, error) {
	params := &stripego.PaymentIntentParams{
		Amount:             stripego.Int64(p.Amount),
		Currency:           stripego.String(Currency),
		PaymentMethodTypes: stripego.StringSlice([]string{"card"}),
	}
	if p.CardPresent {
		params.PaymentMethodTypes = stripego.StringSlice([]string{"card_present"})
		params.CaptureMethod = stripego.String(string(stripego.PaymentIntentCaptureMethodAutomatic))
	}
	if p.Description != "" {
		params.Description = stripego.String(p.Description)
	}
	if p.Email != "" {
		params.ReceiptEmail = stripego.String(p.Email)
	}
	params.Context = ctx
	if p.OrderID != 0 {
		params.AddMetadata("order_id", strconv.FormatInt(int64(p.OrderID), 10))
	}
	if p.SaleID != 0 {
		params.AddMetadata("sale_id", strconv.FormatInt(int64(p.SaleID), 10))
	}
	params.SetIdempotencyKey(p.IdempotencyKey)
	pi, err := c.api.PaymentIntents.New(params)
	if err != nil {
		return nil, wrap("create PaymentIntent", err)
	}
	return intent(pi), nil
}

// RetrievePaymentIntent reads a PaymentIntent.
func (c *Client) RetrievePaymentIntent(ctx context.Context, id string) (*tsunagu.PaymentIntent, error) {
	params := &stripego.PaymentIntentParams{}
	params.Context = ctx
	pi, err := c.api.PaymentIntents.Get(id, params)
	if err != nil {
		return nil, wrap("retrieve PaymentIntent", err)
	}
	return intent(pi), nil
}

// CancelPaymentIntent cancels a PaymentIntent that has not succeeded.
func (c *Client) CancelPaymentIntent(ctx context.Context, id string) (*tsunagu.PaymentIntent, error) {
	params := &stripego.PaymentIntentCancelParams{}
	params.Context = ctx
	params.SetIdempotencyKey("cancel-" + id)
	pi, err := c.api.PaymentIntents.Cancel(id, params)
	if err != nil {
		return nil, wrap("cancel PaymentIntent", err)
	}
	return intent(pi), nil
}

// CreateRefund refunds Amount yen of a PaymentIntent under p's idempotency key.
func (c *Client) CreateRefund(ctx context.Context, p tsunagu.RefundParams) (*tsunagu.PaymentRefund, error) {
	params := &stripego.RefundParams{
		PaymentIntent: stripego.String(p.PaymentIntentID),
		Amount:        stripego.Int64(p.Amount),
	}
	params.Context = ctx
	params.AddMetadata("order_id", strconv.FormatInt(int64(p.OrderID), 10))
	params.SetIdempotencyKey(p.IdempotencyKey)
	r, err := c.api.Refunds.New(params)
	if err != nil {
		return nil, wrap("create refund", err)
	}
	return &tsunagu.PaymentRefund{ID: r.ID, Status: string(r.Status)}, nil
}

// RetrieveRefund reads a refund, to learn how a pending one ended.
func (c *Client) RetrieveRefund(ctx context.Context, id string) (*tsunagu.PaymentRefund, error) {
	params := &stripego.RefundParams{}
	params.Context = ctx
	r, err := c.api.Refunds.Get(id, params)
	if err != nil {
		return nil, wrap("retrieve refund", err)
	}
	return &tsunagu.PaymentRefund{ID: r.ID, Status: string(r.Status)}, nil
}

// ProcessOnReader presents a card-present PaymentIntent on a Terminal reader; the
// outcome arrives as a PaymentIntent event.
func (c *Client) ProcessOnReader(ctx context.Context, readerID, paymentIntentID string) error {
	params := &stripego.TerminalReaderProcessPaymentIntentParams{PaymentIntent: stripego.String(paymentIntentID)}
	params.Context = ctx
	params.SetIdempotencyKey("process-" + paymentIntentID + "-" + readerID)
	if _, err := c.api.TerminalReaders.ProcessPaymentIntent(readerID, params); err != nil {
		return wrap("process PaymentIntent on reader", err)
	}
	return nil
}

func intent(pi *stripego.PaymentIntent) *tsunagu.PaymentIntent {
	out := &tsunagu.PaymentIntent{ID: pi.ID, ClientSecret: pi.ClientSecret, Status: string(pi.Status),
		Amount: pi.Amount, AmountReceived: pi.AmountReceived, Currency: string(pi.Currency)}
	if pi.LastPaymentError != nil {
		out.LastPaymentError = cmp.Or(pi.LastPaymentError.Msg, string(pi.LastPaymentError.Code), string(pi.LastPaymentError.Type))
	}
	return out
}

// wrap keeps Stripe's message and request ID for the logs; clients see an internal
// error or the caller's PAYMENTS_UNAVAILABLE.
func wrap(op string, err error) error {
	var se *stripego.Error
	if errors.As(err, &se) {
		return fmt.Errorf("stripe: %s: %s (%s, request %s): %w", op, se.Msg, se.Code, se.RequestID, err)
	}
	return fmt.Errorf("stripe: %s: %w", op, err)
}
