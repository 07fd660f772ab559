package postgres

import (
	"context"
	"errors"

	"tsunagu/internal/tsunagu"
)

// ChangePassword sets the signed-in user's own password (see
// tsunagu.AuthService). The current password is checked as sign-in checks it,
// under the same back-off (claimLoginAttempt), so that a session left open is not
// a way to guess the password; the new hash, the end of the other sessions and of
// the reset links, and the audit entry are one transaction that locks the account.
func (s *AuthService) ChangePassword(ctx context.Context, in tsunagu.ChangePasswordInput) (err error) {
	defer wrap(&err, "AuthService.ChangePassword")
	u, token := tsunagu.UserFrom(ctx), tsunagu.TokenFrom(ctx)
	if u == nil || token == "" {
		return tsunagu.ErrUnauthenticated
	}
	if err := tsunagu.CheckPassword(in.NewPassword, u.Email, u.Role); err != nil {
		return onField(err, "input.newPassword")
	}
	if err := s.claimLoginAttempt(ctx, u.Email); err != nil {
		return onField(err, "input.currentPassword")
	}
	var current string
	if err := s.db.q().GetContext(ctx, &current, `SELECT password_hash FROM users WHERE id = $1`, u.ID); err != nil {
		return err
	}
	ok, err := comparePassword(ctx, in.CurrentPassword, current)
	if err != nil {
		return err
	}
	if !ok {
		// A retry of a change that went through: the new password is the password.
		if done, err := comparePassword(ctx, in.NewPassword, current); err != nil || done {
			if err == nil {
				err = s.loginSucceeded(ctx, u.Email)
			}
			return err
		}
		return onField(s.loginFailed(ctx, u.Email), "input.currentPassword")
	}
	if err := s.loginSucceeded(ctx, u.Email); err != nil {
		return err
	}
	hash, err := s.hashPassword(ctx, in.NewPassword)
	if err != nil {
		return err
	}
	// The other sessions end: this process forgets the user's tokens once
	// committed (this one's included; it is verified again on its next use).
	defer s.Tokens.forgetUser(u.ID)
	return s.db.transact(ctx, func(tx queryer) error {
		// The hash read above is the one replaced: a change made meanwhile by
		// another session wins, and this one is refused as a wrong password.
		res, err := tx.ExecContext(ctx, `
			WITH t AS (UPDATE auth_tokens SET revoked_at = now()
			           WHERE user_id = $1 AND revoked_at IS NULL AND token_hash <> $3),
			r AS (UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL)
			UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $4`,
			u.ID, hash, hashToken(token), current)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = onField(errInvalidCredentials, "input.currentPassword")
			}
			return err
		}
		return audit(ctx, tx, audited{Action: "changePassword", ObjectType: "User", ObjectID: int64(u.ID),
			MunicipalityID: u.MunicipalityID, Before: map[string]bool{"PasswordChanged": false},
			After: map[string]bool{"PasswordChanged": true}})
	})
}

// onField returns err, a domain error, as reported on field instead: the same
// check made for another input's field.
func onField(err error, field string) error {
	var e *tsunagu.Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	c.Field = field
	return &c
}
