// Package pgcluster runs a private PostgreSQL server from the system's binaries
// (/usr/lib/postgresql/<version>/bin), for tests and for the development server.
//
// The server listens only on a unix socket in a folder of its own, so it never needs
// or collides with a system PostgreSQL on port 5432, nor with other private clusters
// started by concurrent test binaries. When the process runs as root, the PostgreSQL
// programs run as the "postgres" OS user, because initdb and postgres refuse root.
package pgcluster

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/lib/pq" // the driver Start uses to check that the server accepts connections
)

// DefaultPort names the socket (.s.PGSQL.5433) when Options.Port is 0. It differs
// from 5432 so that a client pointed at the wrong socket folder fails instead of
// quietly reaching a system server.
const DefaultPort = 5433

// Options describe the cluster Start runs.
type Options struct {
	// DataDir is the cluster folder. Start runs initdb when it is missing or empty
	// and reuses the cluster when it already holds one; it refuses any other
	// non-empty folder.
	DataDir string
	// SocketDir is the unix socket folder. "" means a folder "run" beside DataDir,
	// or, when that path is too long for a unix socket (about 107 bytes), a short
	// folder under os.TempDir() named after DataDir.
	SocketDir string
	// Port names the socket (.s.PGSQL.<Port>); 0 means DefaultPort. The server
	// opens no TCP listener.
	Port int
	// Temporary clusters trade durability for speed (fsync off) and are removed
	// by Stop, and by a watchdog process when the process that started them dies,
	// even by SIGKILL. Removal covers DataDir, the socket folder if Start created
	// it, and DataDir's parent folder if that leaves it empty, so a cluster placed
	// in a fresh os.MkdirTemp folder leaves nothing behind.
	Temporary bool
	// Logf, when set, receives progress messages.
	Logf func(format string, args ...any)
}

// Cluster is a running PostgreSQL server. Its methods are safe for concurrent use.
type Cluster struct {
	bin       string
	dataDir   string
	socketDir string
	port      int
	temporary bool
	logf      func(string, ...any)
	owner     *osUser // nil when the PostgreSQL programs run as the current user

	// removeOnStop lists what a Temporary cluster removes besides dataDir.
	removeOnStop []string
	watchdog     *watchdog

	stopOnce sync.Once
	stopErr  error
}

