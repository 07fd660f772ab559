package tsunagu_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/tsunagu"
)

// Each direction lands on its side of the pair's balance, whichever municipality
// it starts from; a month with transfers only has a balance with no sales; the
// net is what the municipality with the smaller ID owes the other.
func TestCombineExchange(t *testing.T) {
	mar := tsunagu.Month{Year: 2026, Month: time.March}
	apr := tsunagu.Month{Year: 2026, Month: time.April}
	sold := func(m tsunagu.Month, seller, owner tsunagu.MunicipalityID, payable int64) *tsunagu.ExchangeSales {
		return &tsunagu.ExchangeSales{Month: m, SellerMunicipalityID: seller, OwnerMunicipalityID: owner,
			ExchangeSalesFigures: tsunagu.ExchangeSalesFigures{Payable: payable}}
	}
	sent := func(m string, from, to tsunagu.MunicipalityID, units int) *tsunagu.ExchangeTransfers {
		return &tsunagu.ExchangeTransfers{Month: m, FromMunicipalityID: from, ToMunicipalityID: to,
			ExchangeTransferFigures: tsunagu.ExchangeTransferFigures{ShippedUnits: units}}
	}
	got := tsunagu.CombineExchange(
		[]*tsunagu.ExchangeSales{sold(apr, 2, 1, 500), sold(apr, 1, 2, 2040), sold(mar, 3, 1, 100)},
		[]*tsunagu.ExchangeTransfers{sent("2026-04", 2, 1, 4), sent("2026-02", 1, 3, 7)})
	want := []*tsunagu.ExchangeBalance{
		{Month: "2026-02", A: 1, B: 3, TransfersAToB: tsunagu.ExchangeTransferFigures{ShippedUnits: 7}},
		{Month: "2026-03", A: 1, B: 3, BSoldOfA: tsunagu.ExchangeSalesFigures{Payable: 100}},
		{Month: "2026-04", A: 1, B: 2, ASoldOfB: tsunagu.ExchangeSalesFigures{Payable: 2040},
			BSoldOfA: tsunagu.ExchangeSalesFigures{Payable: 500}, TransfersBToA: tsunagu.ExchangeTransferFigures{ShippedUnits: 4}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("balances (-want +got):\n%s", d)
	}
	if n := []int64{got[0].Net(), got[1].Net(), got[2].Net()}; !cmp.Equal(n, []int64{0, -100, 1540}) {
		t.Errorf("nets %v, want [0 -100 1540]", n)
	}
}

func TestExchangeBalanceFilter(t *testing.T) {
	home, partner := tsunagu.MunicipalityID(1), tsunagu.MunicipalityID(2)
	admin := &tsunagu.User{Role: tsunagu.RoleAdmin}
	manager := &tsunagu.User{Role: tsunagu.RoleManager, MunicipalityID: &home}
	for _, c := range []struct {
		name string
		u    *tsunagu.User
		muni *tsunagu.MunicipalityID
		want *tsunagu.MunicipalityID
		code tsunagu.Code
	}{
		{"Admin", admin, nil, nil, ""},
		{"AdminOne", admin, &partner, &partner, ""},
		{"Manager", manager, nil, &home, ""},
		{"ManagerOwn", manager, &home, &home, ""},
		{"ManagerOther", manager, &partner, nil, tsunagu.CodeForbidden},
		{"ManagerOfNone", &tsunagu.User{Role: tsunagu.RoleManager}, nil, nil, tsunagu.CodeForbidden},
		{"Clerk", &tsunagu.User{Role: tsunagu.RoleClerk, MunicipalityID: &home}, nil, nil, tsunagu.CodeForbidden},
		{"Facility", &tsunagu.User{Role: tsunagu.RoleFacility, MunicipalityID: &home}, nil, nil, tsunagu.CodeForbidden},
		{"Anonymous", nil, nil, nil, tsunagu.CodeUnauthenticated},
	} {
		got, err := tsunagu.ExchangeBalanceFilter{MunicipalityID: c.muni}.Scope(c.u)
		if tsunagu.ErrorCode(err) != c.code || !cmp.Equal(got, c.want) {
			t.Errorf("%s: %v, %v; want %v, %q", c.name, got, err, c.want, c.code)
		}
	}
	for _, c := range []struct {
		from, to string
		months   int
		code     tsunagu.Code
		field    string
	}{
		{"2026-04", "2026-04", 1, "", ""},
		{"2025-11", "2026-02", 4, "", ""},
		{"2024-05", "2027-04", 36, "", ""},
		{"2024-04", "2027-04", 0, tsunagu.CodeOutOfRange, "toMonth"},
		{"2026-05", "2026-04", 0, tsunagu.CodeInvalidInput, "toMonth"},
		{"2026-13", "2026-04", 0, tsunagu.CodeInvalidInput, "fromMonth"},
		{"2026-04", "2026-4", 0, tsunagu.CodeInvalidInput, "toMonth"},
	} {
		ms, err := tsunagu.ExchangeBalanceFilter{FromMonth: c.from, ToMonth: c.to}.Months()
		ue := tsunagu.UserErrors(err)
		if len(ms) != c.months || tsunagu.ErrorCode(err) != c.code || (c.code != "" && (len(ue) == 0 || ue[0].Field != c.field)) {
			t.Errorf("%s..%s: %d months, %v; want %d, %q on %q", c.from, c.to, len(ms), err, c.months, c.code, c.field)
		}
	}
}
