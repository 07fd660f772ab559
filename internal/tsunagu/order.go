package tsunagu

import (
	"context"
	"strings"
	"time"
)

// OrderStatus is where an online order is.
type OrderStatus string

const (
	// OrderPendingPayment holds the stock reserved until the payment succeeds or the
	// reservation expires.
	OrderPendingPayment OrderStatus = "PENDING_PAYMENT"
	OrderPaid           OrderStatus = "PAID"
	OrderReady          OrderStatus = "READY_FOR_PICKUP"
	OrderShipped        OrderStatus = "SHIPPED"
	OrderCompleted      OrderStatus = "COMPLETED"
	OrderCancelled      OrderStatus = "CANCELLED"
	OrderRefunded       OrderStatus = "REFUNDED"
)

// Fulfilment is how the shopper gets the goods.
type Fulfilment string

const (
	FulfilPickup   Fulfilment = "PICKUP"
	FulfilDelivery Fulfilment = "DELIVERY"
)

// OrderStock is where an order's goods are as the stock sees them.
type OrderStock string

const (
	// StockReserved: reserved at the shop, until the reservation expires.
	StockReserved OrderStock = "RESERVED"
	// StockCommitted: reserved for a paid order; it does not expire.
	StockCommitted OrderStock = "COMMITTED"
	// StockReleased: back on the shelf (cancelled, expired, refunded before fulfilment).
	StockReleased OrderStock = "RELEASED"
	// StockTaken: left the shop (handed over or shipped).
	StockTaken OrderStock = "TAKEN"
)

// OrderEvent is what happens to an order; NextOrderStatus says where it leads.
type OrderEvent string

const (
	EventPaymentSucceeded OrderEvent = "PAYMENT_SUCCEEDED"
	EventPaymentFailed    OrderEvent = "PAYMENT_FAILED"
	EventPaymentCanceled  OrderEvent = "PAYMENT_CANCELED"
	EventExpire           OrderEvent = "EXPIRE"
	EventMarkReady        OrderEvent = "MARK_READY"
	EventShip             OrderEvent = "SHIP"
	EventComplete         OrderEvent = "COMPLETE"
	EventCancel           OrderEvent = "CANCEL"
	EventRefundAll        OrderEvent = "REFUND_ALL"
)

// NextOrderStatus is the order state machine: the status an order of fulfilment f in
// status s moves to on event e. Stripe's events that arrive late or twice are
// harmless: changed is false and err nil when e changes nothing in s (a failed payment
// leaves a pending order pending, so the shopper may try again; a success or failure
// reported for an order that is past payment is old news). Staff actions that do not
// fit s return INVALID_STATE, and NOT_PAID for fulfilling an unpaid order.
//
//	PENDING_PAYMENT → PAID → READY_FOR_PICKUP → COMPLETED   (PICKUP)
//	PENDING_PAYMENT → PAID → SHIPPED → COMPLETED            (DELIVERY)
//	PENDING_PAYMENT, PAID, READY_FOR_PICKUP → CANCELLED
//	PAID … COMPLETED → REFUNDED                              (everything refunded)
func NextOrderStatus(s OrderStatus, f Fulfilment, e OrderEvent) (next OrderStatus, changed bool, err error) {
	same := func() (OrderStatus, bool, error) { return s, false, nil }
	to := func(n OrderStatus) (OrderStatus, bool, error) { return n, true, nil }
	refuse := func(format string, args ...any) (OrderStatus, bool, error) {
		return s, false, Errorf(CodeInvalidState, "input.orderId", format, args...)
	}
	unpaid := func() (OrderStatus, bool, error) {
		return s, false, Errorf(CodeNotPaid, "input.orderId", "This order is not paid yet.")
	}
	switch e {
	case EventPaymentSucceeded:
		if s == OrderPendingPayment {
			return to(OrderPaid)
		}
		return same()
	case EventPaymentFailed:
		return same()
	case EventPaymentCanceled, EventExpire:
		if s == OrderPendingPayment {
			return to(OrderCancelled)
		}
		return same()
	case EventMarkReady:
		switch {
		case f != FulfilPickup:
			return refuse("This order is delivered, not picked up; ship it instead.")
		case s == OrderPendingPayment:
			return unpaid()
		case s == OrderPaid:
			return to(OrderReady)
		}
		return refuse("This order is %s; only a paid order can be made ready.", statusWords(s))
	case EventShip:
		switch {
		case f != FulfilDelivery:
			return refuse("This order is picked up at the shop, not shipped.")
		case s == OrderPendingPayment:
			return unpaid()
		case s == OrderPaid:
			return to(OrderShipped)
		}
		return refuse("This order is %s; only a paid order can be shipped.", statusWords(s))
	case EventComplete:
		switch s {
		case OrderPendingPayment:
			return unpaid()
		case OrderReady, OrderShipped:
			return to(OrderCompleted)
		case OrderPaid:
			if f == FulfilPickup {
				return to(OrderCompleted)
			}
			return refuse("Ship this order before completing it.")
		}
		return refuse("This order is %s and cannot be completed.", statusWords(s))
	case EventCancel:
		switch s {
		case OrderPendingPayment, OrderPaid, OrderReady:
			return to(OrderCancelled)
		}
		return refuse("This order is %s and cannot be cancelled; refund it instead.", statusWords(s))
	case EventRefundAll:
		switch s {
		case OrderPaid, OrderReady, OrderShipped, OrderCompleted, OrderCancelled:
			return to(OrderRefunded)
		}
		return refuse("This order is %s; there is nothing to refund.", statusWords(s))
	}
	return refuse("Unknown event %s.", e)
}

