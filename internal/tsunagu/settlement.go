package tsunagu

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Settlement: what each facility is owed, per shop and month, for its consigned goods
// the shop sold (at the counter and online), less the shop's commission.
//
// The arithmetic, in integer yen:
//
//   - Sales and refunds are counted in the month (Japan time) they happen: a refund or
//     a void in March of a February sale lowers March.
//   - Only money that moved counts (RefundCounts): a counter refund or void happens
//     when it is recorded (the cash or card is given back there and then); an online
//     order's refund happens when Stripe confirms it (SUCCEEDED), and counts in the
//     month of that moment, not of its request. A refund still PENDING, or FAILED
//     (Stripe could not be reached, or refused it), gave nothing back and counts in no
//     month; if a retry later succeeds, it counts in the month it succeeded.
//   - Gross is the tax-included takings of the facility's goods; Refunds what was given
//     back (voids included); Net = Gross − Refunds.
//   - Each sale uses the commission rate in force (in basis points) on the day it was
//     made, and its refund gives back commission at that same rate. The commission is
//     computed once per statement: Σ (net at a rate × basis points) / 10,000, rounded
//     down to the yen (toward zero, so a month of refunds only gives back the same
//     commission a month of sales took): never line by line.
//   - The commission is the shop's service to the facility and bears 10 % consumption
//     tax: the commission is tax-included, and its tax is commission × 10 / 110
//     rounded down.
//   - Payable = Gross − Refunds − Commission.
//   - The tax of the goods per rate (for the 媒介者交付特例 summary) is computed once per
//     rate over its net, rounded by the shop's rounding, as on its receipts.

// RefundCounts reports whether an online order's refund in status s counts in
// settlement: only one Stripe has confirmed (see the rules above). The SQL of the
// ledger applies the same rule (postgres.countedOrderRefund), with the moment of
// confirmation as the refund's time.
func RefundCounts(s RefundStatus) bool { return s == RefundSucceeded }

// CommissionRateID identifies one entry of a shop's commission history.
type CommissionRateID int64

// SettlementID identifies one statement: a (facility, shop, month).
type SettlementID int64

// MaxBasisPoints is 100 %.
const MaxBasisPoints = 10_000

// CommissionTaxRate is the consumption tax on the commission, a service at the
// standard rate.
const CommissionTaxRate = 10

// Month is a calendar month in Japan time.
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth reads "YYYY-MM". Returns INVALID_INPUT with field for anything else.
func ParseMonth(s, field string) (Month, error) {
	s = strings.TrimSpace(s)
	t, err := time.ParseInLocation("2006-01", s, japanTime())
	if err != nil || len(s) != len("2006-01") {
		return Month{}, Errorf(CodeInvalidInput, field, "Give a month as YYYY-MM, such as 2026-04.")
	}
	return Month{t.Year(), t.Month()}, nil
}

// MonthOf returns the month (Japan time) of instant t.
func MonthOf(t time.Time) Month {
	t = t.In(japanTime())
	return Month{t.Year(), t.Month()}
}

// String is "YYYY-MM".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Start is the instant the month begins in Japan.
func (m Month) Start() time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, japanTime()) }

// Next is the month after m.
func (m Month) Next() Month { return MonthOf(m.Start().AddDate(0, 1, 0)) }

// Prev is the month before m.
func (m Month) Prev() Month { return MonthOf(m.Start().Add(-time.Hour)) }

// Before reports whether m comes before o.
func (m Month) Before(o Month) bool { return m.Start().Before(o.Start()) }

// Date is the month's first day, for a date column.
func (m Month) Date() time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC) }

