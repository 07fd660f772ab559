package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

// The visitors of the catalog's types: each notes what sel, a selection on its
// type, asks of objs.

func (p *primer) product(sel ast.SelectionSet, objs []*tsunagu.Product) {
	for _, f := range p.fields(sel, "Product") {
		switch f.Name {
		case "facility":
			p.facilitiesAt(f.Selections, refIDs(objs, func(o *tsunagu.Product) tsunagu.FacilityID { return o.FacilityID }))
		case "municipality":
			p.munisAt(f.Selections, refIDs(objs, func(o *tsunagu.Product) tsunagu.MunicipalityID { return o.MunicipalityID }))
		case "stock":
			s, _ := f.ArgumentMap(p.oc.Variables)["locationId"].(string)
			loc, err := gid.DecodeKind(s, gid.KindLocation)
			if err != nil {
				continue // the field itself reports a bad ID
			}
			keys := refIDs(objs, func(o *tsunagu.Product) tsunagu.StockKey {
				return tsunagu.StockKey{ProductID: o.ID, LocationID: tsunagu.LocationID(loc)}
			})
			p.stockLevels.want(&p.l.stockLevel, keys, func(ls []*tsunagu.StockLevel) { p.stockLevel(f.Selections, ls) })
		}
	}
}

// productsWith says what the page of products the field being resolved returns
// (a ProductConnection) is to be read with, in its own statement, for its
// selection: the references product's visitor would otherwise load in a statement
// each (the facility, the municipality, of the product or the facility, and the
// stock at the first location asked for), and the texts in every locale only when
// translations are asked for, and only a brief listing's columns when nothing
// else of a product is (Brief), without the descriptions unless one is asked for
// (NoDescriptions). putProductRefs then fills the loaders with them,
// and priming finds them loaded.
func productsWith(ctx context.Context) tsunagu.ProductsWith {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return tsunagu.ProductsWith{AllLocales: true}
	}
	p := &primer{oc: graphql.GetOperationContext(ctx)}
	w := tsunagu.ProductsWith{Brief: true, NoDescriptions: true}
	for _, f := range p.fields(p.at(fc.Field.Selections, fc.Field.Definition.Type.Name(), pageNode...), "Product") {
		switch f.Name {
		case "description":
			w.NoDescriptions = false
		case "id", "name", "price", "taxClass", "taxRate", "allergens", "__typename":
		case "facility":
			w.Facilities = true
			for _, ff := range p.fields(f.Selections, "Facility") {
				w.Municipalities = w.Municipalities || ff.Name == "municipality"
			}
		case "municipality":
			w.Municipalities = true
		case "stock":
			s, _ := f.ArgumentMap(p.oc.Variables)["locationId"].(string)
			if loc, err := gid.DecodeKind(s, gid.KindLocation); err == nil && w.StockAt == nil {
				l := tsunagu.LocationID(loc)
				w.StockAt = &l
				w.BriefStock = briefStockOnly(p.oc.Doc)
			}
		case "translations":
			w.AllLocales = true
		default:
			w.Brief = false
		}
	}
	return w
}

// briefStock are the fields of StockLevel that a level read with BriefStock
// answers.
var briefStock = map[string]bool{"onHand": true, "reserved": true, "available": true, "__typename": true}

// briefStockOnly says whether doc asks nothing of any StockLevel but briefStock's
// fields, anywhere (every operation and fragment): then the levels a page reads
// with BriefStock, which the request's loader keeps, cannot answer another field
// of the same request that reads more of the same level with zeros.
func briefStockOnly(doc *ast.QueryDocument) bool {
	var brief func(ast.SelectionSet) bool
	brief = func(sel ast.SelectionSet) bool {
		for _, s := range sel {
			switch s := s.(type) {
			case *ast.Field:
				if s.ObjectDefinition == nil { // not validated: nothing is known
					return false
				}
				if s.ObjectDefinition.Name == "StockLevel" && !briefStock[s.Name] {
					return false
				}
				if !brief(s.SelectionSet) {
					return false
				}
			case *ast.InlineFragment:
				if !brief(s.SelectionSet) {
					return false
				}
			}
		}
		return true
	}
	if doc == nil {
		return false
	}
	for _, o := range doc.Operations {
		if !brief(o.SelectionSet) {
			return false
		}
	}
	for _, f := range doc.Fragments {
		if !brief(f.SelectionSet) {
			return false
		}
	}
	return true
}

// putProductRefs stores what a page was read with in the loaders (loader.put).
func putProductRefs(l *loaders, p *tsunagu.ProductPage, w tsunagu.ProductsWith) {
	if w.Facilities {
		l.facility.put(mapKeys(p.Facilities), p.Facilities)
	}
	if w.Municipalities {
		l.municipality.put(mapKeys(p.Municipalities), p.Municipalities)
	}
	if w.StockAt != nil {
		l.stockLevel.put(refIDs(p.Items, func(o *tsunagu.Product) tsunagu.StockKey {
			return tsunagu.StockKey{ProductID: o.ID, LocationID: *w.StockAt}
		}), p.Stock)
	}
}

