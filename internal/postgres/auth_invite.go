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

const invitationColumns = `i.id, i.email, i.role, i.municipality_id, i.shop_id, i.facility_id, i.expires_at, i.accepted_at`

// InviteStaff writes an invitation and its e-mail (see tsunagu.AuthService). The
// link's token goes only into the outbox, which erases it once the e-mail is sent;
// the invitation keeps its hash.
func (s *AuthService) InviteStaff(ctx context.Context, in tsunagu.InviteStaffInput) (_ *tsunagu.Invitation, err error) {
	defer wrap(&err, "AuthService.InviteStaff")
	return runOnce(ctx, s.db, "inviteStaff", &in, once[*tsunagu.Invitation]{
		do: func(tx queryer, u *tsunagu.User, _ *idemKey) (*tsunagu.Invitation, error) {
			muni := in.MunicipalityID
			if err := scopeMunicipality(ctx, tx, &muni, in.ShopID, in.FacilityID); err != nil {
				return nil, err
			}
			if err := tsunagu.CanAppoint(u, in.Role, muni); err != nil {
				return nil, err
			}
			var taken bool
			if err := tx.GetContext(ctx, &taken, `SELECT EXISTS (SELECT FROM users WHERE email = $1)`, in.Email); err != nil {
				return nil, err
			}
			if taken {
				return nil, tsunagu.Errorf(tsunagu.CodeDuplicate, "input.email", "This address already has an account.")
			}
			token, hash := newToken()
			var out tsunagu.Invitation
			err := tx.GetContext(ctx, &out, `
				WITH i AS (
					INSERT INTO staff_invitations (token_hash, email, role, municipality_id, shop_id, invited_by, expires_at, facility_id)
					VALUES ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 second', $12)
					RETURNING *
				), n AS (
					INSERT INTO notifications (kind, recipient, locale, payload)
					SELECT $8, i.email, $9, jsonb_build_object('inviter', $10::text, 'token', $11::text) FROM i
				)
				SELECT `+invitationColumns+` FROM i`,
				hash, in.Email, in.Role, muni, in.ShopID, u.ID, int64(tsunagu.InvitationTTL/time.Second),
				mail.KindStaffInvitation, cmp.Or(in.Locale, tsunagu.LocaleJA), cmp.Or(u.Name, u.Email), token, in.FacilityID)
			if err != nil {
				return nil, err
			}
			return &out, audit(ctx, tx, audited{Action: "inviteStaff", ObjectType: "StaffInvitation", ObjectID: out.ID,
				MunicipalityID: muni, After: &out})
		},
		id: func(i *tsunagu.Invitation) int64 { return i.ID },
		replay: func(tx queryer, id int64) (*tsunagu.Invitation, error) {
			var out tsunagu.Invitation
			err := tx.GetContext(ctx, &out, `SELECT `+invitationColumns+` FROM staff_invitations i WHERE i.id = $1`, id)
			return &out, err
		},
	})
}

var errInvalidInvitation = tsunagu.Errorf(tsunagu.CodeInvalidToken, "input.token",
	"This invitation link is not valid: it was used already or is more than 72 hours old. Ask for a new invitation.")

// AcceptInvitation creates the invited account and signs it in (see
// tsunagu.AuthService), in one transaction that takes the invitation first, so
// that two acceptances of one link cannot both create an account.
func (s *AuthService) AcceptInvitation(ctx context.Context, in tsunagu.AcceptInvitationInput) (_ *tsunagu.Session, err error) {
	defer wrap(&err, "AuthService.AcceptInvitation")
	var errs tsunagu.ValidationErrors
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		errs.Add(tsunagu.CodeRequired, "input.name", "Enter your name.")
	}
	tsunagu.NormalizeReading(&errs, &in.NameReading)
	checkNewPassword(&errs, in.Password, "", tsunagu.RoleClerk) // invitations are for staff
	if err := errs.Err(); err != nil {
		return nil, err
	}
	hash, err := s.hashPassword(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	var out tsunagu.Session
	err = s.db.transact(ctx, func(tx queryer) error {
		var inv tsunagu.Invitation
		err := tx.GetContext(ctx, &inv, `
			SELECT `+invitationColumns+` FROM staff_invitations i
			WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > now()
			FOR UPDATE`, hashToken(strings.TrimSpace(in.Token)))
		if errors.Is(err, sql.ErrNoRows) {
			return errInvalidInvitation
		}
		if err == nil {
			err = tsunagu.CheckPassword(in.Password, inv.Email, inv.Role)
		}
		if err != nil {
			return err
		}
		var u tsunagu.User
		err = tx.GetContext(ctx, &u, `
			INSERT INTO users AS u (email, name, password_hash, role, municipality_id, shop_id, facility_id, email_verified_at, name_reading)
			VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8)
			RETURNING `+userColumns, inv.Email, in.Name, hash, inv.Role, inv.MunicipalityID, inv.ShopID, inv.FacilityID, in.NameReading)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE staff_invitations SET accepted_at = now(), user_id = $2 WHERE id = $1`,
			inv.ID, u.ID); err != nil {
			return err
		}
		err = audit(ctx, tx, audited{Action: "acceptInvitation", ObjectType: "User", ObjectID: int64(u.ID),
			MunicipalityID: u.MunicipalityID, After: &u})
		if err != nil {
			return err
		}
		token, th := newToken()
		out = tsunagu.Session{Token: token, User: &u}
		return tx.GetContext(ctx, &out.ExpiresAt, `
			INSERT INTO auth_tokens (token_hash, user_id, expires_at)
			VALUES ($1, $2, now() + $3 * interval '1 second')
			RETURNING expires_at`, th, u.ID, int64(s.TokenTTL/time.Second))
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
