package graph_test

import (
	"strings"
	"testing"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

const createFacility = `mutation($in: CreateFacilityInput!) { createFacility(input: $in) {
	facility { id name registrationNumber isQualifiedInvoiceIssuer contact { email } }
	userErrors { code field message } } }`

const updateFacility = `mutation($in: UpdateFacilityInput!) { updateFacility(input: $in) {
	facility { id name registrationNumber isQualifiedInvoiceIssuer contact { email phone } }
	userErrors { code field message } } }`

const createProduct = `mutation($in: CreateProductInput!) { createProduct(input: $in) {
	product { id name status code codeKind price taxRate allergens }
	userErrors { code field message } } }`

const updateProduct = `mutation($in: UpdateProductInput!) { updateProduct(input: $in) {
	product { id name status code price }
	userErrors { code field message } } }`

const archiveProduct = `mutation($in: ArchiveProductInput!) { archiveProduct(input: $in) {
	product { id status } userErrors { code field message } } }`

func validProduct(f *tsunagu.Facility) map[string]any {
	return map[string]any{
		"facilityId":   gid.Encode(gid.KindFacility, int64(f.ID)),
		"translations": []map[string]any{{"locale": "JA", "name": "バタークッキー"}, {"locale": "EN", "name": "Butter cookies"}},
		"category":     "SWEETS",
		"code":         "4512345678906",
		"price":        350,
		"taxClass":     "REDUCED_8",
		"allergens":    []string{"MILK", "WHEAT", "EGG", "WHEAT"},
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

func TestCreateProduct(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	t.Run("OK", func(t *testing.T) {
		var out struct {
			CreateProduct struct {
				Product struct {
					Name, Status, Code, CodeKind string
					Price, TaxRate               int
					Allergens                    []string
				}
				UserErrors []userError
			}
		}
		a.ok("manager", createProduct, map[string]any{"in": validProduct(a.homeFac)}, &out)
		p := out.CreateProduct.Product
		if len(out.CreateProduct.UserErrors) > 0 || p.Name != "バタークッキー" || p.Status != "DRAFT" ||
			p.CodeKind != "JAN13" || p.TaxRate != 8 || len(p.Allergens) != 3 {
			t.Errorf("got %+v", out.CreateProduct)
		}
	})

	for _, tc := range []struct {
		name string
		in   map[string]any
		want string // codes@fields of the userErrors
	}{
		{"ErrDuplicateJAN", validProduct(a.homeFac), "DUPLICATE_CODE@input.code"},
		{"ErrJANCheckDigit", with(validProduct(a.homeFac), "code", "4512345678907"), "INVALID_JAN@input.code"},
		{"ErrJANLength", with(validProduct(a.homeFac), "code", "451234"), "INVALID_JAN@input.code"},
		{"ErrNoJapaneseName", with(validProduct(a.homeFac), "code", nil,
			"translations", []map[string]any{{"locale": "EN", "name": "Cookies"}}), "REQUIRED@input.translations"},
		{"ErrEmptyName", with(validProduct(a.homeFac), "code", nil,
			"translations", []map[string]any{{"locale": "JA", "name": "  "}}), "REQUIRED@input.translations.0.name"},
		{"ErrNameTooLong", with(validProduct(a.homeFac), "code", nil,
			"translations", []map[string]any{{"locale": "JA", "name": strings.Repeat("あ", 101)}}), "TOO_LONG@input.translations.0.name"},
		{"ErrLocaleTwice", with(validProduct(a.homeFac), "code", nil,
			"translations", []map[string]any{{"locale": "JA", "name": "a"}, {"locale": "JA", "name": "b"}}), "DUPLICATE@input.translations.1.locale"},
		{"ErrPriceZero", with(validProduct(a.homeFac), "code", nil, "price", 0), "OUT_OF_RANGE@input.price"},
		{"ErrPriceNegative", with(validProduct(a.homeFac), "code", nil, "price", -100), "OUT_OF_RANGE@input.price"},
		{"ErrImageURL", with(validProduct(a.homeFac), "code", nil, "imageUrls", []string{"javascript:alert(1)"}), "INVALID_URL@input.imageUrls.0"},
		{"ErrCreateArchived", with(validProduct(a.homeFac), "code", nil, "status", "ARCHIVED"), "INVALID_STATE@input.status"},
		{"ErrUnknownFacility", with(validProduct(a.homeFac), "code", nil, "facilityId", gid.Encode(gid.KindFacility, 99999)), "NOT_FOUND@input.facilityId"},
		{"ErrSeveralAtOnce", with(validProduct(a.homeFac), "code", "1", "price", 0), "INVALID_JAN@input.code,OUT_OF_RANGE@input.price"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := a.snapshot()
			errs, gqlCode := a.mutate("manager", "createProduct", createProduct, map[string]any{"in": tc.in})
			if gqlCode != "" {
				t.Fatalf("GraphQL error %s, want userErrors %s", gqlCode, tc.want)
			}
			if got := codes(errs); got != tc.want {
				t.Errorf("userErrors %s, want %s (%+v)", got, tc.want, errs)
			}
			a.unchanged(before)
		})
	}
	t.Run("ErrFacilityIDOfAnotherKind", func(t *testing.T) {
		before := a.snapshot()
		r := a.do("manager", createProduct, map[string]any{"in": with(validProduct(a.homeFac), "code", nil,
			"facilityId", gid.Encode(gid.KindProduct, 1))})
		if r.code() != "NOT_FOUND" {
			t.Errorf("code %q, want NOT_FOUND", r.code())
		}
		a.unchanged(before)
	})
}

func TestUpdateAndArchiveProduct(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	p := a.product(a.homeFac, "クッキー", tsunagu.StatusDraft, func(in *tsunagu.CreateProductInput) { in.Code = ptr("4512345678906") })
	a.product(a.homeFac, "ジャム", tsunagu.StatusDraft, func(in *tsunagu.CreateProductInput) { in.Code = ptr("4901234567894") })
	id := gid.Encode(gid.KindProduct, int64(p.ID))

	t.Run("OK", func(t *testing.T) {
		var out struct {
			UpdateProduct struct {
				Product struct {
					Name, Status string
					Code         *string
					Price        int
				}
			}
		}
		a.ok("manager", updateProduct, map[string]any{"in": map[string]any{"id": id, "price": 400, "status": "ACTIVE", "code": ""}}, &out)
		got := out.UpdateProduct.Product
		if got.Price != 400 || got.Status != "ACTIVE" || got.Code != nil || got.Name != "クッキー" {
			t.Errorf("got %+v", got)
		}
	})
	for _, tc := range []struct {
		name string
		in   map[string]any
		want string
	}{
		{"ErrDuplicateJAN", map[string]any{"id": id, "code": "4901234567894"}, "DUPLICATE_CODE@input.code"},
		{"ErrPrice", map[string]any{"id": id, "price": 20_000_000}, "OUT_OF_RANGE@input.price"},
		{"ErrTranslationsWithoutJapanese", map[string]any{"id": id, "translations": []map[string]any{{"locale": "EN", "name": "x"}}}, "REQUIRED@input.translations"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := a.snapshot()
			errs, gqlCode := a.mutate("manager", "updateProduct", updateProduct, map[string]any{"in": tc.in})
			if got := codes(errs); gqlCode != "" || got != tc.want {
				t.Errorf("userErrors %s (GraphQL error %q), want %s", got, gqlCode, tc.want)
			}
			a.unchanged(before)
		})
	}
	t.Run("ErrUnknownProduct", func(t *testing.T) {
		before := a.snapshot()
		_, gqlCode := a.mutate("manager", "updateProduct", updateProduct, map[string]any{"in": map[string]any{
			"id": gid.Encode(gid.KindProduct, 424242), "price": 1}})
		if gqlCode != "NOT_FOUND" {
			t.Errorf("code %q, want NOT_FOUND", gqlCode)
		}
		a.unchanged(before)
	})
	t.Run("Archive", func(t *testing.T) {
		var out struct {
			ArchiveProduct struct{ Product struct{ Status string } }
		}
		a.ok("manager", archiveProduct, map[string]any{"in": map[string]any{"id": id}}, &out)
		if out.ArchiveProduct.Product.Status != "ARCHIVED" {
			t.Errorf("status %s", out.ArchiveProduct.Product.Status)
		}
		var page productPage
		a.ok("", productsQuery, nil, &page)
		if len(page.Products.Edges) != 0 {
			t.Errorf("archived product still in the public catalog: %v", page.names())
		}
	})
	t.Run("ErrArchiveTwice", func(t *testing.T) {
		before := a.snapshot()
		errs, _ := a.mutate("manager", "archiveProduct", archiveProduct, map[string]any{"in": map[string]any{"id": id}})
		if got := codes(errs); got != "INVALID_STATE@input.id" {
			t.Errorf("userErrors %s, want INVALID_STATE", got)
		}
		a.unchanged(before)
	})
}

func TestFacilityMutations(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	homeID := gid.Encode(gid.KindMunicipality, int64(a.home.ID))
	valid := map[string]any{"municipalityId": homeID, "name": " 就労支援センターひまわり ", "kind": "EMPLOYMENT_SUPPORT_A",
		"corporation": "社会福祉法人ひまわり会", "registrationNumber": "t7000012050002",
		"contact": map[string]any{"email": "info@Himawari.example.jp", "phone": "03-1234-5678"}}
	t.Run("CreateOK", func(t *testing.T) {
		var out struct {
			CreateFacility struct {
				Facility struct {
					Name, RegistrationNumber string
					IsQualifiedInvoiceIssuer bool
					Contact                  struct{ Email string }
				}
			}
		}
		a.ok("manager", createFacility, map[string]any{"in": valid}, &out)
		f := out.CreateFacility.Facility
		if f.Name != "就労支援センターひまわり" || f.RegistrationNumber != "T7000012050002" || !f.IsQualifiedInvoiceIssuer ||
			f.Contact.Email != "info@himawari.example.jp" {
			t.Errorf("got %+v", f)
		}
	})
	for _, tc := range []struct {
		name string
		in   map[string]any
		want string
	}{
		{"ErrRegistrationCheckDigit", with(valid, "registrationNumber", "T7000012050003"), "INVALID_REGISTRATION_NUMBER@input.registrationNumber"},
		{"ErrRegistrationWithoutT", with(valid, "registrationNumber", "7000012050002"), "INVALID_REGISTRATION_NUMBER@input.registrationNumber"},
		{"ErrNoName", with(valid, "name", ""), "REQUIRED@input.name"},
		{"ErrNoCorporation", with(valid, "corporation", " "), "REQUIRED@input.corporation"},
		{"ErrEmail", with(valid, "contact", map[string]any{"email": "not an email"}), "INVALID_EMAIL@input.contact.email"},
		{"ErrUnknownMunicipality", with(valid, "municipalityId", gid.Encode(gid.KindMunicipality, 9999)), "NOT_FOUND@input.municipalityId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := a.snapshot()
			// An admin, so that the unknown municipality is not refused as another's.
			errs, gqlCode := a.mutate("admin", "createFacility", createFacility, map[string]any{"in": tc.in})
			if got := codes(errs); gqlCode != "" || got != tc.want {
				t.Errorf("userErrors %s (GraphQL error %q), want %s", got, gqlCode, tc.want)
			}
			a.unchanged(before)
		})
	}

	facID := gid.Encode(gid.KindFacility, int64(a.homeFac.ID))
	t.Run("UpdateOK", func(t *testing.T) {
		var out struct {
			UpdateFacility struct {
				Facility struct {
					Name                     string
					RegistrationNumber       *string
					IsQualifiedInvoiceIssuer bool
				}
			}
		}
		a.ok("manager", updateFacility, map[string]any{"in": map[string]any{"id": facID, "name": "ワークショップ虹の橋", "registrationNumber": ""}}, &out)
		f := out.UpdateFacility.Facility
		if f.Name != "ワークショップ虹の橋" || f.RegistrationNumber != nil || f.IsQualifiedInvoiceIssuer {
			t.Errorf("got %+v", f)
		}
	})
	t.Run("ErrUpdateBadRegistration", func(t *testing.T) {
		before := a.snapshot()
		errs, _ := a.mutate("manager", "updateFacility", updateFacility, map[string]any{"in": map[string]any{"id": facID, "registrationNumber": "T123"}})
		if got := codes(errs); got != "INVALID_REGISTRATION_NUMBER@input.registrationNumber" {
			t.Errorf("userErrors %s", got)
		}
		a.unchanged(before)
	})
	t.Run("ErrUpdateUnknown", func(t *testing.T) {
		before := a.snapshot()
		_, gqlCode := a.mutate("manager", "updateFacility", updateFacility, map[string]any{"in": map[string]any{"id": gid.Encode(gid.KindFacility, 4242), "name": "x"}})
		if gqlCode != "NOT_FOUND" {
			t.Errorf("code %q, want NOT_FOUND", gqlCode)
		}
		a.unchanged(before)
	})
}
