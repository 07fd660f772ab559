package graph_test

import (
	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

// Queries of the stock, exchange and POS mutations, returning only what the tests
// need from their payloads.
const (
	adjustStock = `mutation($in: AdjustStockInput!) { adjustStock(input: $in) {
		adjustment { id quantity level { onHand available } } userErrors { code field message } } }`
	recordStocktake = `mutation($in: RecordStocktakeInput!) { recordStocktake(input: $in) {
		stocktake { id changedLines { product { name } expected counted difference } } userErrors { code field message } } }`
	setReorderPoint = `mutation($in: SetReorderPointInput!) { setReorderPoint(input: $in) {
		level { reorderPoint belowReorderPoint } userErrors { code field message } } }`
	transferFields     = `transfer { id status lines { product { name } requested approved shipped received short outstanding } } userErrors { code field message }`
	requestTransfer    = `mutation($in: RequestTransferInput!) { requestTransfer(input: $in) { ` + transferFields + ` } }`
	approveTransfer    = `mutation($in: ApproveTransferInput!) { approveTransfer(input: $in) { ` + transferFields + ` } }`
	shipTransfer       = `mutation($in: ShipTransferInput!) { shipTransfer(input: $in) { ` + transferFields + ` } }`
	receiveTransfer    = `mutation($in: ReceiveTransferInput!) { receiveTransfer(input: $in) { ` + transferFields + ` } }`
	cancelTransfer     = `mutation($in: CancelTransferInput!) { cancelTransfer(input: $in) { ` + transferFields + ` } }`
	updateShop         = `mutation($in: UpdateShopInput!) { updateShop(input: $in) { shop { operatorName rounding } userErrors { code field message } } }`
	createRegister     = `mutation($in: CreateRegisterInput!) { createRegister(input: $in) { register { id name } userErrors { code field message } } }`
	sessionFields      = `session { id status report { salesCount expectedCash countedCash overShort } } userErrors { code field message }`
	openSession        = `mutation($in: OpenRegisterSessionInput!) { openRegisterSession(input: $in) { ` + sessionFields + ` } }`
	closeSession       = `mutation($in: CloseRegisterSessionInput!) { closeRegisterSession(input: $in) { ` + sessionFields + ` } }`
	recordCashMovement = `mutation($in: RecordCashMovementInput!) { recordCashMovement(input: $in) {
		cashMovement { type amount } userErrors { code field message } } }`
	saleFields = `sale { id receiptNumber status total payments { method amount tendered change } } userErrors { code field message }`
	createSale = `mutation($in: CreateSaleInput!) { createSale(input: $in) { ` + saleFields + ` } }`
	voidSale   = `mutation($in: VoidSaleInput!) { voidSale(input: $in) { ` + saleFields + ` } }`
	refundSale = `mutation($in: RefundSaleInput!) { refundSale(input: $in) {
		refund { id receiptNumber total } userErrors { code field message } } }`
)

// id returns the global ID of an object.
func (a *api) id(kind string, n int64) string { return gid.Encode(kind, n) }

// stocked makes an active product of facility f with n on hand at location l,
// brought in through the ledger.
func (a *api) stocked(f *tsunagu.Facility, l *tsunagu.Location, n int) *tsunagu.Product {
	a.t.Helper()
	p := a.product(f, "在庫のある品"+key()[:4], tsunagu.StatusActive)
	_, err := a.stock.AdjustStock(a.ctxs["admin"], tsunagu.AdjustStockInput{LocationID: l.ID, ProductID: p.ID,
		Quantity: n, Reason: tsunagu.ReasonProduction, IdempotencyKey: key()})
	must(a.t, err)
	return p
}

// transfer makes a transfer of a stocked product from one location to another,
// asked for by the user named by, and takes it as far as status.
func (a *api) transfer(from, to *tsunagu.Location, by string, status tsunagu.TransferStatus) *tsunagu.Transfer {
	a.t.Helper()
	f := a.homeFac
	if from.MunicipalityID == a.partner.ID {
		f = a.partnerFac
	}
	p := a.stocked(f, from, 10)
	t, err := a.transfers.RequestTransfer(a.ctxs[by], tsunagu.RequestTransferInput{FromLocationID: from.ID, ToLocationID: to.ID,
		Lines: []tsunagu.TransferQuantity{{ProductID: p.ID, Quantity: 4}}, IdempotencyKey: key()})
	must(a.t, err)
	admin := a.ctxs["admin"]
	if t.Status == tsunagu.TransferRequested && status != tsunagu.TransferRequested {
		t, err = a.transfers.ApproveTransfer(admin, tsunagu.ApproveTransferInput{TransferID: t.ID, IdempotencyKey: key()})
		must(a.t, err)
	}
	if status == tsunagu.TransferShipped {
		t, err = a.transfers.ShipTransfer(admin, tsunagu.ShipTransferInput{TransferID: t.ID, IdempotencyKey: key()})
		must(a.t, err)
	}
	if t.Status != status {
		a.t.Fatalf("transfer is %s, want %s", t.Status, status)
	}
	return t
}

// shop sets up the home shop's receipt settings.
func (a *api) shop() {
	a.t.Helper()
	_, err := a.pos.UpdateShop(a.ctxs["admin"], tsunagu.UpdateShopInput{ShopID: a.homeShop.ID, OperatorName: ptr("港区"),
		RegistrationNumber: ptr("T7000012050002")})
	must(a.t, err)
}

// register adds a register to the home shop.
func (a *api) register() *tsunagu.Register {
	a.t.Helper()
	a.shop()
	r, err := a.pos.CreateRegister(a.ctxs["admin"], tsunagu.CreateRegisterInput{ShopID: a.homeShop.ID, Name: "レジ" + key()[:6]})
	must(a.t, err)
	return r
}

// session opens a new register of the home shop, as its clerk.
func (a *api) session() *tsunagu.RegisterSession {
	a.t.Helper()
	s, err := a.pos.OpenRegisterSession(a.ctxs["clerk"], tsunagu.OpenSessionInput{IdempotencyKey: key(), RegisterID: a.register().ID, OpeningFloat: 30000})
	must(a.t, err)
	return s
}

// sale sells one item of a new stocked product in a new session, as the clerk.
func (a *api) sale() *tsunagu.Sale {
	a.t.Helper()
	s := a.session()
	p := a.stocked(a.homeFac, a.homeShop, 5)
	sale, err := a.pos.CreateSale(a.ctxs["clerk"], tsunagu.CreateSaleInput{SessionID: s.ID,
		Lines:          []tsunagu.SaleLineInput{{ProductID: &p.ID, Quantity: 1}},
		Payments:       []tsunagu.PaymentInput{{Method: tsunagu.PaymentCash, Amount: p.Price}},
		IdempotencyKey: key()})
	must(a.t, err)
	return sale
}

// saleInput is the createSale input selling qty of p in session s for exact cash.
func saleInput(a *api, s *tsunagu.RegisterSession, p *tsunagu.Product, qty int) map[string]any {
	return map[string]any{"sessionId": a.id(gid.KindSession, int64(s.ID)),
		"lines":          []map[string]any{{"productId": a.id(gid.KindProduct, int64(p.ID)), "quantity": qty}},
		"payments":       []map[string]any{{"method": "CASH", "amount": p.Price * int64(qty)}},
		"idempotencyKey": key()}
}
