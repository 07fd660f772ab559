package postgres_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/lib/pq"
	"github.com/pressly/goose/v3"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// emptyLevels returns the products of the levels at loc with nothing on hand,
// reserved or incoming, in order, and fails t if any of them has a ledger row.
func (x *exchangeWorld) emptyLevels(t *testing.T, loc *tsunagu.Location) []tsunagu.ProductID {
	t.Helper()
	rows, err := x.db.SQL().Query(`
		SELECT product_id FROM stock_levels
		WHERE location_id = $1 AND on_hand = 0 AND reserved = 0 AND incoming = 0 ORDER BY 1`, loc.ID)
	must(t, err)
	defer rows.Close()
	var ps []tsunagu.ProductID
	for rows.Next() {
		var p tsunagu.ProductID
		must(t, rows.Scan(&p))
		ps = append(ps, p)
	}
	must(t, rows.Err())
	var n int
	must(t, x.db.SQL().QueryRow(`SELECT count(*) FROM stock_movements WHERE location_id = $1 AND product_id = ANY($2)`,
		loc.ID, productArray(ps)).Scan(&n))
	if n > 0 {
		t.Errorf("%d ledger rows of the empty levels at %s", n, loc.Name)
	}
	return ps
}

// dropEmptyLevels deletes the empty levels at loc, as a transfer approved before
// approval made them left its destination.
func (x *exchangeWorld) dropEmptyLevels(t *testing.T, loc *tsunagu.Location) {
	t.Helper()
	_, err := x.db.SQL().Exec(`DELETE FROM stock_levels WHERE location_id = $1 AND on_hand = 0 AND reserved = 0 AND incoming = 0`, loc.ID)
	must(t, err)
}

// newProducts makes n products of the home facility with stock at the warehouse.
func (x *exchangeWorld) newProducts(n int, name string) []*tsunagu.Product {
	var ps []*tsunagu.Product
	for i := range n {
		p := x.product(x.admin, x.homeFac, fmt.Sprintf("%s%d", name, i), 300, tsunagu.TaxReduced8)
		x.mustPut(x.warehouse, p, 10)
		ps = append(ps, p)
	}
	return ps
}

