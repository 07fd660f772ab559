package stripe_test

import (
	"context"
	"os"
	"regexp"
	"testing"

	"tsunagu/internal/stripe"
	"tsunagu/internal/stripemock"
	"tsunagu/internal/tsunagu"
)

// TestMakeRunKey creates a PaymentIntent with exactly the secret key `make run` passes
// to the server: stripe-mock refuses keys that are not sk_test_ followed by letters
// and digits, and then every checkout under `make run` would be PAYMENTS_UNAVAILABLE.
func TestMakeRunKey(t *testing.T) {
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`STRIPE_SECRET_KEY=(\S+)`).FindSubmatch(mk)
	if m == nil {
		t.Fatal("the Makefile's run recipe sets no STRIPE_SECRET_KEY")
	}
	key := string(m[1])
	c := stripe.New(key, stripemock.URL(t))
	pi, err := c.CreatePaymentIntent(context.Background(), tsunagu.PaymentIntentParams{Amount: 1200, Description: "make run", IdempotencyKey: "makerun-1"})
	if err != nil {
		t.Fatalf("stripe-mock refuses `make run`'s key %q: %v", key, err)
	}
	if pi.ID == "" {
		t.Fatalf("PaymentIntent without an ID: %+v", pi)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	stripemock.Stop()
	os.Exit(code)
}
