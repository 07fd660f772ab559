// Monthly statements computed from the ledger of sales, voids, refunds and online
// orders, set-based: one statement reads every statement's parts of a month.

package postgres

import (
	"context"
	"time"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// ledgerEvents is the ledger of the facilities' goods at the shops: one row per
// sale line (POS sales completed or voided later, at the sale's time; online orders
// at their payment's time), per void (at its time, the whole sale given back), per
// refund line (POS at the refund's time; online only once Stripe confirmed it, at
// that time: countedOrderRefund). An online refund's lines carry the close's mark
// each: a refund made in Stripe gets its lines when staff attribute it, maybe after
// its month closed, and they then count in the shop's first open month. sold_at is when the goods were sold, whose day
// picks the commission rate: a refund gives back commission at the rate its sale
// took. A refund or void row names its sale in ref_sale (with ref_receipt, its
// receipt number) or ref_order, and ref_at is when that sale was made; they are
// NULL on a sale's own rows.
//
// sel picks the events of each kind: sel(shop, at, mark) is the condition on the
// event's shop, its time and the column recording the close that took it in
// (NULL while none has).
func ledgerEvents(sel func(shop, at, mark string) string) string {
	return `
		SELECT s.shop_id, sl.owner_facility_id AS facility_id, sl.product_id, sl.name, sl.tax_class, sl.qualified,
			s.created_at AS sold_at, sl.quantity AS units_sold, sl.unit_price * sl.quantity AS gross,
			0 AS units_refunded, 0::bigint AS refunds,
			NULL::bigint AS ref_sale, NULL::bigint AS ref_receipt, NULL::bigint AS ref_order, NULL::timestamptz AS ref_at
		FROM sales s JOIN sale_lines sl ON sl.sale_id = s.id
		WHERE s.status IN ('COMPLETED', 'VOIDED') AND ` + sel("s.shop_id", "s.created_at", "s.settled_month") + `
		UNION ALL
		SELECT s.shop_id, sl.owner_facility_id, sl.product_id, sl.name, sl.tax_class, sl.qualified,
			s.created_at, 0, 0, sl.quantity, sl.unit_price * sl.quantity,
			s.id, s.receipt_number, NULL, s.created_at
		FROM sales s JOIN sale_lines sl ON sl.sale_id = s.id
		WHERE s.status = 'VOIDED' AND ` + sel("s.shop_id", "s.voided_at", "s.void_settled_month") + `
		UNION ALL
		SELECT r.shop_id, sl.owner_facility_id, sl.product_id, sl.name, sl.tax_class, sl.qualified,
			s.created_at, 0, 0, rl.quantity, rl.amount,
			s.id, s.receipt_number, NULL, s.created_at
		FROM refunds r JOIN refund_lines rl ON rl.refund_id = r.id
		JOIN sales s ON s.id = r.sale_id
		JOIN sale_lines sl ON sl.sale_id = r.sale_id AND sl.line_number = rl.line_number
		WHERE ` + sel("r.shop_id", "r.created_at", "r.settled_month") + `
		UNION ALL
		SELECT o.shop_id, ol.owner_facility_id, ol.product_id, ol.name, ol.tax_class, ol.qualified,
			o.paid_at, ol.quantity, ol.unit_price * ol.quantity, 0, 0,
			NULL, NULL, NULL, NULL
		FROM orders o JOIN order_lines ol ON ol.order_id = o.id
		WHERE o.paid_at IS NOT NULL AND ` + sel("o.shop_id", "o.paid_at", "o.settled_month") + `
		UNION ALL
		SELECT o.shop_id, ol.owner_facility_id, ol.product_id, ol.name, ol.tax_class, ol.qualified,
			o.paid_at, 0, 0, rl.quantity, rl.amount,
			NULL, NULL, o.id, o.paid_at
		FROM order_refunds r JOIN order_refund_lines rl ON rl.refund_id = r.id
		JOIN orders o ON o.id = r.order_id
		JOIN order_lines ol ON ol.order_id = r.order_id AND ol.line_number = rl.line_number
		WHERE ` + countedOrderRefund + ` AND ` + sel("o.shop_id", "r.succeeded_at", "rl.settled_month")
}

// countedOrderRefund is tsunagu.RefundCounts on order_refunds r: only a refund
// Stripe confirmed counts, at r.succeeded_at (when it was confirmed), never at its
// request; one PENDING or FAILED gave no money back.
const countedOrderRefund = `r.status = 'SUCCEEDED'`

// openMonth selects the events of open month [lo, hi) (prev is the month before's
// first day): those no close has taken, of the month, and, at a shop whose month
// before is closed (so that this one is its first open month), those of earlier
// months committed after their month closed.
func openMonth(lo, hi, prev string) func(shop, at, mark string) string {
	return func(shop, at, mark string) string {
		return mark + ` IS NULL AND ` + at + ` < ` + hi + ` AND (` + at + ` >= ` + lo + ` OR ` + shop +
			` = ANY (SELECT c.shop_id FROM settlement_closes c WHERE c.month = ` + prev + `))`
	}
}

// closedMonth selects the events the close of (shop, month) took in.
func closedMonth(shop, month string) func(shop, at, mark string) string {
	return func(s, _, mark string) string { return s + ` = ` + shop + ` AND ` + mark + ` = ` + month }
}

// settlementParts is the statement that sums the ledger events sel picks for month
// starting at lo into the parts of every statement (tsunagu.SettlementPart) whose
// facility and shop meet cond (on f, the facility, and l, the shop's location),
// with the commission rate of each sale's day (the rule of tsunagu.CommissionRate).
// A refund of a sale made before lo is a part of its own, naming the sale.
func settlementParts(lo string, sel func(shop, at, mark string) string, cond string) string {
	return `
		WITH ev AS (` + ledgerEvents(sel) + `)
		SELECT ev.facility_id, ev.shop_id, ev.product_id, max(ev.name) AS name, ev.tax_class AS class, ev.qualified,
			coalesce(rate.basis_points, 0) AS basis_points,
			sum(ev.units_sold)::int AS units_sold, sum(ev.gross)::bigint AS gross,
			sum(ev.units_refunded)::int AS units_refunded, sum(ev.refunds)::bigint AS refunds,
			CASE WHEN ev.ref_at < ` + lo + ` THEN ev.ref_sale END AS refund_of_sale,
			CASE WHEN ev.ref_at < ` + lo + ` THEN ev.ref_order END AS refund_of_order,
			CASE WHEN ev.ref_at < ` + lo + ` THEN ev.ref_receipt END AS refund_of_receipt,
			CASE WHEN ev.ref_at < ` + lo + ` THEN ev.ref_at END AS refund_of_sold_at
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
		GROUP BY ev.facility_id, ev.shop_id, ev.product_id, ev.tax_class, ev.qualified, rate.basis_points,
			refund_of_sale, refund_of_order, refund_of_receipt, refund_of_sold_at
		ORDER BY ev.facility_id, ev.shop_id, ` + partOrder
}

// partOrder orders the parts of one statement, computed or stored alike, so that its
// lines come in the same order either way.
const partOrder = `product_id, class, qualified, refund_of_sold_at NULLS FIRST, refund_of_sale NULLS FIRST,
	refund_of_order NULLS FIRST, basis_points`

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

// settlementStaff returns the signed-in user if they act on statements (pay them):
// admins and managers. Returns UNAUTHENTICATED, FORBIDDEN.
func settlementStaff(ctx context.Context) (*tsunagu.User, error) {
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if !u.IsAdmin() && u.Role != tsunagu.RoleManager {
		return nil, tsunagu.ErrForbidden
	}
	return u, nil
}

// settlementReader returns the signed-in user if they read statements: admins,
// managers and facility staff (who read only their own facility's, by
// settlementVisibleTo). Clerks get FORBIDDEN. Returns UNAUTHENTICATED, FORBIDDEN.
func settlementReader(ctx context.Context) (*tsunagu.User, error) {
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if u.Role == tsunagu.RoleFacility {
		return u, nil
	}
	return settlementStaff(ctx)
}

// settlementVisibleTo is the condition on f (the facility) and l (the shop's
// location) under which u sees a statement: admins every one, managers those of
// their municipality's facilities and shops (User.ManagesMunicipality), facility
// staff their own facility's (User.OfFacility).
func settlementVisibleTo(u *tsunagu.User, a *args) string {
	switch {
	case u == nil:
		return `false`
	case u.Role == tsunagu.RoleAdmin:
		return `true`
	case u.Role == tsunagu.RoleManager && u.MunicipalityID != nil:
		m := a.add(*u.MunicipalityID)
		return `(f.municipality_id = ` + m + ` OR l.municipality_id = ` + m + `)`
	case u.Role == tsunagu.RoleFacility && u.FacilityID != nil:
		return `f.id = ` + a.add(*u.FacilityID)
	}
	return `false`
}

// settlementCond is the condition on f and l of the statements of filter f that u
// sees.
func settlementCond(u *tsunagu.User, f tsunagu.SettlementFilter, a *args) string {
	cond := settlementVisibleTo(u, a)
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
	return cond
}

// settlementColumns read a statement row (st) with its shop (s): a closed statement
// has its own rounding and figures, frozen at the close.
const settlementColumns = `st.id, st.facility_id, st.shop_id, st.month AS month_date, st.status, st.statement_number,
	st.closed_at, st.paid_on, st.payment_reference, coalesce(st.rounding, s.rounding) AS shop_rounding,
	st.units_sold AS closed_units_sold, st.units_refunded AS closed_units_refunded, st.gross AS closed_gross,
	st.refunds AS closed_refunds, st.commission AS closed_commission, st.commission_tax AS closed_commission_tax,
	st.payable AS closed_payable`

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
	// The figures stored at the close; NULL while open.
	ClosedUnitsSold, ClosedUnitsRefunded                                             *int
	ClosedGross, ClosedRefunds, ClosedCommission, ClosedCommissionTax, ClosedPayable *int64
}

