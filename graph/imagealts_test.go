package graph_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

// A product's pictures carry their alternative texts, one per picture: fewer are
// filled with "", more or longer ones are refused and change nothing, and new
// pictures without texts have none.
func TestProductImageAlts(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	p := a.product(a.homeFac, "写真の品", tsunagu.StatusActive)
	id := a.id(gid.KindProduct, int64(p.ID))
	const pic1, pic2 = "https://example.jp/1.jpg", "https://example.jp/2.jpg"
	update := func(in map[string]any) (alts []string, errs []userError) {
		t.Helper()
		in["id"] = id
		r := a.do("manager", `mutation($in: UpdateProductInput!) { updateProduct(input: $in) {
			product { imageAlts } userErrors { code field } } }`, map[string]any{"in": in})
		var d struct {
			UpdateProduct struct {
				Product    *struct{ ImageAlts []string }
				UserErrors []userError
			}
		}
		if len(r.Errors) > 0 {
			t.Fatalf("updateProduct: %+v", r.Errors)
		}
		must(t, json.Unmarshal(r.Data, &d))
		if d.UpdateProduct.Product != nil {
			alts = d.UpdateProduct.Product.ImageAlts
		}
		return alts, d.UpdateProduct.UserErrors
	}

	if alts, errs := update(map[string]any{"imageUrls": []string{pic1, pic2}, "imageAlts": []string{" 木の瓶に入ったジャム "}}); len(errs) > 0 ||
		!cmp.Equal(alts, []string{"木の瓶に入ったジャム", ""}) {
		t.Errorf("two pictures, one described: %q %s", alts, codes(errs))
	}
	for name, c := range map[string]struct {
		alts []string
		want string
	}{
		"ErrMoreTextsThanPictures": {[]string{"a", "b", "c"}, "OUT_OF_RANGE@input.imageAlts"},
		"ErrTooLong":               {[]string{"", strings.Repeat("長", tsunagu.MaxImageAltLength+1)}, "TOO_LONG@input.imageAlts.1"},
	} {
		t.Run(name, func(t *testing.T) {
			before := a.snapshot()
			if _, errs := update(map[string]any{"imageAlts": c.alts}); codes(errs) != c.want {
				t.Errorf("userErrors %s, want %s", codes(errs), c.want)
			}
			a.unchanged(before)
		})
	}
	if alts, errs := update(map[string]any{"imageAlts": []string{"", "二枚目"}}); len(errs) > 0 || !cmp.Equal(alts, []string{"", "二枚目"}) {
		t.Errorf("the texts alone: %q %s", alts, codes(errs))
	}
	if alts, errs := update(map[string]any{"imageUrls": []string{pic2}}); len(errs) > 0 || !cmp.Equal(alts, []string{""}) {
		t.Errorf("new pictures without texts: %q %s", alts, codes(errs))
	}
}
