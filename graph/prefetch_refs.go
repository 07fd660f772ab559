package graph

import (
	"context"

	"tsunagu/internal/tsunagu"
)

// The pages of stock levels, transfers and sales are prefetched like the product
// page (see prefetch.go): their child lists first, then every reference the query
// reaches, one statement per kind, in the order the kinds refer to each other
// (products → facilities → municipalities; locations → municipalities). Each kind is
// fetched at most once, so the count of statements is exact whatever the page size
// and however the resolvers' goroutines are scheduled.

// refs collects the IDs of a page's references, kind by kind, and which of the
// fetched objects' own references are wanted in turn.
type refs struct {
	products   []tsunagu.ProductID
	facilities []tsunagu.FacilityID
	locations  []tsunagu.LocationID
	munis      []tsunagu.MunicipalityID
	users      []tsunagu.UserID

	productFacility, productMuni, facilityMuni, locationMuni bool
}

// product notes the selection at path, a Product field: what of a product it reaches.
func (x *refs) product(ctx context.Context, path ...string) bool {
	if !selects(ctx, path...) {
		return false
	}
	at := func(more ...string) []string { return append(append([]string{}, path...), more...) }
	if selects(ctx, at("facility")...) {
		x.productFacility = true
		x.facilityMuni = x.facilityMuni || selects(ctx, at("facility", "municipality")...)
	}
	x.productMuni = x.productMuni || selects(ctx, at("municipality")...)
	return true
}

// facility notes the selection at path, a Facility field.
func (x *refs) facility(ctx context.Context, path ...string) bool {
	if !selects(ctx, path...) {
		return false
	}
	x.facilityMuni = x.facilityMuni || selects(ctx, append(append([]string{}, path...), "municipality")...)
	return true
}

// location notes the selection at path, a Location field.
func (x *refs) location(ctx context.Context, path ...string) bool {
	if !selects(ctx, path...) {
		return false
	}
	x.locationMuni = x.locationMuni || selects(ctx, append(append([]string{}, path...), "municipality")...)
	return true
}

// goods notes a line's product and owning facility, as far as they are wanted.
func (x *refs) goods(wantProduct, wantOwner bool, p tsunagu.ProductID, owner tsunagu.FacilityID) {
	if wantProduct {
		x.products = append(x.products, p)
	}
	if wantOwner {
		x.facilities = append(x.facilities, owner)
	}
}

// eachChild calls f with every child of every parent in m.
func eachChild[K comparable, V any](m map[K][]V, f func(V)) {
	for _, vs := range m {
		for _, v := range vs {
			f(v)
		}
	}
}

// prime fetches what x collected and primes the request's loaders with it.
func (r *Resolver) prime(ctx context.Context, x *refs) error {
	l := loadersFrom(ctx)
	err := primeByID(ctx, x.products, r.Catalog.ProductsByID, l.product.Prime, func(p *tsunagu.Product) {
		if x.productFacility {
			x.facilities = append(x.facilities, p.FacilityID)
		}
		if x.productMuni {
			x.munis = append(x.munis, p.MunicipalityID)
		}
	})
	if err == nil {
		err = primeByID(ctx, x.facilities, r.Catalog.FacilitiesByID, l.facility.Prime, func(f *tsunagu.Facility) {
			if x.facilityMuni {
				x.munis = append(x.munis, f.MunicipalityID)
			}
		})
	}
	if err == nil {
		err = primeByID(ctx, x.locations, r.Catalog.LocationsByID, l.location.Prime, func(loc *tsunagu.Location) {
			if x.locationMuni {
				x.munis = append(x.munis, loc.MunicipalityID)
			}
		})
	}
	if err == nil {
		err = primeByID(ctx, x.munis, r.Catalog.MunicipalitiesByID, l.municipality.Prime, nil)
	}
	if err != nil || len(x.users) == 0 {
		return err
	}
	ids := unique(x.users)
	us, err := r.Auth.UsersByID(ctx, ids)
	if err != nil {
		return err
	}
	// Users are loaded with loadVisible: one the viewer may not see is null, and
	// priming it so saves asking again.
	for _, id := range ids {
		l.user.Prime(id, us[id])
	}
	return nil
}

