package shopweb_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	"tsunagu/graph/gid"
	"tsunagu/internal/mail"
	"tsunagu/internal/postgres"
	"tsunagu/internal/shopweb"
	"tsunagu/internal/stripemock"
	"tsunagu/internal/tsunagu"
	"tsunagu/internal/webtest"
)

// standInStripe is what the test serves for https://js.stripe.com/v3/, which the
// test machine cannot reach: a Payment Element with a card field, and a
// confirmPayment that goes to return_url as Stripe does after a payment. The
// payment itself reaches the server as Stripe's signed webhook (paid below).
const standInStripe = `window.Stripe = function (key, options) {
  return {
    elements(o) {
      window.standInSecret = o.clientSecret;
      return { create() { return { mount(sel) {
        const root = document.querySelector(sel);
        const label = document.createElement("label");
        label.htmlFor = "stand-in-card";
        label.textContent = "Card number";
        const input = document.createElement("input");
        input.id = "stand-in-card";
        input.autocomplete = "cc-number";
        input.value = "4242 4242 4242 4242";
        root.append(label, input);
      } }; } };
    },
    async confirmPayment({ confirmParams }) {
      location.assign(confirmParams.return_url + "?redirect_status=succeeded");
      return {};
    },
  };
};`

// interceptStripe answers every request to js.stripe.com with the stand-in.
func (b *browser) interceptStripe() {
	b.t.Helper()
	err := webtest.Intercept(b.ctx, "https://js.stripe.com/*", func(ctx context.Context, t *chromedp.Target, ev *fetch.EventRequestPaused) error {
		_, err := cdp.Call(ctx, t, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: 200,
			ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/javascript"}},
			Body:            []byte(standInStripe)})
		return err
	})
	if err != nil {
		b.t.Fatal(err)
	}
}

// paid posts Stripe's payment_intent.succeeded for the newest order to the
// webhook, signed, as Stripe would after the card was charged.
func (e *env) paid(t *testing.T) tsunagu.OrderID {
	t.Helper()
	var id int64
	var pi string
	var total int64
	must(t, e.db.SQL().QueryRow(`SELECT id, payment_intent_id, total FROM orders ORDER BY id DESC LIMIT 1`).Scan(&id, &pi, &total))
	body, sig := stripemock.Event(fmt.Sprintf("evt_shop_%d", id), tsunagu.StripePaymentSucceeded,
		stripemock.PaymentIntent(pi, total, "jpy", id, "succeeded"), webhookSecret, time.Now())
	req, _ := http.NewRequest(http.MethodPost, e.url+"/webhooks/stripe", bytes.NewReader(body))
	req.Header.Set("Stripe-Signature", sig)
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the webhook answered %d", res.StatusCode)
	}
	return tsunagu.OrderID(id)
}

