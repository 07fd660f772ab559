package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

// The settlement close (issue 19): every month of the dataset's year closed at every
// shop, in order, through the API (closeSettlementMonth, one shop at a time), each
// shop's month first as the minimal SQL (in a transaction rolled back, so that the
// API then closes the same events). A one-off operation, so it is timed per close
// rather than run for a duration.

const closeMutation = `mutation($in: CloseSettlementMonthInput!) { closeSettlementMonth(input: $in) {
	settlements { id statementNumber payable } userErrors { code message } } }`

// minimalClose is what a close must do at the least, for a dataset of counter
// sales only (the bench's): mark the shop's unmarked sales of the month, sum their
// lines per facility, product, tax class, qualification and the day's commission
// rate, and write the statements with their figures and numbers and the lines.
const minimalClose = `
	WITH marked AS (
		UPDATE sales SET settled_month = $2 WHERE shop_id = $1 AND settled_month IS NULL AND created_at < $3
		RETURNING id, created_at
	), l AS (
		SELECT sl.owner_facility_id AS facility_id, sl.product_id, max(sl.name) AS name, sl.tax_class, sl.qualified,
			coalesce(r.bp, 0) AS bp, sum(sl.quantity)::int AS units, sum(sl.unit_price * sl.quantity) AS gross
		FROM marked s JOIN sale_lines sl ON sl.sale_id = s.id
		JOIN facilities f ON f.id = sl.owner_facility_id
		LEFT JOIN LATERAL (
			SELECT cr.basis_points AS bp FROM commission_rates cr
			WHERE cr.shop_id = $1 AND cr.effective_from <= (s.created_at AT TIME ZONE 'Asia/Tokyo')::date
				AND (cr.facility_id = sl.owner_facility_id OR cr.municipality_id = f.municipality_id
					OR (cr.facility_id IS NULL AND cr.municipality_id IS NULL))
			ORDER BY cr.facility_id IS NOT NULL DESC, cr.municipality_id IS NOT NULL DESC, cr.effective_from DESC, cr.id DESC
			LIMIT 1
		) r ON true
		GROUP BY 1, 2, 4, 5, 6
	), st AS (
		INSERT INTO settlement_statements (facility_id, shop_id, month, status, statement_number, units_sold,
			units_refunded, gross, refunds, commission, commission_tax, payable, rounding, closed_at)
		SELECT facility_id, $1, $2, 'CLOSED', 'min-' || $1 || '-' || facility_id, sum(units), 0, sum(gross), 0,
			sum(gross * bp) / 10000, sum(gross * bp) / 10000 * 10 / 110, sum(gross) - sum(gross * bp) / 10000, 'DOWN', now()
		FROM l GROUP BY facility_id
		RETURNING id, facility_id
	)
	INSERT INTO settlement_lines (statement_id, product_id, name, tax_class, qualified, basis_points, units_sold, gross,
		units_refunded, refunds)
	SELECT st.id, l.product_id, l.name, l.tax_class, l.qualified, l.bp, l.units, l.gross, 0, 0 FROM l JOIN st USING (facility_id)`

// closeRow is one month closed at every shop.
type closeRow struct {
	month      tsunagu.Month
	statements int
	api, sql   []time.Duration
}

func total(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[max(0, min(len(s)-1, int(float64(len(s))*p/100+0.5)-1))]
}

