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

// resetsPerHour bounds the reset links one account is sent in an hour, so that
// nobody can flood an address with them; requests past it are answered alike and
// send nothing.
const resetsPerHour = 3

// RequestPasswordReset writes a one-time reset link for the active account of
// in.Email into the outbox (see tsunagu.AuthService). One statement does the same
// work whether or not the account exists, so neither the answer nor its time tells.
func (s *AuthService) RequestPasswordReset(ctx context.Context, in tsunagu.RequestPasswordResetInput) (err error) {
	defer wrap(&err, "AuthService.RequestPasswordReset")
	email, err := tsunagu.ParseEmail(in.Email, "input.email")
	if err != nil {
		return err
	}
	token, hash := newToken()
	_, err = s.db.q().ExecContext(ctx, `
		WITH u AS (
			SELECT u.id, u.email, u.name FROM users u
			WHERE u.email = $1 AND u.disabled_at IS NULL
			  AND (SELECT count(*) FROM password_resets r
			       WHERE r.user_id = u.id AND r.created_at > now() - interval '1 hour') < $5
		), r AS (
			INSERT INTO password_resets (token_hash, user_id, expires_at)
			SELECT $2, u.id, now() + $3 * interval '1 second' FROM u
		)
		INSERT INTO notifications (kind, recipient, locale, payload)
		SELECT $6, u.email, $4, jsonb_build_object('name', u.name, 'token', $7::text) FROM u`,
		strings.ToLower(email), hash, int64(tsunagu.PasswordResetTTL/time.Second),
		cmp.Or(in.Locale, tsunagu.LocaleJA), resetsPerHour, mail.KindPasswordReset, token)
	return err
}

var errInvalidResetToken = tsunagu.Errorf(tsunagu.CodeInvalidToken, "input.token",
	"This link to reset the password is not valid: it was used already or is more than an hour old. Ask for a new one.")

// ResetPassword sets a new password through a reset link (see tsunagu.AuthService):
// in one transaction it takes the link (used, unexpired, of an active account),
// sets the password, uses up the account's other links and revokes its bearer
// tokens.
func (s *AuthService) ResetPassword(ctx context.Context, in tsunagu.ResetPasswordInput) (err error) {
	defer wrap(&err, "AuthService.ResetPassword")
	var errs tsunagu.ValidationErrors
	// The shoppers' rule here; the account's own (staff need more, and not their
	// e-mail address) once the link has named it.
	if checkNewPassword(&errs, in.Password, "", tsunagu.RoleCustomer); errs.Err() != nil {
		return errs.Err()
	}
	if strings.TrimSpace(in.Token) == "" {
		return errInvalidResetToken
	}
	hash, err := s.hashPassword(ctx, in.Password)
	if err != nil {
		return err
	}
	// The account's tokens are revoked: this process forgets them once committed.
	var changed tsunagu.UserID
	defer func() { s.Tokens.forgetUser(changed) }()
	return s.db.transact(ctx, func(tx queryer) error {
		var acct tsunagu.User
		err := tx.GetContext(ctx, &acct, `
			UPDATE password_resets r SET used_at = now()
			FROM users u
			WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > now()
			  AND u.id = r.user_id AND u.disabled_at IS NULL
			RETURNING `+userColumns, hashToken(strings.TrimSpace(in.Token)))
		if errors.Is(err, sql.ErrNoRows) {
			return errInvalidResetToken
		}
		if err != nil {
			return err
		}
		// Refused, the transaction rolls back and the link stays usable.
		if err := tsunagu.CheckPassword(in.Password, acct.Email, acct.Role); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			WITH p AS (UPDATE users SET password_hash = $2 WHERE id = $1),
			r AS (UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL)
			UPDATE auth_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, acct.ID, hash)
		if err != nil {
			return err
		}
		changed = acct.ID
		// The link reached the address, as a verification link would have.
		return confirmAddress(ctx, tx, &acct, "resetPassword")
	})
}
