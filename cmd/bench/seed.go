package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// The dataset: a network of municipalities, each with facilities, a shop with one
// register, a warehouse, a manager and a clerk; products with translations; stock
// at every shop and warehouse; a year of sales; and approved transfers waiting to
// ship. Everything but the products (whose names, search text and codes come from
// the domain's own functions) is made by set-based SQL, and every stock level equals
// the sum of its ledger rows.
type sizes struct {
	municipalities int // the first is the home municipality
	facilitiesPer  int
	productsPer    int // per facility
	stockPerShop   int // products stocked at each shop
	salesPerDay    int // per shop, for a year
	transfers      int // approved 5-line transfers, per source municipality
	sources        int // municipalities whose warehouses ship
}

var fullSize = sizes{municipalities: 100, facilitiesPer: 10, productsPer: 100, stockPerShop: 2000,
	salesPerDay: 6, transfers: 4000, sources: 8}

// scaled is fullSize with about n products: the network stays, each facility makes
// more or fewer (at least 1).
func scaled(n int) sizes {
	sz := fullSize
	sz.productsPer = max(1, n/(sz.municipalities*sz.facilitiesPer))
	return sz
}

// The words products are named after: Japanese, English, category, tax class.
var words = []struct {
	ja, en   string
	category tsunagu.Category
	food     bool
}{
	{"クッキー", "Cookies", tsunagu.CategorySweets, true},
	{"マドレーヌ", "Madeleines", tsunagu.CategorySweets, true},
	{"パウンドケーキ", "Pound cake", tsunagu.CategorySweets, true},
	{"いちごジャム", "Strawberry jam", tsunagu.CategoryFood, true},
	{"食パン", "Bread loaf", tsunagu.CategoryBakery, true},
	{"ラスク", "Rusks", tsunagu.CategorySweets, true},
	{"ハーブティー", "Herb tea", tsunagu.CategoryBeverage, true},
	{"干し柿", "Dried persimmons", tsunagu.CategoryFood, true},
	{"味噌", "Miso", tsunagu.CategoryFood, true},
	{"はちみつ", "Honey", tsunagu.CategoryFood, true},
	{"木のスプーン", "Wooden spoon", tsunagu.CategoryCraft, false},
	{"さをり織りコースター", "Saori coaster", tsunagu.CategoryTextile, false},
	{"手すき和紙ノート", "Washi notebook", tsunagu.CategoryStationery, false},
	{"石けん", "Soap", tsunagu.CategoryHousehold, false},
	{"布ぞうり", "Cloth sandals", tsunagu.CategoryTextile, false},
	{"陶器のマグカップ", "Ceramic mug", tsunagu.CategoryCraft, false},
	{"キャンドル", "Candle", tsunagu.CategoryHousehold, false},
	{"帆布トートバッグ", "Canvas tote", tsunagu.CategoryTextile, false},
	{"刺し子ふきん", "Sashiko cloth", tsunagu.CategoryTextile, false},
	{"多肉植物", "Succulent", tsunagu.CategoryPlant, false},
}

