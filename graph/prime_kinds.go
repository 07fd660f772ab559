package graph

import (
	"tsunagu/internal/tsunagu"
)

// kinds are the primer's queues, one per loader.
type kinds struct {
	sales         queue[tsunagu.SaleID, *tsunagu.Sale]
	transfers     queue[tsunagu.TransferID, *tsunagu.Transfer]
	registers     queue[tsunagu.RegisterID, *tsunagu.Register]
	sessions      queue[tsunagu.SessionID, *tsunagu.RegisterSession]
	openSessions  queue[tsunagu.RegisterID, *tsunagu.RegisterSession]
	saleLines     queue[tsunagu.SaleID, []*tsunagu.SaleLine]
	salePayments  queue[tsunagu.SaleID, []*tsunagu.Payment]
	refunds       queue[tsunagu.SaleID, []*tsunagu.Refund]
	refundLines   queue[tsunagu.RefundID, []*tsunagu.RefundLine]
	cashMovements queue[tsunagu.SessionID, []*tsunagu.CashMovement]
	tLines        queue[tsunagu.TransferID, []*tsunagu.TransferLine]
	tShipments    queue[tsunagu.TransferID, []*tsunagu.TransferShipment]
	tReceipts     queue[tsunagu.TransferID, []*tsunagu.TransferReceipt]
	tEvents       queue[tsunagu.TransferID, []*tsunagu.TransferEvent]
	orderLines    queue[tsunagu.OrderID, []*tsunagu.OrderLine]
	orderRefunds  queue[tsunagu.OrderID, []*tsunagu.OrderRefund]
	receipts      queue[tsunagu.ReceiptKey, *tsunagu.Receipt]
	reports       queue[tsunagu.SessionID, *tsunagu.ZReport]
	partners      queue[tsunagu.MunicipalityID, []*tsunagu.Municipality]
	stockLevels   queue[tsunagu.StockKey, *tsunagu.StockLevel]
	products      queue[tsunagu.ProductID, *tsunagu.Product]
	facilities    queue[tsunagu.FacilityID, *tsunagu.Facility]
	locations     queue[tsunagu.LocationID, *tsunagu.Location]
	shops         queue[tsunagu.LocationID, *tsunagu.Shop]
	shippingRules queue[tsunagu.LocationID, *tsunagu.ShippingRule]
	munis         queue[tsunagu.MunicipalityID, *tsunagu.Municipality]
	users         queue[tsunagu.UserID, *tsunagu.User]
}

// order is the order the kinds load in: a kind before the kinds its objects refer
// to, so that each usually loads once.
func (k *kinds) order() [27]runner {
	return [...]runner{&k.sales, &k.transfers, &k.registers, &k.sessions, &k.openSessions,
		&k.saleLines, &k.salePayments, &k.refunds, &k.refundLines, &k.cashMovements,
		&k.tLines, &k.tShipments, &k.tReceipts, &k.tEvents, &k.orderLines, &k.orderRefunds,
		&k.receipts, &k.reports, &k.partners, &k.stockLevels, &k.products, &k.facilities,
		&k.locations, &k.shops, &k.shippingRules, &k.munis, &k.users}
}
