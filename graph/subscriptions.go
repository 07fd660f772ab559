package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

// Subscriptions. Who may subscribe is decided by the Watcher service; each event
// is then read again through the ordinary read services, as the subscriber, so an
// event about an object the subscriber could not read is never sent.

// shopOrderEvents resolves shopOrderEvents(shopId:).
func (r *Resolver) shopOrderEvents(ctx context.Context, shopID string) (<-chan *tsunagu.Order, error) {
	n, err := gid.DecodeKind(shopID, gid.KindLocation)
	if err != nil {
		return nil, err
	}
	shop := tsunagu.LocationID(n)
	if err := r.Watch.WatchShopOrders(ctx, shop); err != nil {
		return nil, err
	}
	return stream(ctx, topicShop(shop), func(ctx context.Context, e tsunagu.Event) (*tsunagu.Order, error) {
		os, err := r.Orders.OrdersByID(ctx, []tsunagu.OrderID{e.OrderID})
		if o := os[e.OrderID]; err == nil && o != nil && o.ShopID == shop {
			return o, nil
		}
		return nil, err
	})
}

// orderStatus resolves orderStatus(token:): NOT_FOUND for a token that opens no
// order, as orderByToken.
func (r *Resolver) orderStatus(ctx context.Context, token string) (<-chan *tsunagu.Order, error) {
	o, err := r.Orders.OrderByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	return stream(ctx, topicOrder(o.ID), func(ctx context.Context, e tsunagu.Event) (*tsunagu.Order, error) {
		o, err := r.Orders.OrderByToken(ctx, token)
		if tsunagu.ErrorCode(err) == tsunagu.CodeNotFound {
			return nil, nil
		}
		return o, err
	})
}

// maxWatchedProducts bounds stockLevelChanged's productIds.
const maxWatchedProducts = 100

// stockLevelChanged resolves stockLevelChanged(locationId:, productIds:).
func (r *Resolver) stockLevelChanged(ctx context.Context, locationID string, productIDs []string) (<-chan *tsunagu.StockLevel, error) {
	n, err := gid.DecodeKind(locationID, gid.KindLocation)
	if err != nil {
		return nil, err
	}
	loc := tsunagu.LocationID(n)
	if len(productIDs) > maxWatchedProducts {
		return nil, tsunagu.Errorf(tsunagu.CodeOutOfRange, "productIds", "Follow at most %d products at once.", maxWatchedProducts)
	}
	var only map[tsunagu.ProductID]bool
	if productIDs != nil {
		only = map[tsunagu.ProductID]bool{}
		for _, id := range productIDs {
			p, err := gid.DecodeKind(id, gid.KindProduct)
			if err != nil {
				return nil, err
			}
			only[tsunagu.ProductID(p)] = true
		}
	}
	if err := r.Watch.WatchLocationStock(ctx, loc); err != nil {
		return nil, err
	}
	return stream(ctx, topicLocation(loc), func(ctx context.Context, e tsunagu.Event) (*tsunagu.StockLevel, error) {
		if only != nil && !only[e.ProductID] {
			return nil, nil
		}
		page, err := r.Stock.StockLevels(ctx, loc, tsunagu.StockLevelFilter{ProductID: &e.ProductID}, tsunagu.PageArgs{First: 1})
		if err != nil || len(page.Items) == 0 {
			return nil, err
		}
		return page.Items[0], nil
	})
}

// transferEvents resolves transferEvents(municipalityId:).
func (r *Resolver) transferEvents(ctx context.Context, municipalityID string) (<-chan *tsunagu.Transfer, error) {
	n, err := gid.DecodeKind(municipalityID, gid.KindMunicipality)
	if err != nil {
		return nil, err
	}
	m := tsunagu.MunicipalityID(n)
	if err := r.Watch.WatchMunicipalityTransfers(ctx, m); err != nil {
		return nil, err
	}
	return stream(ctx, topicMunicipality(m), func(ctx context.Context, e tsunagu.Event) (*tsunagu.Transfer, error) {
		ts, err := r.Transfers.TransfersByID(ctx, []tsunagu.TransferID{e.TransferID})
		return ts[e.TransferID], err
	})
}

// stream subscribes the socket of ctx to topic and sends, for each event of it,
// what read returns, as long as ctx lasts; read returns nil for an object the
// subscriber may not (or no longer) read, which is then not sent. Events coming
// faster than the subscriber takes them are folded (see Hub). When events stop
// being received, or an object cannot be read, the subscription ends with an
// error (UNAVAILABLE): the client refetches and subscribes again.
func stream[T any](ctx context.Context, topic string, read func(context.Context, tsunagu.Event) (*T, error)) (<-chan *T, error) {
	s := socketFrom(ctx)
	if s == nil {
		return nil, errNoLiveUpdates
	}
	release, err := s.subscribe()
	if err != nil {
		return nil, err
	}
	w, err := s.rt.Hub.watch(topic)
	if err != nil {
		release()
		return nil, err
	}
	out := make(chan *T)
	go func() {
		defer close(out)
		defer release()
		defer s.rt.Hub.unwatch(w)
		for {
			select {
			case <-ctx.Done():
				return
			case <-w.lost:
				endWith(ctx, errNoLiveUpdates)
				return
			case <-w.wake:
			}
			for _, e := range w.take() {
				v, err := read(ctx, e)
				switch tsunagu.ErrorCode(err) {
				case "":
				case tsunagu.CodeNotFound, tsunagu.CodeForbidden, tsunagu.CodeUnauthenticated:
					continue
				default:
					endWith(ctx, errNoLiveUpdates)
					return
				}
				if v == nil {
					continue
				}
				select {
				case out <- v:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

// A subscription that ends with an error (endWith) tells its subscriber in an
// error message. gqlgen collects those errors in the context
// (transport.AddSubscriptionError) and reads them once the operation's responses
// end, which is when the channel closes or when the socket's context is done,
// without waiting for the subscription's goroutine. So that goroutine never
// writes there itself: it leaves the error in the operation's endError, and the
// response handler (endErrors, in gqlgen's own goroutine) hands it over when the
// responses end. An error left after that, as the socket closes, is dropped.

type endErrorKey struct{}

// endError is the error a subscription operation ended with, if any.
type endError struct {
	mu  sync.Mutex
	err *tsunagu.Error
}

// endWith records e as the error the subscription of ctx ends with.
func endWith(ctx context.Context, e *tsunagu.Error) {
	if h, ok := ctx.Value(endErrorKey{}).(*endError); ok {
		h.mu.Lock()
		h.err = e
		h.mu.Unlock()
	}
}

// endErrors is the operation middleware of the socket's server that carries the
// errors of endWith to gqlgen.
func endErrors(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	h := &endError{}
	responses := next(context.WithValue(ctx, endErrorKey{}, h))
	return func(ctx context.Context) *graphql.Response {
		r := responses(ctx)
		if r == nil {
			h.mu.Lock()
			if e := h.err; e != nil {
				h.err = nil
				transport.AddSubscriptionError(ctx, &gqlerror.Error{Message: e.Message, Extensions: map[string]any{"code": string(e.Code)}})
			}
			h.mu.Unlock()
		}
		return r
	}
}
