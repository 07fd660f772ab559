package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// binRoot is where Debian and Ubuntu install one folder per PostgreSQL major version.
const binRoot = "/usr/lib/postgresql"

const installHint = "install PostgreSQL with `apt-get install -y postgresql` (make does this)"

// BinDir returns the bin folder of the newest PostgreSQL installed under
// /usr/lib/postgresql, such as "/usr/lib/postgresql/15/bin". It fails, saying how
// to install PostgreSQL, when there is none.
func BinDir() (string, error) {
	matches, _ := filepath.Glob(filepath.Join(binRoot, "*", "bin", "initdb"))
	if len(matches) == 0 {
		return "", fmt.Errorf("pgcluster: no PostgreSQL server binaries in %s/*/bin: %s", binRoot, installHint)
	}
	// Versions compare as numbers: 9.6 < 10 < 15.
	version := func(initdb string) []int {
		var v []int
		for _, f := range strings.Split(filepath.Base(filepath.Dir(filepath.Dir(initdb))), ".") {
			n, _ := strconv.Atoi(f)
			v = append(v, n)
		}
		return v
	}
	sort.Slice(matches, func(i, j int) bool {
		a, b := version(matches[i]), version(matches[j])
		for k := 0; k < len(a) && k < len(b); k++ {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return len(a) < len(b)
	})
	return filepath.Dir(matches[len(matches)-1]), nil
}

// binDirFor returns the bin folder of the major version that created a cluster: a
// server refuses a data folder of another major version.
func binDirFor(major string) (string, error) {
	dir := filepath.Join(binRoot, major, "bin")
	if _, err := os.Stat(filepath.Join(dir, "postgres")); err != nil {
		return "", fmt.Errorf("pgcluster: the cluster was created by PostgreSQL %s, whose binaries are not in %s: install postgresql-%s, or remove the cluster to start afresh", major, dir, major)
	}
	return dir, nil
}

// init runs initdb unless the data folder already holds a cluster.
func (c *Cluster) init(ctx context.Context) error {
	if v, err := os.ReadFile(filepath.Join(c.dataDir, "PG_VERSION")); err == nil {
		c.bin, err = binDirFor(strings.TrimSpace(string(v)))
		return err
	}
	entries, err := os.ReadDir(c.dataDir)
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("pgcluster: %s holds files but no PostgreSQL cluster (no PG_VERSION): empty it or choose another folder", c.dataDir)
	}
	if c.bin, err = BinDir(); err != nil {
		return err
	}
	c.logf("pgcluster: initdb %s", c.dataDir)
	dir := c.dataDir
	if !c.temporary {
		// A persistent cluster is made beside its folder and renamed into place:
		// an initdb cut short (say, by Ctrl-C on the dev server's first run) must
		// not leave a half-made cluster that every later start trips over.
		dir = c.dataDir + ".initdb"
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		if err := os.Mkdir(dir, 0o700); err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		// Once renamed, dir no longer exists; before, it holds a failed attempt.
		defer os.RemoveAll(dir)
		if err := c.owner.chown(dir); err != nil {
			return err
		}
	}
	args := []string{"-D", dir, "-U", "postgres", "--auth=trust", "--encoding=UTF8"}
	if c.temporary {
		args = append(args, "--no-sync")
	}
	for _, locale := range []string{"C.UTF-8", "C"} {
		out, err := c.command(ctx, "initdb", append(args, "--locale="+locale)...).CombinedOutput()
		if err == nil {
			if dir == c.dataDir {
				return nil
			}
			// os.Rename refuses to replace even an empty folder.
			if err := os.Remove(c.dataDir); err != nil {
				return fmt.Errorf("pgcluster: %w", err)
			}
			if err := os.Rename(dir, c.dataDir); err != nil {
				return fmt.Errorf("pgcluster: %w", err)
			}
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("pgcluster: initdb %s: %w", c.dataDir, ctx.Err())
		}
		// Minimal systems may lack C.UTF-8; initdb has emptied the folder again.
		if locale != "C" && strings.Contains(string(out), "locale") {
			c.logf("pgcluster: initdb --locale=%s failed, retrying with --locale=C", locale)
			continue
		}
		return fmt.Errorf("pgcluster: initdb %s: %w: %s", c.dataDir, err, trimOut(out))
	}
	panic("unreachable")
}

