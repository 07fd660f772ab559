// Package consoleweb serves the partner console: the web app that municipalities'
// managers, facilities' staff and the home city's administrators use every week
// for listings, stock, transfers, sales and settlement. Like the POS app it is
// plain HTML, CSS and JavaScript modules with no build step, embedded into the
// binary, talking only to POST /graphql. It shares the POS app's generic modules
// (the GraphQL client, the element builder, the display preferences and the words
// for API errors) by importing them from /pos/, so the two apps keep one copy.
package consoleweb

import (
	"embed"
	"io/fs"
	"net/http"

	"tsunagu/internal/webapp"
)

//go:embed static
var static embed.FS

// csp lets the console load only its own origin's files (its own and the POS app's
// shared modules) and talk only to its own origin. Pictures may come from any https
// host, as products' imageUrls do. Downloads (CSV) are blob: links. The payment
// notice, the API's own page, is shown in a shadow root with its style set through
// the CSSOM, which the policy allows, rather than as inline style, which it does not.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; " +
	"connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Handler serves the console under prefix (such as "/console"), as webapp.Handler
// serves a web app.
func Handler(prefix string) http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return webapp.Handler(sub, prefix, csp)
}
