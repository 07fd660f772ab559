package shopweb

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"tsunagu/internal/mail"
	"tsunagu/internal/tsunagu"
)

// checkoutPage is the form that turns the cart into an order: the shop, pickup or
// delivery, and the shopper's contact details.
type checkoutPage struct {
	Items       []cartItem
	Total       string
	Form        *form
	Key         string // the checkout's idempotency key, the same for every retry of this form
	Shops       []option
	Fulfilment  string
	Pickup      bool
	Unavailable bool // card payments are off on this server
}

func newKey() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// checkoutForm is the form's fields, in order; the shop and the kind of
// fulfilment are radio groups the template writes itself.
func checkoutForm(l tsunagu.Locale) *form {
	return &form{Action: "/shop/checkout", Submit: msg(l, "toPayment"), Fields: []*field{
		{Name: "name", Type: "text", Autocomplete: "name", Label: msg(l, "name"), Required: true},
		{Name: "email", Type: "email", Autocomplete: "email", Label: msg(l, "email"), Required: true, Hint: msg(l, "emailHint")},
		{Name: "phone", Type: "tel", Autocomplete: "tel", Label: msg(l, "phone"), Hint: msg(l, "phoneHint")},
		{Name: "postalCode", Type: "text", Autocomplete: "postal-code", Label: msg(l, "postalCode"), Hint: msg(l, "postalHint")},
		{Name: "address", Type: "text", Autocomplete: "street-address", Label: msg(l, "address")},
	}}
}

// checkout shows the form (GET) and places the order (POST): on success the
// page to pay, on failure the form again with each error at its field.
func (s *server) checkout(w http.ResponseWriter, r *http.Request) {
	l := pageLang(w, r)
	w.Header().Set("Cache-Control", "no-store")
	c := readCart(r)
	items, total, err := s.cartItems(w, r, l, c)
	if err != nil {
		s.catalogFailed(w, r, l, err)
		return
	}
	if len(items) == 0 {
		http.Redirect(w, r, "/shop/cart", http.StatusSeeOther)
		return
	}
	var shops struct {
		Locations struct {
			Edges []struct {
				Node struct {
					ID, Name, NameReading, Address string
					// Shop is null for a shop without its receipt settings, which
					// takes no online orders.
					Shop *struct{ AcceptsPickup bool }
				}
			}
		}
	}
	if err := s.api.do(r, "", `{ locations(filter: {kind: SHOP}, first: 100) { edges { node {
		id name nameReading address shop { acceptsPickup } } } } }`, nil, &shops); err != nil {
		s.catalogFailed(w, r, l, err)
		return
	}
	p := &checkoutPage{Items: items, Total: mail.Yen(l, total), Form: checkoutForm(l), Key: newKey(), Fulfilment: "PICKUP",
		Unavailable: s.stripeKey == "" && s.devPay == nil}
	shop := ""
	if r.Method == http.MethodPost {
		p.Form.fill(r)
		p.Key = r.PostFormValue("key")
		p.Fulfilment = r.PostFormValue("fulfilment")
		shop = r.PostFormValue("shop")
	}
	p.Pickup = p.Fulfilment != "DELIVERY"
	for _, e := range shops.Locations.Edges {
		if e.Node.Shop == nil {
			continue
		}
		if shop == "" {
			shop = e.Node.ID // the first is chosen until the shopper chooses
		}
		label := japaneseName(l, e.Node.Name, e.Node.NameReading)
		if !e.Node.Shop.AcceptsPickup {
			label += " " + msg(l, "deliveryOnlyShop")
		}
		if short, known := s.shortAt(r, c, e.Node.ID); known && short {
			label += " " + msg(l, "shopShort")
		} else if known {
			label += " " + msg(l, "shopHasAll")
		}
		p.Shops = append(p.Shops, option{Value: e.Node.ID, Label: label, Selected: e.Node.ID == shop})
	}
	if r.Method == http.MethodPost && s.placeOrder(w, r, l, c, p, shop) {
		return
	}
	status := http.StatusOK
	if p.Form.failed() {
		status = http.StatusUnprocessableEntity
	}
	p.Form.Hidden = []hidden{{"key", p.Key}, {langParam, l.Tag()}}
	s.render(w, r, status, "checkout", view{L: l, Title: msgText(l, "checkoutTitle"), Data: p})
}

