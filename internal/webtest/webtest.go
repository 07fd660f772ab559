// Package webtest drives the web apps' end-to-end tests: one headless Chromium tab
// per test (chromedp), axe-core against WCAG 2.2 A and AA with the project's 44 px
// target rule, the keyboard path with its visible focus, the reflow check at 320
// CSS px, and numbered screenshots in screenshots/ at the module root.
//
// `make deps` installs what it needs: Chromium with a Japanese font (apt) and
// axe-core (npm, under internal/posweb/node_modules).
package webtest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// root is the module's root folder, found from this file's place in it.
func root() string {
	_, file, _, _ := goruntime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Browser is one headless Chromium tab of a test.
type Browser struct {
	t    *testing.T
	Ctx  context.Context
	axe  string
	name string // of the screenshots: name-NN-screen.png
	n    int

	mu          sync.Mutex
	errors      []string // the page's uncaught exceptions and console errors
	holdPattern string   // the addresses Hold intercepts, "" before the first Hold
	holds       []*Held  // the requests to hold that have not been made yet
}

// listen keeps the page's script errors; it runs on chromedp's reading goroutine.
func (b *Browser) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		msg = "exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			msg += " " + ev.ExceptionDetails.Exception.Description
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError {
			return
		}
		msg = "console.error:"
		for _, a := range ev.Args {
			msg += " " + string(a.Value) + a.Description
		}
	default:
		return
	}
	b.mu.Lock()
	b.errors = append(b.errors, msg)
	b.mu.Unlock()
}

func (b *Browser) scriptErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errors...)
}

// New starts Chromium for t at 1280 × 900; name prefixes its screenshots.
func New(t *testing.T, name string) *Browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the end-to-end tests need Chromium at %s: run `make deps`: %v", chromiumPath, err)
	}
	axe, err := os.ReadFile(filepath.Join(root(), "internal/posweb/node_modules/axe-core/axe.min.js"))
	if err != nil {
		t.Fatalf("the accessibility checks need axe-core from npm: run `make deps`: %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox, // we may run as root, where Chromium's sandbox refuses to start
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "ja-JP"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &Browser{t: t, axe: string(axe), name: name}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// A script that fails (a module that does not load, an exception) fails the
	// test with its message; otherwise it would show only as a screen that never
	// comes. (Cleanups run last first: this one before the browser closes.)
	t.Cleanup(func() {
		for _, e := range b.scriptErrors() {
			t.Errorf("in the page: %s", e)
		}
	})
	b.Ctx = ctx
	// A headless page never has the window's focus; without it no :focus-visible ring
	// shows. The first run starts the browser, and must run on its own context: the
	// browser ends with the context of its first run.
	if err := chromedp.Do(ctx, call(emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return b
}

// call sends one DevTools command.
func call[P any](cmd cdp.Command[P, cdp.Empty], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cmd, params)
		return err
	})
}

// Do runs steps, failing the test with what was being done and the page's text.
func (b *Browser) Do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	// Generous: the machine may be shared, and a step that fails fails at once.
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.Shot("failed")
		ctx, cancel := context.WithTimeout(b.Ctx, 3*time.Second)
		defer cancel()
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		b.t.Fatalf("%s: %v\nscript errors: %q\npage text:\n%s", what, err, b.scriptErrors(), text)
	}
}

// Eval gives the value of a JavaScript expression that yields a string.
func (b *Browser) Eval(js string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return s
}

// Until waits until the JavaScript expression is true.
func (b *Browser) Until(what, js string) {
	b.t.Helper()
	b.Do("waiting for "+what, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Poll[bool](js, chromedp.WithPollingInterval(30*time.Millisecond))(ctx, t)
		return err
	}))
}

