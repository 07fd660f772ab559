package postgres

import (
	"context"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

const transferColumns = `t.id, t.from_location_id, t.to_location_id, t.from_municipality_id,
	t.to_municipality_id, t.status, t.note, t.created_by, t.created_at, t.updated_at, t.version`

const transferLineColumns = `tl.transfer_id, tl.product_id, tl.owner_facility_id, tl.requested, tl.approved,
	tl.shipped, tl.received, tl.short, tl.unit_price`

// transferVisibleTo is the SQL condition on transfers t that u may see: all for an
// admin; those from or to their municipality for a manager; those from or to their
// shop for a clerk; none for customers and anonymous requests. seesTransfer is the
// same rule in Go.
func transferVisibleTo(u *tsunagu.User, a *args) string {
	switch {
	case u == nil:
		return `false`
	case u.Role == tsunagu.RoleAdmin:
		return `true`
	case u.Role == tsunagu.RoleManager && u.MunicipalityID != nil:
		m := a.add(*u.MunicipalityID)
		return `(t.from_municipality_id = ` + m + ` OR t.to_municipality_id = ` + m + `)`
	case u.Role == tsunagu.RoleClerk && u.ShopID != nil:
		l := a.add(*u.ShopID)
		return `(t.from_location_id = ` + l + ` OR t.to_location_id = ` + l + `)`
	}
	return `false`
}

// seesTransfer reports whether u may see t, by the rule of transferVisibleTo.
func seesTransfer(u *tsunagu.User, t *tsunagu.Transfer) bool {
	switch {
	case u == nil:
		return false
	case u.Role == tsunagu.RoleAdmin:
		return true
	case u.Role == tsunagu.RoleManager && u.MunicipalityID != nil:
		return *u.MunicipalityID == t.FromMunicipalityID || *u.MunicipalityID == t.ToMunicipalityID
	case u.Role == tsunagu.RoleClerk && u.ShopID != nil:
		return *u.ShopID == t.FromLocationID || *u.ShopID == t.ToLocationID
	}
	return false
}

// Transfers implements tsunagu.TransferService in one statement
// (transferVisibleTo).
func (s *TransferService) Transfers(ctx context.Context, f tsunagu.TransferFilter, page tsunagu.PageArgs) (*tsunagu.Page[*tsunagu.Transfer], error) {
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if err := page.Validate(); err != nil {
		return nil, err
	}
	var a args
	q := `SELECT ` + transferColumns + ` FROM transfers t WHERE ` + transferVisibleTo(u, &a)
	if page.After > 0 {
		q += ` AND t.id < ` + a.add(page.After)
	}
	if len(f.Status) > 0 {
		st := make([]string, len(f.Status))
		for i, s := range f.Status {
			st[i] = string(s)
		}
		q += ` AND t.status = ANY(` + a.add(pq.Array(st)) + `::text[])`
	}
	if f.FromMunicipalityID != nil {
		q += ` AND t.from_municipality_id = ` + a.add(*f.FromMunicipalityID)
	}
	if f.ToMunicipalityID != nil {
		q += ` AND t.to_municipality_id = ` + a.add(*f.ToMunicipalityID)
	}
	if f.MunicipalityID != nil {
		m := a.add(*f.MunicipalityID)
		q += ` AND (t.from_municipality_id = ` + m + ` OR t.to_municipality_id = ` + m + `)`
	}
	if f.FromLocationID != nil {
		q += ` AND t.from_location_id = ` + a.add(*f.FromLocationID)
	}
	if f.ToLocationID != nil {
		q += ` AND t.to_location_id = ` + a.add(*f.ToLocationID)
	}
	q += ` ORDER BY t.id DESC LIMIT ` + pageLimit(page.First, &a)
	var ts []*tsunagu.Transfer
	if err := s.db.q().SelectContext(ctx, &ts, q, a...); err != nil {
		return nil, err
	}
	return pageOf(ts, page.First), nil
}

// TransfersByID implements tsunagu.TransferService in one statement
// (transferVisibleTo).
func (s *TransferService) TransfersByID(ctx context.Context, ids []tsunagu.TransferID) (map[tsunagu.TransferID]*tsunagu.Transfer, error) {
	var a args
	q := `SELECT ` + transferColumns + ` FROM transfers t WHERE t.id = ANY(` + a.add(int64s(ids)) + `) AND ` +
		transferVisibleTo(tsunagu.UserFrom(ctx), &a)
	var ts []*tsunagu.Transfer
	if err := s.db.q().SelectContext(ctx, &ts, q, a...); err != nil {
		return nil, err
	}
	return byID(ts, func(t *tsunagu.Transfer) tsunagu.TransferID { return t.ID }), nil
}

// TransferLines implements tsunagu.TransferService in one statement
// (transferVisibleTo).
func (s *TransferService) TransferLines(ctx context.Context, transferIDs []tsunagu.TransferID) (map[tsunagu.TransferID][]*tsunagu.TransferLine, error) {
	var a args
	q := `SELECT ` + transferLineColumns + ` FROM transfer_lines tl JOIN transfers t ON t.id = tl.transfer_id
		WHERE tl.transfer_id = ANY(` + a.add(int64s(transferIDs)) + `) AND ` + transferVisibleTo(tsunagu.UserFrom(ctx), &a) + `
		ORDER BY tl.transfer_id, tl.product_id`
	var ls []*tsunagu.TransferLine
	if err := s.db.q().SelectContext(ctx, &ls, q, a...); err != nil {
		return nil, err
	}
	return byTransferID(ls, func(l *tsunagu.TransferLine) tsunagu.TransferID { return l.TransferID }), nil
}

// TransferShipments implements tsunagu.TransferService in one statement
// (transferVisibleTo), the lines aggregated as JSON.
func (s *TransferService) TransferShipments(ctx context.Context, transferIDs []tsunagu.TransferID) (map[tsunagu.TransferID][]*tsunagu.TransferShipment, error) {
	var a args
	q := `SELECT s.id, s.transfer_id, s.carrier, s.tracking_number, s.shipped_by, s.shipped_at,
			(SELECT coalesce(json_agg(json_build_object('ProductID', sl.product_id, 'Quantity', sl.quantity)
				ORDER BY sl.product_id), '[]')
			 FROM transfer_shipment_lines sl WHERE sl.shipment_id = s.id) AS lines
		FROM transfer_shipments s JOIN transfers t ON t.id = s.transfer_id
		WHERE s.transfer_id = ANY(` + a.add(int64s(transferIDs)) + `) AND ` + transferVisibleTo(tsunagu.UserFrom(ctx), &a) + `
		ORDER BY s.transfer_id, s.id`
	var rows []*struct {
		tsunagu.TransferShipment
		Lines jsonValue[[]tsunagu.TransferQuantity]
	}
	if err := s.db.q().SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, err
	}
	out := map[tsunagu.TransferID][]*tsunagu.TransferShipment{}
	for _, r := range rows {
		sh := r.TransferShipment
		sh.Lines = r.Lines.V
		out[sh.TransferID] = append(out[sh.TransferID], &sh)
	}
	return out, nil
}

