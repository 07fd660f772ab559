package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"

	"tsunagu/internal/tsunagu"
)

// runOnce runs one mutation at most once per (user, idempotency key): every
// mutation that takes a key goes through it, as validate, then one call.
//
// In order: the caller must be staff (anyone with guests); in.Validate checks the
// input; prepare, if set, runs; then one transaction takes the key and runs do,
// whose result's ID is stored with the key.
//
// The contract:
//   - A replay (the same key, operation and request: in.Unkeyed without the key)
//     does not run do: it returns replay's result for the ID the first call stored,
//     which is the first result as it is now (reloaded), and changes nothing.
//   - The same key with another operation or request gives IDEMPOTENCY_CONFLICT
//     (input.idempotencyKey) and changes nothing.
//   - The key is taken first in the transaction (with claims, by do's first
//     statement), so a concurrent call with the same key waits for the first: if that commits, the second is a replay (or a
//     conflict); if it rolls back, the key is gone and the second runs do itself.
//     An error of do rolls the key back with everything else: the key stays free.
//   - Keys are per user; a guest's (guests) share one scope, where the request
//     hash still keeps one guest's key from returning another's different request.
//   - With single, the mutation is first tried as one statement outside a
//     transaction (atomic on its own: a round trip for BEGIN and one for COMMIT
//     less). It either makes the whole change with the key, or changes nothing, and
//     then the transaction runs as without it, saying why (a replay, a refusal).
func runOnce[T any](ctx context.Context, db *DB, operation string, in tsunagu.Keyed, m once[T]) (out T, err error) {
	u := tsunagu.UserFrom(ctx)
	if !m.guests {
		if u, err = tsunagu.RequireStaff(ctx); err != nil {
			return out, err
		}
	}
	if err := in.Validate(); err != nil {
		return out, err
	}
	if m.prepare != nil {
		if err := m.prepare(u); err != nil {
			return out, err
		}
	}
	key, request := in.Unkeyed()
	k, err := newIdemKey(keyScope(u), operation, key, request)
	if err != nil {
		return out, err
	}
	if m.single != nil {
		res, done, err := m.single(db.q(), u, k)
		if done {
			return res, nil
		}
		// An error (a statement broken off, a lost connection: whether it
		// committed is then unknown) leaves the answer to the transaction, which
		// finds the key taken if it did. Only the request's own end stops here.
		if err != nil && ctx.Err() != nil {
			return out, err
		}
		db.noteDeadlock(ctx, err, 1)
	}
	err = db.transact(ctx, func(tx queryer) error {
		k.Stored = false // transact may retry
		replay := func() (err error) {
			id, err := replayKey(ctx, tx, k)
			if err != nil {
				return err
			}
			out, err = m.replay(tx, id)
			return err
		}
		if !m.claims {
			var taken bool
			err := tx.GetContext(ctx, &taken, `
				INSERT INTO idempotency_keys (scope, key, operation, request_hash) VALUES ($1, $2, $3, $4)
				ON CONFLICT DO NOTHING RETURNING true`, k.Scope, k.Key, k.Operation, k.Hash)
			if errors.Is(err, sql.ErrNoRows) {
				return replay()
			}
			if err != nil {
				return err
			}
		}
		res, err := m.do(tx, u, k)
		if m.claims && errors.Is(err, errKeyTaken) {
			return replay()
		}
		if err != nil {
			return err
		}
		if !k.Stored {
			_, err = tx.ExecContext(ctx, `UPDATE idempotency_keys SET result_id = $3 WHERE scope = $1 AND key = $2`, k.Scope, k.Key, m.id(res))
			if err != nil {
				return err
			}
		}
		out = res
		return nil
	})
	return out, err
}

