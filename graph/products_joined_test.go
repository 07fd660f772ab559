package graph_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

// A catalog page reads its products' facilities, municipalities and stock at a
// location in its own statement (CatalogService.ProductPage) and fills the loaders
// with them; everything else reads them through the loaders (FacilitiesByID,
// MunicipalitiesByID, StockLevelsAt). For every role, at shops, a warehouse and a
// facility's own location, in Japanese and in English, each product of the page
// must be what product(id:) answers through the loaders: the same references,
// the same stock and the same plans shown or hidden (StockLevel.PlansVisibleTo).
func TestProductPageJoinedAsLoaders(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	facLoc := &tsunagu.Location{MunicipalityID: a.home.ID, FacilityID: &a.homeFac.ID, Kind: tsunagu.LocationFacility,
		Name: "作業所の棚"}
	must(t, a.catalog.CreateLocation(a.adminCtx(), facLoc))
	locations := []*tsunagu.Location{a.homeShop, a.partnerShop, a.warehouse, facLoc}
	// New goods come in at their own city's locations.
	for i, l := range locations {
		f := a.homeFac
		if l.MunicipalityID == a.partner.ID {
			f = a.partnerFac
		}
		a.stocked(f, l, 3+i)
		a.stocked(f, l, 7+i)
	}
	a.product(a.homeFac, "下書きの品", tsunagu.StatusDraft)
	a.product(a.partnerFac, "相手の下書き", tsunagu.StatusDraft)
	a.product(a.homeFac, "英語名のある品", tsunagu.StatusActive, func(in *tsunagu.CreateProductInput) {
		in.Translations = append(in.Translations, tsunagu.TranslationInput{Locale: tsunagu.LocaleEN, Name: "Named in English",
			Description: "A description."})
	})

	const refs = `facility { id name kind corporation registrationNumber imageUrls contact { person phone } story
			municipality { id code name } }
		municipality { id code name nameEn isHome }
		stock(locationId: $loc) { onHand reserved available incoming reorderPoint belowReorderPoint updatedAt }
		other: stock(locationId: $other) { onHand incoming }`
	plans := map[string]int{}
	// Every field, a brief listing's (tsunagu.ProductsWith.Brief), one without
	// descriptions (NoDescriptions), and one that asks of the stock only how much
	// (BriefStock).
	for _, fields := range []string{`id name nameReading description status price category code allergens imageUrls
		createdAt updatedAt ` + refs, `id name description price taxRate taxClass allergens ` + refs,
		`id name price taxRate ` + refs, `id name price stock(locationId: $loc) { __typename onHand reserved available }
		other: stock(locationId: $other) { available }`} {
		page := `query($loc: ID!, $other: ID!, $locale: Locale) { products(first: 100, locale: $locale) {
		edges { node { ` + fields + ` } } } }`
		for _, as := range roles {
			for i, l := range locations {
				for _, locale := range []tsunagu.Locale{tsunagu.LocaleJA, tsunagu.LocaleEN} {
					vars := map[string]any{"loc": a.id(gid.KindLocation, int64(l.ID)),
						"other": a.id(gid.KindLocation, int64(locations[(i+1)%len(locations)].ID)), "locale": locale}
					var got struct {
						Products struct {
							Edges []struct{ Node json.RawMessage }
						}
					}
					a.ok(as, page, vars, &got)
					if len(got.Products.Edges) == 0 {
						t.Fatalf("%q sees no products", as)
					}
					// The same products through the loaders, by ID.
					var q strings.Builder
					q.WriteString(`query($loc: ID!, $other: ID!, $locale: Locale) {`)
					for j, e := range got.Products.Edges {
						var n struct{ ID string }
						must(t, json.Unmarshal(e.Node, &n))
						fmt.Fprintf(&q, " p%d: product(id: %q, locale: $locale) { %s }", j, n.ID, fields)
					}
					q.WriteString(" }")
					var byID map[string]json.RawMessage
					a.ok(as, q.String(), vars, &byID)
					for j, e := range got.Products.Edges {
						var joined, loaded map[string]any
						must(t, json.Unmarshal(e.Node, &joined))
						must(t, json.Unmarshal(byID[fmt.Sprintf("p%d", j)], &loaded))
						if d := cmp.Diff(loaded, joined); d != "" {
							t.Errorf("%q at %s in %s: the page's product differs from product(id:) (-loaders +page):\n%s",
								as, l.Name, locale, d)
						}
						if s, _ := joined["stock"].(map[string]any); s != nil && s["incoming"] != nil {
							plans[as]++
						}
					}
				}
			}
		}
	}
	// The comparison covers plans both shown and hidden.
	if plans["manager"] == 0 || plans["facility"] == 0 || plans[""] != 0 || plans["otherFacility"] != 0 {
		t.Errorf("pages with plans shown, by role: %v", plans)
	}
}