// settlement is the statement of row r with parts. A closed statement's totals are
// the ones stored at its close (which its stored lines add up to: the close
// computed them from the same lines).
func (r *settlementRow) settlement(parts []tsunagu.SettlementPart) *tsunagu.Settlement {
	s := &tsunagu.Settlement{ID: r.ID, FacilityID: r.FacilityID, ShopID: r.ShopID,
		Month: tsunagu.Month{Year: r.MonthDate.Year(), Month: r.MonthDate.Month()}, Status: r.Status,
		StatementNumber: r.StatementNumber, ClosedAt: r.ClosedAt, PaidOn: r.PaidOn, PaymentReference: r.PaymentReference,
		Rounding: r.ShopRounding, SettlementFigures: tsunagu.Settle(parts, r.ShopRounding)}
	if r.Status != tsunagu.SettlementOpen && r.ClosedPayable != nil {
		s.UnitsSold, s.UnitsRefunded = *r.ClosedUnitsSold, *r.ClosedUnitsRefunded
		s.Gross, s.Refunds, s.Net = *r.ClosedGross, *r.ClosedRefunds, *r.ClosedGross-*r.ClosedRefunds
		s.Commission, s.CommissionTax, s.Payable = *r.ClosedCommission, *r.ClosedCommissionTax, *r.ClosedPayable
	}
	return s
}

