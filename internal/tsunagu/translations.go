package tsunagu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
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
// columns): 139,100 -> 118,400 bytes and 1,067 -> 1,017 allocations a page.
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

// MarshalJSON writes t as the map[Locale]Text Translations were, by way of that
// map: the object {"<locale>": <Text>, …} with the locales sorted by name, byte for
// byte what encoding/json wrote (HTML characters are escaped, or not, by the
// caller's encoder, as they were). A nil t is null, as a nil map was.
func (t Translations) MarshalJSON() ([]byte, error) {
	if t == nil {
		return []byte("null"), nil
	}
	m := make(map[Locale]Text, len(t))
	for _, x := range t {
		m[x.Locale] = x.Text
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // json.Marshal escapes the result if its caller's encoder does
	err := enc.Encode(m)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), err
}

// UnmarshalJSON reads the object MarshalJSON writes, in any order of keys, into t
// (replacing what t held; null makes t nil, as it made the map), by way of the map
// Translations were: encoding/json does the reading, and the texts are then put in
// the order of Locales in one array of the exact length. It refuses a key that is
// not a supported locale, as validateTranslations refuses it on the way in: the
// column holds none (its CHECK products_translations_locales, migration 00047,
// allows the keys of Locales only, whoever writes), so one says the JSON is not
// the column's. A value of null is a text of "", as it was; a locale given twice
// keeps its last text, as the map did (jsonb keeps only the last).
//
// Only a page that asks for a product's translations reads the whole column; a
// catalog page reads the names it shows as columns of their own (ProductPage).
func (t *Translations) UnmarshalJSON(b []byte) error {
	var m map[Locale]Text
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if m == nil {
		*t = nil
		return nil
	}
	out := make(Translations, 0, len(m))
	for _, l := range Locales {
		if x, ok := m[l]; ok {
			out = append(out, LocaleText{Locale: l, Text: x})
		}
	}
	if len(out) != len(m) {
		for l := range m {
			if !l.Valid() {
				return fmt.Errorf("tsunagu: translations: %q is not a supported locale", l)
			}
		}
	}
	*t = out
	return nil
}