// seed fills an empty, migrated database. It returns what the benchmark needs to
// know of it.
func seed(ctx context.Context, db *sql.DB, sz sizes) (*world, error) {
	exec := func(what, q string, args ...any) error {
		start := time.Now()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("seed %s: %w", what, err)
		}
		logf("  %-28s %6.1fs", what, time.Since(start).Seconds())
		return nil
	}
	// Municipality codes with their check digits, as the domain computes them.
	codes := make([]string, sz.municipalities)
	for i := range codes {
		first5 := fmt.Sprintf("%05d", 10000+i*7)
		d, _ := tsunagu.MunicipalityCheckDigit(first5)
		codes[i] = first5 + strconv.Itoa(d)
	}
	// The dataset is consistent by construction (and the ledger is checked after):
	// as a superuser the seed skips the row triggers of foreign keys and of the
	// append-only ledger, which would otherwise take most of its time. CHECK
	// constraints still hold every row. Another role (the tests') checks every key.
	if _, err := db.ExecContext(ctx, `SET session_replication_role = replica`); err == nil {
		defer db.ExecContext(context.WithoutCancel(ctx), `SET session_replication_role = DEFAULT`)
	} else if pqErr := (*pq.Error)(nil); !errors.As(err, &pqErr) || pqErr.Code != "42501" {
		return nil, fmt.Errorf("seed session settings: %w", err)
	}
	steps := []struct {
		what string
		q    string
		args []any
	}{
		{"municipalities", `
			INSERT INTO municipalities (code, name, name_en, prefecture, is_home)
			SELECT c, '市' || o, 'City ' || o, '県' || (o % 47), o = 1
			FROM unnest($1::text[]) WITH ORDINALITY AS u(c, o) ORDER BY o`, []any{pq.Array(codes)}},
		// Every town partners every other: a shop sells only its own town's and its
		// partners' goods (NOT_CARRIED otherwise), and the seed stocks each shop with
		// a run of the whole catalog.
		{"partnerships", `
			INSERT INTO partnerships (municipality_a, municipality_b)
			SELECT a.id, b.id FROM municipalities a, municipalities b WHERE a.id < b.id`, nil},
		{"facilities", `
			INSERT INTO facilities (municipality_id, name, kind, corporation, registration_number)
			SELECT m.id, '事業所' || m.id || '-' || g, (ARRAY['EMPLOYMENT_SUPPORT_A', 'EMPLOYMENT_SUPPORT_B',
				'EMPLOYMENT_TRANSITION', 'LIFE_CARE', 'OTHER'])[1 + g % 5], '社会福祉法人' || m.id,
				CASE WHEN g % 2 = 0 THEN 'T7000012050002' END
			FROM municipalities m, generate_series(1, $1) AS g ORDER BY m.id, g`, []any{sz.facilitiesPer}},
		{"shops and warehouses", `
			INSERT INTO locations (municipality_id, kind, name)
			SELECT m.id, k, m.name || CASE k WHEN 'SHOP' THEN '役所 福祉ショップ' ELSE ' 倉庫' END
			FROM municipalities m, unnest(ARRAY['SHOP', 'WAREHOUSE']) AS k ORDER BY m.id, k`, nil},
		{"shops, registers", `
			WITH s AS (
				INSERT INTO shops (location_id, operator_name, registration_number)
				SELECT l.id, m.name, 'T7000012050002' FROM locations l JOIN municipalities m ON m.id = l.municipality_id
				WHERE l.kind = 'SHOP' RETURNING location_id
			)
			INSERT INTO registers (shop_id, name) SELECT location_id, 'レジ1' FROM s`, nil},
		{"users", `
			INSERT INTO users (email, name, password_hash, role, municipality_id, shop_id)
			SELECT 'admin@bench.example', 'admin', 'x', 'ADMIN', NULL::bigint, NULL::bigint
			UNION ALL
			SELECT 'manager' || m.id || '@bench.example', 'manager', 'x', 'MANAGER', m.id, NULL FROM municipalities m
			UNION ALL
			SELECT 'clerk' || l.id || '@bench.example', 'clerk', 'x', 'CLERK', l.municipality_id, l.id
			FROM locations l WHERE l.kind = 'SHOP'`, nil},
		// Tokens are the users' e-mail addresses' local parts, which is fine for a
		// throw-away benchmark database.
		{"tokens", `
			INSERT INTO auth_tokens (token_hash, user_id, expires_at)
			SELECT sha256(convert_to(split_part(email, '@', 1), 'UTF8')), id, now() + interval '1 day' FROM users`, nil},
	}
	for _, s := range steps {
		if err := exec(s.what, s.q, s.args...); err != nil {
			return nil, err
		}
	}
	if err := seedProducts(ctx, db, sz); err != nil {
		return nil, err
	}
	more := []struct {
		what string
		q    string
		args []any
	}{
		// Shop n stocks a run of stockPerShop products starting at n × 997 (wrapping),
		// so that shops hold different goods; every warehouse of the first sources
		// municipalities holds its own municipality's products, plenty of them.
		{"stock levels", `
			WITH n AS (SELECT count(*) AS n FROM products),
			shop AS (SELECT l.id, row_number() OVER (ORDER BY l.id) - 1 AS i FROM locations l WHERE l.kind = 'SHOP')
			INSERT INTO stock_levels (product_id, location_id, on_hand, updated_at)
			SELECT 1 + (shop.i * 997 + g) % n.n, shop.id, 500 + g % 50, now() - interval '1 year'
			FROM shop, n, generate_series(0, $1 - 1) AS g`, []any{sz.stockPerShop}},
		{"warehouse stock", `
			INSERT INTO stock_levels (product_id, location_id, on_hand, updated_at)
			SELECT p.id, l.id, 1000000, now() - interval '1 year'
			FROM locations l JOIN products p ON p.municipality_id = l.municipality_id
			WHERE l.kind = 'WAREHOUSE' AND l.municipality_id <= $1`, []any{sz.sources}},
		{"sessions", `
			INSERT INTO register_sessions (register_id, shop_id, status, opening_float, opened_by, opened_at,
				closed_by, closed_at, counted_cash, operator_name, registration_number, rounding)
			SELECT r.id, r.shop_id, CASE WHEN d = 0 THEN 'OPEN' ELSE 'CLOSED' END, 30000, c.id,
				date_trunc('day', now()) - d * interval '1 day' + interval '9 hours',
				CASE WHEN d > 0 THEN c.id END,
				CASE WHEN d > 0 THEN date_trunc('day', now()) - d * interval '1 day' + interval '18 hours' END,
				CASE WHEN d > 0 THEN 30000 END,
				sh.operator_name, sh.registration_number, sh.rounding
			FROM registers r JOIN shops sh ON sh.location_id = r.shop_id
			JOIN users c ON c.shop_id = r.shop_id, generate_series(0, 364) AS d
			ORDER BY d DESC, r.id`, nil},
		// A sale has one to three lines of goods stocked at its shop.
		{"sales", `
			CREATE TEMP TABLE bench_sales AS
			SELECT row_number() OVER (ORDER BY s.opened_at, s.shop_id, g) AS id, s.id AS session_id, s.register_id,
				s.shop_id, s.opened_by AS sold_by, s.opened_at + g * interval '7 minutes' AS at,
				1 + (hashint4((s.id * 31 + g)::int) & 1023) % 3 AS n_lines, sh.i
			FROM register_sessions s, generate_series(1, $1) AS g,
				(SELECT l.id, row_number() OVER (ORDER BY l.id) - 1 AS i FROM locations l WHERE l.kind = 'SHOP') AS sh
			WHERE sh.id = s.shop_id`, []any{sz.salesPerDay}},
		{"sale lines", `
			CREATE TEMP TABLE bench_lines AS
			SELECT bs.id AS sale_id, k AS line_number,
				1 + (bs.i * 997 + (hashint4((bs.id * 7 + k)::int) & 2147483647) % $1) % (SELECT count(*) FROM products) AS product_id,
				1 + (bs.id + k) % 2 AS quantity
			FROM bench_sales bs, generate_series(1, 3) AS k WHERE k <= bs.n_lines`, []any{sz.stockPerShop}},
		{"sales rows", `
			INSERT INTO sales (id, shop_id, register_id, session_id, receipt_number, status, total, sold_by, created_at)
			OVERRIDING SYSTEM VALUE
			SELECT bs.id, bs.shop_id, bs.register_id, bs.session_id,
				row_number() OVER (PARTITION BY bs.shop_id ORDER BY bs.id), 'COMPLETED', t.total, bs.sold_by, bs.at
			FROM bench_sales bs JOIN (
				SELECT bl.sale_id, sum(p.price * bl.quantity) AS total
				FROM bench_lines bl JOIN products p ON p.id = bl.product_id GROUP BY bl.sale_id
			) AS t ON t.sale_id = bs.id`, nil},
		{"sale lines rows", `
			INSERT INTO sale_lines (sale_id, line_number, product_id, owner_facility_id, name, code, unit_price,
				quantity, tax_class, qualified)
			SELECT bl.sale_id, bl.line_number, p.id, p.facility_id, p.translations->'JA'->>'name', p.code, p.price,
				bl.quantity, p.tax_class, f.registration_number IS NOT NULL
			FROM bench_lines bl JOIN products p ON p.id = bl.product_id JOIN facilities f ON f.id = p.facility_id`, nil},
		{"payments", `
			INSERT INTO sale_payments (sale_id, seq, method, amount, tendered, change)
			SELECT id, 1, 'CASH', total, total, 0 FROM sales`, nil},
		{"receipt counters", `
			UPDATE shops SET last_receipt_number = n.n
			FROM (SELECT shop_id, max(receipt_number) AS n FROM sales GROUP BY shop_id) AS n
			WHERE n.shop_id = shops.location_id`, nil},
		{"sequences", `
			SELECT setval(pg_get_serial_sequence('sales', 'id'), (SELECT max(id) FROM sales))`, nil},
		// The ledger: what was sold leaves the level; an opening count a year ago
		// brought in what is on hand now plus what was sold since.
		{"sale movements", `
			INSERT INTO stock_movements (product_id, location_id, owner_facility_id, bucket, quantity, reason,
				document_type, document_id, actor_id, created_at)
			SELECT sl.product_id, s.shop_id, sl.owner_facility_id, 'ON_HAND', -sl.quantity, 'SALE', 'SALE', s.id,
				s.sold_by, s.created_at
			FROM sale_lines sl JOIN sales s ON s.id = sl.sale_id`, nil},
		{"opening stocktakes", `
			INSERT INTO stocktakes (location_id, complete, note, actor_id, created_at)
			SELECT l.id, false, 'opening count', (SELECT id FROM users WHERE role = 'ADMIN'), now() - interval '1 year'
			FROM locations l ORDER BY l.id`, nil},
		{"opening count lines", `
			CREATE TEMP TABLE bench_opening AS
			SELECT sl.product_id, sl.location_id, sl.on_hand + coalesce(sold.q, 0) AS counted
			FROM stock_levels sl LEFT JOIN (
				SELECT s.shop_id, l.product_id, sum(l.quantity) AS q
				FROM sale_lines l JOIN sales s ON s.id = l.sale_id GROUP BY s.shop_id, l.product_id
			) AS sold ON sold.shop_id = sl.location_id AND sold.product_id = sl.product_id`, nil},
		{"opening movements", `
			WITH st AS (SELECT id, location_id FROM stocktakes WHERE note = 'opening count'),
			lines AS (
				INSERT INTO stocktake_lines (stocktake_id, product_id, expected, counted)
				SELECT st.id, o.product_id, 0, o.counted FROM bench_opening o JOIN st USING (location_id)
			)
			INSERT INTO stock_movements (product_id, location_id, owner_facility_id, bucket, quantity, reason,
				document_type, document_id, actor_id, created_at)
			SELECT o.product_id, o.location_id, p.facility_id, 'ON_HAND', o.counted, 'STOCKTAKE', 'STOCKTAKE', st.id,
				(SELECT id FROM users WHERE role = 'ADMIN'), now() - interval '1 year'
			FROM bench_opening o JOIN st USING (location_id) JOIN products p ON p.id = o.product_id
			ORDER BY o.location_id, o.product_id`, nil},
		// Approved transfers from the warehouses of the first sources municipalities to
		// the home shop, five lines of one each, waiting to ship.
		{"transfers", `
			WITH src AS (
				SELECT l.id, l.municipality_id FROM locations l WHERE l.kind = 'WAREHOUSE' AND l.municipality_id <= $1
			), home AS (
				SELECT l.id, l.municipality_id FROM locations l JOIN municipalities m ON m.id = l.municipality_id
				WHERE m.is_home AND l.kind = 'SHOP'
			)
			INSERT INTO transfers (from_location_id, to_location_id, from_municipality_id, to_municipality_id,
				status, created_by)
			SELECT src.id, home.id, src.municipality_id, home.municipality_id, 'APPROVED',
				(SELECT id FROM users WHERE role = 'ADMIN')
			FROM src, home, generate_series(1, $2) AS g WHERE src.id <> home.id ORDER BY g, src.id`,
			[]any{sz.sources, sz.transfers}},
		{"transfer lines", `
			INSERT INTO transfer_lines (transfer_id, product_id, owner_facility_id, requested, approved, unit_price)
			SELECT t.id, p.id, p.facility_id, 1, 1, p.price
			FROM transfers t CROSS JOIN generate_series(0, 4) AS k
			-- A municipality's products have consecutive IDs: they were made facility by facility.
			JOIN products p ON p.id = (t.from_municipality_id - 1) * $1 + 1 + (t.id * 5 + k) % $1`,
			[]any{sz.facilitiesPer * sz.productsPer}},
		{"transfer events", `
			INSERT INTO transfer_events (transfer_id, type, actor_id)
			SELECT id, 'OFFERED', created_by FROM transfers`, nil},
		// As autovacuum leaves a database that has been running: statistics taken,
		// every row's commit known (hint bits) and the pages marked all visible.
		// With ANALYZE alone, every table just loaded was over autovacuum's
		// threshold of rows inserted since its last vacuum, and autovacuum worked
		// through them (645,807 movements, 437,807 sale lines) on the same two
		// cores while the first cases were measured.
		{"vacuum and analyze", `VACUUM (ANALYZE)`, nil},
	}
	for _, s := range more {
		if err := exec(s.what, s.q, s.args...); err != nil {
			return nil, err
		}
	}
	return loadWorld(ctx, db, sz)
}

