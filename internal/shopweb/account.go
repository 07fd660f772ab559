package shopweb

import (
	"html/template"
	"net/http"
	"time"

	"tsunagu/internal/tsunagu"
)

// accountPage is one of the pages the account e-mails link to: a form, or once it
// has done its work, what happened and where to go next.
type accountPage struct {
	Heading template.HTML
	Intro   template.HTML
	Form    *form
	Done    template.HTML
	Links   []link
}

type link struct {
	Href string
	Text template.HTML
}

// account answers GET with the page's empty form and POST by checking the
// required fields and then calling submit, which returns the finished page or
// leaves the API's errors on the form. Tokens sit in the address, so account
// pages are never stored by a cache, and the referrer is never sent.
func (s *server) account(w http.ResponseWriter, r *http.Request, titleKey string, p *accountPage,
	submit func(l tsunagu.Locale) (*accountPage, error)) {
	l := pageLang(w, r)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	status := http.StatusOK
	if r.Method == http.MethodPost && p.Form != nil {
		p.Form.fill(r)
		if p.Form.requireAll(l, r) {
			done, err := submit(l)
			switch {
			case err != nil:
				s.apiFailed(r, p.Form, l, err)
			case done != nil:
				p = done
			}
		}
		if p.Form != nil && p.Form.failed() {
			status = http.StatusUnprocessableEntity
		}
	}
	if p.Form != nil {
		p.Form.Action = r.URL.Path
		p.Form.Hidden = append(p.Form.Hidden, hidden{langParam, l.Tag()})
	}
	s.render(w, r, status, "account", view{L: l, Title: msgText(l, titleKey), Data: p})
}

// token is the one-time link's token, from the address or the form.
func token(r *http.Request) string {
	if t := r.URL.Query().Get("token"); t != "" {
		return t
	}
	return r.PostFormValue("token")
}

func passwordField(l tsunagu.Locale, name, labelKey, autocomplete string, min int) *field {
	f := &field{Name: name, Type: "password", Autocomplete: autocomplete, Label: msg(l, labelKey), Required: true}
	if min > 0 {
		f.Hint = msg(l, "passwordHint", "n", min)
	}
	return f
}

// noToken is the page for a link that lost its token on the way.
func noToken(l tsunagu.Locale, heading string) *accountPage {
	return &accountPage{Heading: msg(l, heading), Done: msg(l, "errNoToken"), Links: []link{{"/shop/", msg(l, "backToShop")}}}
}

// verifyEmail confirms a shopper's address with the link's token and the password
// chosen at sign-up, and signs them in on this browser.
func (s *server) verifyEmail(w http.ResponseWriter, r *http.Request) {
	l, _ := localeOf(r)
	tok := token(r)
	if tok == "" {
		s.account(w, r, "verifyTitle", noToken(l, "verifyTitle"), nil)
		return
	}
	p := &accountPage{Heading: msg(l, "verifyTitle"), Intro: msg(l, "verifyIntro"), Form: &form{
		Hidden: []hidden{{"token", tok}},
		Fields: []*field{passwordField(l, "password", "password", "current-password", 0)},
		Submit: msg(l, "verifyButton"),
	}}
	s.account(w, r, "verifyTitle", p, func(l tsunagu.Locale) (*accountPage, error) {
		var out struct{ VerifyEmail loginPayload }
		err := s.api.do(r, "", `mutation($in: VerifyEmailInput!) { verifyEmail(input: $in) {
			token expiresAt user { name } userErrors { code field message } } }`,
			map[string]any{"in": map[string]any{"token": tok, "password": r.PostFormValue("password")}}, &out)
		if err != nil {
			return nil, err
		}
		if p.Form.userErrors(l, out.VerifyEmail.UserErrors, "errPassword"); p.Form.failed() {
			return nil, nil
		}
		out.VerifyEmail.keep(w, r)
		return &accountPage{Heading: msg(l, "verifiedTitle"), Done: msg(l, "verifiedBody"),
			Links: []link{{"/shop/account", msg(l, "myOrders")}, {"/shop/", msg(l, "backToShop")}}}, nil
	})
}

// loginPayload is what verifyEmail, login and acceptInvitation answer.
type loginPayload struct {
	Token      *string
	ExpiresAt  *time.Time
	User       *struct{ Name, Role string }
	UserErrors []userError
}