// WaitText waits until the element shows and its text contains want.
func (b *Browser) WaitText(sel, want string) {
	b.t.Helper()
	b.Until(fmt.Sprintf("%s to show %q", sel, want),
		fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.getClientRects().length > 0 && e.textContent.includes(%q); })()`, sel, want))
}

// Text is the element's text.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	return b.Eval(fmt.Sprintf(`(document.querySelector(%q) || {textContent: "(no %s)"}).textContent`, sel, sel))
}

// Focused is the id of the element with focus.
func (b *Browser) Focused() string {
	return b.Eval(`document.activeElement ? document.activeElement.id || document.activeElement.tagName : ""`)
}

// Click clicks the element sel.
func Click(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }

// Type empties the field sel and types text into it, as keys.
func Type(sel, text string) chromedp.Action[chromedp.Void] {
	clear := fmt.Sprintf(`document.querySelector(%q).value = ""`, sel)
	return chromedp.Steps(chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[string](clear)(ctx, t)
		return err
	}), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// Key presses keys on whatever has focus.
func Key(keys string) chromedp.Action[chromedp.Void] { return chromedp.KeyEvent(keys) }

// Shot saves a screenshot of the viewport into screenshots/, numbered in order.
func (b *Browser) Shot(name string) { b.shoot(name, chromedp.CaptureScreenshot()) }

// ShotPage saves a screenshot of the whole page, below the viewport too, drawn at
// scale (0.7: 1280 CSS px make 896 pixels), as Shot does: for a screen that the
// README shows whole, at about the width it is shown at.
func (b *Browser) ShotPage(name string, scale float64) {
	b.t.Helper()
	var w, h float64
	if _, err := fmt.Sscan(b.Eval(`document.documentElement.scrollWidth + " " + document.documentElement.scrollHeight`), &w, &h); err != nil {
		b.t.Fatal(err)
	}
	yes := true
	b.shoot(name, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Clip: &page.Viewport{Width: w, Height: h, Scale: scale}, CaptureBeyondViewport: &yes, FromSurface: &yes})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
}

func (b *Browser) shoot(name string, capture chromedp.Action[[]byte]) {
	ctx, cancel := context.WithTimeout(b.Ctx, 5*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, capture)
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.n++
	dir := filepath.Join(root(), "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%02d-%s.png", b.name, b.n, name)), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// CheckA11y runs axe-core on the page as it is, against WCAG 2.2 A and AA, and fails
// the test on every violation of any impact; then every visible target must be at
// least 44 × 44 px (the project's rule, stricter than WCAG's 24 px). It saves a
// screenshot named for the screen.
func (b *Browser) CheckA11y(screen string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 40*time.Second)
	defer cancel()
	if loaded, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`)); !loaded {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[*json.RawMessage](b.axe+";true")); err != nil {
			b.t.Fatalf("loading axe-core: %v", err)
		}
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
	}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary)}))))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe on %s: %v", screen, err)
	}
	var vs []struct {
		ID, Impact, Help string
		Nodes            []string
	}
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		b.t.Fatalf("axe on %s: %v", screen, err)
	}
	for _, v := range vs {
		b.t.Errorf("axe on the %s screen: %s (%s): %s\n\t%s", screen, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
	small, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(
		"button, a[href], select, textarea, input:not([type=radio]):not([type=checkbox]), .choice label")]
		.filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden" && !e.closest(".skip"))
		.map(e => [e, e.getBoundingClientRect()])
		.filter(([e, r]) => r.width < 44 || r.height < 44)
		.map(([e, r]) => (e.id || e.tagName + "." + e.className) + " " + Math.round(r.width) + "×" + Math.round(r.height))`))
	if err != nil {
		b.t.Fatalf("target sizes on %s: %v", screen, err)
	}
	for _, s := range small {
		b.t.Errorf("on the %s screen, a target smaller than 44 × 44 px: %s", screen, s)
	}
	b.Shot(screen)
}

// TabTo presses Tab until the element with this id has focus, and checks that the
// focus is visible there.
func (b *Browser) TabTo(id string) {
	b.t.Helper()
	for range 120 {
		if b.Focused() == id {
			ring := b.Eval(`(() => { const s = getComputedStyle(document.activeElement);
				return [s.outlineStyle, s.boxShadow].join("|"); })()`)
			if ring == "none|none" {
				b.t.Errorf("#%s has focus but no visible focus ring", id)
			}
			return
		}
		b.Do("Tab", chromedp.KeyEvent("\t"))
	}
	b.Shot("failed")
	b.t.Fatalf("Tab never reaches #%s (focus is on %q)", id, b.Focused())
}

// Width sets the viewport's CSS width (height 800), as a narrow phone or a window
// zoomed in: 320 px is 1280 px at 400 %.
func (b *Browser) Width(px int64) {
	b.t.Helper()
	b.Do(fmt.Sprintf("a %d px viewport", px), call(emulation.SetDeviceMetricsOverride,
		emulation.SetDeviceMetricsOverrideParams{Width: px, Height: 800, DeviceScaleFactor: 1}))
}

// CheckReflow asserts WCAG 1.4.10 at the viewport's width: the page does not scroll
// sideways, and no visible element sticks out of the viewport or is clipped by an
// ancestor that hides its overflow. It saves a screenshot.
func (b *Browser) CheckReflow(screen string) {
	b.t.Helper()
	out := b.Eval(ReflowProblems)
	if out != "" {
		b.t.Errorf("reflow of the %s screen at %s px:\n%s", screen, b.Eval(`String(document.documentElement.clientWidth)`), out)
	}
	b.Shot(screen + "-reflow")
}

// ReflowProblems is a JavaScript expression that lists, one a line, what breaks
// WCAG 1.4.10 at the viewport's width: a page that scrolls sideways, a visible
// element that sticks out of the viewport, one clipped by its own hidden overflow;
// "" when nothing does. The storefront's tests use it too.
const ReflowProblems = `(() => {
	const vw = document.documentElement.clientWidth, bad = [];
	if (document.documentElement.scrollWidth > vw) bad.push("the page scrolls sideways: " + document.documentElement.scrollWidth + " > " + vw);
	for (const e of document.body.querySelectorAll("*")) {
		const r = e.getBoundingClientRect();
		if (!r.width || !e.getClientRects().length || e.closest(".visually-hidden, .skip, dialog:not([open])")) continue;
		if (getComputedStyle(e).position === "absolute" && r.width <= 1) continue;
		if (r.right > vw + 0.5 || r.left < -0.5) bad.push((e.id || e.tagName + "." + e.className) + " sticks out: " + Math.round(r.left) + ".." + Math.round(r.right));
		else if (e.scrollWidth > e.clientWidth + 1 && ["hidden", "clip"].includes(getComputedStyle(e).overflowX)) bad.push((e.id || e.tagName) + " is cut off");
		if (bad.length > 5) break;
	}
	return bad.join("\n");
})()`

// Media emulates a CSS media type: "print" shows the page as it prints, "" as on screen.
func (b *Browser) Media(media string) {
	b.t.Helper()
	b.Do("media "+media, call(emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media}))
}

// Downloads lets the page download files, into a new folder it returns.
func (b *Browser) Downloads() string {
	b.t.Helper()
	dir := b.t.TempDir()
	b.Do("allowing downloads", call(browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}))
	return dir
}

// Downloaded waits for the file name to be downloaded into dir and gives its bytes.
func (b *Browser) Downloaded(dir, name string) []byte {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		// Chromium reserves the name with an empty file at once and writes into a
		// .crdownload beside it, renamed over the name when done: an empty file, or
		// one with a .crdownload still there, is not the download yet.
		data, err := os.ReadFile(filepath.Join(dir, name))
		partial, _ := filepath.Glob(filepath.Join(dir, "*.crdownload"))
		if err == nil && len(data) > 0 && len(partial) == 0 {
			return data
		}
		if err == nil {
			err = fmt.Errorf("%d bytes so far, %d downloads unfinished", len(data), len(partial))
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s was not downloaded: %v", name, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Await gives the value of a JavaScript promise that resolves to a string.
func (b *Browser) Await(js string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return s
}

var (
	rubyMark    = regexp.MustCompile(`\{[^|{}]+\|[^{}]+\}`)
	placeholder = regexp.MustCompile(`\{\w+\}`)
	han         = regexp.MustCompile(`\p{Han}+`)
)

// UnreadKanji lists the kanji of a web app's string s that carry no reading: the
// apps write each kanji with its furigana ({漢字|かんじ}) so that the furigana switch
// rubies every one, and {name} is a value put in later.
func UnreadKanji(s string) []string {
	return han.FindAllString(placeholder.ReplaceAllString(rubyMark.ReplaceAllString(s, ""), ""), -1)
}
