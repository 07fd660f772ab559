package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"tsunagu/graph"
	"tsunagu/graph/gid"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// cacheTokens gives a's accounts a token cache fed by a listener of its own, as
// cmd/tsunagu runs them (TSUNAGU_TOKEN_CACHE on).
func (a *api) cacheTokens(t testing.TB) *postgres.TokenCache {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	c := postgres.NewTokenCache(postgres.TokenCacheSize, postgres.TokenCacheMaxAge)
	must(t, postgres.Listen(ctx, a.url, nil, c))
	a.auth.Tokens = c
	return c
}

// Two API processes (two handlers, each with its token cache and its listener)
// authenticate a token kept in memory without a statement, and both refuse it, or
// see its user's change, once the change's notification has arrived. A third,
// whose notifications never come (its cache is told it is connected, and fed
// nothing), shows that the process that revokes a token forgets it itself before
// it answers.
func TestTokenCache(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var hs []http.Handler
	var caches []*postgres.TokenCache
	for range 2 {
		c := postgres.NewTokenCache(postgres.TokenCacheSize, postgres.TokenCacheMaxAge)
		must(t, postgres.Listen(ctx, a.url, nil, c))
		auth := *a.auth
		auth.Tokens = c
		caches = append(caches, c)
		hs = append(hs, a.serverAuth(&auth, graph.Options{}))
	}
	deaf := postgres.NewTokenCache(postgres.TokenCacheSize, postgres.TokenCacheMaxAge)
	deaf.Connected(true)
	deafAuth := *a.auth
	deafAuth.Tokens = deaf
	hs = append(hs, a.serverAuth(&deafAuth, graph.Options{}))
	const deafOne = 2
	// signIn returns a new token of the fixture user name.
	signIn := func(name string) string {
		t.Helper()
		s, err := a.auth.Login(context.Background(), tsunagu.LoginInput{Email: name + "@example.jp", Password: "password-" + name})
		must(t, err)
		return s.Token
	}
	// ask sends q with token through h and returns the answer and the statements
	// it ran.
	ask := func(h http.Handler, token, q string) (*response, int64) {
		t.Helper()
		var c postgres.StatementCounter
		body, _ := json.Marshal(map[string]any{"query": q})
		req := httptest.NewRequestWithContext(postgres.WithStatementCounter(context.Background(), &c),
			"POST", "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var r response
		must(t, json.Unmarshal(rec.Body.Bytes(), &r))
		r.Status = rec.Code
		return &r, c.Count()
	}
	const meQ = `{ me { email name role shop { id } } }`
	type me struct {
		Me struct {
			Name string
			Role string
			Shop *struct{ ID string }
		}
	}
	// cached asks through every process, and fails unless a request authenticated
	// without a statement once the first had read the token: one statement less.
	// A lookup during which any token was dropped keeps nothing, by design: a late
	// notification of an earlier subtest's change arriving in that window leaves the
	// token out, so a process is asked again, a few times at most. Each request is
	// measured against the first, which always reads the token (it is new), never
	// against the one before it: when a notification spoils the first lookup only, the
	// second keeps the token and every later pair would be two hits.
	cached := func(t *testing.T, token string) {
		t.Helper()
		for i, h := range hs {
			r, read := ask(h, token, meQ)
			if len(r.Errors) > 0 {
				t.Fatalf("process %d: errors %+v", i, r.Errors)
			}
			var n int64
			for range 5 {
				r, n = ask(h, token, meQ)
				if len(r.Errors) > 0 {
					t.Fatalf("process %d: errors %+v", i, r.Errors)
				}
				if n != read {
					break
				}
			}
			if read-n != 1 {
				t.Fatalf("process %d: %d statements, then %d with the token kept: want one less", i, read, n)
			}
		}
	}
	// until waits, on the drops of process i's cache (each notification that
	// arrives), until its answer to token passes check.
	until := func(i int, token string, check func(*response) bool) {
		t.Helper()
		for {
			changed := caches[i].Changed()
			if r, _ := ask(hs[i], token, meQ); check(r) {
				return
			}
			select {
			case <-changed:
			case <-time.After(10 * time.Second):
				t.Fatalf("process %d: no notification came and the answer is still the old one", i)
			}
		}
	}
	refused := func(r *response) bool {
		return r.Status == http.StatusUnauthorized && r.code() == "UNAUTHENTICATED" &&
			r.Errors[0].Message == "Your sign-in has expired or is not valid. Please sign in again."
	}
	sql := func(q string, args ...any) {
		t.Helper()
		_, err := a.db.SQL().ExecContext(context.Background(), q, args...)
		must(t, err)
	}

	t.Run("SecondRequestRunsNoStatementForTheToken", func(t *testing.T) {
		cached(t, signIn("clerk"))
	})
	t.Run("LogoutElsewhere", func(t *testing.T) {
		token := signIn("clerk")
		cached(t, token)
		if r, _ := ask(hs[deafOne], token, `mutation { logout { userErrors { code } } }`); len(r.Errors) > 0 {
			t.Fatalf("logout: %+v", r.Errors)
		}
		// The process that revoked it forgets it before answering.
		if r, _ := ask(hs[deafOne], token, meQ); !refused(r) {
			t.Fatalf("the process that logged out still accepts the token: %d %+v", r.Status, r.Errors)
		}
		until(0, token, refused)
		until(1, token, refused)
	})
	t.Run("DisabledUser", func(t *testing.T) {
		// Disabled by hand, its tokens left as they are: only the user changed.
		token := signIn("otherClerk")
		cached(t, token)
		sql(`UPDATE users SET disabled_at = now() WHERE email = 'otherclerk@example.jp'`)
		until(0, token, refused)
		until(1, token, refused)
		sql(`UPDATE users SET disabled_at = NULL WHERE email = 'otherclerk@example.jp'`)
	})
	t.Run("DeactivatedElsewhere", func(t *testing.T) {
		token := signIn("facility")
		cached(t, token)
		id := a.id(gid.KindUser, int64(tsunagu.UserFrom(a.ctxs["facility"]).ID))
		r, _ := ask(hs[deafOne], a.tokens["admin"], `mutation { deactivateStaff(input: {userId: "`+id+`"}) { userErrors { code } } }`)
		if len(r.Errors) > 0 || bytes.Contains(r.Data, []byte(`"code"`)) {
			t.Fatalf("deactivateStaff: %s %+v", r.Data, r.Errors)
		}
		if r, _ := ask(hs[deafOne], token, meQ); !refused(r) {
			t.Fatalf("the process that deactivated the account still accepts its token: %d %+v", r.Status, r.Errors)
		}
		until(0, token, refused)
		until(1, token, refused)
	})
	t.Run("PasswordChanged", func(t *testing.T) {
		// The other sessions end; the one that changed it goes on.
		other, token := signIn("otherManager"), signIn("otherManager")
		cached(t, other)
		cached(t, token)
		r, _ := ask(hs[deafOne], token, `mutation { changePassword(input: {currentPassword: "password-otherManager",
			newPassword: "another long passphrase 2026"}) { userErrors { code } } }`)
		if len(r.Errors) > 0 || bytes.Contains(r.Data, []byte(`"code"`)) {
			t.Fatalf("changePassword: %s %+v", r.Data, r.Errors)
		}
		if r, _ := ask(hs[deafOne], other, meQ); !refused(r) {
			t.Fatalf("the process that changed the password still accepts another session: %d %+v", r.Status, r.Errors)
		}
		if r, _ := ask(hs[deafOne], token, meQ); len(r.Errors) > 0 {
			t.Fatalf("the session that changed the password ended: %+v", r.Errors)
		}
		until(0, other, refused)
		until(1, other, refused)
	})
	t.Run("ScopeChangeSeen", func(t *testing.T) {
		token := signIn("clerk")
		cached(t, token)
		// Moved by hand to the partner shop, its tokens left valid.
		sql(`UPDATE users SET shop_id = $1, municipality_id = $2, name = 'moved' WHERE email = 'clerk@example.jp'`,
			a.partnerShop.ID, a.partner.ID)
		want := a.id(gid.KindLocation, int64(a.partnerShop.ID))
		for i := range deafOne {
			until(i, token, func(r *response) bool {
				var out me
				return len(r.Errors) == 0 && json.Unmarshal(r.Data, &out) == nil &&
					out.Me.Shop != nil && out.Me.Shop.ID == want && out.Me.Name == "moved"
			})
		}
		sql(`UPDATE users SET shop_id = $1, municipality_id = $2, name = 'clerk' WHERE email = 'clerk@example.jp'`,
			a.homeShop.ID, a.home.ID)
	})
	t.Run("Expired", func(t *testing.T) {
		token := signIn("manager")
		cached(t, token)
		sql(`UPDATE auth_tokens SET expires_at = now() - interval '1 second' WHERE user_id =
			(SELECT id FROM users WHERE email = 'manager@example.jp')`)
		until(0, token, refused)
		until(1, token, refused)
	})
	t.Run("BypassedWhileDisconnected", func(t *testing.T) {
		token := signIn("admin")
		cached(t, token)
		caches[0].Connected(false)
		defer caches[0].Connected(true)
		_, n1 := ask(hs[0], token, meQ)
		_, n2 := ask(hs[0], token, meQ)
		_, n3 := ask(hs[1], token, meQ)
		if n1 != n2 || n1 != n3+1 {
			t.Errorf("disconnected: %d then %d statements, %d connected: want the token's statement each time", n1, n2, n3)
		}
	})
}
