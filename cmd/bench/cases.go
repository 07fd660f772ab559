package main

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	json "github.com/goccy/go-json"
	"github.com/lib/pq"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

func cores() int { return runtime.NumCPU() }

// benchCase is one line of the table: the same work through the API and as the
// minimal SQL, and the targets without the cache: the least ratio of the two
// throughputs and the p99 the API must stay within.
type benchCase struct {
	name         string
	api, minimal op
	ratio        float64
	p99          time.Duration
}

type bench struct {
	w    *world
	raw  *sql.DB
	sz   sizes
	http *http.Client

	catalog map[string]*sql.Stmt
	sale    *sql.Stmt
	ship    *sql.Stmt
	receive *sql.Stmt
	// next[m] is the index of the next transfer of source municipality m to use.
	next map[int64]*atomic.Int64
	// users maps a token to its user's ID, for the minimal SQL.
	users map[string]int64
}

type endpointKey struct{}

// withEndpoint says which server (cache off or on) the API side of a case talks to.
func withEndpoint(ctx context.Context, url string) context.Context {
	return context.WithValue(ctx, endpointKey{}, url)
}

// userError is a mutation payload's userErrors element.
type userError struct{ Code, Message string }

// gql posts a GraphQL operation to ctx's endpoint and decodes its answer
// (decodeAnswer).
func (b *bench) gql(ctx context.Context, token, query string, vars map[string]any, out any) error {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	endpoint, _ := ctx.Value(endpointKey{}).(string)
	req, err := http.NewRequestWithContext(ctx, "POST", endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	return decodeAnswer(raw, resp.StatusCode, out)
}

// decodeAnswer decodes a GraphQL answer in one pass, as a client would (the
// minimal SQL's counterpart is its rows.Scan): into out when given; otherwise by
// root field as mutation payloads, where any userError is an error. Any GraphQL
// error is an error.
//
// The load clients share the machine's two cores with the server they measure, so
// the client's own cost is kept low: one pass (the three passes this made before
// cost about 0.3 ms a catalog page), and goccy/go-json rather than encoding/json,
// which decodes the bench's catalog answer in a fifth of the time
// (BenchmarkDecodeCatalogAnswer: 150 µs → 32 µs; encoding/json.Unmarshal was 22 %
// of the bench process's CPU in an uncached catalog run, README, Benchmark).
func decodeAnswer(raw []byte, status int, out any) error {
	var payloads map[string]struct{ UserErrors []userError }
	r := struct {
		Data   any
		Errors []struct{ Message string }
	}{Data: out}
	if out == nil {
		r.Data = &payloads
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return fmt.Errorf("status %d: %s", status, raw)
	}
	if len(r.Errors) > 0 {
		return fmt.Errorf("GraphQL: %s", r.Errors[0].Message)
	}
	for name, p := range payloads {
		if err := userErrors(name, p.UserErrors); err != nil {
			return err
		}
	}
	return nil
}

// userErrors is the first of a payload's userErrors as an error, or nil.
func userErrors(payload string, errs []userError) error {
	if len(errs) > 0 {
		return fmt.Errorf("%s: %s %s", payload, errs[0].Code, errs[0].Message)
	}
	return nil
}

// The catalog page both sides read: 50 active products with their facility, its
// municipality and the stock available at the home shop.
const catalogQuery = `query($first: Int, $after: String, $filter: ProductFilter, $shop: ID!) {
	products(first: $first, after: $after, filter: $filter) {
		edges { node { id name price taxRate facility { name municipality { name } } stock(locationId: $shop) { available } } }
		pageInfo { endCursor hasNextPage } } }`

// catalogSQL is that page in one statement. The stock is a subquery per row: as a
// join, the planner merges the shop's whole stock in product order for deep pages.
const catalogSQL = `
	SELECT p.id, p.translations->'JA'->>'name', p.price, p.tax_class, f.name, m.name,
		(SELECT s.on_hand - s.reserved FROM stock_levels s WHERE s.product_id = p.id AND s.location_id = $2)
	FROM products p JOIN facilities f ON f.id = p.facility_id JOIN municipalities m ON m.id = f.municipality_id
	WHERE p.status = 'ACTIVE' AND p.id > $1 %s
	ORDER BY p.id LIMIT 51`

// catalogAnswer is catalogQuery's answer, decoded into typed fields as the minimal
// SQL scans its rows.
type catalogAnswer struct {
	Products struct {
		Edges []struct {
			Node struct {
				ID, Name       string
				Price, TaxRate int64
				Facility       struct {
					Name         string
					Municipality struct{ Name string }
				}
				Stock *struct{ Available int64 }
			}
		}
	}
}

type catalogRow struct {
	id, price      int64
	name, tax      string
	facility, muni string
	available      sql.NullInt64
}

func (b *bench) prepare(ctx context.Context) error {
	b.catalog = map[string]*sql.Stmt{}
	for name, q := range map[string]string{
		"plain":        fmt.Sprintf(catalogSQL, ""),
		"municipality": fmt.Sprintf(catalogSQL, "AND p.municipality_id = $3"),
		"text":         fmt.Sprintf(catalogSQL, "AND p.search_text LIKE $3"),
		// A manager sees their municipality's drafts and archived products too.
		"manager": strings.Replace(fmt.Sprintf(catalogSQL, ""), "p.status = 'ACTIVE'",
			"(p.status = 'ACTIVE' OR p.municipality_id = $3)", 1),
	} {
		st, err := b.raw.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		b.catalog[name] = st
	}
	var err error
	if b.sale, err = b.raw.PrepareContext(ctx, saleSQL); err != nil {
		return fmt.Errorf("sale: %w", err)
	}
	if b.ship, err = b.raw.PrepareContext(ctx, shipSQL); err != nil {
		return fmt.Errorf("ship: %w", err)
	}
	if b.receive, err = b.raw.PrepareContext(ctx, receiveSQL); err != nil {
		return fmt.Errorf("receive: %w", err)
	}
	b.users = map[string]int64{}
	rows, err := b.raw.QueryContext(ctx, `SELECT split_part(email, '@', 1), id FROM users`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var token string
		var id int64
		if err := rows.Scan(&token, &id); err != nil {
			return err
		}
		b.users[token] = id
	}
	b.next = map[int64]*atomic.Int64{}
	for _, m := range b.w.sources {
		b.next[m] = &atomic.Int64{}
	}
	return nil
}

// searchWords are the normalised words the text filter looks for.
var searchWords = func() []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = tsunagu.NormalizeSearchText(w.ja)
	}
	return out
}()

func cursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("k:" + strconv.FormatInt(id, 10)))
}

func (b *bench) cases() []benchCase {
	perMuni := int64(b.sz.facilitiesPer * b.sz.productsPer) // products per municipality
	n := b.w.products
	type page struct {
		filter string
		value  func() any        // the filter's value, per request
		after  func(v any) int64 // the page's position, for that value
	}
	// Pages start at multiples of 50 IDs, as cursors followed from the first page
	// would roughly: shallow is one of the first 10 pages, deep one of 200 pages
	// 80% of the way in
	shallow := func(any) int64 { return 50 * rand.Int64N(10) }
	// (fewer on a small catalog, so that a page never starts past 90% of it).
	deep := func(any) int64 { return n*8/10 + 50*rand.Int64N(max(1, min(200, n/500))) }
	pickMuni := func() any { return 2 + rand.Int64N(int64(b.w.munis)-1) }
	word := func() any { return searchWords[rand.IntN(len(searchWords))] }
	manager := "manager" + strconv.FormatInt(b.w.homeMuni, 10)
	homeMuni := func() any { return b.w.homeMuni }
	pages := []struct {
		name  string
		token string // signed in as; "" anonymous
		page  page
	}{
		{"catalog plain, shallow", "", page{"plain", nil, shallow}},
		{"catalog plain, deep", "", page{"plain", nil, deep}},
		{"catalog by municipality, shallow", "", page{"municipality", pickMuni, func(m any) int64 { return (m.(int64) - 1) * perMuni }}},
		{"catalog by municipality, deep", "", page{"municipality", pickMuni, func(m any) int64 { return (m.(int64)-1)*perMuni + perMuni*8/10 }}},
		{"catalog by text, shallow", "", page{"text", word, shallow}},
		{"catalog by text, deep", "", page{"text", word, deep}},
		// The home municipality's manager, with the stock at its shop: never cached.
		{"catalog signed in (manager), shallow", manager, page{"manager", homeMuni, shallow}},
		{"catalog signed in (manager), deep", manager, page{"manager", homeMuni, deep}},
	}
	shop := gid.Encode(gid.KindLocation, b.w.homeShop)
	var out []benchCase
	for _, p := range pages {
		p := p
		// The filter value and the page position are drawn together per request, the
		// position from the value (a municipality's page starts among its products).
		draw := func() (any, int64) {
			var v any
			if p.page.value != nil {
				v = p.page.value()
			}
			return v, p.page.after(v)
		}
		out = append(out, benchCase{name: p.name, ratio: 0.5, p99: 25 * time.Millisecond,
			api: func(ctx context.Context, c int) error {
				v, after := draw()
				vars := map[string]any{"first": 50, "shop": shop}
				if after > 0 {
					vars["after"] = cursor(after)
				}
				switch p.page.filter {
				case "municipality":
					vars["filter"] = map[string]any{"municipalityId": gid.Encode(gid.KindMunicipality, v.(int64))}
				case "text":
					vars["filter"] = map[string]any{"text": v}
				}
				var res catalogAnswer
				if err := b.gql(ctx, p.token, catalogQuery, vars, &res); err != nil {
					return err
				}
				if len(res.Products.Edges) == 0 {
					return fmt.Errorf("empty page")
				}
				return nil
			},
			minimal: func(ctx context.Context, c int) error {
				v, after := draw()
				args := []any{after, b.w.homeShop}
				switch p.page.filter {
				case "municipality", "manager":
					args = append(args, v)
				case "text":
					args = append(args, "%"+v.(string)+"%")
				}
				rows, err := b.catalog[p.page.filter].QueryContext(ctx, args...)
				if err != nil {
					return err
				}
				defer rows.Close()
				var page []catalogRow
				for rows.Next() {
					var r catalogRow
					if err := rows.Scan(&r.id, &r.name, &r.price, &r.tax, &r.facility, &r.muni, &r.available); err != nil {
						return err
					}
					page = append(page, r)
				}
				if len(page) == 0 {
					return fmt.Errorf("empty page")
				}
				return rows.Err()
			}})
	}
	out = append(out,
		benchCase{name: "POS createSale, 3 lines", ratio: 0.8, p99: 25 * time.Millisecond, api: b.apiSale, minimal: b.sqlSale},
		benchCase{name: "exchange ship + receive, 5 lines", ratio: 0.6, p99: 30 * time.Millisecond, api: b.apiTransfer, minimal: b.sqlTransfer},
	)
	return out
}

