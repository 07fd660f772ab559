package tsunagu_test

import (
	"testing"
	"time"

	"tsunagu/internal/tsunagu"
)

func TestCheckMonthEnded(t *testing.T) {
	jst := time.FixedZone("JST", 9*60*60)
	feb := tsunagu.Month{Year: 2026, Month: time.February}
	for _, c := range []struct {
		name string
		now  time.Time
		want tsunagu.Code
	}{
		{"LastInstant", time.Date(2026, 2, 28, 23, 59, 59, 999999999, jst), tsunagu.CodeMonthNotEnded},
		{"FirstInstantAfter", time.Date(2026, 3, 1, 0, 0, 0, 0, jst), ""},
		{"UTCStillFebruaryButJapanMarch", time.Date(2026, 2, 28, 15, 0, 0, 0, time.UTC), ""},
		{"Within", time.Date(2026, 2, 10, 0, 0, 0, 0, jst), tsunagu.CodeMonthNotEnded},
		{"Future", time.Date(2026, 1, 31, 0, 0, 0, 0, jst), tsunagu.CodeMonthNotEnded},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := tsunagu.ErrorCode(tsunagu.CheckMonthEnded(feb, c.now, "input.month")); got != c.want {
				t.Errorf("code %q, want %q", got, c.want)
			}
		})
	}
}

func TestCheckCloseOrder(t *testing.T) {
	m := func(y int, mo time.Month) *tsunagu.Month { return &tsunagu.Month{Year: y, Month: mo} }
	for _, c := range []struct {
		name       string
		month      tsunagu.Month
		last       *tsunagu.Month
		soldBefore bool
		want       tsunagu.Code
	}{
		{"FirstCloseNothingBefore", *m(2026, 3), nil, false, ""},
		{"FirstCloseAfterSales", *m(2026, 3), nil, true, tsunagu.CodeMonthNotInOrder},
		{"Next", *m(2026, 1), m(2025, 12), false, ""},
		{"Gap", *m(2026, 2), m(2025, 12), false, tsunagu.CodeMonthNotInOrder},
		{"BeforeFirst", *m(2025, 11), m(2025, 12), false, tsunagu.CodeMonthNotInOrder},
		{"Same", *m(2025, 12), m(2025, 12), false, tsunagu.CodeMonthNotInOrder},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := tsunagu.ErrorCode(tsunagu.CheckCloseOrder(c.month, c.last, c.soldBefore, "input.month")); got != c.want {
				t.Errorf("code %q, want %q", got, c.want)
			}
		})
	}
}

func TestStatementNumber(t *testing.T) {
	if got := tsunagu.StatementNumber(12, 3); got != "12-000003" {
		t.Errorf("StatementNumber(12, 3) = %q", got)
	}
}

// A refund of a sale of an earlier month is a line of its own naming the sale; its
// money still counts in the statement's totals and commission.
func TestSettleRefundOfEarlierSale(t *testing.T) {
	sale, receipt, at := tsunagu.SaleID(7), int64(42), time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC)
	parts := []tsunagu.SettlementPart{
		{ProductID: 1, Name: "クッキー", Class: tsunagu.TaxReduced8, Qualified: true, BasisPoints: 1000, UnitsSold: 2, Gross: 700},
		{ProductID: 1, Name: "クッキー", Class: tsunagu.TaxReduced8, Qualified: true, BasisPoints: 1000, UnitsRefunded: 1, Refunds: 350,
			RefundOfSale: &sale, RefundOfReceipt: &receipt, RefundOfSoldAt: &at},
	}
	f := tsunagu.Settle(parts, tsunagu.RoundDown)
	if len(f.Lines) != 2 || f.Lines[0].RefundOf != nil || f.Lines[1].RefundOf == nil || *f.Lines[1].RefundOf.SaleID != sale ||
		*f.Lines[1].RefundOf.ReceiptNumber != receipt || !f.Lines[1].RefundOf.SoldAt.Equal(at) {
		t.Fatalf("lines %+v", f.Lines)
	}
	if f.Gross != 700 || f.Refunds != 350 || f.Commission != 35 || f.Payable != 700-350-35 {
		t.Errorf("figures %+v", f.SettlementAmounts)
	}
}

func TestMarkSettlementPaidInput(t *testing.T) {
	now := time.Date(2026, time.May, 1, 0, 30, 0, 0, time.FixedZone("JST", 9*3600)) // 30 April in UTC
	in := tsunagu.MarkSettlementPaidInput{PaidOn: "2026-04-31", Reference: string(make([]rune, 201))}
	_, err := in.Validate(now)
	errs := tsunagu.UserErrors(err)
	if len(errs) != 2 || errs[0].Code != tsunagu.CodeTooLong || errs[1].Code != tsunagu.CodeInvalidInput || errs[1].Field != "input.paidOn" {
		t.Errorf("errors %+v", errs)
	}
	// Today in Japan is a payment day; tomorrow is not yet.
	for day, ok := range map[string]bool{"2026-05-01": true, "2026-04-15": true, "2026-05-02": false} {
		in := tsunagu.MarkSettlementPaidInput{PaidOn: day}
		d, err := in.Validate(now)
		if got := err == nil; got != ok || (ok && d.Format(time.DateOnly) != day) {
			t.Errorf("paid on %s at %v: %v %v", day, now, d, err)
		}
		if !ok && (tsunagu.ErrorCode(err) != tsunagu.CodeInvalidInput || tsunagu.UserErrors(err)[0].Field != "input.paidOn") {
			t.Errorf("paid on %s: %v, want INVALID_INPUT on input.paidOn", day, err)
		}
	}
}
