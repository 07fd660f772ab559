// Package postgres implements the domain's services on PostgreSQL. Every SQL statement
// of the project lives here. An exported service method is one transaction (or one
// statement); unexported helpers take the transaction they run in.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	neturl "net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/jmoiron/sqlx"
	"github.com/jmoiron/sqlx/reflectx"
	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// DB is the connection pool every service shares.
type DB struct {
	db    *sqlx.DB
	log   *slog.Logger
	stmts stmtCache
	// deadlocks counts the transactions PostgreSQL broke out of a deadlock (and
	// transact retried): with rows always locked in one order there are none.
	deadlocks atomic.Int64
	// noPrepare turns stmtCache off (SetPrepare), for a pooler in transaction mode.
	noPrepare bool
	// replica, when set (SetReplica), runs the statements of contexts marked by
	// OnReplica: a streaming standby.
	replica *DB
}

// Deadlocks returns how many transactions have ended in a deadlock since Open.
func (db *DB) Deadlocks() int64 { return db.deadlocks.Load() }

// Open connects to the database at url and checks that it answers.
func Open(ctx context.Context, url string, log *slog.Logger) (*DB, error) {
	db, err := connect(url, log)
	if err != nil {
		return nil, err
	}
	if err := db.db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return db, nil
}

// connect makes the pool without waiting for the server. Its connections use generic
// plans (genericPlans) unless url is for a pooler in transaction mode
// (ForTransactionPooler), which keeps no prepared statement and refuses the setting.
func connect(url string, log *slog.Logger) (*DB, error) {
	if !forPooler(url) {
		var err error
		if url, err = WithGenericPlans(url); err != nil {
			return nil, err
		}
	}
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		return nil, err
	}
	// A small machine: a handful of connections keeps PostgreSQL's own work cheap;
	// requests beyond that queue in the pool rather than in the server.
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	db.SetConnMaxIdleTime(5 * time.Minute)
	db.Mapper = reflectx.NewMapperFunc("db", snakeCase)
	if log == nil {
		log = slog.Default()
	}
	return &DB{db: db, log: log}, nil
}

// Close closes the pool, and its replica's.
func (db *DB) Close() error {
	if db.replica != nil {
		db.replica.Close()
	}
	return db.db.Close()
}

// SQL returns the underlying pool, for migrations and health checks.
func (db *DB) SQL() *sql.DB { return db.db.DB }

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.db.PingContext(ctx) }

// WithStatementTimeout returns the connection string url with PostgreSQL's
// statement_timeout set to d for every connection of the pool, so that no statement
// holds a connection and its locks longer than d. It accepts both forms lib/pq does:
// a postgres:// URL and key=value pairs. A d of 0 leaves url as it is.
func WithStatementTimeout(url string, d time.Duration) (string, error) {
	if d <= 0 {
		return url, nil
	}
	return withParam(url, "statement_timeout", strconv.FormatInt(max(d.Milliseconds(), 1), 10))
}

// ForTransactionPooler returns the connection string url with lib/pq's
// binary_parameters on: a statement with parameters then goes in one round trip
// (Parse, Bind, Execute, Sync) instead of two, so that a pooler in transaction mode
// cannot hand its second half to another server connection, where its unnamed
// prepared statement does not exist. (Only []byte parameters change: they go as
// binary, which bytea columns take as they are.)
func ForTransactionPooler(url string) (string, error) {
	return withParam(url, "binary_parameters", "yes")
}

// genericPlans is the plan_cache_mode of the pool's connections: PostgreSQL plans
// each statement the pool has prepared (stmtCache) once per connection, for any
// parameters. Left to choose (auto), it planned createSale's statement afresh on
// every sale, judging its generic plan costlier by the lengths it guesses for the
// lines' arrays: planning was 1.4 ms of the statement's 3.0
// (log_min_duration_statement on the bench's dataset), and the catalog's text
// search was planned on every page too. Generic, the sale costs PostgreSQL 1.1 ms;
// on one held dataset the bench's sales went from 383 to 797-924 a second (README,
// Benchmark, the thirteenth session). The statements are written for plans that do
// not depend on their values: keys, the page's LIMIT written in (ProductPage), the
// text search's first page without an ID bound (TestTextSearchGenericPlans), kinds
// that select a partial index written in (the account-exists notice).
const genericPlans = "force_generic_plan"