func mapKeys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func (p *primer) facility(sel ast.SelectionSet, objs []*tsunagu.Facility) {
	for _, f := range p.fields(sel, "Facility") {
		switch f.Name {
		case "municipality":
			p.munisAt(f.Selections, refIDs(objs, func(o *tsunagu.Facility) tsunagu.MunicipalityID { return o.MunicipalityID }))
		case "products":
			p.l.productsOf.note(f.Field, refIDs(objs, func(o *tsunagu.Facility) tsunagu.FacilityID { return o.ID }))
		}
	}
}

func (p *primer) municipality(sel ast.SelectionSet, objs []*tsunagu.Municipality) {
	for _, f := range p.fields(sel, "Municipality") {
		ms := refIDs(objs, func(o *tsunagu.Municipality) tsunagu.MunicipalityID { return o.ID })
		switch f.Name {
		case "partners":
			p.partners.want(&p.l.partners, ms, func(ls [][]*tsunagu.Municipality) { p.municipality(f.Selections, flat(ls)) })
		case "facilities":
			p.l.facilitiesOf.note(f.Field, ms)
		case "locations":
			p.l.locationsOf.note(f.Field, ms)
		}
	}
}

func (p *primer) location(sel ast.SelectionSet, objs []*tsunagu.Location) {
	for _, f := range p.fields(sel, "Location") {
		switch f.Name {
		case "municipality":
			p.munisAt(f.Selections, refIDs(objs, func(o *tsunagu.Location) tsunagu.MunicipalityID { return o.MunicipalityID }))
		case "facility":
			p.facilitiesAt(f.Selections, optionalIDs(objs, func(o *tsunagu.Location) *tsunagu.FacilityID { return o.FacilityID }))
		case "shop":
			var shops []tsunagu.LocationID
			for _, o := range objs {
				if o.Kind == tsunagu.LocationShop {
					shops = append(shops, o.ID)
				}
			}
			p.shops.want(&p.l.shop, shops, func(ss []*tsunagu.Shop) { p.shop(f.Selections, ss) })
		}
	}
}

func (p *primer) shop(sel ast.SelectionSet, objs []*tsunagu.Shop) {
	for _, f := range p.fields(sel, "Shop") {
		ids := refIDs(objs, func(o *tsunagu.Shop) tsunagu.LocationID { return o.LocationID })
		switch f.Name {
		case "location":
			p.locationsAt(f.Selections, ids)
		case "shippingRule":
			p.shippingRules.want(&p.l.shippingRule, ids, nil)
		}
	}
}

func (p *primer) user(sel ast.SelectionSet, objs []*tsunagu.User) {
	for _, f := range p.fields(sel, "User") {
		switch f.Name {
		case "municipality":
			p.munisAt(f.Selections, optionalIDs(objs, func(o *tsunagu.User) *tsunagu.MunicipalityID { return o.MunicipalityID }))
		case "shop":
			p.locationsAt(f.Selections, optionalIDs(objs, func(o *tsunagu.User) *tsunagu.LocationID { return o.ShopID }))
		case "facility":
			p.facilitiesAt(f.Selections, optionalIDs(objs, func(o *tsunagu.User) *tsunagu.FacilityID { return o.FacilityID }))
		}
	}
}

// The helpers below ask for the objects of ids with sel, the selection on them;
// nothing when sel is empty (the field that would reach them is not asked for).

func (p *primer) usersAt(sel ast.SelectionSet, ids []tsunagu.UserID) {
	if len(sel) == 0 {
		return
	}
	p.users.want(&p.l.user, ids, func(us []*tsunagu.User) { p.user(sel, us) })
}

func (p *primer) munisAt(sel ast.SelectionSet, ids []tsunagu.MunicipalityID) {
	if len(sel) == 0 {
		return
	}
	p.munis.want(&p.l.municipality, ids, func(ms []*tsunagu.Municipality) { p.municipality(sel, ms) })
}

func (p *primer) locationsAt(sel ast.SelectionSet, ids []tsunagu.LocationID) {
	if len(sel) == 0 {
		return
	}
	p.locations.want(&p.l.location, ids, func(ls []*tsunagu.Location) { p.location(sel, ls) })
}

func (p *primer) productsAt(sel ast.SelectionSet, ids []tsunagu.ProductID) {
	if len(sel) == 0 {
		return
	}
	p.products.want(&p.l.product, ids, func(ps []*tsunagu.Product) { p.product(sel, ps) })
}

func (p *primer) facilitiesAt(sel ast.SelectionSet, ids []tsunagu.FacilityID) {
	if len(sel) == 0 {
		return
	}
	p.facilities.want(&p.l.facility, ids, func(fs []*tsunagu.Facility) { p.facility(sel, fs) })
}

func (p *primer) exchangeBalance(sel ast.SelectionSet, objs []*tsunagu.ExchangeBalance) {
	for _, f := range p.fields(sel, "ExchangeBalance") {
		switch f.Name {
		case "a":
			p.munisAt(f.Selections, refIDs(objs, func(o *tsunagu.ExchangeBalance) tsunagu.MunicipalityID { return o.A }))
		case "b":
			p.munisAt(f.Selections, refIDs(objs, func(o *tsunagu.ExchangeBalance) tsunagu.MunicipalityID { return o.B }))
		}
	}
}
