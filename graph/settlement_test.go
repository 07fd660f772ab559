package graph_test

import (
	"testing"

	"tsunagu/graph/gid"
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
