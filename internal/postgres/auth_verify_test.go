package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"tsunagu/internal/tsunagu"
)

// A shopper signs up unverified and cannot sign in until the link from the e-mail
// is taken with the password; the guest orders placed with the address (in any
// case) then join the account, and a link works once.
func TestEmailVerification(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	ctx := context.Background()
	const password = "a long enough password"
	must(t, w.auth.SignUp(ctx, tsunagu.SignUpInput{Email: "New.Shopper@example.jp", Password: password,
		Name: "新しい客", Locale: tsunagu.LocaleEN}))
	_, err := w.auth.Login(ctx, tsunagu.LoginInput{Email: "new.shopper@example.jp", Password: password})
	if tsunagu.ErrorCode(err) != tsunagu.CodeInvalidCredentials {
		t.Fatalf("signing in before the address is confirmed: %v, want INVALID_CREDENTIALS", err)
	}
	guest := w.pickupInput(cart(w.homeShop, w.cookies, 1))
	guest.Contact.Email = "New.Shopper@Example.JP"
	asGuest := w.checkout(ctx, guest).Order
	other := w.checkout(ctx, w.pickupInput(cart(w.homeShop, w.cookies, 1))).Order // another address's
	var locale string
	must(t, w.db.SQL().QueryRow(`SELECT locale FROM notifications WHERE kind = 'EMAIL_VERIFICATION' AND recipient = $1`,
		"new.shopper@example.jp").Scan(&locale))
	if locale != "EN" {
		t.Errorf("the verification e-mail is in %q, want EN", locale)
	}
	token := w.verificationToken("new.shopper@example.jp")

	t.Run("ErrWrongPassword", func(t *testing.T) {
		before := w.snapshot()
		_, err := w.auth.VerifyEmail(ctx, tsunagu.VerifyEmailInput{Token: token, Password: "somebody else's password"})
		w.refused(t, before, err, tsunagu.CodeInvalidCredentials, "input.password")
	})
	s, err := w.auth.VerifyEmail(ctx, tsunagu.VerifyEmailInput{Token: token, Password: password})
	must(t, err)
	u, err := w.auth.Authenticate(ctx, s.Token)
	must(t, err)
	if !u.EmailVerified || !s.User.EmailVerified || u.Email != "new.shopper@example.jp" {
		t.Errorf("the account after verifying: %+v (session %+v)", u, s.User)
	}
	var entries int
	must(t, w.db.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'verifyEmail' AND object_id = $1`, u.ID).Scan(&entries))
	if entries != 1 {
		t.Errorf("%d audit entries of the verification, want 1", entries)
	}
	if _, err := w.auth.Login(ctx, tsunagu.LoginInput{Email: "new.shopper@example.jp", Password: password}); err != nil {
		t.Errorf("signing in once the address is confirmed: %v", err)
	}
	shopper := tsunagu.WithUser(ctx, u, s.Token)
	mine := w.checkout(shopper, w.pickupInput(cart(w.homeShop, w.jam, 1))).Order
	history, err := w.orders.Orders(shopper, tsunagu.OrderFilter{}, tsunagu.PageArgs{})
	must(t, err)
	var ids []tsunagu.OrderID
	for _, o := range history.Items {
		ids = append(ids, o.ID)
	}
	if len(ids) != 2 || ids[0] != mine.ID || ids[1] != asGuest.ID {
		t.Errorf("history %v, want the account's order %d and the guest order %d (not %d)", ids, mine.ID, asGuest.ID, other.ID)
	}

	t.Run("ErrUsedLink", func(t *testing.T) {
		before := w.snapshot()
		_, err := w.auth.VerifyEmail(ctx, tsunagu.VerifyEmailInput{Token: token, Password: password})
		w.refused(t, before, err, tsunagu.CodeInvalidToken, "input.token")
	})
	t.Run("ErrVerifiedAlready", func(t *testing.T) {
		before := w.snapshot()
		err := w.auth.RequestEmailVerification(shopper, tsunagu.RequestEmailVerificationInput{})
		w.refusedAs(t, before, err, tsunagu.CodeInvalidState, "")
	})
	t.Run("ErrStaff", func(t *testing.T) {
		before := w.snapshot()
		w.refusedAs(t, before, w.auth.RequestEmailVerification(w.clerk, tsunagu.RequestEmailVerificationInput{}), tsunagu.CodeForbidden, "")
	})
	t.Run("ErrExpiredLink", func(t *testing.T) {
		must(t, w.auth.SignUp(ctx, tsunagu.SignUpInput{Email: "late@example.jp", Password: password}))
		// The 24 hours have passed (moved back in the database, not waited for).
		_, err = w.db.SQL().Exec(`UPDATE email_verifications SET expires_at = now() - interval '1 second' WHERE email = 'late@example.jp'`)
		must(t, err)
		before := w.snapshot()
		_, err = w.auth.VerifyEmail(ctx, tsunagu.VerifyEmailInput{Token: w.verificationToken("late@example.jp"), Password: password})
		w.refused(t, before, err, tsunagu.CodeInvalidToken, "input.token")
	})
	t.Run("ErrUnknownLink", func(t *testing.T) {
		before := w.snapshot()
		_, err := w.auth.VerifyEmail(ctx, tsunagu.VerifyEmailInput{Token: "tsu_nothing", Password: password})
		w.refused(t, before, err, tsunagu.CodeInvalidToken, "input.token")
	})
}

// signUp's answer and time do not tell whether an address has an account: an
// address that has one (a shopper's or staff's) is e-mailed a note instead, and
// the account is not touched. Whoever asks first for an account with somebody
// else's address cannot have its owner confirm it for them: the owner's own
// sign-up replaces the password and the first link, and a link needs the
// password it was asked for with.
func TestSignUpDoesNotTell(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	w.signedUp(tsunagu.SignUpInput{Email: "known@example.jp", Password: "the owner's password", Name: "持ち主"})
	clerk := tsunagu.UserFrom(w.clerk).Email
	users := func() (n int) {
		must(t, w.db.SQL().QueryRow(`SELECT count(*) FROM users`).Scan(&n))
		return n
	}
	notes := func(kind, email string) (n int) {
		must(t, w.db.SQL().QueryRow(`SELECT count(*) FROM notifications WHERE kind = $1 AND recipient = $2`, kind, email).Scan(&n))
		return n
	}

	t.Run("Existing", func(t *testing.T) {
		for _, email := range []string{"Known@Example.JP", clerk} {
			lower := strings.ToLower(email)
			n, links := users(), notes("EMAIL_VERIFICATION", lower)
			if err := w.auth.SignUp(ctx, tsunagu.SignUpInput{Email: email, Password: "an attacker's password", Locale: tsunagu.LocaleKO}); err != nil {
				t.Fatalf("signing up %s: %v, want the answer a new address gets", email, err)
			}
			if users() != n || notes("ACCOUNT_EXISTS", lower) != 1 || notes("EMAIL_VERIFICATION", lower) != links {
				t.Errorf("%s: %d accounts (was %d), %d notes, %d links (was %d); want no account, one note and no link", email,
					users(), n, notes("ACCOUNT_EXISTS", lower), notes("EMAIL_VERIFICATION", lower), links)
			}
			if _, err := w.auth.Login(ctx, tsunagu.LoginInput{Email: email, Password: "an attacker's password"}); tsunagu.ErrorCode(err) != tsunagu.CodeInvalidCredentials {
				t.Errorf("%s: signing in with the sign-up's password: %v", email, err)
			}
		}
		if _, err := w.auth.Login(ctx, tsunagu.LoginInput{Email: "known@example.jp", Password: "the owner's password"}); err != nil {
			t.Errorf("the owner's password after the sign-up: %v", err)
		}
		// The notes are bounded as the links are: three an hour.
		for range 3 {
			must(t, w.auth.SignUp(ctx, tsunagu.SignUpInput{Email: "known@example.jp", Password: "an attacker's password"}))
		}
		if n := notes("ACCOUNT_EXISTS", "known@example.jp"); n != 3 {
			t.Errorf("%d notes after four sign-ups in an hour, want 3", n)
		}
	})

	t.Run("Taken over", func(t *testing.T) {
		must(t, w.auth.SignUp(ctx, tsunagu.SignUpInput{Email: "victim@example.jp", Password: "an attacker's password"}))
		attackers := w.verificationToken("victim@example.jp")
		// The owner, who does not know the attacker's password, cannot confirm it.
		before := w.snapshot()
		_, err := w.auth.VerifyEmail(ctx, tsunagu.VerifyEmailInput{Token: attackers, Password: "the victim's password"})
		w.refused(t, before, err, tsunagu.CodeInvalidCredentials, "input.password")
		// The owner signs up: their password replaces the attacker's, whose link
		// stops working.
		must(t, w.auth.SignUp(ctx, tsunagu.SignUpInput{Email: "victim@example.jp", Password: "the victim's password"}))
		before = w.snapshot()
		_, err = w.auth.VerifyEmail(ctx, tsunagu.VerifyEmailInput{Token: attackers, Password: "an attacker's password"})
		w.refused(t, before, err, tsunagu.CodeInvalidToken, "input.token")
		s, err := w.auth.VerifyEmail(ctx, tsunagu.VerifyEmailInput{Token: w.verificationToken("victim@example.jp"), Password: "the victim's password"})
		must(t, err)
		if !s.User.EmailVerified {
			t.Errorf("the owner's account: %+v", s.User)
		}
	})

	t.Run("Links bounded", func(t *testing.T) {
		for i := range 4 {
			must(t, w.auth.SignUp(ctx, tsunagu.SignUpInput{Email: "eager@example.jp", Password: fmt.Sprintf("password number %d", i)}))
		}
		if n := notes("EMAIL_VERIFICATION", "eager@example.jp"); n != 3 {
			t.Errorf("%d links after four sign-ups in an hour, want 3", n)
		}
		// The fourth changed nothing: the third's link and password still work.
		_, err := w.auth.VerifyEmail(ctx, tsunagu.VerifyEmailInput{Token: w.verificationToken("eager@example.jp"), Password: "password number 2"})
		must(t, err)
	})

	t.Run("Disabled", func(t *testing.T) {
		_, err := w.db.SQL().Exec(`UPDATE users SET disabled_at = now() WHERE email = 'known@example.jp'`)
		must(t, err)
		_, err = w.db.SQL().Exec(`DELETE FROM notifications WHERE recipient = 'known@example.jp'`)
		must(t, err)
		must(t, w.auth.SignUp(ctx, tsunagu.SignUpInput{Email: "known@example.jp", Password: "an attacker's password"}))
		if n := notes("ACCOUNT_EXISTS", "known@example.jp") + notes("EMAIL_VERIFICATION", "known@example.jp"); n != 0 {
			t.Errorf("%d messages to a disabled account's address, want none", n)
		}
	})

	for _, tc := range []struct {
		name  string
		in    tsunagu.SignUpInput
		code  tsunagu.Code
		field string
	}{
		{"ErrNotAnAddress", tsunagu.SignUpInput{Email: "not an address", Password: "a long enough password"}, tsunagu.CodeInvalidEmail, "input.email"},
		{"ErrShortPassword", tsunagu.SignUpInput{Email: "short@example.jp", Password: "short"}, tsunagu.CodeOutOfRange, "input.password"},
		{"ErrPasswordIsAddress", tsunagu.SignUpInput{Email: "same@example.jp", Password: "same@example.jp"}, tsunagu.CodeInvalidInput, "input.password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := w.snapshot()
			w.refused(t, before, w.auth.SignUp(ctx, tc.in), tc.code, tc.field)
		})
	}
}

// A shopper resets a forgotten password by e-mail as staff do; the link reached
// the address, so it confirms the address as a verification link would.
func TestShopperPasswordReset(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	must(t, w.auth.SignUp(ctx, tsunagu.SignUpInput{Email: "forgetful@example.jp", Password: "a long enough password"}))
	must(t, w.auth.RequestPasswordReset(ctx, tsunagu.RequestPasswordResetInput{Email: "Forgetful@example.jp", Locale: tsunagu.LocaleKO}))
	token := w.mailedToken("PASSWORD_RESET", "forgetful@example.jp")
	must(t, w.auth.ResetPassword(ctx, tsunagu.ResetPasswordInput{Token: token, Password: "a new shopper password"}))
	if _, err := w.auth.Login(ctx, tsunagu.LoginInput{Email: "forgetful@example.jp", Password: "a new shopper password"}); err != nil {
		t.Errorf("signing in with the new password: %v", err)
	}
}
