package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// A streaming standby (DATABASE_READ_URL) answers reads that tolerate a little lag.
// Only contexts marked by OnReplica or LagTolerant go there, and only statements
// outside a transaction: anything that must see its own writes, and every
// transaction, stays on the primary.

// SetPrepare turns the per-connection prepared-statement cache (stmtCache) on or
// off, for this pool and its replica. Behind PgBouncer in transaction mode (1.18,
// which keeps no prepared statement across transactions) it must be off: a
// statement prepared on one server connection is then unknown on the next.
// Call it before the pool is used.
func (db *DB) SetPrepare(on bool) {
	db.noPrepare = !on
	if db.replica != nil {
		db.replica.noPrepare = !on
	}
}

// SetReplica gives the pool a streaming standby for lag-tolerant reads. Call it
// before the pool is used.
func (db *DB) SetReplica(replica *DB) {
	replica.noPrepare = db.noPrepare
	db.replica = replica
}

// OpenStandby opens the pool of a streaming standby without waiting for it: one
// away at start only sends the reads to the primary until it answers.
func OpenStandby(url string, log *slog.Logger) (*DB, error) { return connect(url, log) }

// Replica returns the standby's pool, or nil.
func (db *DB) Replica() *DB { return db.replica }

type replicaKey struct{}

// LagTolerant marks ctx's reads as tolerating the standby's lag (reports, exports,
// anonymous catalog pages): outside transactions they go to the replica when there
// is one. Nothing a caller has just written may be read under it.
func LagTolerant(ctx context.Context) context.Context {
	return context.WithValue(ctx, replicaKey{}, true)
}

func onReplica(ctx context.Context) bool {
	v, _ := ctx.Value(replicaKey{}).(bool)
	return v
}

// route sends a statement outside a transaction to the replica when ctx allows it.
func (c counted) route(ctx context.Context) counted {
	if c.tx == nil && c.db.replica != nil && onReplica(ctx) {
		return counted{inner: c.db.replica.db, db: c.db.replica}
	}
	return c
}

// OnReplica returns ctx marked LagTolerant if the replica has replayed the
// primary's write-ahead log at least up to lsn, and false (ctx unchanged: read from
// the primary) when it has not, when there is no replica, or when it cannot be
// reached. Every statement then run on the replica sees at least what was
// replayed when this checked, for replay only moves forward: so an answer read
// under the returned context includes every change committed at or below lsn.
func (db *DB) OnReplica(ctx context.Context, lsn uint64) (context.Context, bool) {
	if db.replica == nil {
		return ctx, false
	}
	// A standby that does not answer at once is passed over, not waited for.
	cctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	replayed, err := db.replica.ReplayLSN(cctx)
	if err != nil || replayed < lsn {
		return ctx, false
	}
	return LagTolerant(ctx), true
}

// ReplayLSN returns how far a standby has replayed the primary's write-ahead log.
// It fails on a server that is not a standby (pg_last_wal_replay_lsn is NULL).
func (db *DB) ReplayLSN(ctx context.Context) (uint64, error) {
	var lsn sql.NullString
	countStatement(ctx)
	if err := db.db.QueryRowContext(ctx, `SELECT pg_last_wal_replay_lsn()::text`).Scan(&lsn); err != nil {
		return 0, dbError(err)
	}
	if !lsn.Valid {
		return 0, fmt.Errorf("postgres: the replica is not a standby (pg_last_wal_replay_lsn is NULL)")
	}
	return ParseLSN(lsn.String)
}

// InsertLSN returns the primary's current write-ahead log insert position: every
// transaction committed before the call lies at or below it.
func InsertLSN(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (uint64, error) {
	var lsn string
	if err := q.QueryRowContext(ctx, `SELECT pg_current_wal_insert_lsn()::text`).Scan(&lsn); err != nil {
		return 0, err
	}
	return ParseLSN(lsn)
}

// ParseLSN reads PostgreSQL's text form of a log position, such as "0/3000148".
func ParseLSN(s string) (uint64, error) {
	var hi, lo uint32
	if _, err := fmt.Sscanf(s, "%X/%X", &hi, &lo); err != nil {
		return 0, fmt.Errorf("postgres: log position %q: %w", s, err)
	}
	return uint64(hi)<<32 | uint64(lo), nil
}
