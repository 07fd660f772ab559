package shopweb_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tsunagu/graph/gid"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// goods are the storefront's goods in the tests: three cookies, two of them made
// without wheat (one named in hiragana), and a spoon from the partner town.
type goods struct {
	butter, rice, soy, spoon *tsunagu.Product
	partner                  *tsunagu.Municipality
	partnerFac, homeFac      *tsunagu.Facility
	partnerShop              *tsunagu.Location
}

func (e *env) seedCatalog(t *testing.T) *goods {
	t.Helper()
	g := &goods{}
	g.partner = &tsunagu.Municipality{Code: "012041", Name: "旭川市", NameEn: "Asahikawa", NameKana: "あさひかわし", Prefecture: "北海道"}
	must(t, e.catalog.CreateMunicipality(e.admin, g.partner))
	_, err := e.catalog.CreatePartnership(e.admin, tsunagu.CreatePartnershipInput{MunicipalityA: e.home.ID, MunicipalityB: g.partner.ID})
	must(t, err)
	g.homeFac, err = e.catalog.CreateFacility(e.admin, tsunagu.CreateFacilityInput{MunicipalityID: e.home.ID, Name: "ワークショップ虹",
		NameKana: "わーくしょっぷにじ", Kind: tsunagu.FacilityEmploymentB, Corporation: "社会福祉法人にじ",
		Story: []tsunagu.FacilityStoryInput{{Locale: tsunagu.LocaleJA, Text: "12人のメンバーが毎朝クッキーを焼いています。"},
			{Locale: tsunagu.LocaleEN, Text: "Twelve members bake cookies every morning."}},
		ImageURLs: []string{e.url + "/img/cookie.svg"}})
	must(t, err)
	g.partnerFac, err = e.catalog.CreateFacility(e.admin, tsunagu.CreateFacilityInput{MunicipalityID: g.partner.ID, Name: "木工所ひまわり",
		NameKana: "もっこうじょひまわり", Kind: tsunagu.FacilityEmploymentA, Corporation: "株式会社ひまわり"})
	must(t, err)
	g.partnerShop = &tsunagu.Location{MunicipalityID: g.partner.ID, Kind: tsunagu.LocationShop, Name: "旭川市役所 ふくしの店"}
	must(t, e.catalog.CreateLocation(e.admin, g.partnerShop))
	active := tsunagu.StatusActive
	create := func(in tsunagu.CreateProductInput) *tsunagu.Product {
		in.Status = &active
		p, err := e.catalog.CreateProduct(e.admin, in)
		must(t, err)
		return p
	}
	g.butter = create(tsunagu.CreateProductInput{FacilityID: g.homeFac.ID, Category: tsunagu.CategorySweets, Price: 450, TaxClass: tsunagu.TaxReduced8,
		Translations: []tsunagu.TranslationInput{{Locale: tsunagu.LocaleJA, Name: "バタークッキー", Description: "北海道のバターをたっぷり使って焼きました。"},
			{Locale: tsunagu.LocaleEN, Name: "Butter cookies", Description: "Baked with plenty of Hokkaido butter."}},
		Allergens: []tsunagu.Allergen{tsunagu.AllergenWheat, tsunagu.AllergenEgg, tsunagu.AllergenMilk}, Code: ptr("4901234567894"),
		ImageURLs: []string{e.url + "/img/cookie.svg"}, ImageAlts: []string{"木のトレーに並んだバタークッキー"}})
	g.rice = create(tsunagu.CreateProductInput{FacilityID: g.homeFac.ID, Category: tsunagu.CategorySweets, Price: 380, TaxClass: tsunagu.TaxReduced8,
		Translations: []tsunagu.TranslationInput{{Locale: tsunagu.LocaleJA, Name: "米粉のくっきー"}, {Locale: tsunagu.LocaleEN, Name: "Rice-flour cookies"}},
		NameReading:  ptr("こめこのくっきー"), Allergens: []tsunagu.Allergen{tsunagu.AllergenEgg}, ImageURLs: []string{e.url + "/img/rice.svg"}})
	g.soy = create(tsunagu.CreateProductInput{FacilityID: g.homeFac.ID, Category: tsunagu.CategorySweets, Price: 400, TaxClass: tsunagu.TaxReduced8,
		Translations: []tsunagu.TranslationInput{{Locale: tsunagu.LocaleJA, Name: "豆乳クッキー"}, {Locale: tsunagu.LocaleEN, Name: "Soy milk cookies"}},
		NameReading:  ptr("とうにゅうくっきー"), Allergens: []tsunagu.Allergen{tsunagu.AllergenSoybean}, ImageURLs: []string{e.url + "/img/soy.svg"}})
	g.spoon = create(tsunagu.CreateProductInput{FacilityID: g.partnerFac.ID, Category: tsunagu.CategoryCraft, Price: 1200, TaxClass: tsunagu.TaxStandard10,
		Translations: []tsunagu.TranslationInput{{Locale: tsunagu.LocaleJA, Name: "木のスプーン"}}, NameReading: ptr("きのすぷーん"), ImageURLs: []string{e.url + "/img/spoon.svg"}})
	return g
}

