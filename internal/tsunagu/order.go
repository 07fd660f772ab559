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

// OrderService takes online orders and fulfils them. Anyone may check out (a
// signed-in customer's orders are theirs); the staff of the order's shop fulfil,
// cancel and refund it: admins, the managers of the shop's municipality and the
// shop's clerks (User.WorksAt); a guest reads their order with its token. Every
// mutation that takes an idempotency key (Keyed) returns the first result on a
// retry with the same key and request, and IDEMPOTENCY_CONFLICT
// (input.idempotencyKey) for the same key with another request. Errors are *Error
// values with the codes below; any other error is internal.
type OrderService interface {
	// Checkout validates the cart, reserves its stock at the shop until the
	// reservation expires, creates the order PENDING_PAYMENT with its lines, totals
	// and shipping fee, and then its PaymentIntent in yen; it returns the order, the
	// PaymentIntent's client secret and the token that opens the order. Anyone may
	// call it, anonymous requests included; a signed-in customer owns the order. A
	// retry with the same key returns the same order, token and PaymentIntent. What
	// unpaid orders may hold is bounded (MaxOrderLineQuantity and MaxOrderUnits per
	// order, MaxUnpaidOrders per address and per account, MaxUnpaidOrdersPerClient
	// per network address).
	//
	// Returns validation errors (CheckoutInput.Validate), NOT_FOUND
	// (input.lines.0.shopId) for an unknown shop, INVALID_INPUT
	// (input.lines.0.shopId) for a location that takes no orders, NOT_FOUND
	// (input.lines.N.productId) for an unknown or unpublished product, INVALID_STATE
	// (input.lines.N) for an archived one, INSUFFICIENT_STOCK
	// (input.lines.N.quantity), OUT_OF_RANGE or TOO_MANY_UNPAID_ORDERS beyond the
	// bounds, IDEMPOTENCY_CONFLICT, ORDER_EXPIRED when a retry finds the order no
	// longer payable, or PAYMENTS_UNAVAILABLE without Stripe or when Stripe fails
	// (the order is then cancelled, its stock released and its key forgotten, so
	// that a retry with the same key checks out afresh). After an error no stock is
	// held and no order is left to pay.
	Checkout(ctx context.Context, in CheckoutInput) (*Checkout, error)
	// OrdersByID returns the orders among ids that the user may see: the staff of
	// the order's shop (not facility staff), and a customer their own orders. Anyone
	// may call it; the rest are absent, and it returns no error of its own.
	OrdersByID(ctx context.Context, ids []OrderID) (map[OrderID]*Order, error)
	// OrderByToken returns the order a checkout's token opens, to anyone who holds
	// the token, anonymous requests included. Returns NOT_FOUND (field "") for any
	// other token, so that nobody learns which orders exist.
	OrderByToken(ctx context.Context, token string) (*Order, error)
	// Orders lists the orders the user may see that match f, newest first (the page
	// key is the order ID): the staff of the shops as OrdersByID says, customers
	// their own once their address is verified (their order history). Returns
	// UNAUTHENTICATED for an anonymous request, EMAIL_NOT_VERIFIED for a customer
	// whose address is not verified yet, OUT_OF_RANGE (first).
	Orders(ctx context.Context, f OrderFilter, page PageArgs) (*Page[*Order], error)
	// OrderLines returns the lines of the orders among ids, in line order. It is for
	// orders the caller has been allowed to read (by OrdersByID, Orders or
	// OrderByToken, which has no user to check against) and checks no visibility
	// itself; it returns no error of its own.
	OrderLines(ctx context.Context, ids []OrderID) (map[OrderID][]*OrderLine, error)
	// OrderRefunds returns the refunds of the orders among ids, oldest first; like
	// OrderLines it is for orders the caller has been allowed to read and checks no
	// visibility itself; it returns no error of its own.
	OrderRefunds(ctx context.Context, ids []OrderID) (map[OrderID][]*OrderRefund, error)

	// MarkOrderReady puts a paid pickup order out for collection (READY_FOR_PICKUP)
	// and e-mails the shopper that it is ready, by the staff of its shop. Returns
	// validation errors (input.idempotencyKey), UNAUTHENTICATED, FORBIDDEN for
	// customers and other shops' staff, NOT_FOUND (field "") for an unknown order,
	// NOT_PAID (input.orderId) for an unpaid one, INVALID_STATE (input.orderId) for
	// a delivery order or one past payment, or IDEMPOTENCY_CONFLICT; and then
	// changes nothing.
	MarkOrderReady(ctx context.Context, in OrderActionInput) (*Order, error)
	// ShipOrder sends a paid delivery order with a carrier and tracking number
	// (SHIPPED), by the staff of its shop: its goods leave the shop's stock through
	// the ledger and the shopper is e-mailed. Returns REQUIRED (input.carrier),
	// TOO_LONG (input.trackingNumber), INVALID_STATE (input.orderId) for a pickup
	// order, and MarkOrderReady's other errors; and then changes nothing.
	ShipOrder(ctx context.Context, in ShipOrderInput) (*Order, error)
	// CompleteOrder records the handover (COMPLETED), by the staff of the order's
	// shop: a pickup order, ready or paid and collected at once, has its goods leave
	// the shop's stock through the ledger; a shipped order is delivered. Returns
	// NOT_PAID (input.orderId) for an unpaid order, INVALID_STATE (input.orderId)
	// for one not yet shipped or past completion, and MarkOrderReady's other errors;
	// and then changes nothing.
	CompleteOrder(ctx context.Context, in OrderActionInput) (*Order, error)
	// CancelOrder cancels an order before fulfilment (pending, paid or ready), by
	// the staff of its shop: its stock goes back on the shelf, the shopper is
	// e-mailed, and what Stripe captured and was not given back is refunded in full
	// (money refunded in Stripe's dashboard pays for the units left first, as in
	// RefundOrder); an unpaid order's PaymentIntent is cancelled. A payment that
	// succeeds after the cancellation is refunded when its event arrives. A retry
	// with the same key returns the order and asks Stripe again for a refund that
	// did not go through. The cancellation is in the audit log.
	//
	// Returns validation errors (input.idempotencyKey, input.reason),
	// UNAUTHENTICATED, FORBIDDEN for customers and other shops' staff, NOT_FOUND
	// (field "") for an unknown order, INVALID_STATE (input.orderId) for an order
	// shipped, completed or cancelled already, or IDEMPOTENCY_CONFLICT; and then
	// changes nothing. PAYMENTS_UNAVAILABLE when the cancellation and its refund are
	// recorded but Stripe failed: retry with the same key.
	CancelOrder(ctx context.Context, in CancelOrderInput) (*Order, error)
	// RefundOrder gives back money for some lines of a paid order, or (no lines)
	// everything not yet refunded, shipping included, by the staff of its shop;
	// refunding the last units also gives back the shipping fee, and units not yet
	// handed over go back on the shelf. An order refunded in full becomes REFUNDED;
	// the shopper is e-mailed when money is given back. Refunds give back from what
	// Stripe captured, not from the order's total. Money refunded outside Tsunagu
	// (OutsideRefund) and not yet on lines pays for the lines first (CoverRefund):
	// they are recorded on the outside refunds, and only the rest is refunded
	// through Stripe; the order's payment flag clears once no outside money is left
	// unattributed. The refund returned is the new one, or, when outside money paid
	// for everything, the last outside refund given lines. A retry with the same key
	// returns the same refund, asking Stripe again if it had not succeeded. The
	// refund is in the audit log.
	//
	// Returns validation errors (RefundOrderInput.Validate), UNAUTHENTICATED,
	// FORBIDDEN for customers and other shops' staff, NOT_FOUND (field "") for an
	// unknown order, NOT_PAID for an order Stripe took nothing for, NOT_FOUND
	// (input.lines.N.lineNumber), OVER_REFUND (input.lines.N.quantity, or
	// input.lines when nothing is left), or IDEMPOTENCY_CONFLICT; and then changes
	// nothing. PAYMENTS_UNAVAILABLE when the refund is recorded but Stripe failed:
	// retry with the same key.
	RefundOrder(ctx context.Context, in RefundOrderInput) (*OrderRefund, error)

	// ShippingRules returns the delivery fees of the shops among ids that have shop
	// settings; others are absent. Anyone may call it (fees are public, like
	// prices); it returns no error of its own.
	ShippingRules(ctx context.Context, ids []LocationID) (map[LocationID]*ShippingRule, error)
	// SetShippingRule sets a shop's delivery fee and the order total above which
	// delivery is free, by an admin or a manager of the shop's municipality. Returns
	// UNAUTHENTICATED, FORBIDDEN, OUT_OF_RANGE (input.fee, input.freeAbove), or
	// NOT_FOUND (field "") for a location without shop settings; and then changes
	// nothing. The change is in the audit log.
	SetShippingRule(ctx context.Context, in SetShippingRuleInput) (*ShippingRule, error)

	// ApplyPaymentEvent applies a verified Stripe event about an order's
	// PaymentIntent, once: a redelivery, even a concurrent one, changes nothing, and
	// a late event is harmless (NextOrderStatus). A success pays a pending order (or
	// takes up again one the sweeper released, if its stock can be reserved again);
	// a payment the order cannot take (gone, cancelled, another amount) is flagged
	// and refunded. A failure leaves the order pending, a cancelled PaymentIntent
	// cancels it, and a refund made in Stripe's dashboard is recorded as an
	// OutsideRefund. It is for the Stripe webhook, after the signature was verified;
	// it checks no user. An event about no order of ours is recorded and logged. Its
	// errors are internal (or the early refund's): the webhook answers 500 and
	// Stripe delivers the event again.
	ApplyPaymentEvent(ctx context.Context, e PaymentEvent) error
	// ReleaseExpired cancels up to limit unpaid orders whose reservation expired
	// before now, puts their stock back and cancels their PaymentIntents; it returns
	// how many it released. An order is either paid or released, never both, and
	// several processes may run it at once. It is for the server's sweeper and
	// checks no user; its errors are internal.
	ReleaseExpired(ctx context.Context, now time.Time, limit int) (int, error)
}
