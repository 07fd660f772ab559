package tsunagu

import "strings"

// Keyed is the input of a mutation that runs at most once per idempotency key: a
// retry with the same key and the same request returns the first call's result, and
// the same key with a different request is refused (IDEMPOTENCY_CONFLICT).
type Keyed interface {
	// Validate checks the input alone, its key included, reporting every problem
	// at once; it may normalize the input (trim texts).
	Validate() error
	// Unkeyed returns the idempotency key and the request without it: what tells
	// a retry from a different request under the same key.
	Unkeyed() (key string, request any)
}

// MaxKeyLength bounds an idempotency key, in bytes.
const MaxKeyLength = 200

// validateKey checks an idempotency key: every Keyed input's Validate calls it.
func validateKey(errs *ValidationErrors, key string) {
	switch {
	case strings.TrimSpace(key) == "":
		errs.Add(CodeRequired, "input.idempotencyKey", "Send an idempotency key (a new random string for each new operation).")
	case len(key) > MaxKeyLength:
		errs.Add(CodeTooLong, "input.idempotencyKey", "An idempotency key can be at most %d bytes.", MaxKeyLength)
	}
}

// unkeyed returns the key that key points to and *in with it emptied: in is the
// receiver of an Unkeyed method, a copy, and key its IdempotencyKey field.
func unkeyed[T any](in *T, key *string) (string, any) {
	k := *key
	*key = ""
	return k, *in
}

func (in CreateSaleInput) Unkeyed() (string, any)         { return unkeyed(&in, &in.IdempotencyKey) }
func (in CreateTerminalSaleInput) Unkeyed() (string, any) { return unkeyed(&in, &in.IdempotencyKey) }
func (in CancelTerminalSaleInput) Unkeyed() (string, any) { return unkeyed(&in, &in.IdempotencyKey) }
func (in VoidSaleInput) Unkeyed() (string, any)           { return unkeyed(&in, &in.IdempotencyKey) }
func (in RefundSaleInput) Unkeyed() (string, any)         { return unkeyed(&in, &in.IdempotencyKey) }
func (in OpenSessionInput) Unkeyed() (string, any)        { return unkeyed(&in, &in.IdempotencyKey) }
func (in CloseSessionInput) Unkeyed() (string, any)       { return unkeyed(&in, &in.IdempotencyKey) }
func (in RecordCashMovementInput) Unkeyed() (string, any) { return unkeyed(&in, &in.IdempotencyKey) }
func (in AdjustStockInput) Unkeyed() (string, any)        { return unkeyed(&in, &in.IdempotencyKey) }
func (in RecordStocktakeInput) Unkeyed() (string, any)    { return unkeyed(&in, &in.IdempotencyKey) }
func (in RequestTransferInput) Unkeyed() (string, any)    { return unkeyed(&in, &in.IdempotencyKey) }
func (in ApproveTransferInput) Unkeyed() (string, any)    { return unkeyed(&in, &in.IdempotencyKey) }
func (in ShipTransferInput) Unkeyed() (string, any)       { return unkeyed(&in, &in.IdempotencyKey) }
func (in ReceiveTransferInput) Unkeyed() (string, any)    { return unkeyed(&in, &in.IdempotencyKey) }
func (in CancelTransferInput) Unkeyed() (string, any)     { return unkeyed(&in, &in.IdempotencyKey) }
func (in CheckoutInput) Unkeyed() (string, any)           { return unkeyed(&in, &in.IdempotencyKey) }
func (in OrderActionInput) Unkeyed() (string, any)        { return unkeyed(&in, &in.IdempotencyKey) }
func (in ShipOrderInput) Unkeyed() (string, any)          { return unkeyed(&in, &in.IdempotencyKey) }
func (in CancelOrderInput) Unkeyed() (string, any)        { return unkeyed(&in, &in.IdempotencyKey) }
func (in RefundOrderInput) Unkeyed() (string, any)        { return unkeyed(&in, &in.IdempotencyKey) }

var (
	_ Keyed = (*CreateSaleInput)(nil)
	_ Keyed = (*OpenSessionInput)(nil)
	_ Keyed = (*CloseSessionInput)(nil)
	_ Keyed = (*CreateTerminalSaleInput)(nil)
	_ Keyed = (*CancelTerminalSaleInput)(nil)
	_ Keyed = (*VoidSaleInput)(nil)
	_ Keyed = (*RefundSaleInput)(nil)
	_ Keyed = (*RecordCashMovementInput)(nil)
	_ Keyed = (*AdjustStockInput)(nil)
	_ Keyed = (*RecordStocktakeInput)(nil)
	_ Keyed = (*RequestTransferInput)(nil)
	_ Keyed = (*ApproveTransferInput)(nil)
	_ Keyed = (*ShipTransferInput)(nil)
	_ Keyed = (*ReceiveTransferInput)(nil)
	_ Keyed = (*CancelTransferInput)(nil)
	_ Keyed = (*CheckoutInput)(nil)
	_ Keyed = (*OrderActionInput)(nil)
	_ Keyed = (*ShipOrderInput)(nil)
	_ Keyed = (*CancelOrderInput)(nil)
	_ Keyed = (*RefundOrderInput)(nil)
)