// placeOrder calls checkout; on success it empties the cart and shows the page to
// pay, and reports true.
func (s *server) placeOrder(w http.ResponseWriter, r *http.Request, l tsunagu.Locale, c cart, p *checkoutPage, shop string) bool {
	f := p.Form
	if p.Unavailable {
		// No way to pay here: an order would only hold the goods until it expired.
		f.fail("", msg(l, "errPayments"))
		return false
	}
	required := []string{"name", "email"}
	if !p.Pickup {
		required = append(required, "postalCode", "address")
	}
	for _, name := range required {
		if strings.TrimSpace(r.PostFormValue(name)) == "" {
			f.fail(name, msg(l, "errRequired"))
		}
	}
	if shop == "" || p.Key == "" || f.failed() {
		return false
	}
	lines := make([]map[string]any, len(c))
	for i, line := range c {
		lines[i] = map[string]any{"shopId": shop, "productId": line.ProductID, "quantity": line.Quantity}
	}
	in := map[string]any{
		"contact": map[string]any{"name": f.field("name").Value, "email": f.field("email").Value,
			"phone": f.field("phone").Value, "locale": string(l)},
		"lines": lines, "fulfilment": map[bool]string{true: "PICKUP", false: "DELIVERY"}[p.Pickup],
		"idempotencyKey": p.Key,
	}
	if !p.Pickup {
		in["shippingAddress"] = map[string]any{"postalCode": f.field("postalCode").Value, "address": f.field("address").Value}
	}
	var out struct {
		Checkout struct {
			Order *struct {
				Number int64
				Total  int64
			}
			ClientSecret *string
			OrderToken   *string
			UserErrors   []userError
		}
	}
	// A signed-in shopper's order joins their account; a session that has ended
	// orders as a guest.
	const mutation = `mutation($in: CheckoutInput!) { checkout(input: $in) {
		order { number total } clientSecret orderToken userErrors { code field message } } }`
	err := s.api.do(r, s.sessionToken(r), mutation, map[string]any{"in": in}, &out)
	if errorCode(err) == "UNAUTHENTICATED" {
		setSession(w, r, "", -1)
		err = s.api.do(r, "", mutation, map[string]any{"in": in}, &out)
	}
	if err != nil {
		s.apiFailed(r, f, l, err)
		return false
	}
	co := out.Checkout
	if len(co.UserErrors) > 0 {
		s.checkoutErrors(l, f, p, co.UserErrors)
		return false
	}
	if co.Order == nil || co.OrderToken == nil || co.ClientSecret == nil {
		s.apiFailed(r, f, l, errNoSession)
		return false
	}
	cart(nil).save(w, r)
	orderURL := "/shop/orders/" + url.PathEscape(*co.OrderToken)
	s.renderPay(w, r, l, payPage{Number: co.Order.Number, Total: mail.Yen(l, co.Order.Total), Secret: *co.ClientSecret,
		Key: s.stripeKey, Return: s.publicURL + orderURL, OrderURL: orderURL, StripeLocale: stripeLocale(l),
		Dev: s.devPay != nil})
	return true
}

// checkoutErrors puts the API's errors on the form: the contact's and the
// address's at their fields, a line's (out of stock, not sold at the shop, too
// many) in the summary with the product's name.
func (s *server) checkoutErrors(l tsunagu.Locale, f *form, p *checkoutPage, errs []userError) {
	var rest []userError
	for _, e := range errs {
		field := e.Field
		field = strings.TrimPrefix(field, "input.")
		field = strings.TrimPrefix(field, "contact.")
		field = strings.TrimPrefix(field, "shippingAddress.")
		if strings.HasSuffix(field, ".shopId") {
			f.fail("", msg(l, "errShop"))
			continue
		}
		if field == "fulfilment" {
			f.fail("", msg(l, "errNoPickup"))
			continue
		}
		if field == "shippingAddress" {
			field = "address"
		}
		if i, ok := lineIndex(field); ok && i < len(p.Items) {
			key := map[string]string{"INSUFFICIENT_STOCK": "errLineStock", "NOT_CARRIED": "errLineNotCarried",
				"OUT_OF_RANGE": "errLineTooMany"}[e.Code]
			if key == "" {
				key = "errLineOther"
			}
			f.fail("", msg(l, key, "name", p.Items[i].PlainName))
			continue
		}
		switch e.Code {
		case "INVALID_POSTAL_CODE":
			f.fail("postalCode", msg(l, "errPostal"))
		case "TOO_MANY_UNPAID_ORDERS":
			f.fail("", msg(l, "errUnpaid"))
		case "PAYMENTS_UNAVAILABLE":
			f.fail("", msg(l, "errPayments"))
		case "IDEMPOTENCY_CONFLICT", "ORDER_EXPIRED":
			p.Key = newKey()
			f.fail("", msg(l, "errChanged"))
		default:
			rest = append(rest, userError{Code: e.Code, Field: field, Message: e.Message})
		}
	}
	f.userErrors(l, rest, "errCredentials")
}

