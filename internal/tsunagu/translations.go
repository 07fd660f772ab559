package tsunagu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"
)

// Text is a product's name and description in one locale.
type Text struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// LocaleText is a product's text in one locale.
type LocaleText struct {
	Locale Locale
	Text
}

// Translations are a product's texts, at most one per locale, in the order of
// Locales; every locale is a supported one. Japanese is always present on a
// product that passed NewProduct or Apply (and the column's CHECK says so).
//
// A slice rather than a map[Locale]Text: a product has one to five texts, and a
// catalog page decodes fifty products' worth. A Go map of one or two entries costs
// its header and a whole group of eight slots, about 440 bytes in two allocations
// per product, more than the Product itself (~280 bytes); the slice of two is 96
// bytes in one allocation, and looking a locale up among five is no slower.
// BenchmarkCatalogPage (fifty products, Japanese and the page's locale read as
// columns): 139,100 -> 118,400 bytes and 1,067 -> 1,017 allocations a page. Read
// from the column, two texts take 4 allocations (UnmarshalJSON) where
// json.Unmarshal into the map took 15 (TestTranslationsUnmarshalJSONAllocs).
//
// As JSON, Translations are the object the products.translations column holds,
// {"EN": {"name": …}, "JA": {"name": …, "description": …}}: MarshalJSON writes the
// same bytes encoding/json wrote for the map (keys sorted by name), and
// UnmarshalJSON reads that object. Like slices (and the map before), Translations
// share their texts with their copies: slices.Clone before changing a copy.
type Translations []LocaleText

// In returns the text in l, falling back to Japanese for a locale without one.
func (t Translations) In(l Locale) Text {
	if tr, ok := t.Get(l); ok && tr.Name != "" {
		return tr
	}
	tr, _ := t.Get(LocaleJA)
	return tr
}

// Get returns the text in l and whether there is one.
func (t Translations) Get(l Locale) (Text, bool) {
	for _, x := range t {
		if x.Locale == l {
			return x.Text, true
		}
	}
	return Text{}, false
}

// Set makes x the text in l, replacing the one there was or inserting it in the
// order of Locales. l must be a supported locale (Valid): Set panics otherwise, as
// no place in the order is its.
func (t *Translations) Set(l Locale, x Text) {
	i := slices.Index(Locales, l)
	if i < 0 {
		panic(fmt.Sprintf("tsunagu: Translations.Set(%q): not a supported locale", l))
	}
	k := 0
	for k < len(*t) && slices.Index(Locales, (*t)[k].Locale) < i {
		k++
	}
	if k < len(*t) && (*t)[k].Locale == l {
		(*t)[k].Text = x
		return
	}
	*t = slices.Insert(*t, k, LocaleText{Locale: l, Text: x})
}

// numLocales is len(Locales), as a constant (a test checks).
const numLocales = 5

// localesByName are Locales in the order encoding/json writes a map's keys.
var localesByName = func() []Locale {
	s := slices.Clone(Locales)
	slices.Sort(s)
	return s
}()

