package postgres

import (
	"context"
	"time"

	"tsunagu/internal/tsunagu"
)

// AuditService reads the audit log that every administrative and money mutation
// writes with audit.
type AuditService struct{ db *DB }

// NewAuditService returns the audit log's reader.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

var _ tsunagu.AuditService = (*AuditService)(nil)

// audited names what a mutation changed, for audit.
type audited struct {
	Action     string
	ObjectType string
	ObjectID   int64
	// MunicipalityID is the object's municipality (which managers see the entry);
	// nil for the network's own objects.
	MunicipalityID *tsunagu.MunicipalityID
	// LocationID, when MunicipalityID is nil, names a location whose municipality
	// the object belongs to (a register session's shop).
	LocationID *tsunagu.LocationID
	// Before and After are the object's states (nil before a creation), compared
	// field by field by tsunagu.Changes.
	Before, After any
}

// audit writes the audit log's entry for a change, in the change's transaction tx,
// as the signed-in user (none when nobody is signed in, or for the system acting as
// an admin without an account, as the demo loader does): the entry commits with the
// change or not at all. A mutation that changed nothing writes nothing.
func audit(ctx context.Context, tx queryer, a audited) error {
	changes, err := tsunagu.Changes(a.Before, a.After)
	if err != nil {
		return err
	}
	if len(changes) == 0 {
		return nil
	}
	var actor *tsunagu.UserID
	if u := tsunagu.UserFrom(ctx); u != nil && u.ID != 0 {
		actor = &u.ID // not for the system acting without an account (loaders)
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO audit_log (actor_id, action, object_type, object_id, municipality_id, changes)
		VALUES ($1, $2, $3, $4, coalesce($5, (SELECT municipality_id FROM locations WHERE id = $7)), $6)`,
		actor, a.Action, a.ObjectType, a.ObjectID, a.MunicipalityID, jsonValue[[]tsunagu.FieldChange]{changes}, a.LocationID)
	return err
}

type auditRow struct {
	ID             int64                            `db:"id"`
	At             time.Time                        `db:"at"`
	ActorID        *tsunagu.UserID                  `db:"actor_id"`
	Action         string                           `db:"action"`
	ObjectType     string                           `db:"object_type"`
	ObjectID       int64                            `db:"object_id"`
	MunicipalityID *tsunagu.MunicipalityID          `db:"municipality_id"`
	Changes        jsonValue[[]tsunagu.FieldChange] `db:"changes"`
}

// AuditLog implements tsunagu.AuditService.
func (s *AuditService) AuditLog(ctx context.Context, f tsunagu.AuditFilter, page tsunagu.PageArgs) (_ *tsunagu.Page[*tsunagu.AuditEntry], err error) {
	defer wrap(&err, "AuditService.AuditLog")
	u := tsunagu.UserFrom(ctx)
	if err := tsunagu.CanReadAudit(u); err != nil {
		return nil, err
	}
	if err := page.Validate(); err != nil {
		return nil, err
	}
	var a args
	q := `SELECT id, at, actor_id, action, object_type, object_id, municipality_id, changes FROM audit_log WHERE true`
	if !u.IsAdmin() {
		q += ` AND municipality_id = ` + a.add(u.MunicipalityID)
	}
	if page.After > 0 {
		q += ` AND id < ` + a.add(page.After)
	}
	if f.ObjectType != nil {
		q += ` AND object_type = ` + a.add(*f.ObjectType)
	}
	if f.ObjectID != nil {
		q += ` AND object_id = ` + a.add(*f.ObjectID)
	}
	if f.ActorID != nil {
		q += ` AND actor_id = ` + a.add(*f.ActorID)
	}
	if f.MunicipalityID != nil {
		q += ` AND municipality_id = ` + a.add(*f.MunicipalityID)
	}
	if f.Since != nil {
		q += ` AND at >= ` + a.add(*f.Since)
	}
	if f.Until != nil {
		q += ` AND at < ` + a.add(*f.Until)
	}
	q += ` ORDER BY id DESC LIMIT ` + pageLimit(page.First, &a)
	var rows []auditRow
	if err := s.db.q().SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, err
	}
	out := make([]*tsunagu.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = &tsunagu.AuditEntry{ID: r.ID, At: r.At, ActorID: r.ActorID, Action: r.Action,
			ObjectType: r.ObjectType, ObjectID: r.ObjectID, MunicipalityID: r.MunicipalityID, Changes: r.Changes.V}
	}
	return pageOf(out, page.First), nil
}
