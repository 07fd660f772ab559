package shopweb_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tsunagu/graph"
	"tsunagu/internal/metrics"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
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

// The sign-up page states the shoppers' password rule as the API enforces it, in
// every language: a password of exactly tsunagu.MinShopperPassword characters is
// taken and one shorter is refused with the same number; the reset page, which
// does not know whose account it is, states the staff's rule too.
func TestPasswordRulesAsStated(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	n, staff := tsunagu.MinShopperPassword, tsunagu.MinStaffPassword
	hint := regexp.MustCompile(`(?s)<p class="hint" id="h-password">(.*?)</p>`)
	errText := regexp.MustCompile(`(?s)<p class="error" id="e-password">(.*?)</p>`)
	plain := func(html string) string { return regexp.MustCompile(`<rt>.*?</rt>|<[^>]+>`).ReplaceAllString(html, "") }
	for lang, want := range map[string]struct{ hint, short, reset string }{
		"ja":        {fmt.Sprintf("%d文字以上。", n), fmt.Sprintf("パスワードは%d文字以上にしてください。", n), fmt.Sprintf("%d文字以上（スタッフのアカウントは%d文字以上）。", n, staff)},
		"ja-x-easy": {fmt.Sprintf("%d文字か それより 長く して ください。", n), fmt.Sprintf("パスワードは %d文字か それより 長く して ください。", n), fmt.Sprintf("（スタッフは %d文字か それより 長く）", staff)},
		"en":        {fmt.Sprintf("At least %d characters.", n), fmt.Sprintf("Use at least %d characters.", n), fmt.Sprintf("At least %d characters (%d for a staff account).", n, staff)},
		"zh":        {fmt.Sprintf("至少 %d 个字符。", n), fmt.Sprintf("密码至少需要 %d 个字符。", n), fmt.Sprintf("员工账户至少 %d 个字符", staff)},
		"ko":        {fmt.Sprintf("%d자 이상.", n), fmt.Sprintf("비밀번호는 %d자 이상이어야 합니다.", n), fmt.Sprintf("직원 계정은 %d자 이상", staff)},
	} {
		_, page := get(t, e.url+"/shop/sign-up?lang="+lang, "ja")
		h := hint.FindStringSubmatch(page)
		if h == nil || !strings.HasPrefix(plain(h[1]), want.hint) {
			t.Errorf("%s: the sign-up page's password hint %q, want it to start %q", lang, h, want.hint)
		}
		signUp := func(password string) (int, string) {
			res, err := http.PostForm(e.url+"/shop/sign-up", url.Values{"lang": {lang}, "name": {"Mary Smith"},
				"email": {"mary-" + lang + "@example.jp"}, "password": {password}})
			must(t, err)
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			return res.StatusCode, string(b)
		}
		status, body := signUp(strings.Repeat("あ", n-1))
		m := errText.FindStringSubmatch(body)
		if status != http.StatusUnprocessableEntity || m == nil || plain(m[1]) != want.short {
			t.Errorf("%s: a password of %d characters: %d, %q; want 422 and %q", lang, n-1, status, m, want.short)
		}
		if status, body := signUp(strings.Repeat("あ", n)); status != http.StatusOK || errText.MatchString(body) {
			t.Errorf("%s: a password of %d characters, as the page allows: %d\n%s", lang, n, status, body)
		}
		_, page = get(t, e.url+"/reset-password?token=tsu_x&lang="+lang, "ja")
		if h := hint.FindStringSubmatch(page); h == nil || !strings.Contains(plain(h[1]), want.reset) {
			t.Errorf("%s: the reset page's password hint %q, want %q in it", lang, h, want.reset)
		}
	}
}

// The catalog's pages read through the API's anonymous catalog cache, as the
// server wires it: a page seen again is answered from memory, without a miss, and
// a price changed meanwhile shows as soon as the cache hears of it.
func TestCatalogPagesUseTheCache(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	c := graph.NewCatalogCache()
	c.Instrument(m)
	var dbURL string
	e := newEnv(t, func(t *testing.T, url string, o *graph.Options) {
		dbURL, o.CatalogCache, o.Metrics = url, c, m
	})
	g := e.seedCatalog(t)
	// The cache listens from here, as a server started on this catalog would: the
	// seed's own notifications, which a listener from the start could hear late on
	// a busy machine (dropping a page between its two requests below), are before.
	ctx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	must(t, postgres.ListenCatalog(ctx, dbURL, c, nil))
	lookups := func() (hit, miss int) {
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		for _, line := range strings.Split(rec.Body.String(), "\n") {
			fmt.Sscanf(line, `tsunagu_catalog_cache_requests_total{result="hit"} %d`, &hit)
			fmt.Sscanf(line, `tsunagu_catalog_cache_requests_total{result="miss"} %d`, &miss)
		}
		return hit, miss
	}
	for _, page := range []string{"/shop/?lang=en", "/shop/products?q=クッキー&free=WHEAT", productURL(e, g.butter)[len(e.url):] + "?lang=en"} {
		get(t, e.url+page, "ja")
		hit1, miss1 := lookups()
		if miss1 == 0 {
			t.Fatalf("%s: the catalog cache was never asked", page)
		}
		get(t, e.url+page, "ja")
		if hit2, miss2 := lookups(); miss2 != miss1 || hit2 <= hit1 {
			t.Errorf("%s seen again: %d more hits and %d more misses of the cache, want only hits", page, hit2-hit1, miss2-miss1)
		}
	}
	price := int64(480)
	_, err := e.catalog.UpdateProduct(e.admin, tsunagu.UpdateProductInput{ID: g.butter.ID, Price: &price})
	must(t, err)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, body := get(t, productURL(e, g.butter)+"?lang=en", "ja"); strings.Contains(body, "¥480") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the product page still shows the old price 5 s after the change")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
