package graph

import (
	"encoding/json"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/internal/tsunagu"
)

// The cost of an operation is the number of objects (rows) it may return: an
// object field costs 1 and its children, a list of objects its weight times that, a
// connection its `first` times its children; scalar fields cost nothing (the rows
// they live on are already counted). A client reading a long list of big objects
// asks for fewer items per page.

// listWeight is how many items a list field may return.
type listWeight struct {
	// items is the upper bound of a list's length; for a connection, the page size
	// when `first` is not given.
	items int
	// paged says the field is a connection whose `first` argument sets the count.
	paged bool
}

var (
	page = listWeight{items: tsunagu.DefaultPageSize, paged: true}
	// edges: the connection already counts the items of its page.
	edges = listWeight{items: 1}
	// userErrors: one per field of the input at most; ten is ample.
	errorList = listWeight{items: 10}
	// Taxes and totals per tax rate: 10 %, 8 % and exempt.
	perRate = listWeight{items: 3}
)

// listWeights weighs every list and connection field of the schema;
// TestEveryListFieldHasAWeight fails when one is missing. Lists anyone may read
// weigh their bound (the domain's where it has one: MaxImages, the locales, the
// allergens). Lists only staff read weigh a large ordinary size where the bound is
// far above it: a transfer may hold 500 lines but carries tens, and weighing it at
// 500 would refuse the console's page of transfers.
var listWeights = map[string]listWeight{
	"Query.municipalities":          page,
	"Query.facilities":              page,
	"Query.locations":               page,
	"Query.products":                page,
	"Query.stockLevels":             page,
	"Query.stockMovements":          page,
	"Query.transfers":               page,
	"Query.sales":                   page,
	"Query.soldLines":               page,
	"Query.orders":                  page,
	"Query.auditLog":                page,
	"AuditEntry.changes":            {items: 40}, // an object's fields
	"Municipality.facilities":       page,
	"Municipality.locations":        page,
	"Facility.products":             page,
	"Query.allergens":               {items: 28}, // the 8 mandatory and 20 recommended
	"Product.allergens":             {items: 28},
	"Query.exchangeBalance":         {items: 12 * 20}, // months × partners
	"Query.registers":               {items: 50},
	"Municipality.partners":         {items: 20},
	"Municipality.partnerships":     {items: 20},
	"Product.translations":          {items: len(tsunagu.Locales)},
	"Product.imageUrls":             {items: tsunagu.MaxImages},
	"Product.imageAlts":             {items: tsunagu.MaxImages},
	"Facility.imageUrls":            {items: tsunagu.MaxImages},
	"Stocktake.lines":               {items: tsunagu.MaxLines},
	"Stocktake.changedLines":        {items: tsunagu.MaxLines},
	"Transfer.lines":                {items: 100},
	"Transfer.shipments":            {items: 20},
	"Transfer.receipts":             {items: 20},
	"Transfer.events":               {items: 50},
	"TransferShipment.lines":        {items: 100},
	"TransferReceipt.lines":         {items: 100},
	"RegisterSession.denominations": {items: 10},
	"RegisterSession.cashMovements": {items: 100},
	"ZReport.byPaymentMethod":       {items: 5},
	"ZReport.byTaxRate":             perRate,
	"ZReport.qualifying":            perRate,
	"ZReport.nonQualifying":         perRate,
	"ZReport.receiptTaxes":          perRate,
	"Sale.lines":                    {items: tsunagu.MaxSaleLines},
	"Sale.payments":                 {items: 5},
	"Sale.refunds":                  {items: 20},
	"Refund.lines":                  {items: tsunagu.MaxSaleLines},
	"Receipt.lines":                 {items: tsunagu.MaxSaleLines},
	"Receipt.payments":              {items: 5},
	"Receipt.qualifying":            perRate,
	"Receipt.nonQualifying":         perRate,
	"Order.lines":                   {items: tsunagu.MaxOrderLines},
	"Order.taxes":                   perRate,
	"Order.qualifyingTaxes":         perRate,
	"Order.nonQualifyingTaxes":      perRate,
	"Order.refunds":                 {items: 20},
	// An import's rows, and its problems (a few per row at most).
	"ImportProductsPayload.rows":      {items: tsunagu.MaxImportRows},
	"ImportProductsPayload.rowErrors": {items: 4 * tsunagu.MaxImportRows},
}

// isList reports whether a field returns many items: a list, or a connection.
func isList(t *ast.Type) bool {
	return t.Elem != nil || strings.HasSuffix(t.Name(), "Connection")
}

// weightOf returns the weight of list field name of typeName, and whether it has one.
func weightOf(typeName, name string) (listWeight, bool) {
	switch {
	case name == "edges" && strings.HasSuffix(typeName, "Connection"):
		return edges, true
	case name == "userErrors" && strings.HasSuffix(typeName, "Payload"):
		return errorList, true
	}
	w, ok := listWeights[typeName+"."+name]
	return w, ok
}

// fieldCost is the cost of field def of type typeName, whose selections cost child;
// leaf says it has none (a scalar or an enum, or a list of them: they live on the
// row already counted). args gives its arguments, read only for connections. A list
// without a weight (which TestEveryListFieldHasAWeight catches) counts as a page.
func fieldCost(typeName string, def *ast.FieldDefinition, leaf bool, child int, args func() map[string]any) int {
	switch {
	case leaf:
		return 0
	case !isList(def.Type):
		return add(child, 1)
	}
	w, ok := weightOf(typeName, def.Name)
	if !ok {
		w = page
	}
	if w.paged {
		n := w.items
		if first, ok := intArg(args()["first"]); ok && first > 0 {
			n = first
		}
		return add(min(n*child, saturated), 1) // the connection, and n times its children
	}
	return min(w.items*add(child, 1), saturated)
}

func intArg(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	case json.Number:
		i, err := n.Int64()
		return int(i), err == nil
	}
	return 0, false
}