func ids(ps ...*tsunagu.Product) []tsunagu.ProductID {
	out := make([]tsunagu.ProductID, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	slices.Sort(out)
	return out
}

func productArray(ps []tsunagu.ProductID) any {
	out := make([]int64, len(ps))
	for i, p := range ps {
		out[i] = int64(p)
	}
	return pq.Array(out)
}

// Approving a transfer makes the destination's missing levels of what it approved,
// empty and without ledger rows, in the statement that approves it; a refused
// approval makes none.
func TestApprovalMakesDestinationLevels(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)

	t.Run("Offer", func(t *testing.T) {
		ps := x.newProducts(2, "申し出")
		before := x.emptyLevels(t, x.partnerShop)
		x.offer(q(ps[0], 3), q(ps[1], 1))
		if got, want := x.emptyLevels(t, x.partnerShop), append(before, ids(ps...)...); !slices.Equal(got, want) {
			t.Errorf("empty levels at the shop %v, want %v", got, want)
		}
	})
	t.Run("ApprovalWithChangedLines", func(t *testing.T) {
		ps := x.newProducts(3, "承認")
		before := x.emptyLevels(t, x.partnerShop)
		tr, err := x.svc.RequestTransfer(x.otherClerk, tsunagu.RequestTransferInput{FromLocationID: x.warehouse.ID,
			ToLocationID: x.partnerShop.ID, Lines: []tsunagu.TransferQuantity{q(ps[0], 5), q(ps[1], 3), q(ps[2], 2)},
			IdempotencyKey: x.key()})
		must(t, err)
		if got := x.emptyLevels(t, x.partnerShop); !slices.Equal(got, before) {
			t.Errorf("a request made levels: %v, want %v", got, before)
		}
		// None of the second product, one of the third.
		var n int64
		n, err = statementsOf(x.manager, func(ctx context.Context) error {
			_, err := x.svc.ApproveTransfer(ctx, tsunagu.ApproveTransferInput{TransferID: tr.ID,
				Lines: []tsunagu.TransferQuantity{q(ps[1], 0), q(ps[2], 1)}, IdempotencyKey: x.key()})
			return err
		})
		must(t, err)
		if got, want := x.emptyLevels(t, x.partnerShop), append(before, ids(ps[0], ps[2])...); !slices.Equal(got, want) {
			t.Errorf("empty levels at the shop %v, want %v (none of what was approved 0 of)", got, want)
		}
		// BEGIN, the key with the transfer locked, the step with the levels, COMMIT.
		if n != 4 {
			t.Errorf("approval: %d statements, want 4", n)
		}
		// The first shipment is one statement.
		n, err = statementsOf(x.manager, func(ctx context.Context) error {
			_, err := x.svc.ShipTransfer(ctx, tsunagu.ShipTransferInput{TransferID: tr.ID, IdempotencyKey: x.key()})
			return err
		})
		must(t, err)
		if n != 1 {
			t.Errorf("first shipment: %d statements, want 1", n)
		}
		if got, want := x.level(x.partnerShop, ps[0]), (stock{Incoming: 5}); got != want {
			t.Errorf("at the shop %+v, want %+v", got, want)
		}
	})

	// Refusals change nothing: no level either.
	ps := x.newProducts(2, "却下")
	request := func() *tsunagu.Transfer {
		t.Helper()
		tr, err := x.svc.RequestTransfer(x.otherClerk, tsunagu.RequestTransferInput{FromLocationID: x.warehouse.ID,
			ToLocationID: x.partnerShop.ID, Lines: []tsunagu.TransferQuantity{q(ps[0], 2), q(ps[1], 1)}, IdempotencyKey: x.key()})
		must(t, err)
		return tr
	}
	approve := func(ctx context.Context, tr *tsunagu.Transfer, lines ...tsunagu.TransferQuantity) error {
		_, err := x.svc.ApproveTransfer(ctx, tsunagu.ApproveTransferInput{TransferID: tr.ID, Lines: lines, IdempotencyKey: x.key()})
		return err
	}
	tr := request()
	cancelled := request()
	_, err := x.svc.CancelTransfer(x.otherClerk, tsunagu.CancelTransferInput{TransferID: cancelled.ID, Reason: "不要", IdempotencyKey: x.key()})
	must(t, err)
	for _, c := range []struct {
		name  string
		do    func() error
		code  tsunagu.Code
		field string
	}{
		{"ErrForbidden", func() error { return approve(x.otherManager, tr) }, tsunagu.CodeForbidden, ""},
		{"ErrInvalidState", func() error { return approve(x.manager, cancelled) }, tsunagu.CodeInvalidState, "input.transferId"},
		{"ErrOutOfRange", func() error { return approve(x.manager, tr, q(ps[0], 3)) }, tsunagu.CodeOutOfRange,
			tsunagu.LineField(0, ".quantity")},
		{"ErrOutOfRangeNothing", func() error { return approve(x.manager, tr, q(ps[0], 0), q(ps[1], 0)) }, tsunagu.CodeOutOfRange,
			"input.lines"},
		{"ErrOfferInvalidInput", func() error {
			// Not stocked at the partner shop, from where the offer would go.
			_, err := x.svc.RequestTransfer(x.otherManager, tsunagu.RequestTransferInput{FromLocationID: x.partnerShop.ID,
				ToLocationID: x.homeShop.ID, Lines: []tsunagu.TransferQuantity{q(ps[0], 1)}, IdempotencyKey: x.key()})
			return err
		}, tsunagu.CodeInvalidInput, tsunagu.LineField(0, ".productId")},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := x.snapshot()
			x.refused(t, before, c.do(), c.code, c.field)
		})
	}
	var n int
	must(t, x.db.SQL().QueryRow(`SELECT count(*) FROM stock_levels WHERE product_id = ANY($1) AND location_id <> $2`,
		productArray(ids(ps...)), x.warehouse.ID).Scan(&n))
	if n != 0 {
		t.Errorf("%d levels of the refused transfers' products outside the warehouse, want none", n)
	}
	x.checkLedger()
}

