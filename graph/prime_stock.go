package graph

import (
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/internal/tsunagu"
)

// The visitors of stock and exchange types (see prime_catalog.go).

func (p *primer) stockLevel(sel ast.SelectionSet, objs []*tsunagu.StockLevel) {
	for _, f := range p.fields(sel, "StockLevel") {
		products := refIDs(objs, func(o *tsunagu.StockLevel) tsunagu.ProductID { return o.ProductID })
		switch f.Name {
		case "product":
			p.productsAt(f.Selections, products)
		case "location":
			p.locationsAt(f.Selections, refIDs(objs, func(o *tsunagu.StockLevel) tsunagu.LocationID { return o.LocationID }))
		case "owner":
			// The owner of stock is the product's maker (consignment).
			p.products.want(&p.l.product, products, func(ps []*tsunagu.Product) {
				p.facilitiesAt(f.Selections, refIDs(ps, func(o *tsunagu.Product) tsunagu.FacilityID { return o.FacilityID }))
			})
		}
	}
}

func (p *primer) stockMovement(sel ast.SelectionSet, objs []*tsunagu.StockMovement) {
	for _, f := range p.fields(sel, "StockMovement") {
		switch f.Name {
		case "product":
			p.productsAt(f.Selections, refIDs(objs, func(o *tsunagu.StockMovement) tsunagu.ProductID { return o.ProductID }))
		case "location":
			p.locationsAt(f.Selections, refIDs(objs, func(o *tsunagu.StockMovement) tsunagu.LocationID { return o.LocationID }))
		case "owner":
			p.facilitiesAt(f.Selections, refIDs(objs, func(o *tsunagu.StockMovement) tsunagu.FacilityID { return o.OwnerFacilityID }))
		case "actor":
			p.usersAt(f.Selections, optionalIDs(objs, func(o *tsunagu.StockMovement) *tsunagu.UserID { return o.ActorID }))
		}
	}
}

func (p *primer) stockAdjustment(sel ast.SelectionSet, objs []*tsunagu.StockAdjustment) {
	for _, f := range p.fields(sel, "StockAdjustment") {
		switch f.Name {
		case "product":
			p.productsAt(f.Selections, refIDs(objs, func(o *tsunagu.StockAdjustment) tsunagu.ProductID { return o.ProductID }))
		case "location":
			p.locationsAt(f.Selections, refIDs(objs, func(o *tsunagu.StockAdjustment) tsunagu.LocationID { return o.LocationID }))
		case "actor":
			p.usersAt(f.Selections, refIDs(objs, func(o *tsunagu.StockAdjustment) tsunagu.UserID { return o.ActorID }))
		case "level":
			var ls []*tsunagu.StockLevel
			for _, o := range objs {
				if o.Level != nil {
					ls = append(ls, o.Level)
				}
			}
			p.stockLevel(f.Selections, ls)
		}
	}
}

func (p *primer) stocktake(sel ast.SelectionSet, objs []*tsunagu.Stocktake) {
	for _, f := range p.fields(sel, "Stocktake") {
		switch f.Name {
		case "location":
			p.locationsAt(f.Selections, refIDs(objs, func(o *tsunagu.Stocktake) tsunagu.LocationID { return o.LocationID }))
		case "actor":
			p.usersAt(f.Selections, refIDs(objs, func(o *tsunagu.Stocktake) tsunagu.UserID { return o.ActorID }))
		case "lines", "changedLines":
			p.productsAt(lineProducts(p, f, "StocktakeResultLine", objs, func(o *tsunagu.Stocktake) []tsunagu.StocktakeResultLine { return o.Lines },
				func(l *tsunagu.StocktakeResultLine) tsunagu.ProductID { return l.ProductID }))
		}
	}
}

