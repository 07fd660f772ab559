package main

import (
	"database/sql"
	"os"
	"testing"

	"github.com/lib/pq"

	"tsunagu/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// The bench's seed keeps up with the schema: a small network is made with the same
// SQL as the full one, and its stock levels equal its ledger.
func TestSeedSmall(t *testing.T) {
	raw, err := sql.Open("postgres", pgtest.NewURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	raw.SetMaxOpenConns(1) // the seed's temporary tables live in its session
	small := sizes{municipalities: 4, facilitiesPer: 2, productsPer: 5, stockPerShop: 8,
		salesPerDay: 1, transfers: 3, sources: 2}
	if _, err := seed(t.Context(), raw, small); err != nil {
		t.Fatalf("seed: %v", err)
	}
	if err := report(t.Context(), raw); err != nil {
		t.Fatalf("report: %v", err)
	}
	// The sales' clerks sell only what their shop has on hand, not a level that is
	// empty (sold out, or made for a shipment still on its way: here three such at
	// every shop), whose every sale would be refused.
	_, err = raw.ExecContext(t.Context(), `
		INSERT INTO stock_levels (product_id, location_id)
		SELECT p.id, l.id FROM locations l CROSS JOIN LATERAL (
			SELECT id FROM products p WHERE p.status = 'ACTIVE'
			  AND NOT EXISTS (SELECT FROM stock_levels s WHERE s.product_id = p.id AND s.location_id = l.id)
			ORDER BY id LIMIT 3) p
		WHERE l.kind = 'SHOP'`)
	if err != nil {
		t.Fatal(err)
	}
	w, err := loadWorld(t.Context(), raw, small)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range w.shops {
		var empty int
		err := raw.QueryRowContext(t.Context(), `SELECT count(*) FROM stock_levels
			WHERE location_id = $1 AND product_id = ANY($2) AND on_hand <= 0`, s.id, pq.Array(s.products)).Scan(&empty)
		if err != nil {
			t.Fatal(err)
		}
		if empty > 0 || len(s.products) == 0 {
			t.Errorf("shop %d: %d of its %d products to sell have nothing on hand", s.id, empty, len(s.products))
		}
	}
}
