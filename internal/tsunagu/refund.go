package tsunagu

import (
	"strings"
	"unicode/utf8"
)

// RefundLineInput refunds some of a line of a sale or an order, by its number.
type RefundLineInput struct {
	LineNumber int
	Quantity   int
}

// validateRefund checks what a refund at the counter and a refund of an online
// order have in common: the idempotency key, the reason (trimmed in place, at most
// MaxNoteLength) and the lines (each listed once, a quantity from 1 to
// MaxLineQuantity). Whether a line exists and has that much left is the store's.
func validateRefund(errs *ValidationErrors, key string, reason *string, lines []RefundLineInput) {
	validateKey(errs, key)
	*reason = strings.TrimSpace(*reason)
	if utf8.RuneCountInString(*reason) > MaxNoteLength {
		errs.Add(CodeTooLong, "input.reason", "A reason can be at most %d characters.", MaxNoteLength)
	}
	seen := map[int]bool{}
	for i, l := range lines {
		f := fieldIndex("input.lines", i)
		if seen[l.LineNumber] {
			errs.Add(CodeDuplicate, f+".lineNumber", "This line is listed twice.")
		}
		seen[l.LineNumber] = true
		if l.Quantity < 1 || l.Quantity > MaxLineQuantity {
			errs.Add(CodeOutOfRange, f+".quantity", "Enter a quantity of at least 1.")
		}
	}
}