func ptr[T any](v T) *T { return &v }

// get fetches a page as a browser of acceptLanguage would, and returns its body.
func get(t *testing.T, url, acceptLanguage string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept-Language", acceptLanguage)
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

var cardNames = regexp.MustCompile(`<span class="name">(.*?)</span>`)

func names(body string) string {
	var out []string
	for _, m := range cardNames.FindAllStringSubmatch(body, -1) {
		out = append(out, regexp.MustCompile(`<rt>.*?</rt>|<[^>]+>`).ReplaceAllString(m[1], ""))
	}
	return strings.Join(out, " ")
}

// A shopper with JavaScript off finds cookies by searching in katakana (the
// hiragana-named one too), leaves out those with wheat, sorts, opens the one
// left and goes on to its town and its maker; every page is plain HTML. Then the
// cart and the checkout, plain forms too, up to the page to pay, which says that
// paying by card needs JavaScript.
func TestBrowseWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	g := e.seedCatalog(t)
	b := newBrowser(t, "browse-nojs", "ja-JP,ja;q=0.9", false)
	b.open(e.url + "/shop/")
	if got := b.eval(`document.documentElement.lang`); got != "ja" {
		t.Errorf("lang %q", got)
	}
	contains(t, "the home page", b.text(), "港区", "旭川市", "北海道", "お菓子")
	b.do("typing a search in katakana", typeInto("#q", "クッキー"))
	b.submit("#q")
	if got := b.eval(`[...document.querySelectorAll(".card .name")].map(e => e.textContent).join(" ")`); got != "米粉のくっきー 豆乳クッキー バタークッキー" {
		t.Errorf("the search in katakana found %q", got)
	}
	b.do("ticking wheat", chromedp.Click(chromedp.CSS("#free-WHEAT")))
	b.follow(`.filters button[type=submit]`)
	if got := b.eval(`[...document.querySelectorAll(".card .name")].map(e => e.textContent).join(" ")`); got != "米粉のくっきー 豆乳クッキー" {
		t.Errorf("without wheat: %q", got)
	}
	if b.eval(`String(document.querySelector("#free-WHEAT").checked) + " " + document.querySelector("#q").value`) != "true クッキー" {
		t.Errorf("the form forgot what was asked")
	}
	b.follow(`.card a`)
	contains(t, "the product page", b.text(), "米粉のくっきー", "380円", "税込", "卵", "ワークショップ虹", "港区")
	if b.eval(`String(document.scripts.length === document.querySelectorAll('script[type="application/ld+json"]').length)`) != "true" {
		t.Errorf("a page runs a script")
	}
	b.follow(`.facts a[href^="/shop/towns/"]`)
	contains(t, "the town page", b.text(), "港区", "ワークショップ虹", "バタークッキー")
	b.follow(`.towns a[href^="/shop/facilities/"]`)
	contains(t, "the facility page", b.text(), "ワークショップ虹", "就労継続支援B型", "社会福祉法人にじ", "12人のメンバーが毎朝クッキーを焼いています。", "米粉のくっきー")

	// The cart and the checkout are plain forms too; only the card payment needs
	// JavaScript, and its page says so (the noscript, parsed as markup only where
	// scripts are off: proof that they are).
	e.openShop(t, g)
	b.follow(`.card a`)
	b.follow(`form.add button`)
	if got := b.eval(`String(document.querySelectorAll(".lines .line").length)`); got != "1" {
		t.Fatalf("the cart without JavaScript has %s lines", got)
	}
	b.follow(`a.button[href="/shop/checkout"]`)
	b.do("the contact", typeInto("#f-name", "山田 花子"), typeInto("#f-email", "hanako@example.jp"))
	b.submit("#f-email")
	contains(t, "the page to pay without JavaScript", b.textOf("noscript .summary"), "カードでのお支払いには JavaScript が必要です。")
	// (axe-core cannot run where scripts are off: these pages are checked with them on.)
}

func productURL(e *env, p *tsunagu.Product) string {
	return e.url + "/shop/products/" + gid.Encode(gid.KindProduct, int64(p.ID))
}

