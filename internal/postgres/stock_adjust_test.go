package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"tsunagu/internal/tsunagu"
)

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
