package postgres

import (
	"context"

	"tsunagu/internal/tsunagu"
)

// singleStep is a step of a transfer that moves every line's outstanding quantity
// (shipping everything approved, receiving everything shipped) as one statement
// (runOnce's single): one round trip where the transaction takes three or four. It
// makes the step only when nothing would refuse it, and otherwise changes nothing
// and reports not done, so that the transaction runs and says why. Its conditions
// are the transaction's, read under the same locks (the transfer and its lines FOR
// UPDATE, then the levels in key order; the key last), for the users whose right
// to the step is plain from the transfer row: a manager of the municipality it
// ships from, or a clerk or manager where it arrives. Every level it changes must
// exist (for a first shipment of a product to a destination, shipSingle makes it
// in a statement before, destinationLevels) and have the quantity, as
// applyMovements requires; the levels' CHECKs would refuse the update anyway,
// failing the whole statement.
type singleStep struct {
	// allowed is the condition on transfers t, over args, for u to take the step.
	allowed string
	// status is the condition on t.status under which the step may run.
	status string
	// outstanding is each line tl's quantity to move.
	outstanding string
	// whole is a condition on all lines t (an aggregate over tr) that the step
	// needs besides, or "true".
	whole string
	// set is what the step writes in each moved line tl, with its quantity p.q.
	set string
	// levels is the changes (product_id, location_id, d_on, d_inc) of the moved
	// lines p (product_id, q, from_location_id, to_location_id).
	levels string
	// movements is the ledger rows (p, l, o, b, q, r, ord) of the moved lines p
	// (with owner_facility_id).
	movements string
	// writes is CTEs of the step's own document (a shipment, a receipt) of the
	// moved lines p, written only with the key (FROM claim).
	writes string
	// after and event are the transfer's status after the step and its event.
	after tsunagu.TransferStatus
	event tsunagu.TransferEventType
	note  string
}

// singleStockSQL is the CTEs of a single statement (runOnce's single) that lock
// the levels of d(product_id, location_id, d_on, d_inc) in key order when ok(ok)
// holds, take the key k with the result ID result (an expression, with FROM if it
// needs one) only when every level is there with enough stock, and change the
// levels; a CTE after them writes only FROM claim. The update is not guarded: the
// conditions under the lock are the guard, and the levels' CHECKs (on hand,
// reserved and incoming never below zero, reserved never above on hand) would fail
// the whole statement if a condition were missed.
func singleStockSQL(k *idemKey, a *args, result string) string {
	return `locked AS MATERIALIZED (
			SELECT l.on_hand + d.d_on - l.reserved >= 0 AND l.incoming + d.d_inc >= 0 AS enough
			FROM stock_levels l JOIN d USING (product_id, location_id)
			WHERE (SELECT ok FROM ok)
			ORDER BY l.product_id, l.location_id
			FOR UPDATE OF l
		), claim AS (
			INSERT INTO idempotency_keys (scope, key, operation, request_hash, result_id)
			SELECT ` + a.add(k.Scope) + `, ` + a.add(k.Key) + `, ` + a.add(k.Operation) + `, ` + a.add(k.Hash) + `, ` + result + `
			WHERE (SELECT ok FROM ok)
			  AND (SELECT count(*) FILTER (WHERE enough) FROM locked) = (SELECT count(*) FROM d)
			ON CONFLICT DO NOTHING RETURNING true
		), updated AS (
			UPDATE stock_levels l
			SET on_hand = l.on_hand + d.d_on, incoming = l.incoming + d.d_inc, updated_at = now()
			FROM d, claim
			WHERE l.product_id = d.product_id AND l.location_id = d.location_id
			RETURNING l.product_id
		)`
}