// MarshalJSON writes t as the object {"<locale>": <Text>, …} with the locales
// sorted by name: byte for byte what encoding/json wrote for the map[Locale]Text
// Translations were (HTML characters are escaped, or not, by the caller's encoder,
// as they were). A nil t is null, as a nil map was.
func (t Translations) MarshalJSON() ([]byte, error) {
	if t == nil {
		return []byte("null"), nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // json.Marshal escapes the result if its caller's encoder does
	b.WriteByte('{')
	for _, l := range localesByName {
		x, ok := t.Get(l)
		if !ok {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + string(l) + `":`)
		if err := enc.Encode(x); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // the newline Encode ends a value with
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads the object MarshalJSON writes, in any order of keys, into t
// (replacing what t held; null makes t nil, as it made the map). It refuses a key
// that is not a supported locale and a locale given twice, as validateTranslations
// refuses them on the way in: the column holds neither, so either says the JSON is
// not one this program wrote. A value of null is a text of "", as it was.
//
// It reads b without encoding/json's reflection, checking its syntax itself: the
// texts are made in one array of the exact length, and a text of the form this
// program writes (the keys name and description, strings without escapes) is
// read here, any other by encoding/json (decodeText). Called directly rather than
// through json.Unmarshal, it saves that function's syntax check and allocations.
func (t *Translations) UnmarshalJSON(b []byte) error {
	i := skipSpace(b, 0)
	if string(bytes.TrimRight(b[i:], " \t\n\r")) == "null" {
		*t = nil
		return nil
	}
	bad := func(what string) error { return fmt.Errorf("tsunagu: translations: %s in %.40q", what, b) }
	if i == len(b) || b[i] != '{' {
		return bad("not a JSON object")
	}
	var values [numLocales][]byte // by the locale's index in Locales
	n := 0
	i = skipSpace(b, i+1)
	for i < len(b) && b[i] != '}' {
		if n > 0 {
			if b[i] != ',' {
				return bad("a missing comma")
			}
			i = skipSpace(b, i+1)
		}
		end := skipValue(b, i)
		if end < 0 || b[i] != '"' {
			return bad("a key that is not a string")
		}
		key, err := localeKey(b[i:end])
		if err != nil {
			return bad(err.Error())
		}
		i = skipSpace(b, end)
		if i == len(b) || b[i] != ':' {
			return bad("a missing colon")
		}
		i = skipSpace(b, i+1)
		end = skipValue(b, i)
		if end < 0 {
			return bad("a value that does not end")
		}
		k := slices.Index(Locales, key)
		if k < 0 {
			return bad(fmt.Sprintf("%q, not a supported locale,", key))
		}
		if values[k] != nil {
			return bad(fmt.Sprintf("the locale %s twice", key))
		}
		values[k] = b[i:end]
		n++
		i = skipSpace(b, end)
	}
	if i == len(b) || skipSpace(b, i+1) != len(b) {
		return bad("an object that does not end")
	}
	out := make(Translations, 0, n)
	for k, v := range values {
		if v == nil {
			continue
		}
		out = append(out, LocaleText{Locale: Locales[k]})
		if err := decodeText(v, &out[len(out)-1].Text); err != nil {
			return fmt.Errorf("tsunagu: translations: %s: %w", Locales[k], err)
		}
	}
	*t = out
	return nil
}

// decodeText decodes v, a JSON text object, into x, which is zero.
func decodeText(v []byte, x *Text) error {
	if plainText(v, x) {
		return nil
	}
	*x = Text{}
	return json.Unmarshal(v, x)
}

// plainText decodes v into x and reports true if v is null or an object whose keys
// are exactly name or description and whose values are strings without escapes
// (valid UTF-8, no control characters): what encoding/json would make of it. On
// false, x may hold part of v.
func plainText(v []byte, x *Text) bool {
	if string(v) == "null" {
		return true
	}
	if len(v) == 0 || v[0] != '{' {
		return false
	}
	i := skipSpace(v, 1)
	if i < len(v) && v[i] == '}' {
		return i+1 == len(v)
	}
	for {
		key, end, ok := plainString(v, i)
		if !ok {
			return false
		}
		i = skipSpace(v, end)
		if i == len(v) || v[i] != ':' {
			return false
		}
		val, end, ok := plainString(v, skipSpace(v, i+1))
		if !ok {
			return false
		}
		switch string(key) {
		case "name":
			x.Name = string(val)
		case "description":
			x.Description = string(val)
		default:
			return false
		}
		i = skipSpace(v, end)
		if i == len(v) {
			return false
		}
		if v[i] == '}' {
			return i+1 == len(v)
		}
		if v[i] != ',' {
			return false
		}
		i = skipSpace(v, i+1)
	}
}

// plainString returns the contents of the JSON string at v[i] and the index past
// it, if it has no escapes and is valid UTF-8 without control characters.
func plainString(v []byte, i int) (s []byte, end int, ok bool) {
	if i >= len(v) || v[i] != '"' {
		return nil, 0, false
	}
	for j := i + 1; j < len(v); j++ {
		switch c := v[j]; {
		case c == '"':
			return v[i+1 : j], j + 1, utf8.Valid(v[i+1 : j])
		case c == '\\' || c < 0x20:
			return nil, 0, false
		}
	}
	return nil, 0, false
}

// localeKey is the locale a JSON string (with its quotes) names; a key with
// escapes is decoded by encoding/json, one without is compared as it is.
func localeKey(s []byte) (Locale, error) {
	if bytes.IndexByte(s, '\\') < 0 {
		for _, l := range Locales {
			if string(s[1:len(s)-1]) == string(l) {
				return l, nil
			}
		}
		return Locale(s[1 : len(s)-1]), nil
	}
	var k string
	err := json.Unmarshal(s, &k)
	return Locale(k), err
}

// skipSpace returns the index of the first byte of b at or after i that is not
// JSON whitespace.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just past the JSON value that starts at b[i], or -1
// if it does not end in b. It finds where the value ends without checking it: the
// values are then decoded by encoding/json, which does.
func skipValue(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			if i >= len(b) {
				return -1
			}
		case '{', '[':
			depth++
			continue
		case '}', ']':
			depth--
			if depth < 0 {
				return i // the end of the object around a literal or number
			}
		case ',', ':', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i
			}
			continue
		default:
			if depth == 0 {
				continue // within a literal or a number
			}
		}
		if depth == 0 {
			return i + 1
		}
	}
	if depth == 0 {
		return i // a literal or number ending b
	}
	return -1
}
