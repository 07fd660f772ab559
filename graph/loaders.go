package graph

import (
	"context"
	"errors"
	"time"

	"github.com/vikstrous/dataloadgen"

	"tsunagu/internal/tsunagu"
)

// loaders batch the lookups of one request by ID, so that a page of objects costs one
// query per kind of reference, whatever the page size. Results map back by ID.
type loaders struct {
	municipality *dataloadgen.Loader[tsunagu.MunicipalityID, *tsunagu.Municipality]
	facility     *dataloadgen.Loader[tsunagu.FacilityID, *tsunagu.Facility]
	location     *dataloadgen.Loader[tsunagu.LocationID, *tsunagu.Location]
	product      *dataloadgen.Loader[tsunagu.ProductID, *tsunagu.Product]
	user         *dataloadgen.Loader[tsunagu.UserID, *tsunagu.User]
	stockLevel   *dataloadgen.Loader[tsunagu.StockKey, *tsunagu.StockLevel]

	partners     *dataloadgen.Loader[tsunagu.MunicipalityID, []*tsunagu.Municipality]
	facilitiesOf *dataloadgen.Loader[pageKey[tsunagu.MunicipalityID], *tsunagu.Page[*tsunagu.Facility]]
	locationsOf  *dataloadgen.Loader[pageKey[tsunagu.MunicipalityID], *tsunagu.Page[*tsunagu.Location]]
	productsOf   *dataloadgen.Loader[pageKey[tsunagu.FacilityID], *tsunagu.Page[*tsunagu.Product]]

	transfer          *dataloadgen.Loader[tsunagu.TransferID, *tsunagu.Transfer]
	transferLines     *dataloadgen.Loader[tsunagu.TransferID, []*tsunagu.TransferLine]
	transferShipments *dataloadgen.Loader[tsunagu.TransferID, []*tsunagu.TransferShipment]
	transferReceipts  *dataloadgen.Loader[tsunagu.TransferID, []*tsunagu.TransferReceipt]
	transferEvents    *dataloadgen.Loader[tsunagu.TransferID, []*tsunagu.TransferEvent]

	shop          *dataloadgen.Loader[tsunagu.LocationID, *tsunagu.Shop]
	register      *dataloadgen.Loader[tsunagu.RegisterID, *tsunagu.Register]
	session       *dataloadgen.Loader[tsunagu.SessionID, *tsunagu.RegisterSession]
	openSession   *dataloadgen.Loader[tsunagu.RegisterID, *tsunagu.RegisterSession]
	cashMovements *dataloadgen.Loader[tsunagu.SessionID, []*tsunagu.CashMovement]
	sale          *dataloadgen.Loader[tsunagu.SaleID, *tsunagu.Sale]
	saleLines     *dataloadgen.Loader[tsunagu.SaleID, []*tsunagu.SaleLine]
	salePayments  *dataloadgen.Loader[tsunagu.SaleID, []*tsunagu.Payment]
	refunds       *dataloadgen.Loader[tsunagu.SaleID, []*tsunagu.Refund]
	refundLines   *dataloadgen.Loader[tsunagu.RefundID, []*tsunagu.RefundLine]
	receipt       *dataloadgen.Loader[tsunagu.ReceiptKey, *tsunagu.Receipt]
	report        *dataloadgen.Loader[tsunagu.SessionID, *tsunagu.ZReport]

	order        *dataloadgen.Loader[tsunagu.OrderID, *tsunagu.Order]
	orderLines   *dataloadgen.Loader[tsunagu.OrderID, []*tsunagu.OrderLine]
	orderRefunds *dataloadgen.Loader[tsunagu.OrderID, []*tsunagu.OrderRefund]
	shippingRule *dataloadgen.Loader[tsunagu.LocationID, *tsunagu.ShippingRule]
}

