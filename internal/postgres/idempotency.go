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
	hash, err := requestHash(operation, request)
	if err != nil {
		return 0, false, err
	}
	var taken bool
	err = tx.GetContext(ctx, &taken, `
		INSERT INTO idempotency_keys (scope, key, operation, request_hash) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING RETURNING true`, scope, key, operation, hash)
	if errors.Is(err, sql.ErrNoRows) {
		var prev struct {
			Operation   string
			RequestHash []byte
			ResultID    *int64
		}
		err := tx.GetContext(ctx, &prev, `
			SELECT operation, request_hash, result_id FROM idempotency_keys WHERE scope = $1 AND key = $2`, scope, key)
		if err != nil {
			return 0, false, err
		}
		if prev.Operation != operation || string(prev.RequestHash) != string(hash) || prev.ResultID == nil {
			return 0, false, tsunagu.Errorf(tsunagu.CodeIdempotencyConflict, "input.idempotencyKey",
				"This idempotency key was used before for a different request; use a new key for a new operation.")
		}
		return *prev.ResultID, true, nil
	}
	if err != nil {
		return 0, false, err
	}
	k := &idemKey{Scope: scope, Key: key}
	if id, err = work(k); err != nil || k.Stored {
		return id, false, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE idempotency_keys SET result_id = $3 WHERE scope = $1 AND key = $2`, scope, key, id)
	return id, false, err
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
