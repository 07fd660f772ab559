package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/lib/pq"
)

// Snapshot returns every row of every table of the public schema as JSON, each
// table's rows in a fixed order, but goose's version table; login_failures (a
// refused sign-in is counted there by design, as tsunagu.LoginBackoff says, and its
// own tests read it); and notify_queue, notifications on their way, which any
// process's relay takes at any time (postgres.Relay). So that a test can
// assert that a refused operation changed nothing anywhere: a table added by a later
// migration is covered without touching the tests.
func Snapshot(t testing.TB, db *sql.DB) string {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `
		SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('goose_db_version', 'login_failures', 'notify_queue')
		ORDER BY table_name`)
	if err != nil {
		t.Fatalf("pgtest: snapshot: %v", err)
	}
	var parts []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatalf("pgtest: snapshot: %v", err)
		}
		parts = append(parts, fmt.Sprintf("%s, (SELECT json_agg(t ORDER BY t::text) FROM %s t)", pq.QuoteLiteral(name), pq.QuoteIdentifier(name)))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("pgtest: snapshot: %v", err)
	}
	var s string
	if err := db.QueryRowContext(ctx, "SELECT json_build_object("+strings.Join(parts, ", ")+")::text").Scan(&s); err != nil {
		t.Fatalf("pgtest: snapshot: %v", err)
	}
	return s
}