// newLoaders makes a request's loaders; each collects keys for wait before it
// queries (Options.LoaderWait).
func newLoaders(r *Resolver, wait time.Duration) *loaders {
	opt := dataloadgen.WithWait(wait)
	l := &loaders{
		municipality: dataloadgen.NewMappedLoader(r.Catalog.MunicipalitiesByID, opt),
		facility:     dataloadgen.NewMappedLoader(r.Catalog.FacilitiesByID, opt),
		location:     dataloadgen.NewMappedLoader(r.Catalog.LocationsByID, opt),
		product:      dataloadgen.NewMappedLoader(r.Catalog.ProductsByID, opt),
		user:         dataloadgen.NewMappedLoader(r.Auth.UsersByID, opt),
		partners:     dataloadgen.NewMappedLoader(r.Catalog.Partners, opt),
		facilitiesOf: newPageLoader(r.Catalog.FacilitiesOf, opt),
		locationsOf:  newPageLoader(r.Catalog.LocationsOf, opt),
		productsOf:   newPageLoader(r.Catalog.ProductsOf, opt),
	}
	if r.Stock != nil {
		l.stockLevel = dataloadgen.NewMappedLoader(r.Stock.StockLevelsAt, opt)
	}
	if r.Transfers != nil {
		l.transfer = dataloadgen.NewMappedLoader(r.Transfers.TransfersByID, opt)
		l.transferLines = dataloadgen.NewMappedLoader(r.Transfers.TransferLines, opt)
		l.transferShipments = dataloadgen.NewMappedLoader(r.Transfers.TransferShipments, opt)
		l.transferReceipts = dataloadgen.NewMappedLoader(r.Transfers.TransferReceipts, opt)
		l.transferEvents = dataloadgen.NewMappedLoader(r.Transfers.TransferEvents, opt)
	}
	if r.POS != nil {
		l.shop = dataloadgen.NewMappedLoader(r.POS.ShopsByID, opt)
		l.register = dataloadgen.NewMappedLoader(r.POS.RegistersByID, opt)
		l.session = dataloadgen.NewMappedLoader(r.POS.SessionsByID, opt)
		l.openSession = dataloadgen.NewMappedLoader(r.POS.OpenSessions, opt)
		l.cashMovements = dataloadgen.NewMappedLoader(r.POS.CashMovements, opt)
		l.sale = dataloadgen.NewMappedLoader(r.POS.SalesByID, opt)
		l.saleLines = dataloadgen.NewMappedLoader(r.POS.SaleLines, opt)
		l.salePayments = dataloadgen.NewMappedLoader(r.POS.SalePayments, opt)
		l.refunds = dataloadgen.NewMappedLoader(r.POS.Refunds, opt)
		l.refundLines = dataloadgen.NewMappedLoader(r.POS.RefundLines, opt)
		l.receipt = dataloadgen.NewMappedLoader(r.POS.Receipts, opt)
		l.report = dataloadgen.NewMappedLoader(r.POS.Reports, opt)
	}
	if r.Orders != nil {
		l.order = dataloadgen.NewMappedLoader(r.Orders.OrdersByID, opt)
		l.orderLines = dataloadgen.NewMappedLoader(r.Orders.OrderLines, opt)
		l.orderRefunds = dataloadgen.NewMappedLoader(r.Orders.OrderRefunds, opt)
		l.shippingRule = dataloadgen.NewMappedLoader(r.Orders.ShippingRules, opt)
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

// load fetches one object through a loader; a missing object is NOT_FOUND.
func load[K comparable, V any](ctx context.Context, l *dataloadgen.Loader[K, V], id K, what string) (V, error) {
	v, err := l.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return v, tsunagu.Errorf(tsunagu.CodeNotFound, "", "There is no such %s.", what)
	}
	return v, err
}

// loadOptional is load for a reference that may be absent (nil id); it gives nil then.
func loadOptional[K comparable, V any](ctx context.Context, l *dataloadgen.Loader[K, V], id *K, what string) (V, error) {
	if id == nil {
		var zero V
		return zero, nil
	}
	return load(ctx, l, *id, what)
}

// loadVisible is load for a reference the user may not be allowed to see (an actor
// who is a customer, say): it gives nil instead of an error then.
func loadVisible[K comparable, V any](ctx context.Context, l *dataloadgen.Loader[K, V], id K) (V, error) {
	v, err := l.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return v, nil
	}
	return v, err
}

// loadList fetches the children of a parent through a loader of lists; a parent
// without children gives an empty list.
func loadList[K comparable, V any](ctx context.Context, l *dataloadgen.Loader[K, []V], id K) ([]V, error) {
	v, err := l.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) || (err == nil && v == nil) {
		return []V{}, nil
	}
	return v, err
}