// run runs the step on transfer id for u under the key k, with a holding its
// values ($1 the transfer); see singleStep.
func (s *singleStep) run(ctx context.Context, q queryer, u *tsunagu.User, id tsunagu.TransferID, k *idemKey, a args) (*tsunagu.Transfer, bool, error) {
	return getSingle[tsunagu.Transfer](ctx, q, `
		WITH tr AS MATERIALIZED (
			SELECT t.status, t.from_location_id, t.to_location_id, tl.product_id, tl.owner_facility_id,
				tl.approved, tl.shipped, tl.received, tl.short, `+s.outstanding+` AS q
			FROM transfers t JOIN transfer_lines tl ON tl.transfer_id = t.id
			WHERE t.id = $1 AND `+s.allowed+`
			ORDER BY tl.product_id
			FOR UPDATE OF t, tl
		), ok AS MATERIALIZED (
			SELECT bool_and(`+s.status+`) AND bool_and(q >= 0) AND sum(q) > 0 AND `+s.whole+` AS ok FROM tr t
		), p AS MATERIALIZED (
			SELECT * FROM tr WHERE q > 0
		), d AS MATERIALIZED (
			SELECT product_id, location_id, sum(d_on) AS d_on, sum(d_inc) AS d_inc
			FROM (`+s.levels+`) AS d(product_id, location_id, d_on, d_inc) GROUP BY 1, 2
		), `+singleStockSQL(k, &a, "$1")+`, l AS (
			UPDATE transfer_lines tl SET `+s.set+`
			FROM p, claim WHERE tl.transfer_id = $1 AND tl.product_id = p.product_id
		), t AS (
			UPDATE transfers SET status = `+a.add(s.after)+`, updated_at = now() FROM claim WHERE id = $1 RETURNING *
		), e AS (
			INSERT INTO transfer_events (transfer_id, type, actor_id, note)
			SELECT $1, `+a.add(s.event)+`, `+a.add(u.ID)+`, `+a.add(s.note)+` FROM claim
		), ledger AS (
			INSERT INTO stock_movements (product_id, location_id, owner_facility_id, bucket, quantity,
				reason, document_type, document_id, actor_id)
			SELECT m.p, m.l, m.o, m.b, m.q, m.r, `+a.add(tsunagu.DocumentTransfer)+`, $1, `+a.add(u.ID)+`
			FROM claim, (`+s.movements+`) AS m(p, l, o, b, q, r, ord)
			ORDER BY m.ord
		), `+s.writes+`
		SELECT `+transferColumns+` FROM t`, a)
}

// shipSingle is ShipTransfer of everything approved and not yet shipped, for a
// manager of the municipality it ships from (ManagesMunicipality), as one
// statement (singleStep). A first shipment of a product to the destination, which
// has no level of it yet, is refused by that statement; then the missing levels
// are made empty (destinationLevels) and the statement runs again: three round
// trips where the transaction takes six.
func shipSingle(ctx context.Context, q queryer, u *tsunagu.User, in *tsunagu.ShipTransferInput, k *idemKey) (*tsunagu.Transfer, bool, error) {
	if len(in.Lines) > 0 || u.Role != tsunagu.RoleManager || u.MunicipalityID == nil {
		return nil, false, nil
	}
	t, done, err := shipStatement(ctx, q, u, in, k)
	if done || err != nil {
		return t, done, err
	}
	if made, err := destinationLevels(ctx, q, u, in, k); !made || err != nil {
		return nil, false, err
	}
	return shipStatement(ctx, q, u, in, k)
}

