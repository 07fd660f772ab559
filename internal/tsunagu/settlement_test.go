package tsunagu_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/tsunagu"
)

func TestCommissionRounding(t *testing.T) {
	for _, c := range []struct {
		name  string
		parts []tsunagu.CommissionPart
		want  int64
	}{
		{"none", nil, 0},
		{"exact", []tsunagu.CommissionPart{{1500, 10000}}, 1500},
		// ¥999 at 15 % is ¥149.85: down to ¥149, never up.
		{"fraction down", []tsunagu.CommissionPart{{1500, 999}}, 149},
		// ¥1 at 99.99 % is ¥0.9999: ¥0.
		{"just under a yen", []tsunagu.CommissionPart{{9999, 1}}, 0},
		{"a whole yen", []tsunagu.CommissionPart{{10000, 1}}, 1},
		// Once per statement, not per part: 0.5 + 0.5 make a yen that two
		// roundings per part would lose.
		{"once per statement", []tsunagu.CommissionPart{{5000, 1}, {2500, 2}}, 1},
		// A month of refunds only: toward zero, the same as the sale's commission.
		{"refunds only", []tsunagu.CommissionPart{{1500, -999}}, -149},
		{"zero rate", []tsunagu.CommissionPart{{0, 123456}}, 0},
		{"large", []tsunagu.CommissionPart{{1234, 100_000_000_000}}, 12_340_000_000},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := tsunagu.Commission(c.parts); got != c.want {
				t.Errorf("Commission(%v) = %d, want %d", c.parts, got, c.want)
			}
		})
	}
}

