package tsunagu_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/tsunagu"
)

func TestNextOrderStatus(t *testing.T) {
	const (
		pending   = tsunagu.OrderPendingPayment
		paid      = tsunagu.OrderPaid
		ready     = tsunagu.OrderReady
		shipped   = tsunagu.OrderShipped
		completed = tsunagu.OrderCompleted
		cancelled = tsunagu.OrderCancelled
		refunded  = tsunagu.OrderRefunded
		pickup    = tsunagu.FulfilPickup
		delivery  = tsunagu.FulfilDelivery
	)
	tests := []struct {
		name    string
		from    tsunagu.OrderStatus
		f       tsunagu.Fulfilment
		e       tsunagu.OrderEvent
		want    tsunagu.OrderStatus
		changed bool
		code    tsunagu.Code
	}{
		{"PaidOnSuccess", pending, pickup, tsunagu.EventPaymentSucceeded, paid, true, ""},
		{"SuccessTwice", paid, pickup, tsunagu.EventPaymentSucceeded, paid, false, ""},
		{"SuccessAfterReady", ready, pickup, tsunagu.EventPaymentSucceeded, ready, false, ""},
		{"FailureKeepsPending", pending, pickup, tsunagu.EventPaymentFailed, pending, false, ""},
		{"FailureAfterSuccess", paid, pickup, tsunagu.EventPaymentFailed, paid, false, ""},
		{"CanceledPayment", pending, pickup, tsunagu.EventPaymentCanceled, cancelled, true, ""},
		{"CanceledAfterPaid", paid, pickup, tsunagu.EventPaymentCanceled, paid, false, ""},
		{"Expire", pending, delivery, tsunagu.EventExpire, cancelled, true, ""},
		{"ExpirePaid", paid, delivery, tsunagu.EventExpire, paid, false, ""},
		{"Ready", paid, pickup, tsunagu.EventMarkReady, ready, true, ""},
		{"ReadyUnpaid", pending, pickup, tsunagu.EventMarkReady, pending, false, tsunagu.CodeNotPaid},
		{"ReadyDelivery", paid, delivery, tsunagu.EventMarkReady, paid, false, tsunagu.CodeInvalidState},
		{"ReadyTwice", ready, pickup, tsunagu.EventMarkReady, ready, false, tsunagu.CodeInvalidState},
		{"Ship", paid, delivery, tsunagu.EventShip, shipped, true, ""},
		{"ShipPickup", paid, pickup, tsunagu.EventShip, paid, false, tsunagu.CodeInvalidState},
		{"ShipUnpaid", pending, delivery, tsunagu.EventShip, pending, false, tsunagu.CodeNotPaid},
		{"CompleteReady", ready, pickup, tsunagu.EventComplete, completed, true, ""},
		{"CompletePaidPickup", paid, pickup, tsunagu.EventComplete, completed, true, ""},
		{"CompleteShipped", shipped, delivery, tsunagu.EventComplete, completed, true, ""},
		{"CompleteUnshipped", paid, delivery, tsunagu.EventComplete, paid, false, tsunagu.CodeInvalidState},
		{"CompleteUnpaid", pending, pickup, tsunagu.EventComplete, pending, false, tsunagu.CodeNotPaid},
		{"CompleteCancelled", cancelled, pickup, tsunagu.EventComplete, cancelled, false, tsunagu.CodeInvalidState},
		{"CancelPending", pending, pickup, tsunagu.EventCancel, cancelled, true, ""},
		{"CancelReady", ready, pickup, tsunagu.EventCancel, cancelled, true, ""},
		{"CancelShipped", shipped, delivery, tsunagu.EventCancel, shipped, false, tsunagu.CodeInvalidState},
		{"CancelCompleted", completed, pickup, tsunagu.EventCancel, completed, false, tsunagu.CodeInvalidState},
		{"RefundCompleted", completed, pickup, tsunagu.EventRefundAll, refunded, true, ""},
		{"RefundCancelled", cancelled, pickup, tsunagu.EventRefundAll, refunded, true, ""},
		{"RefundPending", pending, pickup, tsunagu.EventRefundAll, pending, false, tsunagu.CodeInvalidState},
		{"RefundRefunded", refunded, pickup, tsunagu.EventRefundAll, refunded, false, tsunagu.CodeInvalidState},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, changed, err := tsunagu.NextOrderStatus(tc.from, tc.f, tc.e)
			if code := tsunagu.ErrorCode(err); code != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			if got != tc.want || changed != tc.changed {
				t.Errorf("got %s (changed %v), want %s (changed %v)", got, changed, tc.want, tc.changed)
			}
		})
	}
}

