package tsunagu

import (
	"strings"
	"time"
)

// InvitationTTL is how long an invitation's link works.
const InvitationTTL = 72 * time.Hour

// InviteStaffInput invites a person by e-mail to a staff account of a role and
// scope: a MANAGER's municipality, a CLERK's shop, FACILITY staff's facility (the
// municipality of a shop or facility follows from it).
type InviteStaffInput struct {
	Email          string
	Role           Role
	MunicipalityID *MunicipalityID
	ShopID         *LocationID
	FacilityID     *FacilityID
	// Locale is the language of the invitation e-mail; Japanese when empty.
	Locale         Locale
	IdempotencyKey string
}

// Validate checks the input alone and normalizes the address (lower case, as
// accounts are kept): INVALID_EMAIL, INVALID_INPUT (input.role) for a role that
// is not staff, and the scope checks of NormalizeScope.
func (in *InviteStaffInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	if e, err := ParseEmail(in.Email, "input.email"); err != nil {
		errs = append(errs, err.(*Error))
	} else {
		in.Email = strings.ToLower(e)
	}
	NormalizeScope(&errs, in.Role, &in.MunicipalityID, &in.ShopID, &in.FacilityID)
	return errs.Err()
}

// NormalizeScope checks that a staff role comes with the scope it needs and drops
// the scope it does not use: REQUIRED input.municipalityId for a MANAGER,
// input.shopId for a CLERK, input.facilityId for FACILITY staff; INVALID_INPUT
// (input.role) for a role that is not staff. A clerk's and facility staff's
// municipality is their shop's or facility's, so what was given is dropped too (the
// caller looks it up).
func NormalizeScope(errs *ValidationErrors, role Role, m **MunicipalityID, shop **LocationID, f **FacilityID) {
	switch role {
	case RoleAdmin:
		*m, *shop, *f = nil, nil, nil
	case RoleManager:
		*shop, *f = nil, nil
		if *m == nil {
			errs.Add(CodeRequired, "input.municipalityId", "A manager needs a municipality.")
		}
	case RoleClerk:
		*m, *f = nil, nil
		if *shop == nil {
			errs.Add(CodeRequired, "input.shopId", "A clerk needs a shop.")
		}
	case RoleFacility:
		*m, *shop = nil, nil
		if *f == nil {
			errs.Add(CodeRequired, "input.facilityId", "Facility staff need a facility.")
		}
	default:
		errs.Add(CodeInvalidInput, "input.role", "Choose a staff role: ADMIN, MANAGER, CLERK or FACILITY.")
	}
}

func (in InviteStaffInput) Unkeyed() (string, any) { return unkeyed(&in, &in.IdempotencyKey) }

var _ Keyed = (*InviteStaffInput)(nil)

// CanAppoint returns nil when u may give, change or take away a staff account of
// role in municipality m (a clerk's is their shop's, facility staff's their
// facility's): an admin anyone; a manager only clerks of their own municipality's
// shops and staff of its facilities, never a manager or an admin. UNAUTHENTICATED
// without a user, FORBIDDEN otherwise.
func CanAppoint(u *User, role Role, m *MunicipalityID) error {
	if u == nil {
		return ErrUnauthenticated
	}
	if u.IsAdmin() || ((role == RoleClerk || role == RoleFacility) && m != nil && u.ManagesMunicipality(*m)) {
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
	FacilityID     *FacilityID
	ExpiresAt      time.Time
	AcceptedAt     *time.Time
}

// AcceptInvitationInput takes up an invitation: its link's token, and the new
// account's name (with its reading in kana, optional) and password.
type AcceptInvitationInput struct {
	Token       string
	Name        string
	NameReading *string
	Password    string
}
