package graph_test

import (
	"strings"
	"testing"

	"tsunagu/graph/gid"
)

// A product's name reading (kana) is set with createProduct, kept by an
// updateProduct that leaves it out, replaced or removed by one that gives it,
// refused with a clear error when it holds anything but kana, and found by the
// name search.
func TestProductNameReading(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	const create = `mutation($in: CreateProductInput!) { createProduct(input: $in) {
		product { id nameReading } userErrors { code field message } } }`
	const update = `mutation($in: UpdateProductInput!) { updateProduct(input: $in) {
		product { id nameReading } userErrors { code field message } } }`
	type payload struct {
		Product struct {
			ID          string
			NameReading *string
		}
		UserErrors []userError
	}
	var c struct{ CreateProduct payload }
	a.ok("manager", create, map[string]any{"in": with(validProduct(a.homeFac), "nameReading", "ばたーくっきー", "status", "ACTIVE")}, &c)
	id := c.CreateProduct.Product.ID
	if r := c.CreateProduct.Product.NameReading; r == nil || *r != "ばたーくっきー" {
		t.Fatalf("created with reading %v: %+v", r, c.CreateProduct.UserErrors)
	}
	reading := func(in map[string]any) *string {
		t.Helper()
		var u struct{ UpdateProduct payload }
		a.ok("manager", update, map[string]any{"in": in}, &u)
		if len(u.UpdateProduct.UserErrors) > 0 {
			t.Fatalf("userErrors %+v", u.UpdateProduct.UserErrors)
		}
		return u.UpdateProduct.Product.NameReading
	}
	if r := reading(map[string]any{"id": id, "price": 380}); r == nil || *r != "ばたーくっきー" {
		t.Errorf("an update without the reading left %v", r)
	}
	if r := reading(map[string]any{"id": id, "nameReading": "ﾊﾞﾀｰｸｯｷｰ"}); r == nil || *r != "バタークッキー" {
		t.Errorf("replaced by half-width katakana: %v", r)
	}
	var page productPage
	a.ok("", `{ products(filter: {text: "ばたーくっ"}) { edges { node { name } } } }`, nil, &page)
	if len(page.Products.Edges) != 1 {
		t.Errorf("searching by the reading found %v", page.names())
	}
	for name, v := range map[string]string{"ErrKanji": "乳菓子", "ErrLatin": "cookie", "ErrTooLong": strings.Repeat("あ", 101)} {
		t.Run(name, func(t *testing.T) {
			before := a.snapshot()
			errs, gqlCode := a.mutate("manager", "updateProduct", update, map[string]any{"in": map[string]any{"id": id, "nameReading": v}})
			want := "INVALID_INPUT@input.nameReading"
			if name == "ErrTooLong" {
				want = "TOO_LONG@input.nameReading"
			}
			if got := codes(errs); gqlCode != "" || got != want {
				t.Errorf("userErrors %s (GraphQL error %q), want %s", got, gqlCode, want)
			}
			a.unchanged(before)
		})
	}
	if r := reading(map[string]any{"id": id, "nameReading": ""}); r != nil {
		t.Errorf("an empty reading left %q", *r)
	}
}

