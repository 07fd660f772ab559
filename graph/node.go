package graph

import (
	"context"

	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/graph/gid"
	"tsunagu/graph/model"
	"tsunagu/internal/tsunagu"
)

// node resolves any global ID; null when the object does not exist or is not visible.
func (r *Resolver) node(ctx context.Context, id string) (model.Node, error) {
	kind, n, err := gid.Decode(id)
	if err != nil {
		return nil, nil
	}
	l := loadersFrom(ctx)
	var v model.Node
	switch kind {
	case gid.KindMunicipality:
		v, err = nodeOf(ctx, &l.municipality, tsunagu.MunicipalityID(n), (*primer).municipality)
	case gid.KindFacility:
		v, err = nodeOf(ctx, &l.facility, tsunagu.FacilityID(n), (*primer).facility)
	case gid.KindLocation:
		v, err = nodeOf(ctx, &l.location, tsunagu.LocationID(n), (*primer).location)
	case gid.KindRegister:
		v, err = nodeOf(ctx, &l.register, tsunagu.RegisterID(n), (*primer).register)
	case gid.KindUser:
		v, err = nodeOf(ctx, &l.user, tsunagu.UserID(n), (*primer).user)
	case gid.KindProduct:
		return r.product(ctx, id, nil)
	case gid.KindTransfer:
		return r.transfer(ctx, id)
	case gid.KindSale:
		return r.sale(ctx, id)
	case gid.KindOrder:
		return r.order(ctx, id)
	case gid.KindSession:
		return r.registerSession(ctx, id)
	case gid.KindMovement:
		return nodeByID(r.Stock.Movement(ctx, tsunagu.MovementID(n)))
	case gid.KindAdjustment:
		return nodeByID(r.Stock.Adjustment(ctx, tsunagu.AdjustmentID(n)))
	case gid.KindStocktake:
		return nodeByID(r.Stock.Stocktake(ctx, tsunagu.StocktakeID(n)))
	case gid.KindRefund:
		return nodeByID(r.POS.Refund(ctx, tsunagu.RefundID(n)))
	}
	return v, err
}

// nodeByID is the answer of node(id:) for an object read on its own: null when it
// does not exist or may not be seen (NOT_FOUND), or when the caller is not signed in.
func nodeByID[V model.Node](v V, err error) (model.Node, error) {
	switch tsunagu.ErrorCode(err) {
	case "":
		return v, nil
	case tsunagu.CodeNotFound, tsunagu.CodeUnauthenticated, tsunagu.CodeForbidden:
		return nil, nil
	}
	return nil, err
}

// nodeOf loads the object of id for node(id:), primed; null when there is no such
// visible object.
func nodeOf[K comparable, V any](ctx context.Context, l *loader[K, *V], id K,
	visit func(*primer, ast.SelectionSet, []*V)) (model.Node, error) {
	v, err := loadVisible(ctx, l, id)
	if v == nil || err != nil {
		return nil, err
	}
	if err := primeAt(ctx, []*V{v}, visit); err != nil {
		return nil, err
	}
	n, _ := any(v).(model.Node)
	return n, nil
}
