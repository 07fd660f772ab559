package graph_test

import (
	"context"
	"testing"

	"tsunagu/internal/tsunagu"
)

const loginMutation = `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) {
	token expiresAt user { email role municipality { code } shop { name } } userErrors { code field message } } }`

func TestLogin(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var out struct {
		Login struct {
			Token *string
			User  *struct {
				Email, Role string
				Shop        *struct{ Name string }
			}
			UserErrors []userError
		}
	}
	a.ok("", loginMutation, map[string]any{"e": " Clerk@Example.JP ", "p": "password-clerk"}, &out)
	if out.Login.Token == nil || out.Login.User == nil || out.Login.User.Role != "CLERK" || out.Login.User.Shop == nil {
		t.Fatalf("login: %+v", out.Login)
	}
	token := *out.Login.Token

	var me struct{ Me *struct{ Email string } }
	a.ok(token, `{ me { email } }`, nil, &me)
	if me.Me == nil || me.Me.Email != "clerk@example.jp" {
		t.Fatalf("me: %+v", me.Me)
	}

	t.Run("AnonymousMeIsNull", func(t *testing.T) {
		var me struct{ Me *struct{ Email string } }
		a.ok("", `{ me { email } }`, nil, &me)
		if me.Me != nil {
			t.Errorf("me: %+v", me.Me)
		}
	})
	t.Run("FullWidthEmail", func(t *testing.T) {
		var out struct{ Login struct{ Token *string } }
		a.ok("", loginMutation, map[string]any{"e": "ｃｌｅｒｋ＠ｅｘａｍｐｌｅ．ｊｐ", "p": "password-clerk"}, &out)
		if out.Login.Token == nil {
			t.Error("a full-width address did not sign in")
		}
	})
	for _, tc := range []struct{ name, email, password, want string }{
		{"ErrWrongPassword", "clerk@example.jp", "wrong-password", "INVALID_CREDENTIALS@input.password"},
		{"ErrUnknownEmail", "nobody@example.jp", "password-clerk", "INVALID_CREDENTIALS@input.password"},
		{"ErrNotAnEmail", "clerk", "password-clerk", "INVALID_EMAIL@input.email"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := a.snapshot()
			errs, code := a.mutate("", "login", loginMutation, map[string]any{"e": tc.email, "p": tc.password})
			if code != "" || codes(errs) != tc.want {
				t.Errorf("got %s (%q)", codes(errs), code)
			}
			a.unchanged(before)
		})
	}
	t.Run("ErrTooManyFailures", func(t *testing.T) {
		// The address the server sees (the test's loopback) keys the back-off.
		for range tsunagu.FreeLoginFailures {
			a.mutate("", "login", loginMutation, map[string]any{"e": "manager@example.jp", "p": "a guess"})
		}
		// Counted ahead to a long wait (32 s), so the next step holds however slow the machine.
		res, err := a.db.SQL().ExecContext(context.Background(), `UPDATE login_failures SET failures = failures + 5
			WHERE email = 'manager@example.jp' AND failures = $1`, tsunagu.FreeLoginFailures)
		must(t, err)
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("%d failure counts of the manager from the test's address, want 1", n)
		}
		errs, code := a.mutate("", "login", loginMutation, map[string]any{"e": "manager@example.jp", "p": "password-manager"})
		if code != "" || codes(errs) != "TOO_MANY_LOGIN_ATTEMPTS@input.password" {
			t.Errorf("got %s (%q)", codes(errs), code)
		}
	})
	t.Run("ErrNotBearer", func(t *testing.T) {
		r := a.doRaw("Basic abc", `{ me { email } }`)
		if r.Status != 401 || r.code() != "UNAUTHENTICATED" {
			t.Errorf("status %d code %q", r.Status, r.code())
		}
	})
	t.Run("ErrUnknownToken", func(t *testing.T) {
		r := a.do("tsu_made-up", `{ me { email } }`, nil)
		if r.Status != 401 || r.code() != "UNAUTHENTICATED" {
			t.Errorf("status %d code %q", r.Status, r.code())
		}
	})
	t.Run("ErrExpiredToken", func(t *testing.T) {
		_, err := a.db.SQL().ExecContext(context.Background(), `UPDATE auth_tokens SET expires_at = now() - interval '1 second'
			WHERE user_id = (SELECT id FROM users WHERE email = 'manager@example.jp')`)
		must(t, err)
		r := a.do("manager", `{ me { email } }`, nil)
		if r.Status != 401 || r.code() != "UNAUTHENTICATED" {
			t.Errorf("status %d code %q", r.Status, r.code())
		}
	})
	t.Run("Logout", func(t *testing.T) {
		errs, code := a.mutate(token, "logout", `mutation { logout { userErrors { code } } }`, nil)
		if code != "" || len(errs) > 0 {
			t.Fatalf("logout: %v %q", errs, code)
		}
		r := a.do(token, `{ me { email } }`, nil)
		if r.code() != "UNAUTHENTICATED" {
			t.Errorf("revoked token still works: %+v", r)
		}
	})
	t.Run("ErrLogoutAnonymous", func(t *testing.T) {
		_, code := a.mutate("", "logout", `mutation { logout { userErrors { code } } }`, nil)
		if code != "UNAUTHENTICATED" {
			t.Errorf("code %q", code)
		}
	})
}
