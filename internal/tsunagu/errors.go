// Package tsunagu holds the domain of the Tsunagu network: its types, the rules that
// hold everywhere (check digits, tax, state machines) and the service interfaces the
// storage and API layers implement and call. It imports no other package of the project.
package tsunagu

import (
	"errors"
	"fmt"
)

// Code classifies an Error. The business and validation codes travel to clients in a
// payload's userErrors; Unauthenticated, Forbidden, NotFound and Internal become
// GraphQL errors with extensions.code.
type Code string

// Error codes. Each is a value of the schema's ErrorCode enum.
const (
	// Request-level codes, reported as GraphQL errors.
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	CodeForbidden       Code = "FORBIDDEN"
	CodeNotFound        Code = "NOT_FOUND"
	CodeInternal        Code = "INTERNAL"
	// CodeRateLimited: too many requests for a token or address; extensions.retryAfter
	// says in how many seconds to try again.
	CodeRateLimited Code = "RATE_LIMITED"
	// CodeTimeout: the request, or one of its statements, ran out of time.
	CodeTimeout Code = "TIMEOUT"
	// CodeUnavailable: the database could not be reached; the request changed
	// nothing and may be retried (with the same idempotency key).
	CodeUnavailable Code = "UNAVAILABLE"

	// Business and validation codes, reported in userErrors.
	CodeInvalidInput              Code = "INVALID_INPUT"
	CodeRequired                  Code = "REQUIRED"
	CodeTooLong                   Code = "TOO_LONG"
	CodeOutOfRange                Code = "OUT_OF_RANGE"
	CodeInvalidMunicipalityCode   Code = "INVALID_MUNICIPALITY_CODE"
	CodeInvalidJAN                Code = "INVALID_JAN"
	CodeInvalidRegistrationNumber Code = "INVALID_REGISTRATION_NUMBER"
	CodeInvalidEmail              Code = "INVALID_EMAIL"
	CodeInvalidPostalCode         Code = "INVALID_POSTAL_CODE"
	CodeInvalidURL                Code = "INVALID_URL"
	CodeDuplicateCode             Code = "DUPLICATE_CODE"
	CodeDuplicate                 Code = "DUPLICATE"
	CodeInvalidCredentials        Code = "INVALID_CREDENTIALS"
	CodeInvalidState              Code = "INVALID_STATE"
	CodeInsufficientStock         Code = "INSUFFICIENT_STOCK"
	CodeIdempotencyConflict       Code = "IDEMPOTENCY_CONFLICT"
	CodePaymentMismatch           Code = "PAYMENT_MISMATCH"
	CodeNoOpenSession             Code = "NO_OPEN_SESSION"
	CodeOverRefund                Code = "OVER_REFUND"
	CodeEmptyCart                 Code = "EMPTY_CART"
	CodeMultipleShops             Code = "MULTIPLE_SHOPS"
	CodeNotPaid                   Code = "NOT_PAID"
	CodePaymentsUnavailable       Code = "PAYMENTS_UNAVAILABLE"
	CodeOrderExpired              Code = "ORDER_EXPIRED"
	CodeTooManyUnpaidOrders       Code = "TOO_MANY_UNPAID_ORDERS"
	CodeInvalidToken              Code = "INVALID_TOKEN"
	CodeTooManyLoginAttempts      Code = "TOO_MANY_LOGIN_ATTEMPTS"
	CodeEmailNotVerified          Code = "EMAIL_NOT_VERIFIED"
	// CodePartnershipOverlap: the two municipalities are partners already on some of
	// the days asked for.
	CodePartnershipOverlap Code = "PARTNERSHIP_OVERLAP"
	// CodeNotCarried: the shop does not carry the goods of this municipality (it is
	// not its own and not a partner today).
	CodeNotCarried Code = "NOT_CARRIED"
	// CodeRegisterInUse: the register has an open session; close it first.
	CodeRegisterInUse Code = "REGISTER_IN_USE"
	// CodeMonthNotEnded: a settlement month closes only once it is over (Japan
	// time): sales are dated when they happen, so a month still running could not
	// stay closed.
	CodeMonthNotEnded Code = "MONTH_NOT_ENDED"
	// CodeMonthNotInOrder: a shop closes its settlement months one after the other;
	// the message names the month to close first.
	CodeMonthNotInOrder Code = "MONTH_NOT_IN_ORDER"
	// CodeSettlementNotClosed: the statement's month is not closed; only a closed
	// statement can be paid.
	CodeSettlementNotClosed Code = "SETTLEMENT_NOT_CLOSED"
	// CodePaidBeforeClose: a statement cannot be paid on a day before it was closed.
	CodePaidBeforeClose Code = "PAID_BEFORE_CLOSE"
	// CodeAlreadyPaid: the statement was paid already, on another day or with
	// another reference.
	CodeAlreadyPaid Code = "ALREADY_PAID"
)

// Error is a failure a person can act on: Message is a sentence shown to them,
// Field names the input it is about (a dotted path such as "input.lines.2.quantity",
// or "" when it concerns the whole request).
type Error struct {
	Code    Code
	Field   string
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, CodeInternal for any
// other error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the message a client may see: the *Error's own sentence, or
// "Internal error." for anything else, whose details stay in the logs.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ValidationErrors collects the userErrors of one input so that a client learns of
// every bad field at once. The zero value is ready to use.
type ValidationErrors []*Error

// Add appends an error.
func (v *ValidationErrors) Add(code Code, field, format string, args ...any) {
	*v = append(*v, Errorf(code, field, format, args...))
}

// AddError appends the *Error that err holds, if it holds one, and reports whether
// it did: a caller returns any other error as it is.
func (v *ValidationErrors) AddError(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	*v = append(*v, e)
	return true
}

// Err returns v as an error, or nil when it is empty.
func (v ValidationErrors) Err() error {
	if len(v) == 0 {
		return nil
	}
	return v
}

func (v ValidationErrors) Error() string {
	if len(v) == 1 {
		return v[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", v[0].Error(), len(v)-1)
}

// Unwrap exposes the collected errors to errors.Is and errors.As.
func (v ValidationErrors) Unwrap() []error {
	errs := make([]error, len(v))
	for i, e := range v {
		errs[i] = e
	}
	return errs
}

// UserErrors splits err into the errors a payload reports: the list of a
// ValidationErrors, a lone *Error, or nil when err is of neither kind.
func UserErrors(err error) []*Error {
	var v ValidationErrors
	if errors.As(err, &v) {
		return v
	}
	var e *Error
	if errors.As(err, &e) {
		return []*Error{e}
	}
	return nil
}
