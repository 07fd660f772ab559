package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// stockWorld is a world with the stock service.
type stockWorld struct {
	*world
	svc  *postgres.StockService
	keys atomic.Int64
}

func newStockWorld(t testing.TB) *stockWorld {
	t.Helper()
	w := newWorld(t)
	return &stockWorld{world: w, svc: postgres.NewStockService(w.db)}
}

func (s *stockWorld) key() string { return fmt.Sprintf("stock-key-%d", s.keys.Add(1)) }

func (s *stockWorld) adjust(ctx context.Context, loc *tsunagu.Location, p *tsunagu.Product, q int, r tsunagu.AdjustmentReason) (*tsunagu.StockAdjustment, error) {
	return s.svc.AdjustStock(ctx, tsunagu.AdjustStockInput{LocationID: loc.ID, ProductID: p.ID, Quantity: q, Reason: r, IdempotencyKey: s.key()})
}

func (s *stockWorld) mustAdjust(ctx context.Context, loc *tsunagu.Location, p *tsunagu.Product, q int, r tsunagu.AdjustmentReason) *tsunagu.StockAdjustment {
	s.t.Helper()
	a, err := s.adjust(ctx, loc, p, q, r)
	must(s.t, err)
	return a
}

// level returns the level of p at loc, a zero one when there is none.
func (s *stockWorld) level(loc *tsunagu.Location, p *tsunagu.Product) tsunagu.StockLevel {
	s.t.Helper()
	k := tsunagu.StockKey{ProductID: p.ID, LocationID: loc.ID}
	ls, err := s.svc.StockLevelsAt(context.Background(), []tsunagu.StockKey{k})
	must(s.t, err)
	if l := ls[k]; l != nil {
		return *l
	}
	return tsunagu.StockLevel{ProductID: p.ID, LocationID: loc.ID}
}

// movements returns the ledger of a document, newest first, as the admin sees it.
func (s *stockWorld) movements(dt tsunagu.DocumentType, id int64, loc *tsunagu.Location) []*tsunagu.StockMovement {
	s.t.Helper()
	p, err := s.svc.StockMovements(s.admin, tsunagu.StockMovementFilter{LocationID: &loc.ID, DocumentType: &dt, DocumentID: &id},
		tsunagu.PageArgs{First: tsunagu.MaxPageSize})
	must(s.t, err)
	return p.Items
}

// refused asserts that err has code and field and that the database is as before.
func (s *stockWorld) refused(t *testing.T, before string, err error, code tsunagu.Code, field string) {
	t.Helper()
	if got := tsunagu.ErrorCode(err); got != code {
		t.Fatalf("code %q (%v), want %q", got, err, code)
	}
	if errs := tsunagu.UserErrors(err); len(errs) == 0 || errs[0].Field != field {
		t.Errorf("field of %v, want %q", err, field)
	}
	s.unchanged(before)
	s.checkLedger()
}

// ignoreLevelTime ignores when a level last changed and how often (Version).
var ignoreLevelTime = cmpopts.IgnoreFields(tsunagu.StockLevel{}, "UpdatedAt", "Version")