// DayOf is the calendar day in Japan of instant t, as a UTC midnight (for a date
// column, and to compare with ParseDate's days).
func DayOf(t time.Time) time.Time {
	y, m, d := t.In(japanTime()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads a calendar date "YYYY-MM-DD" (as a UTC midnight, for a date column).
// Returns INVALID_INPUT with field for anything else.
func ParseDate(s, field string) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse("2006-01-02", s)
	if err != nil || len(s) != len("2006-01-02") {
		return time.Time{}, Errorf(CodeInvalidInput, field, "Give a date as YYYY-MM-DD, such as 2026-04-01.")
	}
	return t, nil
}

// CommissionRate is one entry of a shop's commission history: from EffectiveFrom on
// (Japan date), the shop keeps BasisPoints of what it sells of consigned goods. An
// entry with FacilityID applies to that facility's goods only; one with
// MunicipalityID (a partner, or the shop's own municipality) to the goods of that
// municipality's facilities. For a sale, the facility's rate beats the
// municipality's, which beats the shop's; among entries of one kind, the latest
// EffectiveFrom on or before the sale's day, and of those the last set. Without any,
// the commission is 0.
type CommissionRate struct {
	ID             CommissionRateID
	ShopID         LocationID
	FacilityID     *FacilityID
	MunicipalityID *MunicipalityID
	BasisPoints    int
	EffectiveFrom  time.Time
	SetBy          *UserID
	CreatedAt      time.Time
}

// SetCommissionInput sets a commission rate from a date on.
type SetCommissionInput struct {
	ShopID         LocationID
	FacilityID     *FacilityID
	MunicipalityID *MunicipalityID
	BasisPoints    int
	EffectiveFrom  string
}

// Validate checks the rate (0 to 10,000 basis points), the date and that at most one
// of facility and municipality is given. It returns the effective date.
func (in *SetCommissionInput) Validate() (time.Time, error) {
	var errs ValidationErrors
	if in.BasisPoints < 0 || in.BasisPoints > MaxBasisPoints {
		errs.Add(CodeOutOfRange, "input.basisPoints", "Give a rate from 0 to 10000 basis points (0 %% to 100 %%).")
	}
	if in.FacilityID != nil && in.MunicipalityID != nil {
		errs.Add(CodeInvalidInput, "input.municipalityId", "Give a facility or a municipality, not both.")
	}
	d, err := ParseDate(in.EffectiveFrom, "input.effectiveFrom")
	errs.AddError(err)
	return d, errs.Err()
}

// Commission is the commission of a statement: Σ net × basis points over its parts,
// exact in 1/10,000 yen, then divided by 10,000 once and rounded down to the yen
// (toward zero, so that refunds give back what sales took).
func Commission(parts []CommissionPart) int64 {
	var n int64
	for _, p := range parts {
		n += p.Base * int64(p.BasisPoints)
	}
	return n / MaxBasisPoints // Go's integer division truncates toward zero
}

// SettlementPart is the ledger of one statement summed per product, tax class,
// qualification and commission rate: what sold (units and tax-included takings) and
// what was given back.
type SettlementPart struct {
	ProductID     ProductID
	Name          string
	Class         TaxClass
	Qualified     bool
	BasisPoints   int
	UnitsSold     int
	Gross         int64
	UnitsRefunded int
	Refunds       int64
	// For a refund (or void) of a sale made before the statement's month: that sale
	// (a counter sale, with its receipt number, or an online order) and when it was
	// made; nil otherwise.
	RefundOfSale    *SaleID
	RefundOfOrder   *OrderID
	RefundOfReceipt *int64
	RefundOfSoldAt  *time.Time
}

// refundOf is the sale p gives money back for, if it is of an earlier month.
func (p *SettlementPart) refundOf() *SettlementSaleRef {
	if p.RefundOfSoldAt == nil {
		return nil
	}
	return &SettlementSaleRef{SaleID: p.RefundOfSale, OrderID: p.RefundOfOrder, ReceiptNumber: p.RefundOfReceipt,
		SoldAt: *p.RefundOfSoldAt}
}

// CommissionPart is the net sales of a statement at one commission rate.
type CommissionPart struct {
	BasisPoints int
	Base        int64
}

// SettlementRate is one tax rate's figures of a statement, for the goods of
// registered issuers (Qualified) or the others.
type SettlementRate struct {
	Class     TaxClass
	Rate      int
	Qualified bool
	SettlementAmounts
	// Tax is the tax contained in Net, once over the rate's net, rounded as the
	// shop rounds its receipts.
	Tax int64
}

// SettlementLine is one product's figures of a statement (all its rates of tax and
// commission together). The refunds of a sale of an earlier month are a line of
// their own, with RefundOf naming the sale.
type SettlementLine struct {
	ProductID ProductID
	Name      string
	Class     TaxClass
	Qualified bool
	RefundOf  *SettlementSaleRef
	SettlementAmounts
}

// SettlementAmounts is what sold and what was given back, of a statement or a part
// of it: units and tax-included yen, Net = Gross − Refunds.
type SettlementAmounts struct {
	UnitsSold     int
	Gross         int64
	UnitsRefunded int
	Refunds       int64
	Net           int64
}

func (a *SettlementAmounts) add(p *SettlementPart) {
	a.UnitsSold += p.UnitsSold
	a.Gross += p.Gross
	a.UnitsRefunded += p.UnitsRefunded
	a.Refunds += p.Refunds
	a.Net += p.Gross - p.Refunds
}

// SettlementFigures is what a statement says, all in integer yen.
type SettlementFigures struct {
	SettlementAmounts
	// Rates are per tax class and qualification: REDUCED_8 before STANDARD_10,
	// qualifying before non-qualifying; only those that occur.
	Rates []SettlementRate
	// Lines are per product, in the order the parts came.
	Lines []SettlementLine
	// CommissionParts is the net at each commission rate, lowest rate first.
	CommissionParts []CommissionPart
	// Commission is tax-included; CommissionTax the 10 % tax in it.
	Commission    int64
	CommissionTax int64
	Payable       int64
}

// Settle computes a statement's figures from its parts (see the rules at the top of
// this file); r is the shop's rounding of the goods' tax. It panics on a part with
// an unknown tax class, as TaxBreakdown does.
func Settle(parts []SettlementPart, r Rounding) SettlementFigures {
	var f SettlementFigures
	type rateKey struct {
		class     TaxClass
		qualified bool
	}
	rates := map[rateKey]*SettlementRate{}
	type lineKey struct {
		product   ProductID
		class     TaxClass
		qualified bool
		sale      SaleID
		order     OrderID
	}
	lines := map[lineKey]int{}
	bps := map[int]int64{}
	for _, p := range parts {
		if p.Class.Rate() == 0 {
			panic(fmt.Sprintf("tsunagu.Settle: unknown tax class %q", p.Class))
		}
		f.add(&p)
		rk := rateKey{p.Class, p.Qualified}
		sr := rates[rk]
		if sr == nil {
			sr = &SettlementRate{Class: p.Class, Rate: p.Class.Rate(), Qualified: p.Qualified}
			rates[rk] = sr
		}
		sr.add(&p)
		lk := lineKey{product: p.ProductID, class: p.Class, qualified: p.Qualified}
		if p.RefundOfSale != nil {
			lk.sale = *p.RefundOfSale
		}
		if p.RefundOfOrder != nil {
			lk.order = *p.RefundOfOrder
		}
		i, ok := lines[lk]
		if !ok {
			i = len(f.Lines)
			lines[lk] = i
			f.Lines = append(f.Lines, SettlementLine{ProductID: p.ProductID, Name: p.Name, Class: p.Class, Qualified: p.Qualified,
				RefundOf: p.refundOf()})
		}
		f.Lines[i].add(&p)
		bps[p.BasisPoints] += p.Gross - p.Refunds
	}
	for _, class := range []TaxClass{TaxReduced8, TaxStandard10} {
		for _, q := range []bool{true, false} {
			if sr := rates[rateKey{class, q}]; sr != nil {
				sr.Tax = IncludedTax(sr.Net, sr.Rate, r)
				f.Rates = append(f.Rates, *sr)
			}
		}
	}
	for bp := range bps {
		f.CommissionParts = append(f.CommissionParts, CommissionPart{BasisPoints: bp, Base: bps[bp]})
	}
	slices.SortFunc(f.CommissionParts, func(a, b CommissionPart) int { return a.BasisPoints - b.BasisPoints })
	f.Commission = Commission(f.CommissionParts)
	f.CommissionTax = IncludedTax(f.Commission, CommissionTaxRate, RoundDown)
	f.Payable = f.Gross - f.Refunds - f.Commission
	return f
}

// SettlementStatus is where a statement stands.
type SettlementStatus string

const (
	// SettlementOpen is a month not closed yet: its figures still change.
	SettlementOpen SettlementStatus = "OPEN"
	// SettlementClosed is frozen, with a statement number; it never changes again.
	SettlementClosed SettlementStatus = "CLOSED"
	// SettlementPaid is closed and paid to the facility.
	SettlementPaid SettlementStatus = "PAID"
)

// CommissionService keeps the shops' commission rates. Errors are *Error values
// with the codes below; any other error is internal.
type CommissionService interface {
	// SetCommission adds an entry to a shop's commission history (see
	// CommissionRate), by an admin or a manager of the shop's municipality. Returns
	// UNAUTHENTICATED, FORBIDDEN, NOT_FOUND (input.shopId, input.facilityId,
	// input.municipalityId) for an unknown shop, facility or municipality,
	// OUT_OF_RANGE (input.basisPoints), INVALID_INPUT (input.effectiveFrom,
	// input.municipalityId), INVALID_STATE (input.effectiveFrom) for a date in a
	// month the shop has closed; and then changes nothing. The new entry is in the
	// audit log.
	SetCommission(ctx context.Context, in SetCommissionInput) (*CommissionRate, error)
	// CommissionRates returns a shop's commission history, newest effective date
	// first, for admins and the managers and clerks of the shop's municipality.
	// Returns UNAUTHENTICATED, NOT_FOUND (field "") for an unknown shop, or
	// FORBIDDEN for anyone else.
	CommissionRates(ctx context.Context, shopID LocationID) ([]*CommissionRate, error)
}

// Settlement is the statement of a (facility, shop, month): its figures, from the
// ledger while the month is open, frozen once it is closed (then with its
// StatementNumber and ClosedAt, and PaidOn once paid).
type Settlement struct {
	ID               SettlementID
	FacilityID       FacilityID
	ShopID           LocationID
	Month            Month
	Status           SettlementStatus
	StatementNumber  *string
	ClosedAt         *time.Time
	PaidOn           *time.Time
	PaymentReference string
	// Rounding is the shop's rounding of the goods' tax.
	Rounding Rounding
	SettlementFigures
}

// SettlementFilter narrows the statements of a month: to a facility, a shop, the
// statements that involve a municipality (its facilities' or its shops'), a status.
type SettlementFilter struct {
	Month          string
	MunicipalityID *MunicipalityID
	FacilityID     *FacilityID
	ShopID         *LocationID
	Status         *SettlementStatus
}

// SettlementService is the commission rates, the monthly statements and the
// exchange balance. Errors are *Error values with the codes below; any other error
// is internal.
type SettlementService interface {
	CommissionService
	SettlementCloser
	ExchangeReporter
	// Settlements returns the statements of f.Month that the user may see, in ID
	// order (the page key is the ID): admins every one, managers those of their
	// municipality's facilities and of its shops, facility staff their own
	// facility's. A statement exists for every facility whose goods sold (or were
	// refunded) at a shop in the month; an open month's figures are as the ledger
	// stands, a closed month's as they were frozen. Returns UNAUTHENTICATED,
	// FORBIDDEN for clerks and customers, INVALID_INPUT (month), OUT_OF_RANGE
	// (first).
	Settlements(ctx context.Context, f SettlementFilter, page PageArgs) (*Page[*Settlement], error)
	// Settlement returns one statement with its lines to those Settlements shows it
	// to. Returns UNAUTHENTICATED, FORBIDDEN for customers, or NOT_FOUND (field "")
	// for an unknown statement or one the user may not see.
	Settlement(ctx context.Context, id SettlementID) (*Settlement, error)
}
