package tsunagu

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Sales at the counter: what a sale holds, its inputs and their rules, refunds and
// voids, the lines sold, and the keys of receipts. Registers, sessions and the
// service are in pos.go.

// SaleStatus is where a sale is.
type SaleStatus string

const (
	SaleCompleted SaleStatus = "COMPLETED"
	SaleVoided    SaleStatus = "VOIDED"
	// SalePendingPayment is a Terminal card sale waiting for Stripe: its stock is
	// held (reserved) and it has no receipt number yet.
	SalePendingPayment SaleStatus = "PENDING_PAYMENT"
	// SaleCancelled is a Terminal card sale whose payment failed: nothing was sold.
	SaleCancelled SaleStatus = "CANCELLED"
)

// CreateTerminalSaleInput sells goods for a card payment on a Stripe Terminal
// reader: one CARD payment of the total.
type CreateTerminalSaleInput struct {
	SessionID SessionID
	Lines     []SaleLineInput
	// ReaderID is the Terminal reader (tmr_…) to present the payment on; empty: the
	// POS app presents it itself with the client secret.
	ReaderID       string
	IdempotencyKey string
}

// Validate checks the input alone, as CreateSaleInput.Validate checks a sale's (the
// sale's one card payment is made later, of its total).
func (in *CreateTerminalSaleInput) Validate() error {
	sale := CreateSaleInput{SessionID: in.SessionID, Lines: in.Lines, IdempotencyKey: in.IdempotencyKey,
		Payments: []PaymentInput{TerminalPayment(1)}}
	return sale.Validate()
}

// TerminalPayment is the card payment of a Terminal sale for amount; its reference
// names the terminal until the PaymentIntent's ID replaces it when the card pays.
func TerminalPayment(amount int64) PaymentInput {
	return PaymentInput{Method: PaymentCard, Amount: amount, Reference: "Stripe Terminal"}
}

// CancelTerminalSaleInput gives up a pending Terminal card sale (the shopper left, or
// the reader never got the payment).
type CancelTerminalSaleInput struct {
	SaleID         SaleID
	IdempotencyKey string
}

// Validate checks the input alone.
func (in *CancelTerminalSaleInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	return errs.Err()
}

// TerminalSale is a pending Terminal sale with its PaymentIntent.
type TerminalSale struct {
	Sale            *Sale
	PaymentIntentID string
	ClientSecret    string
}

// Sale is a POS transaction.
type Sale struct {
	ID            SaleID
	ShopID        LocationID
	RegisterID    RegisterID
	SessionID     SessionID
	ReceiptNumber int64
	Status        SaleStatus
	Total         int64
	SoldBy        UserID
	CreatedAt     time.Time
	VoidedAt      *time.Time
	VoidedBy      *UserID
	VoidReason    string
	// LastPaymentError is the reader's last decline of a pending Terminal sale (the
	// clerk may try another card), cleared when the card pays.
	LastPaymentError string
	// PaymentFlag, when set, says why Stripe took money for this Terminal sale that
	// the sale could not book (a wrong amount, or paid after it was cancelled and its
	// goods were gone): staff must refund the payment.
	PaymentFlag string
}

// SaleLine is one product of a sale, as it was sold: name, price, tax class and the
// owner's invoice registration are copied so the receipt never changes.
type SaleLine struct {
	SaleID          SaleID
	LineNumber      int
	ProductID       ProductID
	OwnerFacilityID FacilityID
	Name            string
	Code            string
	UnitPrice       int64
	Quantity        int
	TaxClass        TaxClass
	// Qualified is whether the owner was a registered qualified-invoice issuer.
	Qualified bool
	// Refunded is how many of the line have been refunded so far.
	Refunded int
}

// Amount is the line's tax-included total.
func (l *SaleLine) Amount() int64 { return l.UnitPrice * int64(l.Quantity) }

// Payment is one payment of a sale (or a refund's paying back, negative).
type Payment struct {
	Method    PaymentMethod
	Amount    int64
	Tendered  int64
	Change    int64
	Reference string
}

// SaleLineInput is a line of a new sale, by product ID or by scanned code.
type SaleLineInput struct {
	ProductID *ProductID
	Code      *string
	Quantity  int
}

// PaymentInput is a payment of a new sale. For CASH, Tendered is what the customer
// handed over (at least Amount); the change is computed. Other methods are recorded
// with the reference of the external terminal.
type PaymentInput struct {
	Method    PaymentMethod
	Amount    int64
	Tendered  *int64
	Reference string
}