// primeByID fetches the objects of ids (if any) in one statement, primes a loader
// with them and passes each to then (when not nil), which may collect what they
// refer to in turn.
func primeByID[K interface{ ~int64 }, V any](ctx context.Context, ids []K,
	fetch func(context.Context, []K) (map[K]V, error), prime func(K, V) bool, then func(V)) error {
	if len(ids) == 0 {
		return nil
	}
	m, err := fetch(ctx, unique(ids))
	if err != nil {
		return err
	}
	for id, v := range m {
		prime(id, v)
		if then != nil {
			then(v)
		}
	}
	return nil
}

// primeLists fetches the child lists of a page's parents in one statement and
// primes a loader of lists with them, an empty list for a parent without children.
func primeLists[K comparable, V any](ctx context.Context, ids []K,
	fetch func(context.Context, []K) (map[K][]V, error), prime func(K, []V) bool) (map[K][]V, error) {
	m, err := fetch(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		v := m[id]
		if v == nil {
			v = []V{}
		}
		prime(id, v)
	}
	return m, nil
}

// pageNode is the path from a connection to its nodes.
var pageNode = []string{"edges", "node"}

// under returns a function that extends path at.
func under(at []string) func(more ...string) []string {
	return func(more ...string) []string { return append(append([]string{}, at...), more...) }
}

// prefetchStockLevelRefs primes the loaders for stock levels found at path at of
// the field being resolved (pageNode for a connection).
func (r *Resolver) prefetchStockLevelRefs(ctx context.Context, ls []*tsunagu.StockLevel, at ...string) error {
	if len(ls) == 0 {
		return nil
	}
	var x refs
	node := under(at)
	wantProduct := x.product(ctx, node("product")...)
	if x.facility(ctx, node("owner")...) {
		wantProduct, x.productFacility = true, true
	}
	wantLocation := x.location(ctx, node("location")...)
	for _, s := range ls {
		if wantProduct {
			x.products = append(x.products, s.ProductID)
		}
		if wantLocation {
			x.locations = append(x.locations, s.LocationID)
		}
	}
	return r.prime(ctx, &x)
}

// prefetchTransferRefs primes the loaders for transfers found at path at of the
// field being resolved: pageNode for a connection, "transfer" for a payload.
func (r *Resolver) prefetchTransferRefs(ctx context.Context, ts []*tsunagu.Transfer, at ...string) error {
	if len(ts) == 0 {
		return nil
	}
	l := loadersFrom(ctx)
	ids := make([]tsunagu.TransferID, len(ts))
	var x refs
	node := under(at)
	wantFrom, wantTo := x.location(ctx, node("from")...), x.location(ctx, node("to")...)
	wantFromMuni, wantToMuni := selects(ctx, node("fromMunicipality")...), selects(ctx, node("toMunicipality")...)
	for i, t := range ts {
		ids[i] = t.ID
		if wantFrom {
			x.locations = append(x.locations, t.FromLocationID)
		}
		if wantTo {
			x.locations = append(x.locations, t.ToLocationID)
		}
		if wantFromMuni {
			x.munis = append(x.munis, t.FromMunicipalityID)
		}
		if wantToMuni {
			x.munis = append(x.munis, t.ToMunicipalityID)
		}
	}
	if selects(ctx, node("lines")...) {
		lines, err := primeLists(ctx, ids, r.Transfers.TransferLines, l.transferLines.Prime)
		if err != nil {
			return err
		}
		wantProduct, wantOwner := x.product(ctx, node("lines", "product")...), x.facility(ctx, node("lines", "owner")...)
		eachChild(lines, func(line *tsunagu.TransferLine) {
			x.goods(wantProduct, wantOwner, line.ProductID, line.OwnerFacilityID)
		})
	}
	if selects(ctx, node("events")...) {
		events, err := primeLists(ctx, ids, r.Transfers.TransferEvents, l.transferEvents.Prime)
		if err != nil {
			return err
		}
		if selects(ctx, node("events", "actor")...) {
			eachChild(events, func(e *tsunagu.TransferEvent) { x.users = append(x.users, e.ActorID) })
		}
	}
	if selects(ctx, node("shipments")...) {
		shipments, err := primeLists(ctx, ids, r.Transfers.TransferShipments, l.transferShipments.Prime)
		if err != nil {
			return err
		}
		if selects(ctx, node("shipments", "shippedBy")...) {
			eachChild(shipments, func(s *tsunagu.TransferShipment) { x.users = append(x.users, s.ShippedBy) })
		}
	}
	if selects(ctx, node("receipts")...) {
		receipts, err := primeLists(ctx, ids, r.Transfers.TransferReceipts, l.transferReceipts.Prime)
		if err != nil {
			return err
		}
		wantBy, wantProduct := selects(ctx, node("receipts", "receivedBy")...), x.product(ctx, node("receipts", "lines", "product")...)
		eachChild(receipts, func(rc *tsunagu.TransferReceipt) {
			if wantBy {
				x.users = append(x.users, rc.ReceivedBy)
			}
			if wantProduct {
				for _, line := range rc.Lines {
					x.products = append(x.products, line.ProductID)
				}
			}
		})
	}
	return r.prime(ctx, &x)
}

