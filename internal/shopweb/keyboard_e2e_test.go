package shopweb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// focusStop describes the focused element, with what is wrong with how it shows:
// no focus ring, out of the viewport, or before the previous stop in reading order
// (wholly above it on the page). prev is the last stop's place, as the page gives it.
const focusStop = `(prev => {
	const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
	const name = e.id || e.getAttribute("href") || e.className || e.tagName;
	const bad = [];
	if (s.outlineStyle === "none" && s.boxShadow === "none") bad.push("no focus ring");
	if (r.top < 0 || r.left < 0 || r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5) bad.push("out of view at " + [r.left, r.top, r.right, r.bottom].map(Math.round));
	const top = r.top + scrollY, bottom = r.bottom + scrollY;
	if (prev && bottom <= prev.top) bad.push("above the previous stop " + prev.name);
	return JSON.stringify({name, top, bad: bad.join(", ")});
})`

// tabTo presses Tab until the element sel has the focus, checking every stop on
// the way: each shows its focus ring, is in view and comes after the previous one
// in reading order. It gives the stops' names.
func (b *browser) tabTo(sel string) []string {
	b.t.Helper()
	var stops []string
	prev := "null"
	for range 80 {
		b.do("Tab", chromedp.KeyEvent("\t"))
		stop := b.eval(focusStop + "(" + prev + ")")
		parts := strings.SplitN(b.eval(`(s => s.name + "\n" + s.bad)(`+stop+`)`), "\n", 2)
		name, bad := parts[0], parts[1]
		if bad != "" {
			b.shot("focus")
			b.t.Errorf("on %s, the focus on %s: %s", b.eval(`location.pathname`), name, bad)
		}
		stops = append(stops, name)
		if b.eval(fmt.Sprintf(`String(document.activeElement.matches(%q))`, sel)) == "true" {
			return stops
		}
		prev = stop
	}
	b.shot("failed")
	b.t.Fatalf("Tab never reaches %s on %s; the stops: %s", sel, b.eval(`location.pathname`), strings.Join(stops, " "))
	return nil
}

// waitFocus waits until the element with id has the focus.
func (b *browser) waitFocus(id string) {
	b.t.Helper()
	js := fmt.Sprintf(`document.activeElement && (document.activeElement.id || document.activeElement.className) === %q`, id)
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		b.shot("failed")
		b.t.Errorf("the focus is on %q, want #%s", b.focused(), id)
	}
}

// pressEnter presses Enter on the focused element and waits for the page it loads.
func (b *browser) pressEnter() {
	b.t.Helper()
	before := b.eval(`String(performance.timeOrigin)`)
	b.do("pressing Enter", enter)
	b.waitLoad(before)
}

// A shopper with the keyboard alone, in English: the skip link first, a search,
// the wheat filter (Space), a product, two of it to the cart (the focus then on
// what changed), the checkout with a mistake (the focus on the summary, its link
// to the field), and the page to pay. Every stop on the way shows its focus ring,
// is in view and follows the reading order.
func TestShopByKeyboard(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	g := e.seedCatalog(t)
	e.openShop(t, g)
	b := newBrowser(t, "keyboard", "en-US,en;q=0.9", true)
	b.interceptStripe()
	b.open(e.url + "/shop/")
	if stops := b.tabTo(".skip"); len(stops) != 1 {
		t.Errorf("the first Tab goes to %v, want the skip link", stops)
	}
	b.do("skipping to the content", enter)
	if got := b.focused(); got != "main" {
		t.Errorf("the skip link moves the focus to %q, want main", got)
	}
	b.tabTo("#q")
	b.do("typing a search", typeInto("#q", "クッキー"))
	b.pressEnter()
	b.tabTo("#free-WHEAT")
	b.do("ticking wheat with Space", chromedp.KeyEvent(" "))
	b.tabTo(".filters button[type=submit]")
	b.pressEnter()
	if got := b.eval(`[...document.querySelectorAll(".card .name")].map(` + withoutReadings + `).join(" ")`); got != cardsWithoutWheat["en"] {
		t.Fatalf("without wheat: %q", got)
	}
	b.tabTo(".card a")
	b.pressEnter()
	// A new page starts from its top: the skip link, then the header, then the
	// product (its maker and town, then the quantity).
	stops := b.tabTo("#quantity")
	if len(stops) < 4 || stops[0] != "#main" || !strings.HasPrefix(stops[len(stops)-3], "/shop/facilities/") ||
		!strings.HasPrefix(stops[len(stops)-2], "/shop/towns/") {
		t.Errorf("the product page's Tab stops: %v", stops)
	}
	b.do("two", typeInto("#quantity", "2"))
	b.pressEnter()
	b.waitFocus("cart-notice") // autofocus, at the page's first rendering
	contains(t, "the cart's notice", b.textOf("#cart-notice"), "Rice-flour cookies: 2 in your cart.")
	b.tabTo(`a.button[href="/shop/checkout"]`)
	b.pressEnter()
	if stops := b.tabTo("#f-name"); stops[0] != "#main" {
		t.Errorf("the checkout's first Tab stop is %s, want the skip link", stops[0])
	}
	b.do("the name", typeInto("#f-name", "Mary Smith"))
	b.tabTo("#f-email")
	b.do("a mistaken address", typeInto("#f-email", "mary@example"))
	b.pressEnter()
	b.waitFocus("summary")
	b.tabTo(".summary a")
	b.do("following the summary's link", enter)
	b.waitFocus("f-email") // the link's fragment navigation ends after the key
	b.do("the address", typeInto("#f-email", "mary@example.jp"))
	b.pressEnter()
	b.do("waiting for the Payment Element", chromedp.WaitVisible(chromedp.CSS("#stand-in-card")))
	b.tabTo("#pay-button")
	b.pressEnter()
	contains(t, "the order page", b.textOf("#status"), "Waiting for your payment.")
}