// A shop's name reading is set with createLocation, kept by an updateLocation that
// leaves it out, removed by an empty one, and refused when it holds anything but
// kana; a clerk gives their own name's reading when they accept their invitation.
// Both are what the POS app shows over the names in its bar.
func TestShopAndClerkNameReadings(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	const create = `mutation($in: CreateLocationInput!) { createLocation(input: $in) {
		location { id nameReading } userErrors { code field message } } }`
	const update = `mutation($in: UpdateLocationInput!) { updateLocation(input: $in) {
		location { id nameReading } userErrors { code field message } } }`
	type payload struct {
		Location struct {
			ID          string
			NameReading *string
		}
		UserErrors []userError
	}
	valid := map[string]any{"municipalityId": a.id(gid.KindMunicipality, int64(a.home.ID)), "kind": "SHOP", "name": "駅前 福祉の店"}
	var c struct{ CreateLocation payload }
	a.ok("manager", create, map[string]any{"in": with(valid, "nameReading", "ｴｷﾏｴ  ふくしのみせ")}, &c)
	shop := c.CreateLocation.Location.ID
	if r := c.CreateLocation.Location.NameReading; r == nil || *r != "エキマエ ふくしのみせ" {
		t.Fatalf("created with reading %v: %+v", r, c.CreateLocation.UserErrors)
	}
	reading := func(in map[string]any) *string {
		t.Helper()
		var u struct{ UpdateLocation payload }
		a.ok("manager", update, map[string]any{"in": in}, &u)
		if len(u.UpdateLocation.UserErrors) > 0 {
			t.Fatalf("userErrors %+v", u.UpdateLocation.UserErrors)
		}
		return u.UpdateLocation.Location.NameReading
	}
	if r := reading(map[string]any{"id": shop, "openingHours": "平日 10:00〜16:00"}); r == nil || *r != "エキマエ ふくしのみせ" {
		t.Errorf("an update without the reading left %v", r)
	}
	for name, c := range map[string]struct {
		query, mutation string
		in              map[string]any
	}{
		"ErrCreateKanji":   {create, "createLocation", with(valid, "nameReading", "駅前")},
		"ErrUpdateLatin":   {update, "updateLocation", map[string]any{"id": shop, "nameReading": "ekimae"}},
		"ErrUpdateTooLong": {update, "updateLocation", map[string]any{"id": shop, "nameReading": strings.Repeat("あ", 101)}},
	} {
		t.Run(name, func(t *testing.T) {
			before := a.snapshot()
			errs, gqlCode := a.mutate("manager", c.mutation, c.query, map[string]any{"in": c.in})
			want := "INVALID_INPUT@input.nameReading"
			if name == "ErrUpdateTooLong" {
				want = "TOO_LONG@input.nameReading"
			}
			if got := codes(errs); gqlCode != "" || got != want {
				t.Errorf("userErrors %s (GraphQL error %q), want %s", got, gqlCode, want)
			}
			a.unchanged(before)
		})
	}

	// A clerk of the new shop joins, with the reading of their name.
	var inv struct {
		InviteStaff struct{ UserErrors []userError }
	}
	a.ok("manager", inviteStaff, map[string]any{"in": map[string]any{"email": "ekimae@example.jp", "role": "CLERK",
		"shopId": shop, "idempotencyKey": key()}}, &inv)
	if len(inv.InviteStaff.UserErrors) > 0 {
		t.Fatalf("inviteStaff: %+v", inv.InviteStaff.UserErrors)
	}
	var token string
	must(t, a.db.SQL().QueryRow(`SELECT payload->>'token' FROM notifications WHERE kind = 'STAFF_INVITATION' AND recipient = $1`,
		"ekimae@example.jp").Scan(&token))
	const accept = `mutation($in: AcceptInvitationInput!) { acceptInvitation(input: $in) {
		token user { name nameReading shop { name nameReading } } userErrors { code field message } } }`
	in := map[string]any{"token": token, "name": "駅前 次郎", "nameReading": "漢字", "password": "a long password of jiro"}
	t.Run("ErrAcceptKanji", func(t *testing.T) {
		before := a.snapshot()
		errs, gqlCode := a.mutate("", "acceptInvitation", accept, map[string]any{"in": in})
		if got := codes(errs); gqlCode != "" || got != "INVALID_INPUT@input.nameReading" {
			t.Errorf("userErrors %s (GraphQL error %q), want INVALID_INPUT@input.nameReading", got, gqlCode)
		}
		a.unchanged(before)
	})
	var acc struct {
		AcceptInvitation struct {
			Token *string
			User  struct {
				Name        string
				NameReading *string
				Shop        struct {
					Name        string
					NameReading *string
				}
			}
			UserErrors []userError
		}
	}
	a.ok("", accept, map[string]any{"in": with(in, "nameReading", "えきまえ じろう")}, &acc)
	u := acc.AcceptInvitation.User
	if acc.AcceptInvitation.Token == nil || u.NameReading == nil || *u.NameReading != "えきまえ じろう" ||
		u.Shop.NameReading == nil || *u.Shop.NameReading != "エキマエ ふくしのみせ" {
		t.Fatalf("accepted: %+v", acc.AcceptInvitation)
	}
	if r := reading(map[string]any{"id": shop, "nameReading": ""}); r != nil {
		t.Errorf("an empty reading left %q", *r)
	}
}
