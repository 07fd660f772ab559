package pgcluster

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// pgbouncerBin is where Debian's pgbouncer package installs the program.
const pgbouncerBin = "/usr/sbin/pgbouncer"

// BouncerOptions describe the PgBouncer StartBouncer runs.
type BouncerOptions struct {
	// Dir holds its configuration, log and unix socket; it must exist and be short
	// enough for a socket path. The cluster's owner must be able to write it.
	Dir string
	// Port names the socket (.s.PGSQL.<Port>); 0 means 6432. No TCP listener.
	Port int
	// PoolSize is the number of server connections per database and user
	// (default_pool_size); 0 means 10.
	PoolSize int
	// ConnectQuery runs on every new server connection, such as
	// "SET statement_timeout = 5000" (PgBouncer 1.18 refuses that setting as a
	// client's startup parameter).
	ConnectQuery string
}

// Bouncer is a running PgBouncer in transaction pooling mode in front of a Cluster.
type Bouncer struct {
	cmd       *exec.Cmd
	dir       string
	port      int
	cluster   *Cluster
	done      chan struct{}
	waitError error
}

// StartBouncer runs PgBouncer (Debian's pgbouncer package) in front of the cluster,
// in transaction pooling mode, listening only on a unix socket in o.Dir, as the
// cluster's owner (PgBouncer refuses root). It returns once the pooler answers.
// The program is killed when the calling process dies (Pdeathsig).
func (c *Cluster) StartBouncer(ctx context.Context, o BouncerOptions) (*Bouncer, error) {
	if _, err := os.Stat(pgbouncerBin); err != nil {
		return nil, fmt.Errorf("pgcluster: %s is missing: install PgBouncer with `apt-get install -y pgbouncer` (make deps does this)", pgbouncerBin)
	}
	b := &Bouncer{dir: o.Dir, port: o.Port, cluster: c, done: make(chan struct{})}
	if b.port == 0 {
		b.port = 6432
	}
	if o.PoolSize == 0 {
		o.PoolSize = 10
	}
	db := "host=" + c.socketDir + " port=" + strconv.Itoa(c.port)
	if o.ConnectQuery != "" {
		db += " connect_query='" + strings.ReplaceAll(o.ConnectQuery, "'", "''") + "'"
	}
	conf := strings.Join([]string{
		"[databases]",
		"* = " + db,
		"[pgbouncer]",
		"listen_addr =",
		"listen_port = " + strconv.Itoa(b.port),
		"unix_socket_dir = " + o.Dir,
		"auth_type = trust",
		"admin_users = postgres",
		"auth_file = " + filepath.Join(o.Dir, "userlist.txt"),
		"pool_mode = transaction",
		"default_pool_size = " + strconv.Itoa(o.PoolSize),
		"max_client_conn = 500",
		"server_login_retry = 1",
		"logfile = " + filepath.Join(o.Dir, "pgbouncer.log"),
		"pidfile = " + filepath.Join(o.Dir, "pgbouncer.pid"),
		"",
	}, "\n")
	for name, content := range map[string]string{"pgbouncer.ini": conf, "userlist.txt": `"postgres" ""` + "\n"} {
		path := filepath.Join(o.Dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			return nil, fmt.Errorf("pgcluster: %w", err)
		}
		if err := c.owner.chown(path); err != nil {
			return nil, err
		}
	}
	if err := c.owner.chown(o.Dir); err != nil {
		return nil, err
	}
	b.cmd = exec.Command(pgbouncerBin, filepath.Join(o.Dir, "pgbouncer.ini"))
	b.cmd.Dir = "/"
	b.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if c.owner != nil {
		b.cmd.SysProcAttr.Credential = c.owner.credential()
	}
	if err := b.cmd.Start(); err != nil {
		return nil, fmt.Errorf("pgcluster: starting pgbouncer: %w", err)
	}
	go func() {
		b.waitError = b.cmd.Wait()
		close(b.done)
	}()
	if err := b.waitReady(ctx); err != nil {
		b.Stop()
		return nil, err
	}
	return b, nil
}

// URL returns a lib/pq URL for database through the pooler, as user postgres.
func (b *Bouncer) URL(database string) string {
	u := url.URL{Scheme: "postgres", User: url.User("postgres"), Path: "/" + database}
	q := url.Values{"host": {b.dir}, "port": {strconv.Itoa(b.port)}, "sslmode": {"disable"}}
	u.RawQuery = strings.ReplaceAll(q.Encode(), "%2F", "/")
	return u.String()
}

// Transactions returns how many transactions PgBouncer has carried to database
// (SHOW STATS on its admin console), so that a test can tell traffic went through it.
func (b *Bouncer) Transactions(ctx context.Context, database string) (int64, error) {
	db, err := sql.Open("postgres", b.URL("pgbouncer"))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "SHOW STATS")
	if err != nil {
		return 0, fmt.Errorf("pgcluster: pgbouncer SHOW STATS: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return 0, err
		}
		row := map[string]string{}
		for i, c := range cols {
			row[c] = vals[i].String
		}
		if row["database"] == database {
			return strconv.ParseInt(row["total_xact_count"], 10, 64)
		}
	}
	return 0, rows.Err()
}

// Stop ends PgBouncer (SIGINT: at once, closing its connections).
func (b *Bouncer) Stop() error {
	select {
	case <-b.done:
		return nil
	default:
	}
	b.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-b.done:
	case <-time.After(10 * time.Second):
		b.cmd.Process.Kill()
		<-b.done
	}
	return nil
}

func (b *Bouncer) waitReady(ctx context.Context) error {
	db, err := sql.Open("postgres", b.URL("postgres"))
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	defer db.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = db.PingContext(pctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-b.done:
			return fmt.Errorf("pgcluster: pgbouncer stopped (%v): %s", b.waitError, tail(filepath.Join(b.dir, "pgbouncer.log"), 2048))
		default:
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return errors.Join(fmt.Errorf("pgcluster: pgbouncer does not answer: %w", err), ctx.Err())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