func newKey() string {
	k := make([]byte, 12)
	crand.Read(k)
	return hex.EncodeToString(k)
}

// basket picks 3 different products stocked at client c's shop.
func (b *bench) basket(c int) (*shopInfo, []int64, []int64, int64) {
	s := &b.w.shops[c%len(b.w.shops)]
	var ids, qs []int64
	var total int64
	seen := map[int]bool{}
	for len(ids) < 3 {
		i := rand.IntN(len(s.products))
		if seen[i] {
			continue
		}
		seen[i] = true
		ids, qs = append(ids, s.products[i]), append(qs, 1)
		total += s.prices[i]
	}
	return s, ids, qs, total
}

const createSaleMutation = `mutation($in: CreateSaleInput!) { createSale(input: $in) {
	sale { id receiptNumber total } userErrors { code message } } }`

func (b *bench) apiSale(ctx context.Context, c int) error {
	s, ids, qs, total := b.basket(c)
	lines := make([]map[string]any, len(ids))
	for i, id := range ids {
		lines[i] = map[string]any{"productId": gid.Encode(gid.KindProduct, id), "quantity": qs[i]}
	}
	return b.gql(ctx, s.clerk, createSaleMutation, map[string]any{"in": map[string]any{
		"sessionId": gid.Encode(gid.KindSession, s.session), "lines": lines, "idempotencyKey": newKey(),
		"payments": []map[string]any{{"method": "CASH", "amount": total, "tendered": total}}}}, nil)
}

