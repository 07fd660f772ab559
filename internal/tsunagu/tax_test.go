package tsunagu_test

import (
	"math"
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/tsunagu"
)

func TestTaxClassRate(t *testing.T) {
	for c, want := range map[tsunagu.TaxClass]int{tsunagu.TaxReduced8: 8, tsunagu.TaxStandard10: 10,
		"standard_10": 0, "EXEMPT": 0, "8": 0, "": 0} {
		if got := c.Rate(); got != want {
			t.Errorf("%q.Rate() = %d, want %d", c, got, want)
		}
	}
}

func TestParseRounding(t *testing.T) {
	tests := []struct {
		name, in string
		want     tsunagu.Rounding
		code     tsunagu.Code
	}{
		{name: "EmptyIsDown", in: "", want: tsunagu.RoundDown},
		{name: "Down", in: "DOWN", want: tsunagu.RoundDown},
		{name: "HalfUp", in: "half_up", want: tsunagu.RoundHalfUp},
		{name: "Up", in: " UP ", want: tsunagu.RoundUp},
		{name: "ErrUnknown", in: "BANKERS", code: tsunagu.CodeInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tsunagu.ParseRounding(tt.in, "input.rounding")
			checkErr(t, err, tt.code, "input.rounding")
			if got != tt.want {
				t.Errorf("ParseRounding(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIncludedTax(t *testing.T) {
	tests := []struct {
		name           string
		total          int64
		rate           int
		down, half, up int64
	}{
		{name: "DesignExample", total: 315, rate: 10, down: 28, half: 29, up: 29},
		{name: "Exact8", total: 108, rate: 8, down: 8, half: 8, up: 8},
		{name: "Exact10", total: 110, rate: 10, down: 10, half: 10, up: 10},
		{name: "OneYen8", total: 1, rate: 8, down: 0, half: 0, up: 1},
		{name: "OneYen10", total: 1, rate: 10, down: 0, half: 0, up: 1},
		{name: "JustBelowWhole", total: 109, rate: 10, down: 9, half: 10, up: 10}, // 9.909…
		{name: "JustAboveHalf", total: 7, rate: 8, down: 0, half: 1, up: 1},       // 0.518…
		{name: "JustBelowHalf", total: 20, rate: 8, down: 1, half: 1, up: 2},      // 1.481…
		{name: "ExactHalfRoundsUp", total: 1, rate: 100, down: 0, half: 1, up: 1}, // 0.5
		{name: "Zero", total: 0, rate: 10, down: 0, half: 0, up: 0},
		{name: "ZeroRate", total: 1000, rate: 0, down: 0, half: 0, up: 0},
		{name: "Refund", total: -315, rate: 10, down: -28, half: -29, up: -29},
		{name: "RefundOneYen", total: -1, rate: 8, down: 0, half: 0, up: -1},
		{name: "MaxInt64", total: math.MaxInt64, rate: 10, down: 838488366986797800, half: 838488366986797801, up: 838488366986797801},
		{name: "MinInt64", total: math.MinInt64, rate: 8, down: -683212743470724133, half: -683212743470724134, up: -683212743470724134},
		{name: "MinInt64AllTax", total: math.MinInt64, rate: 100, down: math.MinInt64 / 2, half: math.MinInt64 / 2, up: math.MinInt64 / 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for r, want := range map[tsunagu.Rounding]int64{
				"": tt.down, tsunagu.RoundDown: tt.down, tsunagu.RoundHalfUp: tt.half, tsunagu.RoundUp: tt.up,
			} {
				if got := tsunagu.IncludedTax(tt.total, tt.rate, r); got != want {
					t.Errorf("IncludedTax(%d, %d, %q) = %d, want %d", tt.total, tt.rate, r, got, want)
				}
			}
		})
	}
	for name, call := range map[string]func(){
		"PanicsOnNegativeRate":      func() { tsunagu.IncludedTax(100, -1, tsunagu.RoundDown) },
		"PanicsOnRateOver100":       func() { tsunagu.IncludedTax(100, 101, tsunagu.RoundDown) },
		"PanicsOnUnknownRounding":   func() { tsunagu.IncludedTax(100, 10, "BANKERS") },
		"PanicsOnUnknownTaxClass":   func() { tsunagu.TaxBreakdown([]tsunagu.TaxLine{{Class: "EXEMPT", Amount: 1}}, tsunagu.RoundDown) },
		"PanicsOnEmptyTaxClass":     func() { tsunagu.TaxBreakdown([]tsunagu.TaxLine{{Amount: 1}}, tsunagu.RoundDown) },
		"PanicsOnBreakdownRounding": func() { tsunagu.TaxBreakdown([]tsunagu.TaxLine{{Class: tsunagu.TaxReduced8, Amount: 1}}, "X") },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("did not panic")
				}
			}()
			call()
		})
	}
}

