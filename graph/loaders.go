package graph

import (
	"context"

	"tsunagu/internal/tsunagu"
)

// loaders are a request's loaders (see loader.go), one per kind of object or child
// list, and its nested pages.
type loaders struct {
	municipality loader[tsunagu.MunicipalityID, *tsunagu.Municipality]
	facility     loader[tsunagu.FacilityID, *tsunagu.Facility]
	location     loader[tsunagu.LocationID, *tsunagu.Location]
	product      loader[tsunagu.ProductID, *tsunagu.Product]
	user         loader[tsunagu.UserID, *tsunagu.User]
	stockLevel   loader[tsunagu.StockKey, *tsunagu.StockLevel]
	partners     loader[tsunagu.MunicipalityID, []*tsunagu.Municipality]
	partnerships loader[tsunagu.MunicipalityID, []*tsunagu.Partnership]

	transfer          loader[tsunagu.TransferID, *tsunagu.Transfer]
	transferLines     loader[tsunagu.TransferID, []*tsunagu.TransferLine]
	transferShipments loader[tsunagu.TransferID, []*tsunagu.TransferShipment]
	transferReceipts  loader[tsunagu.TransferID, []*tsunagu.TransferReceipt]
	transferEvents    loader[tsunagu.TransferID, []*tsunagu.TransferEvent]

	shop          loader[tsunagu.LocationID, *tsunagu.Shop]
	register      loader[tsunagu.RegisterID, *tsunagu.Register]
	session       loader[tsunagu.SessionID, *tsunagu.RegisterSession]
	openSession   loader[tsunagu.RegisterID, *tsunagu.RegisterSession]
	cashMovements loader[tsunagu.SessionID, []*tsunagu.CashMovement]
	sale          loader[tsunagu.SaleID, *tsunagu.Sale]
	saleLines     loader[tsunagu.SaleID, []*tsunagu.SaleLine]
	salePayments  loader[tsunagu.SaleID, []*tsunagu.Payment]
	refunds       loader[tsunagu.SaleID, []*tsunagu.Refund]
	refundLines   loader[tsunagu.RefundID, []*tsunagu.RefundLine]
	receipt       loader[tsunagu.ReceiptKey, *tsunagu.Receipt]
	report        loader[tsunagu.SessionID, *tsunagu.ZReport]

	order        loader[tsunagu.OrderID, *tsunagu.Order]
	orderLines   loader[tsunagu.OrderID, []*tsunagu.OrderLine]
	orderRefunds loader[tsunagu.OrderID, []*tsunagu.OrderRefund]
	shippingRule loader[tsunagu.LocationID, *tsunagu.ShippingRule]

	facilitiesOf nestedPages[tsunagu.MunicipalityID, *tsunagu.Facility]
	locationsOf  nestedPages[tsunagu.MunicipalityID, *tsunagu.Location]
	productsOf   nestedPages[tsunagu.FacilityID, *tsunagu.Product]
}

// newLoaders makes a request's loaders, empty. A service the server runs without
// (no POS, say) leaves its loaders without a fetch: they find nothing.
func newLoaders(r *Resolver) *loaders {
	l := &loaders{}
	l.municipality.fetch = r.Catalog.MunicipalitiesByID
	l.facility.fetch = r.Catalog.FacilitiesByID
	l.location.fetch = r.Catalog.LocationsByID
	l.product.fetch = r.Catalog.ProductsByID
	l.user.fetch = r.Auth.UsersByID
	l.partners.fetch = r.Catalog.Partners
	l.partnerships.fetch = r.Catalog.PartnershipsOf
	if r.Stock != nil {
		l.stockLevel.fetch = r.Stock.StockLevelsAt
	}
	if r.Transfers != nil {
		l.transfer.fetch = r.Transfers.TransfersByID
		l.transferLines.fetch = r.Transfers.TransferLines
		l.transferShipments.fetch = r.Transfers.TransferShipments
		l.transferReceipts.fetch = r.Transfers.TransferReceipts
		l.transferEvents.fetch = r.Transfers.TransferEvents
	}
	if r.POS != nil {
		l.shop.fetch = r.POS.ShopsByID
		l.register.fetch = r.POS.RegistersByID
		l.session.fetch = r.POS.SessionsByID
		l.openSession.fetch = r.POS.OpenSessions
		l.cashMovements.fetch = r.POS.CashMovements
		l.sale.fetch = r.POS.SalesByID
		l.saleLines.fetch = r.POS.SaleLines
		l.salePayments.fetch = r.POS.SalePayments
		l.refunds.fetch = r.POS.Refunds
		l.refundLines.fetch = r.POS.RefundLines
		l.receipt.fetch = r.POS.Receipts
		l.report.fetch = r.POS.Reports
	}
	if r.Orders != nil {
		l.order.fetch = r.Orders.OrdersByID
		l.orderLines.fetch = r.Orders.OrderLines
		l.orderRefunds.fetch = r.Orders.OrderRefunds
		l.shippingRule.fetch = r.Orders.ShippingRules
	}
	return l
}

type loadersKey struct{}

func withLoaders(ctx context.Context, l *loaders) context.Context {
	return context.WithValue(ctx, loadersKey{}, l)
}

func loadersFrom(ctx context.Context) *loaders {
	return ctx.Value(loadersKey{}).(*loaders)
}