// TransferReceipts implements tsunagu.TransferService in one statement
// (transferVisibleTo), the lines aggregated as JSON.
func (s *TransferService) TransferReceipts(ctx context.Context, transferIDs []tsunagu.TransferID) (map[tsunagu.TransferID][]*tsunagu.TransferReceipt, error) {
	var a args
	q := `SELECT r.id, r.transfer_id, r.received_by, r.received_at,
			(SELECT coalesce(json_agg(json_build_object('ProductID', rl.product_id, 'Accepted', rl.accepted,
				'Short', rl.short, 'ShortReason', rl.short_reason, 'Note', rl.note) ORDER BY rl.product_id), '[]')
			 FROM transfer_receipt_lines rl WHERE rl.receipt_id = r.id) AS lines
		FROM transfer_receipts r JOIN transfers t ON t.id = r.transfer_id
		WHERE r.transfer_id = ANY(` + a.add(int64s(transferIDs)) + `) AND ` + transferVisibleTo(tsunagu.UserFrom(ctx), &a) + `
		ORDER BY r.transfer_id, r.id`
	var rows []*struct {
		tsunagu.TransferReceipt
		Lines jsonValue[[]tsunagu.ReceiptLineInput]
	}
	if err := s.db.q().SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, err
	}
	out := map[tsunagu.TransferID][]*tsunagu.TransferReceipt{}
	for _, r := range rows {
		rc := r.TransferReceipt
		rc.Lines = r.Lines.V
		out[rc.TransferID] = append(out[rc.TransferID], &rc)
	}
	return out, nil
}

// TransferEvents implements tsunagu.TransferService in one statement
// (transferVisibleTo).
func (s *TransferService) TransferEvents(ctx context.Context, transferIDs []tsunagu.TransferID) (map[tsunagu.TransferID][]*tsunagu.TransferEvent, error) {
	var a args
	q := `SELECT e.id, e.transfer_id, e.type, e.actor_id, e.note, e.at
		FROM transfer_events e JOIN transfers t ON t.id = e.transfer_id
		WHERE e.transfer_id = ANY(` + a.add(int64s(transferIDs)) + `) AND ` + transferVisibleTo(tsunagu.UserFrom(ctx), &a) + `
		ORDER BY e.transfer_id, e.id`
	var es []*tsunagu.TransferEvent
	if err := s.db.q().SelectContext(ctx, &es, q, a...); err != nil {
		return nil, err
	}
	return byTransferID(es, func(e *tsunagu.TransferEvent) tsunagu.TransferID { return e.TransferID }), nil
}

// byTransferID collects items under their transfers' IDs, keeping their order.
func byTransferID[V any](items []V, key func(V) tsunagu.TransferID) map[tsunagu.TransferID][]V {
	m := map[tsunagu.TransferID][]V{}
	for _, it := range items {
		m[key(it)] = append(m[key(it)], it)
	}
	return m
}
