package graph_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

const (
	createMunicipality = `mutation($in: CreateMunicipalityInput!) { createMunicipality(input: $in) {
		municipality { id code name nameKana nameEn prefecture contact { person phone email address } }
		userErrors { code field message } } }`
	updateMunicipality = `mutation($in: UpdateMunicipalityInput!) { updateMunicipality(input: $in) {
		municipality { id code name nameKana nameEn prefecture contact { person phone email address } }
		userErrors { code field message } } }`
	createPartnership = `mutation($in: CreatePartnershipInput!) { createPartnership(input: $in) {
		partnership { id municipalityA { code } municipalityB { code } startsOn endsOn }
		userErrors { code field message } } }`
	endPartnership = `mutation($in: EndPartnershipInput!) { endPartnership(input: $in) {
		partnership { id startsOn endsOn } userErrors { code field message } } }`
)

var admins = []string{"admin"}

// municipalityCodes hands out fresh, valid codes of Tokyo (13…).
var municipalityCodes atomic.Int64

func freshMunicipalityCode(t testing.TB) string {
	code5 := fmt.Sprintf("13%03d", 500+municipalityCodes.Add(1))
	d, err := tsunagu.MunicipalityCheckDigit(code5)
	must(t, err)
	return code5 + fmt.Sprint(d)
}

// municipality makes a municipality of Tokyo with a fresh code, as an admin.
func (a *api) municipality() *tsunagu.Municipality {
	a.t.Helper()
	m := &tsunagu.Municipality{Code: freshMunicipalityCode(a.t), Name: "新しい町" + key()[:4], Prefecture: "東京都"}
	must(a.t, a.catalog.CreateMunicipality(a.adminCtx(), m))
	return m
}

func japanDay(offset int) string {
	return tsunagu.JapanToday(time.Now()).AddDate(0, 0, offset).Format(time.DateOnly)
}

func init() {
	authzMatrix["createMunicipality"] = authzCase{createMunicipality, admins, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"code": freshMunicipalityCode(a.t), "name": "新町", "prefecture": "東京都"}}
	}}
	authzMatrix["updateMunicipality"] = authzCase{updateMunicipality, admins, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"id": a.id(gid.KindMunicipality, int64(a.partner.ID)), "nameEn": "Asahikawa " + key()[:4]}}
	}}
	authzMatrix["createPartnership"] = authzCase{createPartnership, admins, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"municipalityA": a.id(gid.KindMunicipality, int64(a.home.ID)),
			"municipalityB": a.id(gid.KindMunicipality, int64(a.municipality().ID))}}
	}}
	authzMatrix["endPartnership"] = authzCase{endPartnership, admins, func(a *api) map[string]any {
		p, err := a.catalog.CreatePartnership(a.adminCtx(), tsunagu.CreatePartnershipInput{
			MunicipalityA: a.home.ID, MunicipalityB: a.municipality().ID, From: ptr(japanDay(-1))})
		must(a.t, err)
		return map[string]any{"in": map[string]any{"partnershipId": a.id(gid.KindPartnership, int64(p.ID)), "on": japanDay(0)}}
	}}
	for _, m := range []string{"createMunicipality", "updateMunicipality", "createPartnership", "endPartnership"} {
		auditedMutations[m] = true
	}
}

