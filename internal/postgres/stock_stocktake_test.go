package postgres_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

func TestRecordStocktake(t *testing.T) {
	t.Parallel()
	s := newStockWorld(t)
	shop := s.homeShop
	s.mustAdjust(s.manager, shop, s.cookies, 10, tsunagu.ReasonProduction)
	s.mustAdjust(s.manager, shop, s.jam, 5, tsunagu.ReasonProduction)
	s.mustAdjust(s.manager, shop, s.spoon, 3, tsunagu.ReasonFound)
	line := func(p *tsunagu.Product, n int) tsunagu.StocktakeLine {
		return tsunagu.StocktakeLine{ProductID: p.ID, Counted: n}
	}
	result := func(p *tsunagu.Product, expected, counted int) tsunagu.StocktakeResultLine {
		return tsunagu.StocktakeResultLine{ProductID: p.ID, Expected: expected, Counted: counted}
	}
	ignore := cmpopts.IgnoreFields(tsunagu.Stocktake{}, "ID", "CreatedAt")

	var done tsunagu.RecordStocktakeInput
	var doneResult *tsunagu.Stocktake
	t.Run("OK", func(t *testing.T) {
		done = tsunagu.RecordStocktakeInput{LocationID: shop.ID, Note: " 月末 ", IdempotencyKey: s.key(),
			Lines: []tsunagu.StocktakeLine{line(s.spoon, 4), line(s.cookies, 8), line(s.jam, 5)}}
		st, err := s.svc.RecordStocktake(s.clerk, done)
		must(t, err)
		doneResult = st
		want := &tsunagu.Stocktake{LocationID: shop.ID, Note: "月末", ActorID: stockActor(s.clerk),
			Lines: []tsunagu.StocktakeResultLine{result(s.cookies, 10, 8), result(s.jam, 5, 5), result(s.spoon, 3, 4)}}
		if diff := cmp.Diff(want, st, ignore); diff != "" {
			t.Errorf("stocktake (-want +got):\n%s", diff)
		}
		for p, n := range map[*tsunagu.Product]int{s.cookies: 8, s.jam: 5, s.spoon: 4} {
			if got := s.level(shop, p).OnHand; got != n {
				t.Errorf("%d on hand %d, want %d", p.ID, got, n)
			}
		}
		type mv struct {
			Product tsunagu.ProductID
			Owner   tsunagu.FacilityID
			Q       int
			Reason  tsunagu.MovementReason
		}
		var got []mv
		for _, m := range s.movements(tsunagu.DocumentStocktake, int64(st.ID), shop) {
			got = append(got, mv{m.ProductID, m.OwnerFacilityID, m.Quantity, m.Reason})
		}
		wantM := []mv{{s.cookies.ID, s.homeFac.ID, -2, tsunagu.ReasonStocktake}, {s.spoon.ID, s.partnerFac.ID, 1, tsunagu.ReasonStocktake}}
		if diff := cmp.Diff(wantM, got, cmpopts.SortSlices(func(a, b mv) bool { return a.Product < b.Product })); diff != "" {
			t.Errorf("movements (-want +got):\n%s", diff)
		}
		s.checkLedger()
	})

	t.Run("Replay", func(t *testing.T) {
		before := s.snapshot()
		again, err := s.svc.RecordStocktake(s.clerk, done)
		must(t, err)
		if diff := cmp.Diff(doneResult, again); diff != "" {
			t.Errorf("replay (-first +again):\n%s", diff)
		}
		s.unchanged(before)
		s.checkLedger()
	})

	t.Run("ErrIdempotencyConflict", func(t *testing.T) {
		before := s.snapshot()
		in := done
		in.Lines = []tsunagu.StocktakeLine{line(s.cookies, 7)}
		_, err := s.svc.RecordStocktake(s.clerk, in)
		s.refused(t, before, err, tsunagu.CodeIdempotencyConflict, "input.idempotencyKey")
	})

	t.Run("OKNoLevelYet", func(t *testing.T) {
		st, err := s.svc.RecordStocktake(s.manager, tsunagu.RecordStocktakeInput{LocationID: s.warehouse.ID, IdempotencyKey: s.key(),
			Lines: []tsunagu.StocktakeLine{line(s.jam, 4), line(s.cookies, 0)}})
		must(t, err)
		want := []tsunagu.StocktakeResultLine{result(s.cookies, 0, 0), result(s.jam, 0, 4)}
		if diff := cmp.Diff(want, st.Lines); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		if l := s.level(s.warehouse, s.jam); l.OnHand != 4 {
			t.Errorf("jam at the warehouse: %+v", l)
		}
		s.checkLedger()
	})

	t.Run("OKComplete", func(t *testing.T) {
		s.mustAdjust(s.manager, s.warehouse, s.cookies, 6, tsunagu.ReasonProduction)
		// An empty level is no line of a complete count.
		_, err := s.svc.SetReorderPoint(s.manager, tsunagu.SetReorderPointInput{LocationID: s.warehouse.ID, ProductID: s.spoon.ID, ReorderPoint: 2})
		must(t, err)
		st, err := s.svc.RecordStocktake(s.manager, tsunagu.RecordStocktakeInput{LocationID: s.warehouse.ID, Complete: true,
			IdempotencyKey: s.key(), Lines: []tsunagu.StocktakeLine{line(s.cookies, 6)}})
		must(t, err)
		want := []tsunagu.StocktakeResultLine{result(s.cookies, 6, 6), result(s.jam, 4, 0)}
		if diff := cmp.Diff(want, st.Lines); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		if !st.Complete || s.level(s.warehouse, s.jam).OnHand != 0 || s.level(s.warehouse, s.cookies).OnHand != 6 {
			t.Errorf("complete %v, jam %+v, cookies %+v", st.Complete, s.level(s.warehouse, s.jam), s.level(s.warehouse, s.cookies))
		}
		// With no lines at all, a complete count empties the location.
		st, err = s.svc.RecordStocktake(s.manager, tsunagu.RecordStocktakeInput{LocationID: s.warehouse.ID, Complete: true, IdempotencyKey: s.key()})
		must(t, err)
		if diff := cmp.Diff([]tsunagu.StocktakeResultLine{result(s.cookies, 6, 0)}, st.Lines); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		s.checkLedger()
	})

	// Cookies at the shop: 8 on hand, 3 of them reserved for an order.
	must(t, postgres.ReserveStockForTest(context.Background(), s.db, s.cookies.ID, s.homeFac.ID, shop.ID, 3))
	s.checkLedger()
	for _, c := range []struct {
		name  string
		ctx   context.Context
		in    tsunagu.RecordStocktakeInput
		code  tsunagu.Code
		field string
	}{
		{"ErrCountedBelowReserved", s.clerk, tsunagu.RecordStocktakeInput{LocationID: shop.ID,
			Lines: []tsunagu.StocktakeLine{line(s.jam, 5), line(s.cookies, 2)}}, tsunagu.CodeOutOfRange, "input.lines.1.counted"},
		{"ErrCompleteBelowReserved", s.clerk, tsunagu.RecordStocktakeInput{LocationID: shop.ID, Complete: true,
			Lines: []tsunagu.StocktakeLine{line(s.jam, 5)}}, tsunagu.CodeOutOfRange, "input.complete"},
		{"ErrDuplicateProduct", s.clerk, tsunagu.RecordStocktakeInput{LocationID: shop.ID,
			Lines: []tsunagu.StocktakeLine{line(s.jam, 5), line(s.jam, 4)}}, tsunagu.CodeDuplicate, "input.lines.1.productId"},
		{"ErrUnknownProduct", s.clerk, tsunagu.RecordStocktakeInput{LocationID: shop.ID,
			Lines: []tsunagu.StocktakeLine{line(s.jam, 1), {ProductID: 999999, Counted: 1}}}, tsunagu.CodeNotFound, "input.lines.1.productId"},
		{"ErrUnknownLocation", s.admin, tsunagu.RecordStocktakeInput{LocationID: 999999,
			Lines: []tsunagu.StocktakeLine{line(s.jam, 1)}}, tsunagu.CodeNotFound, "input.locationId"},
		{"ErrNegativeCount", s.clerk, tsunagu.RecordStocktakeInput{LocationID: shop.ID,
			Lines: []tsunagu.StocktakeLine{line(s.jam, -1)}}, tsunagu.CodeOutOfRange, "input.lines.0.counted"},
		{"ErrNoLines", s.clerk, tsunagu.RecordStocktakeInput{LocationID: shop.ID}, tsunagu.CodeRequired, "input.lines"},
		{"ErrForbiddenClerkOfAnotherShop", s.otherClerk, tsunagu.RecordStocktakeInput{LocationID: shop.ID,
			Lines: []tsunagu.StocktakeLine{line(s.jam, 1)}}, tsunagu.CodeForbidden, ""},
		{"ErrForbiddenManagerOfAnotherCity", s.otherManager, tsunagu.RecordStocktakeInput{LocationID: shop.ID,
			Lines: []tsunagu.StocktakeLine{line(s.spoon, 1)}}, tsunagu.CodeForbidden, ""},
		{"ErrUnauthenticated", context.Background(), tsunagu.RecordStocktakeInput{LocationID: shop.ID,
			Lines: []tsunagu.StocktakeLine{line(s.jam, 1)}}, tsunagu.CodeUnauthenticated, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := s.snapshot()
			c.in.IdempotencyKey = s.key()
			_, err := s.svc.RecordStocktake(c.ctx, c.in)
			s.refused(t, before, err, c.code, c.field)
		})
	}

	t.Run("OKCountedAllReserved", func(t *testing.T) {
		st, err := s.svc.RecordStocktake(s.clerk, tsunagu.RecordStocktakeInput{LocationID: shop.ID, IdempotencyKey: s.key(),
			Lines: []tsunagu.StocktakeLine{line(s.cookies, 3)}})
		must(t, err)
		if diff := cmp.Diff([]tsunagu.StocktakeResultLine{result(s.cookies, 8, 3)}, st.Lines); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		if l := s.level(shop, s.cookies); l.OnHand != 3 || l.Reserved != 3 || l.Available() != 0 {
			t.Errorf("level %+v", l)
		}
		s.checkLedger()
	})
}