func statusWords(s OrderStatus) string {
	return strings.ToLower(strings.ReplaceAll(string(s), "_", " "))
}

// Refundable reports whether money taken for an order in status s may be refunded.
func (s OrderStatus) Refundable() bool {
	switch s {
	case OrderPaid, OrderReady, OrderShipped, OrderCompleted, OrderCancelled:
		return true
	}
	return false
}

// Order is an online order of goods from one shop.
type Order struct {
	ID         OrderID
	ShopID     LocationID
	Status     OrderStatus
	CustomerID *UserID
	Email      string
	Name       string
	Phone      string
	Fulfilment Fulfilment
	PostalCode string
	Address    string
	// Subtotal is the goods, ShippingFee the delivery, Total what the shopper pays;
	// all tax included. Refunded is what has been given back so far.
	Subtotal    int64
	ShippingFee int64
	Total       int64
	// Captured is what Stripe took for the order's PaymentIntent, recorded whenever
	// Stripe reports a success, also one the order does not take (PaymentFlag set):
	// what can be refunded is Captured − Refunded.
	Captured      int64
	Refunded      int64
	Rounding      Rounding
	Stock         OrderStock
	ReservedUntil time.Time
	// PaymentIntentID is Stripe's PaymentIntent, once created.
	PaymentIntentID  *string
	PaymentFlag      string
	LastPaymentError string
	Carrier          string
	TrackingNumber   string
	CancelReason     string
	// CancelledBy says who cancelled the order (CancelledByExpiry, …); "" otherwise.
	CancelledBy string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PaidAt      *time.Time
	// Locale is the language of the shopper's e-mails.
	Locale Locale
	// Version counts the order's changes: of two reads, the higher is the newer.
	Version int64
}

// Number is the order's number (注文番号) as the shopper's messages give it: the
// notifications name the order by its ID, so the shopper says this at the counter.
func (o *Order) Number() int64 { return int64(o.ID) }

// Who cancelled an order: only an order cancelled because its time to pay ran out
// is taken up again by a late payment; after any other cancellation a late payment
// is refunded.
const (
	CancelledByExpiry  = "EXPIRY"
	CancelledByStaff   = "STAFF"
	CancelledByPayment = "PAYMENT"
)

// Refundable is what Stripe took for the order and has not been given back.
func (o *Order) Refundable() int64 { return o.Captured - o.Refunded }

