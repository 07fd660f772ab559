package graph_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"tsunagu/graph"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// onNotified is a Receiver of channel that calls fn on each notification, in the
// listener's goroutine, after the receivers listed before it have had it.
type onNotified struct {
	channel string
	fn      func()
}

func (r onNotified) Channels() []string      { return []string{r.channel} }
func (r onNotified) Notified(string, string) { r.fn() }
func (onNotified) Connected(bool)            {}

// A process with both the catalog cache and the copy of the facilities
// (postgres.References), as cmd/tsunagu runs by default, never keeps an answer made
// from the copy as it was before a change once the change is notified: the copy
// is dropped no later than the cached answers, so an anonymous request that comes
// between the two notifications of another process's change cannot put the old
// facility into the catalog cache for good.
func TestReferencesWithCatalogCache(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.stocked(a.homeFac, a.homeShop, 5)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cache := graph.NewCatalogCache()
	catalog := postgres.NewCatalogService(a.db)
	catalog.Refs = postgres.NewReferences()
	h := a.serverWith(catalog, graph.Options{CatalogCache: cache})
	q := `{ products(first: 5) { edges { node { facility { name } } } } }`
	ask := func() (string, bool) {
		r := sendFrom(t, h, "192.0.2.1", "", q)
		if len(r.Errors) > 0 {
			t.Errorf("errors: %+v", r.Errors)
			return "", false
		}
		var out struct {
			Products struct {
				Edges []struct {
					Node struct{ Facility struct{ Name string } }
				}
			}
		}
		must(t, json.Unmarshal(r.Data, &out))
		return out.Products.Edges[0].Node.Facility.Name, r.Header.Get("X-Cache") == "hit"
	}
	// A request that arrives as soon as the catalog cache has dropped its answers
	// on the catalog's channel, which the change's triggers notify before the
	// references' (the listener calls the receivers in order, as cmd/tsunagu lists
	// them: the copy, then the cache), and one once every notification is in.
	between := make(chan string, 10)
	changed := make(chan struct{}, 10)
	must(t, postgres.Listen(ctx, a.url, nil,
		catalog.Refs,
		postgres.CatalogReceiver(cache),
		onNotified{postgres.ChannelCatalog, func() {
			name, _ := ask()
			between <- name
		}},
		onNotified{postgres.ChannelReferences, func() { changed <- struct{}{} }}))
	if name, _ := ask(); name != "ワークショップ虹" {
		t.Fatalf("the page shows facility %q", name)
	}
	if _, hit := ask(); !hit {
		t.Fatal("the answer was not kept")
	}

	// Another process (a catalog without the copy) renames the facility.
	_, err := a.catalog.UpdateFacility(a.ctxs["admin"], tsunagu.UpdateFacilityInput{ID: a.homeFac.ID, Name: ptr("工房にじ")})
	must(t, err)
	var was string
	for _, wait := range []func(){func() { <-changed }, func() { was = <-between }} {
		done := make(chan struct{})
		go func() { wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("no notification of the change")
		}
	}
	if name, hit := ask(); name != "工房にじ" {
		t.Errorf("after both notifications the process answers %q (from its cache: %v); between them it answered %q",
			name, hit, was)
	}
}
