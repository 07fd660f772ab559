// Package pgtest gives each test a fresh database with the schema of package
// migrations, cloned from a migrated template (pgtestdb), so that tests run against
// real PostgreSQL, in parallel, without seeing each other's rows.
//
// A package using it runs its tests through Main:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // the "postgres" driver pgtestdb connects with
	"github.com/peterldowns/pgtestdb"

	"tsunagu/internal/pgcluster"
	"tsunagu/migrations"
)

// mainRunning is set by Main before the tests run; New refuses to work without it,
// since only Main stops the cluster.
var mainRunning bool

// server is the database server, chosen on the first New, so that a test binary
// whose run selects no database test starts none.
var server struct {
	once    sync.Once
	conf    *pgtestdb.Config
	err     error
	cluster *pgcluster.Cluster // nil unless started
}

// Main runs the package's tests against DATABASE_URL when it is set (a postgres://
// URL of a role that may create roles and databases), and otherwise against a
// Temporary pgcluster in a fresh temporary folder, started by the first New and
// stopped and removed after the tests (by its watchdog if the test binary is
// killed). It returns the exit code for os.Exit. When no server can be had, every
// test asking for a database fails, saying why: tests never skip for want of one.
func Main(m *testing.M) int {
	mainRunning = true
	code := m.Run()
	if server.cluster != nil {
		if err := server.cluster.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
	}
	return code
}

func connect() (*pgtestdb.Config, error) {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		conf, err := configFromURL(u)
		if err != nil {
			return nil, fmt.Errorf("DATABASE_URL: %w", err)
		}
		return conf, nil
	}
	c, err := startCluster()
	if err != nil {
		return nil, err
	}
	server.cluster = c
	return &pgtestdb.Config{
		DriverName: "postgres",
		User:       "postgres",
		Database:   "postgres",
		// pgtestdb formats "postgres://user:pass@host:port/db?options"; an empty
		// host and a host= option make lib/pq (and libpq) use the unix socket.
		Port:    strconv.Itoa(c.Port()),
		Options: "host=" + strings.ReplaceAll(url.QueryEscape(c.SocketDir()), "%2F", "/") + "&sslmode=disable",
	}, nil
}

func startCluster() (*pgcluster.Cluster, error) {
	root, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	// MkdirTemp makes the folder 0700, which shuts out the postgres OS user that
	// runs the server when the tests run as root.
	if err := os.Chmod(root, 0o755); err != nil {
		os.Remove(root)
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Stop, or the watchdog, removes root too, once data and run are gone.
	c, err := pgcluster.Start(ctx, pgcluster.Options{DataDir: filepath.Join(root, "data"), Temporary: true})
	if err != nil {
		os.RemoveAll(root)
		return nil, err
	}
	return c, nil
}

// configFromURL turns a postgres:// URL into the parts pgtestdb reassembles.
// pgtestdb pastes them into a URL unescaped, so user and password stay escaped.
func configFromURL(s string) (*pgtestdb.Config, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return nil, fmt.Errorf("want a postgres:// URL, got %q", u.Redacted())
	}
	conf := &pgtestdb.Config{
		DriverName: "postgres",
		Host:       u.Host, // with its IPv6 brackets, as the URL needs them
		Port:       u.Port(),
		Database:   strings.TrimPrefix(u.Path, "/"),
		Options:    u.RawQuery,
	}
	if conf.Port != "" {
		conf.Host = strings.TrimSuffix(u.Host, ":"+conf.Port)
	}
	if u.User != nil {
		conf.User, conf.Password, _ = strings.Cut(u.User.String(), ":")
	}
	return conf, nil
}

// New returns a new database for t, a copy of a template database migrated with
// migrations.Up, opened with lib/pq ("postgres") as a role that is no superuser. It
// is closed and dropped when t ends, unless t failed: then it is kept for
// inspection and its URL is in the test log. New fails t if Main is not running the
// tests or the database cannot be created.
func New(t testing.TB) *sqlx.DB {
	t.Helper()
	return sqlx.NewDb(pgtestdb.New(t, config(t), migrator{}), "postgres")
}

// NewURL is New for tests that connect by themselves, such as by starting a server
// process: it returns the database's lib/pq URL, which psql accepts too.
// Connections must be closed before t's cleanup drops the database.
func NewURL(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, config(t), migrator{}).URL()
}

func config(t testing.TB) pgtestdb.Config {
	t.Helper()
	if !mainRunning {
		t.Fatalf("pgtest: no database server: add to the package's tests\n\tfunc TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }")
	}
	server.once.Do(func() { server.conf, server.err = connect() })
	if server.err != nil {
		t.Fatalf("pgtest: %v", server.err)
	}
	return *server.conf
}

// migrator builds the template with the project's migrations; pgtestdb migrates
// a template once per Hash and reuses it across test binaries and runs.
type migrator struct{}

func (migrator) Hash() (string, error) { return migrations.Hash(), nil }

func (migrator) Migrate(ctx context.Context, db *sql.DB, _ pgtestdb.Config) error {
	return migrations.Up(ctx, db)
}