// saleSQL is createSale in one statement: the idempotency key, the session's lock,
// the products, the receipt number, the sale with its lines and payment, the stock
// (the levels' CHECK refuses a sale below zero, failing the whole statement) and
// the ledger. One round trip, committed on its own.
const saleSQL = `
	WITH sid AS (SELECT nextval(pg_get_serial_sequence('sales', 'id')) AS id),
	k AS (
		INSERT INTO idempotency_keys (scope, key, operation, request_hash, result_id)
		SELECT $1, $2, 'createSale', '\x00', sid.id FROM sid RETURNING 1
	), sess AS (
		SELECT id, register_id, shop_id FROM register_sessions WHERE id = $3 AND status = 'OPEN' FOR SHARE
	), lines AS (
		SELECT d.ord, d.p, d.q, p.price, p.facility_id, p.translations->'JA'->>'name' AS name, p.code, p.tax_class,
			f.registration_number IS NOT NULL AS qualified
		FROM unnest($4::bigint[], $5::int[]) WITH ORDINALITY AS d(p, q, ord)
		JOIN products p ON p.id = d.p AND p.status = 'ACTIVE' JOIN facilities f ON f.id = p.facility_id
	), st AS (
		UPDATE stock_levels l SET on_hand = l.on_hand - d.q, updated_at = now()
		FROM (SELECT p, sum(q) AS q FROM unnest($4::bigint[], $5::int[]) AS d(p, q) GROUP BY p) AS d, sess
		WHERE l.product_id = d.p AND l.location_id = sess.shop_id RETURNING 1
	), n AS (
		UPDATE shops SET last_receipt_number = last_receipt_number + 1
		WHERE location_id = (SELECT shop_id FROM sess) RETURNING last_receipt_number
	), s AS (
		INSERT INTO sales (id, shop_id, register_id, session_id, receipt_number, status, total, sold_by)
		OVERRIDING SYSTEM VALUE
		SELECT sid.id, sess.shop_id, sess.register_id, sess.id, n.last_receipt_number, 'COMPLETED',
			(SELECT sum(price * q) FROM lines), $6
		FROM sid, sess, n, k RETURNING id, shop_id, total
	), l AS (
		INSERT INTO sale_lines (sale_id, line_number, product_id, owner_facility_id, name, code, unit_price,
			quantity, tax_class, qualified)
		SELECT s.id, lines.ord, lines.p, lines.facility_id, lines.name, coalesce(lines.code, ''), lines.price,
			lines.q, lines.tax_class, lines.qualified
		FROM s, lines
	), pay AS (
		INSERT INTO sale_payments (sale_id, seq, method, amount, tendered, change)
		SELECT id, 1, 'CASH', total, total, 0 FROM s
	), mv AS (
		INSERT INTO stock_movements (product_id, location_id, owner_facility_id, bucket, quantity, reason,
			document_type, document_id, actor_id)
		SELECT lines.p, s.shop_id, lines.facility_id, 'ON_HAND', -lines.q, 'SALE', 'SALE', s.id, $6 FROM s, lines
	)
	SELECT id, (SELECT count(*) FROM st) FROM s`

