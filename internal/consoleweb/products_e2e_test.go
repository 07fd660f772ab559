package consoleweb_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tsunagu/internal/tsunagu"
	"tsunagu/internal/webtest"
)

// listAProduct is a manager of 港区's listing, from the home screen: they find goods by
// name, then list a new one by keyboard: every translation side by side, the
// reading, a JAN code whose wrong check digit is caught as it is typed, the price
// with its tax, two allergens, and a picture: a file of the wrong type, one too
// large and one the server cannot read are refused at the field, a photo is
// uploaded, shown as the server scaled it and described in its alternative text. A
// missing Japanese name is refused next to its field before anything is sent. The
// saved product is in the catalog as typed, with the picture, and the list exports
// it as CSV. It ends on the list.
func listAProduct(t *testing.T, n *network, b *webtest.Browser) {
	t.Helper()
	downloads := b.Downloads()

	b.TabTo("nav-products")
	b.Do("to the products", key("\r"))
	focusOnHeading(t, b, "商品")
	b.WaitText("#products", "バタークッキー")
	b.CheckA11y("products")
	// Search by reading: ひらがな finds the katakana name.
	b.Do("searching", typeIn("#f-text", "ここあ\r"))
	b.Until("the search's result", `(() => { const s = document.querySelector("#products tbody").textContent; return s.includes("ココアクッキー") && !s.includes("バタークッキー"); })()`)
	b.Width(320)
	b.CheckReflow("products-320")
	b.Width(1280)

	b.TabTo("new-product")
	b.Do("new product", key("\r"))
	focusOnHeading(t, b, "商品の登録")
	// The eight mandatory allergens come first.
	if got := b.Eval(`[...document.querySelectorAll("#allergens-mandatory input")].map(e => e.value).join(" ")`); got != "SHRIMP CRAB WALNUT WHEAT BUCKWHEAT EGG MILK PEANUT" {
		t.Errorf("the mandatory allergens are %q", got)
	}
	if got := b.Eval(`document.querySelector("#allergens-mandatory").compareDocumentPosition(document.querySelector("#allergens-recommended")) & 4 ? "before" : "after"`); got != "before" {
		t.Error("the mandatory allergens do not come first")
	}
	// What is typed in each language is marked with it.
	if got := b.Eval(`["JA","EN","ZH","KO"].map(l => document.getElementById("tr-" + l + "-name").lang).join(" ")`); got != "ja en zh ko" {
		t.Errorf("the name fields' languages are %q", got)
	}

	// Nothing typed yet: the Japanese name is required, said at the field.
	b.Do("saving empty", click("#p-save"))
	b.WaitText("#tr-JA-name-err", "入力してください")
	if f := b.Focused(); f != "tr-JA-name" {
		t.Errorf("after a refused save focus is on %q, want the Japanese name", f)
	}
	b.Do("choosing the facility", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("p-facility");
		s.value = [...s.options].find(o => o.textContent === "ワークショップ虹").value; s.dispatchEvent(new Event("change")); })()`))
	b.Do("typing the names", typeIn("#tr-JA-name", "柚子ジャム"), typeIn("#tr-JA_X_EASY-name", "ゆずの ジャム"),
		typeIn("#tr-EN-name", "Yuzu jam"), typeIn("#tr-ZH-name", "柚子果酱"), typeIn("#tr-KO-name", "유자잼"),
		typeIn("#tr-EN-desc", "Jam of yuzu from Kochi."), typeIn("#p-reading", "ゆずじゃむ"))
	// A wrong last digit is caught as it is typed, and the right one is named.
	b.Do("typing a code with a wrong check digit", typeIn("#p-code", "4589001000990"))
	b.WaitText("#p-code-err", "9 のはずです")
	b.Do("correcting it", key("\b9"))
	b.WaitText("#p-code-ok", "正しいです")
	if b.Eval(`document.getElementById("p-code").getAttribute("aria-invalid") || ""`) != "" {
		t.Error("the corrected code is still marked invalid")
	}
	b.Do("the price", typeIn("#p-price", "540"))
	b.WaitText("#p-tax-note", "¥40") // 540 × 8 / 108
	b.TabTo("al-WHEAT")
	b.Do("wheat, by Space", key(" "))
	b.TabTo("al-SOYBEAN")
	b.Do("soybean, by Space", key(" "))

	// Pictures: each refusal is said at the chooser, which keeps focus.
	files := pictureFiles(t)
	refused := func(file, want string) {
		t.Helper()
		b.Do("choosing "+file, setFiles("#p-image", files[file]))
		b.WaitText("#p-image-err", want)
		if b.Eval(`document.getElementById("p-image").getAttribute("aria-invalid") + " " + document.getElementById("p-image").getAttribute("aria-describedby")`) != "true p-image-hint p-image-err" {
			t.Errorf("the refusal of %s is not tied to the field", file)
		}
	}
	refused("notes.txt", "JPEG・PNG・WebP の写真を選んでください")
	refused("huge.png", "大きすぎます")
	refused("broken.png", "写真として読めませんでした")
	b.Do("choosing the photo", setFiles("#p-image", files["photo.png"]))
	b.WaitText("#p-image-status", "写真を加えました（1600×500）")
	if b.Eval(`String(document.getElementById("p-image-err").hidden)`) != "true" {
		t.Error("the last refusal is still shown after a picture was added")
	}
	b.Until("the scaled picture shown", `(() => { const i = document.getElementById("p-picture-0"); return !!i && i.complete && i.naturalWidth === 1600 && i.alt === "柚子ジャムの写真（1）"; })()`)
	// What the picture shows, for those who cannot see it.
	b.TabTo("p-picture-alt-0")
	b.Do("describing the picture", typeIn("#p-picture-alt-0", "柚子ジャムの瓶と木のスプーン"))
	if got := b.Eval(`document.getElementById("p-picture-0").alt`); got != "柚子ジャムの瓶と木のスプーン" {
		t.Errorf("the picture's alt is %q after describing it", got)
	}
	b.CheckA11y("product-editor-picture")
	b.CheckA11y("product-editor")
	b.Width(320)
	b.CheckReflow("product-editor-320")
	b.Width(640)
	b.CheckReflow("product-editor-640")
	b.Width(1280)

	b.TabTo("p-save")
	b.Do("saving", key("\r"))
	focusOnHeading(t, b, "商品の編集")
	b.WaitText("#p-saved", "登録しました")
	// The README's picture of the editor: the saved product whole, its translations
	// side by side and its picture.
	b.Until("the saved picture loaded", `(() => { const i = document.getElementById("p-picture-0"); return !!i && i.complete && i.naturalWidth > 0; })()`)
	b.ShotPage("product-editor-saved", 0.7)

	text := "柚子ジャム"
	page, err := n.s.Catalog.Products(n.as(t, managerEmail), tsunagu.ProductFilter{Text: text}, tsunagu.PageArgs{First: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 {
		t.Fatalf("%d products named %s", len(page.Items), text)
	}
	p := page.Items[0]
	if p.Code == nil || *p.Code != "4589001000999" || p.Price != 540 || p.TaxClass != tsunagu.TaxReduced8 || p.NameReading == nil || *p.NameReading != "ゆずじゃむ" ||
		!slices.Equal(slices.Sorted(slices.Values(p.Allergens)), []tsunagu.Allergen{tsunagu.AllergenSoybean, tsunagu.AllergenWheat}) || p.Status != tsunagu.StatusDraft ||
		len(p.Translations) != 5 || p.Translations.In(tsunagu.LocaleKO).Name != "유자잼" || p.Translations.In(tsunagu.LocaleEN).Description != "Jam of yuzu from Kochi." ||
		len(p.ImageURLs) != 1 || !strings.HasPrefix(p.ImageURLs[0], n.url+"/images/") || len(p.ImageAlts) != 1 || p.ImageAlts[0] != "柚子ジャムの瓶と木のスプーン" {
		t.Errorf("the product as saved: %+v", p)
	}
	// The saved picture is shown again when the product opens.
	b.Until("the saved picture", `(() => { const i = document.getElementById("p-picture-0"); return !!i && i.src === `+strconv.Quote(p.ImageURLs[0])+
		` && i.alt === "柚子ジャムの瓶と木のスプーン" && document.getElementById("p-picture-alt-0").value === i.alt; })()`)

	// Editing: the product opens with what was saved; a change is saved in place.
	b.Do("the price again", typeIn("#p-price", "600"))
	b.Do("saving the change", click("#p-save"))
	b.WaitText("#p-saved", "保存しました")

	// The list exports as CSV for Excel, every language in its own column.
	b.Do("to the list", click("#p-back"))
	focusOnHeading(t, b, "商品")
	b.Do("exporting", click("#products-csv"))
	csv := string(b.Downloaded(downloads, "products.csv"))
	if !strings.HasPrefix(csv, "\ufeff\"id\",\"facility\"") || !strings.Contains(csv, `"柚子ジャム","","ゆずの ジャム","","Yuzu jam","Jam of yuzu from Kochi.","柚子果酱","","유자잼",""`) ||
		!strings.Contains(csv, `"600","REDUCED_8","ゆずじゃむ"`) {
		t.Errorf("the exported CSV:\n%s", csv)
	}
}

// A FACILITY account lists its own facility's goods only, and lists new ones for
// its facility without choosing one.
func TestFacilityListsItsOwnProductsInChromium(t *testing.T) {
	n := newNetwork(t)
	b := webtest.New(t, "console-facility-products")
	b.Do("opening the console", chromedp.Navigate(n.url+"/console/#/products"))
	b.WaitText("h1", "ログイン")
	b.Do("signing in", typeIn("#login-email", facilityEmail), typeIn("#login-password", n.creds[facilityEmail].Password+"\r"))
	focusOnHeading(t, b, "商品")
	b.WaitText("#products", "バタークッキー")
	if other := b.Eval(`[...document.querySelectorAll("#products tbody td:last-child")].map(e => e.textContent).filter(s => s !== "ワークショップ虹").join(",")`); other != "" {
		t.Errorf("a facility account sees goods of %s", other)
	}
	if b.Eval(`String(!!document.getElementById("f-facility"))`) != "false" {
		t.Error("a facility account is offered other facilities")
	}
	b.CheckA11y("facility-products")
	b.Do("new product", click("#new-product"))
	focusOnHeading(t, b, "商品の登録")
	if b.Eval(`String(!!document.getElementById("p-facility"))`) != "false" {
		t.Error("a facility account chooses a facility")
	}
	b.WaitText(".editor", "ワークショップ虹")
}

// pictureFiles writes the files a test chooses as pictures: text, a file over the
// size limit, one that only claims to be a PNG, and a 3200 × 1000 photo.
func pictureFiles(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	// A jar of yuzu jam, roughly: a yellow disc on a wooden brown, opaque, so that
	// the README's picture of the editor shows it.
	img := image.NewRGBA(image.Rect(0, 0, 3200, 1000))
	for y := range 1000 {
		for x := range 3200 {
			c := color.RGBA{R: 150 + uint8(y/20), G: 100 + uint8(y/25), B: 60, A: 255}
			if dx, dy := x-1600, y-500; dx*dx+dy*dy < 400*400 {
				c = color.RGBA{R: 245, G: 200 - uint8(dy/8+50), B: 40, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var photo bytes.Buffer
	if err := png.Encode(&photo, img); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"notes.txt":  []byte("not a picture"),
		"huge.png":   make([]byte, 10<<20+1),
		"broken.png": []byte("\x89PNG but not really"),
		"photo.png":  photo.Bytes(),
	}
	paths := map[string]string{}
	for name, b := range files {
		paths[name] = filepath.Join(dir, name)
		if err := os.WriteFile(paths[name], b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}
