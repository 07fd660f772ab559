package tsunagu

import (
	"time"
)

// SessionStatus is whether a register session is taking sales.
type SessionStatus string

const (
	SessionOpen   SessionStatus = "OPEN"
	SessionClosed SessionStatus = "CLOSED"
)

// RegisterSession is a register's working period, from opening with a float to
// closing with a count. A closed session is read-only.
type RegisterSession struct {
	ID           SessionID
	RegisterID   RegisterID
	ShopID       LocationID
	Status       SessionStatus
	OpeningFloat int64
	OpenedBy     UserID
	OpenedAt     time.Time
	ClosedBy     *UserID
	ClosedAt     *time.Time
	CountedCash  *int64
	// Denominations is the count by coin and note when the clerk gave one.
	Denominations []DenominationCount
	CloseNote     string
	// OperatorName, RegistrationNumber and Rounding are the shop's receipt settings
	// when the session opened. The session's receipts and its report keep them: an
	// issued invoice never changes, and a change of settings applies from the next
	// session on.
	OperatorName       string
	RegistrationNumber *string
	Rounding           Rounding
}

// DenominationCount is how many coins or notes of one value were counted.
type DenominationCount struct {
	Denomination int64 `json:"denomination"`
	Count        int   `json:"count"`
}

// Denominations are the yen coins and notes a register holds.
var Denominations = []int64{10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 1}

// CashMovementType is whether cash went into or out of a register.
type CashMovementType string

const (
	CashIn  CashMovementType = "IN"
	CashOut CashMovementType = "OUT"
)

// CashMovement is cash paid into or out of a register outside a sale.
type CashMovement struct {
	ID        int64
	SessionID SessionID
	Type      CashMovementType
	Amount    int64
	Reason    string
	ActorID   UserID
	At        time.Time
}

// MaxCash bounds the cash amounts of the POS inputs (a float, a movement).
const MaxCash = 100_000_000

// OpenSessionInput opens a register with a cash float.
type OpenSessionInput struct {
	RegisterID     RegisterID
	OpeningFloat   int64
	IdempotencyKey string
}

// Validate checks the input alone: the key and the float.
func (in *OpenSessionInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	if in.OpeningFloat < 0 || in.OpeningFloat > MaxCash {
		errs.Add(CodeOutOfRange, "input.openingFloat", "Enter the cash in the drawer, from ¥0 to %s.", Yen(MaxCash))
	}
	return errs.Err()
}

// CloseSessionInput closes a register with the cash counted, as a total or by
// denomination (then the total is computed).
type CloseSessionInput struct {
	SessionID      SessionID
	CountedCash    *int64
	Denominations  []DenominationCount
	Note           string
	IdempotencyKey string
}

// Validate checks the input alone: the counted cash (see Counted), then the key and
// the note, which it trims.
func (in *CloseSessionInput) Validate() error {
	if _, err := in.Counted(); err != nil {
		return err
	}
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	validateText(&errs, &in.Note, "input.note")
	return errs.Err()
}

// Counted returns the counted cash: the sum of the denominations when given (they
// must be known coins and notes, counts ≥ 0, and agree with CountedCash if both are
// given), else CountedCash. Returns REQUIRED when neither is given.
func (in *CloseSessionInput) Counted() (int64, error) {
	if len(in.Denominations) == 0 {
		if in.CountedCash == nil {
			return 0, Errorf(CodeRequired, "input.countedCash", "Count the cash in the drawer.")
		}
		if *in.CountedCash < 0 {
			return 0, Errorf(CodeOutOfRange, "input.countedCash", "Counted cash cannot be negative.")
		}
		return *in.CountedCash, nil
	}
	var sum int64
	seen := map[int64]bool{}
	for i, d := range in.Denominations {
		f := fieldIndex("input.denominations", i)
		known := false
		for _, v := range Denominations {
			known = known || v == d.Denomination
		}
		switch {
		case !known:
			return 0, Errorf(CodeInvalidInput, f+".denomination", "¥%d is not a yen coin or note.", d.Denomination)
		case seen[d.Denomination]:
			return 0, Errorf(CodeDuplicate, f+".denomination", "¥%d is counted twice.", d.Denomination)
		case d.Count < 0 || d.Count > 100_000:
			return 0, Errorf(CodeOutOfRange, f+".count", "Enter a count from 0.")
		}
		seen[d.Denomination] = true
		sum += d.Denomination * int64(d.Count)
	}
	if in.CountedCash != nil && *in.CountedCash != sum {
		return 0, Errorf(CodeInvalidInput, "input.countedCash", "The denominations add up to ¥%d, not ¥%d.", sum, *in.CountedCash)
	}
	return sum, nil
}

// RecordCashMovementInput pays cash into or out of an open session.
type RecordCashMovementInput struct {
	SessionID      SessionID
	Type           CashMovementType
	Amount         int64
	Reason         string
	IdempotencyKey string
}

// Validate checks the input alone and trims the reason.
func (in *RecordCashMovementInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	validateText(&errs, &in.Reason, "input.reason")
	if in.Reason == "" {
		errs.Add(CodeRequired, "input.reason", "Say why the cash goes in or out.")
	}
	if in.Type != CashIn && in.Type != CashOut {
		errs.Add(CodeInvalidInput, "input.type", "Choose IN or OUT.")
	}
	if in.Amount < 1 || in.Amount > MaxCash {
		errs.Add(CodeOutOfRange, "input.amount", "Enter an amount from ¥1 to ¥%d.", MaxCash)
	}
	return errs.Err()
}