// storedPart is a line of a closed statement.
type storedPart struct {
	StatementID tsunagu.SettlementID
	tsunagu.SettlementPart
}

// storedLineColumns read settlement_lines as tsunagu.SettlementPart.
const storedLineColumns = `statement_id, product_id, name, tax_class AS class, qualified, basis_points,
	units_sold, gross, units_refunded, refunds, refund_of_sale, refund_of_order, refund_of_receipt, refund_of_sold_at`

// settlementsOf completes rows into statements: a closed one from its stored lines
// (one statement for all of them), an open one from live, the parts computed from
// the ledger by (facility, shop).
func settlementsOf(ctx context.Context, q queryer, rows []*settlementRow, live map[settlementKey][]tsunagu.SettlementPart) ([]*tsunagu.Settlement, error) {
	var closed []tsunagu.SettlementID
	for _, r := range rows {
		if r.Status != tsunagu.SettlementOpen {
			closed = append(closed, r.ID)
		}
	}
	stored := map[tsunagu.SettlementID][]tsunagu.SettlementPart{}
	if len(closed) > 0 {
		var lines []storedPart
		err := q.SelectContext(ctx, &lines, `SELECT `+storedLineColumns+` FROM settlement_lines
			WHERE statement_id = ANY($1) ORDER BY statement_id, `+partOrder, int64s(closed))
		if err != nil {
			return nil, err
		}
		for _, l := range lines {
			stored[l.StatementID] = append(stored[l.StatementID], l.SettlementPart)
		}
	}
	out := make([]*tsunagu.Settlement, len(rows))
	for i, r := range rows {
		if r.Status != tsunagu.SettlementOpen {
			out[i] = r.settlement(stored[r.ID])
		} else {
			out[i] = r.settlement(live[settlementKey{r.FacilityID, r.ShopID}])
		}
	}
	return out, nil
}

