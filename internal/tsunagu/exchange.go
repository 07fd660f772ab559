package tsunagu

import (
	"cmp"
	"context"
	"slices"
)

// The exchange balance: what two municipalities of the network did for each other
// in a month. Each one's shops sell the other's facilities' goods and owe those
// facilities what their statements say (Settlement.Payable); the goods travel
// between them by transfer. The balance sums the statements of each direction, and
// the net says which municipality's shops owe the other's facilities more; the
// transfers stand beside it, apart, because goods sent are not goods sold.

// MaxBalanceMonths is the longest span of months one exchange balance covers.
const MaxBalanceMonths = 36

// ExchangeBalanceFilter selects months (inclusive, "2026-04", Japan time) and,
// optionally, one municipality's pairs.
type ExchangeBalanceFilter struct {
	MunicipalityID *MunicipalityID
	FromMonth      string
	ToMonth        string
}

// Scope returns the municipality whose pairs u sees under f: admins every pair
// (nil) or those of f.MunicipalityID, managers those of their own municipality.
// Returns UNAUTHENTICATED for nobody, FORBIDDEN for everyone else and a manager
// asking about another municipality.
func (f ExchangeBalanceFilter) Scope(u *User) (*MunicipalityID, error) {
	switch {
	case u == nil:
		return nil, ErrUnauthenticated
	case u.Role == RoleAdmin:
		return f.MunicipalityID, nil
	case u.Role == RoleManager && u.MunicipalityID != nil:
		if f.MunicipalityID != nil && *f.MunicipalityID != *u.MunicipalityID {
			return nil, ErrForbidden
		}
		return u.MunicipalityID, nil
	}
	return nil, ErrForbidden
}

// Months returns the months of f in order. Returns INVALID_INPUT (fromMonth,
// toMonth) for what is not "YYYY-MM" and (toMonth) for a last month before the
// first, OUT_OF_RANGE (toMonth) for more than MaxBalanceMonths months.
func (f ExchangeBalanceFilter) Months() ([]Month, error) {
	var errs ValidationErrors
	from, err := ParseMonth(f.FromMonth, "fromMonth")
	errs.AddError(err)
	to, err := ParseMonth(f.ToMonth, "toMonth")
	errs.AddError(err)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, Errorf(CodeInvalidInput, "toMonth", "The last month comes before the first.")
	}
	var months []Month
	for m := from; !to.Before(m); m = m.Next() {
		if len(months) == MaxBalanceMonths {
			return nil, Errorf(CodeOutOfRange, "toMonth", "Ask for at most %d months at once.", MaxBalanceMonths)
		}
		months = append(months, m)
	}
	return months, nil
}

// Check is Scope and Months together: the municipality whose pairs u sees under f
// (nil for all) and the months, or the first error of the two.
func (f ExchangeBalanceFilter) Check(u *User) (*MunicipalityID, []Month, error) {
	muni, err := f.Scope(u)
	if err != nil {
		return nil, nil, err
	}
	months, err := f.Months()
	return muni, months, err
}

// ExchangeSales is what the shops of one municipality (the seller) sold in a month
// of the goods of another's facilities (the owner): the sum of those statements.
type ExchangeSales struct {
	Month                Month
	SellerMunicipalityID MunicipalityID
	OwnerMunicipalityID  MunicipalityID
	ExchangeSalesFigures
}

// ExchangeSalesFigures are the summed figures of statements: units and
// tax-included yen, each statement's commission as it computed it (rounded per
// statement), and Payable, what the seller's shops owe the owner's facilities.
type ExchangeSalesFigures struct {
	SettlementAmounts
	Commission    int64
	CommissionTax int64
	Payable       int64
}

// Add adds statement s's figures.
func (e *ExchangeSalesFigures) Add(s *SettlementFigures) {
	e.UnitsSold += s.UnitsSold
	e.UnitsRefunded += s.UnitsRefunded
	e.Gross += s.Gross
	e.Refunds += s.Refunds
	e.Net += s.Net
	e.Commission += s.Commission
	e.CommissionTax += s.CommissionTax
	e.Payable += s.Payable
}

// ExchangeTransfers is what one municipality sent another in one month, valued at
// tax-included prices: shipped by the source, and received (accepted) and short at
// the destination.
type ExchangeTransfers struct {
	Month              string // "2026-11", in Japan time
	FromMunicipalityID MunicipalityID
	ToMunicipalityID   MunicipalityID
	ExchangeTransferFigures
}

// ExchangeTransferFigures are a direction's transfers of a month.
type ExchangeTransferFigures struct {
	ShippedUnits  int
	ShippedValue  int64
	ReceivedUnits int
	ReceivedValue int64
	ShortUnits    int
	ShortValue    int64
}

// ExchangeBalance is a pair of municipalities in a month: A the one with the
// smaller ID. Months in which they neither sold each other's goods nor sent each
// other any have none.
type ExchangeBalance struct {
	Month         string // "2026-11", in Japan time
	A, B          MunicipalityID
	ASoldOfB      ExchangeSalesFigures
	BSoldOfA      ExchangeSalesFigures
	TransfersAToB ExchangeTransferFigures
	TransfersBToA ExchangeTransferFigures
}

// Net is what A owes B: what A's shops owe B's facilities less what B's shops owe
// A's; negative when B owes A.
func (b *ExchangeBalance) Net() int64 { return b.ASoldOfB.Payable - b.BSoldOfA.Payable }

// CombineExchange puts the sales and the transfers of each direction into the
// balances of their pairs, ordered by month and pair.
func CombineExchange(sales []*ExchangeSales, transfers []*ExchangeTransfers) []*ExchangeBalance {
	type key struct {
		month string
		a, b  MunicipalityID
	}
	byKey := map[key]*ExchangeBalance{}
	// at returns the balance of month and pair (x, y), and whether x is its A.
	at := func(month string, x, y MunicipalityID) (*ExchangeBalance, bool) {
		k := key{month, min(x, y), max(x, y)}
		b, ok := byKey[k]
		if !ok {
			b = &ExchangeBalance{Month: month, A: k.a, B: k.b}
			byKey[k] = b
		}
		return b, x == k.a
	}
	for _, s := range sales {
		if b, sellerIsA := at(s.Month.String(), s.SellerMunicipalityID, s.OwnerMunicipalityID); sellerIsA {
			b.ASoldOfB = s.ExchangeSalesFigures
		} else {
			b.BSoldOfA = s.ExchangeSalesFigures
		}
	}
	for _, t := range transfers {
		if b, fromA := at(t.Month, t.FromMunicipalityID, t.ToMunicipalityID); fromA {
			b.TransfersAToB = t.ExchangeTransferFigures
		} else {
			b.TransfersBToA = t.ExchangeTransferFigures
		}
	}
	out := make([]*ExchangeBalance, 0, len(byKey))
	for _, b := range byKey {
		out = append(out, b)
	}
	slices.SortFunc(out, func(x, y *ExchangeBalance) int {
		return cmp.Or(cmp.Compare(x.Month, y.Month), cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	return out
}

// ExchangeReporter reports what the municipalities sold of each other's goods.
type ExchangeReporter interface {
	// ExchangeSales returns, per month and direction between two municipalities,
	// the sum of the statements of the seller's shops for the owner's facilities
	// (a shop selling its own municipality's goods is no part of it): closed
	// statements as they were frozen, open ones as the ledger stands. Directions
	// without a statement have no row. Who sees which, and the errors, are
	// ExchangeBalanceFilter.Scope's and Months'.
	ExchangeSales(ctx context.Context, f ExchangeBalanceFilter) ([]*ExchangeSales, error)
}
