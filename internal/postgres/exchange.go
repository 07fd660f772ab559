// Shipping and receiving, the steps of a transfer that move stock, and the exchange
// balance that values what moved between municipalities.

package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// ShipTransfer implements tsunagu.TransferService: everything left to ship, by a
// manager of the municipality it ships from, in one statement when nothing refuses
// it (shipSingle); otherwise in one transaction (runOnce, lockTransfer): the quantities leave on hand at the source (TRANSFER_OUT) and
// become incoming at the destination (IN_TRANSIT), with the shipment and event
// SHIPPED.
func (s *TransferService) ShipTransfer(ctx context.Context, in tsunagu.ShipTransferInput) (_ *tsunagu.Transfer, err error) {
	defer wrap(&err, "TransferService.ShipTransfer")
	m := transferMutation(ctx, true, func(tx queryer, u *tsunagu.User, st *transferStep) (tsunagu.TransferID, error) {
		t, lines, err := lockTransfer(ctx, tx, u, in.TransferID, st.key)
		if err != nil {
			return 0, err
		}
		if !u.ManagesMunicipality(t.FromMunicipalityID) {
			return 0, tsunagu.ErrForbidden
		}
		if err := tsunagu.CanTransition(t.Status, tsunagu.ActionShip); err != nil {
			return 0, err
		}
		type pick struct {
			line  *transferLineRow
			q     int
			field string
		}
		var picks []pick
		if len(in.Lines) == 0 {
			for _, l := range lines {
				if l.Unshipped() > 0 {
					picks = append(picks, pick{l, l.Unshipped(), "input.transferId"})
				}
			}
			if len(picks) == 0 {
				return 0, tsunagu.Errorf(tsunagu.CodeInvalidState, "input.transferId", "Everything approved on this transfer has been shipped already.")
			}
		} else {
			byProduct := transferLinesByProduct(lines)
			var errs tsunagu.ValidationErrors
			for i, q := range in.Lines {
				l := byProduct[q.ProductID]
				switch {
				case l == nil:
					errs.Add(tsunagu.CodeNotFound, tsunagu.LineField(i, ".productId"), "This product is not on the transfer.")
				case q.Quantity > l.Unshipped():
					errs.Add(tsunagu.CodeOutOfRange, tsunagu.LineField(i, ".quantity"), "Only %d of %s left to ship.", l.Unshipped(), l.Name)
				default:
					picks = append(picks, pick{l, q.Quantity, tsunagu.LineField(i, ".quantity")})
				}
			}
			if err := errs.Err(); err != nil {
				return 0, err
			}
		}

		products, quantities := make([]int64, len(picks)), make([]int64, len(picks))
		ms := make([]movement, 0, 2*len(picks))
		missing := false // a level at the destination
		for i, p := range picks {
			l := p.line
			products[i], quantities[i] = int64(l.ProductID), int64(p.q)
			ms = append(ms,
				movement{l.ProductID, t.FromLocationID, l.OwnerFacilityID, tsunagu.BucketOnHand, -p.q, tsunagu.ReasonTransferOut},
				movement{l.ProductID, t.ToLocationID, l.OwnerFacilityID, tsunagu.BucketIncoming, p.q, tsunagu.ReasonInTransit})
			l.Shipped += p.q
			missing = missing || !l.AtDestination
		}
		stock, err := planMovements(ms)
		if err != nil {
			return 0, err
		}
		// Only a product's first shipment to the destination needs the statement
		// that makes its level: levels are never deleted, so one the lock saw is there.
		if missing {
			if err := stock.createLevels(ctx, tx); err != nil {
				return 0, err
			}
		}
		// The shipment, the stock and the transfer's step in one statement.
		err = advanceTransfer(ctx, tx, st, t, lines, tsunagu.TransferShipped, tsunagu.EventShipped, u,
			shipmentNote(in.Carrier, in.TrackingNumber), &stepWrites{stock: stock, ctes: func(a *args) string {
				return `sh AS (
					INSERT INTO transfer_shipments (transfer_id, carrier, tracking_number, shipped_by)
					VALUES (` + a.add(t.ID) + `, ` + a.add(in.Carrier) + `, ` + a.add(in.TrackingNumber) + `, ` + a.add(u.ID) + `)
					RETURNING id
				), shl AS (
					INSERT INTO transfer_shipment_lines (shipment_id, product_id, quantity)
					SELECT sh.id, d.p, d.q FROM sh, unnest(` + a.add(pq.Array(products)) + `::bigint[], ` +
					a.add(pq.Array(quantities)) + `::int[]) AS d(p, q)
				)`
			}})
		if ise := (*InsufficientStockError)(nil); errors.As(err, &ise) {
			for _, p := range picks {
				if p.line.ProductID == ise.Key.ProductID {
					return 0, insufficientAtSource(ctx, tx, ise.Key, p.field, p.line.Name, p.q)
				}
			}
		}
		return t.ID, err
	})
	m.single = func(q queryer, u *tsunagu.User, k *idemKey) (*tsunagu.Transfer, bool, error) {
		return shipSingle(ctx, q, u, &in, k)
	}
	return runOnce(ctx, s.db, "shipTransfer", &in, m)
}

