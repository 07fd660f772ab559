package tsunagu_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/tsunagu"
)

// tr builds Translations from locale, name pairs through Set.
func tr(pairs ...string) tsunagu.Translations {
	var t tsunagu.Translations
	for i := 0; i < len(pairs); i += 2 {
		t.Set(tsunagu.Locale(pairs[i]), tsunagu.Text{Name: pairs[i+1]})
	}
	return t
}

func TestTranslationsIn(t *testing.T) {
	ts := tsunagu.Translations{
		{Locale: tsunagu.LocaleJA, Text: tsunagu.Text{Name: "柚子ジャム", Description: "高知の柚子"}},
		{Locale: tsunagu.LocaleEN, Text: tsunagu.Text{Name: "Yuzu jam"}},
		{Locale: tsunagu.LocaleKO, Text: tsunagu.Text{Description: "no name"}},
	}
	tests := []struct {
		name string
		l    tsunagu.Locale
		want string
	}{
		{"OK", tsunagu.LocaleEN, "Yuzu jam"},
		{"Japanese", tsunagu.LocaleJA, "柚子ジャム"},
		{"MissingFallsBackToJapanese", tsunagu.LocaleZH, "柚子ジャム"},
		{"NamelessFallsBackToJapanese", tsunagu.LocaleKO, "柚子ジャム"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ts.In(tt.l).Name; got != tt.want {
				t.Errorf("In(%s).Name = %q, want %q", tt.l, got, tt.want)
			}
		})
	}
	if got := ts.In(tsunagu.LocaleZH).Description; got != "高知の柚子" {
		t.Errorf("the fallback's description = %q, want Japanese's", got)
	}
	if got := (tsunagu.Translations{}).In(tsunagu.LocaleEN); got != (tsunagu.Text{}) {
		t.Errorf("In on no texts = %+v, want none", got)
	}
}

func TestTranslationsGet(t *testing.T) {
	ts := tr("JA", "ジャム", "KO", "")
	if x, ok := ts.Get(tsunagu.LocaleJA); !ok || x.Name != "ジャム" {
		t.Errorf("Get(JA) = %+v, %v", x, ok)
	}
	if x, ok := ts.Get(tsunagu.LocaleKO); !ok || x.Name != "" {
		t.Errorf("Get(KO) = %+v, %v; want the nameless text, present", x, ok)
	}
	if x, ok := ts.Get(tsunagu.LocaleEN); ok || x != (tsunagu.Text{}) {
		t.Errorf("Get(EN) = %+v, %v; want none", x, ok)
	}
}

func TestTranslationsSet(t *testing.T) {
	// Every order of setting the five locales gives them in the order of Locales.
	var perms func([]tsunagu.Locale, int)
	perms = func(ls []tsunagu.Locale, k int) {
		if k == len(ls) {
			var ts tsunagu.Translations
			for _, l := range ls {
				ts.Set(l, tsunagu.Text{Name: string(l)})
			}
			var got []tsunagu.Locale
			for _, x := range ts {
				if x.Name != string(x.Locale) {
					t.Errorf("set in %v: %s has %q", ls, x.Locale, x.Name)
				}
				got = append(got, x.Locale)
			}
			if !slices.Equal(got, tsunagu.Locales) {
				t.Errorf("set in %v: order %v, want %v", ls, got, tsunagu.Locales)
			}
			return
		}
		for i := k; i < len(ls); i++ {
			ls[k], ls[i] = ls[i], ls[k]
			perms(ls, k+1)
			ls[k], ls[i] = ls[i], ls[k]
		}
	}
	perms(slices.Clone(tsunagu.Locales), 0)

	t.Run("Replace", func(t *testing.T) {
		ts := tr("JA", "a", "EN", "b", "KO", "c")
		ts.Set(tsunagu.LocaleEN, tsunagu.Text{Name: "B", Description: "d"})
		want := tsunagu.Translations{
			{Locale: tsunagu.LocaleJA, Text: tsunagu.Text{Name: "a"}},
			{Locale: tsunagu.LocaleEN, Text: tsunagu.Text{Name: "B", Description: "d"}},
			{Locale: tsunagu.LocaleKO, Text: tsunagu.Text{Name: "c"}},
		}
		if diff := cmp.Diff(want, ts); diff != "" {
			t.Errorf("(-want +got)\n%s", diff)
		}
	})
	t.Run("ErrUnsupportedLocale", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("Set(FR) did not panic")
			}
		}()
		var ts tsunagu.Translations
		ts.Set("FR", tsunagu.Text{Name: "confiture"})
	})
}

// asMap is t as the map[Locale]Text Translations were.
func asMap(t tsunagu.Translations) map[tsunagu.Locale]tsunagu.Text {
	if t == nil {
		return nil
	}
	m := map[tsunagu.Locale]tsunagu.Text{}
	for _, x := range t {
		m[x.Locale] = x.Text
	}
	return m
}