// keep signs the browser in with the payload's session, until it expires.
func (p loginPayload) keep(w http.ResponseWriter, r *http.Request) {
	if p.Token == nil {
		return
	}
	age := 24 * 3600
	if p.ExpiresAt != nil {
		age = max(1, int(time.Until(*p.ExpiresAt).Seconds()))
	}
	setSession(w, r, *p.Token, age)
}

// resetPassword sets a new password with a reset link's token; without a token it
// is the form that asks for a link.
func (s *server) resetPassword(w http.ResponseWriter, r *http.Request) {
	l, _ := localeOf(r)
	tok := token(r)
	if tok == "" {
		s.forgotPassword(w, r, l)
		return
	}
	// The link does not say whose account it is: the hint gives the shoppers' rule
	// and the staff's, and the API answers with the account's own.
	password := passwordField(l, "password", "newPassword", "new-password", tsunagu.MinShopperPassword)
	password.Hint = msg(l, "passwordHintReset", "n", tsunagu.MinShopperPassword, "staff", tsunagu.MinStaffPassword)
	p := &accountPage{Heading: msg(l, "resetTitle"), Intro: msg(l, "resetIntro"), Form: &form{
		Hidden: []hidden{{"token", tok}},
		Fields: []*field{password},
		Submit: msg(l, "resetButton"),
	}}
	s.account(w, r, "resetTitle", p, func(l tsunagu.Locale) (*accountPage, error) {
		var out struct {
			ResetPassword struct{ UserErrors []userError }
		}
		err := s.api.do(r, "", `mutation($in: ResetPasswordInput!) { resetPassword(input: $in) { userErrors { code field message } } }`,
			map[string]any{"in": map[string]any{"token": tok, "password": r.PostFormValue("password")}}, &out)
		if err != nil {
			return nil, err
		}
		if p.Form.userErrors(l, out.ResetPassword.UserErrors, "errCredentials"); p.Form.failed() {
			if p.Form.field("password").Error == "" {
				p.Links = []link{{"/reset-password", msg(l, "forgotAgain")}}
			}
			return nil, nil
		}
		return &accountPage{Heading: msg(l, "resetTitle"), Done: msg(l, "resetDone"),
			Links: []link{{"/sign-in", msg(l, "signInTitle")}}}, nil
	})
}

// forgotPassword asks the API to e-mail a reset link, in the page's language.
func (s *server) forgotPassword(w http.ResponseWriter, r *http.Request, l tsunagu.Locale) {
	p := &accountPage{Heading: msg(l, "forgotTitle"), Intro: msg(l, "forgotIntro"), Form: &form{
		Fields: []*field{{Name: "email", Type: "email", Autocomplete: "email", Label: msg(l, "email"), Required: true}},
		Submit: msg(l, "forgotButton"),
	}}
	s.account(w, r, "forgotTitle", p, func(l tsunagu.Locale) (*accountPage, error) {
		var out struct {
			RequestPasswordReset struct{ UserErrors []userError }
		}
		err := s.api.do(r, "", `mutation($in: RequestPasswordResetInput!) { requestPasswordReset(input: $in) { userErrors { code field message } } }`,
			map[string]any{"in": map[string]any{"email": r.PostFormValue("email"), "locale": string(l)}}, &out)
		if err != nil {
			return nil, err
		}
		if p.Form.userErrors(l, out.RequestPasswordReset.UserErrors, "errCredentials"); p.Form.failed() {
			return nil, nil
		}
		return &accountPage{Heading: msg(l, "forgotTitle"), Done: msg(l, "forgotSent"),
			Links: []link{{"/sign-in", msg(l, "signInTitle")}}}, nil
	})
}