func (b *bench) sqlSale(ctx context.Context, c int) error {
	s, ids, qs, _ := b.basket(c)
	user := b.users[s.clerk]
	var sale, levels int64
	err := b.sale.QueryRowContext(ctx, "u"+strconv.FormatInt(user, 10), newKey(), s.session, pq.Array(ids), pq.Array(qs), user).
		Scan(&sale, &levels)
	if err == nil && levels != int64(len(ids)) {
		err = fmt.Errorf("sale %d changed %d levels", sale, levels)
	}
	return err
}

// transfer returns the next approved transfer of client c's source municipality,
// the token of its manager (who ships) and of the home shop's clerk (who receives).
func (b *bench) transfer(c int) (id int64, shipper, receiver string, err error) {
	m := b.w.sources[c%len(b.w.sources)]
	i := b.next[m].Add(1) - 1
	ts := b.w.transfers[m]
	if int(i) >= len(ts) {
		return 0, "", "", fmt.Errorf("no approved transfers left from municipality %d", m)
	}
	return ts[i], "manager" + strconv.FormatInt(m, 10), "clerk" + strconv.FormatInt(b.w.homeShop, 10), nil
}

const (
	shipMutation = `mutation($in: ShipTransferInput!) { shipTransfer(input: $in) {
		transfer { id status } userErrors { code message } } }`
	receiveMutation = `mutation($in: ReceiveTransferInput!) { receiveTransfer(input: $in) {
		transfer { id status } userErrors { code message } } }`
)

func (b *bench) apiTransfer(ctx context.Context, c int) error {
	id, shipper, receiver, err := b.transfer(c)
	if err != nil {
		return err
	}
	tid := gid.Encode(gid.KindTransfer, id)
	err = b.gql(ctx, shipper, shipMutation, map[string]any{"in": map[string]any{"transferId": tid,
		"carrier": "ヤマト運輸", "trackingNumber": "1234-5678", "idempotencyKey": newKey()}}, nil)
	if err != nil {
		return fmt.Errorf("ship: %w", err)
	}
	err = b.gql(ctx, receiver, receiveMutation, map[string]any{"in": map[string]any{"transferId": tid,
		"idempotencyKey": newKey()}}, nil)
	if err != nil {
		return fmt.Errorf("receive: %w", err)
	}
	return nil
}

// shipSQL ships everything approved of a transfer in one statement: the key, the
// transfer's state (guarded), its lines, the shipment, the stock out of the source
// (the levels' CHECK refuses going below zero) and incoming at the destination, the
// ledger and the event.
const shipSQL = `
	WITH t AS (
		UPDATE transfers SET status = 'SHIPPED', updated_at = now() WHERE id = $1 AND status = 'APPROVED'
		RETURNING id, from_location_id, to_location_id
	), k AS (
		INSERT INTO idempotency_keys (scope, key, operation, request_hash, result_id)
		SELECT $2, $3, 'shipTransfer', '\x00', t.id FROM t
	), tl AS (
		UPDATE transfer_lines l SET shipped = l.approved FROM t WHERE l.transfer_id = t.id
		RETURNING l.product_id, l.owner_facility_id, l.approved AS q
	), sh AS (
		INSERT INTO transfer_shipments (transfer_id, carrier, tracking_number, shipped_by)
		SELECT id, 'ヤマト運輸', '1234-5678', $4 FROM t RETURNING id
	), shl AS (
		INSERT INTO transfer_shipment_lines (shipment_id, product_id, quantity) SELECT sh.id, tl.product_id, tl.q FROM sh, tl
	), src AS (
		UPDATE stock_levels s SET on_hand = s.on_hand - tl.q, updated_at = now() FROM tl, t
		WHERE s.product_id = tl.product_id AND s.location_id = t.from_location_id RETURNING 1
	), dst AS (
		INSERT INTO stock_levels AS s (product_id, location_id, incoming)
		SELECT tl.product_id, t.to_location_id, tl.q FROM tl, t ORDER BY 1
		ON CONFLICT (product_id, location_id) DO UPDATE SET incoming = s.incoming + excluded.incoming, updated_at = now()
		RETURNING 1
	), mv AS (
		INSERT INTO stock_movements (product_id, location_id, owner_facility_id, bucket, quantity, reason,
			document_type, document_id, actor_id)
		SELECT tl.product_id, t.from_location_id, tl.owner_facility_id, 'ON_HAND', -tl.q, 'TRANSFER_OUT', 'TRANSFER', t.id, $4 FROM tl, t
		UNION ALL
		SELECT tl.product_id, t.to_location_id, tl.owner_facility_id, 'INCOMING', tl.q, 'IN_TRANSIT', 'TRANSFER', t.id, $4 FROM tl, t
	), ev AS (
		INSERT INTO transfer_events (transfer_id, type, actor_id) SELECT id, 'SHIPPED', $4 FROM t
	)
	SELECT (SELECT count(*) FROM tl), (SELECT count(*) FROM src)`

