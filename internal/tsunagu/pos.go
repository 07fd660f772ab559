package tsunagu

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Shop is a location of kind SHOP with the settings its receipts need.
type Shop struct {
	LocationID LocationID
	// OperatorName and RegistrationNumber are the receipt's issuer: who runs the
	// shop (the city, or the corporation it entrusts) and its qualified-invoice number.
	OperatorName       string
	RegistrationNumber *string
	Rounding           Rounding
	// AcceptsPickup: the shop takes online orders for pickup at its counter.
	AcceptsPickup bool
}

// UpdateShopInput sets a shop's receipt settings. Fields left out (nil) keep their
// values, so a client changing only the rounding never takes the shop out of
// qualified invoicing; a new shop needs OperatorName.
type UpdateShopInput struct {
	ShopID       LocationID
	OperatorName *string
	// RegistrationNumber "" removes the number: the operator is not a registered
	// issuer, and its receipts mark every good as not qualifying.
	RegistrationNumber *string
	Rounding           *Rounding
	AcceptsPickup      *bool
}

// Validate checks the input alone and normalizes it: the operator's name trimmed, the
// registration number parsed (T and 13 digits, full width allowed, "" kept as ""),
// the rounding parsed.
func (in *UpdateShopInput) Validate() error {
	var errs ValidationErrors
	if in.OperatorName != nil {
		name := strings.TrimSpace(*in.OperatorName)
		in.OperatorName = &name
		switch {
		case name == "":
			errs.Add(CodeRequired, "input.operatorName", "Enter who runs the shop and issues its receipts.")
		case utf8.RuneCountInString(name) > MaxNameLength:
			errs.Add(CodeTooLong, "input.operatorName", "This can be at most %d characters.", MaxNameLength)
		}
	}
	if in.RegistrationNumber != nil {
		n := strings.TrimSpace(*in.RegistrationNumber)
		if n != "" {
			var err error
			if n, err = ParseRegistrationNumber(n, "input.registrationNumber"); err != nil && !errs.AddError(err) {
				return err
			}
		}
		in.RegistrationNumber = &n
	}
	if in.Rounding != nil {
		r, err := ParseRounding(string(*in.Rounding), "input.rounding")
		if err != nil && !errs.AddError(err) {
			return err
		}
		in.Rounding = &r
	}
	return errs.Err()
}

// Register is a till at a shop.
type Register struct {
	ID        RegisterID
	ShopID    LocationID
	Name      string
	CreatedAt time.Time
	// RetiredAt is when the register was taken out of use: it opens no more
	// sessions and is no longer listed; its past sessions keep it.
	RetiredAt *time.Time
}

// UpdateRegisterInput renames a register.
type UpdateRegisterInput struct {
	RegisterID RegisterID
	Name       string
}

// RetireRegisterInput takes a register out of use.
type RetireRegisterInput struct {
	RegisterID RegisterID
}

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

// CreateRegisterInput adds a register to a shop.
type CreateRegisterInput struct {
	ShopID LocationID
	Name   string
}

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

// MethodTotal is the takings of one payment method.
type MethodTotal struct {
	Method PaymentMethod
	Count  int
	Amount int64
}

// ZReport is a register session's close report (レジ締め).
type ZReport struct {
	SalesCount      int
	GrossSales      int64 // completed sales, before refunds
	VoidCount       int
	VoidTotal       int64
	RefundCount     int
	RefundTotal     int64
	NetSales        int64 // gross less refunds
	ByPaymentMethod []MethodTotal
	// ByTaxRate are the net takings per rate, tax computed once per rate.
	ByTaxRate []RateTotal
	// ReportTaxes split ByTaxRate into qualifying and non-qualifying goods, and give
	// the sums of the taxes the receipts printed, to reconcile with.
	ReportTaxes
	OpeningFloat int64
	CashSales    int64 // cash received for sales, change given back
	CashRefunds  int64
	CashIn       int64
	CashOut      int64
	// ExpectedCash is float + cash sales − cash refunds + cash in − cash out.
	ExpectedCash int64
	CountedCash  *int64
	// OverShort is counted − expected once counted: positive is over.
	OverShort *int64
}

