package tsunagu

import "time"

// A Receipt is what the shop hands the buyer at the counter: a qualified simplified
// invoice (適格簡易請求書) for the goods of consignors that are registered invoice
// issuers, and a plain record, marked and totalled apart, for the goods of those that
// are not (the buyer cannot claim their tax). A refund or void receipt is the matching
// return invoice (適格返還請求書), with negative amounts.
//
// Fill in the facts, call Compute for the totals, and Text for the printable form.
type Receipt struct {
	// IssuerName is the shop's operator, the registered issuer (港区, 社会福祉法人…).
	IssuerName string
	// RegistrationNumber is the operator's invoice registration number, T and 13
	// digits. A receipt with qualifying goods needs it.
	RegistrationNumber string
	ShopName           string
	RegisterName       string
	// ReceiptNumber is the shop's receipt number; 0 prints none.
	ReceiptNumber int64
	// IssuedAt is the time of the transaction, printed in Japan time.
	IssuedAt time.Time
	// Kind is SALE (the zero value means SALE), REFUND or VOID.
	Kind ReceiptKind
	// OriginalNumber and OriginalIssuedAt identify the sale that a refund or void
	// gives money back for; a return invoice must show the date of that sale.
	OriginalNumber   int64
	OriginalIssuedAt time.Time
	// Lines are the goods, always with positive prices and quantities; Kind decides
	// the sign of the amounts.
	Lines    []ReceiptLine
	Rounding Rounding
	Payments []ReceiptPayment

	// ReceiptTotals is filled in by Compute.
	ReceiptTotals
}

// ReceiptKind says whether a receipt takes money (SALE) or gives it back.
type ReceiptKind string

const (
	ReceiptSale ReceiptKind = "SALE"
	// ReceiptRefund gives back the money for returned goods (返品).
	ReceiptRefund ReceiptKind = "REFUND"
	// ReceiptVoid cancels a sale as a whole (取消).
	ReceiptVoid ReceiptKind = "VOID"
)

// sign is +1 for a sale, −1 for a refund or void, and 0 for an unknown kind.
func (k ReceiptKind) sign() int64 {
	switch k {
	case ReceiptSale, "":
		return 1
	case ReceiptRefund, ReceiptVoid:
		return -1
	}
	return 0
}

// ReceiptLine is one product on a receipt.
type ReceiptLine struct {
	Name string // product name, as the buyer knows it (Japanese)
	Code string // JAN or in-store code, may be ""
	// UnitPrice is the tax-included price of one item in yen, 0…MaxPrice.
	UnitPrice int64
	// Quantity is 1…MaxLineQuantity.
	Quantity int
	TaxClass TaxClass
	// Qualified is false for goods of a consignor facility that is not a registered
	// qualified-invoice issuer: the buyer cannot claim their tax.
	Qualified bool
}

// maxReceiptTotal bounds every amount on a receipt (¥1 trillion), so that sums cannot
// overflow and every amount fits a 58 mm line.
const maxReceiptTotal = 1_000_000_000_000

// PaymentMethod is how a buyer pays.
type PaymentMethod string

const (
	PaymentCash   PaymentMethod = "CASH"
	PaymentCard   PaymentMethod = "CARD"
	PaymentEMoney PaymentMethod = "EMONEY" // transit and shopping IC cards
	PaymentQR     PaymentMethod = "QR"     // QR code payments
)

// ReceiptPayment is one payment on a receipt.
type ReceiptPayment struct {
	Method PaymentMethod
	// Amount is the yen this payment settles, > 0; on a refund or void, the yen given
	// back.
	Amount int64
	// Tendered is the cash handed over on a sale (≥ Amount; 0 means exactly Amount).
	// Other payments leave it 0.
	Tendered int64
	// Reference is the card or e-money transaction's reference, printed under it.
	Reference string
}

// ReceiptTotals are a receipt's computed totals. Amounts are negative on a refund or
// void.
type ReceiptTotals struct {
	// Total is the sum of all lines: what the buyer pays.
	Total int64
	// Items is the number of items (the sum of the quantities).
	Items int
	// Qualifying are the per-rate totals of the qualifying goods, with the tax of each
	// rate computed once over its total: the tax a buyer can claim. REDUCED_8 comes
	// before STANDARD_10; a rate with no goods is left out.
	Qualifying []RateTotal
	// NonQualifying are the same totals for the goods of consignors that are not
	// registered issuers. Their tax cannot be claimed and is not printed.
	NonQualifying []RateTotal
	// Paid is the sum of the payments' amounts (negative when money is given back).
	Paid int64
	// Change is the cash given back on a sale: tendered cash minus the cash due.
	Change int64
}

// Compute checks the receipt's lines and payments and fills in its totals. The tax of
// each rate is computed once over that rate's tax-included total, by r.Rounding,
// separately for qualifying and non-qualifying goods.
//
// It returns ValidationErrors, and leaves the totals as they were, when the receipt
// has no lines, a line has no name, an unknown tax class (INVALID_INPUT) or a price or
// quantity out of range (OUT_OF_RANGE), the kind or rounding is unknown, a payment has
// an unknown method, a non-positive amount or too little cash tendered, or the
// payments (if any) do not add up to the total.
func (r *Receipt) Compute() error {
	var errs ValidationErrors
	t := r.totals(&errs)
	if err := errs.Err(); err != nil {
		return err
	}
	r.ReceiptTotals = t
	return nil
}

