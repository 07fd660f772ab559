// Closing a settlement month and paying its statements: the close marks the
// month's ledger events and freezes its statements from exactly those events, in a
// fixed number of set-based statements whatever the number of facilities.

package postgres

import (
	"context"
	"time"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// closeState is what a close checks, read under the shop's lock.
type closeState struct {
	Now        time.Time
	ClosedAt   *time.Time
	Last       *time.Time
	SoldBefore *bool
	Numbered   int64
	Rounding   tsunagu.Rounding
}

// CloseSettlementMonth implements tsunagu.SettlementCloser. It locks the shop's row
// (as setCommission and every counter sale and refund at the shop do), so two
// closes of the shop run one after the other and the second finds the month closed
// and returns its statements.
func (s *SettlementService) CloseSettlementMonth(ctx context.Context, in tsunagu.CloseSettlementMonthInput) (_ *tsunagu.SettlementClose, err error) {
	defer wrap(&err, "SettlementService.CloseSettlementMonth")
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	m, err := tsunagu.ParseMonth(in.Month, "input.month")
	if err != nil {
		return nil, err
	}
	out := &tsunagu.SettlementClose{ShopID: in.ShopID, Month: m}
	err = s.db.transact(ctx, func(tx queryer) error {
		if err := lockManagedShop(ctx, tx, u, in.ShopID, "input.shopId"); err != nil {
			return err
		}
		var st closeState
		err := tx.GetContext(ctx, &st, `SELECT now() AS now,
				(SELECT closed_at FROM settlement_closes WHERE shop_id = $1 AND month = $2) AS closed_at,
				last.month AS last,
				CASE WHEN last.month IS NULL THEN
					EXISTS (SELECT 1 FROM sales WHERE shop_id = $1 AND created_at < $3)
					OR EXISTS (SELECT 1 FROM orders WHERE shop_id = $1 AND paid_at < $3) END AS sold_before,
				(SELECT count(*) FROM settlement_statements WHERE shop_id = $1 AND statement_number IS NOT NULL) AS numbered,
				(SELECT rounding FROM shops WHERE location_id = $1) AS rounding
			FROM (SELECT max(month) AS month FROM settlement_closes WHERE shop_id = $1) last`,
			in.ShopID, m.Date(), m.Start())
		if err != nil {
			return err
		}
		if st.ClosedAt == nil {
			if err := closeMonth(ctx, tx, in.ShopID, m, &st); err != nil {
				return err
			}
		}
		out.Settlements, err = closedSettlements(ctx, tx, `st.shop_id = $1 AND st.month = $2`, in.ShopID, m.Date())
		if err != nil {
			return err
		}
		return tx.GetContext(ctx, &out.ClosedAt, `SELECT closed_at FROM settlement_closes WHERE shop_id = $1 AND month = $2`,
			in.ShopID, m.Date())
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// closeMonth closes month m of shop, not closed yet, in tx (which holds the shop's
// lock): it checks the month may close, records the close, marks the events it
// takes in, writes their lines, and numbers and freezes the statements.
func closeMonth(ctx context.Context, tx queryer, shop tsunagu.LocationID, m tsunagu.Month, st *closeState) error {
	if err := tsunagu.CheckMonthEnded(m, st.Now, "input.month"); err != nil {
		return err
	}
	var last *tsunagu.Month
	if st.Last != nil {
		l := tsunagu.Month{Year: st.Last.Year(), Month: st.Last.Month()}
		last = &l
	}
	if err := tsunagu.CheckCloseOrder(m, last, st.SoldBefore != nil && *st.SoldBefore, "input.month"); err != nil {
		return err
	}
	var closedAt time.Time
	err := tx.GetContext(ctx, &closedAt, `INSERT INTO settlement_closes (shop_id, month, closed_by)
		VALUES ($1, $2, $3) RETURNING closed_at`, shop, m.Date(), actorID(ctx))
	if err != nil {
		return err
	}
	// Every event of the shop before the month's end that no close took yet: the
	// month's own, and any of an earlier month committed after that month closed.
	_, err = tx.ExecContext(ctx, `
		WITH sale AS (
			UPDATE sales SET
				settled_month = CASE WHEN settled_month IS NULL AND created_at < $3 THEN $2::date ELSE settled_month END,
				void_settled_month = CASE WHEN void_settled_month IS NULL AND voided_at < $3 THEN $2::date ELSE void_settled_month END
			WHERE shop_id = $1 AND ((settled_month IS NULL AND created_at < $3) OR (void_settled_month IS NULL AND voided_at < $3))
			RETURNING 1
		), refund AS (
			UPDATE refunds SET settled_month = $2 WHERE shop_id = $1 AND settled_month IS NULL AND created_at < $3
			RETURNING 1
		), paid AS (
			UPDATE orders SET settled_month = $2 WHERE shop_id = $1 AND settled_month IS NULL AND paid_at < $3
			RETURNING 1
		), online_refund AS (
			UPDATE order_refund_lines rl SET settled_month = $2 FROM order_refunds r, orders o
			WHERE r.id = rl.refund_id AND o.id = r.order_id AND o.shop_id = $1 AND `+countedOrderRefund+`
				AND rl.settled_month IS NULL AND r.succeeded_at < $3
			RETURNING 1
		)
		SELECT (SELECT count(*) FROM sale), (SELECT count(*) FROM refund), (SELECT count(*) FROM paid), (SELECT count(*) FROM online_refund)`,
		shop, m.Date(), m.Next().Start())
	if err != nil {
		return err
	}
	// The statements' lines, from exactly the events marked: the live computation's
	// statement on another selection. A statement row the month's listing made
	// earlier keeps its ID.
	var lines []storedPart
	err = tx.SelectContext(ctx, &lines, `
		WITH p AS (`+settlementParts("$3", closedMonth("$1", "$2"), "true")+`),
		k AS (SELECT DISTINCT facility_id FROM p),
		ins AS (
			INSERT INTO settlement_statements (facility_id, shop_id, month)
			SELECT facility_id, $1, $2 FROM k ON CONFLICT DO NOTHING
			RETURNING id, facility_id
		), st AS (
			SELECT id, facility_id FROM ins
			UNION ALL
			SELECT id, facility_id FROM settlement_statements WHERE shop_id = $1 AND month = $2
		)
		INSERT INTO settlement_lines (statement_id, product_id, name, tax_class, qualified, basis_points,
			units_sold, gross, units_refunded, refunds, refund_of_sale, refund_of_order, refund_of_receipt, refund_of_sold_at)
		SELECT st.id, p.product_id, p.name, p.class, p.qualified, p.basis_points, p.units_sold, p.gross,
			p.units_refunded, p.refunds, p.refund_of_sale, p.refund_of_order, p.refund_of_receipt, p.refund_of_sold_at
		FROM p JOIN st USING (facility_id)
		RETURNING `+storedLineColumns,
		shop, m.Date(), m.Start())
	if err != nil {
		return err
	}
	parts := map[tsunagu.SettlementID][]tsunagu.SettlementPart{}
	for _, l := range lines {
		parts[l.StatementID] = append(parts[l.StatementID], l.SettlementPart)
	}
	// Every statement of the month, with lines or not (a row listed earlier whose
	// goods all went), numbered in facility order after the shop's earlier ones.
	var ids []tsunagu.SettlementID
	err = tx.SelectContext(ctx, &ids, `SELECT id FROM settlement_statements
		WHERE shop_id = $1 AND month = $2 AND status = 'OPEN' ORDER BY facility_id`, shop, m.Date())
	if err != nil {
		return err
	}
	n := len(ids)
	numbers := make([]string, n)
	unitsSold, unitsRefunded := make([]int64, n), make([]int64, n)
	gross, refunds, commission, commissionTax, payable := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	for i, id := range ids {
		f := tsunagu.Settle(parts[id], st.Rounding)
		numbers[i] = tsunagu.StatementNumber(shop, st.Numbered+int64(i)+1)
		unitsSold[i], unitsRefunded[i] = int64(f.UnitsSold), int64(f.UnitsRefunded)
		gross[i], refunds[i], commission[i], commissionTax[i], payable[i] = f.Gross, f.Refunds, f.Commission, f.CommissionTax, f.Payable
	}
	_, err = tx.ExecContext(ctx, `
		UPDATE settlement_statements st SET status = 'CLOSED', statement_number = v.number,
			units_sold = v.units_sold, units_refunded = v.units_refunded, gross = v.gross, refunds = v.refunds,
			commission = v.commission, commission_tax = v.commission_tax, payable = v.payable,
			rounding = $9, closed_at = $10, closed_by = $11
		FROM unnest($1::bigint[], $2::text[], $3::int[], $4::int[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $12::bigint[])
			AS v(id, number, units_sold, units_refunded, gross, refunds, commission, commission_tax, payable)
		WHERE st.id = v.id`,
		int64s(ids), pq.Array(numbers), pq.Array(unitsSold), pq.Array(unitsRefunded), pq.Array(gross), pq.Array(refunds),
		pq.Array(commission), pq.Array(commissionTax), st.Rounding, closedAt, actorID(ctx), pq.Array(payable))
	if err != nil {
		return err
	}
	type closed struct {
		Month      string
		Statements int
		Numbers    string
	}
	after := closed{Month: m.String(), Statements: n}
	if n > 0 {
		after.Numbers = numbers[0] + " – " + numbers[n-1]
	}
	return audit(ctx, tx, audited{Action: "closeSettlementMonth", ObjectType: "SettlementMonth", ObjectID: int64(shop),
		LocationID: &shop, After: after})
}

// closedSettlements reads the closed statements meeting where (on st) with args, in
// ID order.
func closedSettlements(ctx context.Context, tx queryer, where string, args ...any) ([]*tsunagu.Settlement, error) {
	var rows []*settlementRow
	err := tx.SelectContext(ctx, &rows, `SELECT `+settlementColumns+` FROM settlement_statements st
		JOIN shops s ON s.location_id = st.shop_id WHERE st.status <> 'OPEN' AND `+where+` ORDER BY st.id`, args...)
	if err != nil {
		return nil, err
	}
	return settlementsOf(ctx, tx, rows, nil)
}

// MarkSettlementPaid implements tsunagu.SettlementCloser. It locks the statement's
// row, so two payments of it run one after the other.
func (s *SettlementService) MarkSettlementPaid(ctx context.Context, in tsunagu.MarkSettlementPaidInput) (_ *tsunagu.Settlement, err error) {
	defer wrap(&err, "SettlementService.MarkSettlementPaid")
	u, err := settlementStaff(ctx)
	if err != nil {
		return nil, err
	}
	paidOn, err := in.Validate(time.Now())
	if err != nil {
		return nil, err
	}
	var out *tsunagu.Settlement
	err = s.db.transact(ctx, func(tx queryer) error {
		var a args
		id := a.add(in.ID)
		var r struct {
			settlementRow
			ShopMunicipality tsunagu.MunicipalityID
		}
		err := tx.GetContext(ctx, &r, `SELECT `+settlementColumns+`, l.municipality_id AS shop_municipality
			FROM settlement_statements st JOIN shops s ON s.location_id = st.shop_id
			JOIN facilities f ON f.id = st.facility_id JOIN locations l ON l.id = st.shop_id
			WHERE st.id = `+id+` AND `+settlementVisibleTo(u, &a)+` FOR UPDATE OF st`, a...)
		if err != nil {
			return notFound(err, "", "statement")
		}
		if err := tsunagu.CanManageMunicipality(u, r.ShopMunicipality); err != nil {
			return err
		}
		type payment struct {
			Status    tsunagu.SettlementStatus
			PaidOn    string
			Reference string
		}
		before := payment{Status: r.Status, Reference: r.PaymentReference}
		switch {
		case r.Status == tsunagu.SettlementOpen:
			return tsunagu.Errorf(tsunagu.CodeSettlementNotClosed, "input.id",
				"The statement's month is not closed yet; close it before paying the statement.")
		case r.Status == tsunagu.SettlementPaid:
			before.PaidOn = r.PaidOn.Format(time.DateOnly)
			if !r.PaidOn.Equal(paidOn) || r.PaymentReference != in.Reference {
				return tsunagu.Errorf(tsunagu.CodeAlreadyPaid, "input.id", "The statement was paid on %s (reference %q).",
					before.PaidOn, r.PaymentReference)
			}
		default:
			closedOn := tsunagu.DayOf(*r.ClosedAt)
			if paidOn.Before(closedOn) {
				return tsunagu.Errorf(tsunagu.CodePaidBeforeClose, "input.paidOn",
					"The statement was closed on %s; give a payment day from then on.", closedOn.Format(time.DateOnly))
			}
			_, err := tx.ExecContext(ctx, `UPDATE settlement_statements SET status = 'PAID', paid_on = $2,
				payment_reference = $3, paid_by = $4, paid_at = now() WHERE id = $1`, in.ID, paidOn, in.Reference, actorID(ctx))
			if err != nil {
				return err
			}
			after := payment{Status: tsunagu.SettlementPaid, PaidOn: paidOn.Format(time.DateOnly), Reference: in.Reference}
			shop := r.ShopID
			if err := audit(ctx, tx, audited{Action: "markSettlementPaid", ObjectType: "Settlement", ObjectID: int64(in.ID),
				LocationID: &shop, Before: before, After: after}); err != nil {
				return err
			}
		}
		got, err := closedSettlements(ctx, tx, `st.id = $1`, in.ID)
		if err != nil {
			return err
		}
		out = got[0]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