// WithGenericPlans returns the connection string url with plan_cache_mode set to
// genericPlans, as the pool's connections have it: for another pool that is to
// run its prepared statements as the API's run (the bench's minimal SQL).
func WithGenericPlans(url string) (string, error) {
	return withParam(url, "plan_cache_mode", genericPlans)
}

// forPooler reports whether url was made by ForTransactionPooler.
func forPooler(url string) bool {
	if !isURL(url) {
		return strings.Contains(" "+url+" ", " binary_parameters=yes ")
	}
	u, err := neturl.Parse(url)
	return err == nil && u.Query().Get("binary_parameters") == "yes"
}

// isURL reports whether a connection string is a postgres:// URL rather than
// key=value pairs, the two forms lib/pq accepts.
func isURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// withParam sets a connection parameter in url, in either form lib/pq accepts.
func withParam(url, key, value string) (string, error) {
	if !isURL(url) {
		return strings.TrimSpace(url + " " + key + "=" + value), nil
	}
	u, err := neturl.Parse(url)
	if err != nil {
		return "", fmt.Errorf("DATABASE_URL: %w", err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// errTimeout is what a statement cancelled by statement_timeout (or by its request's
// deadline) returns, so that clients learn the request ran out of time.
var errTimeout = tsunagu.Errorf(tsunagu.CodeTimeout, "", "The database took too long to answer; try again, or ask for less.")

// errUnavailable is what a statement returns when the database cannot be reached
// or is shutting down: the request failed, and the next one will find it back.
var errUnavailable = tsunagu.Errorf(tsunagu.CodeUnavailable, "",
	"The database cannot be reached at the moment; try again in a few seconds.")

// timeout maps a cancelled statement (SQLSTATE 57014) to errTimeout; other errors pass.
func timeout(err error) error {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "57014" {
		return errTimeout
	}
	return err
}

// dbError is timeout, and maps a lost or refused connection (the server restarting,
// its backend terminated: SQLSTATE classes 08 and 57P, a broken socket) to
// errUnavailable. Inside a transaction only timeout applies, so that transact still
// sees the broken connection it retries.
func dbError(err error) error {
	if err == nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		// The request's own deadline or cancellation (context errors are net.Errors too).
		return err
	}
	var pqErr *pq.Error
	var netErr net.Error
	switch {
	case errors.As(err, &pqErr):
		if pqErr.Code.Class() == "08" || strings.HasPrefix(string(pqErr.Code), "57P") {
			return errUnavailable
		}
		return timeout(err)
	case errors.Is(err, driver.ErrBadConn), errors.As(err, &netErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errUnavailable
	}
	return err
}

// mapErr maps a statement's error: a refusal listed in dbErrors becomes its domain
// error; a timeout, errTimeout; outside a transaction a lost connection,
// errUnavailable (inside one, transact must still see it to retry).
func (c counted) mapErr(err error) error {
	if c.tx != nil {
		return mapDBError(timeout(err))
	}
	return mapDBError(dbError(err))
}

// queryer is what the store's statements run on: the pool or a transaction,
// wrapped so that statements are counted.
type queryer interface {
	sqlx.ExtContext
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
}

// q returns the pool as a queryer for single statements outside a transaction.
func (db *DB) q() queryer { return counted{inner: db.db, db: db} }

// transact runs fn in a transaction and commits it, or rolls it back when fn fails
// or panics. A serialization failure or deadlock (SQLSTATE 40001, 40P01) retries
// the whole transaction a few times, so fn must be free of side effects outside it.
// So does a connection found broken before COMMIT (the database restarted, or
// its backend was terminated): the transaction died with it, and the pool then
// hands out a fresh connection. A connection lost during COMMIT is not retried,
// for the commit may have happened; the mutations that create money or stock
// movements answer a retry of their idempotency key with what it made.
func (db *DB) transact(ctx context.Context, fn func(tx queryer) error) (err error) {
	const attempts = 4
	for i := 0; ; i++ {
		var atCommit bool
		err, atCommit = db.transactOnce(ctx, fn)
		db.noteDeadlock(ctx, err, i+1)
		if i+1 == attempts || !retryable(ctx, err, atCommit) {
			return mapDBError(dbError(err))
		}
		db.log.DebugContext(ctx, "retrying transaction", "err", err, "attempt", i+1)
	}
}

// noteDeadlock counts and logs err when it is a deadlock PostgreSQL broke.
func (db *DB) noteDeadlock(ctx context.Context, err error, attempt int) {
	if pqErr := (*pq.Error)(nil); errors.As(err, &pqErr) && pqErr.Code == "40P01" {
		db.deadlocks.Add(1)
		db.log.WarnContext(ctx, "deadlock", "err", err, "attempt", attempt)
	}
}

func (db *DB) transactOnce(ctx context.Context, fn func(tx queryer) error) (err error, atCommit bool) {
	countStatement(ctx) // BEGIN
	tx, err := db.db.BeginTxx(ctx, nil)
	if err != nil {
		return err, false
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(counted{inner: tx, db: db, tx: tx}); err != nil {
		return err, false
	}
	countStatement(ctx) // COMMIT
	return tx.Commit(), true
}

func retryable(ctx context.Context, err error, atCommit bool) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return pqErr.Code == "40001" || pqErr.Code == "40P01"
	}
	return !atCommit && errors.Is(err, driver.ErrBadConn)
}

// StatementCounter counts the SQL statements run for one context (BEGIN and
// COMMIT included), so tests can assert that a request's cost does not grow with
// its page size.
type StatementCounter struct {
	n atomic.Int64
	// outer is a counter the context had already: it counts these statements too.
	outer *StatementCounter
}

// Count returns the number of statements counted so far.
func (c *StatementCounter) Count() int64 { return c.n.Load() }

type counterKey struct{}

// WithStatementCounter returns a context whose statements c counts.
// A counter ctx had already keeps counting them too.
func WithStatementCounter(ctx context.Context, c *StatementCounter) context.Context {
	if outer, ok := ctx.Value(counterKey{}).(*StatementCounter); ok && outer != c {
		c.outer = outer
	}
	return context.WithValue(ctx, counterKey{}, c)
}

// CountStatements returns a context whose statements a new counter counts, and a
// function reading it: what each request's log line and metrics report.
func CountStatements(ctx context.Context) (context.Context, func() int64) {
	c := new(StatementCounter)
	return WithStatementCounter(ctx, c), c.Count
}

func countStatement(ctx context.Context) {
	c, _ := ctx.Value(counterKey{}).(*StatementCounter)
	for ; c != nil; c = c.outer {
		c.n.Add(1)
	}
}

// counted wraps a pool or transaction, counts each statement sent and runs it as a
// prepared statement (see stmtCache).
type counted struct {
	inner queryer
	db    *DB
	tx    *sqlx.Tx // nil on the pool
}

func (c counted) DriverName() string                               { return c.inner.DriverName() }
func (c counted) Rebind(q string) string                           { return c.inner.Rebind(q) }
func (c counted) BindNamed(q string, a any) (string, []any, error) { return c.inner.BindNamed(q, a) }

// stmt returns q prepared, on the transaction when c has one; nil when q is not
// to be prepared (the cache is full) or preparing failed, and it then runs as it is.
func (c counted) stmt(ctx context.Context, q string) *sqlx.Stmt {
	if c.db.noPrepare {
		return nil
	}
	s := c.db.stmts.get(ctx, c.db.db, q, c.tx != nil)
	if s == nil || c.tx == nil {
		return s
	}
	return c.tx.StmtxContext(ctx, s)
}

func (c counted) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	countStatement(ctx)
	c = c.route(ctx)
	if s := c.stmt(ctx, q); s != nil {
		rows, err := s.QueryContext(ctx, args...)
		return rows, c.mapErr(err)
	}
	rows, err := c.inner.QueryContext(ctx, q, args...)
	return rows, c.mapErr(err)
}

func (c counted) QueryxContext(ctx context.Context, q string, args ...any) (*sqlx.Rows, error) {
	countStatement(ctx)
	c = c.route(ctx)
	if s := c.stmt(ctx, q); s != nil {
		rows, err := s.QueryxContext(ctx, args...)
		return rows, c.mapErr(err)
	}
	rows, err := c.inner.QueryxContext(ctx, q, args...)
	return rows, c.mapErr(err)
}

func (c counted) QueryRowxContext(ctx context.Context, q string, args ...any) *sqlx.Row {
	countStatement(ctx)
	c = c.route(ctx)
	if s := c.stmt(ctx, q); s != nil {
		return s.QueryRowxContext(ctx, args...)
	}
	return c.inner.QueryRowxContext(ctx, q, args...)
}

func (c counted) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	countStatement(ctx)
	c = c.route(ctx)
	if s := c.stmt(ctx, q); s != nil {
		res, err := s.ExecContext(ctx, args...)
		return res, c.mapErr(err)
	}
	res, err := c.inner.ExecContext(ctx, q, args...)
	return res, c.mapErr(err)
}