// The catalog's pages, without a browser: sorting, the shop's stock, findability
// (canonical, hreflang, schema.org Product), cache headers and the weight of each
// page with its stylesheet, which must stay under 100 KB.
func TestCatalogPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	g := e.seedCatalog(t)
	for _, tc := range []struct{ sort, want string }{
		{"", "木のスプーン 米粉のくっきー 豆乳クッキー バタークッキー"},
		{"price", "米粉のくっきー 豆乳クッキー バタークッキー 木のスプーン"},
		{"price-desc", "木のスプーン バタークッキー 豆乳クッキー 米粉のくっきー"},
		{"newest", "木のスプーン 豆乳クッキー 米粉のくっきー バタークッキー"},
	} {
		_, body := get(t, e.url+"/shop/products?sort="+tc.sort, "ja")
		if got := names(body); got != tc.want {
			t.Errorf("sort %q: %s, want %s", tc.sort, got, tc.want)
		}
	}
	_, err := postgres.NewStockService(e.db).AdjustStock(e.staff, tsunagu.AdjustStockInput{LocationID: g.partnerShop.ID, ProductID: g.spoon.ID,
		Quantity: 2, Reason: tsunagu.ReasonProduction, IdempotencyKey: "seed-spoon"})
	must(t, err)
	_, body := get(t, e.url+"/shop/products?shop="+gid.Encode(gid.KindLocation, int64(g.partnerShop.ID)), "ja")
	if got := names(body); got != "木のスプーン" {
		t.Errorf("in stock at the partner's shop: %s", got)
	}
	if _, body := get(t, e.url+"/shop/products?category=CRAFT", "ja"); names(body) != "木のスプーン" {
		t.Errorf("the crafts: %s", names(body))
	}
	// The allergen filter: the eight that must be labelled first, then the others.
	var free []string
	for _, m := range regexp.MustCompile(`id="free-([A-Z_]+)"`).FindAllStringSubmatch(body, -1) {
		free = append(free, m[1])
	}
	if got := strings.Join(free, " "); len(free) <= 8 || !strings.HasPrefix(got, "EGG MILK WHEAT SHRIMP CRAB PEANUT BUCKWHEAT WALNUT ") {
		t.Errorf("the allergen filter's order: %s", got)
	}

	res, body := get(t, productURL(e, g.butter)+"?lang=en", "ja")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Language") != "en" {
		t.Fatalf("the product page: %d, %s", res.StatusCode, res.Header.Get("Content-Language"))
	}
	id := gid.Encode(gid.KindProduct, int64(g.butter.ID))
	contains(t, "the product page", body,
		`<title>Butter cookies | Tsunagu Shop</title>`,
		`<meta name="description" content="Baked with plenty of Hokkaido butter.">`,
		`<link rel="canonical" href="`+e.url+`/shop/products/`+id+`?lang=en">`,
		`<link rel="alternate" hreflang="ja" href="`+e.url+`/shop/products/`+id+`?lang=ja">`,
		`<link rel="alternate" hreflang="ko" href="`+e.url+`/shop/products/`+id+`?lang=ko">`,
		`<link rel="alternate" hreflang="x-default" href="`+e.url+`/shop/products/`+id+`">`,
		`width="640" height="480"`, "¥450", `<span lang="ja">ワークショップ虹</span>`, `alt="Butter cookies"`)
	// In Japanese the picture is described as the staff wrote it.
	_, ja := get(t, productURL(e, g.butter)+"?lang=ja", "ja")
	contains(t, "the product page in Japanese", ja, `alt="木のトレーに並んだバタークッキー"`)
	ld := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(body)
	if ld == nil {
		t.Fatal("no schema.org data")
	}
	var product struct {
		Type   string `json:"@type"`
		Name   string
		GTIN13 string
		Offers struct {
			Price         int64
			PriceCurrency string
		}
	}
	must(t, json.Unmarshal([]byte(ld[1]), &product))
	if product.Type != "Product" || product.Name != "Butter cookies" || product.GTIN13 != "4901234567894" ||
		product.Offers.Price != 450 || product.Offers.PriceCurrency != "JPY" {
		t.Errorf("schema.org data: %+v", product)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=60, stale-while-revalidate=600" {
		t.Errorf("Cache-Control %q", cc)
	}
	req, _ := http.NewRequest(http.MethodGet, productURL(e, g.butter)+"?lang=en", nil)
	req.Header.Set("If-None-Match", res.Header.Get("ETag"))
	again, err := http.DefaultClient.Do(req)
	must(t, err)
	again.Body.Close()
	if again.StatusCode != http.StatusNotModified {
		t.Errorf("the same page again with its ETag: %d, want 304", again.StatusCode)
	}
	// The page depends on the browser's language and the cookies, and says so on
	// the 304 as on the page, for the caches between.
	for _, r := range []*http.Response{res, again} {
		if v := r.Header.Get("Vary"); v != "Accept-Language, Cookie" {
			t.Errorf("%d: Vary %q, want Accept-Language, Cookie", r.StatusCode, v)
		}
	}
	// Addresses start at the site's public address, whatever Host the request names.
	req, _ = http.NewRequest(http.MethodGet, productURL(e, g.butter)+"?lang=en", nil)
	req.Host = "evil.example"
	forged, err := http.DefaultClient.Do(req)
	must(t, err)
	page, _ := io.ReadAll(forged.Body)
	forged.Body.Close()
	if strings.Contains(string(page), "evil.example") {
		t.Errorf("a request for Host evil.example puts it into the page:\n%s", page)
	}
	contains(t, "the page for another Host", string(page), `<link rel="canonical" href="`+e.url+`/shop/products/`+id+`?lang=en">`,
		`<link rel="alternate" hreflang="x-default" href="`+e.url+`/shop/products/`+id+`">`, `"url":"`+e.url+`/shop/products/`+id+`"`)
	if res, _ := get(t, e.url+"/shop/products/"+gid.Encode(gid.KindProduct, 999999), "ja"); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown product: %d", res.StatusCode)
	}

	facility := e.url + "/shop/facilities/" + gid.Encode(gid.KindFacility, int64(g.homeFac.ID))
	_, body = get(t, facility+"?lang=en", "ja")
	contains(t, "the facility's page in English", body, `<p class="description">Twelve members bake cookies every morning.</p>`,
		`<img src="`+e.url+`/img/cookie.svg" alt="ワークショップ虹 (1)" width="320" height="240" loading="lazy"`)
	_, body = get(t, facility+"?lang=zh", "ja")
	contains(t, "the facility's page in Chinese", body, `<p class="description" lang="ja">12人のメンバーが毎朝クッキーを焼いています。</p>`)

	_, css := get(t, e.url+"/shop/static/style.css", "ja")
	for _, page := range []string{"/shop/", "/shop/products?q=クッキー&free=WHEAT", "/shop/products/" + id,
		"/shop/towns/" + gid.Encode(gid.KindMunicipality, int64(e.home.ID)), "/shop/facilities/" + gid.Encode(gid.KindFacility, int64(g.homeFac.ID))} {
		for _, lang := range []string{"ja", "ja-x-easy", "en", "zh", "ko"} {
			res, body := get(t, e.url+page+sep(page)+"lang="+lang, "ja")
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s in %s: %d", page, lang, res.StatusCode)
			}
			weight := len(body) + len(css)
			if lang == "ja" {
				t.Logf("page weight of %s: %d bytes (%d HTML + %d CSS)", page, weight, len(body), len(css))
			}
			if weight > 100*1024 {
				t.Errorf("%s in %s weighs %d bytes with its stylesheet, over 100 KB", page, lang, weight)
			}
		}
	}
}