// A guest searches in katakana, leaves out wheat, puts two goods in the cart
// (one of them twice), checks out for pickup (a malformed address first), pays
// through the Payment Element (Stripe.js stood in; the payment arrives as the
// signed webhook through stripe-mock's PaymentIntent) and watches the order turn
// paid and then ready, live, in each language.
func TestGuestOrdersForPickup(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang, acceptLanguage  string
		paid, ready, badEmail string
	}{
		{"ja", "ja-JP,ja;q=0.9", "お支払いを確認しました", "準備ができました", "メールアドレスの形になっていません"},
		{"en", "en-US,en;q=0.9", "Paid.", "Ready to collect", "This is not an email address"},
		{"ja-x-easy", "ja-JP,ja;q=0.9", "お金を うけとりました", "じゅんびが できました", "メールアドレスが 正しく ありません"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			g := e.seedCatalog(t)
			e.openShop(t, g)
			b := newBrowser(t, "order-"+tc.lang, tc.acceptLanguage, true)
			b.interceptStripe()
			b.open(e.url + "/shop/?lang=" + tc.lang)
			b.checkA11y("home")
			b.do("searching in katakana", typeInto("#q", "クッキー"))
			b.submit("#q")
			b.do("leaving out wheat", chromedp.Click(chromedp.CSS("#free-WHEAT")))
			b.follow(`.filters button[type=submit]`)
			results := b.eval(`location.href`)
			if got := b.eval(`[...document.querySelectorAll(".card .name")].map(` + withoutReadings + `).join(" ")`); got != cardsWithoutWheat[tc.lang] {
				t.Fatalf("without wheat: %q", got)
			}
			b.checkA11y("results")
			b.follow(`.card a`)
			b.checkA11y("product")
			b.do("two of them", typeInto("#quantity", "2"))
			b.submit("#quantity")
			b.open(results)
			b.follow(`.cards li:nth-child(2) a`)
			b.follow(`form.add button`)
			if got := b.eval(`String(document.querySelectorAll(".lines .line").length)`); got != "2" {
				t.Fatalf("the cart has %s lines", got)
			}
			b.checkA11y("cart")
			b.follow(`a.button[href="/shop/checkout"]`)
			b.checkA11y("checkout")
			if tc.lang == "en" {
				contains(t, "the shop to collect at", b.textOf(`label[for^="shop-"]`), "港区役所 福祉ショップ — all in stock")
			}
			b.do("filling in the contact", typeInto("#f-name", "山田 花子"), typeInto("#f-email", "hanako@example"))
			b.submit("#f-email")
			contains(t, "the address's error", b.textOf("#e-email"), tc.badEmail)
			b.waitFocus("summary") // autofocus, applied after the load (waitFocus)
			b.checkA11y("checkout-error")
			b.do("correcting the address", typeInto("#f-email", "hanako@example.jp"))
			b.submit("#f-email")
			b.do("waiting for the Payment Element", chromedp.WaitVisible(chromedp.CSS("#stand-in-card")))
			b.checkA11y("pay")
			b.follow("#pay-button")
			if got := b.eval(`document.querySelector("#status").dataset.status || "PENDING_PAYMENT"`); got != "PENDING_PAYMENT" {
				t.Errorf("before the webhook the order is %s", got)
			}
			b.checkA11y("order-pending")
			id := e.paid(t)
			b.waitText("#status", tc.paid)
			// The e-mail that confirms the payment lists the goods in the shopper's
			// language too.
			paidMail := e.mail(t, mail.KindOrderPaid, "hanako@example.jp").Text
			contains(t, "the paid e-mail", paidMail, paidLines[tc.lang]...)
			_, err := e.orders.MarkOrderReady(tsunagu.WithUser(context.Background(), e.manager, ""),
				tsunagu.OrderActionInput{OrderID: id, IdempotencyKey: "ready-" + tc.lang})
			must(t, err)
			b.waitText("#status", tc.ready)
			// The goods in the shopper's language, as the catalog names them; the
			// Japanese names with their readings in やさしい日本語.
			if got := b.eval(`[...document.querySelectorAll("#main .lines .name")].map(` + withoutReadings + `).join(" ")`); got != cardsWithoutWheat[tc.lang] {
				t.Errorf("the order's goods: %q, want %q", got, cardsWithoutWheat[tc.lang])
			}
			if tc.lang == "ja-x-easy" && b.eval(`document.querySelector("#main .lines .name ruby rt").textContent`) != "こめこのくっきー" {
				t.Errorf("the order's goods in やさしい日本語 lack their readings: %s", b.eval(`document.querySelector("#main .lines").innerHTML`))
			}
			b.checkA11y("order-ready")
		})
	}
}

// paidLines are the goods of TestGuestOrdersForPickup's order as its e-mail lists them.
var paidLines = map[string][]string{
	"ja": {"米粉のくっきー × 2", "豆乳クッキー × 1"}, "ja-x-easy": {"米粉のくっきー × 2", "豆乳クッキー × 1"},
	"en": {"Rice-flour cookies × 2", "Soy milk cookies × 1"},
}

var cardsWithoutWheat = map[string]string{
	"ja": "米粉のくっきー 豆乳クッキー", "ja-x-easy": "米粉のくっきー 豆乳クッキー", "en": "Rice-flour cookies Soy milk cookies",
}

// openShop makes the city-hall shop take online orders (its receipt settings) and
// stocks the cookies there.
func (e *env) openShop(t *testing.T, g *goods) {
	t.Helper()
	mctx := tsunagu.WithUser(context.Background(), e.manager, "")
	_, err := postgres.NewPOSService(e.db).UpdateShop(mctx, tsunagu.UpdateShopInput{ShopID: e.shop.ID,
		OperatorName: ptr("港区"), RegistrationNumber: ptr("T8000020131032")})
	must(t, err)
	stock := postgres.NewStockService(e.db)
	for i, p := range []*tsunagu.Product{g.butter, g.rice, g.soy} {
		_, err := stock.AdjustStock(mctx, tsunagu.AdjustStockInput{LocationID: e.shop.ID, ProductID: p.ID, Quantity: 10,
			Reason: tsunagu.ReasonProduction, IdempotencyKey: fmt.Sprint("stock-", i)})
		must(t, err)
	}
}

