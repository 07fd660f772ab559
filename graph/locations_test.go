package graph_test

import (
	"testing"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

const (
	createLocation = `mutation($in: CreateLocationInput!) { createLocation(input: $in) {
		location { id kind name address openingHours municipality { code } facility { name } }
		userErrors { code field message } } }`
	updateLocation = `mutation($in: UpdateLocationInput!) { updateLocation(input: $in) {
		location { id kind name address openingHours } userErrors { code field message } } }`
	updateRegister = `mutation($in: UpdateRegisterInput!) { updateRegister(input: $in) {
		register { id name retiredAt } userErrors { code field message } } }`
	retireRegister = `mutation($in: RetireRegisterInput!) { retireRegister(input: $in) {
		register { id name retiredAt } userErrors { code field message } } }`
)

func init() {
	authzMatrix["createLocation"] = authzCase{createLocation, managers, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"municipalityId": a.id(gid.KindMunicipality, int64(a.home.ID)),
			"kind": "WAREHOUSE", "name": "新しい倉庫" + key()[:4], "address": "東京都港区海岸1-1", "openingHours": "平日 9:00〜17:00"}}
	}}
	authzMatrix["updateLocation"] = authzCase{updateLocation, managers, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"id": a.id(gid.KindLocation, int64(a.homeShop.ID)), "openingHours": "毎日 10:00〜" + key()[:4]}}
	}}
	authzMatrix["updateRegister"] = authzCase{updateRegister, managers, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"registerId": a.id(gid.KindRegister, int64(a.register().ID)), "name": "改名レジ" + key()[:4]}}
	}}
	authzMatrix["retireRegister"] = authzCase{retireRegister, managers, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"registerId": a.id(gid.KindRegister, int64(a.register().ID))}}
	}}
	for _, m := range []string{"createLocation", "updateLocation", "updateRegister", "retireRegister"} {
		auditedMutations[m] = true
	}
}

// Bad input to the location mutations gets its code and changes nothing; a manager
// cannot add a location to another municipality, nor change one.
func TestLocationErrors(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	home := a.id(gid.KindMunicipality, int64(a.home.ID))
	valid := map[string]any{"municipalityId": home, "kind": "SHOP", "name": "駅前の店"}
	for _, c := range []struct {
		name, as, query, mutation string
		in                        map[string]any
		gqlCode, code, field      string
	}{
		{"ErrOtherMunicipality", "otherManager", createLocation, "createLocation", valid, "FORBIDDEN", "", ""},
		{"ErrClerk", "clerk", createLocation, "createLocation", valid, "FORBIDDEN", "", ""},
		{"ErrUpdateOtherMunicipality", "otherManager", updateLocation, "updateLocation",
			map[string]any{"id": a.id(gid.KindLocation, int64(a.homeShop.ID)), "name": "乗っ取り"}, "FORBIDDEN", "", ""},
		{"ErrNoName", "manager", createLocation, "createLocation", with(valid, "name", " "), "", "REQUIRED", "input.name"},
		{"ErrFacilityForShop", "manager", createLocation, "createLocation",
			with(valid, "facilityId", a.id(gid.KindFacility, int64(a.homeFac.ID))), "", "INVALID_INPUT", "input.facilityId"},
		{"ErrFacilityMissing", "manager", createLocation, "createLocation", with(valid, "kind", "FACILITY"), "", "REQUIRED", "input.facilityId"},
		{"ErrOtherMunicipalitysFacility", "manager", createLocation, "createLocation",
			with(valid, "kind", "FACILITY", "facilityId", a.id(gid.KindFacility, int64(a.partnerFac.ID))), "", "NOT_FOUND", "input.facilityId"},
		{"ErrUpdateEmptyName", "manager", updateLocation, "updateLocation",
			map[string]any{"id": a.id(gid.KindLocation, int64(a.homeShop.ID)), "name": ""}, "", "REQUIRED", "input.name"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := a.snapshot()
			errs, code := a.mutate(c.as, c.mutation, c.query, map[string]any{"in": c.in})
			if c.gqlCode != "" {
				if code != c.gqlCode {
					t.Fatalf("got %q %+v, want %s", code, errs, c.gqlCode)
				}
			} else if code != "" || len(errs) == 0 || errs[0].Code != c.code || errs[0].Field == nil || *errs[0].Field != c.field {
				t.Fatalf("got %q %+v, want %s at %s", code, errs, c.code, c.field)
			}
			a.unchanged(before)
		})
	}
}

