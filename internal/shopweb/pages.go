package shopweb

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"tsunagu/internal/mail"
	"tsunagu/internal/tsunagu"
)

// option is one choice of a select, a checkbox or a list of links.
type option struct {
	Value    string
	Label    template.HTML
	Selected bool
	Lang     string // set when the label is in another language than the page
}

var categories = []string{"FOOD", "SWEETS", "BAKERY", "BEVERAGE", "CRAFT", "TEXTILE", "STATIONERY", "HOUSEHOLD", "PLANT", "OTHER"}

// mandatoryAllergens are the eight 特定原材料, first in the filter.
var mandatoryAllergens = []string{"EGG", "MILK", "WHEAT", "SHRIMP", "CRAB", "PEANUT", "BUCKWHEAT", "WALNUT"}

type apiAllergen struct {
	Allergen, NameJa, NameEn string
	Mandatory                bool
}

// allergenLabel names an allergen in l: the eight mandatory ones in every
// language of the shop, the others in Japanese or English as the API has them.
func allergenLabel(l tsunagu.Locale, a apiAllergen) option {
	if a.Mandatory {
		return option{Value: a.Allergen, Label: msg(l, "allergen"+a.Allergen)}
	}
	switch l {
	case tsunagu.LocaleJA, tsunagu.LocaleJAEasy:
		return option{Value: a.Allergen, Label: template.HTML(template.HTMLEscapeString(a.NameJa))}
	case tsunagu.LocaleZH:
		return option{Value: a.Allergen, Label: template.HTML(template.HTMLEscapeString(a.NameJa)), Lang: "ja"}
	}
	return option{Value: a.Allergen, Label: template.HTML(template.HTMLEscapeString(a.NameEn)), Lang: "en"}
}