// A shopper signs up on the shop's page (a short password first), confirms the
// address from the e-mail's link, orders while signed in, and finds the order
// under My orders; signing out ends the session.
func TestShopperAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	g := e.seedCatalog(t)
	e.openShop(t, g)
	b := newBrowser(t, "account", "en-US,en;q=0.9", true)
	b.interceptStripe()
	b.open(e.url + "/shop/account")
	if got := b.eval(`location.pathname`); got != "/sign-in" {
		t.Errorf("My orders without a session goes to %s", got)
	}
	b.follow(`.links a[href="/shop/sign-up"]`)
	b.checkA11y("sign-up")
	b.do("filling in", typeInto("#f-name", "Mary Smith"), typeInto("#f-email", "mary@example.jp"), typeInto("#f-password", "short"))
	b.submit("#f-password")
	contains(t, "a short password", b.textOf("#e-password"), "Use at least 8 characters")
	b.do("a longer password", typeInto("#f-password", "a long enough password"))
	b.submit("#f-password")
	contains(t, "after signing up", b.textOf(".done"), "We have sent you an e-mail")
	b.open(e.mailLink(t, mail.KindEmailVerification, "mary@example.jp"))
	b.do("the password", typeInto("#f-password", "a long enough password"))
	b.submit("#f-password")
	b.follow(`.links a[href="/shop/account"]`)
	contains(t, "My orders before ordering", b.text(), "Signed in as Mary Smith.", "No orders yet.")
	b.checkA11y("my-orders-empty")

	b.open(e.url + "/shop/products/" + gid.Encode(gid.KindProduct, int64(g.soy.ID)))
	b.follow(`form.add button`)
	b.follow(`a.button[href="/shop/checkout"]`)
	b.do("the contact", typeInto("#f-name", "Mary Smith"), typeInto("#f-email", "mary@example.jp"))
	b.submit("#f-email")
	b.do("waiting for the Payment Element", chromedp.WaitVisible(chromedp.CSS("#stand-in-card")))
	b.follow("#pay-button")
	e.paid(t)
	b.open(e.url + "/shop/account")
	contains(t, "My orders", b.text(), "Order 1", "¥400", "Paid.")
	b.checkA11y("my-orders")
	b.follow(`.lines a.name`)
	contains(t, "the order from My orders", b.text(), "Order 1", "Soy milk cookies", "¥400")
	b.open(e.url + "/shop/account")
	b.follow(`form[action="/shop/sign-out"] button`)
	b.open(e.url + "/shop/account")
	if got := b.eval(`location.pathname`); got != "/sign-in" {
		t.Errorf("after signing out, My orders is at %s", got)
	}
}

// Without a browser (and so without JavaScript): a delivery's address is checked
// at its fields, and a good checkout answers the page to pay; sent twice at once,
// the form places one order (its key), and both answers pay for it.
func TestDeliveryCheckoutForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	g := e.seedCatalog(t)
	e.openShop(t, g)
	// The shop's shipping rule: ¥500, free from ¥5,000 (three cookies are ¥1,350).
	_, err := e.orders.SetShippingRule(tsunagu.WithUser(context.Background(), e.manager, ""),
		tsunagu.SetShippingRuleInput{ShopID: e.shop.ID, Fee: 500, FreeAbove: ptr(int64(5000))})
	must(t, err)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	post := func(path string, form url.Values) (*http.Response, string) {
		t.Helper()
		res, err := c.PostForm(e.url+path, form)
		must(t, err)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, string(b)
	}
	post("/shop/cart", url.Values{"action": {"add"}, "product": {gid.Encode(gid.KindProduct, int64(g.butter.ID))}, "quantity": {"3"}})
	res, err := c.Get(e.url + "/shop/checkout?lang=en")
	must(t, err)
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(string(page))
	shop := regexp.MustCompile(`name="shop" value="([^"]+)"`).FindStringSubmatch(string(page))
	if key == nil || shop == nil {
		t.Fatalf("the checkout form has no key or shop:\n%s", page)
	}
	form := url.Values{"key": {key[1]}, "shop": {shop[1]}, "fulfilment": {"DELIVERY"}, "lang": {"en"},
		"name": {"Mary Smith"}, "email": {"mary@example.jp"}, "postalCode": {"12"}, "address": {""}}
	res, body := post("/shop/checkout", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an incomplete address: %d", res.StatusCode)
	}
	contains(t, "the refused form", body, `<p class="error" id="e-address">Enter this.</p>`, `aria-invalid="true" aria-describedby="e-address"`)
	form.Set("address", "東京都港区芝公園1-5-25")
	res, body = post("/shop/checkout", form)
	contains(t, "a postal code that is not one", body, `<p class="error" id="e-postalCode">Enter the postal code as 123-4567.</p>`)
	form.Set("postalCode", "105-8511")
	// A double click: the second post leaves with the cart the first one emptied.
	u, _ := url.Parse(e.url + "/shop/")
	cartBefore := jar.Cookies(u)
	_, first := post("/shop/checkout", form)
	jar.SetCookies(u, cartBefore)
	_, again := post("/shop/checkout", form)
	secret := regexp.MustCompile(`data-secret="([^"]+)"`)
	if s1, s2 := secret.FindStringSubmatch(first), secret.FindStringSubmatch(again); s1 == nil || s2 == nil || s1[1] != s2[1] {
		t.Fatalf("sending the form twice: %v and %v", s1, s2)
	}
	var n int
	must(t, e.db.SQL().QueryRow(`SELECT count(*) FROM orders`).Scan(&n))
	if n != 1 {
		t.Errorf("%d orders, want 1", n)
	}
	contains(t, "the page to pay", first, "Your order (number 1) is placed", "https://js.stripe.com/v3/", "<strong>¥1,850</strong>")
	orderURL := regexp.MustCompile(`<a class="more" href="(/shop/orders/[^"]+)"`).FindStringSubmatch(first)
	if orderURL == nil {
		t.Fatalf("the page to pay links to no order:\n%s", first)
	}
	_, order := get(t, e.url+orderURL[1]+"?lang=en", "en")
	contains(t, "the delivery's order page", order, "<dt>Goods</dt><dd>¥1,350</dd><dt>Shipping</dt><dd>¥500</dd>",
		"<dd><strong>¥1,850</strong>", `〒105-8511 <span lang="ja">東京都港区芝公園1-5-25</span>`)
}

