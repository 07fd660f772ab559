package shopweb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"tsunagu/internal/webtest"
)

// The browser and axe-core, which `make deps` installs (axe-core beside the POS app).
const (
	chromiumPath = "/usr/bin/chromium"
	axePath      = "../posweb/node_modules/axe-core/axe.min.js"
	shotsDir     = "../../screenshots"
)

// browser is one headless Chromium tab, in a language of the browser's.
type browser struct {
	t    *testing.T
	ctx  context.Context
	axe  string
	name string
	n    int
}

func newBrowser(t *testing.T, name, acceptLanguage string, js bool) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the storefront's browser tests need Chromium at %s: run `make deps`: %v", chromiumPath, err)
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("the accessibility checks need axe-core from npm: run `make deps` (npm ci): %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox, // as root, Chromium's sandbox refuses to start
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", acceptLanguage),
		chromedp.Flag("accept-lang", acceptLanguage),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	if !js {
		opts = append(opts, chromedp.Flag("blink-settings", "scriptEnabled=false"))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// A headless page never has the window's focus; without it :focus-visible never shows.
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
			return err
		}
		// The browser's language, as a shopper's browser sends it.
		_, err := cdp.Call(ctx, t, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
			Headers: network.Headers{"Accept-Language": acceptLanguage}})
		return err
	})); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return &browser{t: t, ctx: ctx, axe: string(axe), name: name}
}

// do runs steps with a timeout, failing the test with what was being done.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.shot("failed")
		b.t.Fatalf("%s: %v\npage text:\n%s", what, err, b.text())
	}
}

func (b *browser) text() string {
	ctx, cancel := context.WithTimeout(b.ctx, 3*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](withoutReadings+`(document.body)`))
	return s
}

// open loads a page and waits for it.
func (b *browser) open(url string) {
	b.t.Helper()
	b.do("opening "+url, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body")))
}

// submit presses Enter in a field (the keyboard's way to send a form) and waits for
// the next page.
func (b *browser) submit(sel string) {
	b.t.Helper()
	before := b.eval(`String(performance.timeOrigin)`)
	b.do("sending the form from "+sel, chromedp.Focus(chromedp.CSS(sel)), enter)
	b.waitLoad(before)
}

// enter presses Enter once, as a keyboard does: one keydown that carries the
// text "\r", and the keyup. (chromedp's KeyEvent sends a char event besides,
// which Chromium takes for a second Enter: a form would be sent twice.)
var enter = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: "Enter", Code: "Enter",
		WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13, Text: "\r", UnmodifiedText: "\r"}
	if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, down); err != nil {
		return err
	}
	up := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyUp, Key: "Enter", Code: "Enter",
		WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
	_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, up)
	return err
})

// waitLoad waits until a page other than the one loaded at before is complete;
// while the browser navigates, evaluating fails, and is tried again.
func (b *browser) waitLoad(before string) {
	b.t.Helper()
	js := fmt.Sprintf(`String(performance.timeOrigin) !== %q && document.readyState === "complete"`, before)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && done {
			return
		}
		time.Sleep(30 * time.Millisecond)
	}
	b.shot("failed")
	b.t.Fatalf("the next page did not load\npage text:\n%s", b.text())
}

// follow clicks a link and waits for its page.
func (b *browser) follow(sel string) {
	b.t.Helper()
	before := b.eval(`String(performance.timeOrigin)`)
	b.do("following "+sel, chromedp.Click(chromedp.CSS(sel)))
	b.waitLoad(before)
}

// eval gives the value of a JavaScript expression that yields a string. (The
// DevTools protocol evaluates even where the page's own scripts are off.)
func (b *browser) eval(js string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return s
}

func (b *browser) textOf(sel string) string {
	b.t.Helper()
	return b.eval(fmt.Sprintf(withoutReadings+`(document.querySelector(%q))`, sel))
}

// withoutReadings is a function giving an element's text without its furigana.
const withoutReadings = `(e => { if (!e) return ""; const c = e.cloneNode(true); c.querySelectorAll("rt").forEach(r => r.remove()); return c.textContent.replace(/\s+/g, " ").trim() })`

func typeInto(sel, text string) chromedp.Action[chromedp.Void] {
	clear := fmt.Sprintf(`document.querySelector(%q).value = ""`, sel)
	return chromedp.Steps(chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[string](clear)(ctx, t)
		return err
	}), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// shot saves a screenshot into screenshots/, numbered in order.
