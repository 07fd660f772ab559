package postgres

import (
	"context"
	"strings"
	"testing"
	"time"

	"tsunagu/internal/pgtest"
	"tsunagu/internal/tsunagu"
)

func TestWithStatementTimeout(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u@h:5432/db?sslmode=disable": "postgres://u@h:5432/db?sslmode=disable&statement_timeout=1500",
		"host=/tmp dbname=db":                    "host=/tmp dbname=db statement_timeout=1500",
	} {
		got, err := WithStatementTimeout(in, 1500*time.Millisecond)
		if err != nil || got != want {
			t.Errorf("WithStatementTimeout(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if got, _ := WithStatementTimeout("postgres://h/db", 0); got != "postgres://h/db" {
		t.Errorf("a zero timeout changed the URL: %q", got)
	}
}

// A statement that runs past statement_timeout is cancelled by PostgreSQL, and
// clients see TIMEOUT rather than an internal error.
func TestStatementTimeout(t *testing.T) {
	t.Parallel()
	url, err := WithStatementTimeout(pgtest.NewURL(t), 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var setting string
	if err := db.q().GetContext(context.Background(), &setting, `SHOW statement_timeout`); err != nil || setting != "100ms" {
		t.Fatalf("statement_timeout is %q (%v), want 100ms", setting, err)
	}
	start := time.Now()
	_, err = db.q().ExecContext(context.Background(), `SELECT pg_sleep(5)`)
	if tsunagu.ErrorCode(err) != tsunagu.CodeTimeout || !strings.Contains(tsunagu.ErrorMessage(err), "too long") {
		t.Errorf("got %v, want TIMEOUT", err)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("the statement ran %v", time.Since(start))
	}
}