// A server with no way to pay by card (no publishable key, no test payment) says
// so on the checkout and places no order, which would only hold the goods.
func TestCheckoutWithoutCardPayments(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	g := e.seedCatalog(t)
	e.openShop(t, g)
	srv := httptest.NewServer(shopweb.Handler(shopweb.Options{API: e.api, PublicURL: "http://shop.example.jp"}))
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm(srv.URL+"/shop/cart", url.Values{"action": {"add"}, "product": {gid.Encode(gid.KindProduct, int64(g.butter.ID))}, "quantity": {"1"}})
	must(t, err)
	res.Body.Close()
	res, err = c.Get(srv.URL + "/shop/checkout?lang=en")
	must(t, err)
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	contains(t, "the checkout", string(page), "Card payments are not available right now; please buy at the shop.")
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(string(page))
	shop := regexp.MustCompile(`name="shop" value="([^"]+)"`).FindStringSubmatch(string(page))
	if key == nil || shop == nil {
		t.Fatalf("the checkout form has no key or shop:\n%s", page)
	}
	res, err = c.PostForm(srv.URL+"/shop/checkout", url.Values{"key": {key[1]}, "shop": {shop[1]}, "fulfilment": {"PICKUP"},
		"lang": {"en"}, "name": {"Mary Smith"}, "email": {"mary@example.jp"}})
	must(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(string(body), "js.stripe.com") {
		t.Errorf("checking out without card payments: %d\n%s", res.StatusCode, body)
	}
	contains(t, "the refused checkout", string(body), `<div class="summary" role="alert"`, "Card payments are not available right now")
	var n int
	must(t, e.db.SQL().QueryRow(`SELECT count(*) FROM orders`).Scan(&n))
	if n != 0 {
		t.Errorf("%d orders placed without a way to pay", n)
	}
}

// Under `make run` (stripe-mock, no publishable key), the page to pay explains
// why it offers a test payment instead of Stripe's form, in やさしい日本語 here,
// and its button pays: the order page then says so.
func TestDevPayment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	g := e.seedCatalog(t)
	e.openShop(t, g)
	mux := http.NewServeMux()
	mux.Handle("/", e.api)
	srv := httptest.NewUnstartedServer(mux)
	payer := &stripemock.Payer{Orders: e.orders, Webhook: e.url + "/webhooks/stripe", Secret: webhookSecret}
	shop := shopweb.Handler(shopweb.Options{API: e.api, PublicURL: "http://" + srv.Listener.Addr().String(), DevPay: payer.Pay})
	for _, p := range shopweb.Paths {
		mux.Handle(p, shop)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	b := newBrowser(t, "dev-pay", "ja-JP,ja;q=0.9", true)
	b.open(srv.URL + "/shop/products/" + gid.Encode(gid.KindProduct, int64(g.soy.ID)) + "?lang=ja-x-easy")
	b.follow(`form.add button`)
	b.follow(`a.button[href="/shop/checkout"]`)
	b.do("the contact", typeInto("#f-name", "山田 花子"), typeInto("#f-email", "hanako@example.jp"))
	b.submit("#f-email")
	contains(t, "the page to pay", b.textOf("#dev-pay-note"), "この サーバーは 試す ための ものです。")
	if n := b.eval(`String(document.querySelectorAll('script[src*="js.stripe.com"], #payment-element').length)`); n != "0" {
		t.Errorf("the page to pay under make run loads Stripe's form (%s elements)", n)
	}
	b.checkA11y("pay-dev")
	b.follow("#dev-pay")
	b.waitText("#status", "お金を うけとりました")
	b.checkA11y("order-dev-paid")
}
