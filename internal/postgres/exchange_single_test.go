package postgres_test

import (
	"context"
	"testing"

	"tsunagu/internal/tsunagu"
)

// Shipping everything and receiving everything are one statement each once the
// destination has the products' levels; the first shipment, which makes them, is
// three (the statement refused, the levels, the statement again), and a receipt of a
// transfer not wholly shipped takes the transaction. Both ways leave the same stock,
// lines, status and ledger.
func TestShipReceiveAllInOneStatement(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	x.mustPut(x.warehouse, x.cookies, 20)
	x.mustPut(x.warehouse, x.jam, 20)
	ship := func(tr *tsunagu.Transfer, key string) (*tsunagu.Transfer, int64) {
		t.Helper()
		var out *tsunagu.Transfer
		n, err := statementsOf(x.manager, func(ctx context.Context) (err error) {
			out, err = x.svc.ShipTransfer(ctx, tsunagu.ShipTransferInput{TransferID: tr.ID, Carrier: "ヤマト運輸", IdempotencyKey: key})
			return err
		})
		must(t, err)
		return out, n
	}
	receive := func(tr *tsunagu.Transfer, key string) (*tsunagu.Transfer, int64) {
		t.Helper()
		var out *tsunagu.Transfer
		n, err := statementsOf(x.otherClerk, func(ctx context.Context) (err error) {
			out, err = x.svc.ReceiveTransfer(ctx, tsunagu.ReceiveTransferInput{TransferID: tr.ID, IdempotencyKey: key})
			return err
		})
		must(t, err)
		return out, n
	}

	// The first shipment to the partner shop makes its levels: the statement
	// refuses, the levels are made, the statement runs again.
	first := x.offer(q(x.cookies, 3), q(x.jam, 2))
	if out, n := ship(first, x.key()); n != 3 || out.Status != tsunagu.TransferShipped {
		t.Errorf("first shipment: %d statements, status %s; want 3, SHIPPED", n, out.Status)
	}
	if got, want := x.level(x.partnerShop, x.jam), (stock{Incoming: 2}); got != want {
		t.Errorf("jam at the shop: %+v, want %+v", got, want)
	}
	if out, n := receive(first, x.key()); n != 1 || out.Status != tsunagu.TransferReceived {
		t.Errorf("receipt: %d statements, status %s; want 1, RECEIVED", n, out.Status)
	}

	tr := x.offer(q(x.cookies, 4), q(x.jam, 1))
	key := x.key()
	out, n := ship(tr, key)
	if n != 1 || out.Status != tsunagu.TransferShipped || out.ID != tr.ID {
		t.Errorf("shipment: %d statements, %+v; want 1, SHIPPED", n, out)
	}
	if got, want := x.level(x.warehouse, x.cookies), (stock{OnHand: 13}); got != want {
		t.Errorf("cookies at the warehouse: %+v, want %+v", got, want)
	}
	if got, want := x.level(x.partnerShop, x.cookies), (stock{OnHand: 3, Incoming: 4}); got != want {
		t.Errorf("cookies at the shop: %+v, want %+v", got, want)
	}
	// A retry returns the transfer and changes nothing.
	before := x.snapshot()
	if again, _ := ship(tr, key); again.ID != tr.ID || again.Status != tsunagu.TransferShipped {
		t.Errorf("retry: %+v", again)
	}
	x.unchanged(before)

	out, n = receive(tr, x.key())
	if n != 1 || out.Status != tsunagu.TransferReceived {
		t.Errorf("receipt: %d statements, status %s; want 1, RECEIVED", n, out.Status)
	}
	if got, want := x.level(x.partnerShop, x.cookies), (stock{OnHand: 7}); got != want {
		t.Errorf("cookies at the shop: %+v, want %+v", got, want)
	}
	for p, l := range x.lines(x.manager, tr.ID) {
		if l.Shipped != l.Approved || l.Received != l.Shipped {
			t.Errorf("line of %d: %+v", p, l)
		}
	}

	// Part shipped: receiving it leaves the transfer SHIPPED, through the transaction.
	part := x.offer(q(x.cookies, 2), q(x.jam, 2))
	_, err := x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: part.ID,
		Lines: []tsunagu.TransferQuantity{q(x.cookies, 2)}, IdempotencyKey: x.key()})
	must(t, err)
	if out, n := receive(part, x.key()); n != 5 || out.Status != tsunagu.TransferShipped {
		t.Errorf("receipt of a part: %d statements, status %s; want 5, SHIPPED", n, out.Status)
	}
	// The rest ships in one statement.
	if out, n := ship(part, x.key()); n != 1 || out.Status != tsunagu.TransferShipped {
		t.Errorf("the rest: %d statements, status %s; want 1, SHIPPED", n, out.Status)
	}
	if l := x.lines(x.manager, part.ID)[x.jam.ID]; l.Shipped != 2 || l.Received != 0 {
		t.Errorf("jam line: %+v", l)
	}

	// Refused in the statement, then by the transaction with its own code:
	// nothing at the source.
	x.mustPut(x.warehouse, x.jam, -x.level(x.warehouse, x.jam).OnHand)
	short := x.offer(q(x.cookies, 1), q(x.jam, 1))
	before = x.snapshot()
	_, err = x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: short.ID, IdempotencyKey: x.key()})
	x.refused(t, before, err, tsunagu.CodeInsufficientStock, "input.transferId")
	x.checkLedger()
}

