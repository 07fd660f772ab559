package postgres

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"tsunagu/internal/tsunagu"
)

// The catalog's text search as the server runs it, a prepared statement on its
// generic plan after five calls, on 10,000 products: a first page reads no range
// of products_pkey (it used to AND a bitmap of the whole key with the trigram
// index's), and the next page goes on where it stopped.
func TestTextSearchGenericPlans(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testDB(t)
	// One product in 20 is a wooden spoon (木のスプーン), as in the Vendure side by side,
	// each about as wide as the products loaded there (330 bytes).
	_, err := db.SQL().ExecContext(ctx, `
		INSERT INTO municipalities (code, name, prefecture) VALUES ('131032', '港区', '東京都');
		INSERT INTO facilities (municipality_id, name, kind, corporation) VALUES (1, 'f', 'OTHER', 'c');
		INSERT INTO locations (municipality_id, kind, name) VALUES (1, 'SHOP', 's');
		INSERT INTO products (facility_id, municipality_id, translations, search_text, category, price, tax_class, status)
			SELECT 1, 1, jsonb_build_object('JA', jsonb_build_object('name', w.ja || ' ' || i,
					'description', repeat('手作りの品です。', 6)), 'EN', jsonb_build_object('name', w.en || ' ' || i)),
				w.ja || ' ' || lpad(i::text, 5, '0') || E'\n' || w.en || ' ' || lpad(i::text, 5, '0'),
				'OTHER', 100 + i, 'STANDARD_10', 'ACTIVE'
			FROM generate_series(1, 10000) i,
				LATERAL (SELECT CASE WHEN i % 20 = 11 THEN '木のすぷーん' ELSE 'くっきー' END AS ja,
					CASE WHEN i % 20 = 11 THEN 'wooden spoon' ELSE 'cookies' END AS en) w`)
	if err != nil {
		t.Fatal(err)
	}
	// As autovacuum leaves it: the pages all visible, the statistics taken.
	if _, err := db.SQL().ExecContext(ctx, `VACUUM ANALYZE products`); err != nil {
		t.Fatal(err)
	}
	shop := tsunagu.LocationID(1)
	cat := NewCatalogService(db)
	// search runs a search and returns its page and its statement, the one it
	// prepared (each search below has a statement of its own).
	search := func(text string, after int64) (*tsunagu.ProductPage, string) {
		t.Helper()
		db.stmts.mu.Lock()
		before := len(db.stmts.m)
		known := map[string]bool{}
		for q := range db.stmts.m {
			known[q] = true
		}
		db.stmts.mu.Unlock()
		f := tsunagu.ProductFilter{Text: text}
		p, err := cat.ProductPage(ctx, f, tsunagu.PageArgs{First: 50, After: after},
			tsunagu.ProductsWith{Brief: true, NoDescriptions: true, StockAt: &shop})
		if err != nil {
			t.Fatalf("search %q: %v", text, err)
		}
		db.stmts.mu.Lock()
		defer db.stmts.mu.Unlock()
		if len(db.stmts.m) != before+1 {
			t.Fatalf("search %q after %d prepared %d statements, want 1", text, after, len(db.stmts.m)-before)
		}
		for q := range db.stmts.m {
			if !known[q] {
				return p, q
			}
		}
		return nil, ""
	}
	genericPlan := func(q string) string {
		t.Helper()
		conn, err := db.SQL().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SET plan_cache_mode = force_generic_plan`); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, `PREPARE generic AS `+q); err != nil {
			t.Fatal(err)
		}
		defer conn.ExecContext(ctx, `DEALLOCATE generic`)
		n := 0
		for _, m := range regexp.MustCompile(`\$(\d+)`).FindAllStringSubmatch(q, -1) {
			var i int
			fmt.Sscan(m[1], &i)
			n = max(n, i)
		}
		nulls := strings.TrimSuffix(strings.Repeat("NULL, ", n), ", ")
		rows, err := conn.QueryContext(ctx, `EXPLAIN EXECUTE generic(`+nulls+`)`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var plan strings.Builder
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan.WriteString(line + "\n")
		}
		return plan.String()
	}
	names := func(p *tsunagu.ProductPage) (first, last string, n int) {
		items := p.Page.Items
		return items[0].Translations.In(tsunagu.LocaleJA).Name, items[len(items)-1].Translations.In(tsunagu.LocaleJA).Name, len(items)
	}

	// A word with trigrams, first page.
	p, q := search("wooden", 0)
	if first, last, n := names(p); first != "木のすぷーん 11" || last != "木のすぷーん 991" || n != 50 || !p.Page.HasNextPage {
		t.Errorf(`"wooden": %d products %s … %s, next page %v; want 50, 木のすぷーん 11 … 木のすぷーん 991, true`, n, first, last, p.Page.HasNextPage)
	}
	if strings.Contains(q, "p.id > ") {
		t.Errorf(`"wooden", first page: the statement bounds the products' IDs:%s%s`, "\n", q)
	}
	plan := genericPlan(q)
	if strings.Contains(plan, "BitmapAnd") || strings.Contains(plan, "Bitmap Index Scan on products_pkey") {
		t.Errorf(`"wooden", first page: the generic plan reads a range of products_pkey:%s%s`, "\n", plan)
	}
	// Its next page keeps its bound, and goes on where the first stopped.
	p, _ = search("wooden", int64(p.Page.Items[49].ID))
	if first, _, n := names(p); first != "木のすぷーん 1011" || n != 50 {
		t.Errorf(`"wooden", second page: %d products from %s; want 50 from 木のすぷーん 1011`, n, first)
	}
}
