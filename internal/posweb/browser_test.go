package posweb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The browser and the files the end-to-end tests need; `make deps` installs them.
const (
	chromiumPath = "/usr/bin/chromium"
	axePath      = "node_modules/axe-core/axe.min.js"
	shotsDir     = "../../screenshots"
)

// browser is one headless Chromium tab for a test, with a step timeout.
type browser struct {
	t    *testing.T
	ctx  context.Context
	axe  string
	name string // of the screenshots: name-NN-screen.png
	n    int    // screenshots taken
}

func newBrowser(t *testing.T, name string) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the POS end-to-end tests need Chromium at %s: run `make deps` (apt-get install -y chromium fonts-ipafont-gothic): %v", chromiumPath, err)
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("the accessibility checks need axe-core from npm: run `make deps` (npm ci): %v", err)
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
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// A headless page never has the window's focus; without it no :focus-visible
	// ring shows, and a clerk's screen always has it.
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	})); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return &browser{t: t, ctx: ctx, axe: string(axe), name: name}
}

// do runs steps with a timeout, failing the test with what was being done.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	// Generous: the machine may be shared, and a step that fails fails at once.
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
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	return s
}

// waitText waits until the element's text contains want.
func (b *browser) waitText(sel, want string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.offsetParent !== null && e.textContent.includes(%q); })()`, sel, want)
	b.do(fmt.Sprintf("waiting for %s to show %q", sel, want), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Poll[bool](js, chromedp.WithPollingInterval(30*time.Millisecond))(ctx, t)
		return err
	}))
}

func (b *browser) textOf(sel string) string {
	b.t.Helper()
	return b.eval(fmt.Sprintf(`document.querySelector(%q).textContent`, sel))
}

// eval gives the value of a JavaScript expression that yields a string.
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

func click(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }

func typeInto(sel, text string) chromedp.Action[chromedp.Void] {
	clear := fmt.Sprintf(`document.querySelector(%q).value = ""`, sel)
	return chromedp.Steps(chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[string](clear)(ctx, t)
		return err
	}), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// shot saves a screenshot of the page into screenshots/, numbered in order.
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
	if err := os.WriteFile(filepath.Join(shotsDir, fmt.Sprintf("%s-%02d-%s.png", b.name, b.n, name)), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkA11y runs axe-core on the page as it is, against WCAG 2.2 A and AA, and fails
// the test on every serious or critical violation; it then saves a screenshot.
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
		.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary)}))))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe on %s: %v", screen, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		b.t.Fatalf("axe on %s: %v", screen, err)
	}
	for _, v := range vs {
		b.t.Errorf("axe on the %s screen: %s (%s): %s\n\t%s", screen, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
	// axe checks WCAG's 24 px; the shop's rule is 44 × 44 px for every target.
	small, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(
		"button, a[href], select, textarea, input:not([type=radio]):not([type=checkbox]), .choice label")]
		.filter(e => e.offsetParent !== null && e.getClientRects().length)
		.map(e => [e, e.getBoundingClientRect()])
		.filter(([e, r]) => r.bottom > 0 && r.right > 0 && (r.width < 44 || r.height < 44))
		.map(([e, r]) => (e.id || e.tagName + "." + e.className) + " " + Math.round(r.width) + "×" + Math.round(r.height))`))
	if err != nil {
		b.t.Fatalf("target sizes on %s: %v", screen, err)
	}
	for _, s := range small {
		b.t.Errorf("on the %s screen, a target smaller than 44 × 44 px: %s", screen, s)
	}
	b.shot(screen)
}

// tabTo presses Tab until the element with this id has focus, and checks that the
// focus is visible there: the keyboard reaches it, and the clerk sees where it is.
func (b *browser) tabTo(id string) {
	b.t.Helper()
	for range 80 {
		if b.eval(`document.activeElement ? document.activeElement.id : ""`) == id {
			ring := b.eval(`(() => { const s = getComputedStyle(document.activeElement);
				const label = document.activeElement.labels && document.activeElement.labels[0];
				const l = label ? getComputedStyle(label) : s;
				return [s.outlineStyle, s.boxShadow, l.outlineStyle, l.boxShadow].join("|"); })()`)
			if ring == "none|none|none|none" {
				b.t.Errorf("#%s has focus but no visible focus ring (%s)", id, b.eval(`document.hasFocus() + " " + document.activeElement.matches(":focus-visible")`))
			}
			return
		}
		b.do("Tab", chromedp.KeyEvent("\t"))
	}
	b.shot("failed")
	b.t.Fatalf("Tab never reaches #%s", id)
}

var mediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*[-\d.]+\s+[-\d.]+\s+([\d.]+)\s+([\d.]+)`)

// pdfPageWidthMM prints the page to PDF as the print dialog would, with the page
// size of the print CSS, and gives the first page's width in millimetres.
// The PDF is saved beside the screenshots.
func (b *browser) pdfPageWidthMM(name string) float64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		b.t.Fatalf("printing to PDF: %v", err)
	}
	if err := os.WriteFile(filepath.Join(shotsDir, b.name+"-"+name+".pdf"), pdf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	m := mediaBox.FindSubmatch(pdf)
	if m == nil {
		b.t.Fatalf("the PDF has no MediaBox")
	}
	pt, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		b.t.Fatal(err)
	}
	return pt / 72 * 25.4
}