func TestTaxBreakdown(t *testing.T) {
	reduced := func(amount int64) tsunagu.TaxLine { return tsunagu.TaxLine{Class: tsunagu.TaxReduced8, Amount: amount} }
	standard := func(amount int64) tsunagu.TaxLine {
		return tsunagu.TaxLine{Class: tsunagu.TaxStandard10, Amount: amount}
	}
	r8 := func(total, tax int64) tsunagu.RateTotal {
		return tsunagu.RateTotal{Class: tsunagu.TaxReduced8, Rate: 8, Total: total, Tax: tax}
	}
	r10 := func(total, tax int64) tsunagu.RateTotal {
		return tsunagu.RateTotal{Class: tsunagu.TaxStandard10, Rate: 10, Total: total, Tax: tax}
	}
	repeat := func(n int, l tsunagu.TaxLine) []tsunagu.TaxLine {
		out := make([]tsunagu.TaxLine, n)
		for i := range out {
			out[i] = l
		}
		return out
	}
	var basket200 []tsunagu.TaxLine
	for i := 0; i < 100; i++ {
		basket200 = append(basket200, standard(105), reduced(108))
	}

	tests := []struct {
		name     string
		lines    []tsunagu.TaxLine
		rounding tsunagu.Rounding
		want     []tsunagu.RateTotal
	}{
		{name: "Empty", lines: nil, want: nil},
		{name: "ThreeItemsAt10", lines: repeat(3, standard(105)), want: []tsunagu.RateTotal{r10(315, 28)}},
		// Per line this would be 10 × ¥9 = ¥90.
		{name: "OncePerRateNotPerLine", lines: repeat(10, standard(109)), want: []tsunagu.RateTotal{r10(1090, 99)}},
		{name: "OncePerRateHalfUp", lines: repeat(10, standard(109)), rounding: tsunagu.RoundHalfUp, want: []tsunagu.RateTotal{r10(1090, 99)}},
		{name: "OncePerRateUp", lines: repeat(10, standard(109)), rounding: tsunagu.RoundUp, want: []tsunagu.RateTotal{r10(1090, 100)}},
		{name: "OnlyReduced", lines: []tsunagu.TaxLine{reduced(540), reduced(216)}, want: []tsunagu.RateTotal{r8(756, 56)}},
		{
			name:  "MixedReducedFirst",
			lines: []tsunagu.TaxLine{standard(1100), reduced(540), standard(330), reduced(216)},
			want:  []tsunagu.RateTotal{r8(756, 56), r10(1430, 130)},
		},
		{
			name:     "MixedDown",
			lines:    []tsunagu.TaxLine{reduced(20), standard(315)},
			rounding: tsunagu.RoundDown,
			want:     []tsunagu.RateTotal{r8(20, 1), r10(315, 28)},
		},
		{
			name:     "MixedHalfUp",
			lines:    []tsunagu.TaxLine{reduced(20), standard(315)},
			rounding: tsunagu.RoundHalfUp,
			want:     []tsunagu.RateTotal{r8(20, 1), r10(315, 29)},
		},
		{
			name:     "MixedUp",
			lines:    []tsunagu.TaxLine{reduced(20), standard(315)},
			rounding: tsunagu.RoundUp,
			want:     []tsunagu.RateTotal{r8(20, 2), r10(315, 29)},
		},
		{name: "Basket200Down", lines: basket200, want: []tsunagu.RateTotal{r8(10800, 800), r10(10500, 954)}},
		{name: "Basket200HalfUp", lines: basket200, rounding: tsunagu.RoundHalfUp, want: []tsunagu.RateTotal{r8(10800, 800), r10(10500, 955)}},
		{
			name:  "RefundAcrossRates",
			lines: []tsunagu.TaxLine{standard(-315), reduced(-540)},
			want:  []tsunagu.RateTotal{r8(-540, -40), r10(-315, -28)},
		},
		{
			name:     "RefundAcrossRatesUp",
			lines:    []tsunagu.TaxLine{reduced(-20), standard(-315)},
			rounding: tsunagu.RoundUp,
			want:     []tsunagu.RateTotal{r8(-20, -2), r10(-315, -29)},
		},
		{
			name:  "SaleNettedWithReturnedLine",
			lines: []tsunagu.TaxLine{standard(315), standard(-105), reduced(108)},
			want:  []tsunagu.RateTotal{r8(108, 8), r10(210, 19)},
		},
		{
			name:  "ZeroTotalRateStillListed",
			lines: []tsunagu.TaxLine{reduced(108), reduced(-108), standard(110)},
			want:  []tsunagu.RateTotal{r8(0, 0), r10(110, 10)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tsunagu.TaxBreakdown(tt.lines, tt.rounding)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("TaxBreakdown mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// includedTaxOracle computes the tax with math/big, as a reference independent of the
// overflow-avoiding arithmetic under test.
func includedTaxOracle(total int64, rate int, r tsunagu.Rounding) int64 {
	mag := new(big.Int).Abs(big.NewInt(total))
	num := new(big.Int).Mul(mag, big.NewInt(int64(rate)))
	d := big.NewInt(int64(100 + rate))
	q, m := new(big.Int).QuoRem(num, d, new(big.Int))
	switch r {
	case tsunagu.RoundHalfUp:
		if new(big.Int).Mul(m, big.NewInt(2)).Cmp(d) >= 0 {
			q.Add(q, big.NewInt(1))
		}
	case tsunagu.RoundUp:
		if m.Sign() > 0 {
			q.Add(q, big.NewInt(1))
		}
	}
	if total < 0 {
		q.Neg(q)
	}
	return q.Int64()
}

var roundings = []tsunagu.Rounding{tsunagu.RoundDown, tsunagu.RoundHalfUp, tsunagu.RoundUp}

func abs(n int64) uint64 {
	if n < 0 {
		return -uint64(n)
	}
	return uint64(n)
}

// FuzzIncludedTax checks IncludedTax against a math/big reference, and its invariants:
// 0 ≤ tax ≤ total for a positive total, DOWN ≤ HALF_UP ≤ UP ≤ DOWN + 1 in magnitude,
// and a refund's tax mirrors the sale's.
func FuzzIncludedTax(f *testing.F) {
	for _, total := range []int64{0, 1, 7, 20, 108, 109, 315, -315, math.MaxInt64, math.MinInt64, math.MinInt64 + 1} {
		f.Add(total, uint8(8))
		f.Add(total, uint8(10))
	}
	f.Add(int64(1), uint8(100))
	f.Fuzz(func(t *testing.T, total int64, rate uint8) {
		rt := int(rate % 101)
		var taxes [3]int64
		for i, r := range roundings {
			tax := tsunagu.IncludedTax(total, rt, r)
			if want := includedTaxOracle(total, rt, r); tax != want {
				t.Fatalf("IncludedTax(%d, %d, %s) = %d, want %d", total, rt, r, tax, want)
			}
			if total >= 0 && (tax < 0 || tax > total) {
				t.Fatalf("IncludedTax(%d, %d, %s) = %d, outside 0…total", total, rt, r, tax)
			}
			if total != math.MinInt64 {
				if mirror := tsunagu.IncludedTax(-total, rt, r); mirror != -tax {
					t.Fatalf("IncludedTax(%d) = %d but IncludedTax(%d) = %d", total, tax, -total, mirror)
				}
			}
			taxes[i] = tax
		}
		down, half, up := abs(taxes[0]), abs(taxes[1]), abs(taxes[2])
		if !(down <= half && half <= up && up <= down+1) {
			t.Fatalf("total %d at %d%%: DOWN %d, HALF_UP %d, UP %d out of order", total, rt, taxes[0], taxes[1], taxes[2])
		}
	})
}

// FuzzTaxBreakdown builds baskets from bytes (3 bytes a line: class, then a signed
// 16-bit amount) and checks that per-rate totals add up to the lines, that each rate's
// tax is IncludedTax of its total (once per rate), that rates come out once each in
// order, and that 0 ≤ tax ≤ total for positive totals with DOWN ≤ HALF_UP ≤ UP.
func FuzzTaxBreakdown(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 0, 105, 1, 0, 105, 1, 0, 105})
	f.Add([]byte{0, 0, 20, 1, 1, 59, 0, 0xff, 0xec, 1, 0xfe, 0xc5})
	f.Fuzz(func(t *testing.T, data []byte) {
		var lines []tsunagu.TaxLine
		var sum int64
		present := map[tsunagu.TaxClass]bool{}
		for ; len(data) >= 3; data = data[3:] {
			l := tsunagu.TaxLine{Class: tsunagu.TaxReduced8, Amount: int64(int16(uint16(data[1])<<8 | uint16(data[2])))}
			if data[0]&1 == 1 {
				l.Class = tsunagu.TaxStandard10
			}
			lines = append(lines, l)
			sum += l.Amount
			present[l.Class] = true
		}

		var byMode [3][]tsunagu.RateTotal
		for i, r := range roundings {
			got := tsunagu.TaxBreakdown(lines, r)
			byMode[i] = got
			if len(got) != len(present) {
				t.Fatalf("%s: %d rates for classes %v", r, len(got), present)
			}
			var total int64
			for j, rt := range got {
				total += rt.Total
				if !present[rt.Class] || rt.Rate != rt.Class.Rate() {
					t.Fatalf("%s: unexpected %+v", r, rt)
				}
				if j > 0 && !(got[j-1].Class == tsunagu.TaxReduced8 && rt.Class == tsunagu.TaxStandard10) {
					t.Fatalf("%s: rates out of order: %+v", r, got)
				}
				if want := tsunagu.IncludedTax(rt.Total, rt.Rate, r); rt.Tax != want {
					t.Fatalf("%s: %+v, want tax %d", r, rt, want)
				}
				if rt.Total >= 0 && (rt.Tax < 0 || rt.Tax > rt.Total) {
					t.Fatalf("%s: %+v: tax outside 0…total", r, rt)
				}
			}
			if total != sum {
				t.Fatalf("%s: rate totals add up to %d, lines to %d", r, total, sum)
			}
		}
		for j := range byMode[0] {
			down, half, up := abs(byMode[0][j].Tax), abs(byMode[1][j].Tax), abs(byMode[2][j].Tax)
			if !(down <= half && half <= up) {
				t.Fatalf("%s: DOWN %d, HALF_UP %d, UP %d out of order", byMode[0][j].Class, down, half, up)
			}
		}
	})
}
