package postgres

import (
	"context"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// TransferService implements tsunagu.TransferService: the exchange of goods between
// locations, usually of partner municipalities. This file holds requests, approvals,
// cancellations and what every step shares; exchange.go shipping, receiving and the
// exchange balance; transfers_read.go the reads and loaders.
//
// Every mutation is one transaction that takes its idempotency key first, then locks
// the transfer row and its lines (all steps of one transfer are serialized on it),
// then the stock levels in (product, location) order (levelChanges). No operation locks two
// transfers or a transfer after a level, so concurrent operations cannot deadlock.
// The number of statements does not depend on the number of lines.
type TransferService struct {
	db *DB
}

var _ tsunagu.TransferService = (*TransferService)(nil)

// NewTransferService returns the exchange on db.
func NewTransferService(db *DB) *TransferService { return &TransferService{db: db} }

// transferLineRow is a transfer line with its product's Japanese name, for messages,
// and whether the destination has a stock level of the product yet.
type transferLineRow struct {
	tsunagu.TransferLine
	Name          string
	AtDestination bool
}

// RequestTransfer implements tsunagu.TransferService in one transaction (runOnce):
// the locations, then every line's product with its stock level at the source and
// whether the destination carries it (carriedAt) in one statement, then the
// transfer, its lines and event REQUESTED or OFFERED.
func (s *TransferService) RequestTransfer(ctx context.Context, in tsunagu.RequestTransferInput) (_ *tsunagu.Transfer, err error) {
	defer wrap(&err, "TransferService.RequestTransfer")
	return runOnce(ctx, s.db, "requestTransfer", &in, transferMutation(ctx, false, func(tx queryer, u *tsunagu.User, st *transferStep) (tsunagu.TransferID, error) {
		var locs []*tsunagu.Location
		err := tx.SelectContext(ctx, &locs, `SELECT `+locationColumns+` FROM locations WHERE id = ANY($1)`,
			int64s([]tsunagu.LocationID{in.FromLocationID, in.ToLocationID}))
		if err != nil {
			return 0, err
		}
		byLoc := byID(locs, func(l *tsunagu.Location) tsunagu.LocationID { return l.ID })
		from, to := byLoc[in.FromLocationID], byLoc[in.ToLocationID]
		var errs tsunagu.ValidationErrors
		if from == nil {
			errs.Add(tsunagu.CodeNotFound, "input.fromLocationId", "There is no such location.")
		}
		if to == nil {
			errs.Add(tsunagu.CodeNotFound, "input.toLocationId", "There is no such location.")
		}
		if err := errs.Err(); err != nil {
			return 0, err
		}
		status, event := tsunagu.TransferRequested, tsunagu.EventRequested
		switch {
		case u.Role == tsunagu.RoleFacility:
			// Facility staff see no transfer (transferVisibleTo): goods leave their
			// store rooms by their municipality's managers.
			return 0, tsunagu.ErrForbidden
		case u.WorksAt(to):
		case u.ManagesMunicipality(from.MunicipalityID):
			status, event = tsunagu.TransferApproved, tsunagu.EventOffered
		default:
			return 0, tsunagu.ErrForbidden
		}

		ids := make([]tsunagu.ProductID, len(in.Lines))
		for i, l := range in.Lines {
			ids[i] = l.ProductID
		}
		var ps []struct {
			ID         *int64
			FacilityID int64
			Price      int64
			Status     tsunagu.ProductStatus
			Name       string
			Stocked    bool
			Carried    bool
		}
		err = tx.SelectContext(ctx, &ps, `
			SELECT p.id, coalesce(p.facility_id, 0) AS facility_id, coalesce(p.price, 0) AS price,
				coalesce(p.status, '') AS status, coalesce(p.translations->'JA'->>'name', '') AS name,
				EXISTS (SELECT FROM stock_levels sl WHERE sl.product_id = p.id AND sl.location_id = $2) AS stocked,
				coalesce(`+carriedAt("$3::bigint", "p.municipality_id")+`, false) AS carried
			FROM unnest($1::bigint[]) WITH ORDINALITY AS u(id, ord)
			LEFT JOIN products p ON p.id = u.id
			ORDER BY u.ord`, int64s(ids), from.ID, to.MunicipalityID)
		if err != nil {
			return 0, err
		}
		n := len(in.Lines)
		products, owners, requested, approved, prices := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
		for i, p := range ps {
			f := tsunagu.LineField(i, ".productId")
			switch {
			case p.ID == nil:
				errs.Add(tsunagu.CodeNotFound, f, "There is no such product.")
			case p.Status == tsunagu.StatusArchived:
				errs.Add(tsunagu.CodeInvalidState, f, "%s is archived and can no longer be transferred.", p.Name)
			case !p.Stocked:
				errs.Add(tsunagu.CodeInvalidInput, f, "%s is not stocked at %s.", p.Name, from.Name)
			case to.Kind == tsunagu.LocationShop && !p.Carried:
				errs.Add(tsunagu.CodeNotCarried, f, "%s cannot go to %s: its municipality is not a partner of the shop's (any more).", p.Name, to.Name)
			}
			q := in.Lines[i].Quantity
			products[i], owners[i], requested[i], prices[i] = int64(in.Lines[i].ProductID), p.FacilityID, int64(q), p.Price
			if status == tsunagu.TransferApproved {
				approved[i] = int64(q)
			}
		}
		if err := errs.Err(); err != nil {
			return 0, err
		}
		var id tsunagu.TransferID
		err = tx.GetContext(ctx, &id, `
			WITH t AS (
				INSERT INTO transfers (from_location_id, to_location_id, from_municipality_id, to_municipality_id,
					status, note, created_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				RETURNING id
			), l AS (
				INSERT INTO transfer_lines (transfer_id, product_id, owner_facility_id, requested, approved, unit_price)
				SELECT t.id, d.p, d.o, d.r, d.a, d.price
				FROM t, unnest($8::bigint[], $9::bigint[], $10::int[], $11::int[], $12::bigint[]) AS d(p, o, r, a, price)
			), e AS (
				INSERT INTO transfer_events (transfer_id, type, actor_id, note)
				SELECT t.id, $13, $7, $6 FROM t
			)
			SELECT id FROM t`,
			from.ID, to.ID, from.MunicipalityID, to.MunicipalityID, status, in.Note, u.ID,
			pq.Array(products), pq.Array(owners), pq.Array(requested), pq.Array(approved), pq.Array(prices), event)
		return id, err
	}))
}

// ApproveTransfer implements tsunagu.TransferService in one transaction (runOnce,
// lockTransfer), with event APPROVED.
func (s *TransferService) ApproveTransfer(ctx context.Context, in tsunagu.ApproveTransferInput) (_ *tsunagu.Transfer, err error) {
	defer wrap(&err, "TransferService.ApproveTransfer")
	return runOnce(ctx, s.db, "approveTransfer", &in, transferMutation(ctx, true, func(tx queryer, u *tsunagu.User, st *transferStep) (tsunagu.TransferID, error) {
		t, lines, err := lockTransfer(ctx, tx, u, in.TransferID, st.key)
		if err != nil {
			return 0, err
		}
		if !u.ManagesMunicipality(t.FromMunicipalityID) {
			return 0, tsunagu.ErrForbidden
		}
		if err := tsunagu.CanTransition(t.Status, tsunagu.ActionApprove); err != nil {
			return 0, err
		}
		byProduct := transferLinesByProduct(lines)
		for _, l := range lines {
			l.Approved = l.Requested
		}
		var errs tsunagu.ValidationErrors
		for i, q := range in.Lines {
			l := byProduct[q.ProductID]
			switch {
			case l == nil:
				errs.Add(tsunagu.CodeNotFound, tsunagu.LineField(i, ".productId"), "This product is not on the transfer.")
			case q.Quantity > l.Requested:
				errs.Add(tsunagu.CodeOutOfRange, tsunagu.LineField(i, ".quantity"),
					"Only %d of %s were requested; approve at most that many.", l.Requested, l.Name)
			default:
				l.Approved = q.Quantity
			}
		}
		if err := errs.Err(); err != nil {
			return 0, err
		}
		total := 0
		for _, l := range lines {
			total += l.Approved
		}
		if total == 0 {
			return 0, tsunagu.Errorf(tsunagu.CodeOutOfRange, "input.lines", "Approve at least one item, or cancel the transfer.")
		}
		return t.ID, advanceTransfer(ctx, tx, st, t, lines, tsunagu.TransferApproved, tsunagu.EventApproved, u, in.Note, nil)
	}))
}

// CancelTransfer implements tsunagu.TransferService in one transaction (runOnce,
// lockTransfer); the reason is the note of event CANCELLED.
func (s *TransferService) CancelTransfer(ctx context.Context, in tsunagu.CancelTransferInput) (_ *tsunagu.Transfer, err error) {
	defer wrap(&err, "TransferService.CancelTransfer")
	return runOnce(ctx, s.db, "cancelTransfer", &in, transferMutation(ctx, true, func(tx queryer, u *tsunagu.User, st *transferStep) (tsunagu.TransferID, error) {
		t, lines, err := lockTransfer(ctx, tx, u, in.TransferID, st.key)
		if err != nil {
			return 0, err
		}
		if !u.WorksAt(&tsunagu.Location{ID: t.ToLocationID, MunicipalityID: t.ToMunicipalityID}) &&
			!u.ManagesMunicipality(t.FromMunicipalityID) {
			return 0, tsunagu.ErrForbidden
		}
		if err := tsunagu.CanTransition(t.Status, tsunagu.ActionCancel); err != nil {
			return 0, err
		}
		if t.Status != tsunagu.TransferShipped {
			return t.ID, advanceTransfer(ctx, tx, st, t, nil, tsunagu.TransferCancelled, tsunagu.EventCancelled, u, in.Reason, nil)
		}
		// Partly shipped: the rest is cancelled, what shipped is still received.
		all := make([]*tsunagu.TransferLine, len(lines))
		for i, l := range lines {
			all[i] = &l.TransferLine
		}
		status, err := tsunagu.CancelUnshipped(all)
		if err != nil {
			return 0, err
		}
		return t.ID, advanceTransfer(ctx, tx, st, t, lines, status, tsunagu.EventCancelled, u, in.Reason, nil)
	}))
}

// transferStep carries what a transfer mutation's last statement (advanceTransfer)
// also does: store the key's result, and return the transfer as it now is.
type transferStep struct {
	key *idemKey
	out *tsunagu.Transfer
}

// transferMutation is a transfer mutation for runOnce: work makes or changes a
// transfer and returns its ID; the result is the transfer as it now is (reloaded
// unless work's advanceTransfer returned it), and a replay returns the transfer the
// first call made or changed, as it now is. With claims, work's first statement
// takes the key (lockTransfer does).
func transferMutation(ctx context.Context, claims bool, work func(tx queryer, u *tsunagu.User, st *transferStep) (tsunagu.TransferID, error)) once[*tsunagu.Transfer] {
	load := func(tx queryer, id int64) (*tsunagu.Transfer, error) {
		out := &tsunagu.Transfer{}
		return out, tx.GetContext(ctx, out, `SELECT `+transferColumns+` FROM transfers t WHERE t.id = $1`, id)
	}
	return once[*tsunagu.Transfer]{
		do: func(tx queryer, u *tsunagu.User, k *idemKey) (*tsunagu.Transfer, error) {
			st := &transferStep{key: k}
			id, err := work(tx, u, st)
			if err != nil || st.out != nil {
				return st.out, err
			}
			return load(tx, int64(id))
		},
		id:     func(t *tsunagu.Transfer) int64 { return int64(t.ID) },
		replay: load,
		claims: claims,
	}
}

// lockTransfer takes the idempotency key k (claimKeySQL), locks a transfer the user
// may see with its lines, and returns them in product order, in one statement.
// Returns errKeyTaken when k was there already, NOT_FOUND (field "") for an unknown
// transfer or one the user may not see, so that other municipalities' transfers do
// not show through.
//
// The lines are locked too (FOR UPDATE OF t, tl), and that is what makes one
// statement enough: a locked row is returned as its newest committed version, the one
// whose lock was granted, so the lines are what the previous holder of the transfer
// committed. Read without their lock, they would come from the statement's older
// snapshot (READ COMMITTED re-reads only the locked rows), and a concurrent shipment
// or receipt would be counted twice. A transfer's set of lines never changes after
// it is made, so no line can be missing from that snapshot.
func lockTransfer(ctx context.Context, tx queryer, u *tsunagu.User, id tsunagu.TransferID, k *idemKey) (*tsunagu.Transfer, []*transferLineRow, error) {
	a := args{id}
	var rows []*struct {
		tsunagu.Transfer
		transferLineRow
		KeyTaken bool
	}
	err := tx.SelectContext(ctx, &rows, `
		WITH `+claimKeySQL(k, &a)+`
		SELECT `+transferColumns+`, `+transferLineColumns+`, p.translations->'JA'->>'name' AS name,
			EXISTS (SELECT FROM stock_levels sl WHERE sl.product_id = tl.product_id AND sl.location_id = t.to_location_id)
				AS at_destination,
			claimed.taken AS key_taken
		FROM claimed, transfers t JOIN transfer_lines tl ON tl.transfer_id = t.id JOIN products p ON p.id = tl.product_id
		WHERE t.id = $1
		ORDER BY tl.product_id
		FOR UPDATE OF t, tl`, a...)
	if err != nil {
		return nil, nil, err
	}
	if len(rows) == 0 {
		return nil, nil, errNoTransfer
	}
	if !rows[0].KeyTaken {
		return nil, nil, errKeyTaken
	}
	t := &rows[0].Transfer
	if !seesTransfer(u, t) {
		return nil, nil, errNoTransfer
	}
	lines := make([]*transferLineRow, len(rows))
	for i, r := range rows {
		lines[i] = &r.transferLineRow
	}
	return t, lines, nil
}

var errNoTransfer = tsunagu.Errorf(tsunagu.CodeNotFound, "", "There is no such transfer.")

// stepWrites is what a step writes in advanceTransfer's statement besides the
// transfer: CTEs of its own (a shipment, a receipt), whose values they add to the
// statement's arguments, and the stock it moves (after its createLevels).
type stepWrites struct {
	ctes  func(a *args) string
	stock *levelChanges
}

// advanceTransfer writes the new quantities of lines (as computed under the transfer's lock),
// the transfer's new status, the event recording the step, the idempotency key's
// result and w, in one statement, and returns the transfer as it now is in st. When
// w's stock is short it returns *InsufficientStockError, and the caller rolls back.
func advanceTransfer(ctx context.Context, tx queryer, st *transferStep, t *tsunagu.Transfer, lines []*transferLineRow,
	status tsunagu.TransferStatus, event tsunagu.TransferEventType, u *tsunagu.User, note string, w *stepWrites) error {
	n := len(lines)
	products, approved, shipped, received, short := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	for i, l := range lines {
		products[i], approved[i], shipped[i] = int64(l.ProductID), int64(l.Approved), int64(l.Shipped)
		received[i], short[i] = int64(l.Received), int64(l.Short)
	}
	a := args{t.ID, pq.Array(products), pq.Array(approved), pq.Array(shipped), pq.Array(received), pq.Array(short),
		status, event, u.ID, note, st.key.Scope, st.key.Key}
	more, result := "", `0 AS short_product, 0 AS short_location FROM t`
	if w != nil && w.ctes != nil {
		more += ", " + w.ctes(&a)
	}
	if w != nil && w.stock != nil {
		more += ", " + w.stock.ctes(ctx, document{tsunagu.DocumentTransfer, int64(t.ID)}, &a)
		result = `coalesce(short.product_id, 0) AS short_product, coalesce(short.location_id, 0) AS short_location
			FROM t LEFT JOIN short ON true`
	}
	var out struct {
		tsunagu.Transfer
		ShortProduct, ShortLocation int64
	}
	err := tx.GetContext(ctx, &out, `
		WITH l AS (
			UPDATE transfer_lines tl
			SET approved = d.a, shipped = d.s, received = d.r, short = d.sh
			FROM unnest($2::bigint[], $3::int[], $4::int[], $5::int[], $6::int[]) AS d(p, a, s, r, sh)
			WHERE tl.transfer_id = $1 AND tl.product_id = d.p
		), t AS (
			UPDATE transfers SET status = $7, updated_at = now() WHERE id = $1 RETURNING *
		), e AS (
			INSERT INTO transfer_events (transfer_id, type, actor_id, note) VALUES ($1, $8, $9, $10)
		), k AS (
			UPDATE idempotency_keys SET result_id = $1 WHERE scope = $11 AND key = $12
		)`+more+`
		SELECT `+transferColumns+`, `+result, a...)
	if err != nil {
		return err
	}
	if out.ShortProduct != 0 {
		return &InsufficientStockError{Key: tsunagu.StockKey{ProductID: tsunagu.ProductID(out.ShortProduct),
			LocationID: tsunagu.LocationID(out.ShortLocation)}}
	}
	st.out, st.key.Stored = &out.Transfer, true
	return nil
}

func transferLinesByProduct(lines []*transferLineRow) map[tsunagu.ProductID]*transferLineRow {
	return byID(lines, func(l *transferLineRow) tsunagu.ProductID { return l.ProductID })
}