func TestAdjustStock(t *testing.T) {
	t.Parallel()
	s := newStockWorld(t)
	shop := s.homeShop

	t.Run("OK", func(t *testing.T) {
		onHand := 0
		for _, c := range []struct {
			r tsunagu.AdjustmentReason
			q int
		}{
			{tsunagu.ReasonProduction, 10}, {tsunagu.ReasonFound, 2}, {tsunagu.ReasonDamaged, -1}, {tsunagu.ReasonLost, -1},
			{tsunagu.ReasonExpired, -2}, {tsunagu.ReasonCountCorrection, -3}, {tsunagu.ReasonCountCorrection, 1},
		} {
			onHand += c.q
			a := s.mustAdjust(s.manager, shop, s.cookies, c.q, c.r)
			want := &tsunagu.StockAdjustment{ID: a.ID, LocationID: shop.ID, ProductID: s.cookies.ID, Quantity: c.q, Reason: c.r,
				ActorID: stockActor(s.manager), CreatedAt: a.CreatedAt,
				Level: &tsunagu.StockLevel{ProductID: s.cookies.ID, LocationID: shop.ID, MunicipalityID: shop.MunicipalityID, OnHand: onHand}}
			if diff := cmp.Diff(want, a, ignoreLevelTime); diff != "" {
				t.Errorf("%s %+d (-want +got):\n%s", c.r, c.q, diff)
			}
			ms := s.movements(tsunagu.DocumentAdjustment, int64(a.ID), shop)
			wantM := []*tsunagu.StockMovement{{ProductID: s.cookies.ID, LocationID: shop.ID, OwnerFacilityID: s.homeFac.ID,
				Bucket: tsunagu.BucketOnHand, Quantity: c.q, Reason: c.r, DocumentType: tsunagu.DocumentAdjustment,
				DocumentID: int64(a.ID), ActorID: ptrTo(stockActor(s.manager))}}
			if diff := cmp.Diff(wantM, ms, cmpopts.IgnoreFields(tsunagu.StockMovement{}, "ID", "CreatedAt")); diff != "" {
				t.Errorf("%s %+d: movements (-want +got):\n%s", c.r, c.q, diff)
			}
		}
		if got := s.level(shop, s.cookies).OnHand; got != 6 {
			t.Errorf("on hand %d, want 6", got)
		}
		s.checkLedger()
	})

	t.Run("OKClerkOfTheShop", func(t *testing.T) {
		a := s.mustAdjust(s.clerk, shop, s.jam, 4, tsunagu.ReasonProduction)
		if a.Level.OnHand != 4 || a.ActorID != stockActor(s.clerk) {
			t.Errorf("got %+v, level %+v", a, a.Level)
		}
		s.checkLedger()
	})

	// Partner goods at the home shop stay the partner facility's.
	t.Run("OKConsignmentOwner", func(t *testing.T) {
		a := s.mustAdjust(s.clerk, shop, s.spoon, 3, tsunagu.ReasonFound)
		ms := s.movements(tsunagu.DocumentAdjustment, int64(a.ID), shop)
		if len(ms) != 1 || ms[0].OwnerFacilityID != s.partnerFac.ID {
			t.Errorf("movements %+v, want one owned by the partner facility %d", ms, s.partnerFac.ID)
		}
		s.checkLedger()
	})

	in := func(q int, r tsunagu.AdjustmentReason) tsunagu.AdjustStockInput {
		return tsunagu.AdjustStockInput{LocationID: shop.ID, ProductID: s.cookies.ID, Quantity: q, Reason: r, IdempotencyKey: s.key()}
	}
	for _, c := range []struct {
		name  string
		ctx   context.Context
		in    func(*tsunagu.AdjustStockInput)
		code  tsunagu.Code
		field string
	}{
		{"ErrForbiddenClerkOfAnotherShop", s.otherClerk, nil, tsunagu.CodeForbidden, ""},
		{"ErrForbiddenManagerOfAnotherCity", s.otherManager, nil, tsunagu.CodeForbidden, ""},
		{"ErrUnauthenticated", context.Background(), nil, tsunagu.CodeUnauthenticated, ""},
		{"ErrInsufficientStock", s.clerk, func(in *tsunagu.AdjustStockInput) { in.Quantity = -7 }, tsunagu.CodeInsufficientStock, "input.quantity"},
		{"ErrInsufficientStockNoLevel", s.manager, func(in *tsunagu.AdjustStockInput) { in.LocationID = s.warehouse.ID },
			tsunagu.CodeInsufficientStock, "input.quantity"},
		{"ErrZeroQuantity", s.clerk, func(in *tsunagu.AdjustStockInput) { in.Quantity, in.Reason = 0, tsunagu.ReasonCountCorrection },
			tsunagu.CodeOutOfRange, "input.quantity"},
		{"ErrPositiveDamage", s.clerk, func(in *tsunagu.AdjustStockInput) { in.Quantity = 1 }, tsunagu.CodeOutOfRange, "input.quantity"},
		{"ErrNegativeProduction", s.clerk, func(in *tsunagu.AdjustStockInput) { in.Reason = tsunagu.ReasonProduction },
			tsunagu.CodeOutOfRange, "input.quantity"},
		{"ErrTooMany", s.clerk, func(in *tsunagu.AdjustStockInput) { in.Quantity = -tsunagu.MaxLineQuantity - 1 },
			tsunagu.CodeOutOfRange, "input.quantity"},
		{"ErrNoReason", s.clerk, func(in *tsunagu.AdjustStockInput) { in.Reason = "" }, tsunagu.CodeInvalidInput, "input.reason"},
		{"ErrSaleIsNoAdjustment", s.clerk, func(in *tsunagu.AdjustStockInput) { in.Reason = tsunagu.ReasonSale }, tsunagu.CodeInvalidInput, "input.reason"},
		{"ErrNoKey", s.clerk, func(in *tsunagu.AdjustStockInput) { in.IdempotencyKey = " " }, tsunagu.CodeRequired, "input.idempotencyKey"},
		{"ErrUnknownProduct", s.clerk, func(in *tsunagu.AdjustStockInput) { in.ProductID = 999999 }, tsunagu.CodeNotFound, "input.productId"},
		{"ErrUnknownLocation", s.admin, func(in *tsunagu.AdjustStockInput) { in.LocationID = 999999 }, tsunagu.CodeNotFound, "input.locationId"},
		// New partner goods reach the home shop by transfer, not as production.
		{"ErrProductionAwayFromHome", s.clerk, func(in *tsunagu.AdjustStockInput) {
			in.ProductID, in.Quantity, in.Reason = s.spoon.ID, 5, tsunagu.ReasonProduction
		}, tsunagu.CodeInvalidInput, "input.reason"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := s.snapshot()
			input := in(-1, tsunagu.ReasonDamaged)
			if c.in != nil {
				c.in(&input)
			}
			_, err := s.svc.AdjustStock(c.ctx, input)
			s.refused(t, before, err, c.code, c.field)
		})
	}

	t.Run("ErrInsufficientStockSaysHowMany", func(t *testing.T) {
		_, err := s.adjust(s.clerk, shop, s.cookies, -7, tsunagu.ReasonLost)
		if msg := tsunagu.ErrorMessage(err); !strings.Contains(msg, "Only 6 of クッキー") {
			t.Errorf("message %q, want it to say how many are available", msg)
		}
	})

	t.Run("ErrProductionArchived", func(t *testing.T) {
		p := s.product(s.admin, s.homeFac, "もう作らない品", 100, tsunagu.TaxReduced8)
		_, err := s.catalog.ArchiveProduct(s.manager, p.ID)
		must(t, err)
		before := s.snapshot()
		_, err = s.adjust(s.manager, shop, p, 1, tsunagu.ReasonProduction)
		s.refused(t, before, err, tsunagu.CodeInvalidState, "input.productId")
		// Archived goods that turn up can still be booked in, and written off.
		s.mustAdjust(s.manager, shop, p, 1, tsunagu.ReasonFound)
		s.mustAdjust(s.manager, shop, p, -1, tsunagu.ReasonExpired)
		s.checkLedger()
	})

	t.Run("Replay", func(t *testing.T) {
		input := in(-2, tsunagu.ReasonDamaged)
		first, err := s.svc.AdjustStock(s.clerk, input)
		must(t, err)
		before := s.snapshot()
		again, err := s.svc.AdjustStock(s.clerk, input)
		must(t, err)
		if diff := cmp.Diff(first, again, ignoreLevelTime); diff != "" {
			t.Errorf("replay (-first +again):\n%s", diff)
		}
		s.unchanged(before)
		s.checkLedger()
	})

	t.Run("ErrIdempotencyConflict", func(t *testing.T) {
		input := in(-1, tsunagu.ReasonDamaged)
		_, err := s.svc.AdjustStock(s.clerk, input)
		must(t, err)
		before := s.snapshot()
		input.Quantity = -2
		_, err = s.svc.AdjustStock(s.clerk, input)
		s.refused(t, before, err, tsunagu.CodeIdempotencyConflict, "input.idempotencyKey")
	})

	// A refused attempt does not use up its key: the key is written with the work.
	t.Run("KeyFreeAfterRefusal", func(t *testing.T) {
		input := in(-1000, tsunagu.ReasonLost)
		_, err := s.svc.AdjustStock(s.clerk, input)
		if tsunagu.ErrorCode(err) != tsunagu.CodeInsufficientStock {
			t.Fatalf("got %v, want INSUFFICIENT_STOCK", err)
		}
		input.Quantity = -1
		a, err := s.svc.AdjustStock(s.clerk, input)
		must(t, err)
		if a.Quantity != -1 {
			t.Errorf("quantity %d, want -1", a.Quantity)
		}
		s.checkLedger()
	})
}

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

