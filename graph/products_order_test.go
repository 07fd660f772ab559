package graph_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"tsunagu/graph"
	"tsunagu/graph/gid"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// Each order of products pages through the whole list two at a time, each product
// once and in order, ties broken by the ID; names sort by their reading in kana
// order (katakana among hiragana, a reading before the name), and a cursor of one
// order is refused by another.
func TestProductsOrder(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for _, p := range []struct {
		name, reading string
		price         int64
	}{
		{"りんごジャム", "", 600},
		{"クッキー", "", 350},
		{"木のスプーン", "きのすぷーん", 1200},
		{"あんぱん", "", 150},
		{"ケーキ", "ケーキ", 350},
		{"ｱｲｽ", "", 300}, // half-width katakana: あいす
	} {
		a.product(a.homeFac, p.name, tsunagu.StatusActive, func(in *tsunagu.CreateProductInput) {
			in.Price = p.price
			if p.reading != "" {
				in.NameReading = ptr(p.reading)
			}
		})
	}
	a.product(a.homeFac, "下書きのパン", tsunagu.StatusDraft) // never listed to the public

	pages := func(order string, filter map[string]any) (names []string, cursors []string) {
		t.Helper()
		var after any
		for range 10 {
			var p productPage
			a.ok("", productsQuery, map[string]any{"first": 2, "after": after, "order": order, "f": filter}, &p)
			names = append(names, p.names()...)
			if !p.Products.PageInfo.HasNextPage {
				return names, cursors
			}
			after = *p.Products.PageInfo.EndCursor
			cursors = append(cursors, *p.Products.PageInfo.EndCursor)
		}
		t.Fatalf("%s: more than 10 pages", order)
		return
	}
	for _, tc := range []struct{ order, want string }{
		{"ID", "[りんごジャム クッキー 木のスプーン あんぱん ケーキ ｱｲｽ]"},
		{"NAME", "[ｱｲｽ あんぱん 木のスプーン クッキー ケーキ りんごジャム]"},
		{"PRICE_ASC", "[あんぱん ｱｲｽ クッキー ケーキ りんごジャム 木のスプーン]"},
		{"PRICE_DESC", "[木のスプーン りんごジャム ケーキ クッキー ｱｲｽ あんぱん]"},
		{"NEWEST", "[ｱｲｽ ケーキ あんぱん 木のスプーン クッキー りんごジャム]"},
	} {
		t.Run(tc.order, func(t *testing.T) {
			names, _ := pages(tc.order, nil)
			if got := fmt.Sprint(names); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("WithAFilter", func(t *testing.T) {
		names, _ := pages("PRICE_DESC", map[string]any{"text": "ー"})
		if got := fmt.Sprint(names); got != "[木のスプーン ケーキ クッキー]" {
			t.Errorf("got %s", got)
		}
	})
	_, cursors := pages("NAME", nil)
	for _, tc := range []struct{ name, order, cursor string }{
		{"ErrCursorOfAnotherOrder", "PRICE_ASC", cursors[0]},
		{"ErrIDCursorInAnOrder", "NEWEST", base64.RawURLEncoding.EncodeToString([]byte("k:3"))},
		{"ErrOrderCursorInIDOrder", "ID", cursors[0]},
		{"ErrKeyNotAPrice", "PRICE_ASC", base64.RawURLEncoding.EncodeToString([]byte("o:PRICE_ASC:3:cheap"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.do("", productsQuery, map[string]any{"after": tc.cursor, "order": tc.order})
			if r.code() != "INVALID_INPUT" || !strings.Contains(string(r.Data), "null") {
				t.Errorf("code %q, want INVALID_INPUT", r.code())
			}
		})
	}
}

// inStockAt keeps the goods a shop has available (on hand less reserved), and an
// anonymous answer filtered by it is not served from the cache once the stock
// changes.
func TestProductsInStockAt(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	cookie := a.product(a.homeFac, "クッキー", tsunagu.StatusActive)
	a.product(a.homeFac, "ジャム", tsunagu.StatusActive)
	spoon := a.product(a.partnerFac, "スプーン", tsunagu.StatusActive)
	adjust := func(p *tsunagu.Product, loc *tsunagu.Location, n int, key string) {
		// Goods come in where they are made; found elsewhere, or damaged.
		reason := tsunagu.ReasonProduction
		if n < 0 {
			reason = tsunagu.ReasonDamaged
		} else if p.MunicipalityID != loc.MunicipalityID {
			reason = tsunagu.ReasonFound
		}
		_, err := a.stock.AdjustStock(a.ctxs["admin"], tsunagu.AdjustStockInput{LocationID: loc.ID, ProductID: p.ID, Quantity: n,
			Reason: reason, IdempotencyKey: key})
		must(t, err)
	}
	adjust(cookie, a.homeShop, 3, "k1")
	adjust(spoon, a.partnerShop, 2, "k2")
	home := gid.Encode(gid.KindLocation, int64(a.homeShop.ID))
	var p productPage
	a.ok("", productsQuery, map[string]any{"f": map[string]any{"inStockAt": home}}, &p)
	if got := fmt.Sprint(p.names()); got != "[クッキー]" {
		t.Errorf("in stock at the home shop: %s", got)
	}
	adjust(cookie, a.homeShop, -3, "k3")
	adjust(spoon, a.homeShop, 1, "k4")
	a.ok("", productsQuery, map[string]any{"f": map[string]any{"inStockAt": home}}, &p)
	if got := fmt.Sprint(p.names()); got != "[スプーン]" {
		t.Errorf("after the stock changed: %s", got)
	}
	t.Run("OtherLocationsOnlyToTheirStaff", func(t *testing.T) {
		// A warehouse's stock is not the public's to probe: no product is in stock
		// there for anyone who may not see its stock; its staff see it.
		adjust(cookie, a.warehouse, 5, "warehouse-1")
		wh := gid.Encode(gid.KindLocation, int64(a.warehouse.ID))
		for as, want := range map[string]string{"": "[]", "otherManager": "[]", "manager": "[クッキー]", "admin": "[クッキー]"} {
			a.ok(as, productsQuery, map[string]any{"f": map[string]any{"inStockAt": wh}}, &p)
			if got := fmt.Sprint(p.names()); got != want {
				t.Errorf("in stock at the warehouse, as %q: %s, want %s", as, got, want)
			}
		}
	})
	t.Run("CacheDropsTheAnswerOnAStockChange", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c := graph.NewCatalogCache()
		must(t, postgres.ListenCatalog(ctx, a.url, c, nil))
		h := a.server(graph.Options{CatalogCache: c})
		// The filter is in the query's text, where no field named stock shows.
		q := `{ products(filter: {inStockAt: "` + home + `"}) { edges { node { name } } } }`
		ask := func() (string, bool) {
			r := sendFrom(t, h, "192.0.2.1", "", q)
			return string(r.Data), r.Header.Get("X-Cache") == "hit"
		}
		before, _ := ask()
		if _, hit := ask(); !hit {
			t.Fatal("the second identical request was not served from the cache")
		}
		adjust(spoon, a.homeShop, -1, "k5")
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if got, _ := ask(); got != before {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the cache still answers %s after the shop sold out", before)
			}
		}
	})
	t.Run("ErrNotALocation", func(t *testing.T) {
		r := a.do("", productsQuery, map[string]any{"f": map[string]any{"inStockAt": gid.Encode(gid.KindProduct, int64(cookie.ID))}})
		if r.code() != "NOT_FOUND" {
			t.Errorf("code %q, want NOT_FOUND, as any ID of another kind", r.code())
		}
	})
}