// seedProducts makes productsPer products for every facility, named and coded by
// the domain's rules: translations in Japanese and English (every fifth also in easy
// Japanese), search text, an in-store JAN code with its check digit.
func seedProducts(ctx context.Context, db *sql.DB, sz sizes) error {
	start := time.Now()
	var facilities, munis []int64
	rows, err := db.QueryContext(ctx, `SELECT id, municipality_id FROM facilities ORDER BY id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var f, m int64
		if err := rows.Scan(&f, &m); err != nil {
			return err
		}
		facilities, munis = append(facilities, f), append(munis, m)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	const batch = 20_000
	var fs, ms, prices []int64
	var trs, search, cats, codes, taxes, statuses []string
	flush := func() error {
		if len(fs) == 0 {
			return nil
		}
		_, err := db.ExecContext(ctx, `
			INSERT INTO products (facility_id, municipality_id, translations, search_text, category, code, code_kind,
				price, tax_class, status, created_at, updated_at)
			SELECT f, m, t::jsonb, s, c, code, 'IN_STORE', p, tax, st, now() - interval '1 year', now() - interval '1 year'
			FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
				$8::text[], $9::text[]) AS d(f, m, t, s, c, code, p, tax, st)`,
			pq.Array(fs), pq.Array(ms), pq.Array(trs), pq.Array(search), pq.Array(cats), pq.Array(codes),
			pq.Array(prices), pq.Array(taxes), pq.Array(statuses))
		fs, ms, prices, trs, search, cats, codes, taxes, statuses = fs[:0], ms[:0], prices[:0], trs[:0], search[:0], cats[:0], codes[:0], taxes[:0], statuses[:0]
		return err
	}
	n := 0
	for i, f := range facilities {
		for j := range sz.productsPer {
			n++
			w := words[(i*7+j)%len(words)]
			p := tsunagu.Product{Translations: tsunagu.Translations{
				{Locale: tsunagu.LocaleJA, Text: tsunagu.Text{Name: fmt.Sprintf("%s %d", w.ja, n), Description: "手作りの" + w.ja + "です。"}},
				{Locale: tsunagu.LocaleEN, Text: tsunagu.Text{Name: fmt.Sprintf("%s %d", w.en, n)}},
			}}
			if n%5 == 0 {
				p.Translations.Set(tsunagu.LocaleJAEasy, tsunagu.Text{Name: fmt.Sprintf("%s %d", w.ja, n)})
			}
			tr, _ := json.Marshal(p.Translations)
			body := fmt.Sprintf("02%010d", n)
			status := tsunagu.StatusActive
			switch n % 40 {
			case 0:
				status = tsunagu.StatusDraft
			case 1:
				status = tsunagu.StatusArchived
			}
			tax := tsunagu.TaxStandard10
			if w.food {
				tax = tsunagu.TaxReduced8
			}
			fs, ms = append(fs, f), append(ms, munis[i])
			trs, search, cats = append(trs, string(tr)), append(search, p.SearchText()), append(cats, string(w.category))
			codes = append(codes, body+strconv.Itoa(tsunagu.JANCheckDigit(body)))
			prices = append(prices, int64(100+(n*37)%2900))
			taxes, statuses = append(taxes, string(tax)), append(statuses, string(status))
			if len(fs) == batch {
				if err := flush(); err != nil {
					return fmt.Errorf("seed products: %w", err)
				}
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("seed products: %w", err)
	}
	logf("  %-28s %6.1fs", fmt.Sprintf("products (%d)", n), time.Since(start).Seconds())
	return nil
}

// world is what the benchmark knows of the dataset.
type world struct {
	homeShop  int64
	homeMuni  int64
	munis     int
	products  int64
	shops     []shopInfo // the first few shops, one per client
	sources   []int64    // warehouse municipalities, one per client
	transfers map[int64][]int64
}

type shopInfo struct {
	id, session int64
	clerk       string  // the clerk's token
	products    []int64 // what the shop has on hand (not an empty level)
	prices      []int64
}

func loadWorld(ctx context.Context, db *sql.DB, sz sizes) (*world, error) {
	w := &world{munis: sz.municipalities, transfers: map[int64][]int64{}}
	err := db.QueryRowContext(ctx, `
		SELECT l.id, m.id, (SELECT count(*) FROM products) FROM locations l JOIN municipalities m ON m.id = l.municipality_id
		WHERE m.is_home AND l.kind = 'SHOP'`).Scan(&w.homeShop, &w.homeMuni, &w.products)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `
		SELECT l.id, s.id, split_part(u.email, '@', 1),
			(SELECT array_agg(sl.product_id ORDER BY sl.product_id) FROM stock_levels sl JOIN products p ON p.id = sl.product_id
			 WHERE sl.location_id = l.id AND sl.on_hand > 0 AND p.status = 'ACTIVE'),
			(SELECT array_agg(p.price ORDER BY sl.product_id) FROM stock_levels sl JOIN products p ON p.id = sl.product_id
			 WHERE sl.location_id = l.id AND sl.on_hand > 0 AND p.status = 'ACTIVE')
		FROM locations l JOIN register_sessions s ON s.shop_id = l.id AND s.status = 'OPEN'
		JOIN users u ON u.shop_id = l.id
		WHERE l.kind = 'SHOP' ORDER BY l.id LIMIT $1`, sz.sources)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s shopInfo
		if err := rows.Scan(&s.id, &s.session, &s.clerk, (*pq.Int64Array)(&s.products), (*pq.Int64Array)(&s.prices)); err != nil {
			return nil, err
		}
		w.shops = append(w.shops, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	trs, err := db.QueryContext(ctx, `SELECT from_municipality_id, id FROM transfers WHERE status = 'APPROVED' ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer trs.Close()
	for trs.Next() {
		var m, id int64
		if err := trs.Scan(&m, &id); err != nil {
			return nil, err
		}
		if len(w.transfers[m]) == 0 {
			w.sources = append(w.sources, m)
		}
		w.transfers[m] = append(w.transfers[m], id)
	}
	return w, trs.Err()
}