// insufficientAtSource is the INSUFFICIENT_STOCK of a shipment, saying how many are
// available. It runs in the transaction that failed, which is still usable: the
// refusal was the guarded update's, not an error of the database.
func insufficientAtSource(ctx context.Context, tx queryer, k tsunagu.StockKey, field, name string, wanted int) error {
	var at struct {
		Available int
		Location  string
	}
	err := tx.GetContext(ctx, &at, `
		SELECT coalesce((SELECT on_hand - reserved FROM stock_levels WHERE product_id = $1 AND location_id = $2), 0) AS available,
			(SELECT name FROM locations WHERE id = $2) AS location`, k.ProductID, k.LocationID)
	if err != nil {
		return err
	}
	return tsunagu.Errorf(tsunagu.CodeInsufficientStock, field,
		"Only %d of %s are available at %s, not %d.", at.Available, name, at.Location, wanted)
}

func shipmentNote(carrier, tracking string) string {
	var parts []string
	if carrier != "" {
		parts = append(parts, "carrier "+carrier)
	}
	if tracking != "" {
		parts = append(parts, "tracking number "+tracking)
	}
	return strings.Join(parts, ", ")
}

// ReceiveTransfer implements tsunagu.TransferService: everything shipped of a
// fully shipped transfer, in one statement when nothing refuses it
// (receiveSingle); otherwise in one transaction (runOnce, lockTransfer): per line, Accepted moves from incoming to on hand (TRANSFER_IN)
// and Short is written off incoming (TRANSIT_LOSS), with the receipt and event
// RECEIVED noting the shortfalls.
func (s *TransferService) ReceiveTransfer(ctx context.Context, in tsunagu.ReceiveTransferInput) (_ *tsunagu.Transfer, err error) {
	defer wrap(&err, "TransferService.ReceiveTransfer")
	m := transferMutation(ctx, true, func(tx queryer, u *tsunagu.User, st *transferStep) (tsunagu.TransferID, error) {
		t, lines, err := lockTransfer(ctx, tx, u, in.TransferID, st.key)
		if err != nil {
			return 0, err
		}
		if !u.WorksAt(&tsunagu.Location{ID: t.ToLocationID, MunicipalityID: t.ToMunicipalityID}) {
			return 0, tsunagu.ErrForbidden
		}
		if err := tsunagu.CanTransition(t.Status, tsunagu.ActionReceive); err != nil {
			return 0, err
		}
		type pick struct {
			line *transferLineRow
			in   tsunagu.ReceiptLineInput
		}
		var picks []pick
		if len(in.Lines) == 0 {
			for _, l := range lines {
				if l.Outstanding() > 0 {
					picks = append(picks, pick{l, tsunagu.ReceiptLineInput{ProductID: l.ProductID, Accepted: l.Outstanding()}})
				}
			}
			if len(picks) == 0 {
				return 0, tsunagu.Errorf(tsunagu.CodeInvalidState, "input.transferId", "Nothing shipped on this transfer is waiting to be received.")
			}
		} else {
			byProduct := transferLinesByProduct(lines)
			var errs tsunagu.ValidationErrors
			for i, r := range in.Lines {
				l := byProduct[r.ProductID]
				switch {
				case l == nil:
					errs.Add(tsunagu.CodeNotFound, tsunagu.LineField(i, ".productId"), "This product is not on the transfer.")
				case r.Accepted+r.Short > l.Outstanding():
					errs.Add(tsunagu.CodeOutOfRange, tsunagu.LineField(i, ""), "Only %d of %s outstanding.", l.Outstanding(), l.Name)
				default:
					picks = append(picks, pick{l, r})
				}
			}
			if err := errs.Err(); err != nil {
				return 0, err
			}
		}

		n := len(picks)
		products, accepted, short := make([]int64, n), make([]int64, n), make([]int64, n)
		reasons, notes := make([]string, n), make([]string, n)
		var ms []movement
		var shortfalls []string
		for i, p := range picks {
			l, r := p.line, p.in
			products[i], accepted[i], short[i], notes[i] = int64(l.ProductID), int64(r.Accepted), int64(r.Short), r.Note
			if r.ShortReason != nil {
				reasons[i] = string(*r.ShortReason)
			}
			if r.Accepted > 0 {
				ms = append(ms,
					movement{l.ProductID, t.ToLocationID, l.OwnerFacilityID, tsunagu.BucketIncoming, -r.Accepted, tsunagu.ReasonTransferIn},
					movement{l.ProductID, t.ToLocationID, l.OwnerFacilityID, tsunagu.BucketOnHand, r.Accepted, tsunagu.ReasonTransferIn})
			}
			if r.Short > 0 {
				ms = append(ms, movement{l.ProductID, t.ToLocationID, l.OwnerFacilityID, tsunagu.BucketIncoming, -r.Short, tsunagu.ReasonTransitLoss})
				msg := fmt.Sprintf("%d %s short (%s)", r.Short, l.Name, reasons[i])
				if r.Note != "" {
					msg += ": " + r.Note
				}
				shortfalls = append(shortfalls, msg)
			}
			l.Received += r.Accepted
			l.Short += r.Short
		}
		stock, err := planMovements(ms)
		if err != nil {
			return 0, err
		}
		all := make([]*tsunagu.TransferLine, len(lines))
		for i, l := range lines {
			all[i] = &l.TransferLine
		}
		// The receipt, the stock and the transfer's step in one statement. Every
		// level changed exists already: shipping made it incoming.
		err = advanceTransfer(ctx, tx, st, t, lines, tsunagu.StatusAfterMovement(all), tsunagu.EventReceived, u,
			strings.Join(shortfalls, "; "), &stepWrites{stock: stock, ctes: func(a *args) string {
				return `r AS (
					INSERT INTO transfer_receipts (transfer_id, received_by) VALUES (` + a.add(t.ID) + `, ` + a.add(u.ID) + `)
					RETURNING id
				), rl AS (
					INSERT INTO transfer_receipt_lines (receipt_id, product_id, accepted, short, short_reason, note)
					SELECT r.id, d.p, d.a, d.s, nullif(d.reason, ''), d.note
					FROM r, unnest(` + a.add(pq.Array(products)) + `::bigint[], ` + a.add(pq.Array(accepted)) + `::int[], ` +
					a.add(pq.Array(short)) + `::int[], ` + a.add(pq.Array(reasons)) + `::text[], ` + a.add(pq.Array(notes)) + `::text[])
						AS d(p, a, s, reason, note)
				)`
			}})
		if ise := (*InsufficientStockError)(nil); errors.As(err, &ise) {
			// Only if incoming stock was changed behind the transfers' back.
			return 0, tsunagu.Errorf(tsunagu.CodeInsufficientStock, "input.transferId",
				"The incoming stock at the destination is less than what this transfer has outstanding; ask an administrator to check the stock.")
		}
		return t.ID, err
	})
	m.single = func(q queryer, u *tsunagu.User, k *idemKey) (*tsunagu.Transfer, bool, error) {
		return receiveSingle(ctx, q, u, &in, k)
	}
	return runOnce(ctx, s.db, "receiveTransfer", &in, m)
}

