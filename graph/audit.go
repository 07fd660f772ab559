package graph

import (
	"context"

	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/graph/gid"
	"tsunagu/graph/model"
	"tsunagu/internal/tsunagu"
)

// The audit log: a connection of entries and their references.

func (r *Resolver) auditLog(ctx context.Context, filter *model.AuditLogFilter, first *int, after *string) (*model.AuditEntryConnection, error) {
	page, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	f, err := auditFilter(filter)
	if err != nil {
		return nil, err
	}
	p, err := r.Audit.AuditLog(ctx, f, page)
	if err != nil {
		return nil, err
	}
	if err := primeAt(ctx, p.Items, (*primer).auditEntry, pageNode...); err != nil {
		return nil, err
	}
	return connection(p, func(e *tsunagu.AuditEntry) int64 { return e.ID },
		func(c string, n *tsunagu.AuditEntry) *model.AuditEntryEdge {
			return &model.AuditEntryEdge{Cursor: c, Node: n}
		},
		func(e []*model.AuditEntryEdge, i *model.PageInfo) *model.AuditEntryConnection {
			return &model.AuditEntryConnection{Edges: e, PageInfo: i}
		}), nil
}

// auditFilter converts the filter's global IDs; an ID that is not one gives
// NOT_FOUND on its field.
func auditFilter(in *model.AuditLogFilter) (tsunagu.AuditFilter, error) {
	var f tsunagu.AuditFilter
	if in == nil {
		return f, nil
	}
	f.Since, f.Until = in.Since, in.Until
	if in.ObjectID != nil {
		kind, id, err := gid.Decode(*in.ObjectID)
		if err != nil {
			return f, tsunagu.Errorf(tsunagu.CodeNotFound, "filter.objectId", "%s", tsunagu.ErrorMessage(err))
		}
		f.ObjectType, f.ObjectID = &kind, &id
	}
	if in.ActorID != nil {
		id, err := gid.DecodeKind(*in.ActorID, gid.KindUser)
		if err != nil {
			return f, tsunagu.Errorf(tsunagu.CodeNotFound, "filter.actorId", "%s", tsunagu.ErrorMessage(err))
		}
		u := tsunagu.UserID(id)
		f.ActorID = &u
	}
	if in.MunicipalityID != nil {
		id, err := gid.DecodeKind(*in.MunicipalityID, gid.KindMunicipality)
		if err != nil {
			return f, tsunagu.Errorf(tsunagu.CodeNotFound, "filter.municipalityId", "%s", tsunagu.ErrorMessage(err))
		}
		m := tsunagu.MunicipalityID(id)
		f.MunicipalityID = &m
	}
	return f, nil
}

func (p *primer) auditEntry(sel ast.SelectionSet, objs []*tsunagu.AuditEntry) {
	for _, f := range p.fields(sel, "AuditEntry") {
		switch f.Name {
		case "actor":
			p.usersAt(f.Selections, optionalIDs(objs, func(o *tsunagu.AuditEntry) *tsunagu.UserID { return o.ActorID }))
		case "municipality":
			p.munisAt(f.Selections, optionalIDs(objs, func(o *tsunagu.AuditEntry) *tsunagu.MunicipalityID { return o.MunicipalityID }))
		}
	}
}
