package tsunagu

import (
	"context"
	"time"
)

// Role is what a user may do, and over which scope.
type Role string

const (
	// RoleAdmin runs the whole network.
	RoleAdmin Role = "ADMIN"
	// RoleManager manages one municipality: its facilities, products and locations.
	RoleManager Role = "MANAGER"
	// RoleClerk sells at one shop.
	RoleClerk Role = "CLERK"
	// RoleFacility works for one facility: its own goods, their stock at its own
	// store rooms, their sales and its settlement statements.
	RoleFacility Role = "FACILITY"
	// RoleCustomer is a shopper with an account.
	RoleCustomer Role = "CUSTOMER"
)

// User is an account. MunicipalityID is set for managers, clerks and facility staff
// (a clerk's is the municipality of their shop, facility staff's their facility's);
// ShopID only for clerks, FacilityID only for facility staff.
//
// What a user sees is decided by one predicate per role, here and in the SQL
// conditions of package postgres that mirror them: ManagesMunicipality for
// managers, WorksAt for clerks (and their shop), OfFacility for facility staff.
// MunicipalityID alone never grants anything to a FACILITY user: it is kept so
// that CanAppoint can tell whose manager manages the account.
type User struct {
	ID    UserID
	Email string
	Name  string
	// NameReading is the name's reading in kana (furigana), nil when not given.
	NameReading    *string
	Role           Role
	MunicipalityID *MunicipalityID
	ShopID         *LocationID
	FacilityID     *FacilityID
	// EmailVerified is whether the account's address was shown to be its owner's:
	// staff by their invitation, shoppers by the link VerifyEmail takes.
	EmailVerified bool
	CreatedAt     time.Time
}

// Session is a bearer token handed out by Login. Only its hash is stored.
type Session struct {
	Token     string
	ExpiresAt time.Time
	User      *User
}

// LoginInput is what a person types to sign in.
type LoginInput struct {
	Email    string
	Password string
}

