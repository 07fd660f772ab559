package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"runtime"
	"strings"
	"time"

	"github.com/alexedwards/argon2id"

	"tsunagu/internal/tsunagu"
)

// AuthService implements tsunagu.AuthService with argon2id password hashes and
// random bearer tokens stored as SHA-256 hashes.
type AuthService struct {
	db *DB
	// Tokens, when set, keeps verified tokens in memory. It must be fed by the
	// same Listen as the real-time events (EventsReceiver), whose handling
	// authenticates open sockets again: on one connection, the cache has dropped
	// a user's tokens before the sockets hear of the user.
	Tokens *TokenCache
	// TokenTTL is how long a token lives: a working day at the counter and some.
	TokenTTL time.Duration
	// PasswordParams are the argon2id parameters of new password hashes.
	PasswordParams *argon2id.Params
}

var _ tsunagu.AuthService = (*AuthService)(nil)

// NewAuthService returns the accounts on db.
func NewAuthService(db *DB) *AuthService {
	return &AuthService{db: db, TokenTTL: 12 * time.Hour, PasswordParams: argon2id.DefaultParams}
}

// dummyHash is compared against when an email is unknown, so that a wrong email
// takes as long as a wrong password and does not reveal which accounts exist.
var dummyHash, _ = argon2id.CreateHash("not a password", argon2id.DefaultParams)

// hashSlots bounds how many argon2id hashes run at once: each takes 64 MiB and a
// core for tens of milliseconds, so a burst of logins or sign-ups (anonymous, and
// hashing whether or not the address has an account) must queue rather than
// exhaust the machine's memory.
var hashSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// inHashSlot runs hash in a hash slot; it gives up with ctx's error when the
// request ends while it waits for one.
func inHashSlot[T any](ctx context.Context, hash func() (T, error)) (T, error) {
	select {
	case hashSlots <- struct{}{}:
		defer func() { <-hashSlots }()
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
	return hash()
}

// comparePassword is argon2id.ComparePasswordAndHash in a hash slot.
func comparePassword(ctx context.Context, password, hash string) (bool, error) {
	return inHashSlot(ctx, func() (bool, error) { return argon2id.ComparePasswordAndHash(password, hash) })
}

// hashPassword is the argon2id hash of a new password, made in a hash slot.
func (s *AuthService) hashPassword(ctx context.Context, password string) (string, error) {
	return inHashSlot(ctx, func() (string, error) { return argon2id.CreateHash(password, s.PasswordParams) })
}

var errInvalidCredentials = tsunagu.Errorf(tsunagu.CodeInvalidCredentials, "input.password",
	"The email address or the password is wrong, or the address is not confirmed yet: a new account signs in with the link we e-mailed to it.")

const userColumns = `u.id, u.email, u.name, u.name_reading, u.role, u.municipality_id, u.shop_id, u.facility_id,
	u.email_verified_at IS NOT NULL AS email_verified, u.created_at`

// Login implements tsunagu.AuthService. Failed sign-ins slow down per address and
// network address (claimLoginAttempt, tsunagu.LoginBackoff): an attempt made too
// soon is refused before its password is checked, the same whether or not the
// account exists.
func (s *AuthService) Login(ctx context.Context, in tsunagu.LoginInput) (_ *tsunagu.Session, err error) {
	defer wrap(&err, "AuthService.Login")
	// The address is read as accounts are made (full-width letters from a Japanese
	// keyboard, any case), so that it finds the account it names.
	email, err := tsunagu.ParseEmail(in.Email, "input.email")
	if err != nil {
		return nil, err
	}
	acct, err := s.checkCredentials(ctx, strings.ToLower(email), in.Password)
	if err != nil {
		return nil, err
	}
	if acct.Role == tsunagu.RoleCustomer && !acct.EmailVerified {
		// The same answer as a wrong password: a sign-up of an address with no
		// account must not be told from one of an address with one by signing in.
		return nil, s.loginFailed(ctx, acct.Email)
	}
	if err := s.loginSucceeded(ctx, acct.Email); err != nil {
		return nil, err
	}
	return s.startSession(ctx, s.db.q(), &acct.User)
}

// account is a user as credentials are checked against it.
type account struct {
	tsunagu.User
	PasswordHash string
}

// checkCredentials finds the active account of email (lower case) and checks
// password against it, under sign-in's back-off: TOO_MANY_LOGIN_ATTEMPTS before
// the check, INVALID_CREDENTIALS for an unknown address, a disabled account or a
// wrong password, which take as long as each other. The caller clears the count
// (loginSucceeded) once it accepts the account, or fails it (loginFailed).
func (s *AuthService) checkCredentials(ctx context.Context, email, password string) (*account, error) {
	if err := s.claimLoginAttempt(ctx, email); err != nil {
		return nil, err
	}
	var row struct {
		account
		Disabled bool
	}
	err := s.db.q().GetContext(ctx, &row, `
		SELECT `+userColumns+`, u.password_hash, u.disabled_at IS NOT NULL AS disabled
		FROM users u WHERE u.email = $1`, email)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := comparePassword(ctx, password, dummyHash); err != nil {
			return nil, err
		}
		return nil, s.loginFailed(ctx, email)
	}
	if err != nil {
		return nil, err
	}
	ok, err := comparePassword(ctx, password, row.PasswordHash)
	if err != nil {
		return nil, err
	}
	if !ok || row.Disabled {
		return nil, s.loginFailed(ctx, email)
	}
	return &row.account, nil
}

