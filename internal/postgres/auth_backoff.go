package postgres

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"time"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// loginBackoffSQL is how long after its last failure a login_failures row f makes
// the next attempt wait: tsunagu.LoginBackoff, applied from its schedule ($2).
const loginBackoffSQL = `make_interval(secs => ($2::bigint[])[least(f.failures, cardinality($2::bigint[]))])`

// claimLoginAttempt counts a sign-in to email from the request's network address
// as failed before its password is checked, or refuses it with
// TOO_MANY_LOGIN_ATTEMPTS when it comes before the back-off of the failures so far
// ended. Counting first, in one statement, means concurrent guesses cannot all slip
// in before the count goes up; a sign-in that succeeds clears the count
// (loginSucceeded).
func (s *AuthService) claimLoginAttempt(ctx context.Context, email string) error {
	addr := tsunagu.ClientAddrFrom(ctx)
	schedule := pq.Array(tsunagu.LoginBackoffSchedule())
	var failures int
	err := s.db.q().GetContext(ctx, &failures, `
		INSERT INTO login_failures AS f (email, client_addr, failures, last_failed_at) VALUES ($1, $3, 1, now())
		ON CONFLICT (email, client_addr) DO UPDATE SET failures = f.failures + 1, last_failed_at = now()
		WHERE f.last_failed_at + `+loginBackoffSQL+` <= now()
		RETURNING failures`, email, schedule, addr)
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var wait float64
	err = s.db.q().GetContext(ctx, &wait, `
		SELECT extract(epoch FROM f.last_failed_at + `+loginBackoffSQL+` - now())
		FROM login_failures f WHERE f.email = $1 AND f.client_addr = $3`, email, schedule, addr)
	if err != nil {
		return err
	}
	s.db.log.WarnContext(ctx, "sign-in refused: too many failures in a row", "email", email, "client", addr)
	return tsunagu.Errorf(tsunagu.CodeTooManyLoginAttempts, "input.password",
		"Too many failed sign-ins in a row; try again in %d seconds.", max(1, int(math.Ceil(wait))))
}

// loginFailed logs a failed sign-in (claimLoginAttempt counted it already), dates
// the failure now, when the password check ended (so the time the check took does
// not count towards the wait), and returns INVALID_CREDENTIALS.
func (s *AuthService) loginFailed(ctx context.Context, email string) error {
	addr := tsunagu.ClientAddrFrom(ctx)
	s.db.log.WarnContext(ctx, "sign-in failed", "email", email, "client", addr)
	_, err := s.db.q().ExecContext(ctx, `UPDATE login_failures SET last_failed_at = now() WHERE email = $1 AND client_addr = $2`,
		email, addr)
	if err != nil {
		return err
	}
	return errInvalidCredentials
}

// loginSucceeded clears the failures counted for email from the request's address.
func (s *AuthService) loginSucceeded(ctx context.Context, email string) error {
	_, err := s.db.q().ExecContext(ctx, `DELETE FROM login_failures WHERE email = $1 AND client_addr = $2`,
		email, tsunagu.ClientAddrFrom(ctx))
	return err
}

// ForgetLoginFailures deletes the runs of failed sign-ins whose last failure is
// more than tsunagu.LoginFailureMemory ago, and returns how many. The server runs
// it every hour; a run forgotten starts again from FreeLoginFailures.
func (s *AuthService) ForgetLoginFailures(ctx context.Context) (_ int64, err error) {
	defer wrap(&err, "AuthService.ForgetLoginFailures")
	res, err := s.db.q().ExecContext(ctx, `DELETE FROM login_failures WHERE last_failed_at < now() - $1 * interval '1 second'`,
		int64(tsunagu.LoginFailureMemory/time.Second))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