// receiveSQL accepts everything shipped of a transfer in one statement.
const receiveSQL = `
	WITH t AS (
		UPDATE transfers SET status = 'RECEIVED', updated_at = now() WHERE id = $1 AND status = 'SHIPPED'
		RETURNING id, to_location_id
	), k AS (
		INSERT INTO idempotency_keys (scope, key, operation, request_hash, result_id)
		SELECT $2, $3, 'receiveTransfer', '\x00', t.id FROM t
	), tl AS (
		UPDATE transfer_lines l SET received = l.shipped FROM t WHERE l.transfer_id = t.id
		RETURNING l.product_id, l.owner_facility_id, l.shipped AS q
	), r AS (
		INSERT INTO transfer_receipts (transfer_id, received_by) SELECT id, $4 FROM t RETURNING id
	), rl AS (
		INSERT INTO transfer_receipt_lines (receipt_id, product_id, accepted, short) SELECT r.id, tl.product_id, tl.q, 0 FROM r, tl
	), st AS (
		UPDATE stock_levels s SET incoming = s.incoming - tl.q, on_hand = s.on_hand + tl.q, updated_at = now() FROM tl, t
		WHERE s.product_id = tl.product_id AND s.location_id = t.to_location_id RETURNING 1
	), mv AS (
		INSERT INTO stock_movements (product_id, location_id, owner_facility_id, bucket, quantity, reason,
			document_type, document_id, actor_id)
		SELECT tl.product_id, t.to_location_id, tl.owner_facility_id, b, CASE b WHEN 'INCOMING' THEN -tl.q ELSE tl.q END,
			'TRANSFER_IN', 'TRANSFER', t.id, $4
		FROM tl, t, unnest(ARRAY['INCOMING', 'ON_HAND']) AS b
	), ev AS (
		INSERT INTO transfer_events (transfer_id, type, actor_id) SELECT id, 'RECEIVED', $4 FROM t
	)
	SELECT (SELECT count(*) FROM tl), (SELECT count(*) FROM st)`

func (b *bench) sqlTransfer(ctx context.Context, c int) error {
	id, shipper, receiver, err := b.transfer(c)
	if err != nil {
		return err
	}
	for _, step := range []struct {
		st    *sql.Stmt
		token string
	}{{b.ship, shipper}, {b.receive, receiver}} {
		user := b.users[step.token]
		var lines, levels int
		err := step.st.QueryRowContext(ctx, id, "u"+strconv.FormatInt(user, 10), newKey(), user).Scan(&lines, &levels)
		if err != nil {
			return err
		}
		if lines != 5 || levels != 5 {
			return fmt.Errorf("transfer %d: %d lines, %d levels changed", id, lines, levels)
		}
	}
	return nil
}