func (r *Receipt) totals(errs *ValidationErrors) ReceiptTotals {
	var t ReceiptTotals
	sign := r.Kind.sign()
	if sign == 0 {
		errs.Add(CodeInvalidInput, "kind", "A receipt is a SALE, a REFUND or a VOID, not %q.", string(r.Kind))
	}
	switch r.Rounding {
	case "", RoundDown, RoundHalfUp, RoundUp:
	default:
		errs.Add(CodeInvalidInput, "rounding", "Choose how tax is rounded: DOWN, HALF_UP or UP.")
	}
	if len(r.Lines) == 0 {
		errs.Add(CodeRequired, "lines", "A receipt needs at least one product.")
	}
	var taxed []ReceiptLine
	for i, l := range r.Lines {
		f := fieldIndex("lines", i)
		n := len(*errs)
		if printable(l.Name) == "" {
			errs.Add(CodeRequired, f+".name", "Every product on a receipt needs a name.")
		}
		if l.TaxClass.Rate() == 0 {
			errs.Add(CodeInvalidInput, f+".taxClass", "Choose the tax class: REDUCED_8 for food and drink, STANDARD_10 for everything else.")
		}
		if l.UnitPrice < 0 || l.UnitPrice > MaxPrice {
			errs.Add(CodeOutOfRange, f+".unitPrice", "The price must be between ¥0 and ¥%d, tax included.", MaxPrice)
		}
		if l.Quantity < 1 || l.Quantity > MaxLineQuantity {
			errs.Add(CodeOutOfRange, f+".quantity", "The quantity must be between 1 and %d.", MaxLineQuantity)
		}
		if len(*errs) > n {
			continue
		}
		// At most MaxPrice × MaxLineQuantity (¥10¹²) a line, so neither this nor the
		// sum below can overflow before the bound is checked.
		amount := l.UnitPrice * int64(l.Quantity)
		if t.Total+amount > maxReceiptTotal {
			errs.Add(CodeOutOfRange, f, "A receipt can total at most ¥%d.", int64(maxReceiptTotal))
			break
		}
		t.Total += amount
		t.Items += l.Quantity
		taxed = append(taxed, ReceiptLine{UnitPrice: sign * l.UnitPrice, Quantity: l.Quantity,
			TaxClass: l.TaxClass, Qualified: l.Qualified})
	}

	var paid int64
	for i, p := range r.Payments {
		f := fieldIndex("payments", i)
		if p.Method.label() == "" {
			errs.Add(CodeInvalidInput, f+".method", "Choose how the buyer pays: CASH, CARD, EMONEY or QR.")
		}
		if p.Amount < 1 || p.Amount > maxReceiptTotal {
			errs.Add(CodeOutOfRange, f+".amount", "A payment must be between ¥1 and ¥%d.", int64(maxReceiptTotal))
			continue
		}
		if paid += p.Amount; paid > maxReceiptTotal {
			errs.Add(CodeOutOfRange, "payments", "The payments can total at most ¥%d.", int64(maxReceiptTotal))
			break
		}
		switch {
		case p.Tendered == 0:
		case p.Method != PaymentCash || sign < 0:
			errs.Add(CodeInvalidInput, f+".tendered", "Only cash handed over for a sale has a tendered amount.")
		case p.Tendered < p.Amount:
			errs.Add(CodeOutOfRange, f+".tendered", "The cash handed over (%s) is less than the cash due (%s).", Yen(p.Tendered), Yen(p.Amount))
		case p.Tendered > maxReceiptTotal:
			errs.Add(CodeOutOfRange, f+".tendered", "The cash handed over can be at most ¥%d.", int64(maxReceiptTotal))
		default:
			t.Change += p.Tendered - p.Amount
		}
	}
	if len(*errs) == 0 && len(r.Payments) > 0 && paid != t.Total {
		errs.Add(CodeInvalidInput, "payments", "The payments add up to %s, but the receipt totals %s.", Yen(paid), Yen(t.Total))
	}
	if len(*errs) > 0 {
		return ReceiptTotals{}
	}
	t.Total *= sign
	t.Paid = sign * paid
	t.Qualifying, t.NonQualifying = QualifiedTaxes(taxed, r.Rounding)
	return t
}

// QualifiedTaxes is the tax of lines as a receipt (a qualified simplified invoice)
// shows it: per rate, computed once over the rate's tax-included total (see
// TaxBreakdown), separately for qualifying goods and for goods of consignors that
// are not registered issuers, whose tax the buyer cannot claim. Each side is nil
// when it has no lines. It panics like TaxBreakdown.
func QualifiedTaxes(lines []ReceiptLine, r Rounding) (qualifying, nonQualifying []RateTotal) {
	var q, other []TaxLine
	for _, l := range lines {
		tl := TaxLine{Class: l.TaxClass, Amount: l.UnitPrice * int64(l.Quantity)}
		if l.Qualified {
			q = append(q, tl)
		} else {
			other = append(other, tl)
		}
	}
	return TaxBreakdown(q, r), TaxBreakdown(other, r)
}
