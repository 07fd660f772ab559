package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"

	"tsunagu/internal/tsunagu"
)

// idempotent runs work at most once per (user, key). The key is taken first, in the
// transaction tx, so a concurrent retry with the same key waits for the first attempt:
// if that commits, the retry finds the key; if it rolls back, the key is gone and the
// retry does the work itself. work returns the ID of what it made, stored with the key.
//
// A key used before for the same operation and request returns its stored ID with
// replay true, and work does not run. A key used before for anything else gives
// IDEMPOTENCY_CONFLICT.
func idempotent(ctx context.Context, tx queryer, operation, key string, request any, work func() (int64, error)) (id int64, replay bool, err error) {
	return idempotentKey(ctx, tx, operation, key, request, func(*idemKey) (int64, error) { return work() })
}

// idemKey is the key a unit of work runs under. Work may store its result with the
// key in its own last statement and set Stored, which saves idempotent's round trip.
type idemKey struct {
	Scope, Key string
	Operation  string
	Hash       []byte // of the request
	Stored     bool
}

// idempotentKey is idempotent for work that may store its own result (see idemKey).
func idempotentKey(ctx context.Context, tx queryer, operation, key string, request any, work func(k *idemKey) (int64, error)) (id int64, replay bool, err error) {
	u := tsunagu.UserFrom(ctx)
	if u == nil {
		return 0, false, tsunagu.ErrUnauthenticated
	}
	return idempotentIn(ctx, tx, userScope(u), operation, key, request, work)
}

// userScope is the idempotency scope of u's keys.
func userScope(u *tsunagu.User) string { return "u" + strconv.FormatInt(int64(u.ID), 10) }

// idempotentIn is idempotent with keys in scope, for operations open to anonymous
// users (a guest's checkout), whose keys share one scope: the request hash still
// keeps one guest's key from returning another's different request.
func idempotentIn(ctx context.Context, tx queryer, scope, operation, key string, request any, work func(k *idemKey) (int64, error)) (id int64, replay bool, err error) {
	k, err := newIdemKey(scope, operation, key, request)
	if err != nil {
		return 0, false, err
	}
	var taken bool
	err = tx.GetContext(ctx, &taken, `
		INSERT INTO idempotency_keys (scope, key, operation, request_hash) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING RETURNING true`, k.Scope, k.Key, k.Operation, k.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		id, err := replayKey(ctx, tx, k)
		return id, err == nil, err
	}
	if err != nil {
		return 0, false, err
	}
	id, err = storeResult(ctx, tx, k, work)
	return id, false, err
}

// idempotentClaimed is idempotentKey for work whose first statement takes the key
// itself, with claimKeySQL, saving the statement that takes it first: work returns
// errKeyTaken (having changed nothing) when the key was there already, and the
// first use's result is returned then.
func idempotentClaimed(ctx context.Context, tx queryer, operation, key string, request any, work func(k *idemKey) (int64, error)) (id int64, replay bool, err error) {
	u := tsunagu.UserFrom(ctx)
	if u == nil {
		return 0, false, tsunagu.ErrUnauthenticated
	}
	k, err := newIdemKey(userScope(u), operation, key, request)
	if err != nil {
		return 0, false, err
	}
	id, err = storeResult(ctx, tx, k, work)
	if errors.Is(err, errKeyTaken) {
		id, err = replayKey(ctx, tx, k)
		return id, err == nil, err
	}
	return id, false, err
}

// errKeyTaken is what work given to idempotentClaimed returns when its claim of
// the key found it taken.
var errKeyTaken = errors.New("idempotency key taken")

// claimKeySQL is two CTEs that take k as a statement runs; the second,
// claimed(taken), says whether this statement took the key (false: it was there).
// Like the separate INSERT of idempotentIn, the claim waits for a concurrent first
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
	return &idemKey{Scope: scope, Key: key, Operation: operation, Hash: hash}, nil
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

// storeResult runs work under k and stores its result with the key, unless work
// stored it itself.
func storeResult(ctx context.Context, tx queryer, k *idemKey, work func(k *idemKey) (int64, error)) (int64, error) {
	id, err := work(k)
	if err != nil || k.Stored {
		return id, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE idempotency_keys SET result_id = $3 WHERE scope = $1 AND key = $2`, k.Scope, k.Key, id)
	return id, err
}

// requestHash identifies a request: the operation and its input, the key excluded by
// the caller (inputs are hashed with their key field emptied).
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
