package tsunagu

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NormalizeSearchText folds s into the form search compares, so that a shopper finds
// クッキー by typing ｸｯｷｰ, くっきー or クッキー, and TEA by typing ｔｅａ:
//
//   - NFKC: half-width katakana become full-width (ｸﾞ → グ), full-width ASCII becomes
//     ASCII (ＴＥＡ → TEA), and compatibility characters such as ㈱ are spelled out;
//   - katakana become hiragana (ア → あ, ヴ → ゔ, ヽヾ → ゝゞ; ヷヸヹヺ, which have no
//     single hiragana, become わ゙ ゐ゙ ゑ゙ を゙); the long-vowel mark ー stays as it is;
//   - letters become lower case;
//   - runs of white space become one space, and leading and trailing space goes.
//
// Invalid UTF-8 becomes U+FFFD. The result is stable: normalising it again returns it
// unchanged.
func NormalizeSearchText(s string) string {
	s = strings.ToValidUTF8(s, string(utf8.RuneError))
	s = norm.NFKC.String(s)
	s = katakanaToHiragana(s)
	s = strings.ToLower(s)
	// Lower-casing can leave text that NFKC would compose further (J + ◌̌ becomes
	// j + ◌̌, which composes to ǰ); a second pass keeps the result stable.
	s = norm.NFKC.String(s)
	return strings.Join(strings.Fields(s), " ")
}

// katakanaToHiragana maps the katakana that have a hiragana counterpart onto it.
func katakanaToHiragana(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 'ァ' && r <= 'ヾ' }) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 'ァ' && r <= 'ヶ':
			b.WriteRune(r - ('ァ' - 'ぁ'))
		case r == 'ヽ' || r == 'ヾ':
			b.WriteRune(r - ('ヽ' - 'ゝ'))
		case r >= 'ヷ' && r <= 'ヺ':
			// ワ゛ ヰ゛ ヱ゛ ヲ゛: the base kana and a combining voiced mark, which is what
			// a hiragana spelling of the same sound holds after NFKC.
			b.WriteRune([...]rune{'わ', 'ゐ', 'ゑ', 'を'}[r-'ヷ'])
			b.WriteRune('\u3099')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
