package pgcluster_test

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/lib/pq"

	"tsunagu/internal/pgcluster"
)

// tempDir returns a fresh folder the postgres OS user can enter: t.TempDir's
// folders are 0700, which shuts it out when the tests run as root.
func tempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pgcluster-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func start(t *testing.T, o pgcluster.Options) *pgcluster.Cluster {
	t.Helper()
	o.Logf = t.Logf
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := pgcluster.Start(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop() })
	return c
}

func open(t *testing.T, c *pgcluster.Cluster) *sql.DB {
	t.Helper()
	db, err := sql.Open("postgres", c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// postmasterPID returns the PID of the server of the cluster in dataDir.
func postmasterPID(t *testing.T, dataDir string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// alive reports whether pid runs; a zombie does not count, since init may be slow
// (or, in some containers, fail) to reap it.
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	_, after, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(after, "Z")
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}

func TestBinDir(t *testing.T) {
	dir, err := pgcluster.BinDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"initdb", "pg_ctl", "postgres"} {
		if !exists(filepath.Join(dir, p)) {
			t.Errorf("%s has no %s", dir, p)
		}
	}
}

func TestTemporary(t *testing.T) {
	t.Parallel()
	root := tempDir(t)
	c := start(t, pgcluster.Options{DataDir: filepath.Join(root, "data"), Temporary: true})

	wantURL := fmt.Sprintf("postgres://postgres@/app?host=%s&port=5433&sslmode=disable", filepath.Join(root, "run"))
	if got := c.URL("app"); got != wantURL {
		t.Errorf("URL = %q, want %q", got, wantURL)
	}
	db := open(t, c)
	var fsync, listen string
	if err := db.QueryRow("SELECT current_setting('fsync'), current_setting('listen_addresses')").Scan(&fsync, &listen); err != nil {
		t.Fatal(err)
	}
	if fsync != "off" || listen != "" {
		t.Errorf("fsync = %q, listen_addresses = %q; want off and empty", fsync, listen)
	}
	db.Close()

	pid := postmasterPID(t, c.DataDir())
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if alive(pid) {
		t.Errorf("postmaster %d still runs after Stop", pid)
	}
	if exists(root) {
		t.Errorf("%s still exists after Stop", root)
	}
}

func TestPersistent(t *testing.T) {
	t.Parallel()
	root := tempDir(t)
	dataDir := filepath.Join(root, "data")
	c := start(t, pgcluster.Options{DataDir: dataDir, Port: 5499})
	if _, err := open(t, c).Exec("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('hello')"); err != nil {
		t.Fatal(err)
	}
	pid := postmasterPID(t, dataDir)

	t.Run("ReusesRunningServer", func(t *testing.T) {
		c := start(t, pgcluster.Options{DataDir: dataDir, Port: 5499})
		if got := postmasterPID(t, dataDir); got != pid {
			t.Errorf("postmaster PID = %d, want the running %d", got, pid)
		}
		// Stopping this handle is what a second dev server run does on exit.
		if err := c.Stop(); err != nil {
			t.Fatal(err)
		}
		if alive(pid) {
			t.Fatalf("postmaster %d still runs after Stop", pid)
		}
	})

	t.Run("IgnoresStalePIDFile", func(t *testing.T) {
		// As after a crash in a container, the stale file names a live PID that
		// is not a postmaster: this test's own.
		stale := fmt.Sprintf("%d\n%s\n1700000000\n5499\n%s\n\n", os.Getpid(), dataDir, filepath.Join(root, "run"))
		if err := os.WriteFile(filepath.Join(dataDir, "postmaster.pid"), []byte(stale), 0o600); err != nil {
			t.Fatal(err)
		}
		c := start(t, pgcluster.Options{DataDir: dataDir, Port: 5499})
		var v string
		if err := open(t, c).QueryRow("SELECT v FROM kept").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != "hello" {
			t.Errorf("kept.v = %q, want %q", v, "hello")
		}
		if err := c.Stop(); err != nil {
			t.Fatal(err)
		}
		if !exists(filepath.Join(dataDir, "PG_VERSION")) {
			t.Error("Stop removed a persistent cluster")
		}
	})
}

func TestUnreachableFolder(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root runs PostgreSQL as another OS user")
	}
	t.Parallel()
	root, err := os.MkdirTemp("", "pgcluster-test-") // 0700, as t.TempDir
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(root)
	_, err = pgcluster.Start(context.Background(), pgcluster.Options{DataDir: filepath.Join(root, "data"), Temporary: true})
	if err == nil || !strings.Contains(err.Error(), "chmod o+x "+root) {
		t.Fatalf("Start = %v, want an error saying to chmod o+x %s", err, root)
	}
	if exists(filepath.Join(root, "data")) {
		t.Error("the failed Start left its data folder behind")
	}
}

