package graph_test

import (
	"testing"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

// TestNodeOfStockRecordsAndRefunds: node(id) resolves every type that implements
// Node, for those who may see the object, and is null for everyone else.
func TestNodeOfStockRecordsAndRefunds(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.shop()
	p := a.stocked(a.homeFac, a.homeShop, 5)
	adj, err := a.stock.AdjustStock(a.ctxs["clerk"], tsunagu.AdjustStockInput{LocationID: a.homeShop.ID, ProductID: p.ID,
		Quantity: -1, Reason: tsunagu.ReasonDamaged, IdempotencyKey: key()})
	must(t, err)
	st, err := a.stock.RecordStocktake(a.ctxs["clerk"], tsunagu.RecordStocktakeInput{LocationID: a.homeShop.ID,
		Lines: []tsunagu.StocktakeLine{{ProductID: p.ID, Counted: 3}}, IdempotencyKey: key()})
	must(t, err)
	page, err := a.stock.StockMovements(a.ctxs["admin"], tsunagu.StockMovementFilter{ProductID: &p.ID}, tsunagu.PageArgs{First: 1})
	must(t, err)
	sale := a.sale()
	rf, err := a.pos.RefundSale(a.ctxs["clerk"], tsunagu.RefundSaleInput{SaleID: sale.ID, SessionID: sale.SessionID,
		Lines: []tsunagu.RefundLineInput{{LineNumber: 1, Quantity: 1}}, Method: tsunagu.RefundCash, IdempotencyKey: key()})
	must(t, err)

	const q = `query($id: ID!) { node(id: $id) { id __typename } }`
	for _, c := range []struct {
		kind, typ string
		n         int64
	}{
		{gid.KindAdjustment, "StockAdjustment", int64(adj.ID)},
		{gid.KindStocktake, "Stocktake", int64(st.ID)},
		{gid.KindMovement, "StockMovement", int64(page.Items[0].ID)},
		{gid.KindRefund, "Refund", int64(rf.ID)},
	} {
		id := a.id(c.kind, c.n)
		for as, visible := range map[string]bool{"clerk": true, "manager": true, "admin": true,
			"otherClerk": false, "otherManager": false, "": false} {
			var out struct {
				Node *struct {
					ID       string
					Typename string `json:"__typename"`
				}
			}
			a.ok(as, q, map[string]any{"id": id}, &out)
			if visible && (out.Node == nil || out.Node.Typename != c.typ) {
				t.Errorf("node(%s) as %q: %+v, want the %s", id, as, out.Node, c.typ)
			}
			if !visible && out.Node != nil {
				t.Errorf("node(%s) as %q: %+v, want null", id, as, out.Node)
			}
		}
		// An ID of the kind that does not exist is null too.
		var out struct{ Node *struct{ ID string } }
		a.ok("admin", q, map[string]any{"id": a.id(c.kind, 999999)}, &out)
		if out.Node != nil {
			t.Errorf("a %s that does not exist: %+v", c.typ, out.Node)
		}
	}
}