func TestStockMovements(t *testing.T) {
	t.Parallel()
	s := newStockWorld(t)
	shop := s.homeShop
	cookies := []*tsunagu.StockAdjustment{
		s.mustAdjust(s.manager, shop, s.cookies, 5, tsunagu.ReasonProduction),
		s.mustAdjust(s.clerk, shop, s.cookies, -1, tsunagu.ReasonDamaged),
		s.mustAdjust(s.clerk, shop, s.cookies, 2, tsunagu.ReasonFound),
	}
	spoon := s.mustAdjust(s.clerk, shop, s.spoon, 2, tsunagu.ReasonFound)
	s.mustAdjust(s.otherManager, s.partnerShop, s.spoon, 4, tsunagu.ReasonProduction)
	jam := s.mustAdjust(s.manager, s.warehouse, s.jam, 1, tsunagu.ReasonProduction)
	docs := func(ms []*tsunagu.StockMovement) []int64 {
		out := []int64{}
		for _, m := range ms {
			out = append(out, m.DocumentID)
		}
		return out
	}
	list := func(ctx context.Context, f tsunagu.StockMovementFilter, page tsunagu.PageArgs) *tsunagu.Page[*tsunagu.StockMovement] {
		t.Helper()
		p, err := s.svc.StockMovements(ctx, f, page)
		must(t, err)
		return p
	}
	atShop := tsunagu.StockMovementFilter{LocationID: &shop.ID}
	all := []int64{int64(spoon.ID), int64(cookies[2].ID), int64(cookies[1].ID), int64(cookies[0].ID)}

	for _, c := range []struct {
		name string
		ctx  context.Context
		f    tsunagu.StockMovementFilter
		want []int64
	}{
		{"OKManagerOfTheShop", s.manager, atShop, all},
		{"OKAdmin", s.admin, atShop, all},
		{"OKClerkOfTheShop", s.clerk, atShop, all},
		// The partner's manager follows their facility's goods to the home shop, and
		// nothing else there.
		{"OKPartnerManagerSeesTheirGoods", s.otherManager, atShop, []int64{int64(spoon.ID)}},
		{"OKPartnerManagerByProduct", s.otherManager, tsunagu.StockMovementFilter{ProductID: &s.cookies.ID}, []int64{}},
		{"OKClerkOfAnotherShopSeesNothing", s.otherClerk, atShop, []int64{}},
		// Clerks see their city's internal records (User.SeesMunicipality).
		{"OKClerkSeesTheWarehouse", s.clerk, tsunagu.StockMovementFilter{ProductID: &s.jam.ID}, []int64{int64(jam.ID)}},
		{"OKByProduct", s.manager, tsunagu.StockMovementFilter{ProductID: &s.spoon.ID}, []int64{int64(spoon.ID)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, docs(list(c.ctx, c.f, tsunagu.PageArgs{}).Items)); diff != "" {
				t.Errorf("documents (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("OKNewestFirstPages", func(t *testing.T) {
		var got []int64
		var after int64
		for range 10 {
			p := list(s.manager, atShop, tsunagu.PageArgs{First: 3, After: after})
			got = append(got, docs(p.Items)...)
			for i := 1; i < len(p.Items); i++ {
				if p.Items[i].ID >= p.Items[i-1].ID {
					t.Errorf("not newest first: %d after %d", p.Items[i].ID, p.Items[i-1].ID)
				}
			}
			if !p.HasNextPage {
				break
			}
			after = int64(p.Items[len(p.Items)-1].ID)
		}
		if diff := cmp.Diff(all, got); diff != "" {
			t.Errorf("pages (-want +got):\n%s", diff)
		}
	})

	t.Run("OKByDocument", func(t *testing.T) {
		dt, id := tsunagu.DocumentAdjustment, int64(cookies[1].ID)
		ms := list(s.clerk, tsunagu.StockMovementFilter{ProductID: &s.cookies.ID, DocumentType: &dt, DocumentID: &id}, tsunagu.PageArgs{}).Items
		if len(ms) != 1 || ms[0].Quantity != -1 || ms[0].Reason != tsunagu.ReasonDamaged {
			t.Errorf("movements %+v", ms)
		}
	})

	t.Run("ErrRequired", func(t *testing.T) {
		_, err := s.svc.StockMovements(s.admin, tsunagu.StockMovementFilter{}, tsunagu.PageArgs{})
		if e := tsunagu.UserErrors(err); tsunagu.ErrorCode(err) != tsunagu.CodeRequired || e[0].Field != "filter" {
			t.Errorf("got %v, want REQUIRED on filter", err)
		}
	})

	t.Run("ErrUnauthenticated", func(t *testing.T) {
		_, err := s.svc.StockMovements(context.Background(), atShop, tsunagu.PageArgs{})
		if tsunagu.ErrorCode(err) != tsunagu.CodeUnauthenticated {
			t.Errorf("got %v, want UNAUTHENTICATED", err)
		}
	})
	s.checkLedger()
}

func TestStockLevels(t *testing.T) {
	t.Parallel()
	s := newStockWorld(t)
	shop := s.homeShop
	s.mustAdjust(s.manager, shop, s.cookies, 5, tsunagu.ReasonProduction)
	s.mustAdjust(s.manager, shop, s.jam, 2, tsunagu.ReasonProduction)
	reorder := func(p *tsunagu.Product, n int) {
		t.Helper()
		l, err := s.svc.SetReorderPoint(s.clerk, tsunagu.SetReorderPointInput{LocationID: shop.ID, ProductID: p.ID, ReorderPoint: n})
		must(t, err)
		if l.ReorderPoint != n {
			t.Fatalf("reorder point %d, want %d", l.ReorderPoint, n)
		}
	}
	reorder(s.cookies, 5) // 5 available: not below
	reorder(s.jam, 3)
	reorder(s.spoon, 1) // a new, empty level
	products := func(p *tsunagu.Page[*tsunagu.StockLevel], err error) []tsunagu.ProductID {
		t.Helper()
		must(t, err)
		out := []tsunagu.ProductID{}
		for _, l := range p.Items {
			out = append(out, l.ProductID)
		}
		return out
	}

	t.Run("OK", func(t *testing.T) {
		p, err := s.svc.StockLevels(s.otherClerk, shop.ID, tsunagu.StockLevelFilter{}, tsunagu.PageArgs{First: 2})
		if diff := cmp.Diff([]tsunagu.ProductID{s.cookies.ID, s.jam.ID}, products(p, err)); diff != "" || !p.HasNextPage {
			t.Errorf("first page (-want +got):\n%s", diff)
		}
		p, err = s.svc.StockLevels(s.otherClerk, shop.ID, tsunagu.StockLevelFilter{}, tsunagu.PageArgs{First: 2, After: int64(s.jam.ID)})
		if diff := cmp.Diff([]tsunagu.ProductID{s.spoon.ID}, products(p, err)); diff != "" || p.HasNextPage {
			t.Errorf("second page (-want +got):\n%s", diff)
		}
	})

	t.Run("OKBelowReorderPoint", func(t *testing.T) {
		got := products(s.svc.StockLevels(s.clerk, shop.ID, tsunagu.StockLevelFilter{BelowReorderPoint: true}, tsunagu.PageArgs{}))
		if diff := cmp.Diff([]tsunagu.ProductID{s.jam.ID, s.spoon.ID}, got); diff != "" {
			t.Errorf("below the reorder point (-want +got):\n%s", diff)
		}
	})

	t.Run("OKProduct", func(t *testing.T) {
		p, err := s.svc.StockLevels(s.manager, shop.ID, tsunagu.StockLevelFilter{ProductID: &s.jam.ID}, tsunagu.PageArgs{})
		must(t, err)
		want := []*tsunagu.StockLevel{{ProductID: s.jam.ID, LocationID: shop.ID, MunicipalityID: shop.MunicipalityID, OnHand: 2, ReorderPoint: 3}}
		if diff := cmp.Diff(want, p.Items, ignoreLevelTime); diff != "" {
			t.Errorf("levels (-want +got):\n%s", diff)
		}
	})

	t.Run("OKLevelsAt", func(t *testing.T) {
		keys := []tsunagu.StockKey{{ProductID: s.cookies.ID, LocationID: shop.ID}, {ProductID: s.cookies.ID, LocationID: s.partnerShop.ID}}
		ls, err := s.svc.StockLevelsAt(context.Background(), keys)
		must(t, err)
		if len(ls) != 1 || ls[keys[0]].OnHand != 5 {
			t.Errorf("levels %+v", ls)
		}
	})

	t.Run("ErrUnknownLocation", func(t *testing.T) {
		_, err := s.svc.StockLevels(s.admin, 999999, tsunagu.StockLevelFilter{}, tsunagu.PageArgs{})
		if e := tsunagu.UserErrors(err); tsunagu.ErrorCode(err) != tsunagu.CodeNotFound || e[0].Field != "" {
			t.Errorf("got %v, want NOT_FOUND", err)
		}
	})

	t.Run("ErrUnauthenticated", func(t *testing.T) {
		_, err := s.svc.StockLevels(context.Background(), shop.ID, tsunagu.StockLevelFilter{}, tsunagu.PageArgs{})
		if tsunagu.ErrorCode(err) != tsunagu.CodeUnauthenticated {
			t.Errorf("got %v, want UNAUTHENTICATED", err)
		}
	})
	s.checkLedger()
}

func TestSetReorderPoint(t *testing.T) {
	t.Parallel()
	s := newStockWorld(t)
	shop := s.homeShop
	s.mustAdjust(s.manager, shop, s.cookies, 5, tsunagu.ReasonProduction)

	t.Run("OK", func(t *testing.T) {
		before := s.snapshot()
		l, err := s.svc.SetReorderPoint(s.clerk, tsunagu.SetReorderPointInput{LocationID: shop.ID, ProductID: s.cookies.ID, ReorderPoint: 8})
		must(t, err)
		want := &tsunagu.StockLevel{ProductID: s.cookies.ID, LocationID: shop.ID, MunicipalityID: shop.MunicipalityID, OnHand: 5, ReorderPoint: 8}
		if diff := cmp.Diff(want, l, ignoreLevelTime); diff != "" || !l.BelowReorderPoint() {
			t.Errorf("level (-want +got):\n%s", diff)
		}
		if s.snapshot() == before {
			t.Error("nothing changed")
		}
		if ms := s.movements(tsunagu.DocumentAdjustment, 0, shop); len(ms) != 0 {
			t.Errorf("a reorder point wrote movements: %+v", ms)
		}
		s.checkLedger()
	})

	for _, c := range []struct {
		name  string
		ctx   context.Context
		in    tsunagu.SetReorderPointInput
		code  tsunagu.Code
		field string
	}{
		{"ErrNegative", s.clerk, tsunagu.SetReorderPointInput{LocationID: shop.ID, ProductID: s.jam.ID, ReorderPoint: -1},
			tsunagu.CodeOutOfRange, "input.reorderPoint"},
		{"ErrTooMany", s.clerk, tsunagu.SetReorderPointInput{LocationID: shop.ID, ProductID: s.jam.ID, ReorderPoint: tsunagu.MaxLineQuantity + 1},
			tsunagu.CodeOutOfRange, "input.reorderPoint"},
		{"ErrForbidden", s.otherClerk, tsunagu.SetReorderPointInput{LocationID: shop.ID, ProductID: s.jam.ID, ReorderPoint: 1},
			tsunagu.CodeForbidden, ""},
		{"ErrUnauthenticated", context.Background(), tsunagu.SetReorderPointInput{LocationID: shop.ID, ProductID: s.jam.ID, ReorderPoint: 1},
			tsunagu.CodeUnauthenticated, ""},
		{"ErrUnknownProduct", s.clerk, tsunagu.SetReorderPointInput{LocationID: shop.ID, ProductID: 999999, ReorderPoint: 1},
			tsunagu.CodeNotFound, "input.productId"},
		{"ErrUnknownLocation", s.admin, tsunagu.SetReorderPointInput{LocationID: 999999, ProductID: s.jam.ID, ReorderPoint: 1},
			tsunagu.CodeNotFound, "input.locationId"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := s.snapshot()
			_, err := s.svc.SetReorderPoint(c.ctx, c.in)
			s.refused(t, before, err, c.code, c.field)
		})
	}
}

// Many clerks take the last units at once: on hand never goes below zero, exactly
// as many succeed as there was stock, and the ledger agrees.
func TestAdjustStockConcurrent(t *testing.T) {
	t.Parallel()
	s := newStockWorld(t)
	shop := s.homeShop
	s.mustAdjust(s.manager, shop, s.cookies, 10, tsunagu.ReasonProduction)
	s.mustAdjust(s.manager, shop, s.jam, 10, tsunagu.ReasonProduction)
	// Cookies only go out: 15 attempts on 10. Jam goes out 15 times and comes in 3
	// times, in any order.
	type op struct {
		p *tsunagu.Product
		q int
	}
	var ops []op
	for i := range 30 {
		ops = append(ops, op{[]*tsunagu.Product{s.cookies, s.jam}[i%2], -1})
	}
	ops = append(ops, op{s.jam, 1}, op{s.jam, 1}, op{s.jam, 1})
	var mu sync.Mutex
	ok := map[op]int{}
	short := map[tsunagu.ProductID]int{}
	work := make(chan op)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			for o := range work {
				r := tsunagu.ReasonDamaged
				if o.q > 0 {
					r = tsunagu.ReasonFound
				}
				_, err := s.adjust(s.clerk, shop, o.p, o.q, r)
				mu.Lock()
				switch tsunagu.ErrorCode(err) {
				case "":
					ok[o]++
				case tsunagu.CodeInsufficientStock:
					short[o.p.ID]++
				default:
					t.Errorf("%+d of %d: %v", o.q, o.p.ID, err)
				}
				mu.Unlock()
			}
		})
	}
	for _, o := range ops {
		work <- o
	}
	close(work)
	wg.Wait()

	cookies, jam := s.level(shop, s.cookies), s.level(shop, s.jam)
	if cookies.OnHand != 0 || ok[op{s.cookies, -1}] != 10 || short[s.cookies.ID] != 5 {
		t.Errorf("cookies: on hand %d, %d taken, %d refused; want 0, 10, 5", cookies.OnHand, ok[op{s.cookies, -1}], short[s.cookies.ID])
	}
	taken, added := ok[op{s.jam, -1}], ok[op{s.jam, 1}]
	if added != 3 || jam.OnHand < 0 || jam.OnHand != 10+added-taken || taken+short[s.jam.ID] != 15 || taken < 10 {
		t.Errorf("jam: on hand %d, %d taken, %d added, %d refused", jam.OnHand, taken, added, short[s.jam.ID])
	}
	s.checkLedger()
}