// processesIn returns the PIDs of processes working in a folder under dir.
func processesIn(dir string) []int {
	var pids []int
	cwds, _ := filepath.Glob("/proc/[0-9]*/cwd")
	for _, link := range cwds {
		cwd, err := os.Readlink(link)
		if err != nil || !strings.HasPrefix(cwd, dir+"/") {
			continue
		}
		pid, _ := strconv.Atoi(strings.Split(link, "/")[2])
		if alive(pid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// TestCanceledStart ends Start's context at various points: whether Start fails
// or wins the race, no server or folder may be left behind.
func TestCanceledStart(t *testing.T) {
	t.Parallel()
	for _, timeout := range []time.Duration{0, 300 * time.Millisecond, time.Second, 2 * time.Second, 3 * time.Second} {
		t.Run(timeout.String(), func(t *testing.T) {
			t.Parallel()
			root := tempDir(t)
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			c, err := pgcluster.Start(ctx, pgcluster.Options{DataDir: filepath.Join(root, "data"), Temporary: true, Logf: t.Logf})
			if err == nil {
				t.Log("Start won the race")
				if err := c.Stop(); err != nil {
					t.Fatal(err)
				}
			} else if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Start = %v, want context.DeadlineExceeded", err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for exists(root) || len(processesIn(root)) > 0 {
				if time.Now().After(deadline) {
					t.Fatalf("%s exists = %v, processes in it: %v", root, exists(root), processesIn(root))
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}

// The watchdog test runs this as a child process, which starts a cluster, reports
// it and waits to be killed.
func TestWatchdogChild(t *testing.T) {
	root := os.Getenv("PGCLUSTER_WATCHDOG_CHILD")
	if root == "" {
		t.Skip("run by TestWatchdogRemovesClusterAfterSIGKILL")
	}
	c, err := pgcluster.Start(context.Background(), pgcluster.Options{DataDir: filepath.Join(root, "data"), Temporary: true})
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	fmt.Println("READY", postmasterPID(t, c.DataDir()))
	select {}
}

func TestWatchdogRemovesClusterAfterSIGKILL(t *testing.T) {
	t.Parallel()
	root := tempDir(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestWatchdogChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PGCLUSTER_WATCHDOG_CHILD="+root)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(out)
		for s.Scan() {
			if strings.HasPrefix(s.Text(), "READY ") || strings.HasPrefix(s.Text(), "ERROR ") {
				lines <- s.Text()
				return
			}
		}
		close(lines)
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(2 * time.Minute):
		t.Fatal("the child did not start its cluster within 2 minutes")
	}
	pid, err := strconv.Atoi(strings.TrimPrefix(line, "READY "))
	if err != nil {
		t.Fatalf("child: %q", line)
	}
	if !alive(pid) {
		t.Fatalf("postmaster %d is not running", pid)
	}

	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// Wait returns only once every holder of the child's stdout has closed it: a
	// watchdog or postmaster inheriting it would hang here, as it would hang go test.
	waited := make(chan struct{})
	go func() { cmd.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(10 * time.Second):
		t.Fatal("the killed child's stdout is still held open by a process it started")
	}

	deadline := time.Now().Add(30 * time.Second)
	for alive(pid) || exists(root) {
		if time.Now().After(deadline) {
			t.Fatalf("30s after SIGKILL: postmaster alive = %v, %s exists = %v", alive(pid), root, exists(root))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
