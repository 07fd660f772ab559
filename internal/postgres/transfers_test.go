package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// exchangeWorld is a world with the transfer service. Its stock is put in place
// through the ledger (a level and a movement written together), so that checkLedger
// holds from the start.
type exchangeWorld struct {
	*world
	svc  *postgres.TransferService
	keys atomic.Int64
}

func newExchangeWorld(t testing.TB) *exchangeWorld {
	t.Helper()
	w := newWorld(t)
	return &exchangeWorld{world: w, svc: postgres.NewTransferService(w.db)}
}

// key returns a new idempotency key.
func (x *exchangeWorld) key() string { return fmt.Sprintf("key-%d", x.keys.Add(1)) }

// put changes the stock on hand of p at loc by q (PRODUCTION in, DAMAGED out), with
// its ledger row, and reports whether it could: stock never goes below what is
// reserved. Safe to call from many goroutines.
func (x *exchangeWorld) put(loc *tsunagu.Location, p *tsunagu.Product, q int) (bool, error) {
	ctx := context.Background()
	_, err := x.db.SQL().ExecContext(ctx, `
		INSERT INTO stock_levels (product_id, location_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, p.ID, loc.ID)
	if err != nil {
		return false, err
	}
	var n int
	err = x.db.SQL().QueryRowContext(ctx, `
		WITH u AS (
			UPDATE stock_levels SET on_hand = on_hand + $3, updated_at = now()
			WHERE product_id = $1 AND location_id = $2 AND on_hand + $3 >= reserved
			RETURNING product_id
		), m AS (
			INSERT INTO stock_movements (product_id, location_id, owner_facility_id, bucket, quantity,
				reason, document_type, document_id)
			SELECT $1, $2, $4, 'ON_HAND', $3, CASE WHEN $3 > 0 THEN 'PRODUCTION' ELSE 'DAMAGED' END, 'ADJUSTMENT', 0
			FROM u
		)
		SELECT count(*) FROM u`, p.ID, loc.ID, q, p.FacilityID).Scan(&n)
	return n == 1, err
}

func (x *exchangeWorld) mustPut(loc *tsunagu.Location, p *tsunagu.Product, q int) {
	x.t.Helper()
	ok, err := x.put(loc, p, q)
	must(x.t, err)
	if !ok {
		x.t.Fatalf("cannot put %d of %d at %s", q, p.ID, loc.Name)
	}
}

// stock is a level's on hand and incoming.
type stock struct{ OnHand, Incoming int }

func (x *exchangeWorld) level(loc *tsunagu.Location, p *tsunagu.Product) stock {
	x.t.Helper()
	var s stock
	err := x.db.SQL().QueryRowContext(context.Background(), `
		SELECT coalesce((SELECT on_hand FROM stock_levels WHERE product_id = $1 AND location_id = $2), 0),
			coalesce((SELECT incoming FROM stock_levels WHERE product_id = $1 AND location_id = $2), 0)`,
		p.ID, loc.ID).Scan(&s.OnHand, &s.Incoming)
	must(x.t, err)
	return s
}

// lines returns a transfer's lines as ctx sees them, by product.
func (x *exchangeWorld) lines(ctx context.Context, id tsunagu.TransferID) map[tsunagu.ProductID]tsunagu.TransferLine {
	x.t.Helper()
	ls, err := x.svc.TransferLines(ctx, []tsunagu.TransferID{id})
	must(x.t, err)
	out := map[tsunagu.ProductID]tsunagu.TransferLine{}
	for _, l := range ls[id] {
		out[l.ProductID] = *l
	}
	return out
}

// offer makes an approved transfer from the home warehouse to the partner shop,
// offered by the home manager.
func (x *exchangeWorld) offer(lines ...tsunagu.TransferQuantity) *tsunagu.Transfer {
	x.t.Helper()
	tr, err := x.svc.RequestTransfer(x.manager, tsunagu.RequestTransferInput{FromLocationID: x.warehouse.ID,
		ToLocationID: x.partnerShop.ID, Lines: lines, IdempotencyKey: x.key()})
	must(x.t, err)
	return tr
}

// refused asserts that err has code and field and that the database is as before.
func (x *exchangeWorld) refused(t *testing.T, before string, err error, code tsunagu.Code, field string) {
	t.Helper()
	if got := tsunagu.ErrorCode(err); got != code {
		t.Fatalf("code %q (%v), want %q", got, err, code)
	}
	if errs := tsunagu.UserErrors(err); len(errs) == 0 || errs[0].Field != field {
		t.Errorf("field of %v, want %q", err, field)
	}
	if after := x.snapshot(); after != before {
		t.Errorf("the database changed:\nbefore %s\nafter  %s", before, after)
	}
}

func userID(ctx context.Context) tsunagu.UserID { return tsunagu.UserFrom(ctx).ID }

func q(p *tsunagu.Product, n int) tsunagu.TransferQuantity {
	return tsunagu.TransferQuantity{ProductID: p.ID, Quantity: n}
}

func TestTransferLifecycle(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	x.mustPut(x.warehouse, x.cookies, 100)
	x.mustPut(x.warehouse, x.jam, 50)

	// The partner shop's clerk asks for the home facility's goods.
	tr, err := x.svc.RequestTransfer(x.otherClerk, tsunagu.RequestTransferInput{FromLocationID: x.warehouse.ID,
		ToLocationID: x.partnerShop.ID, Note: " 年末セール用 ", Lines: []tsunagu.TransferQuantity{q(x.cookies, 10), q(x.jam, 5)},
		IdempotencyKey: x.key()})
	must(t, err)
	want := &tsunagu.Transfer{ID: tr.ID, FromLocationID: x.warehouse.ID, ToLocationID: x.partnerShop.ID,
		FromMunicipalityID: x.home.ID, ToMunicipalityID: x.partner.ID, Status: tsunagu.TransferRequested,
		Note: "年末セール用", CreatedBy: userID(x.otherClerk), CreatedAt: tr.CreatedAt, UpdatedAt: tr.UpdatedAt, Version: 1}
	if diff := cmp.Diff(want, tr); diff != "" {
		t.Errorf("requested transfer (-want +got):\n%s", diff)
	}
	line := func(p *tsunagu.Product, requested, approved, shipped, received, short int) tsunagu.TransferLine {
		return tsunagu.TransferLine{TransferID: tr.ID, ProductID: p.ID, OwnerFacilityID: p.FacilityID, Requested: requested,
			Approved: approved, Shipped: shipped, Received: received, Short: short, UnitPrice: p.Price}
	}
	wantLines := func(step string, ls ...tsunagu.TransferLine) {
		t.Helper()
		want := map[tsunagu.ProductID]tsunagu.TransferLine{}
		for _, l := range ls {
			want[l.ProductID] = l
		}
		if diff := cmp.Diff(want, x.lines(x.admin, tr.ID)); diff != "" {
			t.Errorf("lines after %s (-want +got):\n%s", step, diff)
		}
	}
	wantLines("request", line(x.cookies, 10, 0, 0, 0, 0), line(x.jam, 5, 0, 0, 0, 0))

	// The source approves fewer cookies than asked.
	tr, err = x.svc.ApproveTransfer(x.manager, tsunagu.ApproveTransferInput{TransferID: tr.ID,
		Lines: []tsunagu.TransferQuantity{q(x.cookies, 8)}, Note: "8箱まで", IdempotencyKey: x.key()})
	must(t, err)
	if tr.Status != tsunagu.TransferApproved {
		t.Errorf("status %s after approval", tr.Status)
	}
	wantLines("approval", line(x.cookies, 10, 8, 0, 0, 0), line(x.jam, 5, 5, 0, 0, 0))

	// A first parcel of cookies.
	tr, err = x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID,
		Lines: []tsunagu.TransferQuantity{q(x.cookies, 5)}, Carrier: "ヤマト運輸", TrackingNumber: "1234-5678-9012",
		IdempotencyKey: x.key()})
	must(t, err)
	if tr.Status != tsunagu.TransferShipped {
		t.Errorf("status %s after shipping", tr.Status)
	}
	wantLines("first shipment", line(x.cookies, 10, 8, 5, 0, 0), line(x.jam, 5, 5, 0, 0, 0))
	if got, want := x.level(x.warehouse, x.cookies), (stock{95, 0}); got != want {
		t.Errorf("warehouse cookies %+v, want %+v", got, want)
	}
	if got, want := x.level(x.partnerShop, x.cookies), (stock{0, 5}); got != want {
		t.Errorf("partner shop cookies %+v, want %+v", got, want)
	}

	// Two boxes arrive crushed.
	damaged := tsunagu.ShortDamagedInTransit
	tr, err = x.svc.ReceiveTransfer(x.otherClerk, tsunagu.ReceiveTransferInput{TransferID: tr.ID,
		Lines: []tsunagu.ReceiptLineInput{{ProductID: x.cookies.ID, Accepted: 3, Short: 2, ShortReason: &damaged,
			Note: " 箱がつぶれていた "}}, IdempotencyKey: x.key()})
	must(t, err)
	if tr.Status != tsunagu.TransferShipped {
		t.Errorf("status %s after a partial receipt, want SHIPPED", tr.Status)
	}
	wantLines("first receipt", line(x.cookies, 10, 8, 5, 3, 2), line(x.jam, 5, 5, 0, 0, 0))
	if got, want := x.level(x.partnerShop, x.cookies), (stock{3, 0}); got != want {
		t.Errorf("partner shop cookies %+v, want %+v", got, want)
	}

	// The rest ships and arrives whole.
	tr, err = x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID, IdempotencyKey: x.key()})
	must(t, err)
	wantLines("second shipment", line(x.cookies, 10, 8, 8, 3, 2), line(x.jam, 5, 5, 5, 0, 0))
	tr, err = x.svc.ReceiveTransfer(x.otherClerk, tsunagu.ReceiveTransferInput{TransferID: tr.ID, IdempotencyKey: x.key()})
	must(t, err)
	if tr.Status != tsunagu.TransferReceived {
		t.Errorf("status %s after everything arrived, want RECEIVED", tr.Status)
	}
	wantLines("second receipt", line(x.cookies, 10, 8, 8, 6, 2), line(x.jam, 5, 5, 5, 5, 0))
	for _, c := range []struct {
		loc  *tsunagu.Location
		p    *tsunagu.Product
		want stock
	}{
		{x.warehouse, x.cookies, stock{92, 0}}, {x.warehouse, x.jam, stock{45, 0}},
		{x.partnerShop, x.cookies, stock{6, 0}}, {x.partnerShop, x.jam, stock{5, 0}},
	} {
		if got := x.level(c.loc, c.p); got != c.want {
			t.Errorf("%s at %s: %+v, want %+v", c.p.Name(), c.loc.Name, got, c.want)
		}
	}

	t.Run("History", func(t *testing.T) {
		evs, err := x.svc.TransferEvents(x.otherManager, []tsunagu.TransferID{tr.ID})
		must(t, err)
		type ev struct {
			Type  tsunagu.TransferEventType
			Actor tsunagu.UserID
			Note  string
		}
		var got []ev
		for _, e := range evs[tr.ID] {
			got = append(got, ev{e.Type, e.ActorID, e.Note})
			if e.At.IsZero() {
				t.Errorf("event %s has no time", e.Type)
			}
		}
		want := []ev{
			{tsunagu.EventRequested, userID(x.otherClerk), "年末セール用"},
			{tsunagu.EventApproved, userID(x.manager), "8箱まで"},
			{tsunagu.EventShipped, userID(x.manager), "carrier ヤマト運輸, tracking number 1234-5678-9012"},
			{tsunagu.EventReceived, userID(x.otherClerk), "2 クッキー short (DAMAGED_IN_TRANSIT): 箱がつぶれていた"},
			{tsunagu.EventShipped, userID(x.manager), ""},
			{tsunagu.EventReceived, userID(x.otherClerk), ""},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})

	t.Run("ShipmentsAndReceipts", func(t *testing.T) {
		shs, err := x.svc.TransferShipments(x.otherClerk, []tsunagu.TransferID{tr.ID})
		must(t, err)
		if len(shs[tr.ID]) != 2 {
			t.Fatalf("%d shipments, want 2", len(shs[tr.ID]))
		}
		first := shs[tr.ID][0]
		if first.Carrier != "ヤマト運輸" || first.TrackingNumber != "1234-5678-9012" || first.ShippedBy != userID(x.manager) {
			t.Errorf("first shipment %+v", first)
		}
		if diff := cmp.Diff([]tsunagu.TransferQuantity{q(x.cookies, 3), q(x.jam, 5)}, shs[tr.ID][1].Lines); diff != "" {
			t.Errorf("second shipment's lines (-want +got):\n%s", diff)
		}
		rcs, err := x.svc.TransferReceipts(x.manager, []tsunagu.TransferID{tr.ID})
		must(t, err)
		if len(rcs[tr.ID]) != 2 {
			t.Fatalf("%d receipts, want 2", len(rcs[tr.ID]))
		}
		want := []tsunagu.ReceiptLineInput{{ProductID: x.cookies.ID, Accepted: 3, Short: 2, ShortReason: &damaged, Note: "箱がつぶれていた"}}
		if diff := cmp.Diff(want, rcs[tr.ID][0].Lines); diff != "" {
			t.Errorf("first receipt's lines (-want +got):\n%s", diff)
		}
		if rcs[tr.ID][0].ReceivedBy != userID(x.otherClerk) {
			t.Errorf("received by %d", rcs[tr.ID][0].ReceivedBy)
		}
	})

	// The discrepancy stays on the line, for both municipalities to see.
	t.Run("DiscrepancyVisibleToBothSides", func(t *testing.T) {
		for name, ctx := range map[string]context.Context{"source manager": x.manager, "destination manager": x.otherManager,
			"destination clerk": x.otherClerk, "admin": x.admin} {
			if l := x.lines(ctx, tr.ID)[x.cookies.ID]; l.Short != 2 || l.Received != 6 {
				t.Errorf("%s sees cookies %+v, want 6 received and 2 short", name, l)
			}
		}
		// The home shop's clerk has nothing to do with it.
		if ls := x.lines(x.clerk, tr.ID); len(ls) != 0 {
			t.Errorf("another shop's clerk sees the lines: %v", ls)
		}
		ts, err := x.svc.TransfersByID(x.clerk, []tsunagu.TransferID{tr.ID})
		must(t, err)
		if len(ts) != 0 {
			t.Errorf("another shop's clerk sees the transfer")
		}
	})

	// The ledger tells what happened, and the goods stay the facility's (consignment).
	t.Run("Ledger", func(t *testing.T) {
		type row struct {
			Location, Product   int64
			Bucket, Reason      string
			Quantity, NotOwners int
		}
		rows, err := x.db.SQL().QueryContext(context.Background(), `
			SELECT location_id, product_id, bucket, reason, sum(quantity), count(*) FILTER (WHERE owner_facility_id <> $2)
			FROM stock_movements WHERE document_type = 'TRANSFER' AND document_id = $1
			GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`, tr.ID, x.homeFac.ID)
		must(t, err)
		defer rows.Close()
		var got []row
		for rows.Next() {
			var r row
			must(t, rows.Scan(&r.Location, &r.Product, &r.Bucket, &r.Reason, &r.Quantity, &r.NotOwners))
			got = append(got, r)
		}
		must(t, rows.Err())
		wh, ps, c, j := int64(x.warehouse.ID), int64(x.partnerShop.ID), int64(x.cookies.ID), int64(x.jam.ID)
		want := []row{
			{ps, c, "INCOMING", "IN_TRANSIT", 8, 0}, {ps, c, "INCOMING", "TRANSFER_IN", -6, 0},
			{ps, c, "INCOMING", "TRANSIT_LOSS", -2, 0}, {ps, c, "ON_HAND", "TRANSFER_IN", 6, 0},
			{ps, j, "INCOMING", "IN_TRANSIT", 5, 0}, {ps, j, "INCOMING", "TRANSFER_IN", -5, 0},
			{ps, j, "ON_HAND", "TRANSFER_IN", 5, 0},
			{wh, c, "ON_HAND", "TRANSFER_OUT", -8, 0}, {wh, j, "ON_HAND", "TRANSFER_OUT", -5, 0},
		}
		slices.SortFunc(want, func(a, b row) int {
			return cmpRow(a.Location, b.Location, a.Product, b.Product, a.Bucket, b.Bucket, a.Reason, b.Reason)
		})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("movements (-want +got):\n%s", diff)
		}
	})
	x.checkLedger()
}

func cmpRow(l1, l2, p1, p2 int64, b1, b2, r1, r2 string) int {
	switch {
	case l1 != l2:
		return int(l1 - l2)
	case p1 != p2:
		return int(p1 - p2)
	case b1 != b2:
		if b1 < b2 {
			return -1
		}
		return 1
	case r1 < r2:
		return -1
	case r1 > r2:
		return 1
	}
	return 0
}

func TestTransferOffer(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	x.mustPut(x.warehouse, x.cookies, 10)
	tr := x.offer(q(x.cookies, 4))
	if tr.Status != tsunagu.TransferApproved || tr.CreatedBy != userID(x.manager) {
		t.Errorf("offer %+v, want APPROVED by the manager", tr)
	}
	if l := x.lines(x.manager, tr.ID)[x.cookies.ID]; l.Approved != 4 || l.Requested != 4 {
		t.Errorf("offered line %+v, want 4 approved", l)
	}
	evs, err := x.svc.TransferEvents(x.otherClerk, []tsunagu.TransferID{tr.ID})
	must(t, err)
	if len(evs[tr.ID]) != 1 || evs[tr.ID][0].Type != tsunagu.EventOffered {
		t.Errorf("events %+v, want one OFFERED", evs[tr.ID])
	}
	// An offer ships without approval.
	tr, err = x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID, IdempotencyKey: x.key()})
	must(t, err)
	tr, err = x.svc.ReceiveTransfer(x.otherManager, tsunagu.ReceiveTransferInput{TransferID: tr.ID, IdempotencyKey: x.key()})
	must(t, err)
	if tr.Status != tsunagu.TransferReceived {
		t.Errorf("status %s, want RECEIVED", tr.Status)
	}
	x.checkLedger()
}

func TestTransferPermissions(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	x.mustPut(x.warehouse, x.cookies, 100)
	x.mustPut(x.partnerShop, x.spoon, 10)
	third := &tsunagu.Municipality{Code: "011002", Name: "札幌市", Prefecture: "北海道"}
	must(t, x.catalog.CreateMunicipality(x.admin, third))
	thirdManager := x.user(x.admin, "thirdmanager", postgres.NewUserInput{Role: tsunagu.RoleManager, MunicipalityID: &third.ID})
	customer := tsunagu.WithUser(context.Background(), &tsunagu.User{ID: 999, Role: tsunagu.RoleCustomer}, "")
	anonymous := context.Background()

	request := func(ctx context.Context, from, to *tsunagu.Location, p *tsunagu.Product) (*tsunagu.Transfer, error) {
		return x.svc.RequestTransfer(ctx, tsunagu.RequestTransferInput{FromLocationID: from.ID, ToLocationID: to.ID,
			Lines: []tsunagu.TransferQuantity{q(p, 2)}, IdempotencyKey: x.key()})
	}
	approve := func(ctx context.Context, id tsunagu.TransferID) error {
		_, err := x.svc.ApproveTransfer(ctx, tsunagu.ApproveTransferInput{TransferID: id, IdempotencyKey: x.key()})
		return err
	}
	ship := func(ctx context.Context, id tsunagu.TransferID) error {
		_, err := x.svc.ShipTransfer(ctx, tsunagu.ShipTransferInput{TransferID: id, IdempotencyKey: x.key()})
		return err
	}
	receive := func(ctx context.Context, id tsunagu.TransferID) error {
		_, err := x.svc.ReceiveTransfer(ctx, tsunagu.ReceiveTransferInput{TransferID: id, IdempotencyKey: x.key()})
		return err
	}
	cancel := func(ctx context.Context, id tsunagu.TransferID) error {
		_, err := x.svc.CancelTransfer(ctx, tsunagu.CancelTransferInput{TransferID: id, Reason: "不要", IdempotencyKey: x.key()})
		return err
	}

	t.Run("Request", func(t *testing.T) {
		for _, c := range []struct {
			name string
			ctx  context.Context
			code tsunagu.Code
		}{
			{"HomeClerkForAnotherShop", x.clerk, tsunagu.CodeForbidden},
			{"ThirdMunicipality", thirdManager, tsunagu.CodeForbidden},
			{"Customer", customer, tsunagu.CodeForbidden},
			{"Anonymous", anonymous, tsunagu.CodeUnauthenticated},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := x.snapshot()
				_, err := request(c.ctx, x.warehouse, x.partnerShop, x.cookies)
				x.refused(t, before, err, c.code, "")
			})
		}
		t.Run("DestinationManagerRequests", func(t *testing.T) {
			tr, err := request(x.otherManager, x.warehouse, x.partnerShop, x.cookies)
			must(t, err)
			if tr.Status != tsunagu.TransferRequested {
				t.Errorf("status %s, want REQUESTED", tr.Status)
			}
		})
		t.Run("AdminRequests", func(t *testing.T) {
			tr, err := request(x.admin, x.warehouse, x.partnerShop, x.cookies)
			must(t, err)
			if tr.Status != tsunagu.TransferRequested {
				t.Errorf("status %s, want REQUESTED: an admin's transfer still needs its approval", tr.Status)
			}
		})
	})

	// A request from the partner shop for the home warehouse's cookies, and one from
	// the home shop's clerk for the partner shop's spoons.
	tr, err := request(x.otherClerk, x.warehouse, x.partnerShop, x.cookies)
	must(t, err)
	spoons, err := request(x.clerk, x.partnerShop, x.homeShop, x.spoon)
	must(t, err)

	steps := []struct {
		name  string
		ctx   context.Context
		do    func(context.Context, tsunagu.TransferID) error
		id    tsunagu.TransferID
		code  tsunagu.Code
		field string
	}{
		{"ApproveByDestinationClerk", x.otherClerk, approve, tr.ID, tsunagu.CodeForbidden, ""},
		{"ApproveByDestinationManager", x.otherManager, approve, tr.ID, tsunagu.CodeForbidden, ""},
		{"ApproveByAnotherShopsClerk", x.clerk, approve, tr.ID, tsunagu.CodeNotFound, ""},
		{"ApproveByThirdMunicipality", thirdManager, approve, tr.ID, tsunagu.CodeNotFound, ""},
		{"ApproveByCustomer", customer, approve, tr.ID, tsunagu.CodeForbidden, ""},
		{"ApproveAnonymous", anonymous, approve, tr.ID, tsunagu.CodeUnauthenticated, ""},
		{"ApproveUnknown", x.admin, approve, 999999, tsunagu.CodeNotFound, ""},
		{"ApproveBySourceShopClerk", x.otherClerk, approve, spoons.ID, tsunagu.CodeForbidden, ""},
		{"ShipBeforeApproval", x.manager, ship, tr.ID, tsunagu.CodeInvalidState, "input.transferId"},
		{"ReceiveBeforeApproval", x.otherClerk, receive, tr.ID, tsunagu.CodeInvalidState, "input.transferId"},
		{"Approve", x.manager, approve, tr.ID, "", ""},
		{"ApproveTwice", x.manager, approve, tr.ID, tsunagu.CodeInvalidState, "input.transferId"},
		{"ShipByDestinationClerk", x.otherClerk, ship, tr.ID, tsunagu.CodeForbidden, ""},
		{"ShipByDestinationManager", x.otherManager, ship, tr.ID, tsunagu.CodeForbidden, ""},
		{"ShipByThirdMunicipality", thirdManager, ship, tr.ID, tsunagu.CodeNotFound, ""},
		{"ShipAnonymous", anonymous, ship, tr.ID, tsunagu.CodeUnauthenticated, ""},
		{"ReceiveBeforeShipping", x.otherClerk, receive, tr.ID, tsunagu.CodeInvalidState, "input.transferId"},
		{"Ship", x.manager, ship, tr.ID, "", ""},
		{"CancelAfterShipping", x.manager, cancel, tr.ID, tsunagu.CodeInvalidState, "input.transferId"},
		{"CancelAfterShippingByDestination", x.otherClerk, cancel, tr.ID, tsunagu.CodeInvalidState, "input.transferId"},
		{"ReceiveBySourceManager", x.manager, receive, tr.ID, tsunagu.CodeForbidden, ""},
		{"ReceiveByAnotherShopsClerk", x.clerk, receive, tr.ID, tsunagu.CodeNotFound, ""},
		{"ReceiveByThirdMunicipality", thirdManager, receive, tr.ID, tsunagu.CodeNotFound, ""},
		{"ReceiveAnonymous", anonymous, receive, tr.ID, tsunagu.CodeUnauthenticated, ""},
		{"ReceiveByDestinationClerk", x.otherClerk, receive, tr.ID, "", ""},
		{"ReceiveTwice", x.otherClerk, receive, tr.ID, tsunagu.CodeInvalidState, "input.transferId"},
		{"CancelAfterReceipt", x.otherManager, cancel, tr.ID, tsunagu.CodeInvalidState, "input.transferId"},
		{"CancelBySourceShopClerk", x.otherClerk, cancel, spoons.ID, tsunagu.CodeForbidden, ""},
		{"CancelByThirdMunicipality", thirdManager, cancel, spoons.ID, tsunagu.CodeNotFound, ""},
		{"CancelByDestinationClerk", x.clerk, cancel, spoons.ID, "", ""},
		{"CancelTwice", x.otherManager, cancel, spoons.ID, tsunagu.CodeInvalidState, "input.transferId"},
		{"ApproveCancelled", x.otherManager, approve, spoons.ID, tsunagu.CodeInvalidState, "input.transferId"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			before := x.snapshot()
			err := s.do(s.ctx, s.id)
			if s.code == "" {
				must(t, err)
				return
			}
			x.refused(t, before, err, s.code, s.field)
		})
	}

	t.Run("CancelApprovedBySource", func(t *testing.T) {
		offer := x.offer(q(x.cookies, 1))
		must(t, cancel(x.manager, offer.ID))
		evs, err := x.svc.TransferEvents(x.otherManager, []tsunagu.TransferID{offer.ID})
		must(t, err)
		if last := evs[offer.ID][len(evs[offer.ID])-1]; last.Type != tsunagu.EventCancelled || last.Note != "不要" {
			t.Errorf("last event %+v, want CANCELLED with the reason", last)
		}
	})
	x.checkLedger()
}

func TestRequestTransferErrors(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	x.mustPut(x.warehouse, x.cookies, 10)
	old := x.product(x.admin, x.homeFac, "古いクッキー", 300, tsunagu.TaxReduced8)
	x.mustPut(x.warehouse, old, 3)
	_, err := x.catalog.ArchiveProduct(x.manager, old.ID)
	must(t, err)

	for _, c := range []struct {
		name     string
		from, to tsunagu.LocationID
		lines    []tsunagu.TransferQuantity
		code     tsunagu.Code
		field    string
	}{
		{"SameLocation", x.warehouse.ID, x.warehouse.ID, []tsunagu.TransferQuantity{q(x.cookies, 1)}, tsunagu.CodeInvalidInput, "input.toLocationId"},
		{"ZeroQuantity", x.warehouse.ID, x.partnerShop.ID, []tsunagu.TransferQuantity{q(x.cookies, 0)}, tsunagu.CodeOutOfRange, "input.lines.0.quantity"},
		{"NegativeQuantity", x.warehouse.ID, x.partnerShop.ID, []tsunagu.TransferQuantity{q(x.cookies, -2)}, tsunagu.CodeOutOfRange, "input.lines.0.quantity"},
		{"NoLines", x.warehouse.ID, x.partnerShop.ID, nil, tsunagu.CodeRequired, "input.lines"},
		{"UnknownProduct", x.warehouse.ID, x.partnerShop.ID, []tsunagu.TransferQuantity{q(x.cookies, 1), {ProductID: 999999, Quantity: 1}}, tsunagu.CodeNotFound, "input.lines.1.productId"},
		{"UnknownSource", 999999, x.partnerShop.ID, []tsunagu.TransferQuantity{q(x.cookies, 1)}, tsunagu.CodeNotFound, "input.fromLocationId"},
		{"UnknownDestination", x.warehouse.ID, 999999, []tsunagu.TransferQuantity{q(x.cookies, 1)}, tsunagu.CodeNotFound, "input.toLocationId"},
		{"NotStockedAtSource", x.warehouse.ID, x.partnerShop.ID, []tsunagu.TransferQuantity{q(x.spoon, 1)}, tsunagu.CodeInvalidInput, "input.lines.0.productId"},
		{"ArchivedProduct", x.warehouse.ID, x.partnerShop.ID, []tsunagu.TransferQuantity{q(old, 1)}, tsunagu.CodeInvalidState, "input.lines.0.productId"},
		{"ForAnotherMunicipality", x.partnerShop.ID, x.warehouse.ID, []tsunagu.TransferQuantity{q(x.cookies, 1)}, tsunagu.CodeForbidden, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := x.snapshot()
			_, err := x.svc.RequestTransfer(x.otherClerk, tsunagu.RequestTransferInput{FromLocationID: c.from,
				ToLocationID: c.to, Lines: c.lines, IdempotencyKey: x.key()})
			x.refused(t, before, err, c.code, c.field)
		})
	}
	t.Run("NotStockedSaysWhere", func(t *testing.T) {
		_, err := x.svc.RequestTransfer(x.otherClerk, tsunagu.RequestTransferInput{FromLocationID: x.warehouse.ID,
			ToLocationID: x.partnerShop.ID, Lines: []tsunagu.TransferQuantity{q(x.spoon, 1)}, IdempotencyKey: x.key()})
		if msg := tsunagu.ErrorMessage(err); msg != "木のスプーン is not stocked at 芝浦倉庫." {
			t.Errorf("message %q", msg)
		}
	})
	x.checkLedger()
}

func TestShipTransferErrors(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	x.mustPut(x.warehouse, x.cookies, 5)
	x.mustPut(x.warehouse, x.jam, 50)
	tr := x.offer(q(x.cookies, 8), q(x.jam, 4))

	for _, c := range []struct {
		name  string
		lines []tsunagu.TransferQuantity
		code  tsunagu.Code
		field string
	}{
		{"MoreThanApproved", []tsunagu.TransferQuantity{q(x.jam, 5)}, tsunagu.CodeOutOfRange, "input.lines.0.quantity"},
		{"MoreThanOnHand", []tsunagu.TransferQuantity{q(x.jam, 2), q(x.cookies, 6)}, tsunagu.CodeInsufficientStock, "input.lines.1.quantity"},
		{"MoreThanOnHandByDefault", nil, tsunagu.CodeInsufficientStock, "input.transferId"},
		{"ProductNotOnTransfer", []tsunagu.TransferQuantity{q(x.spoon, 1)}, tsunagu.CodeNotFound, "input.lines.0.productId"},
		{"ZeroQuantity", []tsunagu.TransferQuantity{q(x.jam, 0)}, tsunagu.CodeOutOfRange, "input.lines.0.quantity"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := x.snapshot()
			_, err := x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID, Lines: c.lines, IdempotencyKey: x.key()})
			x.refused(t, before, err, c.code, c.field)
		})
	}
	t.Run("InsufficientStockSaysHowMuch", func(t *testing.T) {
		_, err := x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID,
			Lines: []tsunagu.TransferQuantity{q(x.cookies, 6)}, IdempotencyKey: x.key()})
		if msg := tsunagu.ErrorMessage(err); msg != "Only 5 of クッキー are available at 芝浦倉庫, not 6." {
			t.Errorf("message %q", msg)
		}
	})
	t.Run("NothingLeftToShip", func(t *testing.T) {
		_, err := x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID,
			Lines: []tsunagu.TransferQuantity{q(x.cookies, 5), q(x.jam, 4)}, IdempotencyKey: x.key()})
		must(t, err)
		x.mustPut(x.warehouse, x.cookies, 10)
		_, err = x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID, IdempotencyKey: x.key()})
		must(t, err) // the last 3 cookies
		before := x.snapshot()
		_, err = x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID, IdempotencyKey: x.key()})
		x.refused(t, before, err, tsunagu.CodeInvalidState, "input.transferId")
		_, err = x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID,
			Lines: []tsunagu.TransferQuantity{q(x.jam, 1)}, IdempotencyKey: x.key()})
		x.refused(t, before, err, tsunagu.CodeOutOfRange, "input.lines.0.quantity")
	})
	t.Run("ApproveMoreThanRequested", func(t *testing.T) {
		req, err := x.svc.RequestTransfer(x.otherClerk, tsunagu.RequestTransferInput{FromLocationID: x.warehouse.ID,
			ToLocationID: x.partnerShop.ID, Lines: []tsunagu.TransferQuantity{q(x.jam, 3)}, IdempotencyKey: x.key()})
		must(t, err)
		before := x.snapshot()
		_, err = x.svc.ApproveTransfer(x.manager, tsunagu.ApproveTransferInput{TransferID: req.ID,
			Lines: []tsunagu.TransferQuantity{q(x.jam, 4)}, IdempotencyKey: x.key()})
		x.refused(t, before, err, tsunagu.CodeOutOfRange, "input.lines.0.quantity")
		_, err = x.svc.ApproveTransfer(x.manager, tsunagu.ApproveTransferInput{TransferID: req.ID,
			Lines: []tsunagu.TransferQuantity{q(x.cookies, 1)}, IdempotencyKey: x.key()})
		x.refused(t, before, err, tsunagu.CodeNotFound, "input.lines.0.productId")
		_, err = x.svc.ApproveTransfer(x.manager, tsunagu.ApproveTransferInput{TransferID: req.ID,
			Lines: []tsunagu.TransferQuantity{q(x.jam, 0)}, IdempotencyKey: x.key()})
		x.refused(t, before, err, tsunagu.CodeOutOfRange, "input.lines")
	})
	x.checkLedger()
}

func TestReceiveTransferErrors(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	x.mustPut(x.warehouse, x.cookies, 20)
	x.mustPut(x.warehouse, x.jam, 20)
	tr := x.offer(q(x.cookies, 5), q(x.jam, 5))
	_, err := x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID,
		Lines: []tsunagu.TransferQuantity{q(x.cookies, 3)}, IdempotencyKey: x.key()})
	must(t, err)
	lost := tsunagu.ShortLost

	for _, c := range []struct {
		name  string
		lines []tsunagu.ReceiptLineInput
		code  tsunagu.Code
		field string
	}{
		{"MoreThanOutstanding", []tsunagu.ReceiptLineInput{{ProductID: x.cookies.ID, Accepted: 4}}, tsunagu.CodeOutOfRange, "input.lines.0"},
		{"AcceptedAndShortMoreThanOutstanding", []tsunagu.ReceiptLineInput{{ProductID: x.cookies.ID, Accepted: 2, Short: 2, ShortReason: &lost}}, tsunagu.CodeOutOfRange, "input.lines.0"},
		{"NotShipped", []tsunagu.ReceiptLineInput{{ProductID: x.jam.ID, Accepted: 1}}, tsunagu.CodeOutOfRange, "input.lines.0"},
		{"ProductNotOnTransfer", []tsunagu.ReceiptLineInput{{ProductID: x.spoon.ID, Accepted: 1}}, tsunagu.CodeNotFound, "input.lines.0.productId"},
		{"ShortWithoutReason", []tsunagu.ReceiptLineInput{{ProductID: x.cookies.ID, Short: 1}}, tsunagu.CodeRequired, "input.lines.0.shortReason"},
		{"Negative", []tsunagu.ReceiptLineInput{{ProductID: x.cookies.ID, Accepted: -1}}, tsunagu.CodeOutOfRange, "input.lines.0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := x.snapshot()
			_, err := x.svc.ReceiveTransfer(x.otherClerk, tsunagu.ReceiveTransferInput{TransferID: tr.ID, Lines: c.lines, IdempotencyKey: x.key()})
			x.refused(t, before, err, c.code, c.field)
		})
	}
	// What arrived cannot arrive again, with or without lines, with a new key.
	t.Run("ReceiveTwice", func(t *testing.T) {
		_, err := x.svc.ReceiveTransfer(x.otherClerk, tsunagu.ReceiveTransferInput{TransferID: tr.ID,
			Lines: []tsunagu.ReceiptLineInput{{ProductID: x.cookies.ID, Accepted: 2, Short: 1, ShortReason: &lost}}, IdempotencyKey: x.key()})
		must(t, err)
		before := x.snapshot()
		_, err = x.svc.ReceiveTransfer(x.otherClerk, tsunagu.ReceiveTransferInput{TransferID: tr.ID,
			Lines: []tsunagu.ReceiptLineInput{{ProductID: x.cookies.ID, Accepted: 1}}, IdempotencyKey: x.key()})
		x.refused(t, before, err, tsunagu.CodeOutOfRange, "input.lines.0")
		_, err = x.svc.ReceiveTransfer(x.otherClerk, tsunagu.ReceiveTransferInput{TransferID: tr.ID, IdempotencyKey: x.key()})
		x.refused(t, before, err, tsunagu.CodeInvalidState, "input.transferId")
	})
	x.checkLedger()
}

func TestTransferIdempotency(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	x.mustPut(x.warehouse, x.cookies, 50)
	x.mustPut(x.warehouse, x.jam, 50)
	ignoreTimes := cmpopts.IgnoreFields(tsunagu.Transfer{}, "UpdatedAt", "Version")

	// replay runs do twice with the same input: the second returns the same transfer
	// and changes nothing.
	replay := func(t *testing.T, do func() (*tsunagu.Transfer, error)) *tsunagu.Transfer {
		t.Helper()
		first, err := do()
		must(t, err)
		before := x.snapshot()
		again, err := do()
		must(t, err)
		if diff := cmp.Diff(first, again); diff != "" {
			t.Errorf("replay returned another transfer (-first +replay):\n%s", diff)
		}
		if after := x.snapshot(); after != before {
			t.Errorf("the replay changed the database:\nbefore %s\nafter  %s", before, after)
		}
		return first
	}
	reqKey, approveKey, shipKey, receiveKey := x.key(), x.key(), x.key(), x.key()
	requestIn := tsunagu.RequestTransferInput{FromLocationID: x.warehouse.ID, ToLocationID: x.partnerShop.ID,
		Lines: []tsunagu.TransferQuantity{q(x.cookies, 10), q(x.jam, 2)}, IdempotencyKey: reqKey}
	var tr *tsunagu.Transfer
	t.Run("Request", func(t *testing.T) {
		tr = replay(t, func() (*tsunagu.Transfer, error) { return x.svc.RequestTransfer(x.otherClerk, requestIn) })
	})
	if tr == nil {
		t.FailNow()
	}
	approveIn := tsunagu.ApproveTransferInput{TransferID: tr.ID, Lines: []tsunagu.TransferQuantity{q(x.cookies, 6)}, IdempotencyKey: approveKey}
	t.Run("Approve", func(t *testing.T) {
		replay(t, func() (*tsunagu.Transfer, error) { return x.svc.ApproveTransfer(x.manager, approveIn) })
	})
	shipIn := tsunagu.ShipTransferInput{TransferID: tr.ID, Lines: []tsunagu.TransferQuantity{q(x.cookies, 4)}, Carrier: "佐川急便", IdempotencyKey: shipKey}
	t.Run("Ship", func(t *testing.T) {
		replay(t, func() (*tsunagu.Transfer, error) { return x.svc.ShipTransfer(x.manager, shipIn) })
		if got := x.level(x.warehouse, x.cookies); got.OnHand != 46 {
			t.Errorf("warehouse has %d cookies, want 46: shipped once", got.OnHand)
		}
	})
	receiveIn := tsunagu.ReceiveTransferInput{TransferID: tr.ID, Lines: []tsunagu.ReceiptLineInput{{ProductID: x.cookies.ID, Accepted: 4}}, IdempotencyKey: receiveKey}
	t.Run("Receive", func(t *testing.T) {
		replay(t, func() (*tsunagu.Transfer, error) { return x.svc.ReceiveTransfer(x.otherClerk, receiveIn) })
		if got := x.level(x.partnerShop, x.cookies); got.OnHand != 4 {
			t.Errorf("the partner shop has %d cookies, want 4: received once", got.OnHand)
		}
	})
	t.Run("Cancel", func(t *testing.T) {
		offer := x.offer(q(x.jam, 1))
		in := tsunagu.CancelTransferInput{TransferID: offer.ID, Reason: "間違い", IdempotencyKey: x.key()}
		replay(t, func() (*tsunagu.Transfer, error) { return x.svc.CancelTransfer(x.manager, in) })
	})
	// A replay after later steps returns the transfer as it is now.
	t.Run("ReplayLater", func(t *testing.T) {
		before := x.snapshot()
		got, err := x.svc.RequestTransfer(x.otherClerk, requestIn)
		must(t, err)
		want := *tr
		want.Status = tsunagu.TransferShipped
		if diff := cmp.Diff(&want, got, ignoreTimes); diff != "" {
			t.Errorf("late replay (-want +got):\n%s", diff)
		}
		x.unchanged(before)
	})

	t.Run("SameKeyDifferentInput", func(t *testing.T) {
		for name, do := range map[string]func() error{
			"Request": func() error {
				in := requestIn
				in.Lines = []tsunagu.TransferQuantity{q(x.cookies, 11), q(x.jam, 2)}
				_, err := x.svc.RequestTransfer(x.otherClerk, in)
				return err
			},
			"Ship": func() error {
				in := shipIn
				in.Carrier = "日本郵便"
				_, err := x.svc.ShipTransfer(x.manager, in)
				return err
			},
			"Receive": func() error {
				in := receiveIn
				in.Lines = []tsunagu.ReceiptLineInput{{ProductID: x.cookies.ID, Accepted: 3}}
				_, err := x.svc.ReceiveTransfer(x.otherClerk, in)
				return err
			},
			"AnotherOperation": func() error {
				_, err := x.svc.ShipTransfer(x.otherClerk, tsunagu.ShipTransferInput{TransferID: tr.ID, IdempotencyKey: reqKey})
				return err
			},
		} {
			t.Run(name, func(t *testing.T) {
				before := x.snapshot()
				x.refused(t, before, do(), tsunagu.CodeIdempotencyConflict, "input.idempotencyKey")
			})
		}
	})
	// Keys are the user's own: another user's same key is a new operation.
	t.Run("KeysPerUser", func(t *testing.T) {
		in := requestIn
		got, err := x.svc.RequestTransfer(x.otherManager, in)
		must(t, err)
		if got.ID == tr.ID {
			t.Error("another user's key returned the first user's transfer")
		}
	})
	// A refused request leaves no key behind: the same key works once it is fixed.
	t.Run("RefusalFreesTheKey", func(t *testing.T) {
		k := x.key()
		_, err := x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID,
			Lines: []tsunagu.TransferQuantity{q(x.cookies, 3)}, IdempotencyKey: k})
		if tsunagu.ErrorCode(err) != tsunagu.CodeOutOfRange {
			t.Fatalf("shipping more than approved: %v", err)
		}
		_, err = x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID,
			Lines: []tsunagu.TransferQuantity{q(x.cookies, 2)}, IdempotencyKey: k})
		must(t, err)
	})
	x.checkLedger()
}

func TestTransfersRead(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	x.mustPut(x.warehouse, x.cookies, 50)
	x.mustPut(x.homeShop, x.cookies, 50)
	x.mustPut(x.partnerShop, x.spoon, 50)
	a := x.offer(q(x.cookies, 1)) // warehouse → partner shop
	b, err := x.svc.RequestTransfer(x.clerk, tsunagu.RequestTransferInput{FromLocationID: x.partnerShop.ID,
		ToLocationID: x.homeShop.ID, Lines: []tsunagu.TransferQuantity{q(x.spoon, 2)}, IdempotencyKey: x.key()})
	must(t, err)
	c, err := x.svc.RequestTransfer(x.manager, tsunagu.RequestTransferInput{FromLocationID: x.homeShop.ID,
		ToLocationID: x.warehouse.ID, Lines: []tsunagu.TransferQuantity{q(x.cookies, 3)}, IdempotencyKey: x.key()})
	must(t, err)

	ids := func(p *tsunagu.Page[*tsunagu.Transfer]) []tsunagu.TransferID {
		var out []tsunagu.TransferID
		for _, t := range p.Items {
			out = append(out, t.ID)
		}
		return out
	}
	home, partner := x.home.ID, x.partner.ID
	for _, tc := range []struct {
		name string
		ctx  context.Context
		f    tsunagu.TransferFilter
		want []tsunagu.TransferID
	}{
		{"AdminSeesAll", x.admin, tsunagu.TransferFilter{}, []tsunagu.TransferID{c.ID, b.ID, a.ID}},
		{"PartnerManager", x.otherManager, tsunagu.TransferFilter{}, []tsunagu.TransferID{b.ID, a.ID}},
		{"HomeClerkSeesTheirShop", x.clerk, tsunagu.TransferFilter{}, []tsunagu.TransferID{c.ID, b.ID}},
		{"PartnerClerk", x.otherClerk, tsunagu.TransferFilter{}, []tsunagu.TransferID{b.ID, a.ID}},
		{"Status", x.admin, tsunagu.TransferFilter{Status: []tsunagu.TransferStatus{tsunagu.TransferApproved}}, []tsunagu.TransferID{a.ID}},
		{"FromMunicipality", x.admin, tsunagu.TransferFilter{FromMunicipalityID: &partner}, []tsunagu.TransferID{b.ID}},
		{"ToMunicipality", x.admin, tsunagu.TransferFilter{ToMunicipalityID: &home}, []tsunagu.TransferID{c.ID, b.ID}},
		{"Municipality", x.admin, tsunagu.TransferFilter{MunicipalityID: &partner}, []tsunagu.TransferID{b.ID, a.ID}},
		{"FromLocation", x.admin, tsunagu.TransferFilter{FromLocationID: &x.homeShop.ID}, []tsunagu.TransferID{c.ID}},
		{"ToLocation", x.admin, tsunagu.TransferFilter{ToLocationID: &x.partnerShop.ID}, []tsunagu.TransferID{a.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := x.svc.Transfers(tc.ctx, tc.f, tsunagu.PageArgs{})
			must(t, err)
			if diff := cmp.Diff(tc.want, ids(p)); diff != "" {
				t.Errorf("transfers (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("Pages", func(t *testing.T) {
		p, err := x.svc.Transfers(x.admin, tsunagu.TransferFilter{}, tsunagu.PageArgs{First: 2})
		must(t, err)
		if diff := cmp.Diff([]tsunagu.TransferID{c.ID, b.ID}, ids(p)); diff != "" || !p.HasNextPage {
			t.Errorf("first page %v (more: %v)", ids(p), p.HasNextPage)
		}
		p, err = x.svc.Transfers(x.admin, tsunagu.TransferFilter{}, tsunagu.PageArgs{First: 2, After: int64(b.ID)})
		must(t, err)
		if diff := cmp.Diff([]tsunagu.TransferID{a.ID}, ids(p)); diff != "" || p.HasNextPage {
			t.Errorf("second page %v (more: %v)", ids(p), p.HasNextPage)
		}
	})
	t.Run("Anonymous", func(t *testing.T) {
		_, err := x.svc.Transfers(context.Background(), tsunagu.TransferFilter{}, tsunagu.PageArgs{})
		if code := tsunagu.ErrorCode(err); code != tsunagu.CodeUnauthenticated {
			t.Errorf("code %q, want UNAUTHENTICATED", code)
		}
		ts, err := x.svc.TransfersByID(context.Background(), []tsunagu.TransferID{a.ID})
		must(t, err)
		evs, err := x.svc.TransferEvents(context.Background(), []tsunagu.TransferID{a.ID})
		must(t, err)
		if len(ts) != 0 || len(evs) != 0 {
			t.Errorf("an anonymous request sees transfers")
		}
	})
	t.Run("ByIDKeepsToVisible", func(t *testing.T) {
		ts, err := x.svc.TransfersByID(x.otherManager, []tsunagu.TransferID{a.ID, b.ID, c.ID, 999999})
		must(t, err)
		if len(ts) != 2 || ts[a.ID] == nil || ts[b.ID] == nil {
			t.Errorf("partner manager sees %v, want transfers %d and %d", ts, a.ID, b.ID)
		}
	})
	// The loaders take one statement whatever the number of transfers.
	t.Run("LoadersOneStatementEach", func(t *testing.T) {
		all := []tsunagu.TransferID{a.ID, b.ID, c.ID}
		for name, load := range map[string]func(context.Context) error{
			"ByID":      func(ctx context.Context) error { _, err := x.svc.TransfersByID(ctx, all); return err },
			"Lines":     func(ctx context.Context) error { _, err := x.svc.TransferLines(ctx, all); return err },
			"Shipments": func(ctx context.Context) error { _, err := x.svc.TransferShipments(ctx, all); return err },
			"Receipts":  func(ctx context.Context) error { _, err := x.svc.TransferReceipts(ctx, all); return err },
			"Events":    func(ctx context.Context) error { _, err := x.svc.TransferEvents(ctx, all); return err },
		} {
			var n postgres.StatementCounter
			must(t, load(postgres.WithStatementCounter(x.admin, &n)))
			if n.Count() != 1 {
				t.Errorf("%s: %d statements, want 1", name, n.Count())
			}
		}
	})
}

func TestExchangeTransfers(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	x.mustPut(x.warehouse, x.cookies, 50)
	x.mustPut(x.warehouse, x.jam, 50)
	x.mustPut(x.partnerShop, x.spoon, 10)
	damaged := tsunagu.ShortDamagedInTransit

	// Home → partner: 5 cookies shipped late on 31 March (Japan time), 3 accepted and
	// 2 damaged just after midnight on 1 April; 3 cookies and 5 jars shipped on 15
	// April and accepted on 20 April.
	out := x.offer(q(x.cookies, 8), q(x.jam, 5))
	_, err := x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: out.ID,
		Lines: []tsunagu.TransferQuantity{q(x.cookies, 5)}, IdempotencyKey: x.key()})
	must(t, err)
	_, err = x.svc.ReceiveTransfer(x.otherClerk, tsunagu.ReceiveTransferInput{TransferID: out.ID,
		Lines: []tsunagu.ReceiptLineInput{{ProductID: x.cookies.ID, Accepted: 3, Short: 2, ShortReason: &damaged}}, IdempotencyKey: x.key()})
	must(t, err)
	_, err = x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: out.ID, IdempotencyKey: x.key()})
	must(t, err)
	_, err = x.svc.ReceiveTransfer(x.otherClerk, tsunagu.ReceiveTransferInput{TransferID: out.ID, IdempotencyKey: x.key()})
	must(t, err)
	// Partner → home: 2 spoons, offered by the partner, shipped 10 April, received 12 April.
	back, err := x.svc.RequestTransfer(x.otherManager, tsunagu.RequestTransferInput{FromLocationID: x.partnerShop.ID,
		ToLocationID: x.homeShop.ID, Lines: []tsunagu.TransferQuantity{q(x.spoon, 2)}, IdempotencyKey: x.key()})
	must(t, err)
	_, err = x.svc.ShipTransfer(x.otherManager, tsunagu.ShipTransferInput{TransferID: back.ID, IdempotencyKey: x.key()})
	must(t, err)
	_, err = x.svc.ReceiveTransfer(x.clerk, tsunagu.ReceiveTransferInput{TransferID: back.ID, IdempotencyKey: x.key()})
	must(t, err)
	// Within 港区, warehouse → shop, today: not part of the exchange.
	inside, err := x.svc.RequestTransfer(x.clerk, tsunagu.RequestTransferInput{FromLocationID: x.warehouse.ID,
		ToLocationID: x.homeShop.ID, Lines: []tsunagu.TransferQuantity{q(x.jam, 2)}, IdempotencyKey: x.key()})
	must(t, err)
	for _, step := range []func() error{
		func() error {
			_, err := x.svc.ApproveTransfer(x.manager, tsunagu.ApproveTransferInput{TransferID: inside.ID, IdempotencyKey: x.key()})
			return err
		},
		func() error {
			_, err := x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: inside.ID, IdempotencyKey: x.key()})
			return err
		},
		func() error {
			_, err := x.svc.ReceiveTransfer(x.clerk, tsunagu.ReceiveTransferInput{TransferID: inside.ID, IdempotencyKey: x.key()})
			return err
		},
	} {
		must(t, step())
	}

	// Date the documents.
	jst := time.FixedZone("JST", 9*60*60)
	at := func(month time.Month, day, hour, min int) time.Time {
		return time.Date(2026, month, day, hour, min, 0, 0, jst)
	}
	for _, d := range []struct {
		table string
		id    tsunagu.TransferID
		times []time.Time
	}{
		{"transfer_shipments", out.ID, []time.Time{at(3, 31, 23, 30), at(4, 15, 10, 0)}},
		{"transfer_receipts", out.ID, []time.Time{at(4, 1, 0, 10), at(4, 20, 10, 0)}},
		{"transfer_shipments", back.ID, []time.Time{at(4, 10, 9, 0)}},
		{"transfer_receipts", back.ID, []time.Time{at(4, 12, 9, 0)}},
	} {
		col := map[string]string{"transfer_shipments": "shipped_at", "transfer_receipts": "received_at"}[d.table]
		for i, tm := range d.times {
			_, err := x.db.SQL().ExecContext(context.Background(), `
				UPDATE `+d.table+` SET `+col+` = $3 WHERE id = (
					SELECT id FROM `+d.table+` WHERE transfer_id = $1 ORDER BY id OFFSET $2 LIMIT 1)`, d.id, i, tm)
			must(t, err)
		}
	}

	home, partner := x.home.ID, x.partner.ID
	type figures = tsunagu.ExchangeTransferFigures
	march := &tsunagu.ExchangeTransfers{Month: "2026-03", FromMunicipalityID: home, ToMunicipalityID: partner,
		ExchangeTransferFigures: figures{ShippedUnits: 5, ShippedValue: 5 * 350}}
	aprilOut := &tsunagu.ExchangeTransfers{Month: "2026-04", FromMunicipalityID: home, ToMunicipalityID: partner,
		ExchangeTransferFigures: figures{ShippedUnits: 8, ShippedValue: 3*350 + 5*650, ReceivedUnits: 11,
			ReceivedValue: 6*350 + 5*650, ShortUnits: 2, ShortValue: 2 * 350}}
	aprilBack := &tsunagu.ExchangeTransfers{Month: "2026-04", FromMunicipalityID: partner, ToMunicipalityID: home,
		ExchangeTransferFigures: figures{ShippedUnits: 2, ShippedValue: 2400, ReceivedUnits: 2, ReceivedValue: 2400}}
	if home > partner {
		t.Fatal("the fixtures' municipalities are not in ID order")
	}
	third := &tsunagu.Municipality{Code: "011002", Name: "札幌市", Prefecture: "北海道"}
	must(t, x.catalog.CreateMunicipality(x.admin, third))
	thirdManager := x.user(x.admin, "thirdmanager", postgres.NewUserInput{Role: tsunagu.RoleManager, MunicipalityID: &third.ID})

	for _, c := range []struct {
		name     string
		ctx      context.Context
		muni     *tsunagu.MunicipalityID
		from, to string
		want     []*tsunagu.ExchangeTransfers
	}{
		{"Admin", x.admin, nil, "2026-03", "2026-04", []*tsunagu.ExchangeTransfers{march, aprilOut, aprilBack}},
		{"AdminOneMunicipality", x.admin, &partner, "2026-03", "2026-04", []*tsunagu.ExchangeTransfers{march, aprilOut, aprilBack}},
		{"AdminThirdMunicipality", x.admin, &third.ID, "2026-03", "2026-04", []*tsunagu.ExchangeTransfers{}},
		{"HomeManager", x.manager, nil, "2026-01", "2026-12", []*tsunagu.ExchangeTransfers{march, aprilOut, aprilBack}},
		{"PartnerManagerApril", x.otherManager, &partner, "2026-04", "2026-04", []*tsunagu.ExchangeTransfers{aprilOut, aprilBack}},
		{"ThirdManager", thirdManager, nil, "2026-01", "2026-12", []*tsunagu.ExchangeTransfers{}},
		{"May", x.admin, nil, "2026-05", "2026-05", []*tsunagu.ExchangeTransfers{}},
		{"ThirtySixMonths", x.admin, nil, "2024-05", "2027-04", []*tsunagu.ExchangeTransfers{march, aprilOut, aprilBack}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := x.svc.ExchangeTransfers(c.ctx, tsunagu.ExchangeBalanceFilter{MunicipalityID: c.muni, FromMonth: c.from, ToMonth: c.to})
			must(t, err)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("balance (-want +got):\n%s", diff)
			}
		})
	}
	for _, c := range []struct {
		name     string
		ctx      context.Context
		muni     *tsunagu.MunicipalityID
		from, to string
		code     tsunagu.Code
		field    string
	}{
		{"Clerk", x.clerk, nil, "2026-04", "2026-04", tsunagu.CodeForbidden, ""},
		{"Anonymous", context.Background(), nil, "2026-04", "2026-04", tsunagu.CodeUnauthenticated, ""},
		{"AnotherMunicipality", x.manager, &partner, "2026-04", "2026-04", tsunagu.CodeForbidden, ""},
		{"BadFromMonth", x.admin, nil, "2026-13", "2026-04", tsunagu.CodeInvalidInput, "fromMonth"},
		{"ShortMonth", x.admin, nil, "2026-04", "2026-4", tsunagu.CodeInvalidInput, "toMonth"},
		{"NotAMonth", x.admin, nil, "", "2026-04", tsunagu.CodeInvalidInput, "fromMonth"},
		{"Backwards", x.admin, nil, "2026-05", "2026-04", tsunagu.CodeInvalidInput, "toMonth"},
		{"ThirtySevenMonths", x.admin, nil, "2024-04", "2027-04", tsunagu.CodeOutOfRange, "toMonth"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := x.svc.ExchangeTransfers(c.ctx, tsunagu.ExchangeBalanceFilter{MunicipalityID: c.muni, FromMonth: c.from, ToMonth: c.to})
			if got := tsunagu.ErrorCode(err); got != c.code {
				t.Fatalf("code %q (%v), want %q", got, err, c.code)
			}
			if errs := tsunagu.UserErrors(err); errs[0].Field != c.field {
				t.Errorf("field %q, want %q", errs[0].Field, c.field)
			}
		})
	}
	t.Run("OneStatement", func(t *testing.T) {
		var n postgres.StatementCounter
		_, err := x.svc.ExchangeTransfers(postgres.WithStatementCounter(x.admin, &n),
			tsunagu.ExchangeBalanceFilter{FromMonth: "2026-01", ToMonth: "2026-12"})
		must(t, err)
		if n.Count() != 1 {
			t.Errorf("%d statements, want 1", n.Count())
		}
	})
	x.checkLedger()
}

// Many shipments and receipts of the same products from the same source at once,
// with stock added and taken in between: nothing goes negative, the levels agree
// with the ledger, and every unit that left the source is received, short or still
// on its way.
func TestTransfersConcurrent(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	products := []*tsunagu.Product{x.cookies, x.jam, x.spoon}
	for _, p := range products {
		x.mustPut(x.warehouse, p, 60)
	}
	// More is offered than is on hand, so that some shipments must be refused.
	const transfers, workers, rounds = 8, 16, 12
	var trs []*tsunagu.Transfer
	for range transfers {
		trs = append(trs, x.offer(q(x.cookies, 15), q(x.jam, 15), q(x.spoon, 15)))
	}
	lost := tsunagu.ShortLost
	// The refusals that concurrency explains; anything else is a failure. Receiving
	// never runs out of incoming stock: what is outstanding is always incoming.
	expected := map[string]bool{
		"ship " + string(tsunagu.CodeInsufficientStock):   true, // not enough at the source right now
		"ship " + string(tsunagu.CodeOutOfRange):          true, // another worker shipped it first
		"receive " + string(tsunagu.CodeOutOfRange):       true, // another worker received it first
		"receive " + string(tsunagu.CodeInvalidState):     true, // nothing shipped yet, or all received
		"adjust " + string(tsunagu.CodeInsufficientStock): true, // shipped away before the write-off
	}
	stock := postgres.NewStockService(x.db)
	var wg sync.WaitGroup
	var outcomes sync.Map // "ship OK", "receive INSUFFICIENT_STOCK", … → *atomic.Int64
	count := func(step string, err error) {
		k := step + " OK"
		if err != nil {
			k = step + " " + string(tsunagu.ErrorCode(err))
		}
		n, _ := outcomes.LoadOrStore(k, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
	}
	errs := make(chan error, workers*rounds*3)
	for w := range workers {
		wg.Go(func() {
			for r := range rounds {
				tr := trs[(w+r)%transfers]
				// Lines in different orders from different workers.
				lines := []tsunagu.TransferQuantity{q(x.spoon, 1+r%3), q(x.cookies, 1+w%3), q(x.jam, 2)}
				if w%2 == 1 {
					slices.Reverse(lines)
				}
				_, err := x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID, Lines: lines, IdempotencyKey: x.key()})
				count("ship", err)
				if err != nil && !expected["ship "+string(tsunagu.ErrorCode(err))] {
					errs <- fmt.Errorf("ship: %w", err)
				}
				// Adjustments at the source between the shipments, through the
				// stock service, so that its locking meets the exchange's.
				p := products[(w+r)%len(products)]
				adj := tsunagu.AdjustStockInput{LocationID: x.warehouse.ID, ProductID: p.ID, Quantity: 2,
					Reason: tsunagu.ReasonFound, IdempotencyKey: x.key()}
				if r%2 == 1 {
					adj.Quantity, adj.Reason = -3, tsunagu.ReasonDamaged
				}
				_, err = stock.AdjustStock(x.manager, adj)
				count("adjust", err)
				if err != nil && !expected["adjust "+string(tsunagu.ErrorCode(err))] {
					errs <- fmt.Errorf("adjust: %w", err)
				}
				// Receive part of another transfer, sometimes with a loss.
				rt := trs[(w+2*r+1)%transfers]
				in := tsunagu.ReceiveTransferInput{TransferID: rt.ID, IdempotencyKey: x.key()}
				if r%3 != 2 {
					in.Lines = []tsunagu.ReceiptLineInput{{ProductID: products[w%3].ID, Accepted: 1}}
					if r%4 == 0 {
						in.Lines[0].Short, in.Lines[0].ShortReason = 1, &lost
					}
				}
				_, err = x.svc.ReceiveTransfer(x.otherClerk, in)
				count("receive", err)
				if err != nil && !expected["receive "+string(tsunagu.ErrorCode(err))] {
					errs <- fmt.Errorf("receive: %w", err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	outcomes.Range(func(k, n any) bool {
		t.Logf("%s: %d", k, n.(*atomic.Int64).Load())
		return true
	})
	if _, ok := outcomes.Load("ship " + string(tsunagu.CodeInsufficientStock)); !ok {
		t.Error("no shipment ran out of stock: the test does not contend")
	}
	// Deadlocks are retried by transact; it counts them.
	if n := x.db.Deadlocks(); n > 0 {
		t.Errorf("%d deadlocks", n)
	}
	x.checkLedger()

	var negative int
	must(t, x.db.SQL().QueryRowContext(context.Background(), `
		SELECT count(*) FROM stock_levels WHERE on_hand < 0 OR reserved < 0 OR incoming < 0 OR reserved > on_hand`).Scan(&negative))
	if negative > 0 {
		t.Errorf("%d levels are negative", negative)
	}
	// For each product: what left the source = received + short + still on its way,
	// by the ledger and by the transfers' lines alike.
	rows, err := x.db.SQL().QueryContext(context.Background(), `
		SELECT p.id,
			(SELECT -coalesce(sum(quantity), 0) FROM stock_movements
			 WHERE product_id = p.id AND location_id = $1 AND reason = 'TRANSFER_OUT') AS out,
			(SELECT coalesce(sum(quantity), 0) FROM stock_movements
			 WHERE product_id = p.id AND location_id = $2 AND bucket = 'ON_HAND' AND reason = 'TRANSFER_IN') AS received,
			(SELECT -coalesce(sum(quantity), 0) FROM stock_movements
			 WHERE product_id = p.id AND location_id = $2 AND reason = 'TRANSIT_LOSS') AS short,
			(SELECT coalesce(incoming, 0) FROM stock_levels WHERE product_id = p.id AND location_id = $2) AS incoming,
			(SELECT coalesce(on_hand, 0) FROM stock_levels WHERE product_id = p.id AND location_id = $2) AS on_hand,
			(SELECT sum(shipped) FROM transfer_lines WHERE product_id = p.id) AS shipped,
			(SELECT sum(received) FROM transfer_lines WHERE product_id = p.id) AS line_received,
			(SELECT sum(short) FROM transfer_lines WHERE product_id = p.id) AS line_short,
			(SELECT count(*) FROM transfer_lines WHERE product_id = p.id AND (shipped > approved OR received + short > shipped)) AS broken
		FROM products p WHERE p.id = ANY($3) ORDER BY p.id`,
		x.warehouse.ID, x.partnerShop.ID, []int64{int64(x.cookies.ID), int64(x.jam.ID), int64(x.spoon.ID)})
	must(t, err)
	defer rows.Close()
	moved := 0
	for rows.Next() {
		var id int64
		var out, received, short, incoming, onHand, shipped, lineReceived, lineShort, broken int
		must(t, rows.Scan(&id, &out, &received, &short, &incoming, &onHand, &shipped, &lineReceived, &lineShort, &broken))
		if out != received+short+incoming || out != shipped || received != lineReceived || short != lineShort ||
			onHand != received || broken > 0 {
			t.Errorf("product %d: out %d, received %d, short %d, incoming %d, on hand %d; lines: shipped %d, received %d, short %d, %d broken",
				id, out, received, short, incoming, onHand, shipped, lineReceived, lineShort, broken)
		}
		moved += out
	}
	must(t, rows.Err())
	if moved == 0 {
		t.Error("nothing shipped at all")
	}
	t.Logf("%d units shipped", moved)
}

// statementsOf counts the statements of one call.
func statementsOf(ctx context.Context, do func(context.Context) error) (int64, error) {
	var n postgres.StatementCounter
	err := do(postgres.WithStatementCounter(ctx, &n))
	return n.Count(), err
}

// The cost of a step does not grow with the number of lines.
func TestTransferStatementCounts(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	products := []*tsunagu.Product{x.cookies, x.jam}
	for i := range 18 {
		products = append(products, x.product(x.admin, x.homeFac, fmt.Sprintf("商品%02d", i), 100+int64(i), tsunagu.TaxReduced8))
	}
	for _, p := range products {
		x.mustPut(x.warehouse, p, 10)
	}
	counts := map[int]map[string]int64{}
	for _, n := range []int{1, 20} {
		var lines []tsunagu.TransferQuantity
		for _, p := range products[:n] {
			lines = append(lines, q(p, 2))
		}
		c := map[string]int64{}
		var tr *tsunagu.Transfer
		var err error
		c["request"], err = statementsOf(x.otherClerk, func(ctx context.Context) error {
			tr, err = x.svc.RequestTransfer(ctx, tsunagu.RequestTransferInput{FromLocationID: x.warehouse.ID,
				ToLocationID: x.partnerShop.ID, Lines: lines, IdempotencyKey: x.key()})
			return err
		})
		must(t, err)
		c["approve"], err = statementsOf(x.manager, func(ctx context.Context) error {
			_, err := x.svc.ApproveTransfer(ctx, tsunagu.ApproveTransferInput{TransferID: tr.ID, IdempotencyKey: x.key()})
			return err
		})
		must(t, err)
		c["ship"], err = statementsOf(x.manager, func(ctx context.Context) error {
			_, err := x.svc.ShipTransfer(ctx, tsunagu.ShipTransferInput{TransferID: tr.ID, Lines: lines, IdempotencyKey: x.key()})
			return err
		})
		must(t, err)
		c["receive"], err = statementsOf(x.otherClerk, func(ctx context.Context) error {
			var rl []tsunagu.ReceiptLineInput
			for _, l := range lines {
				rl = append(rl, tsunagu.ReceiptLineInput{ProductID: l.ProductID, Accepted: l.Quantity})
			}
			_, err := x.svc.ReceiveTransfer(ctx, tsunagu.ReceiveTransferInput{TransferID: tr.ID, Lines: rl, IdempotencyKey: x.key()})
			return err
		})
		must(t, err)
		counts[n] = c
	}
	t.Logf("statements for 1 line: %v; for 20 lines: %v", counts[1], counts[20])
	if diff := cmp.Diff(counts[1], counts[20]); diff != "" {
		t.Errorf("statements grow with the lines (-1 line +20 lines):\n%s", diff)
	}
	// BEGIN, the key with the transfer and its lines locked, the step with its stock,
	// COMMIT; a first shipment to a destination makes its levels first. (With lines
	// given, a step takes the transaction; everything outstanding is one statement:
	// TestShipReceiveAllInOneStatement.)
	if diff := cmp.Diff(map[string]int64{"request": 8, "approve": 4, "ship": 5, "receive": 4}, counts[1]); diff != "" {
		t.Errorf("statements per step (-want +got):\n%s", diff)
	}
	x.checkLedger()
}

// BenchmarkShipReceive5Lines measures shipping a 5-line transfer in full and
// receiving it; making the transfers and the stock is outside the timer.
func BenchmarkShipReceive5Lines(b *testing.B) {
	benchShipReceive5Lines(b, func(x *exchangeWorld, _ int) (*tsunagu.Location, context.Context) {
		return x.partnerShop, x.otherClerk
	})
}

// benchShipReceive5Lines measures shipping b.N 5-line transfers in full, offered
// from the warehouse to destination(i), and receiving each as the user it returns.
func benchShipReceive5Lines(b *testing.B, destination func(x *exchangeWorld, i int) (*tsunagu.Location, context.Context)) {
	x := newExchangeWorld(b)
	products := []*tsunagu.Product{x.cookies, x.jam}
	for i := range 3 {
		products = append(products, x.product(x.admin, x.homeFac, fmt.Sprintf("ベンチ%d", i), 200, tsunagu.TaxReduced8))
	}
	for _, p := range products {
		x.mustPut(x.warehouse, p, 3*b.N+3)
	}
	var lines []tsunagu.TransferQuantity
	for i, p := range products {
		lines = append(lines, q(p, 1+i%3))
	}
	trs := make([]*tsunagu.Transfer, b.N)
	receivers := make([]context.Context, b.N)
	for i := range trs {
		var to *tsunagu.Location
		to, receivers[i] = destination(x, i)
		tr, err := x.svc.RequestTransfer(x.manager, tsunagu.RequestTransferInput{FromLocationID: x.warehouse.ID,
			ToLocationID: to.ID, Lines: lines, IdempotencyKey: x.key()})
		if err != nil {
			b.Fatal(err)
		}
		trs[i] = tr
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: trs[i].ID, IdempotencyKey: x.key()}); err != nil {
			b.Fatal(err)
		}
		if _, err := x.svc.ReceiveTransfer(receivers[i], tsunagu.ReceiveTransferInput{TransferID: trs[i].ID, IdempotencyKey: x.key()}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	x.checkLedger()
}

// A partial shipment whose rest will never come: cancelling the rest leaves the
// transfer SHIPPED while goods are on their way, RECEIVED once they arrive, and the
// unshipped stock stays at the source.
func TestCancelUnshippedRest(t *testing.T) {
	t.Parallel()
	x := newExchangeWorld(t)
	x.mustPut(x.warehouse, x.cookies, 100)
	x.mustPut(x.warehouse, x.jam, 50)
	tr, err := x.svc.RequestTransfer(x.otherClerk, tsunagu.RequestTransferInput{FromLocationID: x.warehouse.ID,
		ToLocationID: x.partnerShop.ID, Lines: []tsunagu.TransferQuantity{q(x.cookies, 10), q(x.jam, 5)}, IdempotencyKey: x.key()})
	must(t, err)
	_, err = x.svc.ApproveTransfer(x.manager, tsunagu.ApproveTransferInput{TransferID: tr.ID, IdempotencyKey: x.key()})
	must(t, err)
	_, err = x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID,
		Lines: []tsunagu.TransferQuantity{q(x.cookies, 4)}, IdempotencyKey: x.key()})
	must(t, err)

	cancel := func(ctx context.Context) (*tsunagu.Transfer, error) {
		return x.svc.CancelTransfer(ctx, tsunagu.CancelTransferInput{TransferID: tr.ID, Reason: "残りは欠品", IdempotencyKey: x.key()})
	}
	t.Run("ErrByThirdParty", func(t *testing.T) {
		before := x.snapshot()
		if _, err := cancel(x.clerk); tsunagu.ErrorCode(err) != tsunagu.CodeNotFound {
			t.Fatalf("code %q, want NOT_FOUND", tsunagu.ErrorCode(err))
		}
		x.unchanged(before)
	})
	got, err := cancel(x.otherClerk)
	must(t, err)
	if got.Status != tsunagu.TransferShipped {
		t.Errorf("status %s with cookies on their way, want SHIPPED", got.Status)
	}
	lines := x.lines(x.admin, tr.ID)
	if c, j := lines[x.cookies.ID], lines[x.jam.ID]; c.Approved != 4 || c.Shipped != 4 || j.Approved != 0 || j.Shipped != 0 {
		t.Errorf("lines after cancelling the rest: %+v %+v", c, j)
	}
	t.Run("ErrNothingLeftToCancel", func(t *testing.T) {
		before := x.snapshot()
		_, err := cancel(x.otherClerk)
		if tsunagu.ErrorCode(err) != tsunagu.CodeInvalidState || !strings.Contains(tsunagu.ErrorMessage(err), "receive them") {
			t.Fatalf("got %v, want INVALID_STATE saying to receive", err)
		}
		x.unchanged(before)
	})
	t.Run("ErrShipAfterCancel", func(t *testing.T) {
		before := x.snapshot()
		_, err := x.svc.ShipTransfer(x.manager, tsunagu.ShipTransferInput{TransferID: tr.ID,
			Lines: []tsunagu.TransferQuantity{q(x.jam, 1)}, IdempotencyKey: x.key()})
		if tsunagu.ErrorCode(err) == "" {
			t.Fatal("shipped what was cancelled")
		}
		x.unchanged(before)
	})
	got, err = x.svc.ReceiveTransfer(x.otherClerk, tsunagu.ReceiveTransferInput{TransferID: tr.ID, IdempotencyKey: x.key()})
	must(t, err)
	if got.Status != tsunagu.TransferReceived {
		t.Errorf("status %s after the shipped cookies arrived, want RECEIVED", got.Status)
	}
	if w, s := x.level(x.warehouse, x.jam), x.level(x.partnerShop, x.cookies); w != (stock{50, 0}) || s != (stock{4, 0}) {
		t.Errorf("warehouse jam %+v, shop cookies %+v", w, s)
	}
	x.checkLedger()
}
