package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

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

// First shipments of the same products to one destination, in different line
// orders, approved and shipped while its stock is adjusted, neither deadlock nor
// fail: the levels a shipment lacks are made (destinationLevels, or createLevels in
// the transaction) in key order before any level is locked, as adjustments make
// theirs.
func TestFirstShipmentsConcurrent(t *testing.T) {
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
