// Package pos serves the POS web app that clerks use at the counter: plain HTML,
// CSS and JavaScript modules, embedded into the binary, that talk only to
// POST /graphql with the clerk's bearer token.
package posweb

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var static embed.FS

// csp lets the page load only its own files and talk only to its own origin.
// Product pictures may come from any https host (imageUrls are set by managers).
// No inline script or style: the app sets styles through the CSSOM only.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; " +
	"connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Handler serves the app under prefix (such as "/pos"): prefix itself redirects to
// prefix + "/", which serves index.html; every response carries the
// Content-Security-Policy and is not cached, so a new server version reaches
// the counter at the next reload.
func Handler(prefix string) http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	files := http.StripPrefix(prefix+"/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == prefix {
			http.Redirect(w, r, prefix+"/", http.StatusMovedPermanently)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
