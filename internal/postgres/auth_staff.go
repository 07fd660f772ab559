package postgres

import (
	"context"

	"tsunagu/internal/tsunagu"
)

// DeactivateStaff disables a staff account and revokes its tokens (see
// tsunagu.AuthService), in one transaction that locks the account first.
func (s *AuthService) DeactivateStaff(ctx context.Context, in tsunagu.DeactivateStaffInput) (_ *tsunagu.User, err error) {
	defer wrap(&err, "AuthService.DeactivateStaff")
	actor, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	var out tsunagu.User
	err = s.db.transact(ctx, func(tx queryer) error {
		var target tsunagu.User
		err := tx.GetContext(ctx, &target, `
			SELECT `+userColumns+` FROM users u WHERE u.id = $1 AND u.role <> 'CUSTOMER' FOR UPDATE`, in.UserID)
		if err != nil {
			return notFound(err, "input.userId", "staff account")
		}
		if target.ID == actor.ID {
			return tsunagu.Errorf(tsunagu.CodeForbidden, "", "You cannot deactivate your own account.")
		}
		if err := tsunagu.CanAppoint(actor, target.Role, target.MunicipalityID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			WITH d AS (UPDATE users SET disabled_at = coalesce(disabled_at, now()) WHERE id = $1)
			UPDATE auth_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, target.ID)
		out = target
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