// AuthService signs staff and shoppers in and out, resolves bearer tokens, and
// keeps the accounts: sign-up, invitations, password resets and changes. Errors are
// *Error values with the codes below; any other error is internal.
type AuthService interface {
	// Login checks the email and password and returns a new session. Anyone may
	// call it. Returns INVALID_EMAIL (input.email) for what is not an address, and
	// INVALID_CREDENTIALS, with one message, for a wrong email or password alike,
	// a disabled account and a shopper's account whose address is not confirmed
	// yet (VerifyEmail signs it in), so that sign-in does not tell which accounts
	// exist. Failed sign-ins slow down per address and network address
	// (LoginBackoff): an attempt made too soon gives TOO_MANY_LOGIN_ATTEMPTS
	// (input.password), its password not checked.
	Login(ctx context.Context, in LoginInput) (*Session, error)
	// Logout revokes the token the request was authenticated with. It returns
	// UNAUTHENTICATED when the request carries no valid token.
	Logout(ctx context.Context) error
	// Authenticate returns the user a token belongs to, for the HTTP layer with each
	// request's bearer token. Returns UNAUTHENTICATED when the token is unknown,
	// expired or revoked, or its user is disabled.
	Authenticate(ctx context.Context, token string) (*User, error)
	// SignUp asks for a shopper's account (CUSTOMER), by anyone, and e-mails the
	// address, in in.Locale: a link that confirms it (VerifyEmail, which signs the
	// account in) when no account has the address, or a note that one has (sign in,
	// or reset the password) when one has. It answers the same, nil, either way and
	// takes as long, so that it does not tell which addresses have accounts; an
	// account waiting for its link is asked for again (the new password replaces the
	// old, and older links stop working). Returns validation errors (input.email,
	// input.password, input.name) and then changes nothing. An address is sent at
	// most verificationsPerHour messages an hour; later sign-ups are answered alike
	// and send nothing.
	SignUp(ctx context.Context, in SignUpInput) error
	// RequestPasswordReset, by anyone, e-mails a one-time link to set a new password
	// (valid for PasswordResetTTL) to the account of in.Email, in in.Locale. It
	// returns the same, nil, whether or not an active account has the address, so
	// that it does not tell which addresses have accounts; INVALID_EMAIL
	// (input.email) for what is not an address.
	RequestPasswordReset(ctx context.Context, in RequestPasswordResetInput) error
	// ResetPassword, by anyone holding a reset link, sets the password of the
	// account the link was sent to and uses up the link, every other reset link of
	// the account, and every bearer token of it (sessions elsewhere end). Returns
	// OUT_OF_RANGE (input.password) for a short password and INVALID_TOKEN
	// (input.token) for a link unknown, used, expired or of a disabled account; and
	// then changes nothing.
	ResetPassword(ctx context.Context, in ResetPasswordInput) error
	// InviteStaff writes an invitation and e-mails its one-time link (valid for
	// InvitationTTL). Who may invite whom is CanAppoint's rule. Returns validation
	// errors, FORBIDDEN, NOT_FOUND (input.shopId) for an unknown shop, DUPLICATE
	// (input.email) for an address that has an account; and then changes nothing. It
	// takes an idempotency key: a retry returns the first invitation.
	InviteStaff(ctx context.Context, in InviteStaffInput) (*Invitation, error)
	// AcceptInvitation, by anyone holding an invitation's link, creates the invited
	// account with in's name and password and signs it in. Returns REQUIRED
	// (input.name), OUT_OF_RANGE (input.password), INVALID_TOKEN (input.token) for a
	// link unknown, accepted already or expired, DUPLICATE (input.email) when the
	// address got an account meanwhile; and then changes nothing.
	AcceptInvitation(ctx context.Context, in AcceptInvitationInput) (*Session, error)
	// DeactivateStaff disables a staff account and revokes every bearer token of it
	// at once: its sessions end and it cannot sign in. Who may deactivate whom is
	// CanAppoint's rule on the account's role and municipality; nobody deactivates
	// their own account (FORBIDDEN). Returns NOT_FOUND (input.userId) for an unknown
	// user or a shopper's account, FORBIDDEN; and then changes nothing. An account
	// deactivated already stays so (its tokens revoked again).
	DeactivateStaff(ctx context.Context, in DeactivateStaffInput) (*User, error)
	// UpdateStaff gives a staff account another role or scope. Who may is
	// CanAppoint's rule, for the account as it is and as it becomes; nobody changes
	// their own account (FORBIDDEN). A change revokes every bearer token of the
	// account: what its sessions were allowed to see has changed, so it signs in
	// again. Returns validation errors (NormalizeScope's), NOT_FOUND (input.userId)
	// for an unknown user or a shopper's account, NOT_FOUND (input.shopId,
	// input.facilityId) for an unknown scope, FORBIDDEN; and then changes nothing.
	// The same role and scope again changes nothing.
	UpdateStaff(ctx context.Context, in UpdateStaffInput) (*User, error)
	// ChangePassword sets the signed-in user's own password. Every other session of
	// the account ends (its other bearer tokens are revoked, its reset links used
	// up); the one it was asked from stays signed in. Returns UNAUTHENTICATED,
	// INVALID_CREDENTIALS (input.currentPassword) for a wrong current password,
	// TOO_MANY_LOGIN_ATTEMPTS (input.currentPassword) after too many wrong ones in a
	// row (sign-in's back-off, which guesses here count towards), and
	// CheckPassword's errors on input.newPassword; and then changes nothing. A retry
	// after the change went through (the new password is the password already)
	// succeeds and changes nothing.
	ChangePassword(ctx context.Context, in ChangePasswordInput) error
	// RequestEmailVerification e-mails the signed-in shopper a one-time link (valid
	// for EmailVerificationTTL) that verifies their address, in in.Locale; SignUp
	// sends the first. Returns UNAUTHENTICATED, FORBIDDEN for staff, INVALID_STATE
	// when the address is verified already; at most verificationsPerHour links an
	// hour are sent, later requests are answered alike and send nothing.
	RequestEmailVerification(ctx context.Context, in RequestEmailVerificationInput) error
	// VerifyEmail, by anyone holding a verification link, takes it with the
	// account's password and signs the account in: its address is verified, and the
	// guest orders placed with it join the account (its order history). The password
	// as well as the link, so that whoever asked for an account with somebody else's
	// address cannot have its owner confirm it for them. Returns INVALID_TOKEN
	// (input.token) for a link unknown, used, expired, replaced by a later sign-up,
	// of a disabled account or of an address the account no longer has;
	// INVALID_CREDENTIALS (input.password) for a wrong password, under sign-in's
	// back-off (TOO_MANY_LOGIN_ATTEMPTS); and then changes nothing (the link still
	// works).
	VerifyEmail(ctx context.Context, in VerifyEmailInput) (*Session, error)
	// UsersByID returns the users among ids that the signed-in user may see:
	// themselves; staff see the other staff of the network (who approved, shipped,
	// sold); admins see everyone. Anyone may call it (an anonymous request sees
	// none); the rest are absent, and it returns no error of its own.
	UsersByID(ctx context.Context, ids []UserID) (map[UserID]*User, error)
}

// UpdateStaffInput is a staff account's new role and scope (see InviteStaffInput).
type UpdateStaffInput struct {
	UserID         UserID
	Role           Role
	MunicipalityID *MunicipalityID
	ShopID         *LocationID
	FacilityID     *FacilityID
}

// Validate checks the role and scope (NormalizeScope).
func (in *UpdateStaffInput) Validate() error {
	var errs ValidationErrors
	NormalizeScope(&errs, in.Role, &in.MunicipalityID, &in.ShopID, &in.FacilityID)
	return errs.Err()
}