// Start runs the cluster described by o and returns once it accepts connections.
//
// A persistent cluster whose server is already running (left by an earlier run) is
// reused as it is, unless it listens on another socket, in which case it is
// restarted; a postmaster.pid left by a crash is recognised and ignored.
//
// Start fails if the PostgreSQL binaries are missing, if the postgres OS user
// cannot enter a parent folder of DataDir or SocketDir (the error names it and the
// chmod that fixes it), if initdb fails, or if the server does not come up (the
// error quotes the end of the server log). It stops waiting when ctx is done; a
// Temporary cluster is then removed again.
func Start(ctx context.Context, o Options) (_ *Cluster, err error) {
	if o.DataDir == "" {
		return nil, errors.New("pgcluster: Options.DataDir is empty")
	}
	c := &Cluster{port: o.Port, temporary: o.Temporary, logf: o.Logf}
	if c.port == 0 {
		c.port = DefaultPort
	}
	if c.logf == nil {
		c.logf = func(string, ...any) {}
	}
	if c.dataDir, err = filepath.Abs(o.DataDir); err != nil {
		return nil, fmt.Errorf("pgcluster: %w", err)
	}
	if c.owner, err = postgresOwner(); err != nil {
		return nil, err
	}
	if err := c.prepareDirs(o.SocketDir); err != nil {
		return nil, err
	}
	if c.temporary {
		// The watchdog starts before initdb: a process killed while initdb or the
		// server starts must not leave a cluster behind either.
		c.watchdog, err = startWatchdog(c.dataDir, c.removeOnStop)
		if err != nil {
			os.RemoveAll(c.dataDir)
			removeAll(c.removeOnStop)
			return nil, err
		}
		defer func() {
			if err != nil {
				c.Stop()
			}
		}()
	}
	if err := c.init(ctx); err != nil {
		return nil, err
	}
	reused, err := c.reuseRunning(ctx)
	if err != nil {
		return nil, err
	}
	if !reused {
		if err := c.start(ctx); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// URL returns a lib/pq connection URL for database as user postgres over the unix
// socket, such as "postgres://postgres@/db?host=/x/run&port=5433&sslmode=disable".
// psql accepts it too.
func (c *Cluster) URL(database string) string {
	u := url.URL{Scheme: "postgres", User: url.User("postgres"), Path: "/" + database}
	q := url.Values{"host": {c.socketDir}, "port": {strconv.Itoa(c.port)}, "sslmode": {"disable"}}
	// A "/" needs no escaping in a query; leaving it makes the URL readable in logs.
	u.RawQuery = strings.ReplaceAll(q.Encode(), "%2F", "/")
	return u.String()
}

// DataDir returns the absolute cluster folder.
func (c *Cluster) DataDir() string { return c.dataDir }

// SocketDir returns the absolute folder holding the server's unix socket.
func (c *Cluster) SocketDir() string { return c.socketDir }

// Port returns the port number naming the unix socket.
func (c *Cluster) Port() int { return c.port }

// Stop shuts the server down (pg_ctl stop -m fast), even one Start reused, and, for
// a Temporary cluster, removes its folders and ends the watchdog. Calling it again
// returns the first result. It fails if the server does not stop or a folder
// cannot be removed.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() { c.stopErr = c.stop() })
	return c.stopErr
}

// Restart stops the server (pg_ctl stop -m fast: sessions are terminated, work in
// flight rolls back) and starts it again on the same data, as an operator's restart
// would; fault tests use it to check that clients recover.
func (c *Cluster) Restart(ctx context.Context) error {
	if err := c.Halt(ctx); err != nil {
		return err
	}
	return c.start(ctx)
}

func (c *Cluster) stop() error {
	var errs []error
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// c.bin is unknown only when Start failed before any server could start.
	if c.bin != "" {
		if err := c.pgStop(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if c.temporary {
		// The watchdog removes the folders (and kills a server pg_ctl failed to
		// stop); removing them here again reports what it could not remove.
		if err := c.watchdog.finish(30 * time.Second); err != nil {
			errs = append(errs, err)
		}
		if err := os.RemoveAll(c.dataDir); err != nil {
			errs = append(errs, fmt.Errorf("pgcluster: %w", err))
		}
		if err := removeAll(c.removeOnStop); err != nil {
			errs = append(errs, err)
		}
		os.Remove(filepath.Dir(c.dataDir)) // only succeeds when empty, as promised
	}
	return errors.Join(errs...)
}

// prepareDirs creates the data and socket folders, hands those it creates (and an
// empty data folder, which initdb must own) to the postgres OS user, and checks
// that it can reach them.
func (c *Cluster) prepareDirs(socketDir string) (err error) {
	var made []string
	defer func() {
		if err != nil {
			removeAll(made)
		}
	}()
	if c.socketDir, err = c.chooseSocketDir(socketDir); err != nil {
		return err
	}
	// initdb wants the data folder private; the socket folder stays open so that
	// OS users other than the owner can connect too.
	for _, d := range []struct {
		path string
		perm os.FileMode
	}{{c.dataDir, 0o700}, {c.socketDir, 0o755}} {
		_, err := os.Stat(d.path)
		created := errors.Is(err, os.ErrNotExist)
		// Parents made here must stay enterable by the postgres OS user; only the
		// folder itself gets d.perm.
		if err := os.MkdirAll(filepath.Dir(d.path), 0o755); err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		if err := os.MkdirAll(d.path, d.perm); err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		if created {
			made = append(made, d.path)
		}
		if created && d.path == c.socketDir && c.temporary {
			c.removeOnStop = append(c.removeOnStop, c.socketDir)
		}
		if d.path == c.dataDir && !created {
			entries, err := os.ReadDir(d.path)
			if err != nil {
				return fmt.Errorf("pgcluster: %w", err)
			}
			created = len(entries) == 0
		}
		if created {
			if err := c.owner.chown(d.path); err != nil {
				return err
			}
		}
		if err := c.owner.checkReachable(d.path); err != nil {
			return err
		}
	}
	return nil
}

// maxSocketPath is the longest unix socket path Linux accepts (sun_path holds 108
// bytes including the terminating NUL).
const maxSocketPath = 107

func (c *Cluster) chooseSocketDir(dir string) (string, error) {
	socketName := ".s.PGSQL." + strconv.Itoa(c.port)
	if dir != "" {
		dir, err := filepath.Abs(dir)
		if err != nil {
			return "", fmt.Errorf("pgcluster: %w", err)
		}
		if len(filepath.Join(dir, socketName)) > maxSocketPath {
			return "", fmt.Errorf("pgcluster: socket folder %s is too long for a unix socket (max %d bytes with %s): choose a shorter one", dir, maxSocketPath, socketName)
		}
		return dir, nil
	}
	dir = filepath.Join(filepath.Dir(c.dataDir), "run")
	if len(filepath.Join(dir, socketName)) <= maxSocketPath {
		return dir, nil
	}
	// Named after the data folder, so that a persistent cluster finds its socket
	// again on the next run.
	sum := sha256.Sum256([]byte(c.dataDir))
	dir = filepath.Join(os.TempDir(), "pgcluster-"+hex.EncodeToString(sum[:6]))
	if len(filepath.Join(dir, socketName)) > maxSocketPath {
		return "", fmt.Errorf("pgcluster: both %s and %s are too long for a unix socket: set Options.SocketDir", filepath.Join(filepath.Dir(c.dataDir), "run"), dir)
	}
	return dir, nil
}

// waitReady connects until the server answers or ctx ends.
func (c *Cluster) waitReady(ctx context.Context) error {
	db, err := sql.Open("postgres", c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	defer db.Close()
	for {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = db.PingContext(pctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("pgcluster: waiting for the server on %s: %w (last error: %v)", c.socketDir, ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func removeAll(paths []string) error {
	var errs []error
	for _, p := range paths {
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, fmt.Errorf("pgcluster: %w", err))
		}
	}
	return errors.Join(errs...)
}

// trimOut trims command output for an error message.
func trimOut(out []byte) string {
	return strings.TrimSpace(string(out))
}
