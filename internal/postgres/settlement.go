// Monthly statements computed from the ledger of sales, voids, refunds and online
// orders, set-based: one statement reads every statement's parts of a month.

package postgres

import (
	"context"
	"time"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// ledgerEvents is the ledger of the facilities' goods at the shops, between $lo and
// $hi: one row per sale line (POS sales completed or voided later, at the sale's
// time; online orders at their payment's time), per void (at its time, the whole
// sale given back), per refund line (POS at the refund's time; online only once
// Stripe confirmed it, at that time: countedOrderRefund). sold_at
// is when the goods were sold, whose day picks the commission rate: a refund gives
// back commission at the rate its sale took.
func ledgerEvents(lo, hi string) string {
	return `
		SELECT s.shop_id, sl.owner_facility_id AS facility_id, sl.product_id, sl.name, sl.tax_class, sl.qualified,
			s.created_at AS sold_at, sl.quantity AS units_sold, sl.unit_price * sl.quantity AS gross,
			0 AS units_refunded, 0::bigint AS refunds
		FROM sales s JOIN sale_lines sl ON sl.sale_id = s.id
		WHERE s.status IN ('COMPLETED', 'VOIDED') AND s.created_at >= ` + lo + ` AND s.created_at < ` + hi + `
		UNION ALL
		SELECT s.shop_id, sl.owner_facility_id, sl.product_id, sl.name, sl.tax_class, sl.qualified,
			s.created_at, 0, 0, sl.quantity, sl.unit_price * sl.quantity
		FROM sales s JOIN sale_lines sl ON sl.sale_id = s.id
		WHERE s.status = 'VOIDED' AND s.voided_at >= ` + lo + ` AND s.voided_at < ` + hi + `
		UNION ALL
		SELECT r.shop_id, sl.owner_facility_id, sl.product_id, sl.name, sl.tax_class, sl.qualified,
			s.created_at, 0, 0, rl.quantity, rl.amount
		FROM refunds r JOIN refund_lines rl ON rl.refund_id = r.id
		JOIN sales s ON s.id = r.sale_id
		JOIN sale_lines sl ON sl.sale_id = r.sale_id AND sl.line_number = rl.line_number
		WHERE r.created_at >= ` + lo + ` AND r.created_at < ` + hi + `
		UNION ALL
		SELECT o.shop_id, ol.owner_facility_id, ol.product_id, ol.name, ol.tax_class, ol.qualified,
			o.paid_at, ol.quantity, ol.unit_price * ol.quantity, 0, 0
		FROM orders o JOIN order_lines ol ON ol.order_id = o.id
		WHERE o.paid_at >= ` + lo + ` AND o.paid_at < ` + hi + `
		UNION ALL
		SELECT o.shop_id, ol.owner_facility_id, ol.product_id, ol.name, ol.tax_class, ol.qualified,
			o.paid_at, 0, 0, rl.quantity, rl.amount
		FROM order_refunds r JOIN order_refund_lines rl ON rl.refund_id = r.id
		JOIN orders o ON o.id = r.order_id
		JOIN order_lines ol ON ol.order_id = r.order_id AND ol.line_number = rl.line_number
		WHERE ` + countedOrderRefund + ` AND r.succeeded_at >= ` + lo + ` AND r.succeeded_at < ` + hi
}

// countedOrderRefund is tsunagu.RefundCounts on order_refunds r: only a refund
// Stripe confirmed counts, at r.succeeded_at (when it was confirmed), never at its
// request; one PENDING or FAILED gave no money back.
const countedOrderRefund = `r.status = 'SUCCEEDED'`

// settlementParts is the statement that sums the ledger of month [lo, hi) into the
// parts of every statement (tsunagu.SettlementPart) whose facility and shop meet
// cond (on f, the facility, and l, the shop's location), with the commission rate of
// each sale's day (the rule of tsunagu.CommissionRate).
func settlementParts(lo, hi, cond string) string {
	return `
		WITH ev AS (` + ledgerEvents(lo, hi) + `)
		SELECT ev.facility_id, ev.shop_id, ev.product_id, max(ev.name) AS name, ev.tax_class AS class, ev.qualified,
			coalesce(rate.basis_points, 0) AS basis_points,
			sum(ev.units_sold)::int AS units_sold, sum(ev.gross)::bigint AS gross,
			sum(ev.units_refunded)::int AS units_refunded, sum(ev.refunds)::bigint AS refunds
		FROM ev
		JOIN facilities f ON f.id = ev.facility_id
		JOIN locations l ON l.id = ev.shop_id
		LEFT JOIN LATERAL (
			SELECT cr.basis_points FROM commission_rates cr
			WHERE cr.shop_id = ev.shop_id AND cr.effective_from <= (ev.sold_at AT TIME ZONE 'Asia/Tokyo')::date
				AND (cr.facility_id = ev.facility_id OR cr.municipality_id = f.municipality_id
					OR (cr.facility_id IS NULL AND cr.municipality_id IS NULL))
			ORDER BY cr.facility_id IS NOT NULL DESC, cr.municipality_id IS NOT NULL DESC,
				cr.effective_from DESC, cr.id DESC
			LIMIT 1
		) rate ON true
		WHERE ` + cond + `
		GROUP BY ev.facility_id, ev.shop_id, ev.product_id, ev.tax_class, ev.qualified, rate.basis_points
		ORDER BY ev.facility_id, ev.shop_id, ev.product_id, ev.tax_class, ev.qualified, 7`
}

// partRow is a part with the statement it belongs to.
type partRow struct {
	FacilityID tsunagu.FacilityID
	ShopID     tsunagu.LocationID
	tsunagu.SettlementPart
}

type settlementKey struct {
	Facility tsunagu.FacilityID
	Shop     tsunagu.LocationID
}

// settlementVisibleTo is the condition on f (the facility) and l (the shop's
// location) under which u sees a statement: admins every one, managers those of
// their municipality's facilities and shops.
func settlementVisibleTo(u *tsunagu.User, a *args) string {
	switch {
	case u == nil:
		return `false`
	case u.Role == tsunagu.RoleAdmin:
		return `true`
	case u.Role == tsunagu.RoleManager && u.MunicipalityID != nil:
		m := a.add(*u.MunicipalityID)
		return `(f.municipality_id = ` + m + ` OR l.municipality_id = ` + m + `)`
	}
	return `false`
}

const settlementColumns = `st.id, st.facility_id, st.shop_id, st.month AS month_date, st.status, st.statement_number,
	st.closed_at, st.paid_on, st.payment_reference, s.rounding AS shop_rounding`

type settlementRow struct {
	ID               tsunagu.SettlementID
	FacilityID       tsunagu.FacilityID
	ShopID           tsunagu.LocationID
	MonthDate        time.Time
	Status           tsunagu.SettlementStatus
	StatementNumber  *string
	ClosedAt         *time.Time
	PaidOn           *time.Time
	PaymentReference string
	ShopRounding     tsunagu.Rounding
}

func (r *settlementRow) settlement(parts []tsunagu.SettlementPart) *tsunagu.Settlement {
	return &tsunagu.Settlement{ID: r.ID, FacilityID: r.FacilityID, ShopID: r.ShopID,
		Month: tsunagu.Month{Year: r.MonthDate.Year(), Month: r.MonthDate.Month()}, Status: r.Status,
		StatementNumber: r.StatementNumber, ClosedAt: r.ClosedAt, PaidOn: r.PaidOn, PaymentReference: r.PaymentReference,
		Rounding: r.ShopRounding, SettlementFigures: tsunagu.Settle(parts, r.ShopRounding)}
}

// Settlements implements tsunagu.SettlementService. It reads the month's ledger
// once (one statement for every statement of the month), gives each (facility,
// shop) with goods in it a statement row if it has none (so that its ID stays), and
// returns the page. It writes, so it runs on the primary.
func (s *SettlementService) Settlements(ctx context.Context, f tsunagu.SettlementFilter, page tsunagu.PageArgs) (_ *tsunagu.Page[*tsunagu.Settlement], err error) {
	defer wrap(&err, "SettlementService.Settlements")
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if !u.IsAdmin() && u.Role != tsunagu.RoleManager {
		return nil, tsunagu.ErrForbidden
	}
	m, err := tsunagu.ParseMonth(f.Month, "month")
	if err != nil {
		return nil, err
	}
	if err := page.Validate(); err != nil {
		return nil, err
	}
	var a args
	cond := settlementVisibleTo(u, &a)
	if f.FacilityID != nil {
		cond += ` AND f.id = ` + a.add(*f.FacilityID)
	}
	if f.ShopID != nil {
		cond += ` AND l.id = ` + a.add(*f.ShopID)
	}
	if f.MunicipalityID != nil {
		p := a.add(*f.MunicipalityID)
		cond += ` AND (f.municipality_id = ` + p + ` OR l.municipality_id = ` + p + `)`
	}
	lo, hi := a.add(m.Start()), a.add(m.Next().Start())
	var parts []partRow
	if err := s.db.q().SelectContext(ctx, &parts, settlementParts(lo, hi, cond), a...); err != nil {
		return nil, err
	}
	byKey := map[settlementKey][]tsunagu.SettlementPart{}
	var facilities, shops []int64
	for _, p := range parts {
		k := settlementKey{p.FacilityID, p.ShopID}
		if _, ok := byKey[k]; !ok {
			facilities, shops = append(facilities, int64(k.Facility)), append(shops, int64(k.Shop))
		}
		byKey[k] = append(byKey[k], p.SettlementPart)
	}
	var rows []*settlementRow
	err = s.db.q().SelectContext(ctx, &rows, `
		WITH k AS (SELECT * FROM unnest($1::bigint[], $2::bigint[]) AS k(facility_id, shop_id)),
		ins AS (
			INSERT INTO settlement_statements (facility_id, shop_id, month)
			SELECT facility_id, shop_id, $3 FROM k ON CONFLICT DO NOTHING
			RETURNING *
		), st AS (
			SELECT * FROM ins
			UNION ALL
			SELECT st.* FROM settlement_statements st JOIN k USING (facility_id, shop_id) WHERE st.month = $3
		)
		SELECT `+settlementColumns+` FROM st JOIN shops s ON s.location_id = st.shop_id
		WHERE st.id > $4 AND ($5::text IS NULL OR st.status = $5)
		ORDER BY st.id LIMIT $6`,
		pq.Array(facilities), pq.Array(shops), m.Date(), page.After, f.Status, page.First+1)
	if err != nil {
		return nil, err
	}
	out := make([]*tsunagu.Settlement, len(rows))
	for i, r := range rows {
		out[i] = r.settlement(byKey[settlementKey{r.FacilityID, r.ShopID}])
	}
	return pageOf(out, page.First), nil
}

// Settlement implements tsunagu.SettlementService.
func (s *SettlementService) Settlement(ctx context.Context, id tsunagu.SettlementID) (_ *tsunagu.Settlement, err error) {
	defer wrap(&err, "SettlementService.Settlement")
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	var a args
	pid := a.add(id)
	var r settlementRow
	err = s.db.q().GetContext(ctx, &r, `SELECT `+settlementColumns+` FROM settlement_statements st
		JOIN shops s ON s.location_id = st.shop_id
		JOIN facilities f ON f.id = st.facility_id JOIN locations l ON l.id = st.shop_id
		WHERE st.id = `+pid+` AND `+settlementVisibleTo(u, &a), a...)
	if err != nil {
		return nil, notFound(err, "", "statement")
	}
	m := tsunagu.Month{Year: r.MonthDate.Year(), Month: r.MonthDate.Month()}
	var b args
	cond := `f.id = ` + b.add(r.FacilityID) + ` AND l.id = ` + b.add(r.ShopID)
	lo, hi := b.add(m.Start()), b.add(m.Next().Start())
	var parts []partRow
	if err := s.db.q().SelectContext(ctx, &parts, settlementParts(lo, hi, cond), b...); err != nil {
		return nil, err
	}
	ps := make([]tsunagu.SettlementPart, len(parts))
	for i, p := range parts {
		ps[i] = p.SettlementPart
	}
	return r.settlement(ps), nil
}