// once is what runOnce runs.
type once[T any] struct {
	// do makes the change in tx for u under the key k and returns its result. It
	// may store the result's ID with the key itself, in its last statement, and
	// set k.Stored: a round trip less.
	do func(tx queryer, u *tsunagu.User, k *idemKey) (T, error)
	// id is the ID of a result, stored with the key.
	id func(T) int64
	// replay returns the result of the first call from the ID it stored.
	replay func(tx queryer, id int64) (T, error)
	// prepare, if set, runs before the transaction, after the checks: work on the
	// input that may fail, or a call to Stripe, which no transaction may wait for.
	prepare func(u *tsunagu.User) error
	// guests lets anonymous users run the mutation (a guest's checkout).
	guests bool
	// single, if set, makes the whole change with the key k in one statement on q
	// and reports done; or, when anything would refuse it or the key was taken,
	// changes nothing and reports not done (it need not say why: do then runs).
	// It must never make a change do would refuse.
	single func(q queryer, u *tsunagu.User, k *idemKey) (res T, done bool, err error)
	// claims says that do's first statement takes the key itself (claimKeySQL), a
	// statement less, and that do returns errKeyTaken, having changed nothing,
	// when the key was there already.
	claims bool
}

// idemKey is the key a mutation runs under.
type idemKey struct {
	Scope     string
	Key       string // as stored: storedKey of the client's key
	Operation string
	Hash      []byte // of the request
	Stored    bool   // the mutation stored its result with the key itself
}

// guestScope is the one scope of anonymous users' keys.
const guestScope = "guest"

// keyScope is the idempotency scope of the keys of u, or of guests when u is nil.
func keyScope(u *tsunagu.User) string {
	if u == nil {
		return guestScope
	}
	return userScope(u)
}

// userScope is the idempotency scope of u's keys.
func userScope(u *tsunagu.User) string { return "u" + strconv.FormatInt(int64(u.ID), 10) }

// getSingle runs a single's statement (see once), which returns the result's row
// when it made the change and no row when it did not.
func getSingle[T any](ctx context.Context, q queryer, query string, a args) (*T, bool, error) {
	var out T
	err := q.GetContext(ctx, &out, query, a...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return &out, true, nil
}

// errKeyTaken is what a claiming mutation's do returns when its claim of the key
// found it taken.
var errKeyTaken = errors.New("idempotency key taken")

// claimKeySQL is two CTEs that take k as a statement runs; the second,
// claimed(taken), says whether this statement took the key (false: it was there).
// Like runOnce's own INSERT, the claim waits for a concurrent first
// use of the key to commit or roll back.
func claimKeySQL(k *idemKey, a *args) string {
	return `claim AS (
		INSERT INTO idempotency_keys (scope, key, operation, request_hash)
		VALUES (` + a.add(k.Scope) + `, ` + a.add(k.Key) + `, ` + a.add(k.Operation) + `, ` + a.add(k.Hash) + `)
		ON CONFLICT DO NOTHING RETURNING true
	), claimed AS (SELECT EXISTS (SELECT FROM claim) AS taken)`
}

func newIdemKey(scope, operation, key string, request any) (*idemKey, error) {
	hash, err := requestHash(operation, request)
	if err != nil {
		return nil, err
	}
	return &idemKey{Scope: scope, Key: storedKey(key), Operation: operation, Hash: hash}, nil
}

// storedKey is what is stored of a client's idempotency key, and what a stored key
// is looked up by: its SHA-256 in hex. A guest's checkout key re-derives the
// order's token (see orderToken), so the database must not hold it.
func storedKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

// replayKey returns the result of k's first use, or IDEMPOTENCY_CONFLICT when the
// key was used for another operation or request.
func replayKey(ctx context.Context, tx queryer, k *idemKey) (int64, error) {
	var prev struct {
		Operation   string
		RequestHash []byte
		ResultID    *int64
	}
	err := tx.GetContext(ctx, &prev, `
		SELECT operation, request_hash, result_id FROM idempotency_keys WHERE scope = $1 AND key = $2`, k.Scope, k.Key)
	if err != nil {
		return 0, err
	}
	if prev.Operation != k.Operation || string(prev.RequestHash) != string(k.Hash) || prev.ResultID == nil {
		return 0, tsunagu.Errorf(tsunagu.CodeIdempotencyConflict, "input.idempotencyKey",
			"This idempotency key was used before for a different request; use a new key for a new operation.")
	}
	return *prev.ResultID, nil
}

// requestHash identifies a request: the operation and its input without the key
// (tsunagu.Keyed's Unkeyed).
func requestHash(operation string, request any) ([]byte, error) {
	b, err := json.Marshal(request)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	h.Write([]byte(operation))
	h.Write([]byte{0})
	h.Write(b)
	return h.Sum(nil), nil
}
