package tsunagu

import (
	"fmt"
	"strings"
)

// TaxClass is a product's consumption-tax class.
type TaxClass string

const (
	// TaxReduced8 is the reduced 8% rate (軽減税率) for food and drink other than
	// alcohol and eating in.
	TaxReduced8 TaxClass = "REDUCED_8"
	// TaxStandard10 is the standard 10% rate for everything else.
	TaxStandard10 TaxClass = "STANDARD_10"
)

// Rate returns the class's rate in percent: 8 or 10, and 0 for an unknown class.
func (c TaxClass) Rate() int {
	switch c {
	case TaxReduced8:
		return 8
	case TaxStandard10:
		return 10
	}
	return 0
}

// Rounding is how a shop rounds the tax on a receipt to whole yen. The zero value
// means RoundDown, the default.
type Rounding string

const (
	// RoundDown drops the fraction of a yen (切り捨て), the default.
	RoundDown Rounding = "DOWN"
	// RoundHalfUp rounds half a yen or more up (四捨五入).
	RoundHalfUp Rounding = "HALF_UP"
	// RoundUp raises any fraction of a yen to a whole yen (切り上げ).
	RoundUp Rounding = "UP"
)

// ParseRounding returns the rounding mode named by s ("DOWN", "HALF_UP" or "UP", in any
// case, spaces around it ignored); an empty s is RoundDown. It returns INVALID_INPUT for
// any other name, with field.
func ParseRounding(s, field string) (Rounding, error) {
	switch r := Rounding(strings.ToUpper(strings.TrimSpace(s))); r {
	case "":
		return RoundDown, nil
	case RoundDown, RoundHalfUp, RoundUp:
		return r, nil
	}
	return "", Errorf(CodeInvalidInput, field, "Choose how tax is rounded: DOWN, HALF_UP or UP.")
}

// IncludedTax returns the consumption tax contained in a tax-included total at rate
// percent: total × rate / (100 + rate), rounded to whole yen by r ("" is RoundDown).
// It works in exact integer arithmetic for every int64 total, without overflow.
//
// A negative total (a refund) gets the negative of the tax of the same positive total,
// so a refund gives back exactly the tax a sale took: IncludedTax(-315, 10, RoundDown)
// is -28.
//
// It panics on a rate outside 0–100 or an unknown rounding mode, which are programming
// errors: shop settings and products are validated when they are saved.
func IncludedTax(total int64, rate int, r Rounding) int64 {
	if rate < 0 || rate > 100 {
		panic(fmt.Sprintf("tsunagu.IncludedTax: rate %d%% is not between 0 and 100", rate))
	}
	// Work on the magnitude as a uint64 so that even math.MinInt64 has one.
	neg := total < 0
	mag := uint64(total)
	if neg {
		mag = -mag
	}
	// mag×rate/d without forming mag×rate: mag = q·d + rem, so
	// mag×rate/d = q×rate + rem×rate/d, where rem×rate < d×rate stays small.
	d := uint64(100 + rate)
	q, rem := mag/d, mag%d
	tax := q*uint64(rate) + rem*uint64(rate)/d
	frac := rem * uint64(rate) % d // the fraction of a yen is frac/d
	switch r {
	case RoundDown, "":
	case RoundHalfUp:
		if 2*frac >= d {
			tax++
		}
	case RoundUp:
		if frac > 0 {
			tax++
		}
	default:
		panic(fmt.Sprintf("tsunagu.IncludedTax: unknown rounding %q", r))
	}
	// tax ≤ mag, since rate/(100+rate) < 1 and rounding up cannot pass the next whole
	// yen; so a positive total's tax fits an int64, and for mag = 2⁶³ (math.MinInt64)
	// the negation below wraps to exactly −2⁶³.
	if neg {
		return -int64(tax)
	}
	return int64(tax)
}

// TaxLine is one line of a receipt or order as the tax rules see it: its tax class and
// its tax-included amount in yen (negative on a refund).
type TaxLine struct {
	Class  TaxClass
	Amount int64
}

// RateTotal is what a qualified invoice shows for one tax rate: the tax-included total
// of that rate's lines and the tax contained in it.
type RateTotal struct {
	Class TaxClass
	Rate  int
	Total int64
	Tax   int64
}

// TaxBreakdown totals lines per tax class and computes each class's tax once, over its
// tax-included total, rounded by r — never line by line: three ¥105 lines at 10% make
// ¥315 with ¥28 tax, not 3 × ¥9. It returns one RateTotal per class that occurs in lines
// (even if its total is 0), REDUCED_8 before STANDARD_10, and nil for no lines.
//
// It panics on a line with an unknown tax class or an unknown rounding mode: a receipt
// with a guessed tax would be worse than a failed request, and products are validated
// when they are saved.
func TaxBreakdown(lines []TaxLine, r Rounding) []RateTotal {
	var reduced, standard *RateTotal
	for _, l := range lines {
		var t **RateTotal
		switch l.Class {
		case TaxReduced8:
			t = &reduced
		case TaxStandard10:
			t = &standard
		default:
			panic(fmt.Sprintf("tsunagu.TaxBreakdown: unknown tax class %q", l.Class))
		}
		if *t == nil {
			*t = &RateTotal{Class: l.Class, Rate: l.Class.Rate()}
		}
		(*t).Total += l.Amount
	}
	var out []RateTotal
	for _, t := range []*RateTotal{reduced, standard} {
		if t != nil {
			t.Tax = IncludedTax(t.Total, t.Rate, r)
			out = append(out, *t)
		}
	}
	return out
}
