package tsunagu

import (
	"strings"
	"unicode/utf8"
)

// ShippingRule is a shop's delivery fee: Fee per order, none from FreeAbove on (nil:
// never free).
type ShippingRule struct {
	Fee       int64
	FreeAbove *int64
}

// FeeFor returns the shipping fee of a delivery whose goods cost subtotal.
func (r ShippingRule) FeeFor(subtotal int64) int64 {
	if r.FreeAbove != nil && subtotal >= *r.FreeAbove {
		return 0
	}
	return r.Fee
}

// SetShippingRuleInput sets a shop's delivery fee.
type SetShippingRuleInput struct {
	ShopID    LocationID
	Fee       int64
	FreeAbove *int64
}

// Validate checks the amounts: from ¥0 to ¥100,000.
func (in *SetShippingRuleInput) Validate() error {
	var errs ValidationErrors
	if in.Fee < 0 || in.Fee > 100_000 {
		errs.Add(CodeOutOfRange, "input.fee", "Enter a fee from ¥0 to ¥100,000.")
	}
	if in.FreeAbove != nil && (*in.FreeAbove < 0 || *in.FreeAbove > 100_000_000) {
		errs.Add(CodeOutOfRange, "input.freeAbove", "Enter an amount from ¥0.")
	}
	return errs.Err()
}

// ShippingTaxClass is the tax class of a delivery fee: a service at the standard rate.
const ShippingTaxClass = TaxStandard10

// OrderTaxes is an order's tax as its receipt would show it (QualifiedTaxes): per
// rate, once over the rate's total, separately for the goods of registered issuers
// and the rest. The shipping fee is the shop's own delivery service at the standard
// rate, and the shop is a registered issuer, so it counts as qualifying.
func OrderTaxes(lines []*OrderLine, shippingFee int64, r Rounding) (qualifying, nonQualifying []RateTotal) {
	rl := make([]ReceiptLine, 0, len(lines)+1)
	for _, l := range lines {
		rl = append(rl, ReceiptLine{Name: l.Name, UnitPrice: l.UnitPrice, Quantity: l.Quantity,
			TaxClass: l.TaxClass, Qualified: l.Qualified})
	}
	if shippingFee > 0 {
		rl = append(rl, ReceiptLine{Name: "送料", UnitPrice: shippingFee, Quantity: 1, TaxClass: ShippingTaxClass, Qualified: true})
	}
	return QualifiedTaxes(rl, r)
}

// SumRateTotals adds up per-rate totals, rate by rate (REDUCED_8 before
// STANDARD_10): an order's taxes of both kinds together. The tax of a rate is the
// sum of its parts' taxes, each computed once over its own total, so it agrees
// with the split shown on the receipt.
func SumRateTotals(parts ...[]RateTotal) []RateTotal {
	var reduced, standard *RateTotal
	for _, p := range parts {
		for _, t := range p {
			sum := &standard
			if t.Class == TaxReduced8 {
				sum = &reduced
			}
			if *sum == nil {
				*sum = &RateTotal{Class: t.Class, Rate: t.Rate}
			}
			(*sum).Total += t.Total
			(*sum).Tax += t.Tax
		}
	}
	var out []RateTotal
	for _, t := range []*RateTotal{reduced, standard} {
		if t != nil {
			out = append(out, *t)
		}
	}
	return out
}

// OrderContact is how to reach the shopper.
type OrderContact struct {
	Email string
	Name  string
	Phone string
	// Locale is the language of the shopper's e-mails about the order; Japanese
	// when empty.
	Locale Locale
}

// ShippingAddress is where a delivery goes.
type ShippingAddress struct {
	PostalCode string
	Address    string
}

// CheckoutLineInput is a product in the cart, from a shop.
type CheckoutLineInput struct {
	ShopID    LocationID
	ProductID ProductID
	Quantity  int
}

// CheckoutInput orders the cart.
type CheckoutInput struct {
	Contact         OrderContact
	Lines           []CheckoutLineInput
	Fulfilment      Fulfilment
	ShippingAddress *ShippingAddress
	IdempotencyKey  string
}

// What an unpaid online order may hold. Checkout reserves stock until the order is
// paid or its reservation ends, so these bound what one shopper can take off the
// shelf without paying: a clerk at the counter must still find the goods. Larger
// orders are taken by the shop itself.
const (
	// MaxOrderLines bounds a cart.
	MaxOrderLines = 100
	// MaxOrderLineQuantity is the most units of one product an order may hold.
	MaxOrderLineQuantity = 20
	// MaxOrderUnits is the most units an order may hold in all.
	MaxOrderUnits = 50
	// MaxUnpaidOrders is how many orders waiting for payment, with their stock
	// reserved, one email address or one shopper account may have at once.
	MaxUnpaidOrders = 3
	// MaxUnpaidOrdersPerClient is how many such orders may come from one network
	// address at once: higher than per email, for a household or office behind one
	// address.
	MaxUnpaidOrdersPerClient = 20
)