func (c counted) GetContext(ctx context.Context, dest any, q string, args ...any) error {
	countStatement(ctx)
	c = c.route(ctx)
	if s := c.stmt(ctx, q); s != nil {
		return c.mapErr(s.GetContext(ctx, dest, args...))
	}
	return c.mapErr(c.inner.GetContext(ctx, dest, q, args...))
}

func (c counted) SelectContext(ctx context.Context, dest any, q string, args ...any) error {
	countStatement(ctx)
	c = c.route(ctx)
	if s := c.stmt(ctx, q); s != nil {
		return c.mapErr(s.SelectContext(ctx, dest, args...))
	}
	return c.mapErr(c.inner.SelectContext(ctx, dest, q, args...))
}

// stmtCache prepares each distinct statement once for the pool (database/sql then
// prepares it on each connection the first time it runs there, and keeps it), so
// that PostgreSQL parses and plans a statement once per connection rather than once
// per request: on a small machine planning took as long as running the catalog's
// statements. The statements are the code's own, a bounded set (queries built from
// optional parts have a few shapes each); past maxStmts any new one runs unprepared.
// A pooler in transaction mode (PgBouncer 1.18) does not keep a connection's
// prepared statements across transactions: SetPrepare(false) turns this off.
type stmtCache struct {
	mu      sync.Mutex
	m       map[string]*sqlx.Stmt
	pending map[string]bool
}

