package postgres

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tsunagu/internal/pgtest"
	"tsunagu/internal/tsunagu"
)

// noteInput is a keyed input of the runner's tests: it makes a note.
type noteInput struct {
	Text, Key string
}

func (in *noteInput) Validate() error {
	if in.Text == "" {
		return tsunagu.Errorf(tsunagu.CodeRequired, "input.text", "Write something.")
	}
	return nil
}

func (in noteInput) Unkeyed() (string, any) { k := in.Key; in.Key = ""; return k, in }

// testDB opens a pool on a fresh database, closed when t ends.
func testDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), pgtest.NewURL(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// runnerDB is a fresh database with a table of notes, and a context acting as a
// staff user.
func runnerDB(t *testing.T) (*DB, context.Context) {
	t.Helper()
	ctx := context.Background()
	db := testDB(t)
	if _, err := db.db.Exec(`CREATE TABLE notes (id bigserial PRIMARY KEY, text text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return db, tsunagu.WithUser(ctx, &tsunagu.User{ID: 7, Role: tsunagu.RoleAdmin}, "")
}

type note struct {
	ID   int64
	Text string
}

// makeNote is the mutation of the tests: it inserts a note, counting its runs;
// block, when set, is called inside its transaction after the insert.
func makeNote(ctx context.Context, db *DB, in noteInput, runs *atomic.Int64, block func()) (*note, error) {
	load := func(tx queryer, id int64) (*note, error) {
		n := &note{}
		return n, tx.GetContext(ctx, n, `SELECT id, text FROM notes WHERE id = $1`, id)
	}
	return runOnce(ctx, db, "makeNote", &in, once[*note]{
		do: func(tx queryer, _ *tsunagu.User, _ *idemKey) (*note, error) {
			runs.Add(1)
			if in.Text == "fail" {
				return nil, tsunagu.Errorf(tsunagu.CodeInvalidState, "input.text", "Refused.")
			}
			n := &note{}
			err := tx.GetContext(ctx, n, `INSERT INTO notes (text) VALUES ($1) RETURNING id, text`, in.Text)
			if err == nil && block != nil {
				block()
			}
			return n, err
		},
		id:     func(n *note) int64 { return n.ID },
		replay: load,
	})
}

func countNotes(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	if err := db.db.Get(&n, `SELECT count(*) FROM notes`); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRunOnce(t *testing.T) {
	t.Run("ReplayReturnsFirstResult", func(t *testing.T) {
		db, ctx := runnerDB(t)
		var runs atomic.Int64
		first, err := makeNote(ctx, db, noteInput{Text: "hello", Key: "k1"}, &runs, nil)
		if err != nil {
			t.Fatal(err)
		}
		again, err := makeNote(ctx, db, noteInput{Text: "hello", Key: "k1"}, &runs, nil)
		if err != nil {
			t.Fatal(err)
		}
		if *again != *first || runs.Load() != 1 || countNotes(t, db) != 1 {
			t.Fatalf("replay gave %+v after %+v, work ran %d times, %d notes; want the first, once, one note",
				again, first, runs.Load(), countNotes(t, db))
		}
		// Another user's key of the same name is another key.
		other := tsunagu.WithUser(context.Background(), &tsunagu.User{ID: 8, Role: tsunagu.RoleAdmin}, "")
		theirs, err := makeNote(other, db, noteInput{Text: "hello", Key: "k1"}, &runs, nil)
		if err != nil || theirs.ID == first.ID {
			t.Fatalf("another user's call with the same key: %+v, %v; want a new note", theirs, err)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		db, ctx := runnerDB(t)
		var runs atomic.Int64
		if _, err := makeNote(ctx, db, noteInput{Text: "hello", Key: "k1"}, &runs, nil); err != nil {
			t.Fatal(err)
		}
		_, err := makeNote(ctx, db, noteInput{Text: "goodbye", Key: "k1"}, &runs, nil)
		var e *tsunagu.Error
		if !errors.As(err, &e) || e.Code != tsunagu.CodeIdempotencyConflict || e.Field != "input.idempotencyKey" {
			t.Fatalf("another request with the key: %v, want IDEMPOTENCY_CONFLICT at input.idempotencyKey", err)
		}
		if runs.Load() != 1 || countNotes(t, db) != 1 {
			t.Fatalf("the conflict ran work (%d runs) or made a note (%d notes)", runs.Load(), countNotes(t, db))
		}
	})
	t.Run("ErrorLeavesKeyFree", func(t *testing.T) {
		db, ctx := runnerDB(t)
		var runs atomic.Int64
		_, err := makeNote(ctx, db, noteInput{Text: "fail", Key: "k1"}, &runs, nil)
		if tsunagu.ErrorCode(err) != tsunagu.CodeInvalidState {
			t.Fatalf("failing work: %v, want INVALID_STATE", err)
		}
		var keys int
		if err := db.db.Get(&keys, `SELECT count(*) FROM idempotency_keys`); err != nil || keys != 0 {
			t.Fatalf("%d keys after a failed call (%v), want 0", keys, err)
		}
		if _, err := makeNote(ctx, db, noteInput{Text: "hello", Key: "k1"}, &runs, nil); err != nil {
			t.Fatalf("a new request with the key of a failed one: %v", err)
		}
	})
	t.Run("ChecksComeFirst", func(t *testing.T) {
		db, ctx := runnerDB(t)
		var runs atomic.Int64
		_, err := makeNote(context.Background(), db, noteInput{Text: "", Key: "k1"}, &runs, nil)
		if tsunagu.ErrorCode(err) != tsunagu.CodeUnauthenticated {
			t.Fatalf("anonymous call: %v, want UNAUTHENTICATED before validation", err)
		}
		_, err = makeNote(ctx, db, noteInput{Text: "", Key: "k1"}, &runs, nil)
		if tsunagu.ErrorCode(err) != tsunagu.CodeRequired {
			t.Fatalf("invalid input: %v, want REQUIRED", err)
		}
		if runs.Load() != 0 || countNotes(t, db) != 0 {
			t.Fatal("work ran for a refused call")
		}
	})
	t.Run("ConcurrentCallsMakeOneResult", func(t *testing.T) {
		db, ctx := runnerDB(t)
		var runs atomic.Int64
		inserted, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		block := func() { once.Do(func() { close(inserted); <-release }) }
		results := make([]*note, 2)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[0], errs[0] = makeNote(ctx, db, noteInput{Text: "hello", Key: "k1"}, &runs, block)
		}()
		<-inserted // the first holds the key, uncommitted
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[1], errs[1] = makeNote(ctx, db, noteInput{Text: "hello", Key: "k1"}, &runs, block)
		}()
		waitForLockWait(t, db)
		close(release)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
		}
		if *results[0] != *results[1] || runs.Load() != 1 || countNotes(t, db) != 1 {
			t.Fatalf("results %+v and %+v, work ran %d times, %d notes; want one result", results[0], results[1],
				runs.Load(), countNotes(t, db))
		}
	})
}

// waitForLockWait returns once a backend of the test's database waits for a lock:
// the second call, waiting at the key the first one holds.
func waitForLockWait(t *testing.T, db *DB) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		err := db.db.Get(&n, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the second call never waited for the first one's key")
}