// A first shipment of a product to a destination that is refused makes no level
// there: the levels are made only for a shipment that would go ahead.
func TestFirstShipmentRefusedMakesNoLevel(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	x.mustPut(x.warehouse, x.cookies, 5)
	x.mustPut(x.warehouse, x.jam, 5)
	ship := func(ctx context.Context, tr *tsunagu.Transfer, key string) error {
		_, err := x.svc.ShipTransfer(ctx, tsunagu.ShipTransferInput{TransferID: tr.ID, Carrier: "ヤマト運輸", IdempotencyKey: key})
		return err
	}
	t.Run("ErrInsufficientStock", func(t *testing.T) {
		tr := x.offer(q(x.cookies, 3), q(x.jam, 2))
		x.mustPut(x.warehouse, x.jam, -4) // 1 left of the 2 approved
		before := x.snapshot()
		x.refused(t, before, ship(x.manager, tr, x.key()), tsunagu.CodeInsufficientStock, "input.transferId")
		x.mustPut(x.warehouse, x.jam, 4)
	})
	t.Run("ErrIdempotencyConflict", func(t *testing.T) {
		key := x.key()
		other := x.offer(q(x.cookies, 1))
		tr := x.offer(q(x.cookies, 3), q(x.jam, 2))
		_, err := x.svc.CancelTransfer(x.manager, tsunagu.CancelTransferInput{TransferID: other.ID, Reason: "取りやめ", IdempotencyKey: key})
		must(t, err)
		before := x.snapshot()
		x.refused(t, before, ship(x.manager, tr, key), tsunagu.CodeIdempotencyConflict, "input.idempotencyKey")
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		tr := x.offer(q(x.cookies, 1))
		before := x.snapshot()
		// The destination's manager sees the transfer but may not ship it.
		err := ship(x.otherManager, tr, x.key())
		if code := tsunagu.ErrorCode(err); code != tsunagu.CodeForbidden {
			t.Fatalf("code %q (%v), want FORBIDDEN", code, err)
		}
		if after := x.snapshot(); after != before {
			t.Errorf("the database changed:\nbefore %s\nafter  %s", before, after)
		}
	})
	if got := x.level(x.partnerShop, x.cookies); got != (stock{}) {
		t.Errorf("cookies at the shop: %+v, want none", got)
	}
	var n int
	must(t, x.db.SQL().QueryRow(`SELECT count(*) FROM stock_levels WHERE location_id = $1`, x.partnerShop.ID).Scan(&n))
	if n != 0 {
		t.Errorf("%d levels at the partner shop, want none", n)
	}
	x.checkLedger()
}