// ExchangeTransfers implements tsunagu.TransferService in one statement, on the
// streaming standby when there is one.
func (s *TransferService) ExchangeTransfers(ctx context.Context, f tsunagu.ExchangeBalanceFilter) (_ []*tsunagu.ExchangeTransfers, err error) {
	defer wrap(&err, "TransferService.ExchangeTransfers")
	muni, months, err := f.Check(tsunagu.UserFrom(ctx))
	if err != nil {
		return nil, err
	}
	from, until := months[0].Start(), months[len(months)-1].Next().Start()
	var a args
	lo, hi := a.add(from), a.add(until)
	// The exchange is between municipalities: a move within one is not part of it.
	cond := `t.from_municipality_id <> t.to_municipality_id`
	if muni != nil {
		m := a.add(*muni)
		cond += ` AND (t.from_municipality_id = ` + m + ` OR t.to_municipality_id = ` + m + `)`
	}
	q := `
		WITH moves AS (
			SELECT sh.shipped_at AS at, t.from_municipality_id, t.to_municipality_id,
				sl.quantity AS shipped, 0 AS received, 0 AS short, tl.unit_price
			FROM transfer_shipments sh
			JOIN transfers t ON t.id = sh.transfer_id
			JOIN transfer_shipment_lines sl ON sl.shipment_id = sh.id
			JOIN transfer_lines tl ON tl.transfer_id = sh.transfer_id AND tl.product_id = sl.product_id
			WHERE sh.shipped_at >= ` + lo + ` AND sh.shipped_at < ` + hi + ` AND ` + cond + `
			UNION ALL
			SELECT r.received_at, t.from_municipality_id, t.to_municipality_id,
				0, rl.accepted, rl.short, tl.unit_price
			FROM transfer_receipts r
			JOIN transfers t ON t.id = r.transfer_id
			JOIN transfer_receipt_lines rl ON rl.receipt_id = r.id
			JOIN transfer_lines tl ON tl.transfer_id = r.transfer_id AND tl.product_id = rl.product_id
			WHERE r.received_at >= ` + lo + ` AND r.received_at < ` + hi + ` AND ` + cond + `
		)
		SELECT to_char(at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM') AS month,
			from_municipality_id, to_municipality_id,
			sum(shipped) AS shipped_units, sum(shipped * unit_price)::bigint AS shipped_value,
			sum(received) AS received_units, sum(received * unit_price)::bigint AS received_value,
			sum(short) AS short_units, sum(short * unit_price)::bigint AS short_value
		FROM moves
		GROUP BY 1, 2, 3
		ORDER BY 1, 2, 3`
	out := []*tsunagu.ExchangeTransfers{}
	// A report over past months: the standby's lag does not matter (DATABASE_READ_URL).
	if err := s.db.q().SelectContext(LagTolerant(ctx), &out, q, a...); err != nil {
		return nil, err
	}
	return out, nil
}
