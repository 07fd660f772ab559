package pgtest

import (
	"context"
	"database/sql"
	"fmt"
)

// CheckLedger reports every stock level of db that differs from the sum of its
// movements, and every movement without a level: nil means that the cached levels
// and the ledger agree, as they must after every scenario a test plays.
func CheckLedger(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `
		WITH sums AS (
			SELECT product_id, location_id,
				sum(quantity) FILTER (WHERE bucket = 'ON_HAND') AS sum_on_hand,
				sum(quantity) FILTER (WHERE bucket = 'RESERVED') AS sum_reserved,
				sum(quantity) FILTER (WHERE bucket = 'INCOMING') AS sum_incoming
			FROM stock_movements GROUP BY product_id, location_id
		)
		SELECT coalesce(l.product_id, s.product_id), coalesce(l.location_id, s.location_id),
			l.on_hand, l.reserved, l.incoming, s.sum_on_hand, s.sum_reserved, s.sum_incoming
		FROM stock_levels l FULL JOIN sums s USING (product_id, location_id)
		WHERE l.product_id IS NULL
		   OR l.on_hand <> coalesce(s.sum_on_hand, 0)
		   OR l.reserved <> coalesce(s.sum_reserved, 0)
		   OR l.incoming <> coalesce(s.sum_incoming, 0)`)
	if err != nil {
		return err
	}
	defer rows.Close()
	n, first := 0, ""
	for rows.Next() {
		var product, location int64
		var level, ledger [3]sql.NullInt64
		if err := rows.Scan(&product, &location, &level[0], &level[1], &level[2], &ledger[0], &ledger[1], &ledger[2]); err != nil {
			return err
		}
		if n == 0 {
			first = fmt.Sprintf("product %d at location %d: on hand, reserved, incoming %s in the level, %s in the ledger",
				product, location, counts(level), counts(ledger))
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%d stock levels differ from their ledger, e.g. %s", n, first)
	}
	return nil
}

// counts writes three counts of a row, "-" for a NULL.
func counts(c [3]sql.NullInt64) string {
	s := ""
	for i, v := range c {
		if i > 0 {
			s += "/"
		}
		if v.Valid {
			s += fmt.Sprint(v.Int64)
		} else {
			s += "-"
		}
	}
	return s
}