// The bytes written are those encoding/json wrote for the map, with HTML escaped
// (json.Marshal, as jsonValue writes the column and the audit log) or not.
func TestTranslationsMarshalJSON(t *testing.T) {
	all := tsunagu.Translations{}
	for i, l := range tsunagu.Locales {
		all.Set(l, tsunagu.Text{Name: "名前 " + string(l), Description: strings.Repeat("説明", i)})
	}
	tests := map[string]tsunagu.Translations{
		"Nil":        nil,
		"Empty":      {},
		"Japanese":   tr("JA", "柚子ジャム"),
		"TwoLocales": tr("EN", "Yuzu jam", "JA", "柚子ジャム"),
		"All":        all,
		"Escapes": {
			{Locale: tsunagu.LocaleJA, Text: tsunagu.Text{Name: `"<b>" & 'c' \ /`, Description: "line\nsep\u2028par\u2029tab\t\x01"}},
			{Locale: tsunagu.LocaleJAEasy, Text: tsunagu.Text{Name: "<i>"}},
		},
		"BadUTF8": tr("JA", "bad \xff utf-8"), // written as U+FFFD, so not read back as it was
	}
	for name, ts := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := json.Marshal(ts)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(asMap(ts))
			if !bytes.Equal(got, want) {
				t.Errorf("json.Marshal = %s\nthe map's       %s", got, want)
			}
			encode := func(v any) string {
				var b strings.Builder
				e := json.NewEncoder(&b)
				e.SetEscapeHTML(false)
				if err := e.Encode(v); err != nil {
					t.Fatal(err)
				}
				return b.String()
			}
			if got, want := encode(ts), encode(asMap(ts)); got != want {
				t.Errorf("without escaping HTML = %s\nthe map's              %s", got, want)
			}
			// In a struct, as the audit log writes a product.
			type product struct {
				ID           int
				Translations any
			}
			got, _ = json.Marshal(product{1, ts})
			want, _ = json.Marshal(product{1, asMap(ts)})
			if !bytes.Equal(got, want) {
				t.Errorf("in a struct = %s\nthe map's     %s", got, want)
			}
			// And it reads back as it was.
			var back tsunagu.Translations
			if err := json.Unmarshal(got, &struct{ Translations *tsunagu.Translations }{&back}); err != nil {
				t.Fatal(err)
			}
			if name == "BadUTF8" {
				return
			}
			if diff := cmp.Diff(ts, back); diff != "" || (ts == nil) != (back == nil) {
				t.Errorf("round trip (-wrote +read)\n%s", diff)
			}
		})
	}
}

func TestTranslationsUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name, in string
		want     tsunagu.Translations
	}{
		// jsonb's text form: keys by length then bytes, a space after ':' and ','.
		{"JSONB", `{"EN": {"name": "Yuzu jam"}, "JA": {"name": "柚子ジャム", "description": "高知の\"柚子\""}, "KO": {"name": "유자잼"}, "ZH": {"name": "柚子酱"}, "JA_X_EASY": {"name": "ゆずの じゃむ"}}`,
			tsunagu.Translations{
				{Locale: tsunagu.LocaleJA, Text: tsunagu.Text{Name: "柚子ジャム", Description: `高知の"柚子"`}},
				{Locale: tsunagu.LocaleJAEasy, Text: tsunagu.Text{Name: "ゆずの じゃむ"}},
				{Locale: tsunagu.LocaleEN, Text: tsunagu.Text{Name: "Yuzu jam"}},
				{Locale: tsunagu.LocaleZH, Text: tsunagu.Text{Name: "柚子酱"}},
				{Locale: tsunagu.LocaleKO, Text: tsunagu.Text{Name: "유자잼"}},
			}},
		{"Compact", `{"EN":{"name":"a"},"JA":{"name":"b"}}`, tr("JA", "b", "EN", "a")},
		{"Whitespace", " \n{ \"JA\"\t:\r{\"name\" : \"b\"} , \"EN\" : { } }\n ", tsunagu.Translations{
			{Locale: tsunagu.LocaleJA, Text: tsunagu.Text{Name: "b"}}, {Locale: tsunagu.LocaleEN}}},
		{"EscapedKey", `{"\u004aA":{"name":"b"}}`, tr("JA", "b")},
		{"NullText", `{"JA":{"name":"b"},"EN":null}`, tsunagu.Translations{
			{Locale: tsunagu.LocaleJA, Text: tsunagu.Text{Name: "b"}}, {Locale: tsunagu.LocaleEN}}},
		{"BracesInStrings", `{"JA":{"name":"}{\\\"]["}}`, tr("JA", `}{\"][`)},
		{"Empty", `{}`, tsunagu.Translations{}},
		{"EmptyText", `{"JA":{ }}`, tsunagu.Translations{{Locale: tsunagu.LocaleJA}}},
		// Texts not of the form this program writes, read as encoding/json reads them.
		{"EscapesInText", `{"JA":{"name":"a\n\u00e9\"","description":"\ud83c\udf75"}}`, tsunagu.Translations{
			{Locale: tsunagu.LocaleJA, Text: tsunagu.Text{Name: "a\né\"", Description: "🍵"}}}},
		{"BadUTF8", "{\"JA\":{\"name\":\"a\xffb\"}}", tr("JA", "a\ufffdb")},
		{"KeyInOtherCase", `{"JA":{"Name":"a","DESCRIPTION":"b"}}`, tsunagu.Translations{
			{Locale: tsunagu.LocaleJA, Text: tsunagu.Text{Name: "a", Description: "b"}}}},
		{"UnknownKeyInText", `{"JA":{"name":"a","note":"x","description":"b"}}`, tsunagu.Translations{
			{Locale: tsunagu.LocaleJA, Text: tsunagu.Text{Name: "a", Description: "b"}}}},
		{"NameTwice", `{"JA":{"name":"a","name":"b"}}`, tr("JA", "b")},
		{"LocaleTwice", `{"JA":{"name":"a"},"JA":{"name":"b"}}`, tr("JA", "b")},
		{"Null", ` null `, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got tsunagu.Translations
			if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" || (got == nil) != (tt.want == nil) {
				t.Errorf("(-want +got)\n%s", diff)
			}
			if cap(got) != len(got) {
				t.Errorf("capacity %d for %d texts", cap(got), len(got))
			}
			var direct tsunagu.Translations
			if err := direct.UnmarshalJSON([]byte(tt.in)); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, direct); diff != "" {
				t.Errorf("called directly (-json.Unmarshal +direct)\n%s", diff)
			}
			// As the map read it.
			var m map[tsunagu.Locale]tsunagu.Text
			if err := json.Unmarshal([]byte(tt.in), &m); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(m, asMap(got)); diff != "" {
				t.Errorf("against the map (-map +got)\n%s", diff)
			}
		})
	}
	t.Run("Replaces", func(t *testing.T) {
		got := tr("JA", "old", "EN", "old")
		if err := json.Unmarshal([]byte(`{"JA":{"name":"new"}}`), &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tr("JA", "new"), got); diff != "" {
			t.Errorf("(-want +got)\n%s", diff)
		}
	})
}

// What the column cannot hold from this program is refused, through json.Unmarshal
// and called directly, and the value decoded into stays as it was.
func TestTranslationsUnmarshalJSONErr(t *testing.T) {
	tests := map[string]string{
		"UnsupportedLocale": `{"JA":{"name":"a"},"FR":{"name":"b"}}`,
		"LowerCase":         `{"ja":{"name":"a"}}`,
		"Array":             `[{"JA":{"name":"a"}}]`,
		"String":            `"JA"`,
		"Number":            `1`,
		"Blank":             ` `,
		"NoInput":           ``,
		"TextNotAnObject":   `{"JA":"a"}`,
		"NameNotAString":    `{"JA":{"name":1}}`,
		"Unterminated":      `{"JA":{"name":"a"}`,
		"UnterminatedKey":   `{"JA`,
		"UnterminatedText":  `{"JA":{"name":"a}}`,
		"Garbage":           `{"JA":{"name":"a"}} x`,
		"TrailingComma":     `{"JA":{"name":"a"},}`,
		"NoComma":           `{"JA":{"name":"a"} "EN":{"name":"b"}}`,
		"NoColon":           `{"JA" {"name":"a"}}`,
		"NoValue":           `{"JA":}`,
		"KeyNotAString":     `{JA:{"name":"a"}}`,
		"Mismatched":        `{"JA":{"name":["a"}]}`,
		"NullKey":           `{null:{"name":"a"}}`,
		"ControlInName":     "{\"JA\":{\"name\":\"a\x01\"}}",
		"BadEscapeInName":   `{"JA":{"name":"a\x"}}`,
		"NameNotClosed":     `{"JA":{"name":"a",}}`,
		"TextGarbage":       `{"JA":{"name":"a"}x}`,
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			before := tr("JA", "unchanged")
			got := slices.Clone(before)
			if err := json.Unmarshal([]byte(in), &got); err == nil {
				t.Errorf("json.Unmarshal(%s) = %+v, want an error", in, got)
			}
			got = slices.Clone(before)
			if err := got.UnmarshalJSON([]byte(in)); err == nil {
				t.Errorf("UnmarshalJSON(%s) = %+v, want an error", in, got)
			}
			if diff := cmp.Diff(before, got); diff != "" {
				t.Errorf("changed (-before +after)\n%s", diff)
			}
		})
	}
}
