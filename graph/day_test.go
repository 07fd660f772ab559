package graph_test

import (
	"context"
	"strings"
	"testing"

	"tsunagu/graph/gid"
	"tsunagu/internal/pgtest"
	"tsunagu/internal/tsunagu"
)

// A day of the network through the API alone: the partner city ships spoons to the
// home shop, the shop receives them with a shortfall, a clerk opens the register,
// sells partner and home goods by scanned code, refunds a line, counts the cash and
// closes; both cities see the discrepancy, and the ledger agrees with the levels.
func TestADayAtTheCounter(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	ctx := context.Background()
	// The partner's facility is not a registered invoice issuer; the home one is.
	spoon := a.product(a.partnerFac, "木のスプーン", tsunagu.StatusActive, func(in *tsunagu.CreateProductInput) {
		in.Category, in.TaxClass, in.Price, in.Code = tsunagu.CategoryCraft, tsunagu.TaxStandard10, 1200, ptr("4512345678906")
	})
	cookie := a.product(a.homeFac, "クッキー", tsunagu.StatusActive, func(in *tsunagu.CreateProductInput) {
		in.Price, in.Code = 350, ptr("4901234567894")
	})
	loc := func(l *tsunagu.Location) string { return a.id(gid.KindLocation, int64(l.ID)) }
	prod := func(p *tsunagu.Product) string { return a.id(gid.KindProduct, int64(p.ID)) }

	// Stock comes in from production at each facility's own city.
	for _, c := range []struct {
		as string
		p  *tsunagu.Product
		l  *tsunagu.Location
		n  int
	}{{"otherManager", spoon, a.partnerShop, 20}, {"clerk", cookie, a.homeShop, 30}} {
		var out struct {
			AdjustStock struct{ UserErrors []userError }
		}
		a.ok(c.as, adjustStock, map[string]any{"in": map[string]any{"locationId": loc(c.l), "productId": prod(c.p),
			"quantity": c.n, "reason": "PRODUCTION", "idempotencyKey": key()}}, &out)
		if len(out.AdjustStock.UserErrors) > 0 {
			t.Fatalf("production: %+v", out.AdjustStock.UserErrors)
		}
	}

	// The partner offers 10 spoons, ships them, the shop's clerk receives 8 and
	// reports 2 damaged.
	var offered struct {
		RequestTransfer struct {
			Transfer struct{ ID, Status string }
		}
	}
	a.ok("otherManager", requestTransfer, map[string]any{"in": map[string]any{"fromLocationId": loc(a.partnerShop),
		"toLocationId": loc(a.homeShop), "lines": []map[string]any{{"productId": prod(spoon), "quantity": 10}},
		"idempotencyKey": key()}}, &offered)
	tr := offered.RequestTransfer.Transfer
	if tr.Status != "APPROVED" {
		t.Fatalf("an offer by the source is approved as made, got %s", tr.Status)
	}
	a.ok("otherManager", shipTransfer, map[string]any{"in": map[string]any{"transferId": tr.ID,
		"carrier": "ヤマト運輸", "trackingNumber": "1234-5678-9012", "idempotencyKey": key()}}, nil)
	var received struct {
		ReceiveTransfer struct {
			Transfer struct {
				Status string
				Lines  []struct{ Shipped, Received, Short, Outstanding int }
			}
			UserErrors []userError
		}
	}
	a.ok("clerk", receiveTransfer, map[string]any{"in": map[string]any{"transferId": tr.ID, "idempotencyKey": key(),
		"lines": []map[string]any{{"productId": prod(spoon), "accepted": 8, "short": 2, "shortReason": "DAMAGED_IN_TRANSIT"}}}}, &received)
	rt := received.ReceiveTransfer
	if len(rt.UserErrors) > 0 || rt.Transfer.Status != "RECEIVED" || rt.Transfer.Lines[0].Received != 8 || rt.Transfer.Lines[0].Short != 2 {
		t.Fatalf("receive: %+v", rt)
	}
	// Both cities see the shortfall and who did each step.
	for _, as := range []string{"manager", "otherManager"} {
		var seen struct {
			Transfer *struct {
				Lines  []struct{ Short int }
				Events []struct {
					Type  string
					Actor *struct{ Email string }
				}
				Shipments []struct{ Carrier, TrackingNumber string }
			}
		}
		a.ok(as, `query($id: ID!) { transfer(id: $id) { lines { short } events { type actor { email } }
			shipments { carrier trackingNumber } } }`, map[string]any{"id": tr.ID}, &seen)
		if seen.Transfer == nil || seen.Transfer.Lines[0].Short != 2 || len(seen.Transfer.Events) != 3 ||
			seen.Transfer.Shipments[0].TrackingNumber != "1234-5678-9012" {
			t.Errorf("%s sees %+v", as, seen.Transfer)
		}
	}

	// The shop: receipt settings, a register, a session with a float.
	a.ok("manager", updateShop, map[string]any{"in": map[string]any{"shopId": loc(a.homeShop),
		"operatorName": "港区", "registrationNumber": "T7000012050002"}}, nil)
	var reg struct {
		CreateRegister struct{ Register struct{ ID string } }
	}
	a.ok("manager", createRegister, map[string]any{"in": map[string]any{"shopId": loc(a.homeShop), "name": "レジ1"}}, &reg)
	var opened struct {
		OpenRegisterSession struct{ Session struct{ ID string } }
	}
	a.ok("clerk", openSession, map[string]any{"in": map[string]any{"registerId": reg.CreateRegister.Register.ID,
		"openingFloat": 30000, "idempotencyKey": key()}}, &opened)
	session := opened.OpenRegisterSession.Session.ID

	// Scan two spoons and three cookies, pay ¥5,000 in cash: ¥3,450, change ¥1,550.
	var sold struct {
		CreateSale struct {
			Sale struct {
				ID            string
				ReceiptNumber int
				Total         int
				Payments      []struct{ Change int }
			}
			UserErrors []userError
		}
	}
	a.ok("clerk", createSale, map[string]any{"in": map[string]any{"sessionId": session, "idempotencyKey": key(),
		"lines":    []map[string]any{{"code": "4512345678906", "quantity": 2}, {"code": "4901234567894", "quantity": 3}},
		"payments": []map[string]any{{"method": "CASH", "amount": 3450, "tendered": 5000}}}}, &sold)
	sale := sold.CreateSale.Sale
	if len(sold.CreateSale.UserErrors) > 0 || sale.Total != 3450 || sale.ReceiptNumber != 1 || sale.Payments[0].Change != 1550 {
		t.Fatalf("sale: %+v", sold.CreateSale)
	}
	var receipt struct {
		Sale struct {
			ReceiptText string
			Receipt     struct {
				Qualifying    []struct{ Rate, Total, Tax int }
				NonQualifying []struct{ Rate, Total int }
			}
		}
	}
	a.ok("clerk", `query($id: ID!) { sale(id: $id) { receiptText(width: 58)
		receipt { qualifying { rate total tax } nonQualifying { rate total } } } }`, map[string]any{"id": sale.ID}, &receipt)
	rc := receipt.Sale.Receipt
	// Cookies (8%, registered maker): ¥1,050 with ¥77 tax; spoons (10%, maker not
	// registered) totalled apart: ¥2,400.
	if len(rc.Qualifying) != 1 || rc.Qualifying[0].Total != 1050 || rc.Qualifying[0].Tax != 77 ||
		len(rc.NonQualifying) != 1 || rc.NonQualifying[0].Total != 2400 {
		t.Errorf("receipt totals: %+v", rc)
	}
	// No tax figure for the goods no qualified invoice covers: a client cannot
	// print one by mistake.
	if r := a.do("clerk", `query($id: ID!) { sale(id: $id) { receipt { nonQualifying { tax } } } }`,
		map[string]any{"id": sale.ID}); r.code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("nonQualifying has a tax: %s %+v", r.code(), r.Errors)
	}
	for _, want := range []string{"T7000012050002", "No.000001", "※", "◇", "¥3,450", "¥1,550"} {
		if !strings.Contains(receipt.Sale.ReceiptText, want) {
			t.Errorf("receipt text lacks %q:\n%s", want, receipt.Sale.ReceiptText)
		}
	}

	// The customer brings one cookie back: refunded in cash, receipt number 2.
	var refunded struct {
		RefundSale struct {
			Refund     struct{ ReceiptNumber, Total int }
			UserErrors []userError
		}
	}
	a.ok("clerk", refundSale, map[string]any{"in": map[string]any{"saleId": sale.ID, "sessionId": session,
		"lines": []map[string]any{{"lineNumber": 2, "quantity": 1}}, "method": "CASH", "idempotencyKey": key()}}, &refunded)
	if rf := refunded.RefundSale; len(rf.UserErrors) > 0 || rf.Refund.ReceiptNumber != 2 || rf.Refund.Total != 350 {
		t.Fatalf("refund: %+v", rf)
	}

	// Close: float 30,000 + 3,450 − 350 = 33,100 expected; 33,090 counted is ¥10 short.
	var closed struct {
		CloseRegisterSession struct {
			Session struct {
				Status string
				Report struct {
					SalesCount, ExpectedCash int
					CountedCash, OverShort   *int
				}
			}
			UserErrors []userError
		}
	}
	a.ok("clerk", closeSession, map[string]any{"in": map[string]any{"sessionId": session, "denominations": []map[string]any{
		{"denomination": 10000, "count": 3}, {"denomination": 1000, "count": 3}, {"denomination": 50, "count": 1}, {"denomination": 10, "count": 4}}, "idempotencyKey": key()}}, &closed)
	cs := closed.CloseRegisterSession
	if len(cs.UserErrors) > 0 || cs.Session.Status != "CLOSED" || cs.Session.Report.SalesCount != 1 ||
		cs.Session.Report.ExpectedCash != 33100 || cs.Session.Report.CountedCash == nil || *cs.Session.Report.CountedCash != 33090 ||
		cs.Session.Report.OverShort == nil || *cs.Session.Report.OverShort != -10 {
		t.Errorf("close: %+v", cs)
	}

	// Stock: 20 − 10 shipped at the partner; 8 received − 2 sold at home; 30 − 3 + 1 cookies.
	var levels struct {
		StockLevels struct {
			Edges []struct {
				Node struct {
					Product struct{ Name string }
					OnHand  int
				}
			}
		}
	}
	a.ok("manager", `query($l: ID!) { stockLevels(locationId: $l) { edges { node { product { name } onHand } } } }`,
		map[string]any{"l": loc(a.homeShop)}, &levels)
	got := map[string]int{}
	for _, e := range levels.StockLevels.Edges {
		got[e.Node.Product.Name] = e.Node.OnHand
	}
	if got["木のスプーン"] != 6 || got["クッキー"] != 28 {
		t.Errorf("levels at the home shop: %v", got)
	}
	if err := pgtest.CheckLedger(ctx, a.db.SQL()); err != nil {
		t.Error(err)
	}
}
