package postgres_test

import (
	"context"
	"testing"

	"tsunagu/internal/tsunagu"
)

// A shopper's order history opens once the address is verified, and the orders
// placed as a guest with the address (in any case) then join the account; a link
// works once.
func TestEmailVerification(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	ctx := context.Background()
	s, err := w.auth.SignUp(ctx, tsunagu.SignUpInput{Email: "new.shopper@example.jp", Password: "a long enough password",
		Name: "新しい客", Locale: tsunagu.LocaleEN})
	must(t, err)
	shopper := tsunagu.WithUser(ctx, s.User, s.Token)
	if s.User.EmailVerified {
		t.Errorf("a new shopper's address is verified already")
	}
	guest := w.pickupInput(cart(w.homeShop, w.cookies, 1))
	guest.Contact.Email = "New.Shopper@Example.JP"
	asGuest := w.checkout(ctx, guest).Order
	other := w.checkout(ctx, w.pickupInput(cart(w.homeShop, w.cookies, 1))).Order // another address's
	mine := w.checkout(shopper, w.pickupInput(cart(w.homeShop, w.jam, 1))).Order

	_, err = w.orders.Orders(shopper, tsunagu.OrderFilter{}, tsunagu.PageArgs{})
	if tsunagu.ErrorCode(err) != tsunagu.CodeEmailNotVerified {
		t.Fatalf("the history before verifying: %v, want EMAIL_NOT_VERIFIED", err)
	}
	var locale string
	must(t, w.db.SQL().QueryRow(`SELECT locale FROM notifications WHERE kind = 'EMAIL_VERIFICATION' AND recipient = $1`,
		"new.shopper@example.jp").Scan(&locale))
	if locale != "EN" {
		t.Errorf("the verification e-mail is in %q, want EN", locale)
	}
	token := w.verificationToken("new.shopper@example.jp")
	must(t, w.auth.VerifyEmail(ctx, tsunagu.VerifyEmailInput{Token: token}))
	u, err := w.auth.Authenticate(ctx, s.Token)
	must(t, err)
	if !u.EmailVerified {
		t.Errorf("the account after verifying: %+v", u)
	}
	var entries int
	must(t, w.db.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'verifyEmail' AND object_id = $1`, u.ID).Scan(&entries))
	if entries != 1 {
		t.Errorf("%d audit entries of the verification, want 1", entries)
	}
	history, err := w.orders.Orders(tsunagu.WithUser(ctx, u, s.Token), tsunagu.OrderFilter{}, tsunagu.PageArgs{})
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
		w.refused(t, before, w.auth.VerifyEmail(ctx, tsunagu.VerifyEmailInput{Token: token}), tsunagu.CodeInvalidToken, "input.token")
	})
	t.Run("ErrVerifiedAlready", func(t *testing.T) {
		before := w.snapshot()
		err := w.auth.RequestEmailVerification(tsunagu.WithUser(ctx, u, s.Token), tsunagu.RequestEmailVerificationInput{})
		w.refusedAs(t, before, err, tsunagu.CodeInvalidState, "")
	})
	t.Run("ErrStaff", func(t *testing.T) {
		before := w.snapshot()
		w.refusedAs(t, before, w.auth.RequestEmailVerification(w.clerk, tsunagu.RequestEmailVerificationInput{}), tsunagu.CodeForbidden, "")
	})
	t.Run("ErrExpiredLink", func(t *testing.T) {
		late, err := w.auth.SignUp(ctx, tsunagu.SignUpInput{Email: "late@example.jp", Password: "a long enough password"})
		must(t, err)
		must(t, w.auth.RequestEmailVerification(tsunagu.WithUser(ctx, late.User, late.Token), tsunagu.RequestEmailVerificationInput{}))
		// The 24 hours have passed (moved back in the database, not waited for).
		_, err = w.db.SQL().Exec(`UPDATE email_verifications SET expires_at = now() - interval '1 second' WHERE email = 'late@example.jp'`)
		must(t, err)
		before := w.snapshot()
		err = w.auth.VerifyEmail(ctx, tsunagu.VerifyEmailInput{Token: w.verificationToken("late@example.jp")})
		w.refused(t, before, err, tsunagu.CodeInvalidToken, "input.token")
	})
	t.Run("ErrUnknownLink", func(t *testing.T) {
		before := w.snapshot()
		w.refused(t, before, w.auth.VerifyEmail(ctx, tsunagu.VerifyEmailInput{Token: "tsu_nothing"}), tsunagu.CodeInvalidToken, "input.token")
	})
}

// A shopper resets a forgotten password by e-mail as staff do.
func TestShopperPasswordReset(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	_, err := w.auth.SignUp(ctx, tsunagu.SignUpInput{Email: "forgetful@example.jp", Password: "a long enough password"})
	must(t, err)
	must(t, w.auth.RequestPasswordReset(ctx, tsunagu.RequestPasswordResetInput{Email: "Forgetful@example.jp", Locale: tsunagu.LocaleKO}))
	token := w.mailedToken("PASSWORD_RESET", "forgetful@example.jp")
	must(t, w.auth.ResetPassword(ctx, tsunagu.ResetPasswordInput{Token: token, Password: "a new shopper password"}))
	if _, err := w.auth.Login(ctx, tsunagu.LoginInput{Email: "forgetful@example.jp", Password: "a new shopper password"}); err != nil {
		t.Errorf("signing in with the new password: %v", err)
	}
}
