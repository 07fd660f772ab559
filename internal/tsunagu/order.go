package tsunagu

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
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

// ShippingRule is a shop's delivery fee: Fee per order, none from FreeAbove on (nil:
// never free).
type ShippingRule struct {
	Fee       int64
	FreeAbove *int64
}

// FeeFor returns the shipping fee of a delivery whose goods cost subtotal.
func (r ShippingRule) FeeFor(subtotal int64) int64 {
	if r.FreeAbove != nil && subtotal >= *r.FreeAbove {
		return 0
	}
	return r.Fee
}

// SetShippingRuleInput sets a shop's delivery fee.
type SetShippingRuleInput struct {
	ShopID    LocationID
	Fee       int64
	FreeAbove *int64
}

// Validate checks the amounts: from ¥0 to ¥100,000.
func (in *SetShippingRuleInput) Validate() error {
	var errs ValidationErrors
	if in.Fee < 0 || in.Fee > 100_000 {
		errs.Add(CodeOutOfRange, "input.fee", "Enter a fee from ¥0 to ¥100,000.")
	}
	if in.FreeAbove != nil && (*in.FreeAbove < 0 || *in.FreeAbove > 100_000_000) {
		errs.Add(CodeOutOfRange, "input.freeAbove", "Enter an amount from ¥0.")
	}
	return errs.Err()
}

// ShippingTaxClass is the tax class of a delivery fee: a service at the standard rate.
const ShippingTaxClass = TaxStandard10

// OrderTaxes is an order's tax as its receipt would show it (QualifiedTaxes): per
// rate, once over the rate's total, separately for the goods of registered issuers
// and the rest. The shipping fee is the shop's own delivery service at the standard
// rate, and the shop is a registered issuer, so it counts as qualifying.
func OrderTaxes(lines []*OrderLine, shippingFee int64, r Rounding) (qualifying, nonQualifying []RateTotal) {
	rl := make([]ReceiptLine, 0, len(lines)+1)
	for _, l := range lines {
		rl = append(rl, ReceiptLine{Name: l.Name, UnitPrice: l.UnitPrice, Quantity: l.Quantity,
			TaxClass: l.TaxClass, Qualified: l.Qualified})
	}
	if shippingFee > 0 {
		rl = append(rl, ReceiptLine{Name: "送料", UnitPrice: shippingFee, Quantity: 1, TaxClass: ShippingTaxClass, Qualified: true})
	}
	return QualifiedTaxes(rl, r)
}

