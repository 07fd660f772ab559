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
// error (UNAVAILABLE): the client refetches and subscribes again. Once the
// subscription watches, it is acknowledged when asked (see socketOperation).
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
	markWatching(ctx)
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

// The socket's operations and their subscriptions' goroutines meet in an
// operation's state (operationState), which the socket's operation middleware
// (socketOperation) puts in the context of each operation.
//
// A subscription in place (watching) is acknowledged, to a client that asks for
// it with {"acknowledge": true} in the extensions of its subscribe message, by a
// first message {"data": null, "extensions": {"subscribed": true}}: from then on
// no change is missed, so the client reads what it shows (again) on it. The
// protocol has no acknowledgement of its own, and without one a change between
// the client's read and the subscription's start is lost.
//
// A subscription that ends with an error (endWith) tells its subscriber in an
// error message. gqlgen collects those errors in the context
// (transport.AddSubscriptionError) and reads them once the operation's responses
// end, which is when the channel closes or when the socket's context is done,
// without waiting for the subscription's goroutine. So that goroutine never
// writes there itself: it leaves the error in the operation's state, and the
// response handler (socketOperation's, in gqlgen's own goroutine) hands it over
// when the responses end. An error left after that, as the socket closes, is
// dropped.

type operationStateKey struct{}

// operationState is what a subscription operation's resolver and goroutine tell
// the socket.
type operationState struct {
	mu       sync.Mutex
	watching bool           // the resolver's watch is in place
	err      *tsunagu.Error // the error the subscription ended with, if any
}

func operationStateFrom(ctx context.Context) *operationState {
	h, _ := ctx.Value(operationStateKey{}).(*operationState)
	return h
}

// markWatching records that the subscription of ctx is in place.
func markWatching(ctx context.Context) {
	if h := operationStateFrom(ctx); h != nil {
		h.mu.Lock()
		h.watching = true
		h.mu.Unlock()
	}
}

// endWith records e as the error the subscription of ctx ends with.
func endWith(ctx context.Context, e *tsunagu.Error) {
	if h := operationStateFrom(ctx); h != nil {
		h.mu.Lock()
		h.err = e
		h.mu.Unlock()
	}
}

// acknowledgeKey is the extension of a subscribe message that asks for the
// acknowledgement, and subscribedKey the extension of the acknowledgement.
const (
	acknowledgeKey = "acknowledge"
	subscribedKey  = "subscribed"
)

// socketOperation is the operation middleware of the socket's server: it sends
// the acknowledgement of a subscription in place, when asked, before its events,
// and carries the errors of endWith to gqlgen.
func socketOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	h := &operationState{}
	// The subscription's resolver runs in next: its watch is in place, or refused,
	// when next returns.
	responses := next(context.WithValue(ctx, operationStateKey{}, h))
	h.mu.Lock()
	ack := h.watching && graphql.GetOperationContext(ctx).Extensions[acknowledgeKey] == true
	h.mu.Unlock()
	return func(ctx context.Context) *graphql.Response {
		if ack {
			ack = false
			return &graphql.Response{Extensions: map[string]any{subscribedKey: true}}
		}
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
