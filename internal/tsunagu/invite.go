package tsunagu

import (
	"strings"
	"time"
)

// InvitationTTL is how long an invitation's link works.
const InvitationTTL = 72 * time.Hour

// InviteStaffInput invites a person by e-mail to a staff account of a role and
// scope: a MANAGER's municipality, a CLERK's shop (whose municipality follows).
type InviteStaffInput struct {
	Email          string
	Role           Role
	MunicipalityID *MunicipalityID
	ShopID         *LocationID
	// Locale is the language of the invitation e-mail; Japanese when empty.
	Locale         Locale
	IdempotencyKey string
}

// Validate checks the input alone and normalizes the address (lower case, as
// accounts are kept): INVALID_EMAIL, INVALID_INPUT (input.role) for a role that
// is not staff, REQUIRED input.municipalityId for a manager and input.shopId for a
// clerk. The scope a role does not use is dropped.
func (in *InviteStaffInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	if e, err := ParseEmail(in.Email, "input.email"); err != nil {
		errs = append(errs, err.(*Error))
	} else {
		in.Email = strings.ToLower(e)
	}
	switch in.Role {
	case RoleAdmin:
		in.MunicipalityID, in.ShopID = nil, nil
	case RoleManager:
		in.ShopID = nil
		if in.MunicipalityID == nil {
			errs.Add(CodeRequired, "input.municipalityId", "A manager needs a municipality.")
		}
	case RoleClerk:
		in.MunicipalityID = nil // the shop's
		if in.ShopID == nil {
			errs.Add(CodeRequired, "input.shopId", "A clerk needs a shop.")
		}
	default:
		errs.Add(CodeInvalidInput, "input.role", "Choose a staff role: ADMIN, MANAGER or CLERK.")
	}
	return errs.Err()
}

func (in InviteStaffInput) Unkeyed() (string, any) { return unkeyed(&in, &in.IdempotencyKey) }

var _ Keyed = (*InviteStaffInput)(nil)

// CanAppoint returns nil when u may give a staff account of role in municipality m
// (a clerk's is their shop's): an admin anyone; a manager only clerks of their own
// municipality's shops, never a manager or an admin. UNAUTHENTICATED without a
// user, FORBIDDEN otherwise.
func CanAppoint(u *User, role Role, m *MunicipalityID) error {
	if u == nil {
		return ErrUnauthenticated
	}
	if u.IsAdmin() || (role == RoleClerk && m != nil && u.ManagesMunicipality(*m)) {
		return nil
	}
	return ErrForbidden
}

// Invitation is a staff account offered by e-mail, taken up with AcceptInvitation.
type Invitation struct {
	ID             int64
	Email          string
	Role           Role
	MunicipalityID *MunicipalityID
	ShopID         *LocationID
	ExpiresAt      time.Time
	AcceptedAt     *time.Time
}

// AcceptInvitationInput takes up an invitation: its link's token, and the new
// account's name and password.
type AcceptInvitationInput struct {
	Token    string
	Name     string
	Password string
}
