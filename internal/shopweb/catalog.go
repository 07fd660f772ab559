package shopweb

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"tsunagu/internal/mail"
	"tsunagu/internal/tsunagu"
)

// pageSize is how many goods a list page shows.
const pageSize = 24

// productFields are what a card of the goods shows.
const productFields = `id name nameReading price taxRate imageUrls translations { locale }
	facility { id name nameKana } municipality { id name nameEn nameKana prefecture }`

type apiProduct struct {
	ID           string
	Name         string
	NameReading  *string
	Description  string
	Price        int64
	TaxRate      int
	Category     string
	Allergens    []string
	ImageURLs    []string `json:"imageUrls"`
	ImageAlts    []string `json:"imageAlts"`
	Code         *string
	CreatedAt    string
	UpdatedAt    string
	Translations []struct{ Locale string }
	Facility     apiFacility
	Municipality apiTown
}

type apiFacility struct {
	ID, Name, NameKana, Kind, Corporation string
	Municipality                          *apiTown
}

type apiTown struct {
	ID, Name, NameEn, NameKana, Prefecture string
}

// translated reports whether the product has its own name in l (else the API
// gave the Japanese one).
func (p *apiProduct) translated(l tsunagu.Locale) bool {
	if l == tsunagu.LocaleJA {
		return true
	}
	for _, t := range p.Translations {
		if t.Locale == string(l) {
			return true
		}
	}
	return false
}

// card is one of the goods in a list.
type card struct {
	Href, Price, Image string
	Name, Maker, Town  template.HTML
}

func (s *server) card(l tsunagu.Locale, p *apiProduct) card {
	c := card{Href: "/shop/products/" + url.PathEscape(p.ID), Price: mail.Yen(l, p.Price),
		Name: productName(l, p), Maker: japaneseName(l, p.Facility.Name, p.Facility.NameKana),
		Town: townName(l, p.Municipality)}
	if len(p.ImageURLs) > 0 {
		c.Image = p.ImageURLs[0]
	}
	return c
}

// productName is the product's name as the page shows it: with its reading as
// furigana in やさしい日本語, and marked Japanese where the page is in another
// language and the product has no name in it.
func productName(l tsunagu.Locale, p *apiProduct) template.HTML {
	if p.translated(l) {
		return template.HTML(template.HTMLEscapeString(p.Name))
	}
	reading := ""
	if p.NameReading != nil {
		reading = *p.NameReading
	}
	return japaneseName(l, p.Name, reading)
}

// japaneseName is a name that is always Japanese (a facility's, a shop's): ruby
// with its reading in やさしい日本語, lang="ja" on pages in other languages.
func japaneseName(l tsunagu.Locale, name, reading string) template.HTML {
	n := template.HTMLEscapeString(name)
	switch {
	case l == tsunagu.LocaleJAEasy && reading != "" && hasKanji(name):
		return template.HTML("<ruby>" + n + "<rt>" + template.HTMLEscapeString(reading) + "</rt></ruby>")
	case l == tsunagu.LocaleJA || l == tsunagu.LocaleJAEasy:
		return template.HTML(n)
	}
	return template.HTML(`<span lang="ja">` + n + `</span>`)
}

// typed is text the shopper typed (a search) as a page in l shows it: marked
// Japanese on a page in another language when it is written in kana, or in kanji
// on a page that is not Chinese.
func typed(l tsunagu.Locale, s string) template.HTML {
	esc := template.HTMLEscapeString(s)
	kana := strings.ContainsFunc(s, func(r rune) bool { return r >= 0x3040 && r <= 0x30FF })
	if l == tsunagu.LocaleJA || l == tsunagu.LocaleJAEasy || !kana && (l == tsunagu.LocaleZH || !hasKanji(s)) {
		return template.HTML(esc)
	}
	return template.HTML(`<span lang="ja">` + esc + `</span>`)
}

func hasKanji(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF || r == '々' })
}

// townName is a municipality with its prefecture: 港区（東京都）, Minato (Tokyo).
func townName(l tsunagu.Locale, t apiTown) template.HTML {
	if l == tsunagu.LocaleEN && t.NameEn != "" {
		return template.HTML(template.HTMLEscapeString(t.NameEn))
	}
	return japaneseName(l, t.Name, t.NameKana)
}

// listQuery is what a list of the goods was asked for, from the address.
type listQuery struct {
	Text, Category, Town, Facility, Shop, Sort, After string
	FreeOf                                            []string
}

var sorts = []string{"name", "price", "price-desc", "newest"}

// orderOf maps the page's sort to the API's ProductOrder.
var orderOf = map[string]string{"name": "NAME", "price": "PRICE_ASC", "price-desc": "PRICE_DESC", "newest": "NEWEST"}

func readListQuery(r *http.Request) listQuery {
	q := r.URL.Query()
	lq := listQuery{Text: strings.TrimSpace(q.Get("q")), Category: q.Get("category"), Town: q.Get("town"),
		Facility: q.Get("facility"), Shop: q.Get("shop"), Sort: q.Get("sort"), After: q.Get("after")}
	if !slices.Contains(sorts, lq.Sort) {
		lq.Sort = "name"
	}
	for _, a := range q["free"] {
		if _, ok := tsunagu.Allergen(a).Info(); ok && !slices.Contains(lq.FreeOf, a) {
			lq.FreeOf = append(lq.FreeOf, a)
		}
	}
	return lq
}

// values is the query as an address's parameters, without the page position.
func (lq listQuery) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"q": lq.Text, "category": lq.Category, "town": lq.Town,
		"facility": lq.Facility, "shop": lq.Shop} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if lq.Sort != "name" {
		v.Set("sort", lq.Sort)
	}
	for _, a := range lq.FreeOf {
		v.Add("free", a)
	}
	return v
}

func (lq listQuery) filter() map[string]any {
	f := map[string]any{}
	for k, s := range map[string]string{"text": lq.Text, "category": lq.Category, "municipalityId": lq.Town,
		"facilityId": lq.Facility, "inStockAt": lq.Shop} {
		if s != "" {
			f[k] = s
		}
	}
	if len(lq.FreeOf) > 0 {
		f["freeOf"] = lq.FreeOf
	}
	return f
}

// products reads one page of the goods for lq.
func (s *server) products(r *http.Request, l tsunagu.Locale, lq listQuery, first int) ([]card, string, error) {
	var out struct {
		Products struct {
			Edges    []struct{ Node apiProduct }
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
	vars := map[string]any{"f": lq.filter(), "first": first, "locale": string(l), "order": orderOf[lq.Sort]}
	if lq.After != "" {
		vars["after"] = lq.After
	}
	err := s.api.do(r, "", `query($f: ProductFilter, $first: Int, $after: String, $locale: Locale, $order: ProductOrder) {
		products(filter: $f, first: $first, after: $after, locale: $locale, orderBy: $order) {
			edges { node { `+productFields+` } } pageInfo { hasNextPage endCursor } } }`, vars, &out)
	if err != nil {
		return nil, "", err
	}
	cards := make([]card, len(out.Products.Edges))
	for i, e := range out.Products.Edges {
		cards[i] = s.card(l, &e.Node)
	}
	next := ""
	if out.Products.PageInfo.HasNextPage && out.Products.PageInfo.EndCursor != nil {
		v := lq.values()
		v.Set("after", *out.Products.PageInfo.EndCursor)
		next = "/shop/products?" + v.Encode()
	}
	return cards, next, nil
}