// SumRateTotals adds up per-rate totals, rate by rate (REDUCED_8 before
// STANDARD_10): an order's taxes of both kinds together. The tax of a rate is the
// sum of its parts' taxes, each computed once over its own total, so it agrees
// with the split shown on the receipt.
func SumRateTotals(parts ...[]RateTotal) []RateTotal {
	var reduced, standard *RateTotal
	for _, p := range parts {
		for _, t := range p {
			sum := &standard
			if t.Class == TaxReduced8 {
				sum = &reduced
			}
			if *sum == nil {
				*sum = &RateTotal{Class: t.Class, Rate: t.Rate}
			}
			(*sum).Total += t.Total
			(*sum).Tax += t.Tax
		}
	}
	var out []RateTotal
	for _, t := range []*RateTotal{reduced, standard} {
		if t != nil {
			out = append(out, *t)
		}
	}
	return out
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

// OrderContact is how to reach the shopper.
type OrderContact struct {
	Email string
	Name  string
	Phone string
	// Locale is the language of the shopper's e-mails about the order; Japanese
	// when empty.
	Locale Locale
}

// ShippingAddress is where a delivery goes.
type ShippingAddress struct {
	PostalCode string
	Address    string
}

// CheckoutLineInput is a product in the cart, from a shop.
type CheckoutLineInput struct {
	ShopID    LocationID
	ProductID ProductID
	Quantity  int
}

// CheckoutInput orders the cart.
type CheckoutInput struct {
	Contact         OrderContact
	Lines           []CheckoutLineInput
	Fulfilment      Fulfilment
	ShippingAddress *ShippingAddress
	IdempotencyKey  string
}

// What an unpaid online order may hold. Checkout reserves stock until the order is
// paid or its reservation ends, so these bound what one shopper can take off the
// shelf without paying: a clerk at the counter must still find the goods. Larger
// orders are taken by the shop itself.
const (
	// MaxOrderLines bounds a cart.
	MaxOrderLines = 100
	// MaxOrderLineQuantity is the most units of one product an order may hold.
	MaxOrderLineQuantity = 20
	// MaxOrderUnits is the most units an order may hold in all.
	MaxOrderUnits = 50
	// MaxUnpaidOrders is how many orders waiting for payment, with their stock
	// reserved, one email address or one shopper account may have at once.
	MaxUnpaidOrders = 3
	// MaxUnpaidOrdersPerClient is how many such orders may come from one network
	// address at once: higher than per email, for a household or office behind one
	// address.
	MaxUnpaidOrdersPerClient = 20
)

// Validate checks the input alone and normalises the email, phone and postal code.
// It returns every problem at once: EMPTY_CART, MULTIPLE_SHOPS (on the first line of
// another shop), OUT_OF_RANGE quantities, REQUIRED or INVALID_EMAIL
// (input.contact.email), REQUIRED name, REQUIRED shipping address for a delivery,
// INVALID_POSTAL_CODE; OUT_OF_RANGE (input.lines) for more than MaxOrderUnits units
// in all.
func (in *CheckoutInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	c := &in.Contact
	if e, err := ParseEmail(c.Email, "input.contact.email"); err != nil {
		errs = append(errs, err.(*Error))
	} else {
		c.Email = e
	}
	c.Name, c.Phone = strings.TrimSpace(c.Name), strings.TrimSpace(c.Phone)
	switch n := utf8.RuneCountInString(c.Name); {
	case n == 0:
		errs.Add(CodeRequired, "input.contact.name", "Enter the name the order is for.")
	case n > MaxTextLength:
		errs.Add(CodeTooLong, "input.contact.name", "A name can be at most %d characters.", MaxTextLength)
	}
	if len(c.Phone) > 30 {
		errs.Add(CodeTooLong, "input.contact.phone", "A phone number can be at most 30 characters.")
	}
	switch {
	case len(in.Lines) == 0:
		errs.Add(CodeEmptyCart, "input.lines", "The cart is empty; add at least one product.")
	case len(in.Lines) > MaxOrderLines:
		errs.Add(CodeOutOfRange, "input.lines", "An order can have at most %d lines.", MaxOrderLines)
	}
	seen := map[ProductID]bool{}
	units := 0
	for i, l := range in.Lines {
		f := fieldIndex("input.lines", i)
		if l.ShopID != in.Lines[0].ShopID {
			errs.Add(CodeMultipleShops, f+".shopId",
				"An order comes from one shop; order the goods of each shop separately.")
		}
		if seen[l.ProductID] {
			errs.Add(CodeDuplicate, f+".productId", "This product is in the cart twice; change the quantity instead.")
		}
		seen[l.ProductID] = true
		if l.Quantity < 1 || l.Quantity > MaxOrderLineQuantity {
			errs.Add(CodeOutOfRange, f+".quantity",
				"Enter a quantity from 1 to %d; for more, please contact the shop.", MaxOrderLineQuantity)
		} else {
			units += l.Quantity
		}
	}
	if units > MaxOrderUnits {
		errs.Add(CodeOutOfRange, "input.lines",
			"An online order can hold at most %d items in all; this one has %d. For more, please contact the shop.", MaxOrderUnits, units)
	}
	switch in.Fulfilment {
	case FulfilPickup:
		in.ShippingAddress = nil
	case FulfilDelivery:
		a := in.ShippingAddress
		if a == nil || (strings.TrimSpace(a.PostalCode) == "" && strings.TrimSpace(a.Address) == "") {
			errs.Add(CodeRequired, "input.shippingAddress", "Enter the address to deliver to.")
			break
		}
		if pc, err := ParsePostalCode(a.PostalCode, "input.shippingAddress.postalCode"); err != nil {
			errs = append(errs, err.(*Error))
		} else {
			a.PostalCode = pc
		}
		a.Address = strings.TrimSpace(a.Address)
		switch n := utf8.RuneCountInString(a.Address); {
		case n == 0:
			errs.Add(CodeRequired, "input.shippingAddress.address", "Enter the address to deliver to.")
		case n > MaxNoteLength:
			errs.Add(CodeTooLong, "input.shippingAddress.address", "An address can be at most %d characters.", MaxNoteLength)
		}
	default:
		errs.Add(CodeInvalidInput, "input.fulfilment", "Choose PICKUP or DELIVERY.")
	}
	return errs.Err()
}

// ShopID is the shop the cart's goods come from (valid input has one).
func (in *CheckoutInput) ShopID() LocationID {
	if len(in.Lines) == 0 {
		return 0
	}
	return in.Lines[0].ShopID
}

// Checkout is the result of a checkout: the order, the PaymentIntent's client secret
// for the storefront's card form, and the guest's order token.
type Checkout struct {
	Order        *Order
	ClientSecret string
	Token        string
}

// OrderActionInput names the order a staff action (markOrderReady, completeOrder) is
// about; a retry with the same idempotency key returns the first result.
type OrderActionInput struct {
	OrderID        OrderID
	IdempotencyKey string
}

// Validate checks the input alone.
func (in *OrderActionInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	return errs.Err()
}

// ShipOrderInput ships a delivery order.
type ShipOrderInput struct {
	OrderID        OrderID
	Carrier        string
	TrackingNumber string
	IdempotencyKey string
}

// Validate checks the input alone and trims the carrier and tracking number.
func (in *ShipOrderInput) Validate() error {
	var errs ValidationErrors
	in.Carrier, in.TrackingNumber = strings.TrimSpace(in.Carrier), strings.TrimSpace(in.TrackingNumber)
	if in.Carrier == "" {
		errs.Add(CodeRequired, "input.carrier", "Enter the carrier (ヤマト運輸, 日本郵便, …).")
	}
	if utf8.RuneCountInString(in.Carrier) > MaxTextLength || utf8.RuneCountInString(in.TrackingNumber) > MaxTextLength {
		errs.Add(CodeTooLong, "input.trackingNumber", "At most %d characters.", MaxTextLength)
	}
	validateKey(&errs, in.IdempotencyKey)
	return errs.Err()
}

// CancelOrderInput cancels an order before fulfilment; money taken is refunded.
type CancelOrderInput struct {
	OrderID        OrderID
	Reason         string
	IdempotencyKey string
}

// Validate checks the input alone and trims the reason.
func (in *CancelOrderInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	validateText(&errs, &in.Reason, "input.reason")
	return errs.Err()
}

// RefundOrderLineInput refunds some of an order line.
type RefundOrderLineInput struct {
	LineNumber int
	Quantity   int
}

// RefundOrderInput refunds some lines of an order, or (Lines empty) everything not
// yet refunded, shipping included.
type RefundOrderInput struct {
	OrderID        OrderID
	Lines          []RefundOrderLineInput
	Reason         string
	IdempotencyKey string
}

// Validate checks the input alone.
func (in *RefundOrderInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	in.Reason = strings.TrimSpace(in.Reason)
	if utf8.RuneCountInString(in.Reason) > MaxNoteLength {
		errs.Add(CodeTooLong, "input.reason", "A reason can be at most %d characters.", MaxNoteLength)
	}
	seen := map[int]bool{}
	for i, l := range in.Lines {
		f := fieldIndex("input.lines", i)
		if seen[l.LineNumber] {
			errs.Add(CodeDuplicate, f+".lineNumber", "This line is listed twice.")
		}
		seen[l.LineNumber] = true
		if l.Quantity < 1 || l.Quantity > MaxLineQuantity {
			errs.Add(CodeOutOfRange, f+".quantity", "Enter a quantity of at least 1.")
		}
	}
	return errs.Err()
}

// OrderFilter narrows the list of orders.
type OrderFilter struct {
	ShopID       *LocationID
	Status       *OrderStatus
	Since, Until *time.Time
}

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

// SignUpInput creates a shopper's account.
type SignUpInput struct {
	Email    string
	Password string
	Name     string
	// Locale is the language of the e-mail that verifies the address; Japanese
	// when empty.
	Locale Locale
}
