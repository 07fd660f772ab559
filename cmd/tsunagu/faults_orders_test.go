package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"time"

	"tsunagu/internal/stripemock"
)

// The online side of TestFaults: guests check out the same last units at the same
// shop, and the test, standing in for Stripe, reports their payments.

// Stripe's configuration of both server processes; the key is any test key, as
// stripe-mock checks only its form.
const (
	faultsStripeKey     = "sk_test_tsunagufaults"
	faultsWebhookSecret = "whsec_tsunagu_faults"
)

// order is what a guest was told about a checkout it made, and what became of its
// payment.
type order struct {
	key            string
	input          map[string]any
	id             string // global ID
	dbID           int64
	token, secret  string
	total          int64
	event, intent  string // the payment_intent.succeeded event, once one was sent
	paid           bool   // the webhook acknowledged the event
	products, qtys []int
}

const checkoutMutation = `mutation($in: CheckoutInput!) { checkout(input: $in) {
	order { id total } clientSecret orderToken userErrors { code field message } } }`

// checkoutAnswer is the API's answer to a checkout.
type checkoutAnswer struct {
	id, token, secret string
	total             int64
	code, field       string // the userError, if any
}

// sendCheckout posts a guest checkout to addr. Like send, it returns an error for
// anything that did not get an answer from the API.
func sendCheckout(ctx context.Context, addr string, in map[string]any) (checkoutAnswer, error) {
	var a checkoutAnswer
	var data struct {
		Checkout struct {
			Order *struct {
				ID    string
				Total int64
			}
			ClientSecret *string
			OrderToken   *string
			UserErrors   []struct{ Code, Field string }
		}
	}
	if err := post(ctx, addr, "", checkoutMutation, in, &data); err != nil {
		return a, err
	}
	p := data.Checkout
	if len(p.UserErrors) > 0 {
		a.code, a.field = p.UserErrors[0].Code, p.UserErrors[0].Field
		return a, nil
	}
	if p.Order == nil || p.ClientSecret == nil || p.OrderToken == nil {
		a.code = "NO_ORDER" // an answer without an order, client secret or token
		return a, nil
	}
	a.id, a.total, a.secret, a.token = p.Order.ID, p.Order.Total, *p.ClientSecret, *p.OrderToken
	return a, nil
}

// deliver posts a payment_intent.succeeded event for the whole of an order to
// addr's webhook, signed now (as Stripe signs each delivery afresh), and returns
// the status it answered.
func deliver(ctx context.Context, addr string, o *order) (int, error) {
	body, sig := stripemock.Event(o.event, "payment_intent.succeeded",
		stripemock.PaymentIntent(o.intent, o.total, "jpy", o.dbID, "succeeded"), faultsWebhookSecret, time.Now())
	req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+addr+"/webhooks/stripe", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// intentOf reads the PaymentIntent an order holds. stripe-mock keeps no state and
// gives every PaymentIntent the same client secret, so the test, playing Stripe,
// learns from the database which PaymentIntent the shopper pays; it retries while
// the database is away.
func intentOf(ctx context.Context, db *sql.DB, id int64) (string, error) {
	for {
		var pi sql.NullString
		err := db.QueryRowContext(ctx, `SELECT payment_intent_id FROM orders WHERE id = $1`, id).Scan(&pi)
		if err == nil && pi.Valid {
			return pi.String, nil
		}
		if err == nil || errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("order %d has no PaymentIntent after its checkout was answered (%v)", id, err)
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		time.Sleep(20 * time.Millisecond)
	}
}