// RefundedOutside is what of refunded, all that Stripe reports given back of o's
// charge, o does not know of: beyond known, what o's own refunds account for, and
// at most what is left to refund (never past what Stripe captured). It is 0 when
// nothing is new: Stripe reporting o's own refunds, or a replayed or older event
// (refunded only grows).
func (o *Order) RefundedOutside(known, refunded int64) int64 {
	return max(0, min(refunded-known, o.Refundable()))
}

// OrderLine is one product of an order, copied as it was sold.
type OrderLine struct {
	OrderID         OrderID
	LineNumber      int
	ProductID       ProductID
	OwnerFacilityID FacilityID
	Name            string
	UnitPrice       int64
	Quantity        int
	TaxClass        TaxClass
	Qualified       bool
	Refunded        int
}

// Amount is the line's tax-included total.
func (l *OrderLine) Amount() int64 { return l.UnitPrice * int64(l.Quantity) }

// RefundStatus is whether Stripe has given the money back yet.
type RefundStatus string

const (
	RefundPending   RefundStatus = "PENDING"
	RefundSucceeded RefundStatus = "SUCCEEDED"
	RefundFailed    RefundStatus = "FAILED"
)

// OrderRefund is money given back for an order, recorded before Stripe is asked.
type OrderRefund struct {
	ID             OrderRefundID
	OrderID        OrderID
	Amount         int64
	Status         RefundStatus
	Reason         string
	StripeRefundID *string
	Error          string
	CreatedBy      *UserID
	CreatedAt      time.Time
}

// OrderFilter narrows the list of orders.
type OrderFilter struct {
	ShopID       *LocationID
	Status       *OrderStatus
	Since, Until *time.Time
}

// OrderService takes online orders and fulfils them. Checkout is open to anyone (a
// signed-in customer's orders are theirs); fulfilment is for the staff of the order's
// shop; a guest reads their order with its token.
type OrderService interface {
	// Checkout validates the cart, reserves its stock and creates the order
	// PENDING_PAYMENT, then creates its PaymentIntent. A retry with the same
	// idempotency key returns the same order and PaymentIntent.
	Checkout(ctx context.Context, in CheckoutInput) (*Checkout, error)
	OrdersByID(ctx context.Context, ids []OrderID) (map[OrderID]*Order, error)
	OrderByToken(ctx context.Context, token string) (*Order, error)
	Orders(ctx context.Context, f OrderFilter, page PageArgs) (*Page[*Order], error)
	OrderLines(ctx context.Context, ids []OrderID) (map[OrderID][]*OrderLine, error)
	OrderRefunds(ctx context.Context, ids []OrderID) (map[OrderID][]*OrderRefund, error)

	MarkOrderReady(ctx context.Context, in OrderActionInput) (*Order, error)
	ShipOrder(ctx context.Context, in ShipOrderInput) (*Order, error)
	CompleteOrder(ctx context.Context, in OrderActionInput) (*Order, error)
	CancelOrder(ctx context.Context, in CancelOrderInput) (*Order, error)
	// RefundOrder refunds lines of a paid order (none: all that is left). Money
	// refunded outside Tsunagu (OutsideRefund) and not yet on lines pays for the
	// lines first (CoverRefund): they are recorded on the outside refunds, and only
	// the rest is refunded through Stripe; the order's payment flag clears once no
	// outside money is left unattributed. Staff who may refund the order may do so;
	// a retry with the same idempotency key changes nothing.
	RefundOrder(ctx context.Context, in RefundOrderInput) (*OrderRefund, error)

	// ShippingRules returns the delivery fees of the shops among ids (anyone may read them).
	ShippingRules(ctx context.Context, ids []LocationID) (map[LocationID]*ShippingRule, error)
	// SetShippingRule sets a shop's delivery fee; managers of its municipality.
	SetShippingRule(ctx context.Context, in SetShippingRuleInput) (*ShippingRule, error)

	// ApplyPaymentEvent applies a verified Stripe event once.
	ApplyPaymentEvent(ctx context.Context, e PaymentEvent) error
	// ReleaseExpired cancels up to limit unpaid orders whose reservation expired
	// before now and puts their stock back; it returns how many it released.
	ReleaseExpired(ctx context.Context, now time.Time, limit int) (int, error)
}
