package pgtest_test

import (
	"database/sql"
	"os"
	"sync"
	"testing"
	"time"

	"tsunagu/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestIsolation runs two parallel tests, each creating a table in its own
// database while the other's exists: neither sees the other's.
func TestIsolation(t *testing.T) {
	var created sync.WaitGroup
	created.Add(2)
	for name, other := range map[string]string{"a": "b", "b": "a"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db := pgtest.New(t)
			_, err := db.Exec("CREATE TABLE only_" + name + " (v int)")
			created.Done()
			if err != nil {
				t.Fatal(err)
			}
			// Wait for the other table to exist, unless -parallel=1 runs the
			// tests one after the other.
			done := make(chan struct{})
			go func() { created.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Log("the other test did not run alongside")
			}
			var tables []string
			if err := db.Select(&tables, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'only_%'"); err != nil {
				t.Fatal(err)
			}
			if len(tables) != 1 || tables[0] != "only_"+name {
				t.Errorf("tables = %q, want only only_%s (not only_%s)", tables, name, other)
			}
		})
	}
}

func TestMigrated(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	var ext string
	if err := db.Get(&ext, "SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'"); err != nil {
		t.Fatalf("pg_trgm: %v", err)
	}
	var sim float64
	if err := db.Get(&sim, "SELECT similarity('tsunagu', 'tsunagi')"); err != nil {
		t.Fatal(err)
	}
	if sim <= 0 {
		t.Errorf("similarity = %v, want > 0", sim)
	}
}

func TestNewURL(t *testing.T) {
	t.Parallel()
	u := pgtest.NewURL(t)
	db, err := sql.Open("postgres", u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'").Scan(&n); err != nil {
		t.Fatalf("%s: %v", u, err)
	}
	if n != 1 {
		t.Errorf("pg_trgm installed %d times, want 1", n)
	}
}

// TestParallel asks for many databases at once, as a large package would.
func TestParallel(t *testing.T) {
	for i := range 20 {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			db := pgtest.New(t)
			if _, err := db.Exec("CREATE TABLE t (i int)"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec("INSERT INTO t VALUES ($1)", i); err != nil {
				t.Fatal(err)
			}
		})
	}
}