// lineIndex reads "lines.3.quantity" or "lines.3" as 3.
func lineIndex(field string) (int, bool) {
	rest, ok := strings.CutPrefix(field, "lines.")
	if !ok {
		return 0, false
	}
	n, _, _ := strings.Cut(rest, ".")
	i := 0
	for _, c := range n {
		if c < '0' || c > '9' {
			return 0, false
		}
		i = i*10 + int(c-'0')
	}
	return i, n != ""
}

// stripeLocale is the Payment Element's language for l.
func stripeLocale(l tsunagu.Locale) string {
	switch l {
	case tsunagu.LocaleEN:
		return "en"
	case tsunagu.LocaleZH:
		return "zh"
	case tsunagu.LocaleKO:
		return "ko"
	}
	return "ja"
}

// payPage holds what Stripe's Payment Element needs; the order is placed and its
// stock held while the shopper pays. Dev is a development server's page, whose
// button pays through stripe-mock (Options.DevPay) instead; without either, the
// page says card payments are off.
type payPage struct {
	Number                                             int64
	Total, Secret, Key, Return, OrderURL, StripeLocale string
	Dev                                                bool
}

// Stripe tells whether the page loads Stripe.js for the Payment Element.
func (p payPage) Stripe() bool { return p.Key != "" && !p.Dev }

// payCSP lets the page to pay load Stripe.js and its frames, and nothing else
// from elsewhere.
const payCSP = "default-src 'none'; script-src 'self' https://js.stripe.com; frame-src https://js.stripe.com https://hooks.stripe.com; " +
	"connect-src 'self' https://api.stripe.com; style-src 'self'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

func (s *server) renderPay(w http.ResponseWriter, r *http.Request, l tsunagu.Locale, p payPage) {
	body, ok := s.page(w, r, "pay", view{L: l, Title: msgText(l, "payTitle"), Data: p})
	if !ok {
		return
	}
	if p.Stripe() {
		w.Header().Set("Content-Security-Policy", payCSP)
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	s.write(w, l, http.StatusOK, body)
}

// payForDev pays an order through Options.DevPay, on a development server whose
// Stripe is stripe-mock, and goes on to the order's page; elsewhere there is no
// such page.
func (s *server) payForDev(w http.ResponseWriter, r *http.Request) {
	l := pageLang(w, r)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if s.devPay == nil {
		s.notFound(w, r, l)
		return
	}
	token := r.PathValue("token")
	if err := s.devPay(r.Context(), token); err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.CodeNotFound {
			s.notFound(w, r, l)
			return
		}
		s.catalogFailed(w, r, l, err)
		return
	}
	http.Redirect(w, r, "/shop/orders/"+url.PathEscape(token), http.StatusSeeOther)
}

// shortAt tells whether the shop lacks any of the cart's goods in the quantity
// wanted (known is false when the API could not say).
func (s *server) shortAt(r *http.Request, c cart, shop string) (short, known bool) {
	q, vars := c.query("$shop: ID!", "product(id: $p%d) { stock(locationId: $shop) { available } }")
	vars["shop"] = shop
	var out map[string]*struct{ Stock *struct{ Available int } }
	if err := s.api.do(r, "", q, vars, &out); err != nil {
		return false, false
	}
	for i, line := range c {
		p := out[fmt.Sprintf("p%d", i)]
		if p == nil || p.Stock == nil || p.Stock.Available < line.Quantity {
			return true, true
		}
	}
	return false, true
}