// CreateSaleInput sells goods in an open session.
type CreateSaleInput struct {
	SessionID      SessionID
	Lines          []SaleLineInput
	Payments       []PaymentInput
	IdempotencyKey string
}

// MaxSaleLines bounds a basket.
const MaxSaleLines = 200

// MaxSaleAmount is what a sale may hold: its total, each payment and the cash
// handed over are at most ¥100,000,000. It is far below what a receipt can print
// (maxReceiptTotal), so every sale createSale accepts prints (FuzzSaleReceipt); a
// 13-digit product code typed into the tendered field is refused here, before
// anything is booked.
const MaxSaleAmount = 100_000_000

// Validate checks the input alone.
func (in *CreateSaleInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	if len(in.Lines) == 0 {
		errs.Add(CodeRequired, "input.lines", "Scan or choose at least one product.")
	}
	if len(in.Lines) > MaxSaleLines {
		errs.Add(CodeOutOfRange, "input.lines", "A sale can have at most %d lines.", MaxSaleLines)
	}
	for i, l := range in.Lines {
		f := fieldIndex("input.lines", i)
		if (l.ProductID == nil) == (l.Code == nil || strings.TrimSpace(*l.Code) == "") {
			errs.Add(CodeRequired, f, "Give either the product or its scanned code.")
		}
		if l.Quantity < 1 || l.Quantity > MaxLineQuantity {
			errs.Add(CodeOutOfRange, f+".quantity", "Enter a quantity from 1 to %d.", MaxLineQuantity)
		}
	}
	if len(in.Payments) == 0 {
		errs.Add(CodeRequired, "input.payments", "Choose how the customer pays.")
	}
	if len(in.Payments) > 10 {
		errs.Add(CodeOutOfRange, "input.payments", "At most 10 payments.")
	}
	cash := 0
	for i, p := range in.Payments {
		f := fieldIndex("input.payments", i)
		if !validPaymentMethod(p.Method) {
			errs.Add(CodeInvalidInput, f+".method", "Choose CASH, CARD, EMONEY or QR.")
		}
		if p.Amount < 1 || p.Amount > MaxSaleAmount {
			errs.Add(CodeOutOfRange, f+".amount", "Enter an amount from ¥1 to %s.", Yen(MaxSaleAmount))
		}
		if p.Method == PaymentCash {
			cash++
			switch {
			case p.Tendered == nil:
			case *p.Tendered > MaxSaleAmount:
				errs.Add(CodeOutOfRange, f+".tendered", "The cash handed over can be at most %s: check that no product code was typed into it.", Yen(MaxSaleAmount))
			case *p.Tendered < p.Amount:
				errs.Add(CodeOutOfRange, f+".tendered", "The cash handed over (¥%d) is less than the amount (¥%d).", *p.Tendered, p.Amount)
			}
		} else {
			if p.Tendered != nil {
				errs.Add(CodeInvalidInput, f+".tendered", "Only cash is tendered.")
			}
			// A payment through another terminal is found again, on a dispute or a
			// refund, by the number on its slip.
			if strings.TrimSpace(p.Reference) == "" {
				errs.Add(CodeRequired, f+".reference", "Enter the slip or transaction number the card or e-money terminal printed.")
			}
		}
		if len(p.Reference) > MaxTextLength {
			errs.Add(CodeTooLong, f+".reference", "A reference can be at most %d characters.", MaxTextLength)
		}
	}
	if cash > 1 {
		errs.Add(CodeInvalidInput, "input.payments", "Enter the cash as one payment.")
	}
	return errs.Err()
}

// CheckPayments returns nil when the payments cover total exactly (cash change
// aside), OUT_OF_RANGE when total is more than a sale may hold (MaxSaleAmount),
// and PAYMENT_MISMATCH saying by how much otherwise.
func CheckPayments(total int64, payments []PaymentInput) error {
	var sum int64
	for _, p := range payments {
		sum += p.Amount
	}
	switch {
	case total > MaxSaleAmount:
		return Errorf(CodeOutOfRange, "input.lines", "A sale can total at most %s; this one totals %s: split it into several sales.", Yen(MaxSaleAmount), Yen(total))
	case sum < total:
		return Errorf(CodePaymentMismatch, "input.payments", "The payments (¥%d) are ¥%d short of the total (¥%d).", sum, total-sum, total)
	case sum > total:
		return Errorf(CodePaymentMismatch, "input.payments", "The payments (¥%d) are ¥%d more than the total (¥%d); give cash change through the tendered amount.", sum, sum-total, total)
	}
	return nil
}

