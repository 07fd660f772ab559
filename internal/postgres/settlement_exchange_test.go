package postgres_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/tsunagu"
)

// The exchange balance says what the statements say: last month the home shop
// (15 %) sold two of the partner facility's spoons and the partner shop (10 %)
// two of the home facility's cookies online; the home shop's month is closed (its
// statements read as frozen), the partner shop's open (computed from the ledger).
// Each direction sums its statements, the home facility's own goods at the home
// shop are no part of it, and the net is what the home municipality owes the
// partner.
func TestExchangeSales(t *testing.T) {
	t.Parallel()
	w := newCloseWorld(t)
	_, err := w.settle.SetCommission(w.otherManager, tsunagu.SetCommissionInput{ShopID: w.partnerShop.ID, BasisPoints: 1000,
		EffectiveFrom: "2000-01-01"})
	must(t, err)
	w.stock(w.homeShop, w.spoon, 5)
	spoons := w.sell(w.clerk, w.session, []tsunagu.SaleLineInput{posLine(w.spoon, 2)}, posCash(2*1200, 0))
	w.date(`sales`, `created_at`, int64(spoons.ID), 4)
	w.stock(w.partnerShop, w.cookies, 5)
	cookies := w.paidOrder(cart(w.partnerShop, w.cookies, 2))
	w.date(`orders`, `paid_at`, int64(cookies.ID), 5)
	_, err = w.close(w.manager, w.month)
	must(t, err)

	homeSold := w.statement(w.partnerFac.ID, w.homeShop.ID, w.month)
	partnerSold := w.statement(w.homeFac.ID, w.partnerShop.ID, w.month)
	if homeSold == nil || homeSold.Status != tsunagu.SettlementClosed || homeSold.Gross != 2*1200 ||
		partnerSold == nil || partnerSold.Status != tsunagu.SettlementOpen || partnerSold.Gross != 2*350 {
		t.Fatalf("the statements: home shop %+v, partner shop %+v", homeSold, partnerSold)
	}
	figures := func(s *tsunagu.Settlement) tsunagu.ExchangeSalesFigures {
		var f tsunagu.ExchangeSalesFigures
		f.Add(&s.SettlementFigures)
		return f
	}
	home, partner := w.home.ID, w.partner.ID
	want := []*tsunagu.ExchangeSales{
		{Month: w.month, SellerMunicipalityID: home, OwnerMunicipalityID: partner, ExchangeSalesFigures: figures(homeSold)},
		{Month: w.month, SellerMunicipalityID: partner, OwnerMunicipalityID: home, ExchangeSalesFigures: figures(partnerSold)},
	}
	byDirection := func(xs []*tsunagu.ExchangeSales) map[tsunagu.MunicipalityID]*tsunagu.ExchangeSales {
		m := map[tsunagu.MunicipalityID]*tsunagu.ExchangeSales{}
		for _, x := range xs {
			m[x.SellerMunicipalityID] = x
		}
		return m
	}
	filter := tsunagu.ExchangeBalanceFilter{FromMonth: w.month.Prev().String(), ToMonth: w.month.Next().String()}
	for _, c := range []struct {
		name string
		ctx  context.Context
		muni *tsunagu.MunicipalityID
	}{{"Admin", w.admin, nil}, {"AdminPartner", w.admin, &partner}, {"HomeManager", w.manager, nil}, {"PartnerManager", w.otherManager, &partner}} {
		t.Run(c.name, func(t *testing.T) {
			f := filter
			f.MunicipalityID = c.muni
			got, err := w.settle.ExchangeSales(c.ctx, f)
			must(t, err)
			if d := cmp.Diff(byDirection(want), byDirection(got)); d != "" || len(got) != 2 {
				t.Errorf("%d rows (-want +got):\n%s", len(got), d)
			}
		})
	}

	got, err := w.settle.ExchangeSales(w.admin, filter)
	must(t, err)
	b := tsunagu.CombineExchange(got, nil)
	if len(b) != 1 || b[0].A != home || b[0].Month != w.month.String() ||
		b[0].Net() != homeSold.Payable-partnerSold.Payable || b[0].ASoldOfB.Commission != 360 || b[0].BSoldOfA.Commission != 70 {
		t.Errorf("balance %+v, want one of %s with net %d", b, w.month, homeSold.Payable-partnerSold.Payable)
	}

	third := &tsunagu.Municipality{Code: "011002", Name: "札幌市", Prefecture: "北海道"}
	must(t, w.catalog.CreateMunicipality(w.admin, third))
	f := filter
	f.MunicipalityID = &third.ID
	if got, err := w.settle.ExchangeSales(w.admin, f); err != nil || len(got) != 0 {
		t.Errorf("a municipality with no exchange: %v %v", got, err)
	}
	for _, c := range []struct {
		name  string
		ctx   context.Context
		muni  *tsunagu.MunicipalityID
		code  tsunagu.Code
		field string
	}{
		{"Anonymous", context.Background(), nil, tsunagu.CodeUnauthenticated, ""},
		{"Clerk", w.clerk, nil, tsunagu.CodeForbidden, ""},
		{"AnotherMunicipality", w.manager, &partner, tsunagu.CodeForbidden, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := filter
			f.MunicipalityID = c.muni
			_, err := w.settle.ExchangeSales(c.ctx, f)
			if got := tsunagu.ErrorCode(err); got != c.code {
				t.Errorf("code %q (%v), want %q", got, err, c.code)
			}
		})
	}
}
