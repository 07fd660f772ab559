package graph_test

import (
	"testing"

	"tsunagu/graph/gid"
)

const cancelTerminalSale = `mutation($in: CancelTerminalSaleInput!) { cancelTerminalSale(input: $in) {
	sale { id status receiptNumber lastPaymentError paymentFlag } userErrors { code field message } } }`

// The POS app gives up a Terminal sale the shopper walked away from: the sale is
// cancelled (stripe-mock accepts the PaymentIntent's cancellation), its stock is
// free again and the register closes.
func TestCancelTerminalSaleAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	sale := a.terminalSale()
	var out struct {
		CancelTerminalSale struct {
			Sale struct {
				ID, Status, LastPaymentError, PaymentFlag string
				ReceiptNumber                             int
			}
			UserErrors []userError
		}
	}
	a.ok("clerk", cancelTerminalSale, map[string]any{"in": map[string]any{
		"saleId": a.id(gid.KindSale, int64(sale.ID)), "idempotencyKey": key()}}, &out)
	got := out.CancelTerminalSale
	if len(got.UserErrors) > 0 || got.Sale.Status != "CANCELLED" || got.Sale.ReceiptNumber != 0 || got.Sale.PaymentFlag != "" {
		t.Fatalf("cancelTerminalSale: %+v", got)
	}
	errs, code := a.mutate("clerk", "closeRegisterSession", closeSession, map[string]any{"in": map[string]any{
		"sessionId": a.id(gid.KindSession, int64(sale.SessionID)), "countedCash": 30000, "idempotencyKey": key()}})
	if code != "" || len(errs) > 0 {
		t.Errorf("closing the register after the cancel: %s %+v", code, errs)
	}
}
