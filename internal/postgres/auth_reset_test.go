package postgres_test

import (
	"context"
	"crypto/sha256"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tsunagu/internal/mailpit"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// resetWorld is a world with a clerk whose address is their own in mailpit.
type resetWorld struct {
	*world
	email, password string
	session         *tsunagu.Session
}

func newResetWorld(t *testing.T) *resetWorld {
	t.Helper()
	w := newWorld(t)
	r := &resetWorld{world: w, email: strings.ToLower(mailbox("reset")), password: "the first password"}
	_, err := w.auth.CreateUser(w.admin, postgres.NewUserInput{Email: r.email, Password: r.password, Name: "佐藤",
		Role: tsunagu.RoleClerk, ShopID: &w.homeShop.ID})
	must(t, err)
	r.session, err = w.auth.Login(context.Background(), tsunagu.LoginInput{Email: r.email, Password: r.password})
	must(t, err)
	return r
}

// request asks for a reset link for the clerk and returns its token, read from the
// outbox (the e-mail itself is TestPasswordReset's).
func (r *resetWorld) request() string {
	r.t.Helper()
	must(r.t, r.auth.RequestPasswordReset(context.Background(), tsunagu.RequestPasswordResetInput{Email: r.email}))
	var token string
	must(r.t, r.db.SQL().QueryRow(`SELECT payload->>'token' FROM notifications
		WHERE recipient = $1 AND kind = 'PASSWORD_RESET' ORDER BY id DESC LIMIT 1`, r.email).Scan(&token))
	return token
}

func (r *resetWorld) login(password string) error {
	_, err := r.auth.Login(context.Background(), tsunagu.LoginInput{Email: r.email, Password: password})
	return err
}

var resetLink = regexp.MustCompile(`https://tsunagu\.example\.jp/reset-password\?token=(\S+)`)

// The whole way: the link arrives by e-mail in the language asked for, sets the new
// password once, and ends every session of the account.
func TestPasswordReset(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t)
	r := newResetWorld(t)
	ctx := context.Background()
	must(t, r.auth.RequestPasswordReset(ctx, tsunagu.RequestPasswordResetInput{
		Email: "  " + strings.ToUpper(r.email), Locale: tsunagu.LocaleEN}))
	s := sender(t, r.db, mp.SMTPURL())
	s.Site = "https://tsunagu.example.jp"
	if sent, _, err := s.SendDue(ctx); err != nil || sent != 1 {
		t.Fatalf("sent %d, %v; want 1", sent, err)
	}
	m := mp.Message(t, mp.WaitFor(t, r.email, 1)[0].ID)
	if m.Subject != "Reset your password" || !strings.Contains(m.Text, "Dear 佐藤") {
		t.Errorf("subject %q, text:\n%s", m.Subject, m.Text)
	}
	found := resetLink.FindStringSubmatch(m.Text)
	if found == nil {
		t.Fatalf("no link in:\n%s", m.Text)
	}
	token, err := url.QueryUnescape(found[1])
	must(t, err)

	// Stored hashed; the outbox forgot the secret once it was sent.
	var stored, left int
	sum := sha256.Sum256([]byte(token))
	must(t, r.db.SQL().QueryRow(`SELECT count(*) FROM password_resets WHERE token_hash = $1`, sum[:]).Scan(&stored))
	must(t, r.db.SQL().QueryRow(`SELECT count(*) FROM notifications WHERE payload ? 'token'`).Scan(&left))
	if stored != 1 || left != 0 {
		t.Errorf("%d reset rows under the token's hash (want 1), %d messages still holding a token (want 0)", stored, left)
	}

	must(t, r.auth.ResetPassword(ctx, tsunagu.ResetPasswordInput{Token: token, Password: "a new password"}))
	if err := r.login("a new password"); err != nil {
		t.Errorf("signing in with the new password: %v", err)
	}
	if code := tsunagu.ErrorCode(r.login(r.password)); code != tsunagu.CodeInvalidCredentials {
		t.Errorf("the old password: %q, want INVALID_CREDENTIALS", code)
	}
	if _, err := r.auth.Authenticate(ctx, r.session.Token); tsunagu.ErrorCode(err) != tsunagu.CodeUnauthenticated {
		t.Errorf("a session from before the reset: %v, want UNAUTHENTICATED", err)
	}

	t.Run("ErrLinkReused", func(t *testing.T) {
		before := r.snapshot()
		err := r.auth.ResetPassword(ctx, tsunagu.ResetPasswordInput{Token: token, Password: "a third password"})
		r.refused(t, before, err, tsunagu.CodeInvalidToken, "input.token")
		if err := r.login("a new password"); err != nil {
			t.Errorf("the password changed: %v", err)
		}
	})
}

func TestPasswordResetRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("ErrExpired", func(t *testing.T) {
		t.Parallel()
		r := newResetWorld(t)
		token := r.request()
		// The hour has passed (moved back in the database, not waited for).
		_, err := r.db.SQL().Exec(`UPDATE password_resets SET expires_at = now() - interval '1 second'`)
		must(t, err)
		before := r.snapshot()
		err = r.auth.ResetPassword(ctx, tsunagu.ResetPasswordInput{Token: token, Password: "a new password"})
		r.refused(t, before, err, tsunagu.CodeInvalidToken, "input.token")
		must(t, r.login(r.password))
	})
	t.Run("ErrOtherLinkAfterReset", func(t *testing.T) {
		t.Parallel()
		r := newResetWorld(t)
		first, second := r.request(), r.request()
		must(t, r.auth.ResetPassword(ctx, tsunagu.ResetPasswordInput{Token: second, Password: "a new password"}))
		before := r.snapshot()
		err := r.auth.ResetPassword(ctx, tsunagu.ResetPasswordInput{Token: first, Password: "a third password"})
		r.refused(t, before, err, tsunagu.CodeInvalidToken, "input.token")
	})
	t.Run("ErrShortPassword", func(t *testing.T) {
		t.Parallel()
		r := newResetWorld(t)
		token := r.request()
		before := r.snapshot()
		err := r.auth.ResetPassword(ctx, tsunagu.ResetPasswordInput{Token: token, Password: "short"})
		r.refused(t, before, err, tsunagu.CodeOutOfRange, "input.password")
		// The link still works.
		must(t, r.auth.ResetPassword(ctx, tsunagu.ResetPasswordInput{Token: token, Password: "long enough now"}))
	})
	t.Run("ErrStaffRules", func(t *testing.T) {
		// Enough for a shopper, not for staff; and not the account's own address.
		t.Parallel()
		r := newResetWorld(t)
		token := r.request()
		before := r.snapshot()
		err := r.auth.ResetPassword(ctx, tsunagu.ResetPasswordInput{Token: token, Password: "ten chars!"})
		r.refused(t, before, err, tsunagu.CodeOutOfRange, "input.password")
		err = r.auth.ResetPassword(ctx, tsunagu.ResetPasswordInput{Token: token, Password: strings.ToUpper(r.email)})
		r.refused(t, before, err, tsunagu.CodeInvalidInput, "input.password")
		must(t, r.auth.ResetPassword(ctx, tsunagu.ResetPasswordInput{Token: token, Password: "twelve chars"}))
	})
	t.Run("ErrUnknownToken", func(t *testing.T) {
		t.Parallel()
		r := newResetWorld(t)
		before := r.snapshot()
		err := r.auth.ResetPassword(ctx, tsunagu.ResetPasswordInput{Token: "tsu_madeup", Password: "a new password"})
		r.refused(t, before, err, tsunagu.CodeInvalidToken, "input.token")
	})
	t.Run("ErrDisabledAccount", func(t *testing.T) {
		t.Parallel()
		r := newResetWorld(t)
		token := r.request()
		_, err := r.db.SQL().Exec(`UPDATE users SET disabled_at = now() WHERE email = $1`, r.email)
		must(t, err)
		before := r.snapshot()
		err = r.auth.ResetPassword(ctx, tsunagu.ResetPasswordInput{Token: token, Password: "a new password"})
		r.refused(t, before, err, tsunagu.CodeInvalidToken, "input.token")
		// And a disabled account is sent no new link.
		must(t, r.auth.RequestPasswordReset(ctx, tsunagu.RequestPasswordResetInput{Email: r.email}))
		r.unchanged(before)
	})
	t.Run("ErrInvalidEmail", func(t *testing.T) {
		t.Parallel()
		r := newResetWorld(t)
		before := r.snapshot()
		err := r.auth.RequestPasswordReset(ctx, tsunagu.RequestPasswordResetInput{Email: "not an address"})
		r.refused(t, before, err, tsunagu.CodeInvalidEmail, "input.email")
	})
}

// An address without an account gets the same answer and nothing is written or
// sent; an account asking too often is sent no more than resetsPerHour links.
func TestPasswordResetSameAnswer(t *testing.T) {
	t.Parallel()
	r := newResetWorld(t)
	ctx := context.Background()
	before := r.snapshot()
	start := time.Now()
	err := r.auth.RequestPasswordReset(ctx, tsunagu.RequestPasswordResetInput{Email: "nobody-" + r.email})
	if err != nil {
		t.Fatalf("an unknown address: %v, want nil like a known one", err)
	}
	r.unchanged(before)
	t.Logf("answered in %v", time.Since(start))

	for range 5 {
		must(t, r.auth.RequestPasswordReset(ctx, tsunagu.RequestPasswordResetInput{Email: r.email}))
	}
	var links, mails int
	must(t, r.db.SQL().QueryRow(`SELECT count(*) FROM password_resets`).Scan(&links))
	must(t, r.db.SQL().QueryRow(`SELECT count(*) FROM notifications WHERE recipient = $1`, r.email).Scan(&mails))
	if links != 3 || mails != 3 {
		t.Errorf("5 requests in an hour made %d links and %d e-mails, want 3 of each", links, mails)
	}
}