func TestSettle(t *testing.T) {
	const cake, cup, soap tsunagu.ProductID = 1, 2, 3
	for _, c := range []struct {
		name  string
		parts []tsunagu.SettlementPart
		r     tsunagu.Rounding
		want  tsunagu.SettlementFigures
	}{{
		name: "nothing", want: tsunagu.SettlementFigures{},
	}, {
		// Mixed rates: food at 8 %, a cup at 10 %, one commission at 15 %.
		name: "mixed rates",
		parts: []tsunagu.SettlementPart{
			{ProductID: cake, Name: "ケーキ", Class: tsunagu.TaxReduced8, Qualified: true, BasisPoints: 1500, UnitsSold: 3, Gross: 1080},
			{ProductID: cup, Name: "カップ", Class: tsunagu.TaxStandard10, Qualified: true, BasisPoints: 1500, UnitsSold: 1, Gross: 2200},
		},
		want: tsunagu.SettlementFigures{
			SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 4, Gross: 3280, Net: 3280},
			Rates: []tsunagu.SettlementRate{
				{Class: tsunagu.TaxReduced8, Rate: 8, Qualified: true, SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 3, Gross: 1080, Net: 1080}, Tax: 80},
				{Class: tsunagu.TaxStandard10, Rate: 10, Qualified: true, SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 1, Gross: 2200, Net: 2200}, Tax: 200},
			},
			Lines: []tsunagu.SettlementLine{
				{ProductID: cake, Name: "ケーキ", Class: tsunagu.TaxReduced8, Qualified: true, SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 3, Gross: 1080, Net: 1080}},
				{ProductID: cup, Name: "カップ", Class: tsunagu.TaxStandard10, Qualified: true, SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 1, Gross: 2200, Net: 2200}},
			},
			// 3280 × 15 % = 492; its tax 492 × 10/110 = 44.7 → 44.
			CommissionParts: []tsunagu.CommissionPart{{1500, 3280}},
			Commission:      492, CommissionTax: 44, Payable: 2788,
		},
	}, {
		// Goods of a registered facility and of one that is not, at one rate: their
		// tax apart, as on a receipt.
		name: "qualifying and not",
		parts: []tsunagu.SettlementPart{
			{ProductID: soap, Name: "石けん", Class: tsunagu.TaxStandard10, Qualified: false, BasisPoints: 2000, UnitsSold: 2, Gross: 210},
			{ProductID: cup, Name: "カップ", Class: tsunagu.TaxStandard10, Qualified: true, BasisPoints: 2000, UnitsSold: 3, Gross: 315},
		},
		want: tsunagu.SettlementFigures{
			SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 5, Gross: 525, Net: 525},
			Rates: []tsunagu.SettlementRate{
				// Three ¥105 make ¥315 with ¥28 tax, not 3 × ¥9.
				{Class: tsunagu.TaxStandard10, Rate: 10, Qualified: true, SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 3, Gross: 315, Net: 315}, Tax: 28},
				{Class: tsunagu.TaxStandard10, Rate: 10, Qualified: false, SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 2, Gross: 210, Net: 210}, Tax: 19},
			},
			Lines: []tsunagu.SettlementLine{
				{ProductID: soap, Name: "石けん", Class: tsunagu.TaxStandard10, SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 2, Gross: 210, Net: 210}},
				{ProductID: cup, Name: "カップ", Class: tsunagu.TaxStandard10, Qualified: true, SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 3, Gross: 315, Net: 315}},
			},
			CommissionParts: []tsunagu.CommissionPart{{2000, 525}},
			Commission:      105, CommissionTax: 9, Payable: 420,
		},
	}, {
		// The rate went from 15 % to 20 % mid-month: each sale at its own rate, one
		// rounding over both: 999 × 15 % + 999 × 20 % = 149.85 + 199.8 = 349.65 → 349
		// (rounding each would give 149 + 199 = 348).
		name: "rate change mid-month",
		parts: []tsunagu.SettlementPart{
			{ProductID: cup, Name: "カップ", Class: tsunagu.TaxStandard10, Qualified: true, BasisPoints: 2000, UnitsSold: 1, Gross: 999},
			{ProductID: cup, Name: "カップ", Class: tsunagu.TaxStandard10, Qualified: true, BasisPoints: 1500, UnitsSold: 1, Gross: 999},
		},
		want: tsunagu.SettlementFigures{
			SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 2, Gross: 1998, Net: 1998},
			Rates: []tsunagu.SettlementRate{
				{Class: tsunagu.TaxStandard10, Rate: 10, Qualified: true, SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 2, Gross: 1998, Net: 1998}, Tax: 181},
			},
			Lines: []tsunagu.SettlementLine{
				{ProductID: cup, Name: "カップ", Class: tsunagu.TaxStandard10, Qualified: true, SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 2, Gross: 1998, Net: 1998}},
			},
			CommissionParts: []tsunagu.CommissionPart{{1500, 999}, {2000, 999}},
			Commission:      349, CommissionTax: 31, Payable: 1649,
		},
	}, {
		// March: a refund of a February sale (at February's 20 %) and a new sale at
		// March's 10 %. The refund lowers March and gives back commission at 20 %.
		name: "refund across months",
		parts: []tsunagu.SettlementPart{
			{ProductID: cake, Name: "ケーキ", Class: tsunagu.TaxReduced8, Qualified: true, BasisPoints: 2000, UnitsRefunded: 1, Refunds: 540},
			{ProductID: cake, Name: "ケーキ", Class: tsunagu.TaxReduced8, Qualified: true, BasisPoints: 1000, UnitsSold: 2, Gross: 1080},
		},
		r: tsunagu.RoundHalfUp,
		want: tsunagu.SettlementFigures{
			SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 2, UnitsRefunded: 1, Gross: 1080, Refunds: 540, Net: 540},
			Rates: []tsunagu.SettlementRate{
				{Class: tsunagu.TaxReduced8, Rate: 8, Qualified: true, SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 2, Gross: 1080, UnitsRefunded: 1, Refunds: 540, Net: 540}, Tax: 40},
			},
			Lines: []tsunagu.SettlementLine{
				{ProductID: cake, Name: "ケーキ", Class: tsunagu.TaxReduced8, Qualified: true, SettlementAmounts: tsunagu.SettlementAmounts{UnitsSold: 2, Gross: 1080, UnitsRefunded: 1, Refunds: 540, Net: 540}},
			},
			// −540 × 20 % + 1080 × 10 % = −108 + 108 = 0.
			CommissionParts: []tsunagu.CommissionPart{{1000, 1080}, {2000, -540}},
			Commission:      0, CommissionTax: 0, Payable: 540,
		},
	}, {
		// Only refunds: payable and commission below zero (the facility gives back).
		name: "refunds only",
		parts: []tsunagu.SettlementPart{
			{ProductID: cup, Name: "カップ", Class: tsunagu.TaxStandard10, Qualified: true, BasisPoints: 1500, UnitsRefunded: 1, Refunds: 999},
		},
		want: tsunagu.SettlementFigures{
			SettlementAmounts: tsunagu.SettlementAmounts{UnitsRefunded: 1, Refunds: 999, Net: -999},
			Rates: []tsunagu.SettlementRate{
				{Class: tsunagu.TaxStandard10, Rate: 10, Qualified: true, SettlementAmounts: tsunagu.SettlementAmounts{UnitsRefunded: 1, Refunds: 999, Net: -999}, Tax: -90},
			},
			Lines: []tsunagu.SettlementLine{
				{ProductID: cup, Name: "カップ", Class: tsunagu.TaxStandard10, Qualified: true, SettlementAmounts: tsunagu.SettlementAmounts{UnitsRefunded: 1, Refunds: 999, Net: -999}},
			},
			CommissionParts: []tsunagu.CommissionPart{{1500, -999}},
			Commission:      -149, CommissionTax: -13, Payable: -850,
		},
	}} {
		t.Run(c.name, func(t *testing.T) {
			got := tsunagu.Settle(c.parts, c.r)
			if d := cmp.Diff(c.want, got); d != "" {
				t.Errorf("Settle (-want +got):\n%s", d)
			}
			if got.Payable != got.Gross-got.Refunds-got.Commission {
				t.Errorf("payable %d ≠ gross %d − refunds %d − commission %d", got.Payable, got.Gross, got.Refunds, got.Commission)
			}
		})
	}
}