// Validate checks the input alone and normalises the email, phone and postal code.
// It returns every problem at once: EMPTY_CART, MULTIPLE_SHOPS (on the first line of
// another shop), OUT_OF_RANGE quantities, REQUIRED or INVALID_EMAIL
// (input.contact.email), REQUIRED name, REQUIRED shipping address for a delivery,
// INVALID_POSTAL_CODE; OUT_OF_RANGE (input.lines) for more than MaxOrderUnits units
// in all.
func (in *CheckoutInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	c := &in.Contact
	if e, err := ParseEmail(c.Email, "input.contact.email"); err != nil {
		errs = append(errs, err.(*Error))
	} else {
		c.Email = e
	}
	c.Name, c.Phone = strings.TrimSpace(c.Name), strings.TrimSpace(c.Phone)
	switch n := utf8.RuneCountInString(c.Name); {
	case n == 0:
		errs.Add(CodeRequired, "input.contact.name", "Enter the name the order is for.")
	case n > MaxTextLength:
		errs.Add(CodeTooLong, "input.contact.name", "A name can be at most %d characters.", MaxTextLength)
	}
	if len(c.Phone) > 30 {
		errs.Add(CodeTooLong, "input.contact.phone", "A phone number can be at most 30 characters.")
	}
	switch {
	case len(in.Lines) == 0:
		errs.Add(CodeEmptyCart, "input.lines", "The cart is empty; add at least one product.")
	case len(in.Lines) > MaxOrderLines:
		errs.Add(CodeOutOfRange, "input.lines", "An order can have at most %d lines.", MaxOrderLines)
	}
	seen := map[ProductID]bool{}
	units := 0
	for i, l := range in.Lines {
		f := fieldIndex("input.lines", i)
		if l.ShopID != in.Lines[0].ShopID {
			errs.Add(CodeMultipleShops, f+".shopId",
				"An order comes from one shop; order the goods of each shop separately.")
		}
		if seen[l.ProductID] {
			errs.Add(CodeDuplicate, f+".productId", "This product is in the cart twice; change the quantity instead.")
		}
		seen[l.ProductID] = true
		if l.Quantity < 1 || l.Quantity > MaxOrderLineQuantity {
			errs.Add(CodeOutOfRange, f+".quantity",
				"Enter a quantity from 1 to %d; for more, please contact the shop.", MaxOrderLineQuantity)
		} else {
			units += l.Quantity
		}
	}
	if units > MaxOrderUnits {
		errs.Add(CodeOutOfRange, "input.lines",
			"An online order can hold at most %d items in all; this one has %d. For more, please contact the shop.", MaxOrderUnits, units)
	}
	switch in.Fulfilment {
	case FulfilPickup:
		in.ShippingAddress = nil
	case FulfilDelivery:
		a := in.ShippingAddress
		if a == nil || (strings.TrimSpace(a.PostalCode) == "" && strings.TrimSpace(a.Address) == "") {
			errs.Add(CodeRequired, "input.shippingAddress", "Enter the address to deliver to.")
			break
		}
		if pc, err := ParsePostalCode(a.PostalCode, "input.shippingAddress.postalCode"); err != nil {
			errs = append(errs, err.(*Error))
		} else {
			a.PostalCode = pc
		}
		a.Address = strings.TrimSpace(a.Address)
		switch n := utf8.RuneCountInString(a.Address); {
		case n == 0:
			errs.Add(CodeRequired, "input.shippingAddress.address", "Enter the address to deliver to.")
		case n > MaxNoteLength:
			errs.Add(CodeTooLong, "input.shippingAddress.address", "An address can be at most %d characters.", MaxNoteLength)
		}
	default:
		errs.Add(CodeInvalidInput, "input.fulfilment", "Choose PICKUP or DELIVERY.")
	}
	return errs.Err()
}

// ShopID is the shop the cart's goods come from (valid input has one).
func (in *CheckoutInput) ShopID() LocationID {
	if len(in.Lines) == 0 {
		return 0
	}
	return in.Lines[0].ShopID
}

// Checkout is the result of a checkout: the order, the PaymentIntent's client secret
// for the storefront's card form, and the guest's order token.
type Checkout struct {
	Order        *Order
	ClientSecret string
	Token        string
}
