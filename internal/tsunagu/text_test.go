package tsunagu_test

import (
	"strings"
	"testing"

	"golang.org/x/text/width"

	"tsunagu/internal/tsunagu"
)

func TestNormalizeSearchText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "HalfWidthKatakana", in: "ｸｯｷｰ", want: "くっきー"},
		{name: "Katakana", in: "クッキー", want: "くっきー"},
		{name: "Hiragana", in: "くっきー", want: "くっきー"},
		{name: "HalfWidthVoiced", in: "ｶﾞﾗｽﾎﾟｯﾄ", want: "がらすぽっと"},
		{name: "FullWidthASCII", in: "ＴＥＡ", want: "tea"},
		{name: "UpperCase", in: "Green TEA", want: "green tea"},
		{name: "Mixed", in: "ｸﾞﾘｰﾝＴｅａ　ﾊﾞｯｸﾞ", want: "ぐりーんtea ばっぐ"},
		{name: "Kanji", in: "緑茶", want: "緑茶"},
		{name: "SmallKana", in: "ァィゥェォッャュョヮヵヶ", want: "ぁぃぅぇぉっゃゅょゎゕゖ"},
		{name: "Vu", in: "ヴァイオリン", want: "ゔぁいおりん"},
		{name: "IterationMarks", in: "ヽヾ", want: "ゝゞ"},
		{name: "VoicedWa", in: "ヷヸヹヺ", want: "わ\u3099ゐ\u3099ゑ\u3099を\u3099"},
		{name: "CombiningVoicedMark", in: "カ\u3099", want: "が"},
		{name: "LongVowelMarkKept", in: "ー", want: "ー"},
		{name: "MiddleDotKept", in: "コーヒー・ゼリー", want: "こーひー・ぜりー"},
		{name: "Enclosed", in: "①㈱つなぐ", want: "1(株)つなぐ"},
		{name: "Accented", in: "CAFÉ", want: "café"},
		{name: "LowerCaseRecomposed", in: "J\u030c", want: "ǰ"},
		{name: "CollapseSpace", in: "  手作り \t\n　クッキー  ", want: "手作り くっきー"},
		{name: "Empty", in: "", want: ""},
		{name: "OnlySpace", in: " \u3000\t", want: ""},
		{name: "InvalidUTF8", in: "ab\xffc", want: "ab\ufffdc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tsunagu.NormalizeSearchText(tt.in); got != tt.want {
				t.Errorf("NormalizeSearchText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// The fuzz target's converters are written from the Unicode charts, independently of
// the code under test: hiragana ぁ–ゖ and ゝゞ sit exactly 0x60 below katakana ァ–ヶ and
// ヽヾ.

func toKatakana(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'ぁ' && r <= 'ゖ' || r == 'ゝ' || r == 'ゞ' {
			return r + 0x60
		}
		return r
	}, s)
}

func toHiragana(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'ァ' && r <= 'ヶ' || r == 'ヽ' || r == 'ヾ' {
			return r - 0x60
		}
		return r
	}, s)
}

// FuzzNormalizeSearchText checks that normalising is idempotent, collapses white space,
// and is blind to kana type and character width.
func FuzzNormalizeSearchText(f *testing.F) {
	for _, s := range []string{"ｸｯｷｰ", "クッキー", "くっきー", "ＴＥＡ", "Green Tea", "ヴァイオリン", "わ\u3099", "ヷ",
		"ゝゞヽヾ", "ｶﾞﾗｽ", "①㈱", " a\u3000b ", "İstanbul", "ǅ", "J\u030c", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := tsunagu.NormalizeSearchText(s)
		if again := tsunagu.NormalizeSearchText(n); again != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, again)
		}
		if n != strings.TrimSpace(n) || strings.Contains(n, "  ") {
			t.Fatalf("NormalizeSearchText(%q) = %q: white space not collapsed", s, n)
		}
		// The variants are taken of valid text: the converters below would spell each
		// invalid byte as its own U+FFFD, where NormalizeSearchText uses one per run.
		s = strings.ToValidUTF8(s, "\uFFFD")
		variants := map[string]string{
			"katakana": toKatakana(s),
			"hiragana": toHiragana(s),
			"narrow":   width.Narrow.String(s),
			"wide":     width.Widen.String(s),
		}
		for name, v := range variants {
			if got := tsunagu.NormalizeSearchText(v); got != n {
				t.Fatalf("%s variant %q of %q normalises to %q, want %q", name, v, s, got, n)
			}
		}
	})
}