// catalogHeaders lets browsers and caches keep a catalog page a minute (ten
// minutes stale while they check again) when nobody is signed in; a signed-in
// shopper's page is theirs alone. The ETag lets a browser check cheaply.
func catalogHeaders(w http.ResponseWriter, r *http.Request, body []byte) bool {
	h := w.Header()
	// A 304 carries the Vary of the page it stands for, or a cache would answer
	// the next browser of another language with this one's copy.
	varyByLanguage(h)
	if _, err := r.Cookie(sessionCookie); err == nil {
		h.Set("Cache-Control", "private, no-cache")
	} else {
		h.Set("Cache-Control", "public, max-age=60, stale-while-revalidate=600")
	}
	sum := sha256.Sum256(body)
	tag := `W/"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	h.Set("ETag", tag)
	return r.Header.Get("If-None-Match") == tag
}

// seo fills in a catalog page's canonical address (itself in its language) and
// the same page in the other languages, with x-default for the browser's choice.
func (s *server) seo(r *http.Request, v *view) {
	base := s.publicURL
	u := selfURL(r)
	q := u.Query()
	q.Del(langParam)
	q.Del("after")
	u.RawQuery = q.Encode()
	v.Canonical = base + withLang(u, v.L)
	for _, o := range []tsunagu.Locale{tsunagu.LocaleJA, tsunagu.LocaleEN, tsunagu.LocaleZH, tsunagu.LocaleKO} {
		v.Alternates = append(v.Alternates, alternate{Lang: htmlLang(o), Href: base + withLang(u, o)})
	}
	def := u.Path
	if u.RawQuery != "" {
		def += "?" + u.RawQuery
	}
	v.Alternates = append(v.Alternates, alternate{Lang: "x-default", Href: base + def})
}

// catalogFailed answers a page whose data the API did not give.
func (s *server) catalogFailed(w http.ResponseWriter, r *http.Request, l tsunagu.Locale, err error) {
	status := http.StatusInternalServerError
	key := "errInternal"
	switch errorCode(err) {
	case "RATE_LIMITED", "UNAVAILABLE", "TIMEOUT":
		status, key = http.StatusServiceUnavailable, "errBusy"
		w.Header().Set("Retry-After", "5")
	case "INVALID_INPUT", "OUT_OF_RANGE", "TOO_LONG":
		status, key = http.StatusBadRequest, "errListQuery"
	default:
		s.log.ErrorContext(r.Context(), "shop: calling the API", "path", r.URL.Path, "err", err)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "account", view{L: l, Title: msgText(l, "siteName"),
		Data: accountPage{Heading: msg(l, "sorry"), Done: msg(l, key), Links: []link{{"/shop/", msg(l, "backToShop")}}}})
}

func (s *server) notFound(w http.ResponseWriter, r *http.Request, l tsunagu.Locale) {
	w.Header().Set("Cache-Control", "public, max-age=60")
	s.render(w, r, http.StatusNotFound, "account", view{L: l, Title: msgText(l, "notFound"),
		Data: accountPage{Heading: msg(l, "notFound"), Done: msg(l, "notFoundBody"), Links: []link{{"/shop/", msg(l, "backToShop")}}}})
}

// homePage is the shop's first page: search, categories, the partner towns and
// the newest goods.
type homePage struct {
	Categories []option
	Towns      []townLink
	Newest     []card
}

type townLink struct {
	Href       string
	Name, Pref template.HTML
}

func (s *server) home(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/shop/" {
		l, _ := localeOf(r)
		s.notFound(w, r, l)
		return
	}
	l := pageLang(w, r)
	var out struct {
		Municipalities struct{ Edges []struct{ Node apiTown } }
	}
	if err := s.api.do(r, "", `{ municipalities(first: 100) { edges { node { id name nameEn nameKana prefecture } } } }`, nil, &out); err != nil {
		s.catalogFailed(w, r, l, err)
		return
	}
	newest, _, err := s.products(r, l, listQuery{Sort: "newest"}, 8)
	if err != nil {
		s.catalogFailed(w, r, l, err)
		return
	}
	p := homePage{Newest: newest}
	for _, c := range categories {
		p.Categories = append(p.Categories, option{Value: "/shop/products?category=" + c, Label: msg(l, "category"+c)})
	}
	for _, e := range out.Municipalities.Edges {
		p.Towns = append(p.Towns, townLink{Href: "/shop/towns/" + url.PathEscape(e.Node.ID), Name: townName(l, e.Node),
			Pref: japaneseName(l, e.Node.Prefecture, "")})
	}
	v := view{L: l, Title: msgText(l, "homeTitle"), Description: msgText(l, "homeDescription"), Data: p}
	s.seo(r, &v)
	s.renderCatalog(w, r, "home", v)
}

// renderCatalog renders a catalog page with its cache headers (and 304 when the
// browser has it already).
func (s *server) renderCatalog(w http.ResponseWriter, r *http.Request, name string, v view) {
	body, ok := s.page(w, r, name, v)
	if !ok {
		return
	}
	if catalogHeaders(w, r, body) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	s.write(w, v.L, http.StatusOK, body)
}

// listPage is a list of the goods with the form that narrows and sorts it.
type listPage struct {
	Heading    template.HTML
	Intro      template.HTML
	Corp       template.HTML // a facility's operator
	Story      string        // a facility's story
	StoryLang  string
	Pictures   []picture
	Facilities []townLink // a town's facilities, or a facility's town
	Query      listQuery
	Hidden     []hidden
	Categories []option
	Mandatory  []option
	Others     []option
	OthersOpen bool
	Shops      []option
	Sorts      []option
	Products   []card
	Next       string
}

// list is the search page and the page of a category, a town or a facility.
func (s *server) list(w http.ResponseWriter, r *http.Request) {
	l := pageLang(w, r)
	lq := readListQuery(r)
	p := listPage{Query: lq, Heading: msg(l, "allGoods")}
	switch {
	case lq.Text != "":
		p.Heading = msg(l, "resultsFor", "q", typed(l, lq.Text))
	case lq.Category != "":
		if !slices.Contains(categories, lq.Category) {
			s.notFound(w, r, l)
			return
		}
		p.Heading = msg(l, "category"+lq.Category)
	}
	s.listInto(w, r, l, lq, &p, "products")
}

// listInto reads the goods and the choices of the form and renders the page.
func (s *server) listInto(w http.ResponseWriter, r *http.Request, l tsunagu.Locale, lq listQuery, p *listPage, title string) {
	var out struct {
		Allergens []apiAllergen
		Locations struct {
			Edges []struct{ Node struct{ ID, Name string } }
		}
	}
	if err := s.api.do(r, "", `{ allergens { allergen nameJa nameEn mandatory }
		locations(filter: {kind: SHOP}, first: 100) { edges { node { id name } } } }`, nil, &out); err != nil {
		s.catalogFailed(w, r, l, err)
		return
	}
	cards, next, err := s.products(r, l, lq, pageSize)
	if err != nil {
		s.catalogFailed(w, r, l, err)
		return
	}
	p.Products, p.Next = cards, next
	for _, c := range categories {
		p.Categories = append(p.Categories, option{Value: c, Label: msg(l, "category"+c), Selected: c == lq.Category})
	}
	byCode := map[string]apiAllergen{}
	for _, a := range out.Allergens {
		byCode[a.Allergen] = a
	}
	for _, code := range mandatoryAllergens {
		o := allergenLabel(l, byCode[code])
		o.Value, o.Selected = code, slices.Contains(lq.FreeOf, code)
		p.Mandatory = append(p.Mandatory, o)
	}
	for _, a := range out.Allergens {
		if !a.Mandatory {
			o := allergenLabel(l, a)
			o.Selected = slices.Contains(lq.FreeOf, a.Allergen)
			p.OthersOpen = p.OthersOpen || o.Selected
			p.Others = append(p.Others, o)
		}
	}
	for _, e := range out.Locations.Edges {
		o := option{Value: e.Node.ID, Label: template.HTML(template.HTMLEscapeString(e.Node.Name)), Selected: e.Node.ID == lq.Shop}
		if l != tsunagu.LocaleJA && l != tsunagu.LocaleJAEasy {
			o.Lang = "ja"
		}
		p.Shops = append(p.Shops, o)
	}
	for _, so := range sorts {
		p.Sorts = append(p.Sorts, option{Value: so, Label: msg(l, "sort-"+so), Selected: so == lq.Sort})
	}
	titleText := msgText(l, "allGoods")
	if lq.Text != "" {
		titleText = msgText(l, "resultsFor", "q", lq.Text)
	} else if lq.Category != "" {
		titleText = msgText(l, "category"+lq.Category)
	}
	if title != "products" {
		titleText = title
	}
	v := view{L: l, Title: titleText, Description: msgText(l, "homeDescription"), Data: p}
	s.seo(r, &v)
	s.renderCatalog(w, r, "products", v)
}

type picture struct{ Src, Alt string }

// productPage is one of the goods.
type productPage struct {
	ID          string
	Name        template.HTML
	Description string
	DescLang    string
	Price       string
	TaxNote     template.HTML
	Images      []picture
	Allergens   []option
	Maker       template.HTML
	MakerHref   string
	Kind        template.HTML
	Town        template.HTML
	TownHref    string
	Category    template.HTML
	JSONLD      template.JS
}

func (s *server) product(w http.ResponseWriter, r *http.Request) {
	l := pageLang(w, r)
	var out struct {
		Product   *apiProduct
		Allergens []apiAllergen
	}
	err := s.api.do(r, "", `query($id: ID!, $locale: Locale) {
		product(id: $id, locale: $locale) { `+productFields+` imageAlts description category allergens code createdAt
			facility { kind corporation } }
		allergens { allergen nameJa nameEn mandatory } }`,
		map[string]any{"id": r.PathValue("id"), "locale": string(l)}, &out)
	if err != nil {
		s.catalogFailed(w, r, l, err)
		return
	}
	pr := out.Product
	if pr == nil {
		s.notFound(w, r, l)
		return
	}
	p := productPage{ID: pr.ID, Name: productName(l, pr), Description: pr.Description, Price: mail.Yen(l, pr.Price),
		TaxNote: msg(l, "taxIncluded", "rate", pr.TaxRate),
		Maker:   japaneseName(l, pr.Facility.Name, pr.Facility.NameKana), MakerHref: "/shop/facilities/" + url.PathEscape(pr.Facility.ID),
		Kind: msg(l, "kind"+pr.Facility.Kind), Town: townName(l, pr.Municipality), TownHref: "/shop/towns/" + url.PathEscape(pr.Municipality.ID),
		Category: msg(l, "category"+pr.Category)}
	for i, src := range pr.ImageURLs {
		alt := pr.Name
		if i > 0 {
			alt = msgText(l, "pictureN", "name", pr.Name, "n", i+1)
		}
		// The staff's own description of the picture, written in Japanese.
		if (l == tsunagu.LocaleJA || l == tsunagu.LocaleJAEasy) && i < len(pr.ImageAlts) && pr.ImageAlts[i] != "" {
			alt = pr.ImageAlts[i]
		}
		p.Images = append(p.Images, picture{Src: src, Alt: alt})
	}
	if !pr.translated(l) && l != tsunagu.LocaleJA && l != tsunagu.LocaleJAEasy {
		p.DescLang = "ja"
	}
	byCode := map[string]apiAllergen{}
	for _, a := range out.Allergens {
		byCode[a.Allergen] = a
	}
	for _, a := range pr.Allergens {
		if info, ok := byCode[a]; ok {
			p.Allergens = append(p.Allergens, allergenLabel(l, info))
		}
	}
	base := s.publicURL
	ld := map[string]any{
		"@context": "https://schema.org", "@type": "Product", "name": pr.Name,
		"url":   base + "/shop/products/" + pr.ID,
		"brand": map[string]any{"@type": "Organization", "name": pr.Facility.Name},
		"offers": map[string]any{"@type": "Offer", "price": pr.Price, "priceCurrency": "JPY",
			"availability": "https://schema.org/InStock", "url": base + "/shop/products/" + pr.ID},
	}
	if pr.Description != "" {
		ld["description"] = pr.Description
	}
	if len(pr.ImageURLs) > 0 {
		ld["image"] = pr.ImageURLs
	}
	if pr.Code != nil && len(*pr.Code) == 13 {
		ld["gtin13"] = *pr.Code
	}
	js, err := json.Marshal(ld) // escapes <, > and & as \u003c…: safe inside <script>
	if err != nil {
		s.catalogFailed(w, r, l, err)
		return
	}
	p.JSONLD = template.JS(js)
	desc := pr.Description
	if desc == "" {
		desc = msgText(l, "productDescription", "name", pr.Name, "maker", pr.Facility.Name, "price", p.Price)
	}
	if r := []rune(desc); len(r) > 150 {
		desc = string(r[:150]) + "…"
	}
	v := view{L: l, Title: pr.Name, Description: desc, Data: p}
	s.seo(r, &v)
	s.renderCatalog(w, r, "product", v)
}

// town is a municipality's page: its facilities and its goods.
func (s *server) town(w http.ResponseWriter, r *http.Request) {
	l := pageLang(w, r)
	var out struct {
		Node *struct {
			apiTown
			Facilities struct {
				Edges []struct{ Node apiFacility }
			}
		}
	}
	err := s.api.do(r, "", `query($id: ID!) { node(id: $id) { ... on Municipality { id name nameEn nameKana prefecture
		facilities(first: 100) { edges { node { id name nameKana kind } } } } } }`, map[string]any{"id": r.PathValue("id")}, &out)
	if err != nil && errorCode(err) != "NOT_FOUND" {
		s.catalogFailed(w, r, l, err)
		return
	}
	if out.Node == nil || out.Node.ID == "" {
		s.notFound(w, r, l)
		return
	}
	t := out.Node.apiTown
	lq := readListQuery(r)
	lq.Town, lq.Facility = t.ID, ""
	p := listPage{Query: lq, Heading: townName(l, t), Intro: msg(l, "prefecture") + japaneseName(l, t.Prefecture, "")}
	for _, e := range out.Node.Facilities.Edges {
		p.Facilities = append(p.Facilities, townLink{Href: "/shop/facilities/" + url.PathEscape(e.Node.ID),
			Name: japaneseName(l, e.Node.Name, e.Node.NameKana), Pref: msg(l, "kind"+e.Node.Kind)})
	}
	title := t.Name
	if l == tsunagu.LocaleEN && t.NameEn != "" {
		title = t.NameEn
	}
	s.listInto(w, r, l, lq, &p, title)
}

// facility is a facility's page: what kind of work it does, who runs it, its goods.
func (s *server) facility(w http.ResponseWriter, r *http.Request) {
	l := pageLang(w, r)
	var out struct {
		Node *struct {
			apiFacility
			Story, StoryJa string
			ImageURLs      []string `json:"imageUrls"`
		}
	}
	err := s.api.do(r, "", `query($id: ID!, $l: Locale) { node(id: $id) { ... on Facility { id name nameKana kind corporation
		story(locale: $l) storyJa: story(locale: JA) imageUrls municipality { id name nameEn nameKana prefecture } } } }`,
		map[string]any{"id": r.PathValue("id"), "l": string(l)}, &out)
	if err != nil && errorCode(err) != "NOT_FOUND" {
		s.catalogFailed(w, r, l, err)
		return
	}
	if out.Node == nil || out.Node.ID == "" || out.Node.Municipality == nil {
		s.notFound(w, r, l)
		return
	}
	f := out.Node
	lq := readListQuery(r)
	lq.Facility, lq.Town = f.ID, ""
	p := listPage{Query: lq, Heading: japaneseName(l, f.Name, f.NameKana), Intro: msg(l, "kind"+f.Kind),
		Corp: japaneseName(l, f.Corporation, ""), Story: f.Story}
	// A story the facility wrote in Japanese only is marked so on other pages.
	if f.Story == f.StoryJa && l != tsunagu.LocaleJA && l != tsunagu.LocaleJAEasy {
		p.StoryLang = "ja"
	}
	for i, src := range f.ImageURLs {
		p.Pictures = append(p.Pictures, picture{Src: src, Alt: msgText(l, "pictureN", "name", f.Name, "n", i+1)})
	}
	p.Facilities = []townLink{{Href: "/shop/towns/" + url.PathEscape(f.Municipality.ID), Name: townName(l, *f.Municipality),
		Pref: japaneseName(l, f.Municipality.Prefecture, "")}}
	s.listInto(w, r, l, lq, &p, f.Name)
}