// confFile holds the settings Start controls. postgresql.conf includes it, and
// Start rewrites it before every start so that a moved socket folder takes effect.
const confFile = "pgcluster.conf"

// logFile is the server log, inside the data folder so that it goes where the
// cluster goes and the postgres OS user can write it.
const logFile = "server.log"

func (c *Cluster) writeConf() error {
	quote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	settings := []string{
		"# Written by pgcluster before every start: edits are lost.",
		"listen_addresses = ''",
		"unix_socket_directories = " + quote(c.socketDir),
		"port = " + strconv.Itoa(c.port),
		"max_connections = 200",
	}
	if c.temporary {
		// A Temporary cluster is discarded after a crash anyway.
		settings = append(settings, "fsync = off", "synchronous_commit = off", "full_page_writes = off")
	}
	path := filepath.Join(c.dataDir, confFile)
	if err := os.WriteFile(path, []byte(strings.Join(settings, "\n")+"\n"), 0o600); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if err := c.owner.chown(path); err != nil {
		return err
	}

	main := filepath.Join(c.dataDir, "postgresql.conf")
	b, err := os.ReadFile(main)
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	include := "include '" + confFile + "'"
	if strings.Contains(string(b), "\n"+include+"\n") {
		return nil
	}
	f, err := os.OpenFile(main, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	_, err = fmt.Fprintf(f, "\n%s\n", include)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	return nil
}

// start starts the server and waits until it accepts connections.
func (c *Cluster) start(ctx context.Context) error {
	if err := c.writeConf(); err != nil {
		return err
	}
	c.logf("pgcluster: starting PostgreSQL in %s, socket %s", c.dataDir, c.socketDir)
	// pg_ctl is not killed when ctx ends, for it may just have forked a postmaster
	// that has not yet written postmaster.pid, which nothing could then stop; its
	// own timeout, taken from ctx's deadline, bounds the wait instead.
	timeout := 120 * time.Second
	if d, ok := ctx.Deadline(); ok {
		timeout = max(time.Until(d), 0)
	}
	logPath := filepath.Join(c.dataDir, logFile)
	secs := strconv.Itoa(int(timeout.Seconds()) + 1)
	out, err := c.pgCtl(context.WithoutCancel(ctx), "start", "-w", "-t", secs, "-l", logPath).CombinedOutput()
	if ctx.Err() != nil {
		err = fmt.Errorf("pgcluster: starting the server: %w", ctx.Err())
	} else if err != nil {
		err = fmt.Errorf("pgcluster: starting the server in %s failed: %v: %s\nend of %s:\n%s", c.dataDir, err, trimOut(out), logPath, tail(logPath, 4096))
	} else {
		err = c.waitReady(ctx)
	}
	if err != nil {
		// Do not leave a server behind that came up too late or not quite.
		stopCtx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		c.pgCtl(stopCtx, "stop", "-m", "fast", "-w").Run()
		return err
	}
	return nil
}

// reuseRunning adopts a server already running on the data folder, as a persistent
// cluster finds it when an earlier run did not stop it. It restarts a server that
// listens on another socket, and deletes a postmaster.pid left by a crash.
func (c *Cluster) reuseRunning(ctx context.Context) (bool, error) {
	pidFile := filepath.Join(c.dataDir, "postmaster.pid")
	lines, running := c.runningPostmaster()
	if lines == nil {
		return false, nil
	}
	if !running {
		// postgres checks only that the PID is alive, and after a reboot or in a
		// container it may well belong to an unrelated process.
		c.logf("pgcluster: removing stale %s", pidFile)
		if err := os.Remove(pidFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			return false, fmt.Errorf("pgcluster: removing stale %s: %w", pidFile, err)
		}
		return false, nil
	}
	// postmaster.pid lines: PID, data folder, start time, port, first socket folder.
	if len(lines) >= 5 && lines[3] == strconv.Itoa(c.port) && lines[4] == c.socketDir {
		c.logf("pgcluster: reusing the server already running in %s (PID %s)", c.dataDir, lines[0])
		return true, c.waitReady(ctx)
	}
	c.logf("pgcluster: restarting the server running in %s on another socket", c.dataDir)
	if out, err := c.pgCtl(ctx, "stop", "-m", "fast", "-w").CombinedOutput(); err != nil {
		return false, fmt.Errorf("pgcluster: stopping the server in %s to move its socket: %w: %s", c.dataDir, err, trimOut(out))
	}
	return false, nil
}

// runningPostmaster reads postmaster.pid, returning its lines (nil when there is
// none) and whether its PID is a live postmaster of this data folder.
func (c *Cluster) runningPostmaster() (lines []string, running bool) {
	b, err := os.ReadFile(filepath.Join(c.dataDir, "postmaster.pid"))
	if err != nil {
		return nil, false
	}
	lines = strings.Split(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil || pid <= 0 {
		return lines, false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return lines, false
	}
	// A postmaster works in its data folder. Where /proc does not tell (another
	// OS user's process), a live PID is trusted, as pg_ctl status does.
	if cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid)); err == nil {
		want, err := filepath.EvalSymlinks(c.dataDir)
		if err != nil {
			want = c.dataDir
		}
		return lines, cwd == want
	}
	if comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); err == nil {
		return lines, strings.TrimSpace(string(comm)) == "postgres"
	}
	return lines, true
}