func (b *browser) shot(name string) {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.n++
	if err := os.MkdirAll(shotsDir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shotsDir, fmt.Sprintf("shop-%s-%02d-%s.png", b.name, b.n, name)), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// checkA11y runs axe-core against WCAG 2.2 A and AA and fails on every serious or
// critical violation; then it checks that every target is at least 44 × 44 px,
// that the page fits 320 CSS px without sideways scrolling, and saves a screenshot.
func (b *browser) checkA11y(screen string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 40*time.Second)
	defer cancel()
	if loaded, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`)); !loaded {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[*json.RawMessage](b.axe+";true")); err != nil {
			b.t.Fatalf("loading axe-core: %v", err)
		}
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
	}).then(r => JSON.stringify(r.violations
		.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => v.id + " (" + v.impact + "): " + v.help + "\n\t" + v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary).join("\n\t"))))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe on %s: %v", screen, err)
	}
	var vs []string
	must(b.t, json.Unmarshal([]byte(raw), &vs))
	for _, v := range vs {
		b.t.Errorf("axe on the %s page: %s", screen, v)
	}
	small, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(
		"button, a[href], select, textarea, input:not([type=radio]):not([type=checkbox]):not([type=hidden])")]
		.filter(e => e.offsetParent !== null && e.getClientRects().length && !e.classList.contains("skip"))
		.map(e => [e, e.getBoundingClientRect()])
		.filter(([e, r]) => r.width < 44 || r.height < 44)
		.map(([e, r]) => (e.id || e.tagName + " " + e.textContent.trim()) + " " + Math.round(r.width) + "×" + Math.round(r.height))`))
	must(b.t, err)
	for _, s := range small {
		b.t.Errorf("on the %s page, a target smaller than 44 × 44 px: %s", screen, s)
	}
	b.shot(screen)
	b.langs(screen)
	b.reflow(screen)
	b.weigh(screen)
}

// langs checks that every passage in Japanese on a page in another language is
// marked lang="ja" (WCAG 3.1.2): text with kana, and text with kanji unless it is
// marked Chinese (the switch's 中文, and a Chinese page's own words).
func (b *browser) langs(screen string) {
	b.t.Helper()
	unmarked := b.eval(`(() => {
		const page = document.documentElement.lang;
		if (page.startsWith("ja")) return "";
		const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), bad = [];
		for (let n; (n = walk.nextNode());) {
			const e = n.parentElement, kana = /[\u3040-\u30ff]/.test(n.data), han = /[\u3400-\u9fff]/.test(n.data);
			if (!(kana || han) || e.closest("script, style")) continue;
			const lang = e.closest("[lang]").getAttribute("lang");
			// Kana is Japanese; kanji alone may be Chinese too (the switch's 中文).
			const ok = lang.startsWith("ja") || (!kana && lang.startsWith("zh"));
			if (!ok) bad.push(JSON.stringify(n.data.trim()) + " in " + (e.id || e.tagName + "." + e.className) + " (lang " + lang + ")");
		}
		return bad.slice(0, 8).join("\n");
	})()`)
	if unmarked != "" {
		b.t.Errorf("on the %s page (lang %s), Japanese not marked lang=\"ja\":\n%s", screen, b.eval(`document.documentElement.lang`), unmarked)
	}
}

// weigh checks that the page, with its stylesheet and scripts but without its
// pictures, is under 100 KB as the browser received it (uncompressed).
func (b *browser) weigh(screen string) {
	b.t.Helper()
	n, err := strconv.Atoi(b.eval(`String([...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
		.filter(e => e.initiatorType !== "img").reduce((n, e) => n + (e.decodedBodySize || 0), 0))`))
	must(b.t, err)
	b.t.Logf("page weight of the %s page: %d bytes", screen, n)
	if n > 100*1024 {
		b.t.Errorf("the %s page weighs %d bytes before its pictures, over 100 KB", screen, n)
	}
}

// reflow checks WCAG 1.4.10 at 320 CSS px (a phone, or 1280 px at 400 %) and at
// 200 % zoom of a 1280 × 900 window (640 × 450 CSS px at scale 2): nothing needs
// sideways scrolling, sticks out of the viewport or is cut off. Then the window is
// as before.
func (b *browser) reflow(screen string) {
	b.t.Helper()
	for _, v := range []struct {
		name          string
		width, height int64
		scale         float64
	}{{"320 px", 320, 800, 1}, {"200 %", 640, 450, 2}} {
		b.do("the viewport at "+v.name, chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateScale(v.scale)))
		if bad := b.eval(webtest.ReflowProblems); bad != "" {
			b.t.Errorf("the %s page at %s:\n%s", screen, v.name, bad)
			b.shot(screen + "-reflow")
		}
	}
	b.do("the viewport as before", chromedp.EmulateViewport(1280, 900))
}

// focused describes the element that has the focus.
func (b *browser) focused() string {
	return b.eval(`(e => e.id || e.className || e.tagName)(document.activeElement)`)
}

func contains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
}

// waitText waits until the element's text (without readings) contains want.
func (b *browser) waitText(sel, want string) {
	b.t.Helper()
	js := fmt.Sprintf(withoutReadings+`(document.querySelector(%q)).includes(%q)`, sel, want)
	b.do(fmt.Sprintf("waiting for %s to show %q", sel, want), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Poll[bool](js, chromedp.WithPollingInterval(30*time.Millisecond))(ctx, t)
		return err
	}))
}
