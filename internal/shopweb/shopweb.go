// Package shopweb serves the pages shoppers see: the storefront at /shop and the
// account pages the e-mails link to (/verify-email, /reset-password, /sign-in,
// /accept-invitation). Pages are rendered on the server with html/template and
// work without JavaScript; their data comes only from the public GraphQL API,
// called in process (api.go).
package shopweb

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"tsunagu/internal/tsunagu"
)

//go:embed templates static
var files embed.FS

// Options configure the pages.
type Options struct {
	// API is the handler of the public API; the pages call its POST /graphql.
	API http.Handler
	Log *slog.Logger
	// StripePublishableKey is Stripe's publishable key (pk_…), for the Payment
	// Element; without it the checkout says card payments are off.
	StripePublishableKey string
	// DevPay, on a development server whose Stripe is stripe-mock (`make run`),
	// pays the order a token opens as Stripe would (stripemock.Payer): Stripe's
	// Payment Element cannot reach stripe-mock, so the page to pay offers a button
	// for it instead. Never set where payments are real.
	DevPay func(ctx context.Context, orderToken string) error
	// PublicURL is the site's public base address, http(s)://host[:port]
	// (TSUNAGU_PUBLIC_URL, or the server's own address), for canonical addresses,
	// hreflang and Stripe's return address. Required: the pages never build an
	// address from the request's Host header.
	PublicURL string
}

// csp lets a page load only its own stylesheet and pictures from https, post forms
// only to its own origin, and run no script.
const csp = "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; " +
	"base-uri 'none'; frame-ancestors 'none'"

// sessionCookie holds a signed-in shopper's bearer token: HttpOnly, so no script
// reads it, and SameSite=Lax, so no other site's form posts with it.
const sessionCookie = "tsunagu_session"

type server struct {
	api api
	log *slog.Logger
	// publicURL is where every absolute address the pages give starts, never the
	// request's Host header: whoever sends a request chooses that, and a canonical
	// address made from it would point a cached page at their site.
	publicURL string
	stripeKey string
	devPay    func(ctx context.Context, orderToken string) error
	pages     map[string]*template.Template
}

// Handler serves the account pages and the storefront. Forms that arrive from
// another origin are refused (403) before they reach a handler.
func Handler(o Options) http.Handler {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if u, err := url.Parse(o.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		panic(fmt.Sprintf("shopweb: Options.PublicURL must be an http(s) address, not %q", o.PublicURL))
	}
	o.PublicURL = strings.TrimRight(o.PublicURL, "/")
	s := &server{api: api{o.API}, log: o.Log, publicURL: o.PublicURL, stripeKey: o.StripePublishableKey,
		devPay: o.DevPay, pages: parsePages()}
	mux := http.NewServeMux()
	for path, h := range map[string]http.HandlerFunc{
		"/verify-email":      s.verifyEmail,
		"/reset-password":    s.resetPassword,
		"/sign-in":           s.signIn,
		"/accept-invitation": s.acceptInvitation,
	} {
		mux.Handle("GET "+path, h)
		mux.Handle("POST "+path, h)
	}
	mux.HandleFunc("GET /shop/{$}", s.home)
	mux.HandleFunc("GET /shop/products", s.list)
	mux.HandleFunc("GET /shop/products/{id}", s.product)
	mux.HandleFunc("GET /shop/towns/{id}", s.town)
	mux.HandleFunc("GET /shop/facilities/{id}", s.facility)
	mux.HandleFunc("GET /shop/cart", s.cartPage)
	mux.HandleFunc("POST /shop/cart", s.updateCart)
	mux.HandleFunc("GET /shop/checkout", s.checkout)
	mux.HandleFunc("POST /shop/checkout", s.checkout)
	mux.HandleFunc("GET /shop/orders/{token}", s.order)
	mux.HandleFunc("POST /shop/orders/{token}/pay", s.payForDev)
	mux.HandleFunc("GET /shop/sign-up", s.signUp)
	mux.HandleFunc("POST /shop/sign-up", s.signUp)
	mux.HandleFunc("POST /shop/sign-out", s.signOut)
	mux.HandleFunc("GET /shop/account", s.myOrders)
	mux.HandleFunc("GET /shop/account/orders/{id}", s.accountOrder)
	mux.HandleFunc("GET /shop/", func(w http.ResponseWriter, r *http.Request) {
		l, _ := localeOf(r)
		s.notFound(w, r, l)
	})
	static, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // fixed at build time
	}
	assets := http.StripPrefix("/shop/static/", http.FileServerFS(static))
	mux.Handle("GET /shop/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The files change only with a new server version; an hour keeps pages fast
		// and a new version reaches shoppers soon enough.
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		assets.ServeHTTP(w, r)
	}))
	return http.NewCrossOriginProtection().Handler(guard(o.PublicURL, mux))
}