// ChangePasswordInput is the signed-in user's password and the one to take its place.
type ChangePasswordInput struct {
	CurrentPassword string
	NewPassword     string
}

// EmailVerificationTTL is how long an e-mail verification link works.
const EmailVerificationTTL = 24 * time.Hour

// RequestEmailVerificationInput asks for another verification link.
type RequestEmailVerificationInput struct {
	// Locale is the language of the e-mail; Japanese when empty.
	Locale Locale
}

// VerifyEmailInput is a verification link's token and the password the account
// was asked for with.
type VerifyEmailInput struct {
	Token    string
	Password string
}

// ErrEmailNotVerified refuses a shopper's order history until the address is verified.
var ErrEmailNotVerified = &Error{Code: CodeEmailNotVerified,
	Message: "Please confirm your e-mail address first: open the link we sent to it."}

// DeactivateStaffInput names the staff account to deactivate.
type DeactivateStaffInput struct {
	UserID UserID
}

// PasswordResetTTL is how long a password reset link works.
const PasswordResetTTL = time.Hour

// RequestPasswordResetInput asks for a password reset link by e-mail.
type RequestPasswordResetInput struct {
	Email string
	// Locale is the language of the e-mail; Japanese when empty.
	Locale Locale
}

// ResetPasswordInput is a reset link's token and the new password.
type ResetPasswordInput struct {
	Token    string
	Password string
}

type ctxKey int

const (
	userKey ctxKey = iota
	tokenKey
	clientAddrKey
)

// WithUser returns a context that acts as user, authenticated with token.
func WithUser(ctx context.Context, u *User, token string) context.Context {
	ctx = context.WithValue(ctx, userKey, u)
	return context.WithValue(ctx, tokenKey, token)
}

// UserFrom returns the user ctx acts as, or nil for an anonymous request.
func UserFrom(ctx context.Context) *User {
	u, _ := ctx.Value(userKey).(*User)
	return u
}

// WithClientAddr returns ctx for a request from the network address addr (the
// client's IP address as the server sees it).
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddrKey, addr)
}

// ClientAddrFrom returns the network address of the request ctx serves, or "" when
// there is none (a job, a test calling a service directly).
func ClientAddrFrom(ctx context.Context) string {
	a, _ := ctx.Value(clientAddrKey).(string)
	return a
}

// TokenFrom returns the bearer token the request was authenticated with.
func TokenFrom(ctx context.Context) string {
	t, _ := ctx.Value(tokenKey).(string)
	return t
}

// RequireStaff returns the signed-in staff user (admin, manager, clerk or facility), or
// UNAUTHENTICATED for an anonymous request and FORBIDDEN for a customer.
func RequireStaff(ctx context.Context) (*User, error) {
	u := UserFrom(ctx)
	if u == nil {
		return nil, ErrUnauthenticated
	}
	if u.Role == RoleCustomer {
		return nil, ErrForbidden
	}
	return u, nil
}

// ErrUnauthenticated and ErrForbidden are the errors of the authorization checks.
var (
	ErrUnauthenticated = &Error{Code: CodeUnauthenticated, Message: "Please sign in first."}
	ErrForbidden       = &Error{Code: CodeForbidden, Message: "You are not allowed to do this."}
)

// IsAdmin reports whether u runs the whole network.
func (u *User) IsAdmin() bool { return u != nil && u.Role == RoleAdmin }

// ManagesMunicipality reports whether u may change municipality m's catalog: an admin,
// or a manager of m.
func (u *User) ManagesMunicipality(m MunicipalityID) bool {
	if u == nil {
		return false
	}
	switch u.Role {
	case RoleAdmin:
		return true
	case RoleManager:
		return u.MunicipalityID != nil && *u.MunicipalityID == m
	}
	return false
}

// CanManageMunicipality returns nil when u may change municipality m's data,
// UNAUTHENTICATED when there is no user and FORBIDDEN otherwise.
func CanManageMunicipality(u *User, m MunicipalityID) error {
	if u == nil {
		return ErrUnauthenticated
	}
	if !u.ManagesMunicipality(m) {
		return ErrForbidden
	}
	return nil
}

// OfFacility reports whether u is the staff of facility f (role FACILITY): the one
// predicate of that role. Facility staff see and edit f's products, the stock at
// f's own locations (kind FACILITY), and read f's sales and statements; nothing
// else of the network.
func (u *User) OfFacility(f FacilityID) bool {
	return u != nil && u.Role == RoleFacility && u.FacilityID != nil && *u.FacilityID == f
}

// EditsGoodsOf reports whether u may list and change the products of facility f
// in municipality m: an admin, a manager of m, or f's own staff.
func (u *User) EditsGoodsOf(f FacilityID, m MunicipalityID) bool {
	return u.ManagesMunicipality(m) || u.OfFacility(f)
}

