package shopweb

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"tsunagu/internal/tsunagu"
)

// The storefront's languages, in the order of the switch. やさしい日本語 always
// shows furigana; 日本語 never does.
var langs = []tsunagu.Locale{tsunagu.LocaleJA, tsunagu.LocaleJAEasy, tsunagu.LocaleEN, tsunagu.LocaleZH, tsunagu.LocaleKO}

// langNames are the languages as the switch shows them, each in itself.
var langNames = map[tsunagu.Locale]string{
	tsunagu.LocaleJA: "日本語", tsunagu.LocaleJAEasy: "やさしい にほんご", tsunagu.LocaleEN: "English",
	tsunagu.LocaleZH: "中文", tsunagu.LocaleKO: "한국어",
}

// htmlLang is the lang attribute of a page in l: やさしい日本語 is Japanese to a
// screen reader.
func htmlLang(l tsunagu.Locale) string {
	switch l {
	case tsunagu.LocaleJA, tsunagu.LocaleJAEasy:
		return "ja"
	case tsunagu.LocaleZH:
		return "zh-Hans"
	}
	return l.Tag()
}

var matcher = language.NewMatcher([]language.Tag{language.Japanese, language.English,
	language.SimplifiedChinese, language.Korean})

// langParam is the name of the query parameter (and cookie) that picks a language.
const langParam = "lang"

// localeOf picks the language of a request: the lang parameter of the address
// (the switch's links), then the one chosen before (a cookie), then the browser's
// Accept-Language; Japanese when nothing matches.
func localeOf(r *http.Request) (tsunagu.Locale, bool) {
	if l, ok := parseLang(r.URL.Query().Get(langParam)); ok {
		return l, true
	}
	if r.Method == http.MethodPost {
		if l, ok := parseLang(r.PostFormValue(langParam)); ok {
			return l, true
		}
	}
	if c, err := r.Cookie(langParam); err == nil {
		if l, ok := parseLang(c.Value); ok {
			return l, false
		}
	}
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if len(tags) == 0 {
		return tsunagu.LocaleJA, false
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return tsunagu.LocaleJA, false
	}
	return langs[[]int{0, 2, 3, 4}[i]], false
}

// pageLang is the language of the page for r, remembered when the shopper chose
// it with the switch.
func pageLang(w http.ResponseWriter, r *http.Request) tsunagu.Locale {
	l, chosen := localeOf(r)
	rememberLang(w, r, l, chosen)
	return l
}

func parseLang(s string) (tsunagu.Locale, bool) {
	for _, l := range langs {
		if s == l.Tag() {
			return l, true
		}
	}
	return "", false
}

// withLang gives the address path?query with the lang parameter set to l.
func withLang(u *url.URL, l tsunagu.Locale) string {
	q := u.Query()
	q.Set(langParam, l.Tag())
	return u.Path + "?" + q.Encode()
}

// msg renders the entry key in l as HTML: furigana marked {漢字|かんじ} become ruby
// in やさしい日本語 and plain kanji in 日本語; {name} placeholders take args in
// pairs (name, value), escaped. An entry missing in l falls back to English.
func msg(l tsunagu.Locale, key string, args ...any) template.HTML {
	return template.HTML(render(l, entry(l, key), true, args))
}

// msgText is msg as plain text, for attributes and titles.
func msgText(l tsunagu.Locale, key string, args ...any) string {
	return render(l, entry(l, key), false, args)
}

func entry(l tsunagu.Locale, key string) string {
	e, ok := messages[key]
	if !ok {
		panic("shopweb: no message " + strconv.Quote(key))
	}
	if s, ok := e[l]; ok {
		return s
	}
	return e[tsunagu.LocaleEN]
}

func render(l tsunagu.Locale, s string, html bool, args []any) string {
	var b strings.Builder
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(esc(s, html))
			break
		}
		b.WriteString(esc(s[:i], html))
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(esc(s[i:], html))
			break
		}
		inner := s[i+1 : i+j]
		s = s[i+j+1:]
		if base, reading, ok := strings.Cut(inner, "|"); ok {
			if html && l == tsunagu.LocaleJAEasy {
				b.WriteString("<ruby>" + esc(base, true) + "<rt>" + esc(reading, true) + "</rt></ruby>")
			} else {
				b.WriteString(esc(base, html))
			}
			continue
		}
		if v, markup := arg(inner, args); markup && html {
			b.WriteString(v)
		} else {
			b.WriteString(esc(v, html))
		}
	}
	return b.String()
}

// arg is the argument name of args as text; markup reports that it is HTML
// already (a name with its reading or its lang), to be written as it is.
func arg(name string, args []any) (v string, markup bool) {
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] == name {
			switch v := args[i+1].(type) {
			case string:
				return v, false
			case template.HTML:
				return string(v), true
			case int:
				return strconv.Itoa(v), false
			case int64:
				return strconv.FormatInt(v, 10), false
			}
		}
	}
	return "{" + name + "}", false
}

func esc(s string, html bool) string {
	if !html {
		return s
	}
	return template.HTMLEscapeString(s)
}