// POSService runs the counter: registers, sessions, sales, voids and refunds. A clerk
// works at their own shop; managers at their municipality's shops; admins anywhere.
type POSService interface {
	Registers(ctx context.Context, shop *LocationID) ([]*Register, error)
	RegistersByID(ctx context.Context, ids []RegisterID) (map[RegisterID]*Register, error)
	CreateRegister(ctx context.Context, in CreateRegisterInput) (*Register, error)
	// UpdateRegister renames a register, for managers of its shop's municipality and
	// admins. Returns NOT_FOUND, FORBIDDEN, REQUIRED/TOO_LONG or DUPLICATE
	// (input.name); and then changes nothing.
	UpdateRegister(ctx context.Context, in UpdateRegisterInput) (*Register, error)
	// RetireRegister takes a register out of use, for the same users. Returns
	// NOT_FOUND, FORBIDDEN, REGISTER_IN_USE (input.registerId) while a session of it
	// is open, or INVALID_STATE when it is retired already; and then changes nothing.
	RetireRegister(ctx context.Context, in RetireRegisterInput) (*Register, error)
	SessionsByID(ctx context.Context, ids []SessionID) (map[SessionID]*RegisterSession, error)
	OpenSessions(ctx context.Context, registerIDs []RegisterID) (map[RegisterID]*RegisterSession, error)
	OpenRegisterSession(ctx context.Context, in OpenSessionInput) (*RegisterSession, error)
	CloseRegisterSession(ctx context.Context, in CloseSessionInput) (*RegisterSession, error)
	RecordCashMovement(ctx context.Context, in RecordCashMovementInput) (*CashMovement, error)
	CashMovements(ctx context.Context, sessionIDs []SessionID) (map[SessionID][]*CashMovement, error)
	Report(ctx context.Context, session SessionID) (*ZReport, error)
	// Reports returns many sessions' reports; those the user may not see are left out.
	Reports(ctx context.Context, sessions []SessionID) (map[SessionID]*ZReport, error)

	CreateSale(ctx context.Context, in CreateSaleInput) (*Sale, error)
	VoidSale(ctx context.Context, in VoidSaleInput) (*Sale, error)
	RefundSale(ctx context.Context, in RefundSaleInput) (*Refund, error)
	// CreateTerminalSale starts a card sale on a Stripe Terminal reader; the sale
	// completes when Stripe reports the payment.
	CreateTerminalSale(ctx context.Context, in CreateTerminalSaleInput) (*TerminalSale, error)
	// ConfirmTerminalSale asks Stripe for a pending Terminal sale's payment and
	// completes the sale if it succeeded, cancels it if its PaymentIntent was
	// cancelled, records a decline; a payment still waiting for the card leaves it.
	ConfirmTerminalSale(ctx context.Context, id SaleID) (*Sale, error)
	// CancelTerminalSale cancels a pending Terminal sale's PaymentIntent at Stripe and
	// then the sale, releasing its stock; a payment that succeeded completes it instead.
	CancelTerminalSale(ctx context.Context, in CancelTerminalSaleInput) (*Sale, error)
	Sales(ctx context.Context, f SaleFilter, page PageArgs) (*Page[*Sale], error)
	SalesByID(ctx context.Context, ids []SaleID) (map[SaleID]*Sale, error)
	SaleByReceiptNumber(ctx context.Context, shop LocationID, number int64) (*Sale, error)
	SaleLines(ctx context.Context, ids []SaleID) (map[SaleID][]*SaleLine, error)
	// SoldLines lists the lines of completed sales newest first (keyed by
	// SoldLineKey): every line of the sales the user sees, and for facility staff
	// the lines of their own facility's goods. Returns UNAUTHENTICATED, FORBIDDEN
	// (customers) or OUT_OF_RANGE (first).
	SoldLines(ctx context.Context, f SoldLineFilter, page PageArgs) (*Page[*SoldLine], error)
	SalePayments(ctx context.Context, ids []SaleID) (map[SaleID][]*Payment, error)
	Refunds(ctx context.Context, ids []SaleID) (map[SaleID][]*Refund, error)
	// Refund returns one refund by ID (for node(id)) to those who may see its shop's
	// sales; NOT_FOUND (field "") when there is none or the caller may not see it.
	Refund(ctx context.Context, id RefundID) (*Refund, error)
	RefundLines(ctx context.Context, ids []RefundID) (map[RefundID][]*RefundLine, error)
	// Receipt builds the receipt of a sale or, with refund set, of a refund.
	Receipt(ctx context.Context, sale SaleID, refund *RefundID) (*Receipt, error)
	// Receipts builds many receipts at once; those the user may not see are left out.
	Receipts(ctx context.Context, keys []ReceiptKey) (map[ReceiptKey]*Receipt, error)
	ShopsByID(ctx context.Context, ids []LocationID) (map[LocationID]*Shop, error)
	UpdateShop(ctx context.Context, in UpdateShopInput) (*Shop, error)
}
