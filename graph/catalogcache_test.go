package graph_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"tsunagu/graph"
	"tsunagu/graph/gid"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// Two API processes (two handlers, each with its cache and its listener) serve the
// anonymous catalog from memory, and both see every change as soon as it is
// committed: a price, a stock level.
func TestCatalogCache(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	p := a.stocked(a.homeFac, a.homeShop, 5)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var hs []http.Handler
	var caches []*graph.CatalogCache
	for range 2 {
		c := graph.NewCatalogCache()
		must(t, postgres.ListenCatalog(ctx, a.url, c, nil))
		caches = append(caches, c)
		hs = append(hs, a.server(graph.Options{CatalogCache: c}))
	}
	shop := a.id(gid.KindLocation, int64(a.homeShop.ID))
	priceQ := `{ products(first: 5) { edges { node { name price } } } }`
	stockQ := `{ products(first: 5) { edges { node { price stock(locationId: "` + shop + `") { onHand } } } } }`
	// ask returns the first product's price and stock (-1 without), and whether
	// the answer came from the cache.
	ask := func(h http.Handler, q string) (price, onHand int, hit bool) {
		t.Helper()
		r := sendFrom(t, h, "192.0.2.1", "", q)
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		var out struct {
			Products struct {
				Edges []struct {
					Node struct {
						Price int
						Stock *struct{ OnHand int }
					}
				}
			}
		}
		must(t, json.Unmarshal(r.Data, &out))
		n := out.Products.Edges[0].Node
		onHand = -1
		if n.Stock != nil {
			onHand = n.Stock.OnHand
		}
		return n.Price, onHand, r.Header.Get("X-Cache") == "hit"
	}
	// eventually waits until every process answers want for q.
	eventually := func(q string, check func(price, onHand int) bool) {
		t.Helper()
		for _, h := range hs {
			deadline := time.Now().Add(5 * time.Second)
			for {
				price, onHand, _ := ask(h, q)
				if check(price, onHand) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("a process still answers price %d, on hand %d", price, onHand)
				}
				time.Sleep(5 * time.Millisecond)
			}
		}
	}

	t.Run("Hits", func(t *testing.T) {
		for _, h := range hs {
			ask(h, priceQ)
			if _, _, hit := ask(h, priceQ); !hit {
				t.Error("the second identical request was not served from the cache")
			}
		}
	})
	t.Run("PriceChangeSeenEverywhere", func(t *testing.T) {
		price := int64(480)
		_, err := a.catalog.UpdateProduct(a.adminCtx(), tsunagu.UpdateProductInput{ID: p.ID, Price: &price})
		must(t, err)
		eventually(priceQ, func(got, _ int) bool { return got == 480 })
	})
	t.Run("StockChangeDropsOnlyStock", func(t *testing.T) {
		for _, h := range hs {
			ask(h, stockQ)
			ask(h, priceQ)
		}
		_, err := a.stock.AdjustStock(a.ctxs["admin"], tsunagu.AdjustStockInput{LocationID: a.homeShop.ID, ProductID: p.ID,
			Quantity: 2, Reason: tsunagu.ReasonProduction, IdempotencyKey: key()})
		must(t, err)
		eventually(stockQ, func(_, onHand int) bool { return onHand == 7 })
		for _, h := range hs {
			if _, _, hit := ask(h, priceQ); !hit {
				t.Error("a stock change dropped an answer without stock")
			}
		}
	})
	t.Run("NotForStaffOrMutations", func(t *testing.T) {
		for range 2 {
			if r := sendFrom(t, hs[0], "192.0.2.1", a.tokens["clerk"], priceQ); r.Header.Get("X-Cache") != "" {
				t.Error("a signed-in request was served from the cache")
			}
		}
		if r := sendFrom(t, hs[0], "192.0.2.1", "", `{ me { email } }`); r.Header.Get("X-Cache") != "" || strings.Contains(string(r.Data), "email\":\"") {
			t.Errorf("me was cached: %s", r.Data)
		}
	})
	t.Run("NotForPartnersWhichChangeByTheDay", func(t *testing.T) {
		q := `{ municipalities { edges { node { code partners { code } } } } }`
		for range 2 {
			if r := sendFrom(t, hs[0], "192.0.2.1", "", q); r.Header.Get("X-Cache") != "" {
				t.Error("an answer with partners went through the cache")
			}
		}
	})
	t.Run("NothingWhileDisconnected", func(t *testing.T) {
		caches[0].Connected(false)
		for range 2 {
			if _, _, hit := ask(hs[0], priceQ); hit {
				t.Error("served from the cache without notifications")
			}
		}
		caches[0].Connected(true)
	})
}
