package graph_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

// A new city joins the network from the API alone (issue 11): the network's admin
// adds the municipality, its partnership with the home city, its city-hall shop
// and invites its manager; the manager, signed in through the invitation's link,
// sets up the shop's receipts and a register, adds a facility and its product,
// puts the product on the shop's shelf and invites a clerk; the clerk opens the
// register and sells, receipt number 1. Each step is one request as a client
// sends it; go test -v logs the sequence.
func TestNewCityFromTheAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	step := func(as, name, query string, in map[string]any, out any) {
		t.Helper()
		t.Logf("%s as %s: %s\n  variables: %v", name, as, query, in)
		r := a.do(as, query, map[string]any{"in": in})
		var payload map[string]struct{ UserErrors []userError }
		if len(r.Errors) > 0 || json.Unmarshal(r.Data, &payload) != nil || len(payload[name].UserErrors) > 0 {
			t.Fatalf("%s: %+v %s", name, r.Errors, codes(payload[name].UserErrors))
		}
		if out != nil {
			must(t, json.Unmarshal(r.Data, out))
		}
	}
	type idOut struct{ ID string }
	digit, err := tsunagu.MunicipalityCheckDigit("27100")
	must(t, err)

	var m struct{ CreateMunicipality struct{ Municipality idOut } }
	step("admin", "createMunicipality", `mutation($in: CreateMunicipalityInput!) { createMunicipality(input: $in) {
		municipality { id } userErrors { code field message } } }`,
		map[string]any{"code": "27100" + strconv.Itoa(digit), "name": "大阪市", "nameKana": "おおさかし", "nameEn": "Osaka City", "prefecture": "大阪府"}, &m)
	city := m.CreateMunicipality.Municipality.ID
	step("admin", "createPartnership", `mutation($in: CreatePartnershipInput!) { createPartnership(input: $in) {
		partnership { id } userErrors { code field message } } }`,
		map[string]any{"municipalityA": a.id(gid.KindMunicipality, int64(a.home.ID)), "municipalityB": city}, nil)
	var l struct{ CreateLocation struct{ Location idOut } }
	step("admin", "createLocation", `mutation($in: CreateLocationInput!) { createLocation(input: $in) {
		location { id } userErrors { code field message } } }`,
		map[string]any{"municipalityId": city, "kind": "SHOP", "name": "大阪市役所 ふくしの店", "address": "大阪市北区中之島1-3-20"}, &l)
	shop := l.CreateLocation.Location.ID

	// invite sends an invitation as inviter and signs the invited account in
	// through the link that reached its address; it returns the account's name
	// in a.tokens.
	invite := func(inviter, name, email string, in map[string]any) {
		t.Helper()
		in["email"], in["idempotencyKey"] = email, "invite-"+email
		step(inviter, "inviteStaff", `mutation($in: InviteStaffInput!) { inviteStaff(input: $in) {
			invitation { email } userErrors { code field message } } }`, in, nil)
		var token string
		must(t, a.db.SQL().QueryRow(`SELECT payload->>'token' FROM notifications WHERE kind = 'STAFF_INVITATION' AND recipient = $1`,
			email).Scan(&token))
		var s struct{ AcceptInvitation struct{ Token *string } }
		step("", "acceptInvitation", `mutation($in: AcceptInvitationInput!) { acceptInvitation(input: $in) {
			token userErrors { code field message } } }`,
			map[string]any{"token": token, "name": name, "password": "a long password of " + name}, &s)
		if s.AcceptInvitation.Token == nil {
			t.Fatalf("%s accepted the invitation without a session", email)
		}
		a.tokens[name] = *s.AcceptInvitation.Token
	}
	invite("admin", "osakaManager", "manager@osaka.example", map[string]any{"role": "MANAGER", "municipalityId": city})

	step("osakaManager", "updateShop", `mutation($in: UpdateShopInput!) { updateShop(input: $in) {
		shop { operatorName } userErrors { code field message } } }`,
		map[string]any{"shopId": shop, "operatorName": "大阪市", "rounding": "DOWN"}, nil)
	var r struct{ CreateRegister struct{ Register idOut } }
	step("osakaManager", "createRegister", `mutation($in: CreateRegisterInput!) { createRegister(input: $in) {
		register { id } userErrors { code field message } } }`, map[string]any{"shopId": shop, "name": "レジ1"}, &r)
	var f struct{ CreateFacility struct{ Facility idOut } }
	step("osakaManager", "createFacility", `mutation($in: CreateFacilityInput!) { createFacility(input: $in) {
		facility { id } userErrors { code field message } } }`,
		map[string]any{"municipalityId": city, "name": "なにわ工房", "kind": "EMPLOYMENT_SUPPORT_B", "corporation": "社会福祉法人なにわ"}, &f)
	var p struct{ CreateProduct struct{ Product idOut } }
	step("osakaManager", "createProduct", `mutation($in: CreateProductInput!) { createProduct(input: $in) {
		product { id } userErrors { code field message } } }`,
		map[string]any{"facilityId": f.CreateFacility.Facility.ID, "translations": []map[string]any{{"locale": "JA", "name": "布のコースター"}},
			"category": "TEXTILE", "price": 500, "taxClass": "STANDARD_10", "status": "ACTIVE"}, &p)
	product := p.CreateProduct.Product.ID
	step("osakaManager", "adjustStock", `mutation($in: AdjustStockInput!) { adjustStock(input: $in) {
		userErrors { code field message } } }`,
		map[string]any{"locationId": shop, "productId": product, "quantity": 10, "reason": "PRODUCTION", "idempotencyKey": "shelf-1"}, nil)
	invite("osakaManager", "osakaClerk", "clerk@osaka.example", map[string]any{"role": "CLERK", "shopId": shop})

	var s struct{ OpenRegisterSession struct{ Session idOut } }
	step("osakaClerk", "openRegisterSession", `mutation($in: OpenRegisterSessionInput!) { openRegisterSession(input: $in) {
		session { id } userErrors { code field message } } }`,
		map[string]any{"registerId": r.CreateRegister.Register.ID, "openingFloat": 10000, "idempotencyKey": "open-1"}, &s)
	var sale struct {
		CreateSale struct {
			Sale struct {
				ReceiptNumber int
				Total         int
			}
		}
	}
	step("osakaClerk", "createSale", `mutation($in: CreateSaleInput!) { createSale(input: $in) {
		sale { receiptNumber total } userErrors { code field message } } }`,
		map[string]any{"sessionId": s.OpenRegisterSession.Session.ID, "lines": []map[string]any{{"productId": product, "quantity": 2}},
			"payments": []map[string]any{{"method": "CASH", "amount": 1000, "tendered": 1000}}, "idempotencyKey": "sale-1"}, &sale)
	if got := fmt.Sprint(sale.CreateSale.Sale); got != "{1 1000}" {
		t.Errorf("the new city's first sale: %s, want receipt 1 of ¥1,000", got)
	}
}