const maxStmts = 1000

// get returns q prepared on the pool, preparing it first if need be. Inside a
// transaction (inTx) a statement not prepared yet runs as it is while it is
// prepared in the background: preparing takes a connection of the pool, and
// transactions holding every connection while they wait for one more would
// deadlock.
func (c *stmtCache) get(ctx context.Context, db *sqlx.DB, q string, inTx bool) *sqlx.Stmt {
	c.mu.Lock()
	s, ok := c.m[q]
	if ok || len(c.m) >= maxStmts || c.pending[q] {
		c.mu.Unlock()
		return s
	}
	if c.pending == nil {
		c.pending = map[string]bool{}
	}
	c.pending[q] = true
	c.mu.Unlock()
	if inTx {
		go c.prepare(context.WithoutCancel(ctx), db, q)
		return nil
	}
	return c.prepare(ctx, db, q)
}

func (c *stmtCache) prepare(ctx context.Context, db *sqlx.DB, q string) *sqlx.Stmt {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	s, err := db.PreparexContext(ctx, q)
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pending, q)
	if err != nil {
		// The statement's own error (a syntax error, say) comes back when it runs;
		// a later call tries to prepare it again.
		return nil
	}
	if c.m == nil {
		c.m = map[string]*sqlx.Stmt{}
	}
	c.m[q] = s
	return s
}

// notFound maps sql.ErrNoRows to a NOT_FOUND error about what; other errors pass.
func notFound(err error, field, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return tsunagu.Errorf(tsunagu.CodeNotFound, field, "There is no such %s.", what)
	}
	return err
}

// snakeCase names the column of a Go field: MunicipalityID → municipality_id,
// ImageURLs → image_urls. Domain types scan straight from rows with it.
func snakeCase(name string) string {
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			prevLower := i > 0 && unicode.IsLower(rs[i-1])
			nextLower := i > 0 && i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])
			// "URLs": the s is a plural, not the start of a word.
			if nextLower && rs[i+1] == 's' && (i+2 == len(rs) || unicode.IsUpper(rs[i+2])) {
				nextLower = false
			}
			if prevLower || nextLower {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// args collects the parameters of a statement built from optional parts.
type args []any

// add appends v and returns its placeholder.
func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// int64s passes a slice of typed IDs as a bigint[] parameter.
func int64s[T ~int64](ids []T) any {
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = int64(id)
	}
	return pq.Array(out)
}
