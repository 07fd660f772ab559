package graph_test

import (
	"testing"
	"time"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

const (
	setCommission = `mutation($in: SetCommissionInput!) { setCommission(input: $in) {
		commissionRate { basisPoints effectiveFrom shop { name } facility { name } municipality { name } setBy { name } }
		userErrors { code field message } } }`
	commissionRates = `query($shop: ID!) { commissionRates(shopId: $shop) { basisPoints effectiveFrom facility { name } } }`
)

// A manager sets the shop's rate and a facility's, and reads the history back,
// newest date first; another municipality's staff may not read it.
func TestCommissionRatesAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.shop()
	shop := a.id(gid.KindLocation, int64(a.homeShop.ID))
	for _, in := range []map[string]any{
		{"shopId": shop, "basisPoints": 1500, "effectiveFrom": "2026-04-01"},
		{"shopId": shop, "basisPoints": 1000, "effectiveFrom": "2026-05-01",
			"facilityId": a.id(gid.KindFacility, int64(a.partnerFac.ID))},
	} {
		if errs, code := a.mutate("manager", "setCommission", setCommission, map[string]any{"in": in}); code != "" || len(errs) > 0 {
			t.Fatalf("setCommission: %s %v", code, errs)
		}
	}
	var got struct {
		CommissionRates []struct {
			BasisPoints   int
			EffectiveFrom string
			Facility      *struct{ Name string }
		}
	}
	a.ok("manager", commissionRates, map[string]any{"shop": shop}, &got)
	if len(got.CommissionRates) != 2 || got.CommissionRates[0].BasisPoints != 1000 || got.CommissionRates[0].Facility == nil ||
		got.CommissionRates[0].Facility.Name != a.partnerFac.Name || got.CommissionRates[1].EffectiveFrom != "2026-04-01" {
		t.Errorf("commissionRates = %+v", got.CommissionRates)
	}
	if code := a.do("otherManager", commissionRates, map[string]any{"shop": shop}).code(); code != "FORBIDDEN" {
		t.Errorf("another municipality's manager: %q, want FORBIDDEN", code)
	}

	before := a.snapshot()
	errs, _ := a.mutate("manager", "setCommission", setCommission, map[string]any{"in": map[string]any{
		"shopId": shop, "basisPoints": 10001, "effectiveFrom": "2026-04-31"}})
	if len(errs) != 2 || errs[0].Code != "OUT_OF_RANGE" || errs[1].Code != "INVALID_INPUT" {
		t.Errorf("bad input: %+v", errs)
	}
	a.unchanged(before)
}

const settlementsQuery = `query($m: String!, $f: SettlementFilter) { settlements(month: $m, filter: $f, first: 100) {
	edges { node { id month status facility { name } shop { name } unitsSold unitsRefunded gross refunds net
		commission commissionTax payable commissionParts { basisPoints base }
		rates { taxClass rate qualified gross refunds net tax } } } } }`

const settlementQuery = `query($id: ID!) { settlement(id: $id) { id gross refunds payable
	lines { product { id } name unitsSold gross unitsRefunded refunds net } } }`

type settlementJSON struct {
	ID, Month, Status                              string
	UnitsSold, UnitsRefunded                       int
	Gross, Refunds, Net, Commission, CommissionTax int64
	Payable                                        int64
	CommissionParts                                []struct{ BasisPoints, Base int64 }
}

