package postgres

import (
	"context"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// createSaleSingle is CreateSale as one statement (runOnce's single), atomic without
// BEGIN and COMMIT: one round trip where the transaction takes three. It makes the
// sale only when nothing would refuse it, and otherwise changes nothing and reports
// not done, so that createSaleTx runs and says why, with the same errors as ever.
// The statement's conditions are what createSaleTx checks, read under the same
// locks, in the same order but for the key:
//
//   - the session exists, is open (FOR SHARE: a close waits for the sale) and is at
//     the clerk's own shop. Only a clerk, whose shop is the one place they work
//     (tsunagu.User.WorksAt), takes this way; managers and admins take the
//     transaction;
//   - every line's product exists, is ACTIVE and carried by the shop;
//   - the payments add up to the total, at most tsunagu.MaxSaleAmount (the sum is
//     checked here first, the total by the statement): tsunagu.CheckPayments;
//   - every level exists and has the lines' quantity available, read as it is
//     locked (FOR UPDATE, in key order); the levels' CHECKs refuse the update
//     anyway if a condition were missed, which fails the whole statement;
//   - the key is free: it is taken last, and with it everything is written.
//
// The receipt number is taken after the levels, as in createSaleTx, and commits
// with the sale or not at all: the numbers stay gapless per shop.
func createSaleSingle(ctx context.Context, q queryer, u *tsunagu.User, in *tsunagu.CreateSaleInput, ids []int64, codes []string, k *idemKey) (*tsunagu.Sale, bool, error) {
	if u.Role != tsunagu.RoleClerk || u.ShopID == nil {
		return nil, false, nil
	}
	pay := salePayments(in.Payments)
	if tsunagu.CheckPayments(pay.sum, in.Payments) != nil {
		return nil, false, nil
	}
	quantities := make([]int64, len(in.Lines))
	for i, l := range in.Lines {
		quantities[i] = int64(l.Quantity)
	}
	a := args{in.SessionID, *u.ShopID, pq.Array(ids), pq.Array(codes), pq.Array(quantities), pay.sum,
		u.ID, tsunagu.BucketOnHand, tsunagu.ReasonSale, tsunagu.DocumentSale}
	payments := pay.insert(&a)
	stock := singleStockSQL(k, &a, "rs.sale_id FROM rs")
	return getSingle[tsunagu.Sale](ctx, q, `
		WITH rs AS MATERIALIZED (
			SELECT rs.id, rs.register_id, rs.shop_id, rs.status, rs.registration_number, l.municipality_id,
				nextval(pg_get_serial_sequence('sales', 'id')) AS sale_id
			FROM register_sessions rs JOIN locations l ON l.id = rs.shop_id
			WHERE rs.id = $1 AND rs.shop_id = $2 FOR SHARE OF rs
		), ln AS MATERIALIZED (
			SELECT u.ord, u.q, `+saleProductColumns+`
			FROM rs CROSS JOIN unnest($3::bigint[], $4::text[], $5::int[]) WITH ORDINALITY AS u(id, code, q, ord)
			`+saleProductJoin+`
		), ok AS MATERIALIZED (
			SELECT rs.status = 'OPEN' AND bool_and(ln.product_status = 'ACTIVE' AND ln.carried)
				AND sum(ln.price * ln.q) = $6::bigint AS ok
			FROM rs, ln GROUP BY rs.status
		), d AS MATERIALIZED (
			SELECT ln.product_id, rs.shop_id AS location_id, -sum(ln.q) AS d_on, 0 AS d_inc FROM rs, ln GROUP BY 1, 2
		), `+stock+`, n AS (
			UPDATE shops SET last_receipt_number = last_receipt_number + 1
			WHERE location_id = (SELECT shop_id FROM rs) AND EXISTS (SELECT FROM claim)
			  AND (SELECT count(*) FROM updated) >= 0
			RETURNING last_receipt_number
		), s AS (
			INSERT INTO sales (id, shop_id, register_id, session_id, receipt_number, status, total, sold_by)
			OVERRIDING SYSTEM VALUE
			SELECT rs.sale_id, rs.shop_id, rs.register_id, rs.id, (SELECT last_receipt_number FROM n),
				'COMPLETED', $6::bigint, $7
			FROM rs, claim
			RETURNING *
		), sl AS (
			INSERT INTO sale_lines (sale_id, line_number, product_id, owner_facility_id, name, code,
				unit_price, quantity, tax_class, qualified)
			SELECT s.id, ln.ord, ln.product_id, ln.facility, ln.name, ln.code, ln.price, ln.q, ln.tax_class, ln.qualified
			FROM s, ln
		), sp AS (`+payments+`), ledger AS (
			INSERT INTO stock_movements (product_id, location_id, owner_facility_id, bucket, quantity,
				reason, document_type, document_id, actor_id)
			SELECT ln.product_id, s.shop_id, ln.facility, $8, -ln.q, $9, $10, s.id, $7
			FROM s, ln ORDER BY ln.ord
		)
		SELECT `+saleColumns+` FROM s`, a)
}
