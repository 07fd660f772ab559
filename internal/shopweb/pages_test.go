package shopweb_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A form posted from another site is refused before it does anything (the
// session cookie is SameSite=Lax too); the account pages are never cached and
// send no referrer, since their addresses carry one-time tokens.
func TestAccountPagesHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	req, _ := http.NewRequest(http.MethodPost, e.url+"/sign-in", strings.NewReader(url.Values{
		"email": {"manager@minato.example"}, "password": {"manager-password-1"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site form: %d, want 403", res.StatusCode)
	}
	res, err = http.Get(e.url + "/reset-password?token=tsu_x&lang=zh")
	must(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for h, want := range map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
		"Content-Language": "zh", "Content-Type": "text/html; charset=utf-8"} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	contains(t, "the page in Chinese", string(body), `<html lang="zh-Hans">`, "<h1>重设密码</h1>", `value="tsu_x"`)
}