// A transfer approved without its destination's levels (by a process of an earlier
// version, during a rolling deploy) still ships in full: the statement refuses it,
// and the transaction makes them.
func TestFirstShipmentWithoutLevels(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	ps := x.newProducts(2, "旧版")
	tr := x.offer(q(ps[0], 3), q(ps[1], 2))
	x.dropEmptyLevels(t, x.partnerShop)
	n, err := statementsOf(x.manager, func(ctx context.Context) error {
		_, err := x.svc.ShipTransfer(ctx, tsunagu.ShipTransferInput{TransferID: tr.ID, IdempotencyKey: x.key()})
		return err
	})
	must(t, err)
	// The statement, refused; BEGIN, the key with the transfer locked, the levels,
	// the step, COMMIT.
	if n != 6 {
		t.Errorf("%d statements, want 6", n)
	}
	for i, want := range []stock{{Incoming: 3}, {Incoming: 2}} {
		if got := x.level(x.partnerShop, ps[i]); got != want {
			t.Errorf("product %d at the shop: %+v, want %+v", i, got, want)
		}
	}
	x.checkLedger()
}

// destinationLevelsMigration is the version of the migration that makes the
// destination levels of transfers approved before approval made them.
const destinationLevelsMigration = 46

// Migration 00046 makes the missing destination levels of every line still to ship
// of an APPROVED or SHIPPED transfer, and no other.
func TestDestinationLevelsMigration(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	ps := x.newProducts(7, "移行")
	x.offer(q(ps[0], 1))
	part := x.offer(q(ps[1], 2), q(ps[2], 2))
	_, err := x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: part.ID,
		Lines: []tsunagu.TransferQuantity{q(ps[1], 2)}, IdempotencyKey: x.key()})
	must(t, err)
	_, err = x.svc.RequestTransfer(x.otherClerk, tsunagu.RequestTransferInput{FromLocationID: x.warehouse.ID,
		ToLocationID: x.partnerShop.ID, Lines: []tsunagu.TransferQuantity{q(ps[3], 1)}, IdempotencyKey: x.key()})
	must(t, err)
	cancelled := x.offer(q(ps[4], 1))
	_, err = x.svc.CancelTransfer(x.manager, tsunagu.CancelTransferInput{TransferID: cancelled.ID, Reason: "不要", IdempotencyKey: x.key()})
	must(t, err)
	lowered, err := x.svc.RequestTransfer(x.otherClerk, tsunagu.RequestTransferInput{FromLocationID: x.warehouse.ID,
		ToLocationID: x.partnerShop.ID, Lines: []tsunagu.TransferQuantity{q(ps[5], 1), q(ps[6], 1)}, IdempotencyKey: x.key()})
	must(t, err)
	_, err = x.svc.ApproveTransfer(x.manager, tsunagu.ApproveTransferInput{TransferID: lowered.ID,
		Lines: []tsunagu.TransferQuantity{q(ps[5], 0)}, IdempotencyKey: x.key()})
	must(t, err)
	want := ids(ps[0], ps[2], ps[6])
	if got, all := x.emptyLevels(t, x.partnerShop), ids(ps[0], ps[2], ps[4], ps[6]); !slices.Equal(got, all) {
		t.Errorf("empty levels made by approval %v, want %v (with the cancelled offer's)", got, all)
	}

	x.dropEmptyLevels(t, x.partnerShop)
	p, err := goose.NewProvider(goose.DialectPostgres, x.db.SQL(), os.DirFS("../../migrations"))
	must(t, err)
	ctx := context.Background()
	_, err = p.ApplyVersion(ctx, destinationLevelsMigration, false)
	must(t, err)
	_, err = p.ApplyVersion(ctx, destinationLevelsMigration, true)
	must(t, err)
	if got := x.emptyLevels(t, x.partnerShop); !slices.Equal(got, want) {
		t.Errorf("empty levels made by the migration %v, want %v", got, want)
	}
	if got, want := x.level(x.partnerShop, ps[1]), (stock{Incoming: 2}); got != want {
		t.Errorf("the shipped line's level %+v, want %+v", got, want)
	}
	x.checkLedger()
}

