package tsunagu

import (
	"strconv"
	"strings"
	"time"
)

// ProductOrder is the order of a list of products.
type ProductOrder string

const (
	// ProductOrderID lists products in the order they were added (the default).
	ProductOrderID ProductOrder = "ID"
	// ProductOrderName lists them by name in kana order (五十音順): by the reading of
	// the Japanese name where there is one, else by the Japanese name, katakana and
	// hiragana alike (Product.SortName).
	ProductOrderName ProductOrder = "NAME"
	// ProductOrderPriceAsc lists the cheapest first.
	ProductOrderPriceAsc ProductOrder = "PRICE_ASC"
	// ProductOrderPriceDesc lists the dearest first.
	ProductOrderPriceDesc ProductOrder = "PRICE_DESC"
	// ProductOrderNewest lists the newest first.
	ProductOrderNewest ProductOrder = "NEWEST"
)

// Valid reports whether o is a known order.
func (o ProductOrder) Valid() bool {
	switch o {
	case ProductOrderID, ProductOrderName, ProductOrderPriceAsc, ProductOrderPriceDesc, ProductOrderNewest:
		return true
	}
	return false
}

// Key is p's position in the order o besides its ID, as a page's cursor keeps it:
// the sort name, the price, or the time added in microseconds; "" in ID order.
func (o ProductOrder) Key(p *Product) string {
	switch o {
	case ProductOrderName:
		return p.SortName
	case ProductOrderPriceAsc, ProductOrderPriceDesc:
		return strconv.FormatInt(p.Price, 10)
	case ProductOrderNewest:
		return strconv.FormatInt(p.CreatedAt.UnixMicro(), 10)
	}
	return ""
}

// ParseKey checks a cursor's key for the order o and returns it as the query
// compares it (the sort name, the price, the time); INVALID_INPUT on
// "after" when it is not one.
func (o ProductOrder) ParseKey(key string) (any, error) {
	switch o {
	case ProductOrderName:
		if strings.ContainsRune(key, 0) {
			break
		}
		return key, nil
	case ProductOrderPriceAsc, ProductOrderPriceDesc:
		if n, err := strconv.ParseInt(key, 10, 64); err == nil {
			return n, nil
		}
	case ProductOrderNewest:
		if n, err := strconv.ParseInt(key, 10, 64); err == nil {
			return time.UnixMicro(n).UTC(), nil
		}
	}
	return nil, Errorf(CodeInvalidInput, "after", "This cursor is not valid; start again from the first page.")
}
