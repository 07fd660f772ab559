package tsunagu

import (
	"strings"
	"unicode/utf8"
)

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

// RefundOrderInput refunds some lines of an order, or (Lines empty) everything not
// yet refunded, shipping included.
type RefundOrderInput struct {
	OrderID        OrderID
	Lines          []RefundLineInput
	Reason         string
	IdempotencyKey string
}

// Validate checks the input alone.
func (in *RefundOrderInput) Validate() error {
	var errs ValidationErrors
	validateRefund(&errs, in.IdempotencyKey, &in.Reason, in.Lines)
	return errs.Err()
}
