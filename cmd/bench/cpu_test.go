package main

import (
	"database/sql"
	"os"
	"strconv"
	"testing"
	"time"

	"tsunagu/internal/pgtest"
)

// The meter counts the CPU of PostgreSQL's backends, of one that exits between
// two readings too (in the postmaster's reaped children's time), and the
// process's own.
func TestCPUMeter(t *testing.T) {
	url := pgtest.NewURL(t)
	db, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	m := newCPUMeter(t.Context(), db)
	if !m.onThisMachine() {
		t.Fatal("the test's PostgreSQL runs on this machine, but the meter did not find its postmaster")
	}
	burn := `SELECT count(*) FROM generate_series(1, 3000000)` // a few hundred ms of a backend's CPU

	self := func() time.Duration {
		st, err := procStat(os.Getpid())
		if err != nil {
			t.Fatal(err)
		}
		return st.self
	}
	u0 := m.begin()
	self0 := self()
	if _, err := db.ExecContext(t.Context(), burn); err != nil {
		t.Fatal(err)
	}
	for self()-self0 < 100*time.Millisecond { // the process's own CPU, as /proc counts it
	}
	self1 := self()
	d := m.end().sub(u0)
	if d.db < 50*time.Millisecond {
		t.Fatalf("PostgreSQL spent %v; want at least 50ms", d.db)
	}
	// getrusage's figure agrees with /proc's, in ticks of 10 ms.
	if diff := d.process - (self1 - self0); diff < -20*time.Millisecond || diff > 20*time.Millisecond {
		t.Fatalf("the process spent %v by getrusage, %v by /proc", d.process, self1-self0)
	}

	// A backend that burns, then exits: what it spent stays counted.
	gone, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	if err := gone.QueryRowContext(t.Context(), `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := gone.ExecContext(t.Context(), burn); err != nil {
		t.Fatal(err)
	}
	before := m.end()
	gone.Close()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the backend did not exit")
		}
	}
	if after := m.end(); after.db < before.db {
		t.Fatalf("PostgreSQL's CPU went from %v to %v when a backend exited", before.db, after.db)
	}
}

func TestProcStat(t *testing.T) {
	st, err := procStat(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if st.ppid != os.Getppid() || st.comm == "" {
		t.Fatalf("%+v; want ppid %d", st, os.Getppid())
	}
}
