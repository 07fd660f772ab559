package graph_test

import (
	"fmt"
	"testing"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

type productPage struct {
	Products struct {
		Edges []struct {
			Cursor string
			Node   struct {
				ID, Name, Status string
				Facility         struct{ Name string }
				Municipality     struct{ Code string }
			}
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
}

func (p productPage) names() []string {
	out := []string{}
	for _, e := range p.Products.Edges {
		out = append(out, e.Node.Name)
	}
	return out
}

const productsQuery = `query($f: ProductFilter, $first: Int, $after: String, $locale: Locale, $order: ProductOrder) {
	products(filter: $f, first: $first, after: $after, locale: $locale, orderBy: $order) {
		edges { cursor node { id name status facility { name } municipality { code } } }
		pageInfo { hasNextPage endCursor }
	}
}`

func TestProductsVisibility(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.product(a.homeFac, "ホームの有効", tsunagu.StatusActive)
	a.product(a.homeFac, "ホームの下書き", tsunagu.StatusDraft)
	a.product(a.partnerFac, "相手の有効", tsunagu.StatusActive)
	a.product(a.partnerFac, "相手の下書き", tsunagu.StatusDraft)

	for _, tc := range []struct {
		as   string
		want string
	}{
		{"", "[ホームの有効 相手の有効]"},
		{"clerk", "[ホームの有効 相手の有効]"},
		{"manager", "[ホームの有効 ホームの下書き 相手の有効]"},
		{"otherManager", "[ホームの有効 相手の有効 相手の下書き]"},
		{"admin", "[ホームの有効 ホームの下書き 相手の有効 相手の下書き]"},
	} {
		t.Run("as "+tc.as, func(t *testing.T) {
			var p productPage
			a.ok(tc.as, productsQuery, nil, &p)
			if got := fmt.Sprint(p.names()); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("StatusFilterCannotReveal", func(t *testing.T) {
		var p productPage
		a.ok("", productsQuery, map[string]any{"f": map[string]any{"status": "DRAFT"}}, &p)
		if len(p.Products.Edges) != 0 {
			t.Errorf("anonymous asked for drafts and saw %v", p.names())
		}
	})
}

func TestProductsFilters(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	active := tsunagu.StatusActive
	a.product(a.homeFac, "クッキー", active, func(in *tsunagu.CreateProductInput) {
		in.Allergens = []tsunagu.Allergen{tsunagu.AllergenWheat, tsunagu.AllergenEgg}
		in.Translations = append(in.Translations, tsunagu.TranslationInput{Locale: tsunagu.LocaleEN, Name: "Butter Cookies"})
	})
	a.product(a.homeFac, "くるみぱん", active, func(in *tsunagu.CreateProductInput) {
		in.Category = tsunagu.CategoryBakery
		in.Allergens = []tsunagu.Allergen{tsunagu.AllergenWalnut, tsunagu.AllergenWheat}
	})
	a.product(a.partnerFac, "木のスプーン", active, func(in *tsunagu.CreateProductInput) {
		in.Category, in.TaxClass, in.Price = tsunagu.CategoryCraft, tsunagu.TaxStandard10, 1200
	})
	a.product(a.partnerFac, "ＴＥＡ ｾｯﾄ 50%", active, func(in *tsunagu.CreateProductInput) {
		in.Category = tsunagu.CategoryBeverage
	})
	homeID := gid.Encode(gid.KindMunicipality, int64(a.home.ID))
	facID := gid.Encode(gid.KindFacility, int64(a.partnerFac.ID))

	for _, tc := range []struct {
		name   string
		filter map[string]any
		want   string
	}{
		{"Municipality", map[string]any{"municipalityId": homeID}, "[クッキー くるみぱん]"},
		{"Facility", map[string]any{"facilityId": facID}, "[木のスプーン ＴＥＡ ｾｯﾄ 50%]"},
		{"Category", map[string]any{"category": "BAKERY"}, "[くるみぱん]"},
		{"FreeOfWheat", map[string]any{"freeOf": []string{"WHEAT"}}, "[木のスプーン ＴＥＡ ｾｯﾄ 50%]"},
		{"FreeOfWalnut", map[string]any{"freeOf": []string{"WALNUT"}}, "[クッキー 木のスプーン ＴＥＡ ｾｯﾄ 50%]"},
		{"TextHiraganaFindsKatakana", map[string]any{"text": "くっきー"}, "[クッキー]"},
		{"TextHalfWidthKatakana", map[string]any{"text": "ｸｯｷｰ"}, "[クッキー]"},
		{"TextKatakanaFindsHiragana", map[string]any{"text": "クルミ"}, "[くるみぱん]"},
		{"TextEnglishAnyCase", map[string]any{"text": "butter"}, "[クッキー]"},
		{"TextFullWidthLatin", map[string]any{"text": "tea"}, "[ＴＥＡ ｾｯﾄ 50%]"},
		{"TextWildcardIsLiteral", map[string]any{"text": "%"}, "[ＴＥＡ ｾｯﾄ 50%]"},
		{"TextAndMunicipality", map[string]any{"text": "スプーン", "municipalityId": homeID}, "[]"},
		{"Nothing", map[string]any{"text": "存在しない"}, "[]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p productPage
			a.ok("", productsQuery, map[string]any{"f": tc.filter}, &p)
			if got := fmt.Sprint(p.names()); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestProductsPagination(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for i := range 7 {
		a.product(a.homeFac, fmt.Sprintf("商品%d", i), tsunagu.StatusActive)
	}
	var seen []string
	var after any
	for page := 0; ; page++ {
		var p productPage
		a.ok("", productsQuery, map[string]any{"first": 3, "after": after}, &p)
		seen = append(seen, p.names()...)
		if !p.Products.PageInfo.HasNextPage {
			if page != 2 {
				t.Errorf("expected 3 pages, got %d", page+1)
			}
			break
		}
		after = *p.Products.PageInfo.EndCursor
	}
	if got := fmt.Sprint(seen); got != "[商品0 商品1 商品2 商品3 商品4 商品5 商品6]" {
		t.Errorf("pages gave %s", got)
	}

	t.Run("ErrFirstTooLarge", func(t *testing.T) {
		r := a.do("", productsQuery, map[string]any{"first": 101})
		if r.code() != "OUT_OF_RANGE" {
			t.Errorf("code %q, want OUT_OF_RANGE", r.code())
		}
	})
	t.Run("ErrFirstNegative", func(t *testing.T) {
		r := a.do("", productsQuery, map[string]any{"first": -1})
		if r.code() != "OUT_OF_RANGE" {
			t.Errorf("code %q, want OUT_OF_RANGE", r.code())
		}
	})
	t.Run("ErrBadCursor", func(t *testing.T) {
		r := a.do("", productsQuery, map[string]any{"after": "not-a-cursor"})
		if r.code() != "INVALID_INPUT" {
			t.Errorf("code %q, want INVALID_INPUT", r.code())
		}
	})
}

func TestProductLocale(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	p := a.product(a.homeFac, "手織りコースター", tsunagu.StatusActive, func(in *tsunagu.CreateProductInput) {
		in.Translations = append(in.Translations,
			tsunagu.TranslationInput{Locale: tsunagu.LocaleEN, Name: "Hand-woven coaster", Description: "Cotton"},
			tsunagu.TranslationInput{Locale: tsunagu.LocaleJAEasy, Name: "てで おった コースター"})
	})
	id := gid.Encode(gid.KindProduct, int64(p.ID))
	q := `query($id: ID!, $l: Locale) { product(id: $id, locale: $l) { name description translations { locale name } } }`
	for _, tc := range []struct{ locale, want string }{
		{"JA", "手織りコースター"}, {"EN", "Hand-woven coaster"}, {"JA_X_EASY", "てで おった コースター"},
		{"KO", "手織りコースター"}, // no Korean name: Japanese
	} {
		var out struct{ Product struct{ Name string } }
		a.ok("", q, map[string]any{"id": id, "l": tc.locale}, &out)
		if out.Product.Name != tc.want {
			t.Errorf("%s: name %q, want %q", tc.locale, out.Product.Name, tc.want)
		}
	}
}

func TestProductByCodeAndNode(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	active := a.product(a.homeFac, "瓶入りジャム", tsunagu.StatusActive, func(in *tsunagu.CreateProductInput) {
		in.Code = ptr("4901234567894")
	})
	draft := a.product(a.homeFac, "試作品", tsunagu.StatusDraft, func(in *tsunagu.CreateProductInput) {
		in.Code = ptr("2000000000008")
	})
	q := `query($c: String!) { productByCode(code: $c) { name } }`
	t.Run("Found", func(t *testing.T) {
		var out struct{ ProductByCode *struct{ Name string } }
		a.ok("clerk", q, map[string]any{"c": "4901234567894"}, &out)
		if out.ProductByCode == nil || out.ProductByCode.Name != "瓶入りジャム" {
			t.Errorf("got %+v", out.ProductByCode)
		}
	})
	t.Run("FullWidthDigitsFromAScanner", func(t *testing.T) {
		var out struct{ ProductByCode *struct{ Name string } }
		a.ok("clerk", q, map[string]any{"c": "４９０１２３４５６７８９４"}, &out)
		if out.ProductByCode == nil {
			t.Error("not found")
		}
	})
	t.Run("DraftHiddenFromClerk", func(t *testing.T) {
		var out struct{ ProductByCode *struct{ Name string } }
		a.ok("clerk", q, map[string]any{"c": "2000000000008"}, &out)
		if out.ProductByCode != nil {
			t.Errorf("clerk found a draft: %+v", out.ProductByCode)
		}
	})
	t.Run("ErrBadCheckDigit", func(t *testing.T) {
		r := a.do("clerk", q, map[string]any{"c": "4901234567895"})
		if r.code() != "INVALID_JAN" {
			t.Errorf("code %q, want INVALID_JAN", r.code())
		}
	})

	nodeQ := `query($id: ID!) { node(id: $id) { __typename id ... on Product { name } ... on Municipality { code }
		... on Facility { name } ... on Location { name } ... on User { email } } }`
	for _, tc := range []struct {
		name, as, id, wantType string
	}{
		{"Product", "", gid.Encode(gid.KindProduct, int64(active.ID)), "Product"},
		{"DraftHidden", "", gid.Encode(gid.KindProduct, int64(draft.ID)), ""},
		{"DraftToOwnManager", "manager", gid.Encode(gid.KindProduct, int64(draft.ID)), "Product"},
		{"DraftHiddenFromClerk", "clerk", gid.Encode(gid.KindProduct, int64(draft.ID)), ""},
		{"DraftHiddenFromOtherManager", "otherManager", gid.Encode(gid.KindProduct, int64(draft.ID)), ""},
		{"DraftToAdmin", "admin", gid.Encode(gid.KindProduct, int64(draft.ID)), "Product"},
		{"Municipality", "", gid.Encode(gid.KindMunicipality, int64(a.home.ID)), "Municipality"},
		{"Facility", "", gid.Encode(gid.KindFacility, int64(a.homeFac.ID)), "Facility"},
		{"Location", "", gid.Encode(gid.KindLocation, int64(a.homeShop.ID)), "Location"},
		{"UserHiddenFromAnonymous", "", gid.Encode(gid.KindUser, 1), ""},
		{"UnknownID", "", gid.Encode(gid.KindProduct, 999999), ""},
		{"Garbage", "", "!!!", ""},
		{"UnknownKind", "", gid.Encode("Spaceship", 1), ""},
	} {
		t.Run("Node"+tc.name, func(t *testing.T) {
			var out struct {
				Node *struct {
					Typename string `json:"__typename"`
					ID       string
				}
			}
			a.ok(tc.as, nodeQ, map[string]any{"id": tc.id}, &out)
			switch {
			case tc.wantType == "" && out.Node != nil:
				t.Errorf("got %+v, want null", out.Node)
			case tc.wantType != "" && (out.Node == nil || out.Node.Typename != tc.wantType || out.Node.ID != tc.id):
				t.Errorf("got %+v, want a %s with id %s", out.Node, tc.wantType, tc.id)
			}
		})
	}
}

func TestCatalogLists(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var out struct {
		Municipalities struct {
			Edges []struct {
				Node struct {
					Code, Name string
					IsHome     bool
					Partners   []struct{ Code string }
					Facilities struct {
						Edges []struct{ Node struct{ Name string } }
					}
					Locations struct {
						Edges []struct{ Node struct{ Name, Kind string } }
					}
				}
			}
		}
		Facilities struct {
			Edges []struct {
				Node struct {
					Name                     string
					RegistrationNumber       *string
					IsQualifiedInvoiceIssuer bool
					Municipality             struct{ Code string }
				}
			}
		}
		Allergens []struct {
			Allergen  string
			Mandatory bool
		}
	}
	a.ok("", `{
		municipalities { edges { node { code name isHome partners { code }
			facilities { edges { node { name } } } locations { edges { node { name kind } } } } } }
		facilities(filter: {kind: EMPLOYMENT_SUPPORT_B}) { edges { node { name registrationNumber isQualifiedInvoiceIssuer municipality { code } } } }
		allergens { allergen mandatory }
	}`, nil, &out)
	ms := out.Municipalities.Edges
	if len(ms) != 2 || ms[0].Node.Code != "131032" || !ms[0].Node.IsHome || ms[1].Node.IsHome {
		t.Fatalf("municipalities: %+v", ms)
	}
	if len(ms[0].Node.Partners) != 1 || ms[0].Node.Partners[0].Code != "012041" {
		t.Errorf("partners of home: %+v", ms[0].Node.Partners)
	}
	if len(ms[0].Node.Facilities.Edges) != 1 || len(ms[0].Node.Locations.Edges) != 2 {
		t.Errorf("home's facilities and locations: %+v", ms[0].Node)
	}
	fs := out.Facilities.Edges
	if len(fs) != 1 || fs[0].Node.Name != "ワークショップ虹" || !fs[0].Node.IsQualifiedInvoiceIssuer ||
		fs[0].Node.Municipality.Code != "131032" {
		t.Errorf("facilities of kind B: %+v", fs)
	}
	mandatory := 0
	for _, al := range out.Allergens {
		if al.Mandatory {
			mandatory++
		}
	}
	if mandatory != 8 {
		t.Errorf("%d mandatory allergens, want 8", mandatory)
	}
}
