package postgres_test

import (
	"context"
	"os"
	"testing"

	"tsunagu/internal/mailpit"
	"tsunagu/internal/pgtest"
	"tsunagu/internal/postgres"
	"tsunagu/internal/stripemock"
)

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	stripemock.Stop()
	mailpit.Stop()
	os.Exit(code)
}

func TestCheckLedgerFindsDrift(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.NewURL(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := pgtest.CheckLedger(ctx, db.SQL()); err != nil {
		t.Fatalf("empty database: %v", err)
	}
	// A level changed behind the ledger's back must be reported.
	_, err = db.SQL().ExecContext(ctx, `
		INSERT INTO municipalities (code, name, prefecture) VALUES ('131032', '港区', '東京都');
		INSERT INTO facilities (municipality_id, name, kind, corporation) VALUES (1, 'f', 'OTHER', 'c');
		INSERT INTO locations (municipality_id, kind, name) VALUES (1, 'SHOP', 's');
		INSERT INTO products (facility_id, municipality_id, translations, search_text, category, price, tax_class)
			VALUES (1, 1, '{"JA": {"name": "x"}}', 'x', 'OTHER', 100, 'STANDARD_10');
		INSERT INTO stock_levels (product_id, location_id, on_hand) VALUES (1, 1, 5);`)
	if err != nil {
		t.Fatal(err)
	}
	if err := pgtest.CheckLedger(ctx, db.SQL()); err == nil {
		t.Fatal("a level without movements passed the check")
	}
	// The ledger refuses to be rewritten.
	_, err = db.SQL().ExecContext(ctx, `
		INSERT INTO stock_movements (product_id, location_id, owner_facility_id, bucket, quantity, reason, document_type, document_id)
		VALUES (1, 1, 1, 'ON_HAND', 5, 'FOUND', 'ADJUSTMENT', 1)`)
	if err != nil {
		t.Fatal(err)
	}
	if err := pgtest.CheckLedger(ctx, db.SQL()); err != nil {
		t.Fatalf("level and ledger agree now: %v", err)
	}
	for _, q := range []string{`UPDATE stock_movements SET quantity = 6`, `DELETE FROM stock_movements`} {
		if _, err := db.SQL().ExecContext(ctx, q); err == nil {
			t.Errorf("%s: the append-only ledger was changed", q)
		}
	}
}
