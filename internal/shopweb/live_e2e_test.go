package shopweb_test

import (
	"context"
	"testing"

	"tsunagu/internal/tsunagu"
)

// An order that changes after its page was read and before the page's
// subscription to it is in place shows the change by itself: the page reads the
// status again once the server acknowledges the subscription. The test holds that
// moment open: the subscription waits, its token checked but not yet watching,
// until the order is ready and its announcement has passed the hub, to nobody.
func TestOrderChangedBeforeSubscribed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	g := e.seedCatalog(t)
	e.openShop(t, g)
	co, err := e.orders.Checkout(context.Background(), tsunagu.CheckoutInput{
		Contact:    tsunagu.OrderContact{Email: "hanako@example.jp", Name: "山田 花子", Phone: "03-1234-5678"},
		Lines:      []tsunagu.CheckoutLineInput{{ShopID: e.shop.ID, ProductID: g.rice.ID, Quantity: 1}},
		Fulfilment: tsunagu.FulfilPickup, IdempotencyKey: "checkout-window"})
	must(t, err)
	id := e.paid(t)
	held := e.hold.Next()
	b := newBrowser(t, "order-window", "ja-JP,ja;q=0.9", true)

	b.open(e.url + "/shop/orders/" + co.Token + "?lang=ja")
	b.waitText("#status", "お支払いを確認しました")
	held.Wait(t)
	_, err = e.orders.MarkOrderReady(tsunagu.WithUser(context.Background(), e.manager, ""),
		tsunagu.OrderActionInput{OrderID: id, IdempotencyKey: "ready-window"})
	must(t, err)
	e.live.Settled(t, e.db.SQL())
	held.Release()
	b.waitText("#status", "準備ができました")
}