// prefetchSaleRefs primes the loaders for sales found at path at of the field
// being resolved: pageNode for a connection, "sale" for a payload.
func (r *Resolver) prefetchSaleRefs(ctx context.Context, ss []*tsunagu.Sale, at ...string) error {
	if len(ss) == 0 {
		return nil
	}
	l := loadersFrom(ctx)
	ids := make([]tsunagu.SaleID, len(ss))
	var x refs
	node := under(at)
	wantShop := x.location(ctx, node("shop")...)
	wantSoldBy, wantVoidedBy := selects(ctx, node("soldBy")...), selects(ctx, node("voidedBy")...)
	var registers []tsunagu.RegisterID
	var sessions []tsunagu.SessionID
	wantRegister, wantSession := selects(ctx, node("register")...), selects(ctx, node("session")...)
	for i, s := range ss {
		ids[i] = s.ID
		if wantShop {
			x.locations = append(x.locations, s.ShopID)
		}
		if wantSoldBy {
			x.users = append(x.users, s.SoldBy)
		}
		if wantVoidedBy && s.VoidedBy != nil {
			x.users = append(x.users, *s.VoidedBy)
		}
		if wantRegister {
			registers = append(registers, s.RegisterID)
		}
		if wantSession {
			sessions = append(sessions, s.SessionID)
		}
	}
	if err := primeByID(ctx, registers, r.POS.RegistersByID, l.register.Prime, nil); err != nil {
		return err
	}
	if err := primeByID(ctx, sessions, r.POS.SessionsByID, l.session.Prime, nil); err != nil {
		return err
	}
	if selects(ctx, node("lines")...) {
		lines, err := primeLists(ctx, ids, r.POS.SaleLines, l.saleLines.Prime)
		if err != nil {
			return err
		}
		wantProduct, wantOwner := x.product(ctx, node("lines", "product")...), x.facility(ctx, node("lines", "owner")...)
		eachChild(lines, func(line *tsunagu.SaleLine) {
			x.goods(wantProduct, wantOwner, line.ProductID, line.OwnerFacilityID)
		})
	}
	if selects(ctx, node("payments")...) {
		if _, err := primeLists(ctx, ids, r.POS.SalePayments, l.salePayments.Prime); err != nil {
			return err
		}
	}
	if selects(ctx, node("refunds")...) {
		if _, err := primeLists(ctx, ids, r.POS.Refunds, l.refunds.Prime); err != nil {
			return err
		}
	}
	return r.prime(ctx, &x)
}

// prefetchStocktakeRefs primes the loaders for the changed lines of a stocktake in
// a payload.
func (r *Resolver) prefetchStocktakeRefs(ctx context.Context, st *tsunagu.Stocktake) error {
	var x refs
	if !x.product(ctx, "stocktake", "changedLines", "product") {
		return nil
	}
	for _, l := range changedLines(st) {
		x.products = append(x.products, l.ProductID)
	}
	return r.prime(ctx, &x)
}
