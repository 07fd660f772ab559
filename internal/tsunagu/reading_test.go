package tsunagu_test

import (
	"strings"
	"testing"

	"tsunagu/internal/tsunagu"
)

func TestParseNameReading(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     *string
		code     tsunagu.Code
	}{
		{"Hiragana", "きのすぷーん", ptr("きのすぷーん"), ""},
		{"KatakanaAndDot", "ハーブティー・セット", ptr("ハーブティー・セット"), ""},
		{"HalfWidthKatakana", "ｸｯｷｰ", ptr("クッキー"), ""},
		{"Spaces", "  てあみ   こーすたー ", ptr("てあみ こーすたー"), ""},
		{"Empty", "  ", nil, ""},
		{"ErrKanji", "木のすぷーん", nil, tsunagu.CodeInvalidInput},
		{"ErrLatin", "cookie", nil, tsunagu.CodeInvalidInput},
		{"ErrDigits", "くっきー2", nil, tsunagu.CodeInvalidInput},
		{"ErrNUL", "く\x00", nil, tsunagu.CodeInvalidInput},
		{"LongestAllowed", strings.Repeat("あ", tsunagu.MaxNameReading), ptr(strings.Repeat("あ", tsunagu.MaxNameReading)), ""},
		{"ErrTooLong", strings.Repeat("あ", tsunagu.MaxNameReading+1), nil, tsunagu.CodeTooLong},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := tsunagu.ParseNameReading(c.in, "input.nameReading")
			if c.code != "" {
				if tsunagu.ErrorCode(err) != c.code || got != nil {
					t.Fatalf("got %v, %v; want %s", got, err, c.code)
				}
				if e := err.(*tsunagu.Error); e.Field != "input.nameReading" {
					t.Errorf("field %q", e.Field)
				}
				return
			}
			if err != nil || (got == nil) != (c.want == nil) || got != nil && *got != *c.want {
				t.Fatalf("got %v, %v; want %v", got, err, c.want)
			}
		})
	}
}

// The reading is set and changed with the product, and searched like its names.
func TestProductNameReading(t *testing.T) {
	in := tsunagu.CreateProductInput{FacilityID: 1, Translations: []tsunagu.TranslationInput{{Locale: tsunagu.LocaleJA, Name: "木のスプーン"}},
		Category: tsunagu.CategoryCraft, Price: 1200, TaxClass: tsunagu.TaxStandard10, NameReading: ptr("キノスプーン")}
	p, err := tsunagu.NewProduct(in)
	if err != nil || p.NameReading == nil || *p.NameReading != "キノスプーン" {
		t.Fatalf("NewProduct: %v, %v", p.NameReading, err)
	}
	if !strings.Contains(p.SearchText(), "きのすぷーん") {
		t.Errorf("the search text lacks the reading: %q", p.SearchText())
	}
	in.NameReading = ptr("木")
	if _, err := tsunagu.NewProduct(in); tsunagu.ErrorCode(err) != tsunagu.CodeInvalidInput {
		t.Errorf("NewProduct with kanji in the reading: %v", err)
	}
	if err := p.Apply(tsunagu.UpdateProductInput{NameReading: ptr("")}); err != nil || p.NameReading != nil {
		t.Errorf("removing the reading: %v, %v", p.NameReading, err)
	}
	if err := p.Apply(tsunagu.UpdateProductInput{NameReading: ptr("ABC")}); tsunagu.ErrorCode(err) != tsunagu.CodeInvalidInput {
		t.Errorf("Apply with Latin letters in the reading: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }
