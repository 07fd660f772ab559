package graph_test

import (
	"context"
	"testing"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

// Through the API, refundOrder of an order refunded in full in Stripe's dashboard
// puts its lines on the refund made in Stripe: the payload's refund is that one,
// the order is REFUNDED and no longer flagged; another shop's clerk is refused.
func TestRefundOrderOfOutsideRefund(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	o := a.paidOrder(tsunagu.FulfilPickup)
	must(t, a.orders.ApplyPaymentEvent(context.Background(), tsunagu.PaymentEvent{ID: "evt_" + key(),
		Type: tsunagu.StripeChargeRefunded, PaymentIntentID: *o.PaymentIntentID, AmountRefunded: o.Total, OrderID: o.ID}))
	vars := map[string]any{"in": map[string]any{"orderId": a.id(gid.KindOrder, int64(o.ID)),
		"lines": []map[string]any{{"lineNumber": 1, "quantity": 2}}, "idempotencyKey": key()}}
	if r := a.do("otherClerk", refundOrder, vars); r.code() != string(tsunagu.CodeForbidden) {
		t.Errorf("another shop's clerk: %s, want FORBIDDEN", r.Data)
	}
	var out struct {
		RefundOrder struct {
			Refund struct {
				ID     string
				Amount int64
				Status string
			}
			Order struct {
				Status      string
				Refunded    int64
				PaymentFlag string
			}
			UserErrors []userError
		}
	}
	a.ok("clerk", `mutation($in: RefundOrderInput!) { refundOrder(input: $in) {
		refund { id amount status } order { status refunded paymentFlag } userErrors { code field message } } }`, vars, &out)
	got := out.RefundOrder
	if len(got.UserErrors) > 0 || got.Refund.Amount != o.Total || got.Refund.Status != "SUCCEEDED" ||
		got.Order.Status != "REFUNDED" || got.Order.Refunded != o.Total || got.Order.PaymentFlag != "" {
		t.Errorf("refundOrder answered %+v; want the outside refund of ¥%d, the order REFUNDED and unflagged", got, o.Total)
	}
}
