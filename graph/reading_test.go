package graph_test

import (
	"strings"
	"testing"
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
