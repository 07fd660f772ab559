package webtest

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
)

// Intercept pauses every request of the tab of ctx whose address matches pattern
// (DevTools' Fetch domain: * stands for any text) and hands it to answer, which
// must continue it, fulfil it or keep it paused for later; answer runs on a
// goroutine of its own, one request at a time, until ctx ends. A tab has one
// interceptor: a second call replaces the first one's pattern.
func Intercept(ctx context.Context, pattern string, answer func(ctx context.Context, t *chromedp.Target, ev *fetch.EventRequestPaused) error) error {
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	if err := chromedp.Do(ctx, call(fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: pattern}}})); err != nil {
		return fmt.Errorf("intercepting %s: %w", pattern, err)
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			// An answer that fails leaves the request paused: the page waits for it,
			// and the test fails on what it waits for.
			chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error { return answer(ctx, t, &ev) }))
		}
	}()
	return nil
}

// Continue lets a paused request go on to the server unchanged.
func Continue(ctx context.Context, t *chromedp.Target, id fetch.RequestID) error {
	_, err := cdp.Call(ctx, t, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: id})
	return err
}

// Held is a request of the page held back on its way to the server, until the
// test releases it: an answer that comes late, on purpose.
type Held struct {
	b    *Browser
	body string
	made chan struct{}
	id   fetch.RequestID
}

// Hold holds back the next request to an address matching pattern whose body
// contains body (such as the ID of the choice it loads for); the page's other
// requests there go on at once. The first Hold of a tab starts intercepting
// pattern; every later one must name the same. It also starts counting the
// answers the page has read (Release waits on that count).
func (b *Browser) Hold(pattern, body string) *Held {
	b.t.Helper()
	h := &Held{b: b, body: body, made: make(chan struct{})}
	b.mu.Lock()
	start := b.holdPattern == ""
	if !start && b.holdPattern != pattern {
		b.mu.Unlock()
		b.t.Fatalf("holding %s: this tab intercepts %s", pattern, b.holdPattern)
	}
	b.holdPattern = pattern
	b.holds = append(b.holds, h)
	b.mu.Unlock()
	b.Do("counting the answers read", chromedp.Evaluate[chromedp.Void](answersRead))
	if start {
		if err := Intercept(b.Ctx, pattern, b.answerHeld); err != nil {
			b.t.Fatal(err)
		}
	}
	return h
}

// answersRead makes window.webtestRead count the answers the page has read with
// Response.json, each once the page has run what follows from it: the count goes
// up in a task of its own, after the microtasks that the answer set going (a
// screen's awaits on it) have all run.
const answersRead = `(() => {
	if (window.webtestRead !== undefined) return;
	window.webtestRead = 0;
	const json = Response.prototype.json;
	Response.prototype.json = function () {
		const p = json.call(this);
		const counted = () => setTimeout(() => window.webtestRead++);
		p.then(counted, counted);
		return p;
	};
})()`

// answerHeld keeps the request paused if a Hold waits for it, and lets any other go on.
func (b *Browser) answerHeld(ctx context.Context, t *chromedp.Target, ev *fetch.EventRequestPaused) error {
	var body []byte
	for _, e := range ev.Request.PostDataEntries {
		body = append(body, e.Bytes...)
	}
	b.mu.Lock()
	for i, h := range b.holds {
		if bytes.Contains(body, []byte(h.body)) {
			b.holds = append(b.holds[:i:i], b.holds[i+1:]...)
			h.id = ev.RequestID
			b.mu.Unlock()
			close(h.made)
			return nil
		}
	}
	b.mu.Unlock()
	return Continue(ctx, t, ev.RequestID)
}

// Wait waits until the page has made the held request.
func (h *Held) Wait() {
	h.b.t.Helper()
	select {
	case <-h.made:
	case <-time.After(30 * time.Second): // as generous as Do
		h.b.Shot("failed")
		h.b.t.Fatalf("the page never asked for %q", h.body)
	}
}

// Release lets the held request go on, and waits until the page has read its
// answer and done what it does with it. No other answer may be on its way then:
// the page's reading of that one would count as well.
func (h *Held) Release() {
	h.b.t.Helper()
	h.Wait()
	before := h.b.Eval(`String(window.webtestRead)`)
	h.b.Do("releasing the request held back", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		return Continue(ctx, t, h.id)
	}))
	h.b.Until("the page to read the answer held back", fmt.Sprintf(`window.webtestRead > %s`, before))
}
