package graph_test

import (
	"context"
	"strings"
	"testing"

	"tsunagu/graph/gid"
	"tsunagu/internal/pgtest"
	"tsunagu/internal/tsunagu"
)

const (
	orderFields = `order { id status total shippingFee lines { lineNumber name quantity product { name } owner { name } }
		taxes { taxClass total tax } qualifyingTaxes { taxClass total tax } nonQualifyingTaxes { taxClass total tax }
		captured refunds { id amount status error } } userErrors { code field message }`
	checkout        = `mutation($in: CheckoutInput!) { checkout(input: $in) { clientSecret orderToken ` + orderFields + ` } }`
	signUp          = `mutation($in: SignUpInput!) { signUp(input: $in) { userErrors { code field message } } }`
	markOrderReady  = `mutation($in: OrderActionInput!) { markOrderReady(input: $in) { ` + orderFields + ` } }`
	completeOrder   = `mutation($in: OrderActionInput!) { completeOrder(input: $in) { ` + orderFields + ` } }`
	shipOrder       = `mutation($in: ShipOrderInput!) { shipOrder(input: $in) { ` + orderFields + ` } }`
	cancelOrder     = `mutation($in: CancelOrderInput!) { cancelOrder(input: $in) { ` + orderFields + ` } }`
	setShippingRule = `mutation($in: SetShippingRuleInput!) { setShippingRule(input: $in) {
		shippingRule { fee freeAbove } userErrors { code field message } } }`
	createTerminalSale = `mutation($in: CreateTerminalSaleInput!) { createTerminalSale(input: $in) {
		paymentIntentId sale { id status } userErrors { code field message } } }`
	confirmTerminalSale = `mutation($in: ConfirmTerminalSaleInput!) { confirmTerminalSale(input: $in) { ` + saleFields + ` } }`
	refundOrder         = `mutation($in: RefundOrderInput!) { refundOrder(input: $in) {
		refund { id amount status } order { status refunded captured } userErrors { code field message } } }`
)

// paidOrder checks out one item of a new stocked product at the home shop and
// applies Stripe's payment, as the webhook would.
func (a *api) paidOrder(f tsunagu.Fulfilment) *tsunagu.Order {
	a.t.Helper()
	return a.paidCheckout(a.homeShop, f).Order
}

// paidCheckout is the checkout of a new order at shop (the home shop or the
// partner's), paid; its Token opens it.
func (a *api) paidCheckout(shop *tsunagu.Location, f tsunagu.Fulfilment) *tsunagu.Checkout {
	a.t.Helper()
	fac := a.homeFac
	if shop == a.homeShop {
		a.shop()
	} else {
		fac = a.partnerFac
		_, err := a.pos.UpdateShop(a.ctxs["admin"], tsunagu.UpdateShopInput{ShopID: shop.ID, OperatorName: ptr("旭川市")})
		must(a.t, err)
	}
	p := a.stocked(fac, shop, 5)
	in := tsunagu.CheckoutInput{Contact: tsunagu.OrderContact{Email: "guest@example.jp", Name: "ゲスト"},
		Lines:      []tsunagu.CheckoutLineInput{{ShopID: shop.ID, ProductID: p.ID, Quantity: 2}},
		Fulfilment: f, IdempotencyKey: key()}
	if f == tsunagu.FulfilDelivery {
		in.ShippingAddress = &tsunagu.ShippingAddress{PostalCode: "105-0011", Address: "東京都港区芝公園1-5-25"}
	}
	co, err := a.orders.Checkout(context.Background(), in)
	must(a.t, err)
	o := co.Order
	must(a.t, a.orders.ApplyPaymentEvent(context.Background(), tsunagu.PaymentEvent{ID: "evt_" + key(),
		Type: tsunagu.StripePaymentSucceeded, PaymentIntentID: *o.PaymentIntentID, Amount: o.Total, AmountReceived: o.Total, Currency: "jpy", OrderID: o.ID}))
	return co
}

// terminalSale starts a Terminal card sale of a new stocked product, as the clerk.
func (a *api) terminalSale() *tsunagu.Sale {
	a.t.Helper()
	s := a.session()
	p := a.stocked(a.homeFac, a.homeShop, 5)
	ts, err := a.pos.CreateTerminalSale(a.ctxs["clerk"], tsunagu.CreateTerminalSaleInput{SessionID: s.ID,
		Lines: []tsunagu.SaleLineInput{{ProductID: &p.ID, Quantity: 1}}, IdempotencyKey: key()})
	must(a.t, err)
	return ts.Sale
}

func checkoutVars(a *api, p *tsunagu.Product, qty int) map[string]any {
	return map[string]any{"in": map[string]any{
		"contact":        map[string]any{"email": "hanako@example.jp", "name": "山田花子"},
		"lines":          []map[string]any{{"shopId": a.id(gid.KindLocation, int64(a.homeShop.ID)), "productId": a.id(gid.KindProduct, int64(p.ID)), "quantity": qty}},
		"fulfilment":     "PICKUP",
		"idempotencyKey": key(),
	}}
}

type orderOut struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Total  int    `json:"total"`
	Lines  []struct {
		Name    string `json:"name"`
		Product struct{ Name string }
		Owner   struct{ Name string }
	} `json:"lines"`
	Taxes              []rateOut `json:"taxes"`
	QualifyingTaxes    []rateOut `json:"qualifyingTaxes"`
	NonQualifyingTaxes []rateOut `json:"nonQualifyingTaxes"`
	Captured           int       `json:"captured"`
}

type rateOut struct {
	TaxClass string `json:"taxClass"`
	Total    int    `json:"total"`
	Tax      int    `json:"tax"`
}