// maxFormBytes bounds a form posted to the pages: the largest (checkout) is well
// under a kilobyte.
const maxFormBytes = 64 << 10

type httpsKey struct{}

// guard reads every posted form whole before the pages see it: only URL-encoded,
// as browsers send these forms, and at most maxFormBytes, so that nobody fills the
// server's memory with a form no page asks for (415, 413). It also notes whether
// the browser reached the site over HTTPS, directly or (publicURL https://)
// through the load balancer, for the cookies' Secure flag (secure).
func guard(publicURL string, next http.Handler) http.Handler {
	https := strings.HasPrefix(publicURL, "https://")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
				http.Error(w, "Send the form as application/x-www-form-urlencoded.", http.StatusUnsupportedMediaType)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			if err := r.ParseForm(); err != nil {
				if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
					http.Error(w, "The form is too large.", http.StatusRequestEntityTooLarge)
				} else {
					http.Error(w, "The form could not be read.", http.StatusBadRequest)
				}
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), httpsKey{}, https)))
	})
}

// secure is the Secure flag of the cookies set in answer to r.
func secure(r *http.Request) bool {
	https, _ := r.Context().Value(httpsKey{}).(bool)
	return https || r.TLS != nil
}

// parsePages parses each page's template with the layout around it.
func parsePages() map[string]*template.Template {
	funcs := template.FuncMap{
		"t":  msg,
		"tt": msgText,
		"fieldOf": func(l tsunagu.Locale, f *field) any {
			return struct {
				L tsunagu.Locale
				F *field
			}{l, f}
		},
		"formOf": func(l tsunagu.Locale, f *form) any {
			return struct {
				L tsunagu.Locale
				F *form
			}{l, f}
		},
		"cards": func(l tsunagu.Locale, cs []card) any {
			return struct {
				L     tsunagu.Locale
				Cards []card
			}{l, cs}
		},
	}
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/parts.html"))
	pages := map[string]*template.Template{}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" || base == "parts" {
			continue
		}
		pages[base] = template.Must(template.Must(layout.Clone()).ParseFS(files, name))
	}
	return pages
}

// view is what the layout needs of every page; Data is the page's own.
type view struct {
	L           tsunagu.Locale
	Lang        string // the html element's lang
	Title       string
	Description string
	// Canonical is the page's address without the language; Alternates the same
	// page in each language (hreflang). Both are left out of pages that are not
	// for search engines (the account pages).
	Canonical  string
	Alternates []alternate
	Switch     []alternate
	Data       any
}

type alternate struct {
	Lang     string // hreflang, and the link's lang
	Name     string
	Href     string
	Current  bool
	HTMLLang string
}

// render writes the page name in the request's language. The whole page is
// rendered before anything is written, so that a template error is a 500, not
// half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	if body, ok := s.page(w, r, name, v); ok {
		s.write(w, v.L, status, body)
	}
}

// page renders the page name; on a template error it answers 500 and reports false.
func (s *server) page(w http.ResponseWriter, r *http.Request, name string, v view) ([]byte, bool) {
	v.Lang = htmlLang(v.L)
	for _, o := range langs {
		v.Switch = append(v.Switch, alternate{Lang: o.Tag(), HTMLLang: htmlLang(o), Name: langNames[o],
			Href: withLang(r.URL, o), Current: o == v.L})
	}
	var b bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&b, "layout.html", v); err != nil {
		s.log.ErrorContext(r.Context(), "rendering a page", "page", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return nil, false
	}
	return b.Bytes(), true
}

// write sends a rendered page in l with the headers every page has.
func (s *server) write(w http.ResponseWriter, l tsunagu.Locale, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Content-Security-Policy") == "" { // the pages with scripts set their own
		h.Set("Content-Security-Policy", csp)
	}
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Language", l.Tag())
	varyByLanguage(h)
	w.WriteHeader(status)
	w.Write(body)
}

// varyByLanguage says what a page depends on besides its address: its language
// follows the cookie and the browser (and a signed-in shopper's pages the session).
func varyByLanguage(h http.Header) {
	h.Set("Vary", "Accept-Language, Cookie")
}

// rememberLang keeps a language chosen with the switch for the next pages.
func rememberLang(w http.ResponseWriter, r *http.Request, l tsunagu.Locale, chosen bool) {
	if !chosen {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langParam, Value: l.Tag(), Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: secure(r), HttpOnly: true})
}

// setSession signs the shopper in on this browser.
func setSession(w http.ResponseWriter, r *http.Request, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		SameSite: http.SameSiteLaxMode, Secure: secure(r), HttpOnly: true})
}

// selfURL is the address of the request, for links back to the same page.
func selfURL(r *http.Request) *url.URL {
	u := *r.URL
	return &u
}

// Paths are the patterns the server mounts Handler at.
var Paths = []string{"/verify-email", "/reset-password", "/sign-in", "/accept-invitation", "/shop/"}
