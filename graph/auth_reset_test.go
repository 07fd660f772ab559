package graph_test

import (
	"testing"

	"tsunagu/graph/gid"
)

const (
	requestPasswordReset = `mutation($in: RequestPasswordResetInput!) { requestPasswordReset(input: $in) { userErrors { code field message } } }`
	resetPassword        = `mutation($in: ResetPasswordInput!) { resetPassword(input: $in) { userErrors { code field message } } }`
	inviteStaff          = `mutation($in: InviteStaffInput!) { inviteStaff(input: $in) { invitation { email role expiresAt } userErrors { code field message } } }`
	deactivateStaff      = `mutation($in: DeactivateStaffInput!) { deactivateStaff(input: $in) { user { id } userErrors { code field message } } }`
	acceptInvitation     = `mutation($in: AcceptInvitationInput!) { acceptInvitation(input: $in) { token user { role } userErrors { code field message } } }`
)

// Anyone may ask for a link and gets the same answer for an address with an account
// and one without; a token that is no link's is INVALID_TOKEN and changes nothing.
// (The link's way by e-mail and its single use: TestPasswordReset in postgres.)
func TestPasswordResetAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for _, email := range []string{"clerk@example.jp", "nobody@example.jp"} {
		errs, code := a.mutate("", "requestPasswordReset", requestPasswordReset,
			map[string]any{"in": map[string]any{"email": email, "locale": "JA_X_EASY"}})
		if code != "" || len(errs) != 0 {
			t.Errorf("%s: %s (%q), want no error", email, codes(errs), code)
		}
	}
	for _, tc := range []struct{ name, token, password, want string }{
		{"ErrUnknownToken", "tsu_nothing", "a long password", "INVALID_TOKEN@input.token"},
		{"ErrShortPassword", "tsu_nothing", "short", "OUT_OF_RANGE@input.password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := a.snapshot()
			errs, code := a.mutate("", "resetPassword", resetPassword,
				map[string]any{"in": map[string]any{"token": tc.token, "password": tc.password}})
			if code != "" || codes(errs) != tc.want {
				t.Errorf("got %s (%q), want %s", codes(errs), code, tc.want)
			}
			a.unchanged(before)
		})
	}
	t.Run("ErrNotAnEmail", func(t *testing.T) {
		before := a.snapshot()
		errs, code := a.mutate("", "requestPasswordReset", requestPasswordReset,
			map[string]any{"in": map[string]any{"email": "clerk"}})
		if code != "" || codes(errs) != "INVALID_EMAIL@input.email" {
			t.Errorf("got %s (%q)", codes(errs), code)
		}
		a.unchanged(before)
	})
}

// An invitation's link that is no invitation's is INVALID_TOKEN and changes nothing.
// (The whole way by e-mail, twice and expired: TestInviteStaff in postgres.)
func TestAcceptInvitationAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var out struct {
		InviteStaff struct {
			Invitation *struct{ Email, Role, ExpiresAt string }
			UserErrors []userError
		}
	}
	a.ok("manager", inviteStaff, map[string]any{"in": map[string]any{"email": "New.Clerk@example.jp", "role": "CLERK",
		"shopId": a.id(gid.KindLocation, int64(a.homeShop.ID)), "idempotencyKey": key()}}, &out)
	if inv := out.InviteStaff.Invitation; inv == nil || inv.Email != "new.clerk@example.jp" || inv.Role != "CLERK" || inv.ExpiresAt == "" {
		t.Fatalf("inviteStaff: %+v", out.InviteStaff)
	}
	before := a.snapshot()
	errs, code := a.mutate("", "acceptInvitation", acceptInvitation,
		map[string]any{"in": map[string]any{"token": "tsu_nothing", "name": "新人", "password": "a long password"}})
	if code != "" || codes(errs) != "INVALID_TOKEN@input.token" {
		t.Errorf("got %s (%q)", codes(errs), code)
	}
	a.unchanged(before)
}
