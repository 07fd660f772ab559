package postgres

import (
	"context"
	"strconv"
	"strings"

	"tsunagu/internal/tsunagu"
)

// ChannelEvents carries the committed changes of orders, stock levels, transfers
// and sign-ins (migration 00011's triggers), as IDs only.
const ChannelEvents = "tsunagu_events"

// EventsReceiver is the Receiver (for Listen) that hands sink the events of
// ChannelEvents. Payloads it cannot read are dropped.
func EventsReceiver(sink tsunagu.EventSink) Receiver { return eventsReceiver{sink} }

type eventsReceiver struct{ sink tsunagu.EventSink }

func (eventsReceiver) Channels() []string  { return []string{ChannelEvents} }
func (r eventsReceiver) Connected(ok bool) { r.sink.Connected(ok) }
func (r eventsReceiver) Notified(_, p string) {
	if e, ok := ParseEvent(p); ok {
		r.sink.Event(e)
	}
}

// ParseEvent reads a payload of ChannelEvents: "order:<id>:<shop>",
// "stock:<location>:<product>", "transfer:<id>:<from municipality>:<to
// municipality>" or "user:<id>".
func ParseEvent(payload string) (tsunagu.Event, bool) {
	parts := strings.Split(payload, ":")
	ids := make([]int64, len(parts)-1)
	for i, p := range parts[1:] {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return tsunagu.Event{}, false
		}
		ids[i] = n
	}
	e := tsunagu.Event{Kind: tsunagu.EventKind(parts[0])}
	switch {
	case e.Kind == tsunagu.EventOrder && len(ids) == 2:
		e.OrderID, e.ShopID = tsunagu.OrderID(ids[0]), tsunagu.LocationID(ids[1])
	case e.Kind == tsunagu.EventStock && len(ids) == 2:
		e.LocationID, e.ProductID = tsunagu.LocationID(ids[0]), tsunagu.ProductID(ids[1])
	case e.Kind == tsunagu.EventTransfer && len(ids) == 3:
		e.TransferID = tsunagu.TransferID(ids[0])
		e.FromMunicipalityID, e.ToMunicipalityID = tsunagu.MunicipalityID(ids[1]), tsunagu.MunicipalityID(ids[2])
	case e.Kind == tsunagu.EventUser && len(ids) == 1:
		e.UserID = tsunagu.UserID(ids[0])
	default:
		return tsunagu.Event{}, false
	}
	return e, true
}

// WatchService decides who may subscribe to what (tsunagu.Watcher).
type WatchService struct{ db *DB }

func NewWatchService(db *DB) *WatchService { return &WatchService{db: db} }

var _ tsunagu.Watcher = (*WatchService)(nil)

// location reads a location, NOT_FOUND (field "") when there is none.
func (s *WatchService) location(ctx context.Context, id tsunagu.LocationID) (*tsunagu.Location, error) {
	var l tsunagu.Location
	err := s.db.q().GetContext(ctx, &l, `SELECT id, municipality_id, kind, facility_id FROM locations WHERE id = $1`, id)
	if err != nil {
		return nil, notFound(err, "", "location")
	}
	return &l, nil
}

// WatchShopOrders returns nil when the user may see the orders of shop: its
// clerks, its municipality's managers, admins (the rule of shopVisibleTo).
func (s *WatchService) WatchShopOrders(ctx context.Context, shop tsunagu.LocationID) error {
	u := tsunagu.UserFrom(ctx)
	if u == nil {
		return tsunagu.ErrUnauthenticated
	}
	l, err := s.location(ctx, shop)
	if err != nil {
		return err
	}
	if l.Kind != tsunagu.LocationShop {
		return tsunagu.Errorf(tsunagu.CodeNotFound, "", "There is no such shop.")
	}
	return tsunagu.CanWorkAt(u, l)
}

// WatchLocationStock returns nil when the user is staff who may see the location's
// stock (SeesStockAt).
func (s *WatchService) WatchLocationStock(ctx context.Context, location tsunagu.LocationID) error {
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return err
	}
	l, err := s.location(ctx, location)
	if err != nil {
		return err
	}
	if !u.SeesStockAt(l) {
		return tsunagu.ErrForbidden
	}
	return nil
}

// WatchMunicipalityTransfers returns nil when the user is staff of m or an admin.
func (s *WatchService) WatchMunicipalityTransfers(ctx context.Context, m tsunagu.MunicipalityID) error {
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return err
	}
	var exists bool
	if err := s.db.q().GetContext(ctx, &exists, `SELECT EXISTS (SELECT FROM municipalities WHERE id = $1)`, m); err != nil {
		return err
	}
	if !exists {
		return tsunagu.Errorf(tsunagu.CodeNotFound, "", "There is no such municipality.")
	}
	if !u.SeesMunicipality(m) {
		return tsunagu.ErrForbidden
	}
	return nil
}
