package tsunagu

import (
	"context"
)

// PaymentEvent is what a verified Stripe webhook event says about a PaymentIntent.
type PaymentEvent struct {
	// ID is the Stripe event's ID (evt_…), applied once.
	ID   string
	Type string
	// PaymentIntentID, Amount (yen), AmountReceived (what was captured) and Currency
	// are the PaymentIntent's; OrderID and SaleID are from its metadata (0 when
	// missing).
	PaymentIntentID string
	Amount          int64
	AmountReceived  int64
	Currency        string
	OrderID         OrderID
	SaleID          SaleID
	// Error is the last payment error's message for a failed payment.
	Error string
	// AmountRefunded is, for charge.refunded, what Stripe has refunded of the
	// charge in all, by any means (cumulative, yen).
	AmountRefunded int64
}

// Stripe event types the orders react to.
const (
	StripePaymentSucceeded = "payment_intent.succeeded"
	StripePaymentFailed    = "payment_intent.payment_failed"
	StripePaymentCanceled  = "payment_intent.canceled"
	// StripeChargeRefunded reports a refund of a charge, also one made in Stripe's
	// dashboard rather than through refundOrder.
	StripeChargeRefunded = "charge.refunded"
)

// Payments is the card processor (Stripe) as the orders need it. Every call that
// creates something takes an idempotency key, so a retry never charges or refunds
// twice.
type Payments interface {
	CreatePaymentIntent(ctx context.Context, p PaymentIntentParams) (*PaymentIntent, error)
	RetrievePaymentIntent(ctx context.Context, id string) (*PaymentIntent, error)
	CancelPaymentIntent(ctx context.Context, id string) (*PaymentIntent, error)
	CreateRefund(ctx context.Context, p RefundParams) (*PaymentRefund, error)
	// RetrieveRefund reads a refund again (one that was pending).
	RetrieveRefund(ctx context.Context, id string) (*PaymentRefund, error)
	// ProcessOnReader hands a card-present PaymentIntent to a Terminal reader.
	ProcessOnReader(ctx context.Context, readerID, paymentIntentID string) error
}

// PaymentIntentFor returns the order's Stripe PaymentIntent ID to staff, who find the
// payment with it in Stripe's dashboard (a dispute, a refund made there); a customer
// or guest reading the order gets nil. Who may read the order at all is decided by
// the service that returned it.
func (o *Order) PaymentIntentFor(ctx context.Context) *string {
	if _, err := RequireStaff(ctx); err != nil {
		return nil
	}
	return o.PaymentIntentID
}

// PaymentIntentParams asks for a PaymentIntent of Amount yen for an order (online,
// by card) or a POS sale (CardPresent, on a Stripe Terminal reader).
type PaymentIntentParams struct {
	Amount         int64
	OrderID        OrderID
	SaleID         SaleID
	CardPresent    bool
	Description    string
	Email          string
	IdempotencyKey string
}

// PaymentIntent is Stripe's PaymentIntent as the orders see it.
type PaymentIntent struct {
	ID           string
	ClientSecret string
	Status       string
	Amount       int64
	Currency     string

	// AmountReceived is what Stripe actually took (yen).
	AmountReceived int64
	// LastPaymentError is the message of the last failed attempt ("" for none; a
	// decline leaves the PaymentIntent requires_payment_method, open for another card).
	LastPaymentError string
}

// RefundParams asks for Amount yen of a PaymentIntent back.
type RefundParams struct {
	PaymentIntentID string
	Amount          int64
	OrderID         OrderID
	IdempotencyKey  string
}

// PaymentRefund is Stripe's Refund as the orders see it; Status is Stripe's:
// succeeded, pending, requires_action, failed or canceled.
type PaymentRefund struct {
	ID     string
	Status string
}
