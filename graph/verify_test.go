package graph_test

import (
	"testing"
)

const (
	requestEmailVerification = `mutation($in: RequestEmailVerificationInput!) { requestEmailVerification(input: $in) { userErrors { code field message } } }`
	verifyEmail              = `mutation($in: VerifyEmailInput!) { verifyEmail(input: $in) { userErrors { code field message } } }`
)

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

// A shopper signs up unverified: the order history is EMAIL_NOT_VERIFIED until the
// link from the e-mail is taken; a link that is no link's is INVALID_TOKEN and
// changes nothing.
func TestEmailVerificationAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var su struct{ SignUp struct{ Token *string } }
	a.ok("", signUp, map[string]any{"in": map[string]any{"email": "shopper@example.jp", "password": "a long password", "locale": "KO"}}, &su)
	a.tokens["customer"] = *su.SignUp.Token
	const history = `{ me { emailVerified } orders(first: 5) { edges { node { id } } } }`
	if r := a.do("customer", history, nil); r.code() != "EMAIL_NOT_VERIFIED" {
		t.Errorf("the history before verifying: %q, want EMAIL_NOT_VERIFIED", r.code())
	}
	before := a.snapshot()
	errs, code := a.mutate("", "verifyEmail", verifyEmail, map[string]any{"in": map[string]any{"token": "tsu_nothing"}})
	if got := code + codes(errs); got != "INVALID_TOKEN@input.token" {
		t.Errorf("an unknown link: %q", got)
	}
	a.unchanged(before)
	var token string
	must(t, a.db.SQL().QueryRow(`SELECT payload->>'token' FROM notifications WHERE kind = 'EMAIL_VERIFICATION' AND locale = 'KO'`).Scan(&token))
	errs, code = a.mutate("", "verifyEmail", verifyEmail, map[string]any{"in": map[string]any{"token": token}})
	if code != "" || len(errs) > 0 {
		t.Fatalf("verifying: %q %v", code, errs)
	}
	var out struct{ Me struct{ EmailVerified bool } }
	a.ok("customer", history, nil, &out)
	if !out.Me.EmailVerified {
		t.Errorf("me after verifying: %+v", out)
	}
	errs, code = a.mutate("customer", "requestEmailVerification", requestEmailVerification, map[string]any{"in": map[string]any{}})
	if got := code + codes(errs); got != "INVALID_STATE@" {
		t.Errorf("asking again once verified: %q", got)
	}
}
