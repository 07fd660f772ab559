package postgres

import (
	"context"
	neturl "net/url"
	"strings"
	"testing"

	"tsunagu/internal/pgtest"
)

func TestParseLSN(t *testing.T) {
	for in, want := range map[string]uint64{
		"0/0":         0,
		"0/3000148":   0x3000148,
		"16/B374D848": 0x16<<32 | 0xB374D848,
	} {
		if got, err := ParseLSN(in); err != nil || got != want {
			t.Errorf("ParseLSN(%q) = %x, %v; want %x", in, got, err, want)
		}
	}
	if _, err := ParseLSN("not a position"); err == nil {
		t.Error("ParseLSN accepted garbage")
	}
}

func TestForTransactionPooler(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u@h:6432/db?sslmode=disable": "postgres://u@h:6432/db?binary_parameters=yes&sslmode=disable",
		"host=/tmp dbname=db":                    "host=/tmp dbname=db binary_parameters=yes",
	} {
		if got, err := ForTransactionPooler(in); err != nil || got != want {
			t.Errorf("ForTransactionPooler(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// The pool's connections plan prepared statements generically (genericPlans), in
// both forms of connection string; a pool for a transaction pooler does not ask it
// (PgBouncer refuses a startup parameter it does not know, and nothing stays
// prepared there).
func TestGenericPlans(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewURL(t)
	u, err := neturl.Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	pairs := "dbname=" + strings.TrimPrefix(u.Path, "/")
	for k := range q {
		pairs += " " + k + "=" + q.Get(k)
	}
	if u.User != nil {
		pw, _ := u.User.Password()
		pairs += " user=" + u.User.Username() + " password=" + pw
	}
	if h := u.Hostname(); h != "" {
		pairs += " host=" + h
	}
	if p := u.Port(); p != "" {
		pairs += " port=" + p
	}
	pooled, err := ForTransactionPooler(url)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, url, want string }{
		{"url", url, genericPlans}, {"key=value", pairs, genericPlans}, {"pooler", pooled, "auto"},
	} {
		db, err := Open(ctx, c.url, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var mode string
		err = db.db.GetContext(ctx, &mode, `SHOW plan_cache_mode`)
		db.Close()
		if err != nil || mode != c.want {
			t.Errorf("%s (%s): plan_cache_mode %q, %v; want %q", c.name, c.url, mode, err, c.want)
		}
	}
}

// Lag-tolerant statements outside a transaction go to the replica's pool;
// transactions, and everything else, stay on the primary. A "replica" that is not
// a standby is never chosen by OnReplica. With prepared statements off nothing is
// prepared.
func TestReplicaRouting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewURL(t)
	db, err := Open(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	replica, err := OpenStandby(url, nil) // the same server: a pool to watch
	if err != nil {
		t.Fatal(err)
	}
	db.SetReplica(replica)
	db.SetPrepare(false)
	var one int
	if err := db.transact(LagTolerant(ctx), func(tx queryer) error {
		return tx.GetContext(LagTolerant(ctx), &one, `SELECT 1`)
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.q().GetContext(ctx, &one, `SELECT 1`); err != nil {
		t.Fatal(err)
	}
	if n := replica.SQL().Stats().OpenConnections; n != 0 {
		t.Fatalf("a transaction or a plain statement used the replica (%d connections)", n)
	}
	if err := db.q().GetContext(LagTolerant(ctx), &one, `SELECT 1`); err != nil {
		t.Fatal(err)
	}
	if n := replica.SQL().Stats().OpenConnections; n != 1 {
		t.Errorf("a lag-tolerant statement did not use the replica (%d connections)", n)
	}
	if _, ok := db.OnReplica(ctx, 0); ok {
		t.Error("OnReplica chose a server that is not a standby")
	}
	if len(db.stmts.m)+len(replica.stmts.m) != 0 {
		t.Errorf("%d statements prepared with prepared statements off", len(db.stmts.m)+len(replica.stmts.m))
	}
}