func (p *primer) transfer(sel ast.SelectionSet, objs []*tsunagu.Transfer) {
	ts := refIDs(objs, func(o *tsunagu.Transfer) tsunagu.TransferID { return o.ID })
	for _, f := range p.fields(sel, "Transfer") {
		switch f.Name {
		case "from":
			p.locationsAt(f.Selections, refIDs(objs, func(o *tsunagu.Transfer) tsunagu.LocationID { return o.FromLocationID }))
		case "to":
			p.locationsAt(f.Selections, refIDs(objs, func(o *tsunagu.Transfer) tsunagu.LocationID { return o.ToLocationID }))
		case "fromMunicipality":
			p.munisAt(f.Selections, refIDs(objs, func(o *tsunagu.Transfer) tsunagu.MunicipalityID { return o.FromMunicipalityID }))
		case "toMunicipality":
			p.munisAt(f.Selections, refIDs(objs, func(o *tsunagu.Transfer) tsunagu.MunicipalityID { return o.ToMunicipalityID }))
		case "lines":
			p.tLines.want(&p.l.transferLines, ts, func(ls [][]*tsunagu.TransferLine) { p.transferLine(f.Selections, flat(ls)) })
		case "shipments":
			p.tShipments.want(&p.l.transferShipments, ts, func(ls [][]*tsunagu.TransferShipment) { p.shipment(f.Selections, flat(ls)) })
		case "receipts":
			p.tReceipts.want(&p.l.transferReceipts, ts, func(ls [][]*tsunagu.TransferReceipt) { p.transferReceipt(f.Selections, flat(ls)) })
		case "events":
			p.tEvents.want(&p.l.transferEvents, ts, func(ls [][]*tsunagu.TransferEvent) {
				p.usersAt(p.at(f.Selections, "TransferEvent", "actor"),
					refIDs(flat(ls), func(o *tsunagu.TransferEvent) tsunagu.UserID { return o.ActorID }))
			})
		}
	}
}

func (p *primer) transferLine(sel ast.SelectionSet, objs []*tsunagu.TransferLine) {
	p.goods(sel, "TransferLine", refIDs(objs, func(o *tsunagu.TransferLine) tsunagu.ProductID { return o.ProductID }),
		refIDs(objs, func(o *tsunagu.TransferLine) tsunagu.FacilityID { return o.OwnerFacilityID }))
}

// goods visits lines of goods of type typ: each names a product and the facility
// that owns the goods.
func (p *primer) goods(sel ast.SelectionSet, typ string, products []tsunagu.ProductID, owners []tsunagu.FacilityID) {
	for _, f := range p.fields(sel, typ) {
		switch f.Name {
		case "product":
			p.productsAt(f.Selections, products)
		case "owner":
			p.facilitiesAt(f.Selections, owners)
		}
	}
}

// lineProducts are the products of the lines of objs, and the selection on them
// of the lines field f (of line type typ).
func lineProducts[O any, L any](p *primer, f graphql.CollectedField, typ string, objs []O, lines func(O) []L,
	product func(*L) tsunagu.ProductID) (ast.SelectionSet, []tsunagu.ProductID) {
	var ids []tsunagu.ProductID
	for _, o := range objs {
		ls := lines(o)
		for i := range ls {
			ids = append(ids, product(&ls[i]))
		}
	}
	return p.at(f.Selections, typ, "product"), ids
}

func (p *primer) shipment(sel ast.SelectionSet, objs []*tsunagu.TransferShipment) {
	for _, f := range p.fields(sel, "TransferShipment") {
		switch f.Name {
		case "shippedBy":
			p.usersAt(f.Selections, refIDs(objs, func(o *tsunagu.TransferShipment) tsunagu.UserID { return o.ShippedBy }))
		case "lines":
			p.productsAt(lineProducts(p, f, "TransferQuantity", objs, func(o *tsunagu.TransferShipment) []tsunagu.TransferQuantity { return o.Lines },
				func(l *tsunagu.TransferQuantity) tsunagu.ProductID { return l.ProductID }))
		}
	}
}

func (p *primer) transferReceipt(sel ast.SelectionSet, objs []*tsunagu.TransferReceipt) {
	for _, f := range p.fields(sel, "TransferReceipt") {
		switch f.Name {
		case "receivedBy":
			p.usersAt(f.Selections, refIDs(objs, func(o *tsunagu.TransferReceipt) tsunagu.UserID { return o.ReceivedBy }))
		case "lines":
			p.productsAt(lineProducts(p, f, "TransferReceiptLine", objs, func(o *tsunagu.TransferReceipt) []tsunagu.ReceiptLineInput { return o.Lines },
				func(l *tsunagu.ReceiptLineInput) tsunagu.ProductID { return l.ProductID }))
		}
	}
}
