package tsunagu_test

import (
	"testing"

	"tsunagu/internal/tsunagu"
)

func TestProductImageURLs(t *testing.T) {
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"https://example.jp/cookie.jpg", true},
		{"http://example.jp/cookie.jpg", false},
		{"http://127.0.0.1:8080/img/cookie.svg", true}, // development, trusted by browsers
		{"http://localhost/img/cookie.svg", true},
		{"http://127.0.0.1.example.jp/cookie.jpg", false},
		{"https://user:pw@example.jp/cookie.jpg", false},
		{"javascript:alert(1)", false},
		{"//example.jp/cookie.jpg", false},
		{"https:///cookie.jpg", false},
	} {
		in := tsunagu.CreateProductInput{FacilityID: 1, Translations: []tsunagu.TranslationInput{{Locale: tsunagu.LocaleJA, Name: "クッキー"}},
			Category: tsunagu.CategorySweets, Price: 350, TaxClass: tsunagu.TaxReduced8, ImageURLs: []string{c.url}}
		_, err := tsunagu.NewProduct(in)
		if c.ok && err != nil {
			t.Errorf("%s refused: %v", c.url, err)
		}
		if !c.ok {
			errs := tsunagu.UserErrors(err)
			if tsunagu.ErrorCode(err) != tsunagu.CodeInvalidURL || len(errs) != 1 || errs[0].Field != "input.imageUrls.0" {
				t.Errorf("%s: %v, want INVALID_URL on input.imageUrls.0", c.url, err)
			}
		}
	}
}