// CanEditGoodsOf returns nil when u may change facility f's products (EditsGoodsOf),
// UNAUTHENTICATED when there is no user and FORBIDDEN otherwise.
func CanEditGoodsOf(u *User, f FacilityID, m MunicipalityID) error {
	if u == nil {
		return ErrUnauthenticated
	}
	if !u.EditsGoodsOf(f, m) {
		return ErrForbidden
	}
	return nil
}

// WorksAt reports whether u may handle stock and sales at location l: an admin, a
// manager of l's municipality, a clerk of l itself, or the staff of the facility
// whose own location (kind FACILITY) l is.
func (u *User) WorksAt(l *Location) bool {
	if u == nil || l == nil {
		return false
	}
	switch u.Role {
	case RoleClerk:
		return u.ShopID != nil && *u.ShopID == l.ID
	case RoleFacility:
		return l.Kind == LocationFacility && l.FacilityID != nil && u.OfFacility(*l.FacilityID)
	}
	return u.ManagesMunicipality(l.MunicipalityID)
}

// CanWorkAt returns nil when u may handle stock at l, UNAUTHENTICATED when there is
// no user and FORBIDDEN otherwise.
func CanWorkAt(u *User, l *Location) error {
	if u == nil {
		return ErrUnauthenticated
	}
	if !u.WorksAt(l) {
		return ErrForbidden
	}
	return nil
}

// SeesStockAt reports whether u may see the stock records at location l (levels,
// movements, their changes as they happen): staff of l's municipality
// (SeesMunicipality), and those who work at l (WorksAt: facility staff at their
// facility's own locations).
func (u *User) SeesStockAt(l *Location) bool {
	return u.SeesMunicipality(l.MunicipalityID) || u.WorksAt(l)
}

// SeesPlansAt reports whether u may see the stock plans (incoming goods, reorder
// points) at a location of municipality m that is facility f's own (f nil for a
// shop or warehouse): the staff of m (SeesMunicipality), and f's own staff
// (OfFacility). For a location l it is SeesStockAt(l), from the two columns a
// stock level carries.
func (u *User) SeesPlansAt(m MunicipalityID, f *FacilityID) bool {
	return u.SeesMunicipality(m) || (f != nil && u.OfFacility(*f))
}

// SeesMunicipality reports whether u may see m's internal records (stock movements,
// transfers): an admin, or a manager or clerk of m. Facility staff see only their
// own facility's (OfFacility), never a whole municipality's.
func (u *User) SeesMunicipality(m MunicipalityID) bool {
	if u == nil {
		return false
	}
	switch u.Role {
	case RoleAdmin:
		return true
	case RoleManager, RoleClerk:
		return u.MunicipalityID != nil && *u.MunicipalityID == m
	}
	return false
}

// Failed sign-ins slow down, per account and network address: the first
// FreeLoginFailures in a row are free; after each one more, the next attempt waits
// LoginBackoff(failures), doubling from a second up to MaxLoginBackoff, and is
// refused with TOO_MANY_LOGIN_ATTEMPTS (its password not even checked) until then.
// A sign-in that succeeds starts the count again. Counting per address too means an
// attacker who knows a victim's address slows only their own attempts: the victim,
// signing in from elsewhere, is never locked out.
const (
	FreeLoginFailures = 5
	MaxLoginBackoff   = 15 * time.Minute
	// LoginFailureMemory is how long a run of failures is remembered after its
	// last failure: long past MaxLoginBackoff, so that no back-off is cut short,
	// and short enough that the table holds about a day's failed sign-ins, not
	// every address ever guessed at.
	LoginFailureMemory = 24 * time.Hour
)

// LoginBackoff is how long after the last of failures failed sign-ins in a row the
// next attempt must wait.
func LoginBackoff(failures int) time.Duration {
	if failures < FreeLoginFailures {
		return 0
	}
	n := failures - FreeLoginFailures
	if n >= 10 { // 2^10 s is beyond the cap already
		return MaxLoginBackoff
	}
	return min(time.Second<<n, MaxLoginBackoff)
}

// LoginBackoffSchedule is LoginBackoff for 1, 2, … failures until it reaches
// MaxLoginBackoff, in whole seconds: the table the database applies the rule with.
func LoginBackoffSchedule() []int64 {
	var s []int64
	for f := 1; ; f++ {
		d := LoginBackoff(f)
		s = append(s, int64(d/time.Second))
		if d >= MaxLoginBackoff {
			return s
		}
	}
}

// SignUpInput creates a shopper's account.
type SignUpInput struct {
	Email    string
	Password string
	Name     string
	// Locale is the language of the e-mail that verifies the address; Japanese
	// when empty.
	Locale Locale
}
