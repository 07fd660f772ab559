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
		var target struct {
			tsunagu.User
			Disabled bool
		}
		err := tx.GetContext(ctx, &target, `
			SELECT `+userColumns+`, u.disabled_at IS NOT NULL AS disabled
			FROM users u WHERE u.id = $1 AND u.role <> 'CUSTOMER' FOR UPDATE`, in.UserID)
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
		if err != nil {
			return err
		}
		out = target.User
		return audit(ctx, tx, audited{Action: "deactivateStaff", ObjectType: "User", ObjectID: int64(target.ID),
			MunicipalityID: target.MunicipalityID, Before: map[string]bool{"Disabled": target.Disabled}, After: map[string]bool{"Disabled": true}})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
