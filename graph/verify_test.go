package graph_test

import (
	"testing"
)

const (
	requestEmailVerification = `mutation($in: RequestEmailVerificationInput!) { requestEmailVerification(input: $in) { userErrors { code field message } } }`
	verifyEmail              = `mutation($in: VerifyEmailInput!) { verifyEmail(input: $in) { token user { role emailVerified } userErrors { code field message } } }`
)

// signedUp signs a shopper up through the API, confirms the address with the link
// in the outbox and returns the session's bearer token.
func (a *api) signedUp(email, password, name string) string {
	a.t.Helper()
	a.ok("", signUp, map[string]any{"in": map[string]any{"email": email, "password": password, "name": name}}, nil)
	var token string
	must(a.t, a.db.SQL().QueryRow(`SELECT payload->>'token' FROM notifications
		WHERE kind = 'EMAIL_VERIFICATION' AND recipient = $1 ORDER BY id DESC LIMIT 1`, email).Scan(&token))
	var out struct {
		VerifyEmail struct {
			Token *string
			User  struct {
				Role          string
				EmailVerified bool
			}
		}
	}
	a.ok("", verifyEmail, map[string]any{"in": map[string]any{"token": token, "password": password}}, &out)
	if v := out.VerifyEmail; v.Token == nil || v.User.Role != "CUSTOMER" || !v.User.EmailVerified {
		a.t.Fatalf("verifyEmail: %+v", v)
	}
	return *out.VerifyEmail.Token
}

func init() {
	// Only shoppers verify their address (staff's is verified by their
	// invitation): every staff role is refused. A shopper's own way through is
	// TestEmailVerificationAPI.
	authzMatrix["requestEmailVerification"] = authzCase{requestEmailVerification, nil, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"locale": "EN"}}
	}}
	notAudited["requestEmailVerification"] = true // it only sends an e-mail
	// The link's token is the credential.
	publicMutations["verifyEmail"] = true
	auditedMutations["verifyEmail"] = true
}

// A shopper signs up unverified and cannot sign in: the link from the e-mail, with
// the password, confirms the address and signs in, and the order history opens; a
// link that is no link's is INVALID_TOKEN and a wrong password INVALID_CREDENTIALS,
// and both change nothing.
func TestEmailVerificationAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	in := map[string]any{"email": "shopper@example.jp", "password": "a long password", "locale": "KO"}
	a.ok("", signUp, map[string]any{"in": in}, nil)
	if errs, code := a.mutate("", "login", loginMutation, map[string]any{"e": "shopper@example.jp", "p": "a long password"}); code+codes(errs) != "INVALID_CREDENTIALS@input.password" {
		t.Errorf("signing in before confirming: %q %s", code, codes(errs))
	}
	before := a.snapshot()
	errs, code := a.mutate("", "verifyEmail", verifyEmail, map[string]any{"in": map[string]any{"token": "tsu_nothing", "password": "a long password"}})
	if got := code + codes(errs); got != "INVALID_TOKEN@input.token" {
		t.Errorf("an unknown link: %q", got)
	}
	a.unchanged(before)
	var token string
	must(t, a.db.SQL().QueryRow(`SELECT payload->>'token' FROM notifications WHERE kind = 'EMAIL_VERIFICATION' AND locale = 'KO'`).Scan(&token))
	errs, code = a.mutate("", "verifyEmail", verifyEmail, map[string]any{"in": map[string]any{"token": token, "password": "not the password"}})
	if got := code + codes(errs); got != "INVALID_CREDENTIALS@input.password" {
		t.Errorf("a wrong password: %q", got)
	}
	a.unchanged(before)
	var v struct{ VerifyEmail struct{ Token *string } }
	a.ok("", verifyEmail, map[string]any{"in": map[string]any{"token": token, "password": "a long password"}}, &v)
	if v.VerifyEmail.Token == nil {
		t.Fatalf("verifying: no session")
	}
	a.tokens["customer"] = *v.VerifyEmail.Token
	var out struct{ Me struct{ EmailVerified bool } }
	a.ok("customer", `{ me { emailVerified } orders(first: 5) { edges { node { id } } } }`, nil, &out)
	if !out.Me.EmailVerified {
		t.Errorf("me after verifying: %+v", out)
	}
	errs, code = a.mutate("customer", "requestEmailVerification", requestEmailVerification, map[string]any{"in": map[string]any{}})
	if got := code + codes(errs); got != "INVALID_STATE@" {
		t.Errorf("asking again once verified: %q", got)
	}
}
