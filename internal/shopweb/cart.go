package shopweb

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tsunagu/internal/mail"
	"tsunagu/internal/tsunagu"
)

// The cart lives in a cookie of the browser: product IDs and quantities, nothing
// more; names and prices are read from the API each time it is shown, so a
// changed price shows before checkout. It works without JavaScript: every change
// is a form posted to /shop/cart.
const cartCookie = "tsunagu_cart"

// The API's bounds on an online order (20 of a product, 50 units in all) are
// checked by checkout; the cart keeps at most this many lines so that the page
// reads them in one request.
const maxCartLines = 20

type cartLine struct {
	ProductID string
	Quantity  int
}

type cart []cartLine

func readCart(r *http.Request) cart {
	c, err := r.Cookie(cartCookie)
	if err != nil {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	var out cart
	for part := range strings.SplitSeq(string(b), ",") {
		id, n, ok := strings.Cut(part, "*")
		q, err := strconv.Atoi(n)
		if ok && err == nil && q > 0 && id != "" && len(out) < maxCartLines {
			out = append(out, cartLine{id, q})
		}
	}
	return out
}

func (c cart) save(w http.ResponseWriter, r *http.Request) {
	parts := make([]string, len(c))
	for i, l := range c {
		parts[i] = l.ProductID + "*" + strconv.Itoa(l.Quantity)
	}
	ck := &http.Cookie{Name: cartCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, ","))),
		Path: "/shop/", MaxAge: 30 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: secure(r), HttpOnly: true}
	if len(c) == 0 {
		ck.MaxAge = -1
	}
	http.SetCookie(w, ck)
}

// set changes a product's quantity (0 takes it out); add adds to it.
func (c cart) set(id string, q int, add bool) cart {
	for i := range c {
		if c[i].ProductID == id {
			if add {
				q += c[i].Quantity
			}
			if q <= 0 {
				return append(c[:i:i], c[i+1:]...)
			}
			c[i].Quantity = min(q, 99)
			return c
		}
	}
	if q <= 0 || len(c) >= maxCartLines {
		return c
	}
	return append(c, cartLine{id, min(q, 99)})
}

func (c cart) units() int {
	n := 0
	for _, l := range c {
		n += l.Quantity
	}
	return n
}

// query is one GraphQL query that reads field for every product of the cart, the
// line i as alias pi with its ID in $pi (field's %d); params are the query's other
// variables.
func (c cart) query(params, field string) (string, map[string]any) {
	var q strings.Builder
	q.WriteString("query(" + params)
	vars := map[string]any{}
	for i, line := range c {
		fmt.Fprintf(&q, ", $p%d: ID!", i)
		vars[fmt.Sprintf("p%d", i)] = line.ProductID
	}
	q.WriteString(") {")
	for i := range c {
		fmt.Fprintf(&q, " p%d: "+field, i, i)
	}
	q.WriteString(" }")
	return q.String(), vars
}

// updateCart takes the cart's forms: add (from a product page), set and remove.
func (s *server) updateCart(w http.ResponseWriter, r *http.Request) {
	c := readCart(r)
	id := r.PostFormValue("product")
	q, err := strconv.Atoi(r.PostFormValue("quantity"))
	if err != nil {
		q = 1
	}
	switch r.PostFormValue("action") {
	case "add":
		c = c.set(id, max(q, 1), true)
	case "remove":
		c = c.set(id, 0, false)
	default:
		c = c.set(id, q, false)
	}
	c.save(w, r)
	// The cart's page says what changed, and the focus goes there.
	if r.PostFormValue("action") == "remove" {
		http.Redirect(w, r, "/shop/cart?removed=1", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/shop/cart?changed="+url.QueryEscape(id), http.StatusSeeOther)
}

// cartItem is a line of the cart as the page shows it.
type cartItem struct {
	ID, Href, Price, Amount, Image string
	Name                           template.HTML
	PlainName                      string
	Quantity                       int
	TaxRate                        int
	Changed                        bool
}

// cartItems reads the cart's goods from the API, in the page's language; goods
// no longer sold drop out of the cart.
func (s *server) cartItems(w http.ResponseWriter, r *http.Request, l tsunagu.Locale, c cart) ([]cartItem, int64, error) {
	if len(c) == 0 {
		return nil, 0, nil
	}
	var out map[string]*struct {
		apiProduct
		Status string
	}
	q, vars := c.query("$locale: Locale", "product(id: $p%d, locale: $locale) { "+productFields+" status }")
	vars["locale"] = string(l)
	if err := s.api.do(r, "", q, vars, &out); err != nil {
		return nil, 0, err
	}
	var items []cartItem
	var kept cart
	var total int64
	for i, line := range c {
		p := out[fmt.Sprintf("p%d", i)]
		if p == nil || p.Status != "ACTIVE" {
			continue
		}
		kept = append(kept, line)
		amount := p.Price * int64(line.Quantity)
		total += amount
		it := cartItem{ID: p.ID, Href: "/shop/products/" + p.ID, Price: mail.Yen(l, p.Price), Amount: mail.Yen(l, amount),
			Name: productName(l, &p.apiProduct), PlainName: p.Name, Quantity: line.Quantity, TaxRate: p.TaxRate,
			Changed: r.URL.Query().Get("changed") == p.ID}
		if len(p.ImageURLs) > 0 {
			it.Image = p.ImageURLs[0]
		}
		items = append(items, it)
	}
	if len(kept) != len(c) {
		kept.save(w, r)
	}
	return items, total, nil
}

type cartPage struct {
	Items []cartItem
	Total string
	// Notice says what the last change did: the page opens with the focus on it.
	Notice template.HTML
}

func (s *server) cartPage(w http.ResponseWriter, r *http.Request) {
	l := pageLang(w, r)
	w.Header().Set("Cache-Control", "no-store")
	items, total, err := s.cartItems(w, r, l, readCart(r))
	if err != nil {
		s.catalogFailed(w, r, l, err)
		return
	}
	p := cartPage{Items: items, Total: mail.Yen(l, total)}
	for _, it := range items {
		if it.Changed {
			p.Notice = msg(l, "cartChanged", "name", it.Name, "n", it.Quantity)
		}
	}
	if r.URL.Query().Get("removed") != "" {
		p.Notice = msg(l, "cartRemoved")
	}
	s.render(w, r, http.StatusOK, "cart", view{L: l, Title: msgText(l, "cartTitle"), Data: p})
}