// Bad input to the municipality mutations gets its code and changes nothing.
func TestMunicipalityErrors(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	valid := map[string]any{"code": freshMunicipalityCode(t), "name": "新町", "prefecture": "東京都"}
	for _, c := range []struct {
		name, query, mutation string
		in                    map[string]any
		code, field           string
	}{
		{"ErrCheckDigit", createMunicipality, "createMunicipality", with(valid, "code", "131035"), "INVALID_MUNICIPALITY_CODE", "input.code"},
		{"ErrFiveDigits", createMunicipality, "createMunicipality", with(valid, "code", "13103"), "INVALID_MUNICIPALITY_CODE", "input.code"},
		{"ErrPrefectureOfCode", createMunicipality, "createMunicipality", with(valid, "prefecture", "北海道"), "INVALID_INPUT", "input.prefecture"},
		{"ErrNoName", createMunicipality, "createMunicipality", with(valid, "name", " "), "REQUIRED", "input.name"},
		{"ErrContactEmail", createMunicipality, "createMunicipality", with(valid, "contact", map[string]any{"email": "nope"}), "INVALID_EMAIL", "input.contact.email"},
		{"ErrDuplicate", createMunicipality, "createMunicipality", with(valid, "code", a.partner.Code, "prefecture", "北海道"), "DUPLICATE", "input.code"},
		{"ErrUpdateCheckDigit", updateMunicipality, "updateMunicipality",
			map[string]any{"id": a.id(gid.KindMunicipality, int64(a.partner.ID)), "code": "012042"}, "INVALID_MUNICIPALITY_CODE", "input.code"},
		{"ErrUpdateDuplicate", updateMunicipality, "updateMunicipality",
			map[string]any{"id": a.id(gid.KindMunicipality, int64(a.partner.ID)), "code": a.home.Code, "prefecture": "東京都"}, "DUPLICATE", "input.code"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := a.snapshot()
			errs, code := a.mutate("admin", c.mutation, c.query, map[string]any{"in": c.in})
			if code != "" || len(errs) == 0 || errs[0].Code != c.code || errs[0].Field == nil || *errs[0].Field != c.field {
				t.Fatalf("got %q %+v, want %s at %s", code, errs, c.code, c.field)
			}
			a.unchanged(before)
		})
	}
}

// updateMunicipality keeps the fields left out.
func TestUpdateMunicipalityKeepsFieldsLeftOut(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var created struct {
		CreateMunicipality struct {
			Municipality struct{ ID string }
		}
	}
	a.ok("admin", createMunicipality, map[string]any{"in": map[string]any{"code": "011002", "name": "札幌市",
		"nameKana": "さっぽろし", "nameEn": "Sapporo", "prefecture": "北海道",
		"contact": map[string]any{"person": "福祉課", "phone": "011-211-2111", "email": "Fukushi@City.Sapporo.jp"}}}, &created)
	var got struct {
		UpdateMunicipality struct {
			Municipality struct {
				Code, Name, NameKana, NameEn, Prefecture string
				Contact                                  struct{ Person, Phone, Email, Address string }
			}
			UserErrors []userError
		}
	}
	a.ok("admin", updateMunicipality, map[string]any{"in": map[string]any{"id": created.CreateMunicipality.Municipality.ID,
		"nameEn": "Sapporo City"}}, &got)
	m := got.UpdateMunicipality.Municipality
	if len(got.UpdateMunicipality.UserErrors) > 0 || m.Code != "011002" || m.Name != "札幌市" || m.NameKana != "さっぽろし" ||
		m.NameEn != "Sapporo City" || m.Prefecture != "北海道" || m.Contact.Person != "福祉課" || m.Contact.Email != "Fukushi@city.sapporo.jp" {
		t.Errorf("after update: %+v", got.UpdateMunicipality)
	}
}

