package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"tsunagu/internal/stripemock"
)

// A new user of `make run` orders in the storefront and pays: the server runs
// with the Makefile's own Stripe settings (stripe-mock, its webhook secret, no
// publishable key) and the demo network, and the page to pay, which cannot show
// Stripe's Payment Element (Stripe.js never talks to stripe-mock), offers the
// development payment instead; it reaches the order as Stripe's signed event
// through the server's webhook, and the order page says it is paid.
func TestMakeRunCheckout(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster and a server with the demo network")
	}
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	run := regexp.MustCompile(`(?s)\nrun: .*?\n\n`).Find(mk)
	env := []string{"LOG_LEVEL=error", "STRIPE_API_BASE=" + stripemock.URL(t), "TSUNAGU_FAULT_DEMO=1"}
	for _, name := range []string{"STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PUBLISHABLE_KEY", "TSUNAGU_DEV"} {
		if m := regexp.MustCompile(name + `=(\S+)`).FindSubmatch(run); m != nil {
			env = append(env, name+"="+string(m[1]))
		}
	}
	c, _ := tempCluster(t, "tsunagu-makerun-")
	defer c.Stop()
	s := &server{t: t, addr: freeAddr(t), metricsAddr: freeAddr(t), env: append(env, "DATABASE_URL="+c.URL("postgres"))}
	s.start()
	defer s.kill()
	base := "http://" + s.addr
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	page := func(res *http.Response, err error) (*http.Response, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, string(b)
	}
	_, list := page(client.Get(base + "/shop/products?lang=en"))
	product := regexp.MustCompile(`href="/shop/products/([^"?]+)"`).FindStringSubmatch(list)
	if product == nil {
		t.Fatalf("the demo's catalog lists no goods:\n%s", list)
	}
	page(client.PostForm(base+"/shop/cart", url.Values{"action": {"add"}, "product": {product[1]}, "quantity": {"2"}}))
	_, form := page(client.Get(base + "/shop/checkout?lang=en"))
	if strings.Contains(form, "Card payments are not available") {
		t.Errorf("make run's checkout says card payments are off")
	}
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(form)
	shop := regexp.MustCompile(`name="shop" value="([^"]+)"[^\n]*— all in stock`).FindStringSubmatch(form)
	if key == nil || shop == nil {
		t.Fatalf("the checkout form has no key or no shop with the goods:\n%s", form)
	}
	_, pay := page(client.PostForm(base+"/shop/checkout", url.Values{"key": {key[1]}, "shop": {shop[1]}, "fulfilment": {"PICKUP"},
		"lang": {"en"}, "name": {"Mary Smith"}, "email": {"mary@example.jp"}}))
	action := regexp.MustCompile(`<form method="post" action="(/shop/orders/[^"]+/pay)"`).FindStringSubmatch(pay)
	if action == nil || strings.Contains(pay, "js.stripe.com") {
		t.Fatalf("the page to pay offers no payment through stripe-mock (or loads Stripe.js):\n%s", pay)
	}
	if !strings.Contains(pay, "stripe-mock") {
		t.Errorf("the page to pay does not say why it pays with a test card:\n%s", pay)
	}
	res, order := page(client.PostForm(base+action[1], url.Values{"lang": {"en"}}))
	if res.Request.URL.Path != strings.TrimSuffix(action[1], "/pay") || !strings.Contains(order, "Paid. We will let you know when it is ready.") {
		t.Fatalf("after paying, %s:\n%s", res.Request.URL, order)
	}
}
