package shopweb

import (
	"html/template"
	"net/http"
	"net/url"

	"tsunagu/internal/mail"
	"tsunagu/internal/tsunagu"
)

// orderStatuses are the states an order page can show, each with its sentence.
var orderStatuses = []string{"PENDING_PAYMENT", "PAID", "READY_FOR_PICKUP", "SHIPPED", "COMPLETED", "CANCELLED", "REFUNDED"}

// orderPage is an order as its token opens it. The status is live where
// JavaScript runs (order.js follows orderStatus); otherwise the link reads it again.
type orderPage struct {
	Token, Self               string
	Number, Version           int64
	StatusText                template.HTML
	StatusTexts               []option
	Pickup                    bool
	Shop                      template.HTML
	ShopAddress               template.HTML
	PostalCode                string
	Address                   template.HTML // as the shopper typed it: marked Japanese where it is
	Lines                     []cartItem
	Subtotal, Shipping, Total string
}

// orderCSP lets the order page run its own script, which talks to its own origin
// (the WebSocket of orderStatus).
const orderCSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' https: data:; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// apiOrder is what an order page shows of an order.
type apiOrder struct {
	Number, Version                int64
	Status, Fulfilment, PostalCode string
	Address                        string
	Subtotal, ShippingFee, Total   int64
	Shop                           struct{ Name, NameReading, Address string }
	Lines                          []struct {
		// Name is the Japanese name at checkout; NameIn the name in the page's
		// language, the same when the product has none in it.
		Name, NameIn string
		NameReading  *string
		Quantity     int
		Amount       int64
	}
}

// orderFields are what an order page reads of an order, in $locale.
const orderFields = `number version status fulfilment postalCode address subtotal shippingFee total
	shop { name nameReading address } lines { name nameIn: name(locale: $locale) nameReading quantity amount }`

// order is a guest's order, opened by its token (the link of the page to pay and
// of the e-mails).
func (s *server) order(w http.ResponseWriter, r *http.Request) {
	l := pageLang(w, r)
	token := r.PathValue("token")
	var out struct{ OrderByToken *apiOrder }
	err := s.api.do(r, "", `query($t: String!, $locale: Locale) { orderByToken(token: $t) { `+orderFields+` } }`,
		map[string]any{"t": token, "locale": string(l)}, &out)
	s.showOrder(w, r, l, out.OrderByToken, err, token, "/shop/orders/"+url.PathEscape(token))
}

// accountOrder is one of the signed-in shopper's orders, by its ID.
func (s *server) accountOrder(w http.ResponseWriter, r *http.Request) {
	l := pageLang(w, r)
	tok := s.sessionToken(r)
	if tok == "" {
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		return
	}
	var out struct{ Order *apiOrder }
	err := s.api.do(r, tok, `query($id: ID!, $locale: Locale) { order(id: $id) { `+orderFields+` } }`,
		map[string]any{"id": r.PathValue("id"), "locale": string(l)}, &out)
	s.showOrder(w, r, l, out.Order, err, "", "/shop/account/orders/"+url.PathEscape(r.PathValue("id")))
}

// showOrder renders an order; with its token the status follows orderStatus live.
func (s *server) showOrder(w http.ResponseWriter, r *http.Request, l tsunagu.Locale, o *apiOrder, err error, token, self string) {
	// The address is a guest's key to the order: never cached, never sent on.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	switch code := errorCode(err); {
	case code == "NOT_FOUND" || code == "FORBIDDEN" || err == nil && o == nil:
		s.notFound(w, r, l)
		return
	case err != nil:
		s.catalogFailed(w, r, l, err)
		return
	}
	p := orderPage{Token: token, Self: self, Number: o.Number, Version: o.Version,
		StatusText: msg(l, "status"+o.Status), Pickup: o.Fulfilment == "PICKUP",
		Shop: japaneseName(l, o.Shop.Name, o.Shop.NameReading), ShopAddress: japaneseName(l, o.Shop.Address, ""),
		PostalCode: o.PostalCode, Address: typed(l, o.Address),
		Subtotal: mail.Yen(l, o.Subtotal), Shipping: mail.Yen(l, o.ShippingFee), Total: mail.Yen(l, o.Total)}
	for _, st := range orderStatuses {
		p.StatusTexts = append(p.StatusTexts, option{Value: st, Label: msg(l, "status"+st)})
	}
	for _, line := range o.Lines {
		name := template.HTML(template.HTMLEscapeString(line.NameIn))
		if line.NameIn == line.Name { // the Japanese name: with its reading, or marked
			reading := ""
			if line.NameReading != nil {
				reading = *line.NameReading
			}
			name = japaneseName(l, line.Name, reading)
		}
		p.Lines = append(p.Lines, cartItem{Name: name, Quantity: line.Quantity, Amount: mail.Yen(l, line.Amount)})
	}
	body, ok := s.page(w, r, "order", view{L: l, Title: msgText(l, "orderHeading", "number", o.Number), Data: p})
	if !ok {
		return
	}
	w.Header().Set("Content-Security-Policy", orderCSP)
	s.write(w, l, http.StatusOK, body)
}