// settlementClose gives every shop a commission rate (and every seventh facility
// an override), then closes each month of the year at every shop, in order.
func (b *bench) settlementClose(ctx context.Context) (string, error) {
	var closed bool
	if err := b.raw.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM settlement_closes)`).Scan(&closed); err != nil {
		return "", err
	}
	if closed {
		return "\nSettlement close: skipped, the dataset (-reuse) has closed months already.\n", nil
	}
	_, err := b.raw.ExecContext(ctx, `
		INSERT INTO commission_rates (shop_id, facility_id, basis_points, effective_from)
		SELECT s.location_id, NULL::bigint, 1500, current_date - 400 FROM shops s
		UNION ALL
		SELECT s.location_id, f.id, 1000, current_date - 200 FROM shops s, facilities f WHERE f.id % 7 = 0`)
	if err != nil {
		return "", err
	}
	var admin string
	var first time.Time
	var shops []int64
	if err := b.raw.QueryRowContext(ctx, `SELECT split_part(email, '@', 1) FROM users WHERE role = 'ADMIN' LIMIT 1`).Scan(&admin); err != nil {
		return "", err
	}
	if err := b.raw.QueryRowContext(ctx, `SELECT min(created_at) FROM sales`).Scan(&first); err != nil {
		return "", err
	}
	rows, err := b.raw.QueryContext(ctx, `SELECT location_id FROM shops ORDER BY location_id`)
	if err != nil {
		return "", err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return "", err
		}
		shops = append(shops, id)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	last := tsunagu.MonthOf(time.Now()).Prev()
	var out []closeRow
	for m := tsunagu.MonthOf(first); !last.Before(m); m = m.Next() {
		r := closeRow{month: m}
		for _, shop := range shops {
			t0 := time.Now()
			if err := b.minimalClose(ctx, shop, m); err != nil {
				return "", fmt.Errorf("minimal close of %s at shop %d: %w", m, shop, err)
			}
			r.sql = append(r.sql, time.Since(t0))
			var res struct {
				CloseSettlementMonth struct {
					Settlements []struct{ ID string }
					UserErrors  []userError
				}
			}
			t0 = time.Now()
			err := b.gql(ctx, admin, closeMutation, map[string]any{"in": map[string]any{"month": m.String(),
				"shopId": gid.Encode(gid.KindLocation, shop)}}, &res)
			if err == nil {
				err = userErrors("closeSettlementMonth", res.CloseSettlementMonth.UserErrors)
			}
			if err != nil {
				return "", fmt.Errorf("close of %s at shop %d: %w", m, shop, err)
			}
			r.api = append(r.api, time.Since(t0))
			r.statements += len(res.CloseSettlementMonth.Settlements)
		}
		logf("settlement close %s at %d shops: %d statements; API %.2f s (p50 %.1f ms, max %.1f ms per shop) | SQL %.2f s | API ÷ SQL %.2f",
			m, len(shops), r.statements, total(r.api).Seconds(), ms(percentile(r.api, 50)), ms(percentile(r.api, 100)),
			total(r.sql).Seconds(), total(r.api).Seconds()/total(r.sql).Seconds())
		out = append(out, r)
	}
	var lines int64
	if err := b.raw.QueryRowContext(ctx, `SELECT count(*) FROM settlement_lines`).Scan(&lines); err != nil {
		return "", err
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "\nSettlement close: every month of the year at each of %d shops (%d facilities), in order, one shop at a time "+
		"through the API (closeSettlementMonth), each beside the minimal SQL (its lines and statements, rolled back); %d lines stored\n\n",
		len(shops), b.sz.municipalities*b.sz.facilitiesPer, lines)
	fmt.Fprintln(&sb, "| month | statements | API s (all shops) | p50 ms | max ms | SQL s (all shops) | API ÷ SQL (time) |")
	fmt.Fprintln(&sb, "|---|---:|---:|---:|---:|---:|---:|")
	for _, r := range out {
		fmt.Fprintf(&sb, "| %s | %d | %.2f | %.1f | %.1f | %.2f | %.2f |\n", r.month, r.statements, total(r.api).Seconds(),
			ms(percentile(r.api, 50)), ms(percentile(r.api, 100)), total(r.sql).Seconds(), total(r.api).Seconds()/total(r.sql).Seconds())
	}
	return sb.String(), nil
}

// minimalClose runs minimalClose for shop's month m and rolls it back.
func (b *bench) minimalClose(ctx context.Context, shop int64, m tsunagu.Month) error {
	tx, err := b.raw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, minimalClose, shop, m.Date(), m.Next().Start()); err != nil {
		return err
	}
	return tx.Rollback()
}
