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
	// The account's tokens are revoked: this process forgets them once committed.
	defer func() { s.Tokens.forgetUser(out.ID) }()
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

// staffScope is what updateStaff changes of an account, as the audit log records it.
type staffScope struct {
	Role           tsunagu.Role
	MunicipalityID *tsunagu.MunicipalityID
	ShopID         *tsunagu.LocationID
	FacilityID     *tsunagu.FacilityID
}

func scopeOf(u *tsunagu.User) staffScope {
	return staffScope{Role: u.Role, MunicipalityID: u.MunicipalityID, ShopID: u.ShopID, FacilityID: u.FacilityID}
}

func (s staffScope) equal(o staffScope) bool {
	return s.Role == o.Role && samePtr(s.MunicipalityID, o.MunicipalityID) && samePtr(s.ShopID, o.ShopID) &&
		samePtr(s.FacilityID, o.FacilityID)
}

func samePtr[T comparable](a, b *T) bool { return a == b || (a != nil && b != nil && *a == *b) }

// UpdateStaff gives a staff account another role or scope (see
// tsunagu.AuthService), in one transaction that locks the account first: the
// change, the revocation of its tokens and the audit entry together.
func (s *AuthService) UpdateStaff(ctx context.Context, in tsunagu.UpdateStaffInput) (_ *tsunagu.User, err error) {
	defer wrap(&err, "AuthService.UpdateStaff")
	actor, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out tsunagu.User
	// A changed account's tokens are revoked: this process forgets them once
	// committed.
	var changed tsunagu.UserID
	defer func() { s.Tokens.forgetUser(changed) }()
	err = s.db.transact(ctx, func(tx queryer) error {
		var target tsunagu.User
		err := tx.GetContext(ctx, &target, `
			SELECT `+userColumns+` FROM users u WHERE u.id = $1 AND u.role <> 'CUSTOMER' FOR UPDATE`, in.UserID)
		if err != nil {
			return notFound(err, "input.userId", "staff account")
		}
		if target.ID == actor.ID {
			return tsunagu.Errorf(tsunagu.CodeForbidden, "", "You cannot change your own role or scope.")
		}
		if err := tsunagu.CanAppoint(actor, target.Role, target.MunicipalityID); err != nil {
			return err
		}
		if err := scopeMunicipality(ctx, tx, &in.MunicipalityID, in.ShopID, in.FacilityID); err != nil {
			return err
		}
		if err := tsunagu.CanAppoint(actor, in.Role, in.MunicipalityID); err != nil {
			return err
		}
		before := scopeOf(&target)
		after := staffScope{Role: in.Role, MunicipalityID: in.MunicipalityID, ShopID: in.ShopID, FacilityID: in.FacilityID}
		if before.equal(after) {
			out = target
			return nil
		}
		changed = target.ID
		err = tx.GetContext(ctx, &out, `
			WITH t AS (UPDATE auth_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL)
			UPDATE users AS u SET role = $2, municipality_id = $3, shop_id = $4, facility_id = $5
			WHERE u.id = $1
			RETURNING `+userColumns, target.ID, in.Role, in.MunicipalityID, in.ShopID, in.FacilityID)
		if err != nil {
			return err
		}
		return audit(ctx, tx, audited{Action: "updateStaff", ObjectType: "User", ObjectID: int64(target.ID),
			MunicipalityID: target.MunicipalityID, Before: before, After: after})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