func TestSetCommissionInputValidate(t *testing.T) {
	f, m := tsunagu.FacilityID(1), tsunagu.MunicipalityID(2)
	for _, c := range []struct {
		name  string
		in    tsunagu.SetCommissionInput
		codes map[string]tsunagu.Code
	}{
		{"OK", tsunagu.SetCommissionInput{BasisPoints: 1500, EffectiveFrom: "2026-04-01"}, nil},
		{"zero and all", tsunagu.SetCommissionInput{BasisPoints: 10000, EffectiveFrom: "2026-04-15", FacilityID: &f}, nil},
		{"negative", tsunagu.SetCommissionInput{BasisPoints: -1, EffectiveFrom: "2026-04-01"},
			map[string]tsunagu.Code{"input.basisPoints": tsunagu.CodeOutOfRange}},
		{"over 100 %", tsunagu.SetCommissionInput{BasisPoints: 10001, EffectiveFrom: "2026-04-01"},
			map[string]tsunagu.Code{"input.basisPoints": tsunagu.CodeOutOfRange}},
		{"bad date", tsunagu.SetCommissionInput{BasisPoints: 1, EffectiveFrom: "2026-02-30"},
			map[string]tsunagu.Code{"input.effectiveFrom": tsunagu.CodeInvalidInput}},
		{"both scopes", tsunagu.SetCommissionInput{BasisPoints: 1, EffectiveFrom: "2026-04-01", FacilityID: &f, MunicipalityID: &m},
			map[string]tsunagu.Code{"input.municipalityId": tsunagu.CodeInvalidInput}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.in.Validate()
			got := map[string]tsunagu.Code{}
			var ve tsunagu.ValidationErrors
			if errors.As(err, &ve) {
				for _, e := range ve {
					got[e.Field] = e.Code
				}
			} else if err != nil {
				t.Fatalf("error %v is not a ValidationErrors", err)
			}
			if len(c.codes) == 0 {
				c.codes = map[string]tsunagu.Code{}
			}
			if d := cmp.Diff(c.codes, got); d != "" {
				t.Errorf("errors (-want +got):\n%s", d)
			}
		})
	}
}

func TestMonth(t *testing.T) {
	m, err := tsunagu.ParseMonth("2026-12", "month")
	if err != nil || m.String() != "2026-12" || m.Next().String() != "2027-01" {
		t.Fatalf("ParseMonth: %v %v next %v", m, err, m.Next())
	}
	// 2026-11-30 15:00 UTC is 2026-12-01 00:00 in Japan.
	if got := tsunagu.MonthOf(time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)); got != m {
		t.Errorf("MonthOf = %v, want %v", got, m)
	}
	if got := tsunagu.MonthOf(time.Date(2026, 11, 30, 14, 59, 59, 0, time.UTC)); got != (tsunagu.Month{Year: 2026, Month: 11}) {
		t.Errorf("MonthOf the last second of November = %v", got)
	}
	for _, bad := range []string{"", "2026-13", "2026-1", "26-01", "2026-01-01"} {
		var e *tsunagu.Error
		if _, err := tsunagu.ParseMonth(bad, "month"); !errors.As(err, &e) || e.Code != tsunagu.CodeInvalidInput || e.Field != "month" {
			t.Errorf("ParseMonth(%q) = %v, want INVALID_INPUT on month", bad, err)
		}
	}
}
