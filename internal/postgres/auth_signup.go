package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"strings"

	"tsunagu/internal/mail"
	"tsunagu/internal/tsunagu"
)

// SignUp implements tsunagu.AuthService: in one transaction it makes the account of
// an address that has none, or asks again for one waiting for its link, and
// e-mails the link; or e-mails an address that has an account that it has one.
// Both ways hash the password and write one message, so neither the answer nor
// its time tells them apart.
func (s *AuthService) SignUp(ctx context.Context, in tsunagu.SignUpInput) (err error) {
	defer wrap(&err, "AuthService.SignUp")
	var errs tsunagu.ValidationErrors
	email, err := tsunagu.ParseEmail(in.Email, "input.email")
	if err != nil && !errs.AddError(err) {
		return err
	}
	// Sign-in ignores case, so accounts are kept in lower case.
	email = strings.ToLower(email)
	checkNewPassword(&errs, in.Password, in.Email, tsunagu.RoleCustomer)
	if err := errs.Err(); err != nil {
		return err
	}
	hash, err := s.hashPassword(ctx, in.Password)
	if err != nil {
		return err
	}
	locale := cmp.Or(in.Locale, tsunagu.LocaleJA)
	// Asked again, an account's tokens are revoked: this process forgets them
	// once committed.
	var changed tsunagu.UserID
	defer func() { s.Tokens.forgetUser(changed) }()
	return s.db.transact(ctx, func(tx queryer) error {
		var u struct {
			tsunagu.User
			Disabled bool
		}
		err := tx.GetContext(ctx, &u, `
			INSERT INTO users AS u (email, name, password_hash, role) VALUES ($1, $2, $3, 'CUSTOMER')
			ON CONFLICT (email) DO NOTHING
			RETURNING `+userColumns+`, false AS disabled`, email, strings.TrimSpace(in.Name), hash)
		if err == nil {
			return sendVerification(ctx, tx, &u.User, locale)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		// The address has an account (this statement sees one that a concurrent
		// sign-up has just committed); its row is locked against another sign-up.
		err = tx.GetContext(ctx, &u, `
			SELECT `+userColumns+`, u.disabled_at IS NOT NULL AS disabled
			FROM users u WHERE u.email = $1 FOR UPDATE`, email)
		if err != nil {
			return err
		}
		switch {
		case u.Disabled:
			return nil
		case u.Role == tsunagu.RoleCustomer && !u.EmailVerified:
			changed = u.ID
			return s.signUpAgain(ctx, tx, &u.User, strings.TrimSpace(in.Name), hash, locale)
		}
		// The kind is written in, not a parameter: the generic plan (genericPlans)
		// could not use the partial index notifications_account_exists for $1.
		_, err = tx.ExecContext(ctx, `
			INSERT INTO notifications (kind, recipient, locale, payload)
			SELECT '`+string(mail.KindAccountExists)+`', $1, $2, jsonb_build_object('name', $3::text)
			WHERE (SELECT count(*) FROM notifications
			       WHERE kind = '`+string(mail.KindAccountExists)+`' AND recipient = $1
			         AND created_at > now() - interval '1 hour') < $4`,
			u.Email, locale, u.Name, verificationsPerHour)
		return err
	})
}

// signUpAgain asks once more for the account of u, whose address is not confirmed:
// the new password and name replace the old ones, the links sent before stop
// working and a new one is sent, unless verificationsPerHour were sent in the
// last hour: then nothing changes, so that sign-ups in a row cannot take away
// the link the address's owner is about to open.
func (s *AuthService) signUpAgain(ctx context.Context, tx queryer, u *tsunagu.User, name, hash string, locale tsunagu.Locale) error {
	var sent int
	err := tx.GetContext(ctx, &sent, `
		SELECT count(*) FROM email_verifications WHERE user_id = $1 AND created_at > now() - interval '1 hour'`, u.ID)
	if err != nil || sent >= verificationsPerHour {
		return err
	}
	_, err = tx.ExecContext(ctx, `
		WITH v AS (UPDATE email_verifications SET used_at = now() WHERE user_id = $1 AND used_at IS NULL),
		t AS (UPDATE auth_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL)
		UPDATE users SET password_hash = $2, name = $3 WHERE id = $1`, u.ID, hash, name)
	if err != nil {
		return err
	}
	u.Name = name
	return sendVerification(ctx, tx, u, locale)
}
