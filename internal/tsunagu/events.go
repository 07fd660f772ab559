package tsunagu

import "context"

// EventKind says what kind of object an Event is about.
type EventKind string

const (
	EventOrder    EventKind = "order"
	EventStock    EventKind = "stock"
	EventTransfer EventKind = "transfer"
	// EventUser: a token of the user was revoked, or the user was changed or
	// disabled; their open connections must authenticate again.
	EventUser EventKind = "user"
)

// Event is a committed change of one object, announced to every API process. It
// holds only the IDs that say who may be interested, never the object's data: a
// subscriber's copy is always read again, as the subscriber.
type Event struct {
	Kind EventKind
	// EventOrder: the order and its shop.
	OrderID OrderID
	ShopID  LocationID
	// EventStock: the level of ProductID at LocationID.
	LocationID LocationID
	ProductID  ProductID
	// EventTransfer: the transfer and the municipalities it goes between.
	TransferID         TransferID
	FromMunicipalityID MunicipalityID
	ToMunicipalityID   MunicipalityID
	// EventUser.
	UserID UserID
}

// EventSink receives the committed events of every API process.
type EventSink interface {
	Event(e Event)
	// Connected reports whether events are being received. While they are not,
	// changes go unannounced: subscribers must be told.
	Connected(ok bool)
}

// Watcher decides who may subscribe to what; each event is then read again through
// the ordinary services, as the subscriber.
type Watcher interface {
	// WatchShopOrders returns nil when the user may follow the orders of shop (its
	// clerks, its municipality's managers, admins); UNAUTHENTICATED, FORBIDDEN or
	// NOT_FOUND (no such shop) otherwise.
	WatchShopOrders(ctx context.Context, shop LocationID) error
	// WatchLocationStock returns nil when the user may follow the stock of location:
	// staff who may see the location's municipality. UNAUTHENTICATED, FORBIDDEN or
	// NOT_FOUND otherwise.
	WatchLocationStock(ctx context.Context, location LocationID) error
	// WatchMunicipalityTransfers returns nil when the user may follow the transfers
	// to and from municipality m: its staff and admins. UNAUTHENTICATED, FORBIDDEN
	// or NOT_FOUND otherwise.
	WatchMunicipalityTransfers(ctx context.Context, m MunicipalityID) error
}