func sep(u string) string {
	if strings.Contains(u, "?") {
		return "&"
	}
	return "?"
}

// Every catalog page (and the page of a product that is not there) passes
// axe-core, reflows and marks Japanese, in each of the five languages; names
// without a translation are marked Japanese, and やさしい日本語 shows readings.
func TestCatalogAccessibility(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	g := e.seedCatalog(t)
	pages := map[string]string{
		"home":     "/shop/",
		"search":   "/shop/products?q=%E3%82%AF%E3%83%83%E3%82%AD%E3%83%BC&free=WHEAT",
		"product":  "/shop/products/" + gid.Encode(gid.KindProduct, int64(g.spoon.ID)),
		"town":     "/shop/towns/" + gid.Encode(gid.KindMunicipality, int64(g.partner.ID)),
		"facility": "/shop/facilities/" + gid.Encode(gid.KindFacility, int64(g.partnerFac.ID)),
		"category": "/shop/products?category=SWEETS&sort=price",
		"missing":  "/shop/products/" + gid.Encode(gid.KindProduct, 999999),
	}
	for _, lang := range []string{"ja", "ja-x-easy", "en", "zh", "ko"} {
		b := newBrowser(t, "a11y-"+lang, "ja", true)
		for _, name := range []string{"home", "search", "product", "town", "facility", "category", "missing"} {
			b.open(e.url + pages[name] + sep(pages[name]) + "lang=" + lang)
			b.checkA11y(name + "-" + lang)
		}
		b.open(e.url + pages["product"] + "?lang=" + lang)
		h1 := b.eval(`document.querySelector("h1").innerHTML`)
		switch lang {
		case "ja-x-easy":
			if h1 != "<ruby>木のスプーン<rt>きのすぷーん</rt></ruby>" {
				t.Errorf("the name in やさしい日本語: %s", h1)
			}
		case "ja":
			if h1 != "木のスプーン" {
				t.Errorf("the name in Japanese: %s", h1)
			}
		default:
			if h1 != `<span lang="ja">木のスプーン</span>` {
				t.Errorf("the untranslated name in %s: %s", lang, h1)
			}
		}
	}
}