// destinationLevels makes, in a statement of its own, the levels the destination
// lacks of what is left to ship of transfer in.TransferID, and reports whether it
// made any, for the users shipSingle admits; it makes none unless the shipment
// would otherwise go ahead as shipSingle makes it: u manages the municipality it
// ships from, it is APPROVED or SHIPPED in part, the key is free and the source
// has every line's quantity available. The
// levels are empty (nothing on hand, reserved or incoming, as are their ledgers),
// as createLevels makes them at the start of the transaction, and levels are never
// deleted; only a change between this statement and the next (stock taken at the
// source, the key taken) leaves them behind with the shipment refused.
//
// It holds no lock when it ends: levels are made before any other is locked, as in
// the transaction, so that the two ways cannot deadlock (a statement that locked
// levels and then waited for another's new level could).
func destinationLevels(ctx context.Context, q queryer, u *tsunagu.User, in *tsunagu.ShipTransferInput, k *idemKey) (bool, error) {
	res, err := q.ExecContext(ctx, `
		INSERT INTO stock_levels (product_id, location_id)
		SELECT tl.product_id, t.to_location_id
		FROM transfers t JOIN transfer_lines tl ON tl.transfer_id = t.id
		WHERE t.id = $1 AND t.from_municipality_id = $2 AND t.status IN ('APPROVED', 'SHIPPED')
		  AND tl.approved > tl.shipped
		  AND NOT EXISTS (SELECT FROM idempotency_keys WHERE scope = $3 AND key = $4)
		  AND NOT EXISTS (
			SELECT FROM transfer_lines sl
			LEFT JOIN stock_levels s ON s.product_id = sl.product_id AND s.location_id = t.from_location_id
			WHERE sl.transfer_id = t.id AND sl.approved > sl.shipped
			  AND coalesce(s.on_hand - s.reserved, 0) < sl.approved - sl.shipped)
		ORDER BY 1, 2
		ON CONFLICT DO NOTHING`, in.TransferID, *u.MunicipalityID, k.Scope, k.Key)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// shipStatement is shipSingle's one statement, for the users shipSingle admits.
func shipStatement(ctx context.Context, q queryer, u *tsunagu.User, in *tsunagu.ShipTransferInput, k *idemKey) (*tsunagu.Transfer, bool, error) {
	a := args{in.TransferID}
	s := &singleStep{
		allowed:     `t.from_municipality_id = ` + a.add(*u.MunicipalityID),
		status:      `t.status IN ('APPROVED', 'SHIPPED')`,
		outstanding: `tl.approved - tl.shipped`,
		whole:       `true`,
		set:         `shipped = tl.shipped + p.q`,
		levels: `SELECT product_id, from_location_id, -q, 0 FROM p
			UNION ALL SELECT product_id, to_location_id, 0, q FROM p`,
		movements: `SELECT product_id, from_location_id, owner_facility_id, ` + a.add(tsunagu.BucketOnHand) + `, -q, ` +
			a.add(tsunagu.ReasonTransferOut) + `, 2 * product_id FROM p
			UNION ALL SELECT product_id, to_location_id, owner_facility_id, ` + a.add(tsunagu.BucketIncoming) + `, q, ` +
			a.add(tsunagu.ReasonInTransit) + `, 2 * product_id + 1 FROM p`,
		writes: `sh AS (
				INSERT INTO transfer_shipments (transfer_id, carrier, tracking_number, shipped_by)
				SELECT $1, ` + a.add(in.Carrier) + `, ` + a.add(in.TrackingNumber) + `, ` + a.add(u.ID) + ` FROM claim
				RETURNING id
			), shl AS (
				INSERT INTO transfer_shipment_lines (shipment_id, product_id, quantity) SELECT sh.id, p.product_id, p.q FROM sh, p
			)`,
		after: tsunagu.TransferShipped,
		event: tsunagu.EventShipped,
		note:  shipmentNote(in.Carrier, in.TrackingNumber),
	}
	return s.run(ctx, q, u, in.TransferID, k, a)
}

// receiveSingle is ReceiveTransfer of everything shipped, with nothing short, of a
// transfer whose every approved unit has shipped (it is then RECEIVED), for a clerk
// of the shop it arrives at or a manager of its municipality (WorksAt), as one
// statement (singleStep).
func receiveSingle(ctx context.Context, q queryer, u *tsunagu.User, in *tsunagu.ReceiveTransferInput, k *idemKey) (*tsunagu.Transfer, bool, error) {
	if len(in.Lines) > 0 {
		return nil, false, nil
	}
	a := args{in.TransferID}
	var allowed string
	switch {
	case u.Role == tsunagu.RoleClerk && u.ShopID != nil:
		allowed = `t.to_location_id = ` + a.add(*u.ShopID)
	case u.Role == tsunagu.RoleManager && u.MunicipalityID != nil:
		allowed = `t.to_municipality_id = ` + a.add(*u.MunicipalityID)
	default:
		return nil, false, nil
	}
	s := &singleStep{
		allowed:     allowed,
		status:      `t.status = 'SHIPPED'`,
		outstanding: `tl.shipped - tl.received - tl.short`,
		whole:       `bool_and(t.shipped = t.approved)`,
		set:         `received = tl.received + p.q`,
		levels:      `SELECT product_id, to_location_id, q, -q FROM p`,
		movements: `SELECT product_id, to_location_id, owner_facility_id, ` + a.add(tsunagu.BucketIncoming) + `, -q, ` +
			a.add(tsunagu.ReasonTransferIn) + `, 2 * product_id FROM p
			UNION ALL SELECT product_id, to_location_id, owner_facility_id, ` + a.add(tsunagu.BucketOnHand) + `, q, ` +
			a.add(tsunagu.ReasonTransferIn) + `, 2 * product_id + 1 FROM p`,
		writes: `r AS (
				INSERT INTO transfer_receipts (transfer_id, received_by) SELECT $1, ` + a.add(u.ID) + ` FROM claim
				RETURNING id
			), rl AS (
				INSERT INTO transfer_receipt_lines (receipt_id, product_id, accepted, short) SELECT r.id, p.product_id, p.q, 0 FROM r, p
			)`,
		after: tsunagu.TransferReceived,
		event: tsunagu.EventReceived,
	}
	return s.run(ctx, q, u, in.TransferID, k, a)
}