// startSession writes a new bearer token of u on q.
func (s *AuthService) startSession(ctx context.Context, q queryer, u *tsunagu.User) (*tsunagu.Session, error) {
	token, hash := newToken()
	var expires time.Time
	err := q.GetContext(ctx, &expires, `
		INSERT INTO auth_tokens (token_hash, user_id, expires_at)
		VALUES ($1, $2, now() + $3 * interval '1 second')
		RETURNING expires_at`, hash, u.ID, int64(s.TokenTTL/time.Second))
	if err != nil {
		return nil, err
	}
	return &tsunagu.Session{Token: token, ExpiresAt: expires, User: u}, nil
}

// Logout implements tsunagu.AuthService in one statement.
func (s *AuthService) Logout(ctx context.Context) (err error) {
	defer wrap(&err, "AuthService.Logout")
	token := tsunagu.TokenFrom(ctx)
	if token == "" || tsunagu.UserFrom(ctx) == nil {
		return tsunagu.ErrUnauthenticated
	}
	h := sha256.Sum256([]byte(token))
	_, err = s.db.q().ExecContext(ctx, `
		UPDATE auth_tokens SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, h[:])
	s.Tokens.forgetHash(h)
	return err
}

// errTokenRefused is Authenticate's answer to a token it does not accept.
var errTokenRefused = tsunagu.Errorf(tsunagu.CodeUnauthenticated, "", "Your sign-in has expired or is not valid. Please sign in again.")

// Authenticate implements tsunagu.AuthService in one statement, or none when
// s.Tokens keeps the token.
func (s *AuthService) Authenticate(ctx context.Context, token string) (*tsunagu.User, error) {
	h := sha256.Sum256([]byte(token))
	u, expired, miss := s.Tokens.lookup(h)
	if u != nil {
		return u, nil
	}
	if expired {
		return nil, errTokenRefused
	}
	var row struct {
		tsunagu.User
		// TTL is how long the token has left, in seconds by the database's clock.
		TTL float64
	}
	err := s.db.q().GetContext(ctx, &row, `
		SELECT `+userColumns+`, extract(epoch FROM t.expires_at - now())::float8 AS ttl
		FROM auth_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now()
		  AND u.disabled_at IS NULL`, h[:])
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errTokenRefused
	}
	if err != nil {
		return nil, err
	}
	s.Tokens.keep(h, &row.User, time.Duration(row.TTL*float64(time.Second)), miss)
	return &row.User, nil
}

// NewUserInput is a new account.
type NewUserInput struct {
	Email          string
	Name           string
	NameReading    *string
	Password       string
	Role           tsunagu.Role
	MunicipalityID *tsunagu.MunicipalityID
	ShopID         *tsunagu.LocationID
	FacilityID     *tsunagu.FacilityID
}

// checkNewPassword adds to errs what tsunagu.CheckPassword finds wrong with a new
// password for an account of role with email (email "" when not known yet).
func checkNewPassword(errs *tsunagu.ValidationErrors, password, email string, role tsunagu.Role) {
	if err := tsunagu.CheckPassword(password, email, role); err != nil {
		errs.AddError(err)
	}
}

// CreateUser adds a staff account; admins create anyone, managers create clerks of
// their own municipality's shops. A clerk's municipality is their shop's. Returns
// FORBIDDEN, validation errors, DUPLICATE for an email in use, NOT_FOUND for an
// unknown shop or municipality.
func (s *AuthService) CreateUser(ctx context.Context, in NewUserInput) (_ *tsunagu.User, err error) {
	defer wrap(&err, "AuthService.CreateUser")
	actor := tsunagu.UserFrom(ctx)
	var errs tsunagu.ValidationErrors
	email, err := tsunagu.ParseEmail(in.Email, "input.email")
	if err != nil && !errs.AddError(err) {
		return nil, err
	}
	// Sign-in ignores case, so accounts are kept in lower case.
	email = strings.ToLower(email)
	checkNewPassword(&errs, in.Password, in.Email, in.Role)
	tsunagu.NormalizeReading(&errs, &in.NameReading)
	if in.Role == tsunagu.RoleCustomer {
		in.MunicipalityID, in.ShopID, in.FacilityID = nil, nil, nil
	} else {
		tsunagu.NormalizeScope(&errs, in.Role, &in.MunicipalityID, &in.ShopID, &in.FacilityID)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	hash, err := s.hashPassword(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	var out tsunagu.User
	err = s.db.transact(ctx, func(tx queryer) error {
		if err := scopeMunicipality(ctx, tx, &in.MunicipalityID, in.ShopID, in.FacilityID); err != nil {
			return err
		}
		if err := tsunagu.CanAppoint(actor, in.Role, in.MunicipalityID); err != nil {
			return err
		}
		err := tx.GetContext(ctx, &out, `
			INSERT INTO users AS u (email, name, password_hash, role, municipality_id, shop_id, facility_id, email_verified_at, name_reading)
			VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $4 = 'CUSTOMER' THEN NULL ELSE now() END, $8)
			RETURNING `+userColumns, email, strings.TrimSpace(in.Name), hash, in.Role, in.MunicipalityID, in.ShopID, in.FacilityID, in.NameReading)
		if err != nil {
			return err
		}
		return audit(ctx, tx, audited{Action: "createUser", ObjectType: "User", ObjectID: int64(out.ID),
			MunicipalityID: out.MunicipalityID, After: &out})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// scopeMunicipality sets *m to the municipality of a clerk's shop or facility
// staff's facility, the one CanAppoint decides on. Returns NOT_FOUND (input.shopId)
// for a location that is not a shop, NOT_FOUND (input.facilityId) for an unknown
// facility.
func scopeMunicipality(ctx context.Context, tx queryer, m **tsunagu.MunicipalityID, shop *tsunagu.LocationID, facility *tsunagu.FacilityID) error {
	var muni tsunagu.MunicipalityID
	switch {
	case shop != nil:
		err := tx.GetContext(ctx, &muni, `SELECT municipality_id FROM locations WHERE id = $1 AND kind = 'SHOP'`, *shop)
		if err != nil {
			return notFound(err, "input.shopId", "shop")
		}
	case facility != nil:
		err := tx.GetContext(ctx, &muni, `SELECT municipality_id FROM facilities WHERE id = $1`, *facility)
		if err != nil {
			return notFound(err, "input.facilityId", "facility")
		}
	default:
		return nil
	}
	*m = &muni
	return nil
}

// UsersByID implements tsunagu.AuthService in one statement.
func (s *AuthService) UsersByID(ctx context.Context, ids []tsunagu.UserID) (map[tsunagu.UserID]*tsunagu.User, error) {
	actor := tsunagu.UserFrom(ctx)
	if actor == nil {
		return map[tsunagu.UserID]*tsunagu.User{}, nil
	}
	var us []*tsunagu.User
	err := s.db.q().SelectContext(ctx, &us, `
		SELECT `+userColumns+` FROM users u WHERE u.id = ANY($1)
		  AND ($2 OR u.id = $3 OR ($4 AND u.role <> 'CUSTOMER'))`,
		int64s(ids), actor.IsAdmin(), actor.ID, actor.Role != tsunagu.RoleCustomer)
	if err != nil {
		return nil, err
	}
	return byID(us, func(u *tsunagu.User) tsunagu.UserID { return u.ID }), nil
}

// newToken returns a random bearer token and the hash under which it is stored.
func newToken() (token string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics on a broken system source)
	token = "tsu_" + base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
