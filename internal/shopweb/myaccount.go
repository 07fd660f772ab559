package shopweb

import (
	"html/template"
	"net/http"
	"net/url"
	"time"

	"tsunagu/internal/mail"
	"tsunagu/internal/tsunagu"
)

// sessionToken is the signed-in shopper's bearer token, or "".
func (s *server) sessionToken(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// signUp asks the API for a shopper's account; the e-mail's link (/verify-email)
// confirms the address.
func (s *server) signUp(w http.ResponseWriter, r *http.Request) {
	l, _ := localeOf(r)
	p := &accountPage{Heading: msg(l, "signUpTitle"), Intro: msg(l, "signUpIntro"), Form: &form{
		Fields: []*field{
			{Name: "name", Type: "text", Autocomplete: "name", Label: msg(l, "name"), Required: true},
			{Name: "email", Type: "email", Autocomplete: "email", Label: msg(l, "email"), Required: true},
			passwordField(l, "password", "password", "new-password", tsunagu.MinShopperPassword),
		},
		Submit: msg(l, "signUpButton"),
	}, Links: []link{{"/sign-in", msg(l, "haveAccount")}}}
	s.account(w, r, "signUpTitle", p, func(l tsunagu.Locale) (*accountPage, error) {
		var out struct {
			SignUp struct{ UserErrors []userError }
		}
		err := s.api.do(r, "", `mutation($in: SignUpInput!) { signUp(input: $in) { userErrors { code field message } } }`,
			map[string]any{"in": map[string]any{"email": r.PostFormValue("email"), "name": r.PostFormValue("name"),
				"password": r.PostFormValue("password"), "locale": string(l)}}, &out)
		if err != nil {
			return nil, err
		}
		if p.Form.userErrors(l, out.SignUp.UserErrors, "errCredentials"); p.Form.failed() {
			return nil, nil
		}
		return &accountPage{Heading: msg(l, "signUpTitle"), Done: msg(l, "signUpSent"), Links: []link{{"/shop/", msg(l, "backToShop")}}}, nil
	})
}

// signOut ends the shopper's session, at the API and in this browser.
func (s *server) signOut(w http.ResponseWriter, r *http.Request) {
	if tok := s.sessionToken(r); tok != "" {
		if err := s.api.do(r, tok, `mutation { logout { userErrors { code } } }`, nil, nil); err != nil && errorCode(err) != "UNAUTHENTICATED" {
			s.log.ErrorContext(r.Context(), "shop: signing out", "err", err)
		}
	}
	setSession(w, r, "", -1)
	http.Redirect(w, r, "/shop/", http.StatusSeeOther)
}

type myOrder struct {
	Href, Date, Total string
	Number            int64
	Status            template.HTML
}

type myOrdersPage struct {
	Name       string
	Orders     []myOrder
	Unverified bool
}

// myOrders lists the signed-in shopper's orders, newest first.
func (s *server) myOrders(w http.ResponseWriter, r *http.Request) {
	l := pageLang(w, r)
	w.Header().Set("Cache-Control", "no-store")
	tok := s.sessionToken(r)
	if tok == "" {
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		return
	}
	var me struct{ Me *struct{ Name string } }
	if err := s.api.do(r, tok, `{ me { name } }`, nil, &me); err != nil || me.Me == nil {
		if err == nil || errorCode(err) == "UNAUTHENTICATED" {
			setSession(w, r, "", -1)
			http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
			return
		}
		s.catalogFailed(w, r, l, err)
		return
	}
	p := myOrdersPage{Name: me.Me.Name}
	var out struct {
		Orders struct {
			Edges []struct {
				Node struct {
					ID, Status, CreatedAt string
					Number, Total         int64
				}
			}
		}
	}
	err := s.api.do(r, tok, `{ orders(first: 50) { edges { node { id number status total createdAt } } } }`, nil, &out)
	switch {
	case errorCode(err) == "EMAIL_NOT_VERIFIED":
		p.Unverified = true
	case err != nil:
		s.catalogFailed(w, r, l, err)
		return
	}
	for _, e := range out.Orders.Edges {
		o := myOrder{Href: "/shop/account/orders/" + url.PathEscape(e.Node.ID), Number: e.Node.Number,
			Total: mail.Yen(l, e.Node.Total), Status: msg(l, "status"+e.Node.Status)}
		if t, err := time.Parse(time.RFC3339, e.Node.CreatedAt); err == nil {
			o.Date = t.In(tsunagu.JapanTime()).Format("2006-01-02")
		}
		p.Orders = append(p.Orders, o)
	}
	s.render(w, r, http.StatusOK, "account-orders", view{L: l, Title: msgText(l, "myOrders"), Data: p})
}