// A shopper signs up and checks out through the API; the order opens with its token
// and for the customer, not for another shop's clerk; the clerk fulfils it.
func TestSignUpAndCheckout(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.shop()
	p := a.stocked(a.homeFac, a.homeShop, 5)

	a.tokens["customer"] = a.signedUp("shopper@example.jp", "a long password", "買い物客")
	// Signing up again is answered as a new address is: the e-mail tells the rest.
	errs, code := a.mutate("", "signUp", signUp, map[string]any{"in": map[string]any{"email": "shopper@example.jp", "password": "a long password"}})
	if code != "" || len(errs) > 0 {
		t.Errorf("signing up twice: %q %s, want the answer a new address gets", code, codes(errs))
	}

	var co struct {
		Checkout struct {
			ClientSecret *string
			OrderToken   *string
			Order        orderOut
		}
	}
	a.ok("customer", checkout, checkoutVars(a, p, 3), &co)
	o := co.Checkout.Order
	if co.Checkout.ClientSecret == nil || co.Checkout.OrderToken == nil || o.Status != "PENDING_PAYMENT" || o.Total != 3*int(p.Price) {
		t.Fatalf("checkout: %+v", co.Checkout)
	}
	if len(o.Lines) != 1 || o.Lines[0].Owner.Name != a.homeFac.Name || len(o.Taxes) != 1 || o.Captured != 0 {
		t.Errorf("order: %+v", o)
	}
	// The order's taxes are split as on its receipt, and add up to taxes.
	split := append(append([]rateOut{}, o.QualifyingTaxes...), o.NonQualifyingTaxes...)
	if len(split) != 1 || split[0] != o.Taxes[0] {
		t.Errorf("taxes %+v, qualifying %+v, non-qualifying %+v", o.Taxes, o.QualifyingTaxes, o.NonQualifyingTaxes)
	}

	const byToken = `query($t: String!) { orderByToken(token: $t) { id number status } }`
	var bt struct {
		OrderByToken *struct {
			ID     string
			Number int64
		}
	}
	a.ok("", byToken, map[string]any{"t": *co.Checkout.OrderToken}, &bt)
	if bt.OrderByToken == nil || bt.OrderByToken.ID != o.ID {
		t.Errorf("orderByToken: %+v", bt)
	}
	// The number is the one the shopper's notifications name the order by.
	if n, _ := gid.DecodeKind(o.ID, gid.KindOrder); bt.OrderByToken != nil && bt.OrderByToken.Number != n {
		t.Errorf("order number %d, want %d", bt.OrderByToken.Number, n)
	}
	a.ok("", byToken, map[string]any{"t": "not-a-token"}, &bt)
	if bt.OrderByToken != nil {
		t.Errorf("a wrong token opens %+v", bt.OrderByToken)
	}
	// Staff see the PaymentIntent, to find the payment in Stripe; the shopper does not.
	const byID = `query($id: ID!) { order(id: $id) { id paymentIntentId } }`
	for as, visible := range map[string]bool{"customer": true, "clerk": true, "otherClerk": false, "": false} {
		var r struct {
			Order *struct {
				ID              string
				PaymentIntentID *string
			}
		}
		a.ok(as, byID, map[string]any{"id": o.ID}, &r)
		if (r.Order != nil) != visible {
			t.Errorf("order(id) as %q: %+v, want visible %v", as, r.Order, visible)
		}
		if r.Order != nil && (r.Order.PaymentIntentID != nil) != (as == "clerk") {
			t.Errorf("order(id) as %q: paymentIntentId %v", as, r.Order.PaymentIntentID)
		}
		if as == "clerk" && r.Order != nil && r.Order.PaymentIntentID != nil && !strings.HasPrefix(*r.Order.PaymentIntentID, "pi_") {
			t.Errorf("paymentIntentId %q", *r.Order.PaymentIntentID)
		}
	}

	n, err := gid.DecodeKind(o.ID, gid.KindOrder)
	must(t, err)
	orders, err := a.orders.OrdersByID(a.ctxs["admin"], []tsunagu.OrderID{tsunagu.OrderID(n)})
	must(t, err)
	paid := orders[tsunagu.OrderID(n)]
	must(t, a.orders.ApplyPaymentEvent(context.Background(), tsunagu.PaymentEvent{ID: "evt_" + key(),
		Type: tsunagu.StripePaymentSucceeded, PaymentIntentID: *paid.PaymentIntentID, Amount: paid.Total, AmountReceived: paid.Total, Currency: "jpy", OrderID: paid.ID}))
	for _, m := range []struct{ name, query, want string }{
		{"markOrderReady", markOrderReady, "READY_FOR_PICKUP"}, {"completeOrder", completeOrder, "COMPLETED"},
	} {
		var out map[string]struct{ Order orderOut }
		a.ok("clerk", m.query, map[string]any{"in": map[string]any{"orderId": o.ID, "idempotencyKey": key()}}, &out)
		if got := out[m.name].Order.Status; got != m.want {
			t.Errorf("%s: status %s, want %s", m.name, got, m.want)
		}
	}
	var list struct {
		Orders struct {
			Edges []struct{ Node struct{ ID, Status string } }
		}
	}
	a.ok("manager", `{ orders(filter: {status: COMPLETED}, first: 10) { edges { node { id status } } } }`, nil, &list)
	if len(list.Orders.Edges) != 1 || list.Orders.Edges[0].Node.ID != o.ID {
		t.Errorf("orders: %+v", list)
	}
	if err := pgtest.CheckLedger(context.Background(), a.db.SQL()); err != nil {
		t.Error(err)
	}
}

// A bad cart gets its userErrors and changes nothing.
func TestCheckoutUserErrors(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.shop()
	p := a.stocked(a.homeFac, a.homeShop, 2)
	tests := []struct {
		name string
		mod  func(in map[string]any)
		want string
	}{
		{"EmptyCart", func(in map[string]any) { in["lines"] = []map[string]any{} }, "EMPTY_CART@input.lines"},
		{"InsufficientStock", func(in map[string]any) { in["lines"].([]map[string]any)[0]["quantity"] = 3 }, "INSUFFICIENT_STOCK@input.lines.0.quantity"},
		{"DeliveryWithoutAddress", func(in map[string]any) { in["fulfilment"] = "DELIVERY" }, "REQUIRED@input.shippingAddress"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vars := checkoutVars(a, p, 1)
			tc.mod(vars["in"].(map[string]any))
			before := a.snapshot()
			errs, code := a.mutate("", "checkout", checkout, vars)
			if code != "" || codes(errs) != tc.want {
				t.Errorf("got %q %s, want %s", code, codes(errs), tc.want)
			}
			a.unchanged(before)
		})
	}
}