// The cost of an adjustment and of a stocktake does not grow with the stock.
func TestStockStatementCounts(t *testing.T) {
	t.Parallel()
	s := newStockWorld(t)
	shop := s.homeShop
	products := []*tsunagu.Product{s.cookies, s.jam}
	for i := range 48 {
		products = append(products, s.product(s.admin, s.homeFac, fmt.Sprintf("数える品%02d", i), 100+int64(i), tsunagu.TaxReduced8))
	}
	for _, p := range products {
		s.mustAdjust(s.manager, shop, p, 10, tsunagu.ReasonProduction)
	}
	count := func(ctx context.Context, do func(context.Context) error) int64 {
		t.Helper()
		var n postgres.StatementCounter
		must(t, do(postgres.WithStatementCounter(ctx, &n)))
		return n.Count()
	}
	counts := map[int]map[string]int64{}
	for _, n := range []int{2, 50} {
		c := map[string]int64{}
		// Half counted one more, half one fewer: both kinds of movement.
		var lines []tsunagu.StocktakeLine
		for i, p := range products[:n] {
			lines = append(lines, tsunagu.StocktakeLine{ProductID: p.ID, Counted: 10 + 1 - 2*(i%2)})
		}
		in := tsunagu.RecordStocktakeInput{LocationID: shop.ID, Lines: lines, IdempotencyKey: s.key()}
		c["recordStocktake"] = count(s.clerk, func(ctx context.Context) error {
			_, err := s.svc.RecordStocktake(ctx, in)
			return err
		})
		c["recordStocktakeReplay"] = count(s.clerk, func(ctx context.Context) error {
			_, err := s.svc.RecordStocktake(ctx, in)
			return err
		})
		// Back to 10 each, for the next round.
		for i := range lines {
			lines[i].Counted = 10
		}
		_, err := s.svc.RecordStocktake(s.clerk, tsunagu.RecordStocktakeInput{LocationID: shop.ID, Lines: lines, IdempotencyKey: s.key()})
		must(t, err)
		for _, q := range []int{-1, 1} {
			c[fmt.Sprintf("adjustStock%+d", q)] = count(s.clerk, func(ctx context.Context) error {
				_, err := s.adjust(ctx, shop, products[0], q, tsunagu.ReasonCountCorrection)
				return err
			})
		}
		c["stockLevels"] = count(s.clerk, func(ctx context.Context) error {
			_, err := s.svc.StockLevels(ctx, shop.ID, tsunagu.StockLevelFilter{}, tsunagu.PageArgs{First: n})
			return err
		})
		counts[n] = c
	}
	t.Logf("statements with 2 products: %v; with 50: %v", counts[2], counts[50])
	if diff := cmp.Diff(counts[2], counts[50]); diff != "" {
		t.Errorf("statements grow with the lines (-2 +50):\n%s", diff)
	}
	s.checkLedger()
}

func ptrTo[T any](v T) *T { return &v }

func stockActor(ctx context.Context) tsunagu.UserID { return tsunagu.UserFrom(ctx).ID }