// A manager sets up a shop of their own municipality from the API alone: the
// location, its settings, a register; an update keeps what it leaves out.
func TestManagerSetsUpAShop(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var made struct {
		CreateLocation struct {
			Location struct {
				ID, Kind, Name, Address, OpeningHours string
				Municipality                          struct{ Code string }
			}
		}
	}
	a.ok("manager", createLocation, map[string]any{"in": map[string]any{"municipalityId": a.id(gid.KindMunicipality, int64(a.home.ID)),
		"kind": "SHOP", "name": " 駅前の店 ", "address": "東京都港区芝1-1", "openingHours": "平日 10:00〜16:00（土日祝休み）"}}, &made)
	l := made.CreateLocation.Location
	if l.Kind != "SHOP" || l.Name != "駅前の店" || l.Municipality.Code != a.home.Code || l.OpeningHours != "平日 10:00〜16:00（土日祝休み）" {
		t.Fatalf("created %+v", l)
	}
	var updated struct {
		UpdateLocation struct {
			Location struct{ Name, Address, OpeningHours string }
		}
	}
	a.ok("manager", updateLocation, map[string]any{"in": map[string]any{"id": l.ID, "address": "東京都港区芝2-2"}}, &updated)
	if u := updated.UpdateLocation.Location; u.Name != "駅前の店" || u.Address != "東京都港区芝2-2" || u.OpeningHours != l.OpeningHours {
		t.Errorf("after update: %+v", u)
	}
	shopQ := `mutation($in: UpdateShopInput!) { updateShop(input: $in) { shop { operatorName registrationNumber rounding acceptsPickup } userErrors { code field } } }`
	var shop struct {
		UpdateShop struct {
			Shop struct {
				OperatorName, Rounding string
				RegistrationNumber     *string
				AcceptsPickup          bool
			}
			UserErrors []userError
		}
	}
	a.ok("manager", shopQ, map[string]any{"in": map[string]any{"shopId": l.ID, "operatorName": "港区", "registrationNumber": "T7000012050002"}}, &shop)
	if s := shop.UpdateShop.Shop; len(shop.UpdateShop.UserErrors) > 0 || !s.AcceptsPickup || s.Rounding != "DOWN" {
		t.Fatalf("new shop: %+v", shop.UpdateShop)
	}
	a.ok("manager", shopQ, map[string]any{"in": map[string]any{"shopId": l.ID, "acceptsPickup": false}}, &shop)
	if s := shop.UpdateShop.Shop; s.AcceptsPickup || s.OperatorName != "港区" || s.RegistrationNumber == nil || s.Rounding != "DOWN" {
		t.Errorf("after acceptsPickup false: %+v", s)
	}
	var reg struct {
		CreateRegister struct{ Register struct{ ID string } }
	}
	a.ok("manager", `mutation($in: CreateRegisterInput!) { createRegister(input: $in) { register { id } } }`,
		map[string]any{"in": map[string]any{"shopId": l.ID, "name": "1番レジ"}}, &reg)
	if reg.CreateRegister.Register.ID == "" {
		t.Error("no register")
	}
}

// A shop that takes no pickup orders refuses a pickup checkout, changing nothing.
func TestShopWithoutPickup(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.shop()
	p := a.stocked(a.homeFac, a.homeShop, 5)
	_, err := a.pos.UpdateShop(a.ctxs["admin"], tsunagu.UpdateShopInput{ShopID: a.homeShop.ID, AcceptsPickup: ptr(false)})
	must(t, err)
	before := a.snapshot()
	errs, code := a.mutate("", "checkout", checkout, checkoutVars(a, p, 1))
	if code != "" || len(errs) != 1 || errs[0].Code != "INVALID_INPUT" || *errs[0].Field != "input.fulfilment" {
		t.Fatalf("checkout: %q %+v", code, errs)
	}
	a.unchanged(before)
}

// A register is renamed, refused retirement while a session of it is open (and
// then nothing changes), retired once closed, and then neither listed nor opened.
func TestRetireRegister(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	s := a.session()
	regID := a.id(gid.KindRegister, int64(s.RegisterID))
	errs, code := a.mutate("manager", "updateRegister", updateRegister, map[string]any{"in": map[string]any{"registerId": regID, "name": "入口レジ"}})
	if code != "" || len(errs) > 0 {
		t.Fatalf("updateRegister: %q %+v", code, errs)
	}
	before := a.snapshot()
	errs, code = a.mutate("manager", "retireRegister", retireRegister, map[string]any{"in": map[string]any{"registerId": regID}})
	if code != "" || len(errs) != 1 || errs[0].Code != "REGISTER_IN_USE" || *errs[0].Field != "input.registerId" {
		t.Fatalf("retire an open register: %q %+v, want REGISTER_IN_USE", code, errs)
	}
	a.unchanged(before)

	_, err := a.pos.CloseRegisterSession(a.ctxs["clerk"], tsunagu.CloseSessionInput{SessionID: s.ID, CountedCash: ptr(int64(30000)), IdempotencyKey: key()})
	must(t, err)
	var retired struct {
		RetireRegister struct {
			Register struct {
				Name      string
				RetiredAt *string
			}
		}
	}
	a.ok("manager", retireRegister, map[string]any{"in": map[string]any{"registerId": regID}}, &retired)
	if r := retired.RetireRegister.Register; r.Name != "入口レジ" || r.RetiredAt == nil {
		t.Fatalf("retired: %+v", r)
	}
	before = a.snapshot()
	errs, _ = a.mutate("manager", "retireRegister", retireRegister, map[string]any{"in": map[string]any{"registerId": regID}})
	if len(errs) != 1 || errs[0].Code != "INVALID_STATE" {
		t.Errorf("retire twice: %+v, want INVALID_STATE", errs)
	}
	var list struct{ Registers []struct{ ID string } }
	a.ok("clerk", `{ registers { id } }`, nil, &list)
	for _, r := range list.Registers {
		if r.ID == regID {
			t.Error("a retired register is listed")
		}
	}
	errs, _ = a.mutate("clerk", "openRegisterSession", openSession,
		map[string]any{"in": map[string]any{"registerId": regID, "openingFloat": 1000, "idempotencyKey": key()}})
	if len(errs) != 1 || errs[0].Code != "INVALID_STATE" {
		t.Errorf("open a retired register: %+v, want INVALID_STATE", errs)
	}
	a.unchanged(before)
}