// A month of counter sales (one voided, one refunded) and online orders (one
// partly refunded), at two shops: the statements add up to an independent sum of the
// sales, orders and refunds tables, each statement's commission is its net at the
// shop's 15 % rounded down, and each side's managers see only their statements.
func TestSettlementsMatchLedger(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.shop()
	_, err := a.settlements.SetCommission(a.ctxs["manager"], tsunagu.SetCommissionInput{ShopID: a.homeShop.ID,
		BasisPoints: 1500, EffectiveFrom: "2000-01-01"})
	must(t, err)

	a.sale()
	voided, refunded := a.sale(), a.sale()
	_, err = a.pos.VoidSale(a.ctxs["clerk"], tsunagu.VoidSaleInput{SaleID: voided.ID, Reason: "打ち間違い", IdempotencyKey: key()})
	must(t, err)
	_, err = a.pos.RefundSale(a.ctxs["clerk"], tsunagu.RefundSaleInput{SaleID: refunded.ID, SessionID: refunded.SessionID,
		Method: tsunagu.RefundCash, IdempotencyKey: key()})
	must(t, err)
	a.paidOrder(tsunagu.FulfilPickup)
	o := a.paidOrder(tsunagu.FulfilPickup)
	_, err = a.orders.RefundOrder(a.ctxs["clerk"], tsunagu.RefundOrderInput{OrderID: o.ID,
		Lines: []tsunagu.RefundLineInput{{LineNumber: 1, Quantity: 1}}, IdempotencyKey: key()})
	must(t, err)
	a.paidCheckout(a.partnerShop, tsunagu.FulfilPickup)

	var want struct{ Gross, Refunds int64 }
	err = a.db.SQL().QueryRow(`SELECT
		(SELECT coalesce(sum(total), 0) FROM sales WHERE status IN ('COMPLETED', 'VOIDED'))
			+ (SELECT coalesce(sum(subtotal), 0) FROM orders WHERE paid_at IS NOT NULL),
		(SELECT coalesce(sum(total), 0) FROM sales WHERE status = 'VOIDED')
			+ (SELECT coalesce(sum(total), 0) FROM refunds) + (SELECT coalesce(sum(amount), 0) FROM order_refunds WHERE status = 'SUCCEEDED')`).
		Scan(&want.Gross, &want.Refunds)
	must(t, err)
	if want.Gross == 0 || want.Refunds == 0 {
		t.Fatalf("the fixtures made no sales or refunds: %+v", want)
	}

	month := tsunagu.MonthOf(time.Now()).String()
	list := func(as string) []settlementJSON {
		var got struct {
			Settlements struct {
				Edges []struct{ Node settlementJSON }
			}
		}
		a.ok(as, settlementsQuery, map[string]any{"m": month}, &got)
		var out []settlementJSON
		for _, e := range got.Settlements.Edges {
			out = append(out, e.Node)
		}
		return out
	}
	all := list("admin")
	if len(all) != 2 {
		t.Fatalf("admin sees %d statements, want 2 (home and partner): %+v", len(all), all)
	}
	var gross, refunds int64
	for _, s := range all {
		gross += s.Gross
		refunds += s.Refunds
		if s.Month != month || s.Status != "OPEN" || s.Net != s.Gross-s.Refunds || s.Payable != s.Net-s.Commission {
			t.Errorf("statement %+v does not add up", s)
		}
	}
	if gross != want.Gross || refunds != want.Refunds {
		t.Errorf("statements: gross %d refunds %d; the ledger: %+v", gross, refunds, want)
	}
	// The home shop's 15 %, rounded down; the partner shop has no rate.
	home := all[0]
	if home.Commission != home.Net*1500/10000 || home.Commission == 0 || home.CommissionTax != home.Commission*10/110 {
		t.Errorf("home statement's commission: %+v", home)
	}
	if all[1].Commission != 0 {
		t.Errorf("partner statement's commission %d, want 0", all[1].Commission)
	}

	if got := list("manager"); len(got) != 1 || got[0].ID != home.ID {
		t.Errorf("the home manager sees %+v", got)
	}
	if got := list("otherManager"); len(got) != 1 || got[0].ID != all[1].ID {
		t.Errorf("the partner's manager sees %+v", got)
	}
	if code := a.do("clerk", settlementsQuery, map[string]any{"m": month}).code(); code != "FORBIDDEN" {
		t.Errorf("clerk: %q, want FORBIDDEN", code)
	}
	// Facility staff read their own facility's statements and no other's, even
	// when they ask for another facility by the filter.
	if got := list("facility"); len(got) != 1 || got[0].ID != home.ID {
		t.Errorf("the home facility's staff see %+v, want only %s", got, home.ID)
	}
	if got := list("otherFacility"); len(got) != 1 || got[0].ID != all[1].ID {
		t.Errorf("the partner facility's staff see %+v, want only %s", got, all[1].ID)
	}
	var filtered struct {
		Settlements struct {
			Edges []struct{ Node settlementJSON }
		}
	}
	a.ok("otherFacility", settlementsQuery, map[string]any{"m": month,
		"f": map[string]any{"facilityId": a.id(gid.KindFacility, int64(a.homeFac.ID))}}, &filtered)
	if len(filtered.Settlements.Edges) != 0 {
		t.Errorf("the partner facility's staff filter for the home facility and see %+v", filtered.Settlements.Edges)
	}

	var one struct {
		Settlement *struct {
			ID             string
			Gross, Payable int64
			Lines          []struct {
				Name  string
				Gross int64
			}
		}
	}
	a.ok("manager", settlementQuery, map[string]any{"id": home.ID}, &one)
	if one.Settlement == nil || one.Settlement.Payable != home.Payable || len(one.Settlement.Lines) == 0 {
		t.Fatalf("settlement(id): %+v", one.Settlement)
	}
	var lines int64
	for _, l := range one.Settlement.Lines {
		lines += l.Gross
	}
	if lines != home.Gross {
		t.Errorf("lines gross %d, statement %d", lines, home.Gross)
	}
	a.ok("otherManager", settlementQuery, map[string]any{"id": home.ID}, &one)
	if one.Settlement != nil {
		t.Errorf("another municipality's manager reads the home statement")
	}
	a.ok("facility", settlementQuery, map[string]any{"id": home.ID}, &one)
	if one.Settlement == nil || one.Settlement.ID != home.ID || one.Settlement.Payable != home.Payable || len(one.Settlement.Lines) == 0 {
		t.Errorf("the home facility's staff read their statement as %+v", one.Settlement)
	}
	a.ok("otherFacility", settlementQuery, map[string]any{"id": home.ID}, &one)
	if one.Settlement != nil {
		t.Errorf("another facility's staff read the home statement")
	}
}