func TestShippingRule(t *testing.T) {
	free := int64(5000)
	tests := []struct {
		name     string
		rule     tsunagu.ShippingRule
		subtotal int64
		want     int64
	}{
		{"Flat", tsunagu.ShippingRule{Fee: 800}, 10000, 800},
		{"BelowFree", tsunagu.ShippingRule{Fee: 800, FreeAbove: &free}, 4999, 800},
		{"AtFree", tsunagu.ShippingRule{Fee: 800, FreeAbove: &free}, 5000, 0},
		{"NoFee", tsunagu.ShippingRule{}, 100, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rule.FeeFor(tc.subtotal); got != tc.want {
				t.Errorf("fee %d, want %d", got, tc.want)
			}
		})
	}
}

// An order's tax is the receipt's: once per rate over the rate's total, separately
// for qualifying and non-qualifying goods, shipping as the shop's own qualifying
// service at 10%. The cases are real orders: the home shop's cookies (¥350, 8%,
// registered facility) and jam (¥650, 8%), a partner's unregistered workshop's
// spoon (¥1,200, 10%) and ¥105 cards (10%).
func TestOrderTaxes(t *testing.T) {
	cookies := func(q int) *tsunagu.OrderLine {
		return &tsunagu.OrderLine{Name: "クッキー", UnitPrice: 350, Quantity: q, TaxClass: tsunagu.TaxReduced8, Qualified: true}
	}
	jam := func(q int, qualified bool) *tsunagu.OrderLine {
		return &tsunagu.OrderLine{Name: "ジャム", UnitPrice: 650, Quantity: q, TaxClass: tsunagu.TaxReduced8, Qualified: qualified}
	}
	spoon := &tsunagu.OrderLine{Name: "木のスプーン", UnitPrice: 1200, Quantity: 1, TaxClass: tsunagu.TaxStandard10}
	cards := &tsunagu.OrderLine{Name: "カード", UnitPrice: 105, Quantity: 3, TaxClass: tsunagu.TaxStandard10, Qualified: true}
	tests := []struct {
		name          string
		lines         []*tsunagu.OrderLine
		shipping      int64
		rounding      tsunagu.Rounding
		qualifying    []tsunagu.RateTotal
		nonQualifying []tsunagu.RateTotal
		all           []tsunagu.RateTotal
	}{
		{"PickupAllQualifying", []*tsunagu.OrderLine{cookies(2), jam(1, true)}, 0, tsunagu.RoundDown,
			[]tsunagu.RateTotal{{Class: tsunagu.TaxReduced8, Rate: 8, Total: 1350, Tax: 100}}, nil,
			[]tsunagu.RateTotal{{Class: tsunagu.TaxReduced8, Rate: 8, Total: 1350, Tax: 100}}},
		{"ThreeCardsOnceNotPerLine", []*tsunagu.OrderLine{cards}, 0, tsunagu.RoundDown,
			[]tsunagu.RateTotal{{Class: tsunagu.TaxStandard10, Rate: 10, Total: 315, Tax: 28}}, nil,
			[]tsunagu.RateTotal{{Class: tsunagu.TaxStandard10, Rate: 10, Total: 315, Tax: 28}}},
		// One breakdown over everything would give 8% of ¥1,350 → ¥100 and 10% of
		// ¥2,000 → ¥181; split as on the receipt it is ¥51 + ¥48 and ¥72 + ¥109.
		{"DeliveryMixed", []*tsunagu.OrderLine{cookies(2), jam(1, false), spoon}, 800, tsunagu.RoundDown,
			[]tsunagu.RateTotal{{Class: tsunagu.TaxReduced8, Rate: 8, Total: 700, Tax: 51},
				{Class: tsunagu.TaxStandard10, Rate: 10, Total: 800, Tax: 72}},
			[]tsunagu.RateTotal{{Class: tsunagu.TaxReduced8, Rate: 8, Total: 650, Tax: 48},
				{Class: tsunagu.TaxStandard10, Rate: 10, Total: 1200, Tax: 109}},
			[]tsunagu.RateTotal{{Class: tsunagu.TaxReduced8, Rate: 8, Total: 1350, Tax: 99},
				{Class: tsunagu.TaxStandard10, Rate: 10, Total: 2000, Tax: 181}}},
		{"ShippingOnlyTaxedAsQualifying", []*tsunagu.OrderLine{spoon}, 800, tsunagu.RoundUp,
			[]tsunagu.RateTotal{{Class: tsunagu.TaxStandard10, Rate: 10, Total: 800, Tax: 73}},
			[]tsunagu.RateTotal{{Class: tsunagu.TaxStandard10, Rate: 10, Total: 1200, Tax: 110}},
			[]tsunagu.RateTotal{{Class: tsunagu.TaxStandard10, Rate: 10, Total: 2000, Tax: 183}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, nq := tsunagu.OrderTaxes(tc.lines, tc.shipping, tc.rounding)
			if d := cmp.Diff(tc.qualifying, q); d != "" {
				t.Errorf("qualifying (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.nonQualifying, nq); d != "" {
				t.Errorf("non-qualifying (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.all, tsunagu.SumRateTotals(q, nq)); d != "" {
				t.Errorf("all (-want +got):\n%s", d)
			}
			// The same lines on a receipt have the same taxes.
			r := tsunagu.Receipt{Kind: tsunagu.ReceiptSale, Rounding: tc.rounding}
			for _, l := range tc.lines {
				r.Lines = append(r.Lines, tsunagu.ReceiptLine{Name: l.Name, UnitPrice: l.UnitPrice, Quantity: l.Quantity,
					TaxClass: l.TaxClass, Qualified: l.Qualified})
			}
			if tc.shipping > 0 {
				r.Lines = append(r.Lines, tsunagu.ReceiptLine{Name: "送料", UnitPrice: tc.shipping, Quantity: 1,
					TaxClass: tsunagu.ShippingTaxClass, Qualified: true})
			}
			if err := r.Compute(); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(r.Qualifying, q); d != "" {
				t.Errorf("receipt's qualifying taxes differ (-receipt +order):\n%s", d)
			}
			if d := cmp.Diff(r.NonQualifying, nq); d != "" {
				t.Errorf("receipt's non-qualifying taxes differ (-receipt +order):\n%s", d)
			}
		})
	}
}

func TestCheckoutInputValidate(t *testing.T) {
	valid := func() tsunagu.CheckoutInput {
		return tsunagu.CheckoutInput{
			Contact:        tsunagu.OrderContact{Email: "hanako@example.jp", Name: "山田花子"},
			Lines:          []tsunagu.CheckoutLineInput{{ShopID: 1, ProductID: 1, Quantity: 1}},
			Fulfilment:     tsunagu.FulfilPickup,
			IdempotencyKey: "k",
		}
	}
	tests := []struct {
		name  string
		mod   func(*tsunagu.CheckoutInput)
		code  tsunagu.Code
		field string
	}{
		{"OK", func(*tsunagu.CheckoutInput) {}, "", ""},
		{"EmptyCart", func(in *tsunagu.CheckoutInput) { in.Lines = nil }, tsunagu.CodeEmptyCart, "input.lines"},
		{"TwoShops", func(in *tsunagu.CheckoutInput) {
			in.Lines = append(in.Lines, tsunagu.CheckoutLineInput{ShopID: 2, ProductID: 2, Quantity: 1})
		}, tsunagu.CodeMultipleShops, "input.lines.1.shopId"},
		{"BadEmail", func(in *tsunagu.CheckoutInput) { in.Contact.Email = "hanako" }, tsunagu.CodeInvalidEmail, "input.contact.email"},
		{"DeliveryWithoutAddress", func(in *tsunagu.CheckoutInput) { in.Fulfilment = tsunagu.FulfilDelivery },
			tsunagu.CodeRequired, "input.shippingAddress"},
		{"BadPostalCode", func(in *tsunagu.CheckoutInput) {
			in.Fulfilment = tsunagu.FulfilDelivery
			in.ShippingAddress = &tsunagu.ShippingAddress{PostalCode: "105-001", Address: "港区芝公園1-5-25"}
		}, tsunagu.CodeInvalidPostalCode, "input.shippingAddress.postalCode"},
		{"ZeroQuantity", func(in *tsunagu.CheckoutInput) { in.Lines[0].Quantity = 0 }, tsunagu.CodeOutOfRange, "input.lines.0.quantity"},
		{"MostOfOneProduct", func(in *tsunagu.CheckoutInput) { in.Lines[0].Quantity = tsunagu.MaxOrderLineQuantity }, "", ""},
		{"TooManyOfOneProduct", func(in *tsunagu.CheckoutInput) { in.Lines[0].Quantity = tsunagu.MaxOrderLineQuantity + 1 },
			tsunagu.CodeOutOfRange, "input.lines.0.quantity"},
		{"MostUnits", func(in *tsunagu.CheckoutInput) { in.Lines = linesOf(tsunagu.MaxOrderUnits) }, "", ""},
		{"TooManyUnits", func(in *tsunagu.CheckoutInput) { in.Lines = linesOf(tsunagu.MaxOrderUnits + 1) },
			tsunagu.CodeOutOfRange, "input.lines"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.mod(&in)
			errs := tsunagu.UserErrors(in.Validate())
			if tc.code == "" {
				if len(errs) > 0 {
					t.Fatalf("refused: %v", errs)
				}
				return
			}
			if len(errs) != 1 || errs[0].Code != tc.code || errs[0].Field != tc.field {
				t.Fatalf("errors %v, want one %s on %s", errs, tc.code, tc.field)
			}
		})
	}
}

// linesOf is a cart of units units in all, each line holding as many as a line may.
func linesOf(units int) []tsunagu.CheckoutLineInput {
	var lines []tsunagu.CheckoutLineInput
	for id := 1; units > 0; id++ {
		q := min(units, tsunagu.MaxOrderLineQuantity)
		lines = append(lines, tsunagu.CheckoutLineInput{ShopID: 1, ProductID: tsunagu.ProductID(id), Quantity: q})
		units -= q
	}
	return lines
}

// What Stripe reports refunded beyond the order's own refunds is new, at most what
// is left of the capture; a replayed, older or equal report is nothing new.
func TestRefundedOutside(t *testing.T) {
	o := &tsunagu.Order{Captured: 1350, Refunded: 350}
	tests := []struct {
		name            string
		known, refunded int64
		want            int64
	}{
		{"InStripeOnly", 350, 850, 500},
		{"OurOwnReported", 350, 350, 0},
		{"Older", 350, 200, 0},
		{"Nothing", 0, 0, 0},
		{"CappedAtCaptured", 350, 5000, 1000},
		// A refund of ours Stripe answered FAILED is not known, but is in Refunded.
		{"FailedOfOursNotKnown", 0, 1350, 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := o.RefundedOutside(tc.known, tc.refunded); got != tc.want {
				t.Errorf("RefundedOutside(%d, %d) = %d, want %d", tc.known, tc.refunded, got, tc.want)
			}
		})
	}
}
