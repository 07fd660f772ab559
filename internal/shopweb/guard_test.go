package shopweb_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"tsunagu/internal/shopweb"
)

// A posted form is read whole, URL-encoded and small, before any page sees it;
// the cookies are Secure when the shoppers reach the site over HTTPS, here as
// through a load balancer that ends TLS (TSUNAGU_PUBLIC_URL https://), and only then.
func TestFormsAreBoundedAndCookiesSecure(t *testing.T) {
	t.Parallel()
	// The cart's form does not ask the API: none is needed here.
	serve := func(public string) string {
		srv := httptest.NewServer(shopweb.Handler(shopweb.Options{API: http.NotFoundHandler(), PublicURL: public}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(base, contentType, body string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+"/shop/cart", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		res, err := client.Do(req)
		must(t, err)
		res.Body.Close()
		return res
	}
	add := url.Values{"product": {"UHJvZHVjdDox"}, "quantity": {"1"}, "action": {"add"}}.Encode()
	for public, secure := range map[string]bool{"https://shop.example.jp": true, "http://localhost:8080": false} {
		res := post(serve(public), "application/x-www-form-urlencoded", add)
		cs := res.Cookies()
		if res.StatusCode != http.StatusSeeOther || len(cs) != 1 || cs[0].Secure != secure || !cs[0].HttpOnly {
			t.Errorf("public URL %q: %d, cookies %+v; want 303 and one HttpOnly cookie, Secure %v", public, res.StatusCode, cs, secure)
		}
	}
	base := serve("http://localhost:8080")
	for _, c := range []struct {
		name, contentType, body string
		status                  int
	}{
		{"multipart", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"product\"\r\n\r\n1\r\n--x--\r\n", http.StatusUnsupportedMediaType},
		{"JSON", "application/json", `{"product":"1"}`, http.StatusUnsupportedMediaType},
		{"too large", "application/x-www-form-urlencoded", add + "&pad=" + strings.Repeat("a", 70<<10), http.StatusRequestEntityTooLarge},
		{"malformed", "application/x-www-form-urlencoded", "product=%zz", http.StatusBadRequest},
	} {
		if res := post(base, c.contentType, c.body); res.StatusCode != c.status || len(res.Cookies()) != 0 {
			t.Errorf("%s: %d, cookies %v; want %d and none", c.name, res.StatusCode, res.Cookies(), c.status)
		}
	}
}
