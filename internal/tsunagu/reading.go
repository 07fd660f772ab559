package tsunagu

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxNameReading bounds the reading of a name, in characters.
const MaxNameReading = 100

// ParseNameReading checks the reading (furigana) of a Japanese name (a product's,
// a shop's, a person's), as the POS app shows it over the name: hiragana or katakana, the long-vowel mark
// ー, the middle dot ・ and spaces, at most MaxNameReading characters. Half-width
// katakana become full-width, spaces are trimmed and runs of them made one. An
// empty reading is nil: the product has none. Returns INVALID_INPUT or TOO_LONG
// with field.
func ParseNameReading(s, field string) (*string, error) {
	s = strings.Join(strings.Fields(norm.NFKC.String(strings.ToValidUTF8(s, "\uFFFD"))), " ")
	if s == "" {
		return nil, nil
	}
	if utf8.RuneCountInString(s) > MaxNameReading {
		return nil, Errorf(CodeTooLong, field, "The reading can have at most %d characters.", MaxNameReading)
	}
	for _, r := range s {
		if !isKana(r) && r != ' ' {
			return nil, Errorf(CodeInvalidInput, field,
				"Write the reading in hiragana or katakana only (%q is neither).", string(r))
		}
	}
	return &s, nil
}

// isKana reports whether r is a hiragana or katakana letter, or a sign that
// belongs in a reading (ー, ・, ゝ, ゞ, ヽ, ヾ).
func isKana(r rune) bool {
	return r >= 'ぁ' && r <= 'ゖ' || r == 'ゝ' || r == 'ゞ' || r >= 'ァ' && r <= 'ヺ' || r >= 'ー' && r <= 'ヾ' || r == '・'
}

// setNameReading sets p's reading from an input field, collecting its error.
func (p *Product) setNameReading(errs *ValidationErrors, s string) {
	setReading(errs, &p.NameReading, s)
}

// setReading sets *dst to the reading s of input.nameReading, collecting its error.
func setReading(errs *ValidationErrors, dst **string, s string) {
	r, err := ParseNameReading(s, "input.nameReading")
	if err != nil {
		*errs = append(*errs, err.(*Error))
		return
	}
	*dst = r
}

// NormalizeReading checks and normalizes an optional reading in place (nil and ""
// are none), collecting its error as input.nameReading.
func NormalizeReading(errs *ValidationErrors, r **string) {
	if *r != nil {
		setReading(errs, r, **r)
	}
}