// Settlements implements tsunagu.SettlementService. Statements of a shop whose month
// is closed are read as stored; the others are computed from the month's ledger
// (one statement for every open statement of the month), and each (facility, shop)
// with goods in it gets a statement row if it has none (so that its ID stays). It
// writes, so it runs on the primary.
func (s *SettlementService) Settlements(ctx context.Context, f tsunagu.SettlementFilter, page tsunagu.PageArgs) (_ *tsunagu.Page[*tsunagu.Settlement], err error) {
	defer wrap(&err, "SettlementService.Settlements")
	u, err := settlementReader(ctx)
	if err != nil {
		return nil, err
	}
	m, err := tsunagu.ParseMonth(f.Month, "month")
	if err != nil {
		return nil, err
	}
	if err := page.Validate(); err != nil {
		return nil, err
	}
	var a args
	cond := settlementCond(u, f, &a)
	lo, hi, prev, month := a.add(m.Start()), a.add(m.Next().Start()), a.add(m.Prev().Date()), a.add(m.Date())
	cond += ` AND NOT EXISTS (SELECT 1 FROM settlement_closes c WHERE c.shop_id = l.id AND c.month = ` + month + `)`
	var parts []partRow
	if err := s.db.q().SelectContext(ctx, &parts, settlementParts(lo, openMonth(lo, hi, prev), cond), a...); err != nil {
		return nil, err
	}
	live := map[settlementKey][]tsunagu.SettlementPart{}
	var facilities, shops []int64
	for _, p := range parts {
		k := settlementKey{p.FacilityID, p.ShopID}
		if _, ok := live[k]; !ok {
			facilities, shops = append(facilities, int64(k.Facility)), append(shops, int64(k.Shop))
		}
		live[k] = append(live[k], p.SettlementPart)
	}
	b := args{pq.Array(facilities), pq.Array(shops), m.Date(), page.After, f.Status, page.First + 1}
	closedCond := settlementCond(u, f, &b)
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
			UNION ALL
			SELECT st.* FROM settlement_statements st
			JOIN facilities f ON f.id = st.facility_id JOIN locations l ON l.id = st.shop_id
			WHERE st.month = $3 AND st.status <> 'OPEN' AND `+closedCond+`
		)
		SELECT `+settlementColumns+` FROM st JOIN shops s ON s.location_id = st.shop_id
		WHERE st.id > $4 AND ($5::text IS NULL OR st.status = $5)
		ORDER BY st.id LIMIT $6`, b...)
	if err != nil {
		return nil, err
	}
	out, err := settlementsOf(ctx, s.db.q(), rows, live)
	if err != nil {
		return nil, err
	}
	return pageOf(out, page.First), nil
}

// Settlement implements tsunagu.SettlementService (settlementVisibleTo); an open
// month's statement is computed from its ledger as Settlements computes it.
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
	live := map[settlementKey][]tsunagu.SettlementPart{}
	if r.Status == tsunagu.SettlementOpen {
		m := tsunagu.Month{Year: r.MonthDate.Year(), Month: r.MonthDate.Month()}
		var b args
		cond := `f.id = ` + b.add(r.FacilityID) + ` AND l.id = ` + b.add(r.ShopID)
		lo, hi, prev := b.add(m.Start()), b.add(m.Next().Start()), b.add(m.Prev().Date())
		var parts []partRow
		if err := s.db.q().SelectContext(ctx, &parts, settlementParts(lo, openMonth(lo, hi, prev), cond), b...); err != nil {
			return nil, err
		}
		for _, p := range parts {
			live[settlementKey{p.FacilityID, p.ShopID}] = append(live[settlementKey{p.FacilityID, p.ShopID}], p.SettlementPart)
		}
	}
	out, err := settlementsOf(ctx, s.db.q(), []*settlementRow{&r}, live)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}
