package tsunagu

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Closing a settlement month (issue 19, point 3).
//
//   - A shop closes a month once it is over (Japan time), and its months one after
//     the other: the first month it closes is any ended month before which it sold
//     nothing, every later one the month after its last closed month
//     (CheckCloseOrder). Sales, voids and refunds are dated when they are recorded
//     (no mutation takes a date), so no sale can be dated into a closed month.
//   - The close freezes the statements of every facility whose goods sold, or were
//     given back, at the shop in the month: their lines, figures and the shop's
//     rounding are stored, with a statement number, and never change again.
//   - An event committed after its month closed (a transaction that began before the
//     close and ended after it) counts in the shop's first open month. A refund or
//     void of a sale of an earlier month counts in the month it happens, on a line
//     of its own that names the sale (SettlementSaleRef).
//   - A closed statement is paid once (markSettlementPaid), on a day not before its
//     close; recording the same payment again changes nothing.

// CloseSettlementMonthInput closes a shop's month.
type CloseSettlementMonthInput struct {
	// Month is "YYYY-MM", Japan time.
	Month  string
	ShopID LocationID
}

// SettlementClose is a closed month of a shop with its frozen statements.
type SettlementClose struct {
	ShopID      LocationID
	Month       Month
	ClosedAt    time.Time
	Settlements []*Settlement
}

// MarkSettlementPaidInput records the payment of a closed statement to its facility.
type MarkSettlementPaidInput struct {
	ID SettlementID
	// PaidOn is "YYYY-MM-DD", the day the money was sent.
	PaidOn string
	// Reference is the bank transfer's reference or a voucher number.
	Reference string
}

// MaxPaymentReference bounds a payment reference, in characters.
const MaxPaymentReference = 200

// Validate checks the input, at now, and returns the payment day: a day that has
// not come yet in Japan is INVALID_INPUT (input.paidOn), since a payment is
// recorded once it is made.
func (in *MarkSettlementPaidInput) Validate(now time.Time) (time.Time, error) {
	var errs ValidationErrors
	in.Reference = strings.TrimSpace(in.Reference)
	if len([]rune(in.Reference)) > MaxPaymentReference {
		errs.Add(CodeTooLong, "input.reference", "Give a reference of at most %d characters.", MaxPaymentReference)
	}
	d, err := ParseDate(in.PaidOn, "input.paidOn")
	if !errs.AddError(err) && d.After(DayOf(now)) {
		errs.Add(CodeInvalidInput, "input.paidOn", "%s has not come yet (Japan time): record the payment once it is made.",
			d.Format(time.DateOnly))
	}
	return d, errs.Err()
}

// SettlementSaleRef names the sale a statement line gives money back for, when the
// sale was made in an earlier month than the statement's: a counter sale (SaleID,
// with its receipt number at the shop) or an online order (OrderID).
type SettlementSaleRef struct {
	SaleID        *SaleID
	OrderID       *OrderID
	ReceiptNumber *int64
	SoldAt        time.Time
}

// CheckMonthEnded returns MONTH_NOT_ENDED (field) unless month m is over at now.
func CheckMonthEnded(m Month, now time.Time, field string) error {
	if now.Before(m.Next().Start()) {
		return Errorf(CodeMonthNotEnded, field, "%s is not over yet (Japan time); close it from %s on.",
			m, m.Next().Start().Format("2006-01-02"))
	}
	return nil
}

// CheckCloseOrder applies the order in which a shop closes its months: after its
// last closed month (nil: none yet) only the month after it; a first close only a
// month before which the shop sold nothing (soldBefore reports whether it did).
// Returns MONTH_NOT_IN_ORDER (field) naming the month to close instead.
func CheckCloseOrder(m Month, lastClosed *Month, soldBefore bool, field string) error {
	switch {
	case lastClosed == nil && soldBefore:
		return Errorf(CodeMonthNotInOrder, field, "The shop sold before %s: close its first month of sales first.", m)
	case lastClosed == nil:
		return nil
	case m.Before(*lastClosed) || m == *lastClosed:
		return Errorf(CodeMonthNotInOrder, field, "%s is before the shop's first closed month; it has nothing to close.", m)
	case m != lastClosed.Next():
		return Errorf(CodeMonthNotInOrder, field, "Months close in order: close %s first.", lastClosed.Next())
	}
	return nil
}

// StatementNumber is the number of a shop's seq-th closed statement: the shop's
// location number and the sequence, "<shop>-<000001>". Numbers are per shop, without
// gaps, in the order statements were closed (within a close, by facility).
func StatementNumber(shop LocationID, seq int64) string {
	return fmt.Sprintf("%d-%06d", shop, seq)
}

// SettlementCloser closes months and records payments.
type SettlementCloser interface {
	// CloseSettlementMonth closes a shop's month (see the rules at the top of this
	// file), by an admin or a manager of the shop's municipality, and returns its
	// statements. Closing a closed month again returns the same statements and
	// changes nothing; two closes at once make one. Returns UNAUTHENTICATED,
	// FORBIDDEN, NOT_FOUND (input.shopId), INVALID_INPUT (input.month),
	// MONTH_NOT_ENDED, MONTH_NOT_IN_ORDER (input.month), and then changes nothing.
	// The close is in the audit log.
	CloseSettlementMonth(ctx context.Context, in CloseSettlementMonthInput) (*SettlementClose, error)
	// MarkSettlementPaid records that a closed statement was paid to its facility,
	// by an admin or a manager of the shop's municipality. The same payment again
	// returns the statement unchanged. Returns UNAUTHENTICATED, FORBIDDEN, NOT_FOUND
	// (unknown or not visible), INVALID_INPUT (input.paidOn: not a day, or one that
	// has not come yet), TOO_LONG
	// (input.reference), SETTLEMENT_NOT_CLOSED, PAID_BEFORE_CLOSE (input.paidOn),
	// ALREADY_PAID (another payment was recorded), and then changes nothing. The
	// payment is in the audit log.
	MarkSettlementPaid(ctx context.Context, in MarkSettlementPaidInput) (*Settlement, error)
}
