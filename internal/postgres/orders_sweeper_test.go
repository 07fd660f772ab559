package postgres_test

import (
	"context"
	"testing"
	"time"
)

// RunSweeper releases the reservations that have expired and reports how many to
// Expired (the metrics' tsunagu_reservations_expired_total).
func TestRunSweeperReportsExpired(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	o, err := w.orders.Checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.jam, 1)))
	must(t, err)
	wantLevel(t, w, w.homeShop, w.jam, 5, 1)
	// The order's half hour has passed (moved back in the database, not waited for).
	_, err = w.db.SQL().Exec(`UPDATE orders SET reserved_until = now() - interval '1 second' WHERE id = $1`, o.Order.ID)
	must(t, err)
	reported := make(chan int, 10)
	w.orders.Expired = func(n int) { reported <- n }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.orders.RunSweeper(ctx, time.Hour) // its first round runs at once
	select {
	case n := <-reported:
		if n != 1 {
			t.Errorf("Expired(%d), want 1", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the sweeper reported nothing")
	}
	wantLevel(t, w, w.homeShop, w.jam, 5, 0)
}
