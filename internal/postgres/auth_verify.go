package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"tsunagu/internal/mail"
	"tsunagu/internal/tsunagu"
)

// verificationsPerHour bounds the verification links one account is sent in an
// hour, so that nobody floods an address with them through its account.
const verificationsPerHour = 3

// sendVerification writes a verification link for shopper u's address, and its
// e-mail, in one statement on q; nothing when u had verificationsPerHour links
// in the last hour.
func sendVerification(ctx context.Context, q queryer, u *tsunagu.User, locale tsunagu.Locale) error {
	token, hash := newToken()
	_, err := q.ExecContext(ctx, `
		WITH v AS (
			INSERT INTO email_verifications (token_hash, user_id, email, expires_at)
			SELECT $1, $2, $3, now() + $4 * interval '1 second'
			WHERE (SELECT count(*) FROM email_verifications
			       WHERE user_id = $2 AND created_at > now() - interval '1 hour') < $5
			RETURNING email
		)
		INSERT INTO notifications (kind, recipient, locale, payload)
		SELECT $6, v.email, $7, jsonb_build_object('name', $8::text, 'token', $9::text) FROM v`,
		hash, u.ID, u.Email, int64(tsunagu.EmailVerificationTTL/time.Second), verificationsPerHour,
		mail.KindEmailVerification, cmp.Or(locale, tsunagu.LocaleJA), u.Name, token)
	return err
}

// RequestEmailVerification implements tsunagu.AuthService.
func (s *AuthService) RequestEmailVerification(ctx context.Context, in tsunagu.RequestEmailVerificationInput) (err error) {
	defer wrap(&err, "AuthService.RequestEmailVerification")
	u := tsunagu.UserFrom(ctx)
	switch {
	case u == nil:
		return tsunagu.ErrUnauthenticated
	case u.Role != tsunagu.RoleCustomer:
		return tsunagu.ErrForbidden
	case u.EmailVerified:
		return tsunagu.Errorf(tsunagu.CodeInvalidState, "", "Your e-mail address is confirmed already.")
	}
	return sendVerification(ctx, s.db.q(), u, in.Locale)
}

var errInvalidVerification = tsunagu.Errorf(tsunagu.CodeInvalidToken, "input.token",
	"This link to confirm your e-mail address is not valid: it was used already, a later sign-up replaced it, or it is more than 24 hours old. Sign up again for a new one.")

// VerifyEmail implements tsunagu.AuthService. The link names the account, whose
// password is checked as sign-in checks it; then one transaction uses up the link
// (if the password it was checked against is still the account's), verifies the
// address, joins the guest orders placed with it (any case of its letters:
// checkout keeps the address as typed) and starts the session.
func (s *AuthService) VerifyEmail(ctx context.Context, in tsunagu.VerifyEmailInput) (_ *tsunagu.Session, err error) {
	defer wrap(&err, "AuthService.VerifyEmail")
	token := hashToken(strings.TrimSpace(in.Token))
	var email string
	err = s.db.q().GetContext(ctx, &email, `
		SELECT u.email FROM email_verifications v JOIN users u ON u.id = v.user_id
		WHERE v.token_hash = $1 AND v.used_at IS NULL AND v.expires_at > now()
		  AND u.email = v.email AND u.disabled_at IS NULL`, token)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errInvalidVerification
	}
	if err != nil {
		return nil, err
	}
	acct, err := s.checkCredentials(ctx, email, in.Password)
	if err != nil {
		return nil, err
	}
	if err := s.loginSucceeded(ctx, email); err != nil {
		return nil, err
	}
	var session *tsunagu.Session
	// The address is confirmed: this process forgets the user's tokens once
	// committed, which said it was not.
	defer s.Tokens.forgetUser(acct.ID)
	err = s.db.transact(ctx, func(tx queryer) error {
		var u tsunagu.User
		err := tx.GetContext(ctx, &u, `
			UPDATE email_verifications v SET used_at = now()
			FROM users u
			WHERE v.token_hash = $1 AND v.used_at IS NULL AND v.expires_at > now()
			  AND u.id = v.user_id AND u.email = v.email AND u.disabled_at IS NULL AND u.password_hash = $2
			RETURNING `+userColumns, token, acct.PasswordHash)
		if errors.Is(err, sql.ErrNoRows) {
			return errInvalidVerification
		}
		if err != nil {
			return err
		}
		if err := confirmAddress(ctx, tx, &u, "verifyEmail"); err != nil {
			return err
		}
		session, err = s.startSession(ctx, tx, &u)
		return err
	})
	return session, err
}

// confirmAddress records on tx that the owner of u's address took a link sent to
// it (action: verifyEmail, resetPassword): the address is verified, and the guest
// orders placed with it (any case of its letters: checkout keeps the address as
// typed) join the account. An audit entry says so when anything changed.
func confirmAddress(ctx context.Context, tx queryer, u *tsunagu.User, action string) error {
	var joined int64
	err := tx.GetContext(ctx, &joined, `
		WITH v AS (UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1),
		o AS (UPDATE orders SET customer_id = $1 WHERE customer_id IS NULL AND lower(email) = $2 RETURNING id)
		SELECT count(*) FROM o`, u.ID, u.Email)
	if err != nil {
		return err
	}
	type verified struct {
		EmailVerified bool
		GuestOrders   int64 // joined to the account
	}
	before := verified{EmailVerified: u.EmailVerified}
	u.EmailVerified = true
	if before.EmailVerified && joined == 0 {
		return nil
	}
	return audit(ctx, tx, audited{Action: action, ObjectType: "User", ObjectID: int64(u.ID),
		MunicipalityID: u.MunicipalityID, Before: before, After: verified{EmailVerified: true, GuestOrders: joined}})
}
