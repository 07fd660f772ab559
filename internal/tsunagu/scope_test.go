package tsunagu_test

import (
	"slices"
	"testing"

	"tsunagu/internal/tsunagu"
)

// Who may appoint whom, and what facility staff see: the rules every service asks.
func TestCanAppoint(t *testing.T) {
	home, away := tsunagu.MunicipalityID(1), tsunagu.MunicipalityID(2)
	fac := tsunagu.FacilityID(7)
	admin := &tsunagu.User{Role: tsunagu.RoleAdmin}
	manager := &tsunagu.User{Role: tsunagu.RoleManager, MunicipalityID: &home}
	clerk := &tsunagu.User{Role: tsunagu.RoleClerk, MunicipalityID: &home}
	maker := &tsunagu.User{Role: tsunagu.RoleFacility, MunicipalityID: &home, FacilityID: &fac}
	for _, tc := range []struct {
		name string
		u    *tsunagu.User
		role tsunagu.Role
		m    *tsunagu.MunicipalityID
		want tsunagu.Code
	}{
		{"AdminAppointsAdmin", admin, tsunagu.RoleAdmin, nil, ""},
		{"AdminAppointsManager", admin, tsunagu.RoleManager, &away, ""},
		{"ManagerAppointsClerk", manager, tsunagu.RoleClerk, &home, ""},
		{"ManagerAppointsFacilityStaff", manager, tsunagu.RoleFacility, &home, ""},
		{"ErrManagerAppointsOtherTownsClerk", manager, tsunagu.RoleClerk, &away, tsunagu.CodeForbidden},
		{"ErrManagerAppointsOtherTownsFacilityStaff", manager, tsunagu.RoleFacility, &away, tsunagu.CodeForbidden},
		{"ErrManagerAppointsManager", manager, tsunagu.RoleManager, &home, tsunagu.CodeForbidden},
		{"ErrManagerAppointsAdmin", manager, tsunagu.RoleAdmin, nil, tsunagu.CodeForbidden},
		{"ErrClerkAppointsClerk", clerk, tsunagu.RoleClerk, &home, tsunagu.CodeForbidden},
		{"ErrFacilityStaffAppointFacilityStaff", maker, tsunagu.RoleFacility, &home, tsunagu.CodeForbidden},
		{"ErrAnonymous", nil, tsunagu.RoleClerk, &home, tsunagu.CodeUnauthenticated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tsunagu.ErrorCode(tsunagu.CanAppoint(tc.u, tc.role, tc.m)); got != tc.want {
				t.Errorf("code %q, want %q", got, tc.want)
			}
		})
	}
}

// Facility staff's scope is their facility, never their municipality: they work at
// their own store room only, and see no municipality's records.
func TestFacilityScope(t *testing.T) {
	home := tsunagu.MunicipalityID(1)
	fac, other := tsunagu.FacilityID(7), tsunagu.FacilityID(8)
	maker := &tsunagu.User{Role: tsunagu.RoleFacility, MunicipalityID: &home, FacilityID: &fac}
	store := &tsunagu.Location{ID: 10, MunicipalityID: home, Kind: tsunagu.LocationFacility, FacilityID: &fac}
	neighbours := &tsunagu.Location{ID: 11, MunicipalityID: home, Kind: tsunagu.LocationFacility, FacilityID: &other}
	shop := &tsunagu.Location{ID: 12, MunicipalityID: home, Kind: tsunagu.LocationShop}
	for name, got := range map[string]bool{
		"WorksAtOwnStoreRoom":         maker.WorksAt(store),
		"!WorksAtNeighboursStoreRoom": !maker.WorksAt(neighbours),
		"!WorksAtShop":                !maker.WorksAt(shop),
		"SeesStockAtOwnStoreRoom":     maker.SeesStockAt(store),
		"!SeesStockAtShop":            !maker.SeesStockAt(shop),
		"!SeesMunicipality":           !maker.SeesMunicipality(home),
		"!ManagesMunicipality":        !maker.ManagesMunicipality(home),
		"EditsOwnGoods":               maker.EditsGoodsOf(fac, home),
		"!EditsNeighboursGoods":       !maker.EditsGoodsOf(other, home),
		"ManagerEditsNeighboursGoods": (&tsunagu.User{Role: tsunagu.RoleManager, MunicipalityID: &home}).EditsGoodsOf(other, home),
		"ManagerWorksAtFacilityStore": (&tsunagu.User{Role: tsunagu.RoleManager, MunicipalityID: &home}).WorksAt(store),
		"!ClerkWorksAtFacilityStore":  !(&tsunagu.User{Role: tsunagu.RoleClerk, MunicipalityID: &home, ShopID: &shop.ID}).WorksAt(store),
		"!CustomerOfFacility":         !(&tsunagu.User{Role: tsunagu.RoleCustomer, FacilityID: &fac}).OfFacility(fac),
	} {
		if !got {
			t.Errorf("%s does not hold", name)
		}
	}
}

// A level's plans (incoming, reorder point) show to its location's staff: the
// staff of its municipality, and at a facility's own store room that facility's
// staff; not to shoppers, anonymous callers or other municipalities' staff. For
// every location and user, the rule is SeesStockAt's.
func TestPlansVisibleTo(t *testing.T) {
	home, away := tsunagu.MunicipalityID(1), tsunagu.MunicipalityID(2)
	fac, other := tsunagu.FacilityID(7), tsunagu.FacilityID(8)
	shopID := tsunagu.LocationID(12)
	users := map[string]*tsunagu.User{
		"anonymous":    nil,
		"shopper":      {Role: tsunagu.RoleCustomer},
		"admin":        {Role: tsunagu.RoleAdmin},
		"manager":      {Role: tsunagu.RoleManager, MunicipalityID: &home},
		"otherManager": {Role: tsunagu.RoleManager, MunicipalityID: &away},
		"clerk":        {Role: tsunagu.RoleClerk, MunicipalityID: &home, ShopID: &shopID},
		"otherClerk":   {Role: tsunagu.RoleClerk, MunicipalityID: &away},
		"maker":        {Role: tsunagu.RoleFacility, MunicipalityID: &home, FacilityID: &fac},
		"otherMaker":   {Role: tsunagu.RoleFacility, MunicipalityID: &home, FacilityID: &other},
	}
	locations := map[string]*tsunagu.Location{
		"shop":  {ID: shopID, MunicipalityID: home, Kind: tsunagu.LocationShop},
		"store": {ID: 10, MunicipalityID: home, Kind: tsunagu.LocationFacility, FacilityID: &fac},
	}
	want := map[string][]string{
		"shop":  {"admin", "manager", "clerk"},
		"store": {"admin", "manager", "clerk", "maker"},
	}
	for ln, l := range locations {
		level := &tsunagu.StockLevel{LocationID: l.ID, MunicipalityID: l.MunicipalityID, LocationFacilityID: l.FacilityID}
		for un, u := range users {
			got := level.PlansVisibleTo(u)
			if w := slices.Contains(want[ln], un); got != w {
				t.Errorf("%s at the %s: PlansVisibleTo %v, want %v", un, ln, got, w)
			}
			if u != nil && got != u.SeesStockAt(l) {
				t.Errorf("%s at the %s: PlansVisibleTo %v, SeesStockAt %v", un, ln, got, u.SeesStockAt(l))
			}
		}
	}
}
