// Package webapp serves a web app's static files the way every Tsunagu web app is
// served: under a path prefix, with a strict Content-Security-Policy and no caching
// without revalidation.
package webapp

import (
	"io/fs"
	"net/http"
)

// Handler serves files under prefix (such as "/console"): prefix itself redirects
// to prefix + "/", which serves index.html. Every response carries csp, refuses
// MIME sniffing, sends no referrer, and is revalidated on each load, so a new
// server version reaches every screen at the next reload.
func Handler(files fs.FS, prefix, csp string) http.Handler {
	serve := http.StripPrefix(prefix+"/", http.FileServerFS(files))
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
		serve.ServeHTTP(w, r)
	})
}