// pgCtl returns a pg_ctl command for this cluster: pg_ctl <action> -D <data> args.
func (c *Cluster) pgCtl(ctx context.Context, action string, args ...string) *exec.Cmd {
	return c.command(ctx, "pg_ctl", append([]string{action, "-D", c.dataDir, "-s"}, args...)...)
}

// command returns a command running a PostgreSQL program as the cluster's owner.
func (c *Cluster) command(ctx context.Context, program string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, program), args...)
	// The postgres OS user may not be able to enter the current folder.
	cmd.Dir = "/"
	cmd.WaitDelay = 5 * time.Second
	// PG* variables meant for clients (PGDATA, PGPORT, PGHOST...) would otherwise
	// redirect pg_ctl and postgres.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	if c.owner != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.owner.credential()}
	}
	return cmd
}

// tail returns up to the last n bytes of a file, for error messages.
func tail(path string, n int64) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(%v)", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > n {
		f.Seek(fi.Size()-n, io.SeekStart)
	}
	b, _ := io.ReadAll(f)
	return strings.TrimSpace(string(b))
}

// pgStop stops the server (pg_ctl stop -m fast) and returns once its postmaster
// has exited. pg_ctl returns when postmaster.pid is gone, which the postmaster
// removes just before it exits; waiting for the exit itself means whoever starts a
// server on this port or folder next finds them free. A server that was not
// running is already in the state wanted.
func (c *Cluster) pgStop(ctx context.Context) error {
	lines, wasRunning := c.runningPostmaster()
	if out, err := c.pgCtl(ctx, "stop", "-m", "fast", "-w", "-t", "60").CombinedOutput(); err != nil {
		if _, running := c.runningPostmaster(); running {
			return fmt.Errorf("pgcluster: pg_ctl stop: %w: %s", err, trimOut(out))
		}
		return nil
	}
	if !wasRunning {
		return nil
	}
	return waitExited(ctx, lines)
}

// waitExited waits until the process named on the first of a postmaster.pid's lines
// has exited (or is a zombie, which holds no port or file), or ctx ends.
func waitExited(ctx context.Context, pidLines []string) error {
	pid, err := strconv.Atoi(strings.TrimSpace(pidLines[0]))
	if err != nil || pid <= 0 {
		return nil
	}
	for {
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			return nil
		}
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
			if _, after, _ := strings.Cut(string(b), ") "); strings.HasPrefix(after, "Z") {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("pgcluster: postmaster %d still runs after pg_ctl stop: %w", pid, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}