// RefundMethod is how a refund is paid back.
type RefundMethod string

const (
	// RefundOriginal pays back by the sale's own methods (cash in cash, card to card).
	RefundOriginal RefundMethod = "ORIGINAL"
	// RefundCash pays everything back in cash.
	RefundCash RefundMethod = "CASH"
)

// RefundSaleInput refunds all or some of a sale, later, at the same shop.
type RefundSaleInput struct {
	SaleID SaleID
	// SessionID is the open session that pays the refund back.
	SessionID SessionID
	// Lines to refund; empty refunds everything not yet refunded.
	Lines          []RefundLineInput
	Method         RefundMethod
	Reason         string
	IdempotencyKey string
}

// Validate checks the input alone.
func (in *RefundSaleInput) Validate() error {
	var errs ValidationErrors
	validateRefund(&errs, in.IdempotencyKey, &in.Reason, in.Lines)
	if in.Method != RefundOriginal && in.Method != RefundCash {
		errs.Add(CodeInvalidInput, "input.method", "Choose ORIGINAL or CASH.")
	}
	return errs.Err()
}

// Refund pays back some or all of a sale; it has its own receipt number.
type Refund struct {
	ID            RefundID
	SaleID        SaleID
	ShopID        LocationID
	SessionID     SessionID
	ReceiptNumber int64
	Total         int64
	Method        RefundMethod
	Reason        string
	CreatedBy     UserID
	CreatedAt     time.Time
}

// RefundLine is what a refund paid back for one sale line.
type RefundLine struct {
	RefundID   RefundID
	LineNumber int
	Quantity   int
	Amount     int64
}

// VoidSaleInput cancels a whole sale of the current open session.
type VoidSaleInput struct {
	SaleID         SaleID
	Reason         string
	IdempotencyKey string
}

// Validate checks the input alone and trims the reason.
func (in *VoidSaleInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	validateText(&errs, &in.Reason, "input.reason")
	return errs.Err()
}

// validateText trims a free text (a reason or a note) and checks that it has at
// most MaxNoteLength characters.
func validateText(errs *ValidationErrors, text *string, field string) {
	*text = strings.TrimSpace(*text)
	if utf8.RuneCountInString(*text) > MaxNoteLength {
		errs.Add(CodeTooLong, field, "This can be at most %d characters.", MaxNoteLength)
	}
}

// SaleFilter narrows the list of sales.
type SaleFilter struct {
	ShopID        *LocationID
	SessionID     *SessionID
	Since, Until  *time.Time
	PaymentMethod *PaymentMethod
}

// SoldLineFilter narrows the list of sold lines.
type SoldLineFilter struct {
	FacilityID   *FacilityID
	ShopID       *LocationID
	Since, Until *time.Time
}

// SoldLine is a line of a completed sale with its shop and time: what the staff of
// the facility whose goods it sold see of the sale.
type SoldLine struct {
	Line   *SaleLine
	ShopID LocationID
	SoldAt time.Time
}

// SoldLineKey is a sold line's place in the list, newest first: its sale's ID and
// line number in one int64 (a sale has at most MaxSaleLines lines).
func (l *SoldLine) Key() int64 { return SoldLineKey(l.Line.SaleID, l.Line.LineNumber) }

// SoldLineKey is the page key of line n of sale s.
func SoldLineKey(s SaleID, n int) int64 { return int64(s)*soldLineSpan + int64(n) }

// soldLineSpan is above every line number, so that keys keep (sale, line) order.
const soldLineSpan = 1024

// Compiling fails if a sale may ever hold more lines than a key has room for.
const _ = uint(soldLineSpan - MaxSaleLines - 1)

// SplitSoldLineKey is SoldLineKey's inverse.
func SplitSoldLineKey(k int64) (SaleID, int) { return SaleID(k / soldLineSpan), int(k % soldLineSpan) }

func validPaymentMethod(m PaymentMethod) bool {
	return m == PaymentCash || m == PaymentCard || m == PaymentEMoney || m == PaymentQR
}

// ReceiptKey names a receipt: a sale's, or with Refund set (non-zero) that refund's.
type ReceiptKey struct {
	Sale   SaleID
	Refund RefundID
}
