package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"tsunagu/internal/tsunagu"
)

// A kept token is refused once past its expiry, as the database refuses it,
// without a statement; an entry past its maximum age, or pushed out by newer
// ones, is verified in the database again. The cache's clock is moved instead of
// waiting.
func TestTokenCacheExpiry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testDB(t)
	auth := NewAuthService(db)
	auth.PasswordParams = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	admin := tsunagu.WithUser(ctx, &tsunagu.User{Role: tsunagu.RoleAdmin}, "")
	_, err := auth.CreateUser(admin, NewUserInput{Email: "a@example.jp", Name: "a", Password: "a long passphrase 2026", Role: tsunagu.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	signIn := func() string {
		s, err := auth.Login(ctx, tsunagu.LoginInput{Email: "a@example.jp", Password: "a long passphrase 2026"})
		if err != nil {
			t.Fatal(err)
		}
		return s.Token
	}
	// authenticate returns the error code ("" when accepted) and the statements run.
	authenticate := func(token string) (tsunagu.Code, int64) {
		t.Helper()
		ctx, count := CountStatements(ctx)
		u, err := auth.Authenticate(ctx, token)
		if err != nil {
			if tsunagu.ErrorCode(err) != tsunagu.CodeUnauthenticated {
				t.Fatal(err)
			}
			var e *tsunagu.Error
			if !errors.As(err, &e) || e.Message != "Your sign-in has expired or is not valid. Please sign in again." {
				t.Errorf("refused with %v", err)
			}
			return tsunagu.ErrorCode(err), count()
		}
		if u.Email != "a@example.jp" {
			t.Fatalf("authenticated as %q", u.Email)
		}
		return "", count()
	}
	type answer struct {
		code       tsunagu.Code
		statements int64
	}
	check := func(what string, got answer, want answer) {
		t.Helper()
		if got != want {
			t.Errorf("%s: %+v, want %+v", what, got, want)
		}
	}
	ask := func(token string) answer {
		code, n := authenticate(token)
		return answer{code, n}
	}
	var now time.Time
	use := func(c *TokenCache) {
		now = time.Now()
		c.now = func() time.Time { return now }
		c.Connected(true)
		auth.Tokens = c
	}

	t.Run("Expired", func(t *testing.T) {
		use(NewTokenCache(10, 24*time.Hour))
		token := signIn()
		check("first", ask(token), answer{"", 1})
		check("kept", ask(token), answer{"", 0})
		now = now.Add(auth.TokenTTL + time.Second)
		check("past its expiry", ask(token), answer{tsunagu.CodeUnauthenticated, 0})
	})
	t.Run("MaxAge", func(t *testing.T) {
		use(NewTokenCache(10, time.Minute))
		token := signIn()
		check("first", ask(token), answer{"", 1})
		now = now.Add(time.Minute)
		check("a minute later", ask(token), answer{"", 1})
		check("kept again", ask(token), answer{"", 0})
	})
	t.Run("Bounded", func(t *testing.T) {
		use(NewTokenCache(2, time.Minute))
		tokens := []string{signIn(), signIn(), signIn()}
		for _, tok := range tokens {
			check("first", ask(tok), answer{"", 1})
		}
		check("the least recently used", ask(tokens[0]), answer{"", 1})
		check("a recent one", ask(tokens[2]), answer{"", 0})
	})
}