// Partnerships overlap nowhere; ending one is refused twice, in the past and with
// a bad date; each refusal changes nothing. Ended and begun again, it is two rows.
func TestPartnershipRules(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := a.municipality()
	mID, homeID := a.id(gid.KindMunicipality, int64(m.ID)), a.id(gid.KindMunicipality, int64(a.home.ID))
	var made struct {
		CreatePartnership struct {
			Partnership struct {
				ID, StartsOn  string
				EndsOn        *string
				MunicipalityA struct{ Code string }
			}
		}
	}
	a.ok("admin", createPartnership, map[string]any{"in": map[string]any{"municipalityA": mID, "municipalityB": homeID, "from": japanDay(-10)}}, &made)
	p := made.CreatePartnership.Partnership
	if p.StartsOn != japanDay(-10) || p.EndsOn != nil || p.MunicipalityA.Code != a.home.Code {
		t.Fatalf("created %+v", p)
	}
	// The municipality's partnerships that have not ended, by ID.
	listed := func() []string {
		t.Helper()
		var d struct {
			Node struct{ Partnerships []struct{ ID string } }
		}
		a.ok("", `query($id: ID!) { node(id: $id) { ... on Municipality { partnerships { id } } } }`, map[string]any{"id": mID}, &d)
		ids := []string{}
		for _, p := range d.Node.Partnerships {
			ids = append(ids, p.ID)
		}
		return ids
	}
	if got := listed(); len(got) != 1 || got[0] != p.ID {
		t.Errorf("partnerships listed %v, want the one made", got)
	}
	refused := func(name, query, mutation string, in map[string]any, want string) {
		t.Helper()
		before := a.snapshot()
		errs, code := a.mutate("admin", mutation, query, map[string]any{"in": in})
		if code != "" || len(errs) != 1 || errs[0].Code != want {
			t.Errorf("%s: %q %+v, want %s", name, code, errs, want)
		}
		a.unchanged(before)
	}
	refused("ErrOverlapLater", createPartnership, "createPartnership",
		map[string]any{"municipalityA": homeID, "municipalityB": mID, "from": japanDay(30)}, "PARTNERSHIP_OVERLAP")
	refused("ErrOverlapEarlier", createPartnership, "createPartnership",
		map[string]any{"municipalityA": homeID, "municipalityB": mID, "from": japanDay(-40)}, "PARTNERSHIP_OVERLAP")
	refused("ErrWithItself", createPartnership, "createPartnership",
		map[string]any{"municipalityA": homeID, "municipalityB": homeID}, "INVALID_INPUT")
	refused("ErrBadDate", createPartnership, "createPartnership",
		map[string]any{"municipalityA": homeID, "municipalityB": mID, "from": "2026-02-30"}, "INVALID_INPUT")
	refused("ErrEndInPast", endPartnership, "endPartnership", map[string]any{"partnershipId": p.ID, "on": japanDay(-1)}, "INVALID_INPUT")

	a.ok("admin", endPartnership, map[string]any{"in": map[string]any{"partnershipId": p.ID, "on": japanDay(0)}}, nil)
	if got := listed(); len(got) != 0 {
		t.Errorf("partnerships listed %v after the end, want none", got)
	}
	refused("ErrEndedAlready", endPartnership, "endPartnership", map[string]any{"partnershipId": p.ID, "on": japanDay(1)}, "INVALID_STATE")
	// The history's two periods touch but do not overlap.
	a.ok("admin", createPartnership, map[string]any{"in": map[string]any{"municipalityA": homeID, "municipalityB": mID}}, nil)
	var rows int
	must(t, a.db.SQL().QueryRow(`SELECT count(*) FROM partnerships WHERE $1 IN (municipality_a, municipality_b)`, m.ID).Scan(&rows))
	if rows != 2 {
		t.Errorf("%d partnership rows, want 2 (history kept)", rows)
	}
	if got := listed(); len(got) != 1 || got[0] == p.ID {
		t.Errorf("partnerships listed %v, want the new one only", got)
	}
}