// Approvals making the same levels at one destination, in different line orders,
// while other transfers ship there and its stock is adjusted, neither deadlock nor
// fail: approval only inserts levels, in key order, as shipments and adjustments do
// before they lock any.
func TestApprovalsConcurrent(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	const workers, rounds = 8, 4
	ps := x.newProducts(4, "同時")
	for _, p := range ps {
		x.mustPut(x.warehouse, p, workers*rounds*2)
	}
	stock := postgres.NewStockService(x.db)
	errs := make(chan error, workers*rounds*3)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for r := range rounds {
				lines := make([]tsunagu.TransferQuantity, len(ps))
				for i := range ps {
					lines[i] = q(ps[(i+w+r)%len(ps)], 1)
				}
				if w%2 == 1 {
					slices.Reverse(lines)
				}
				var tr *tsunagu.Transfer
				var err error
				if (w+r)%2 == 0 {
					tr, err = x.svc.RequestTransfer(x.manager, tsunagu.RequestTransferInput{FromLocationID: x.warehouse.ID,
						ToLocationID: x.partnerShop.ID, Lines: lines, IdempotencyKey: x.key()})
				} else {
					tr, err = x.svc.RequestTransfer(x.otherClerk, tsunagu.RequestTransferInput{FromLocationID: x.warehouse.ID,
						ToLocationID: x.partnerShop.ID, Lines: lines, IdempotencyKey: x.key()})
					if err == nil {
						tr, err = x.svc.ApproveTransfer(x.manager, tsunagu.ApproveTransferInput{TransferID: tr.ID, IdempotencyKey: x.key()})
					}
				}
				if err != nil {
					errs <- fmt.Errorf("approve: %w", err)
					continue
				}
				if _, err := x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID, IdempotencyKey: x.key()}); err != nil {
					errs <- fmt.Errorf("ship: %w", err)
				}
				_, err = stock.AdjustStock(x.otherManager, tsunagu.AdjustStockInput{LocationID: x.partnerShop.ID,
					ProductID: ps[(w+2*r)%len(ps)].ID, Quantity: 1, Reason: tsunagu.ReasonFound, IdempotencyKey: x.key()})
				if err != nil {
					errs <- fmt.Errorf("adjust: %w", err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, p := range ps {
		if got := x.level(x.partnerShop, p); got.Incoming != workers*rounds {
			t.Errorf("product %d at the shop: %+v, want %d incoming", p.ID, got, workers*rounds)
		}
	}
	x.checkLedger()
}

// BenchmarkFirstShipment5Lines measures shipping a 5-line transfer in full to a
// destination that has never had any of its products (a first shipment: a new
// warehouse of the partner each time), and receiving it; making the destinations,
// the transfers and the stock is outside the timer.
func BenchmarkFirstShipment5Lines(b *testing.B) {
	sys := tsunagu.WithUser(context.Background(), &tsunagu.User{Role: tsunagu.RoleAdmin}, "")
	benchShipReceive5Lines(b, func(x *exchangeWorld, i int) (*tsunagu.Location, context.Context) {
		return x.location(sys, x.partner, tsunagu.LocationWarehouse, fmt.Sprintf("倉庫%d", i)), x.otherManager
	})
}
