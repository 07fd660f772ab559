package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"runtime/pprof"
	"strconv"
	"syscall"
	"time"
)

// cpuUse is CPU time spent by the bench's own process (its load clients and the
// servers it runs) and by PostgreSQL (the cluster's processes), so that each side
// of a case can say what an operation costs on the machine's cores, which both
// share: a ratio below its target is then the API's own cost (the process) or its
// statements' (PostgreSQL), in microseconds.
type cpuUse struct{ process, db time.Duration }

func (a cpuUse) add(b cpuUse) cpuUse { return cpuUse{a.process + b.process, a.db + b.db} }
func (a cpuUse) sub(b cpuUse) cpuUse { return cpuUse{a.process - b.process, a.db - b.db} }

// cpuMeter reads cpuUse. PostgreSQL's CPU is read from /proc: the postmaster's
// own and its reaped children's (cutime and cstime), and every live child's (the
// backends, the WAL writer, the checkpointer, autovacuum). A backend that exits
// between two readings is counted at the first among the children and at the
// second in the postmaster's cutime, so the difference stays right. With the
// database on another machine (no postmaster in this one's /proc), db is 0 and
// the table says so.
type cpuMeter struct {
	postmaster int // 0: PostgreSQL is not on this machine
}

// newCPUMeter finds the postmaster of db's cluster: the parent of a backend.
func newCPUMeter(ctx context.Context, db *sql.DB) *cpuMeter {
	var pid int
	if err := db.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		return &cpuMeter{}
	}
	st, err := procStat(pid)
	if err != nil || st.comm != "postgres" {
		return &cpuMeter{}
	}
	return &cpuMeter{postmaster: st.ppid}
}

// begin and end are the CPU spent so far, at a measured window's start and end.
// The scan of /proc (a few ms of the process's own) falls outside the window:
// begin reads the process's time after it, end before it.
func (m *cpuMeter) begin() cpuUse {
	db := m.dbCPU()
	return cpuUse{process: processCPU(), db: db}
}

func (m *cpuMeter) end() cpuUse {
	p := processCPU()
	return cpuUse{process: p, db: m.dbCPU()}
}

// processCPU is the bench process's user and system time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// dbCPU is PostgreSQL's: the postmaster's with its reaped children's, and its
// live children's; 0 when it is not on this machine.
func (m *cpuMeter) dbCPU() time.Duration {
	if !m.onThisMachine() {
		return 0
	}
	var t time.Duration
	if st, err := procStat(m.postmaster); err == nil {
		t += st.self + st.children
	}
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		if st, err := procStat(pid); err == nil && st.ppid == m.postmaster {
			t += st.self
		}
	}
	return t
}

// onThisMachine says whether begin and end count PostgreSQL's CPU.
func (m *cpuMeter) onThisMachine() bool { return m != nil && m.postmaster != 0 }

// procStats are the fields of /proc/<pid>/stat read here (proc(5)).
type procStats struct {
	comm           string
	ppid           int
	self, children time.Duration // utime+stime, cutime+cstime
}

// clockTick is USER_HZ, the unit of /proc's times: 100 on every Linux the project
// runs on (sysconf(_SC_CLK_TCK), which Go does not expose without cgo).
const clockTick = 10 * time.Millisecond

func procStat(pid int) (procStats, error) {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStats{}, err
	}
	// pid (comm) state ppid … : comm may hold spaces and parentheses, so the
	// fields are counted from its last ')'.
	open, end := bytes.IndexByte(raw, '('), bytes.LastIndexByte(raw, ')')
	if open < 0 || end < open {
		return procStats{}, fmt.Errorf("/proc/%d/stat: %q", pid, raw)
	}
	f := bytes.Fields(raw[end+1:]) // f[0] is field 3, state
	if len(f) < 15 {
		return procStats{}, fmt.Errorf("/proc/%d/stat: %q", pid, raw)
	}
	n := func(i int) int64 { v, _ := strconv.ParseInt(string(f[i-3]), 10, 64); return v }
	return procStats{comm: string(raw[open+1 : end]), ppid: int(n(4)),
		self: time.Duration(n(14)+n(15)) * clockTick, children: time.Duration(n(16)+n(17)) * clockTick}, nil
}

// perOp is u per operation of s, in microseconds.
func perOp(u time.Duration, s *sample) float64 {
	if s.n == 0 {
		return 0
	}
	return float64(u.Microseconds()) / float64(s.n)
}

// labelled runs h's requests under the CPU profile's label role=name, as the load
// clients run under role=client (and side, below): with -cpuprofile, `go tool
// pprof -tags` sums the process's CPU by role and side, and -tagfocus shows one
// apart, such as `role=uncached server`; what no label holds is the runtime's
// (the garbage collector's workers, the scheduler) and the pools' and the
// listeners' goroutines.
func labelled(name string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pprof.Do(r.Context(), pprof.Labels("role", name), func(ctx context.Context) { h.ServeHTTP(w, r.WithContext(ctx)) })
	})
}

// side names the side of a case ctx measures, for the CPU profile's labels: its
// load clients run under role=client and side=name.
func side(ctx context.Context, name string) context.Context {
	return pprof.WithLabels(ctx, pprof.Labels("side", name))
}
