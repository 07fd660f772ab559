package postgres_test

import (
	"context"
	"fmt"
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