// A municipality's goods are at a partner shop's counter (the clerk's scanner and
// catalog, sales, online orders) and can be sent there exactly while their
// partnership holds, and the
// municipality is among the shop's municipality's partners then; goods already at
// the shop stay there, accounted, when it ends.
func TestPartnershipDecidesWhatAShopCarries(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	m := a.municipality()
	fac, err := a.catalog.CreateFacility(a.adminCtx(), tsunagu.CreateFacilityInput{MunicipalityID: m.ID,
		Name: "遠くの工房", Kind: tsunagu.FacilityOther, Corporation: "NPO法人とおく"})
	must(t, err)
	code := "4901234567894"
	p := a.product(fac, "遠くの品", tsunagu.StatusActive, func(in *tsunagu.CreateProductInput) { in.Code = &code })
	// Goods found at the shop (as if shipped there under an earlier partnership).
	_, err = a.stock.AdjustStock(a.ctxs["admin"], tsunagu.AdjustStockInput{LocationID: a.homeShop.ID, ProductID: p.ID,
		Quantity: 5, Reason: tsunagu.ReasonCountCorrection, IdempotencyKey: key()})
	must(t, err)
	pID := a.id(gid.KindProduct, int64(p.ID))
	// And more of it at its own municipality's warehouse, to send to the shop.
	wh := &tsunagu.Location{MunicipalityID: m.ID, Kind: tsunagu.LocationWarehouse, Name: "遠くの倉庫"}
	must(t, a.catalog.CreateLocation(a.adminCtx(), wh))
	_, err = a.stock.AdjustStock(a.ctxs["admin"], tsunagu.AdjustStockInput{LocationID: wh.ID, ProductID: p.ID,
		Quantity: 50, Reason: tsunagu.ReasonProduction, IdempotencyKey: key()})
	must(t, err)

	carried := func(want bool) {
		t.Helper()
		var byCode struct{ ProductByCode *struct{ ID string } }
		a.ok("clerk", `query($c: String!) { productByCode(code: $c) { id } }`, map[string]any{"c": code}, &byCode)
		var list struct {
			Products struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		a.ok("clerk", `query($m: ID) { products(filter: {municipalityId: $m}) { edges { node { id } } } }`,
			map[string]any{"m": a.id(gid.KindMunicipality, int64(m.ID))}, &list)
		var partners struct {
			Node struct{ Partners []struct{ Code string } }
		}
		a.ok("", `query($id: ID!) { node(id: $id) { ... on Municipality { partners { code } } } }`,
			map[string]any{"id": a.id(gid.KindMunicipality, int64(a.home.ID))}, &partners)
		isPartner := false
		for _, pa := range partners.Node.Partners {
			isPartner = isPartner || pa.Code == m.Code
		}
		if (byCode.ProductByCode != nil) != want || (len(list.Products.Edges) == 1) != want || isPartner != want {
			t.Errorf("carried %v: scanner %v, catalog %d products, partner %v", want, byCode.ProductByCode, len(list.Products.Edges), isPartner)
		}
		// Selling it at the shop and sending it there both follow the partnership;
		// refused, they change nothing.
		mutateCarried := func(as, name, query string, in map[string]any) {
			t.Helper()
			before := a.snapshot()
			errs, gqlCode := a.mutate(as, name, query, map[string]any{"in": in})
			switch {
			case gqlCode != "":
				t.Errorf("%s: %s", name, gqlCode)
			case want && len(errs) > 0:
				t.Errorf("%s while carried: %+v", name, errs)
			case !want && (len(errs) != 1 || errs[0].Code != "NOT_CARRIED"):
				t.Errorf("%s while not carried: %+v, want NOT_CARRIED", name, errs)
			case !want:
				a.unchanged(before)
			}
		}
		mutateCarried("clerk", "createSale", createSale, saleInput(a, a.session(), p, 1))
		mutateCarried("manager", "requestTransfer", requestTransfer, map[string]any{
			"fromLocationId": a.id(gid.KindLocation, int64(wh.ID)), "toLocationId": a.id(gid.KindLocation, int64(a.homeShop.ID)),
			"lines": []map[string]any{{"productId": pID, "quantity": 1}}, "idempotencyKey": key()})
		// Managers and admins still find it, to send it home.
		var byID struct{ Product *struct{ ID string } }
		a.ok("manager", `query($id: ID!) { product(id: $id) { id } }`, map[string]any{"id": pID}, &byID)
		if byID.Product == nil {
			t.Error("the manager cannot find the product")
		}
	}
	carried(false)
	part, err := a.catalog.CreatePartnership(a.adminCtx(), tsunagu.CreatePartnershipInput{
		MunicipalityA: a.home.ID, MunicipalityB: m.ID, From: ptr(japanDay(-1))})
	must(t, err)
	carried(true)
	_, err = a.catalog.EndPartnership(a.adminCtx(), tsunagu.EndPartnershipInput{ID: part.ID, On: japanDay(0)})
	must(t, err)
	carried(false)
	// What the shop holds stays on its books: one was sold, four are on hand.
	var onHand int
	must(t, a.db.SQL().QueryRow(`SELECT on_hand FROM stock_levels WHERE product_id = $1 AND location_id = $2`, p.ID, a.homeShop.ID).Scan(&onHand))
	if onHand != 4 {
		t.Errorf("on hand %d, want 4", onHand)
	}
	// A partnership that begins tomorrow does not hold yet.
	_, err = a.catalog.CreatePartnership(a.adminCtx(), tsunagu.CreatePartnershipInput{
		MunicipalityA: a.home.ID, MunicipalityB: m.ID, From: ptr(japanDay(1))})
	must(t, err)
	carried(false)
}