// signIn signs a shopper in on this browser. Staff who sign in here are signed
// out again at once and sent to their own apps, which keep their sessions.
func (s *server) signIn(w http.ResponseWriter, r *http.Request) {
	l, _ := localeOf(r)
	p := &accountPage{Heading: msg(l, "signInTitle"), Form: &form{
		Fields: []*field{
			{Name: "email", Type: "email", Autocomplete: "username", Label: msg(l, "email"), Required: true},
			passwordField(l, "password", "password", "current-password", 0),
		},
		Submit: msg(l, "signInButton"),
	}, Links: []link{{"/reset-password", msg(l, "forgotTitle")}, {"/shop/sign-up", msg(l, "signUpTitle")}}}
	s.account(w, r, "signInTitle", p, func(l tsunagu.Locale) (*accountPage, error) {
		var out struct{ Login loginPayload }
		err := s.api.do(r, "", `mutation($in: LoginInput!) { login(input: $in) {
			token expiresAt user { name role } userErrors { code field message } } }`,
			map[string]any{"in": map[string]any{"email": r.PostFormValue("email"), "password": r.PostFormValue("password")}}, &out)
		if err != nil {
			return nil, err
		}
		if p.Form.userErrors(l, out.Login.UserErrors, "errCredentials"); p.Form.failed() {
			return nil, nil
		}
		if out.Login.User == nil || out.Login.Token == nil {
			return nil, errNoSession
		}
		if out.Login.User.Role != "CUSTOMER" {
			if err := s.api.do(r, *out.Login.Token, `mutation { logout { userErrors { code } } }`, nil, nil); err != nil {
				s.log.ErrorContext(r.Context(), "shop: signing staff out again", "err", err)
			}
			return staffDone(l, "signInTitle", "staffElsewhere", out.Login.User.Role), nil
		}
		out.Login.keep(w, r)
		return &accountPage{Heading: msg(l, "signedInTitle"), Done: msg(l, "signedInAs", "name", out.Login.User.Name),
			Links: []link{{"/shop/account", msg(l, "myOrders")}, {"/shop/", msg(l, "backToShop")}}}, nil
	})
}

// staffDone sends staff on to their app: a clerk to the POS, others to the console.
func staffDone(l tsunagu.Locale, heading, body, role string) *accountPage {
	next := link{"/console/", msg(l, "openConsole")}
	if role == "CLERK" {
		next = link{"/pos/", msg(l, "openPOS")}
	}
	return &accountPage{Heading: msg(l, heading), Done: msg(l, body), Links: []link{next}}
}

// acceptInvitation creates a staff account from an invitation's link. The session
// the API opens is ended at once: staff sign in to their own app, which keeps its
// session in the browser tab.
func (s *server) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	l, _ := localeOf(r)
	tok := token(r)
	if tok == "" {
		s.account(w, r, "inviteTitle", noToken(l, "inviteTitle"), nil)
		return
	}
	p := &accountPage{Heading: msg(l, "inviteTitle"), Intro: msg(l, "inviteIntro"), Form: &form{
		Hidden: []hidden{{"token", tok}},
		Fields: []*field{
			{Name: "name", Type: "text", Autocomplete: "name", Label: msg(l, "name"), Required: true},
			// The reading goes over the clerk's name in the POS app's furigana mode.
			{Name: "nameReading", Type: "text", Autocomplete: "off", Label: msg(l, "nameReading"), Hint: msg(l, "nameReadingHint")},
			passwordField(l, "password", "password", "new-password", tsunagu.MinStaffPassword),
		},
		Submit: msg(l, "inviteButton"),
	}}
	s.account(w, r, "inviteTitle", p, func(l tsunagu.Locale) (*accountPage, error) {
		var out struct{ AcceptInvitation loginPayload }
		err := s.api.do(r, "", `mutation($in: AcceptInvitationInput!) { acceptInvitation(input: $in) {
			token user { name role } userErrors { code field message } } }`,
			map[string]any{"in": map[string]any{"token": tok, "name": r.PostFormValue("name"), "nameReading": r.PostFormValue("nameReading"),
				"password": r.PostFormValue("password")}}, &out)
		if err != nil {
			return nil, err
		}
		if p.Form.userErrors(l, out.AcceptInvitation.UserErrors, "errCredentials"); p.Form.failed() {
			return nil, nil
		}
		if out.AcceptInvitation.User == nil || out.AcceptInvitation.Token == nil {
			return nil, errNoSession
		}
		if err := s.api.do(r, *out.AcceptInvitation.Token, `mutation { logout { userErrors { code } } }`, nil, nil); err != nil {
			s.log.ErrorContext(r.Context(), "shop: ending an invitation's session", "err", err)
		}
		return staffDone(l, "inviteDone", "inviteNext", out.AcceptInvitation.User.Role), nil
	})
}

type shopError string

func (e shopError) Error() string { return string(e) }

const errNoSession = shopError("shop: the API signed in without a session")
