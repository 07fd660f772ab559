package graph_test

import (
	"testing"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

const productStockPlans = `query($p: ID!, $l: ID!) { product(id: $p) { stock(locationId: $l) {
	onHand incoming reorderPoint belowReorderPoint } } }`

const stockLevelsPlans = `query($l: ID!, $below: Boolean) { stockLevels(locationId: $l, filter: {belowReorderPoint: $below}) {
	edges { node { product { id } onHand incoming reorderPoint belowReorderPoint } } } }`

// stockPlansJSON is a level as the API shows it, its plans null when hidden.
type stockPlansJSON struct {
	OnHand            int
	Incoming          *int
	ReorderPoint      *int
	BelowReorderPoint *bool
}

// A level's plans (what is on its way, the reorder point and whether stock is below
// it) are shown only to staff who may see the location: its municipality's staff
// (admins, its managers and clerks) and, at a facility's own store room, that
// facility's staff. Everyone else reads null, and the stockLevels filter on the
// reorder point is FORBIDDEN to them.
func TestStockPlansVisibility(t *testing.T) {
	t.Parallel()
	w := newFacilityWorld(t)
	admin := w.ctxs["admin"]
	// One product of the home facility: 4 shipped to the home shop (incoming), 5 on
	// hand there, in its own store room and in the neighbour's; a reorder point of 8
	// at each.
	tr := w.transfer(w.warehouse, w.homeShop, "manager", tsunagu.TransferShipped)
	var pid tsunagu.ProductID
	must(t, w.db.SQL().QueryRow(`SELECT product_id FROM transfer_lines WHERE transfer_id = $1`, tr.ID).Scan(&pid))
	for _, l := range []*tsunagu.Location{w.homeShop, w.store, w.neighbourStore} {
		_, err := w.stock.AdjustStock(admin, tsunagu.AdjustStockInput{LocationID: l.ID, ProductID: pid, Quantity: 5,
			Reason: tsunagu.ReasonProduction, IdempotencyKey: key()})
		must(t, err)
		_, err = w.stock.SetReorderPoint(admin, tsunagu.SetReorderPointInput{LocationID: l.ID, ProductID: pid, ReorderPoint: 8})
		must(t, err)
	}
	w.tokens["shopper"] = w.signedUp("plans-shopper@example.jp", "a long password", "買い物客")

	product := w.id(gid.KindProduct, int64(pid))
	for _, c := range []struct {
		name, as string
		at       *tsunagu.Location
		incoming int // when visible
		visible  bool
	}{
		{"Anonymous", "", w.homeShop, 4, false},
		{"Shopper", "shopper", w.homeShop, 4, false},
		{"ClerkOfAnotherMunicipality", "otherClerk", w.homeShop, 4, false},
		{"ManagerOfAnotherMunicipality", "otherManager", w.homeShop, 4, false},
		{"FacilityStaffAtTheShop", "facility", w.homeShop, 4, false},
		{"Clerk", "clerk", w.homeShop, 4, true},
		{"Manager", "manager", w.homeShop, 4, true},
		{"Admin", "admin", w.homeShop, 4, true},
		{"ManagerAtFacilityStore", "manager", w.store, 0, true},
		{"FacilityStaffOfOwnFacility", "facility", w.store, 0, true},
		{"FacilityStaffOfOtherFacility", "facility", w.neighbourStore, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got struct {
				Product *struct{ Stock *stockPlansJSON }
			}
			w.ok(c.as, productStockPlans, map[string]any{"p": product, "l": w.id(gid.KindLocation, int64(c.at.ID))}, &got)
			if got.Product == nil || got.Product.Stock == nil {
				t.Fatalf("no level: %+v", got.Product)
			}
			l := got.Product.Stock
			if l.OnHand != 5 {
				t.Errorf("onHand %d, want 5", l.OnHand)
			}
			switch {
			case !c.visible && (l.Incoming != nil || l.ReorderPoint != nil || l.BelowReorderPoint != nil):
				t.Errorf("plans shown: incoming %v reorderPoint %v belowReorderPoint %v", shown(l.Incoming), shown(l.ReorderPoint), shown(l.BelowReorderPoint))
			case c.visible && (l.Incoming == nil || *l.Incoming != c.incoming || l.ReorderPoint == nil || *l.ReorderPoint != 8 ||
				l.BelowReorderPoint == nil || !*l.BelowReorderPoint):
				t.Errorf("plans: incoming %v reorderPoint %v belowReorderPoint %v, want %d, 8, true",
					shown(l.Incoming), shown(l.ReorderPoint), shown(l.BelowReorderPoint), c.incoming)
			}
		})
	}

	// stockLevels: staff of another municipality read the levels without plans, and
	// may not filter on the reorder point; the shop's staff and the facility's at its
	// own store room may.
	levels := func(as string, at *tsunagu.Location, below bool) *response {
		vars := map[string]any{"l": w.id(gid.KindLocation, int64(at.ID))}
		if below {
			vars["below"] = true
		}
		return w.do(as, stockLevelsPlans, vars)
	}
	t.Run("ErrFilterOfAnotherMunicipality", func(t *testing.T) {
		for _, as := range []string{"otherClerk", "otherManager"} {
			r := levels(as, w.homeShop, true)
			if r.code() != "FORBIDDEN" || r.Errors[0].Extensions["field"] != "filter.belowReorderPoint" {
				t.Errorf("%s: %+v, want FORBIDDEN on filter.belowReorderPoint", as, r.Errors)
			}
		}
	})
	t.Run("OKListOfAnotherMunicipality", func(t *testing.T) {
		var got struct {
			StockLevels struct {
				Edges []struct{ Node stockPlansJSON }
			}
		}
		w.ok("otherClerk", stockLevelsPlans, map[string]any{"l": w.id(gid.KindLocation, int64(w.homeShop.ID))}, &got)
		if len(got.StockLevels.Edges) == 0 {
			t.Fatal("no levels")
		}
		for _, e := range got.StockLevels.Edges {
			if e.Node.Incoming != nil || e.Node.ReorderPoint != nil || e.Node.BelowReorderPoint != nil {
				t.Errorf("plans shown to another municipality's clerk: %+v", e.Node)
			}
		}
	})
	for _, c := range []struct {
		as string
		at *tsunagu.Location
	}{{"clerk", w.homeShop}, {"manager", w.homeShop}, {"facility", w.store}} {
		t.Run("OKFilter/"+c.as, func(t *testing.T) {
			var got struct {
				StockLevels struct {
					Edges []struct {
						Node struct {
							Product struct{ ID string }
							stockPlansJSON
						}
					}
				}
			}
			w.ok(c.as, stockLevelsPlans, map[string]any{"l": w.id(gid.KindLocation, int64(c.at.ID)), "below": true}, &got)
			if len(got.StockLevels.Edges) != 1 || got.StockLevels.Edges[0].Node.Product.ID != product ||
				got.StockLevels.Edges[0].Node.ReorderPoint == nil {
				t.Errorf("below the reorder point: %+v", got.StockLevels.Edges)
			}
		})
	}
}

// shown is a pointer's value, or nil.
func shown[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