// A page whose products' stock is read with only how much (BriefStock) keeps
// those levels in the request's loader: no other field of the same request may
// then read more of the same levels from it. Here a facility's products, resolved
// after the page that read the same levels, ask for their updatedAt and version,
// directly or through a fragment: they must be the levels' own, as a request of
// their own answers them.
func TestBriefStockNotShared(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for i := range 3 {
		a.stocked(a.homeFac, a.homeShop, 2+i)
	}
	loc := a.id(gid.KindLocation, int64(a.homeShop.ID))
	// The levels as product(id:) reads them, through the loaders.
	var ids struct {
		Products struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	a.ok("", `{ products(first: 10) { edges { node { id } } } }`, nil, &ids)
	if len(ids.Products.Edges) != 3 {
		t.Fatalf("%d products, want 3", len(ids.Products.Edges))
	}
	var want []json.RawMessage
	for _, e := range ids.Products.Edges {
		var p struct{ Product json.RawMessage }
		a.ok("", `query($id: ID!, $loc: ID!) { product(id: $id) { id stock(locationId: $loc) { onHand updatedAt version } } }`,
			map[string]any{"id": e.Node.ID, "loc": loc}, &p)
		if !strings.Contains(string(p.Product), `"version":`) || strings.Contains(string(p.Product), `"version":0`) {
			t.Fatalf("product(id:) answered %s", p.Product)
		}
		want = append(want, p.Product)
	}
	for _, nested := range []string{`stock(locationId: $loc) { onHand updatedAt version }`,
		`stock(locationId: $loc) { ...Level }`} {
		q := `query($loc: ID!) { products(first: 10) { edges { node { id stock(locationId: $loc) { available }
			facility { products(first: 10) { edges { node { id ` + nested + ` } } } } } } } }
			fragment Level on StockLevel { onHand updatedAt version }`
		if !strings.Contains(nested, "...Level") {
			q = strings.Replace(q, "fragment Level on StockLevel { onHand updatedAt version }", "", 1)
		}
		var got struct {
			Products struct {
				Edges []struct {
					Node struct {
						Facility struct {
							Products struct {
								Edges []struct{ Node json.RawMessage }
							}
						}
					}
				}
			}
		}
		a.ok("", q, map[string]any{"loc": loc}, &got)
		inner := got.Products.Edges[0].Node.Facility.Products.Edges
		if len(inner) != len(want) {
			t.Fatalf("%s: %d nested products, want %d", nested, len(inner), len(want))
		}
		for i, e := range inner {
			if string(e.Node) != string(want[i]) {
				t.Errorf("%s: nested product %d\n got %s\nwant %s", nested, i, e.Node, want[i])
			}
		}
	}
}

// A brief listing (tsunagu.ProductsWith.Brief) reads each order's key: its pages
// and cursors are those of a page that reads every column, in every order.
func TestProductPageBriefCursors(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for i := range 7 {
		a.product(a.homeFac, fmt.Sprintf("品%d", (i*5)%7), tsunagu.StatusActive, func(in *tsunagu.CreateProductInput) {
			in.Price = int64(100 + (i*3)%7)
		})
	}
	for _, order := range []string{"ID", "NAME", "PRICE_ASC", "PRICE_DESC", "NEWEST"} {
		var pages [2][]string
		for k, fields := range []string{"id name", "id name status createdAt"} {
			after := any(nil)
			for {
				var out struct {
					Products struct {
						Edges    []struct{ Cursor string }
						PageInfo struct {
							HasNextPage bool
							EndCursor   string
						}
					}
				}
				a.ok("", `query($after: String, $order: ProductOrder) { products(first: 3, after: $after, orderBy: $order) {
					edges { cursor node { `+fields+` } } pageInfo { hasNextPage endCursor } } }`,
					map[string]any{"after": after, "order": order}, &out)
				for _, e := range out.Products.Edges {
					pages[k] = append(pages[k], e.Cursor)
				}
				if !out.Products.PageInfo.HasNextPage {
					break
				}
				after = out.Products.PageInfo.EndCursor
			}
		}
		if d := cmp.Diff(pages[1], pages[0]); d != "" || len(pages[0]) < 7 {
			t.Errorf("%s: the brief listing's cursors differ (-every column +brief):\n%s", order, d)
		}
	}
}
