package tsunagu_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/tsunagu"
)

// Requested lines are paid from the outside money not yet attributed first, in the
// order of the outside refunds, then the rest goes to Stripe; lines worth less than
// the outside money leave the rest unattributed.
func TestCoverRefund(t *testing.T) {
	cookies := tsunagu.PricedRefundLine{LineNumber: 1, Quantity: 2, UnitPrice: 350}
	jam := tsunagu.PricedRefundLine{LineNumber: 2, Quantity: 1, UnitPrice: 650}
	free := tsunagu.PricedRefundLine{LineNumber: 3, Quantity: 1}
	type piece = tsunagu.RefundPiece
	tests := []struct {
		name    string
		outside []tsunagu.OutsideRefund
		lines   []tsunagu.PricedRefundLine
		total   int64
		want    tsunagu.RefundCover
	}{
		{"NoOutsideMoney", nil, []tsunagu.PricedRefundLine{cookies}, 700,
			tsunagu.RefundCover{Rest: 700, RestLines: []piece{{1, 2, 700}}}},
		{"WholeOrderOutside", []tsunagu.OutsideRefund{{ID: 7, Amount: 1850}}, []tsunagu.PricedRefundLine{cookies, jam}, 1850,
			tsunagu.RefundCover{Outside: []tsunagu.OutsideCover{{RefundID: 7, Amount: 1850, Lines: []piece{{1, 2, 700}, {2, 1, 650}}}}}},
		{"RemainderToStripe", []tsunagu.OutsideRefund{{ID: 7, Amount: 500}}, []tsunagu.PricedRefundLine{cookies}, 700,
			tsunagu.RefundCover{Outside: []tsunagu.OutsideCover{{RefundID: 7, Amount: 500, Lines: []piece{{1, 1, 500}}}},
				Rest: 200, RestLines: []piece{{1, 1, 200}}}},
		{"UnitSplit", []tsunagu.OutsideRefund{{ID: 7, Amount: 300}}, []tsunagu.PricedRefundLine{jam}, 650,
			tsunagu.RefundCover{Outside: []tsunagu.OutsideCover{{RefundID: 7, Amount: 300, Lines: []piece{{2, 0, 300}}}},
				Rest: 350, RestLines: []piece{{2, 1, 350}}}},
		{"LinesWorthLess", []tsunagu.OutsideRefund{{ID: 7, Amount: 1000}}, []tsunagu.PricedRefundLine{{LineNumber: 1, Quantity: 1, UnitPrice: 350}}, 350,
			tsunagu.RefundCover{Outside: []tsunagu.OutsideCover{{RefundID: 7, Amount: 350, Lines: []piece{{1, 1, 350}}}}, Unattributed: 650}},
		{"AttributedBefore", []tsunagu.OutsideRefund{{ID: 7, Amount: 1000, Attributed: 1000}, {ID: 9, Amount: 400, Attributed: 50}},
			[]tsunagu.PricedRefundLine{cookies}, 700,
			tsunagu.RefundCover{Outside: []tsunagu.OutsideCover{{RefundID: 9, Amount: 350, Lines: []piece{{1, 1, 350}}}},
				Rest: 350, RestLines: []piece{{1, 1, 350}}}},
		{"AcrossOutsideRefunds", []tsunagu.OutsideRefund{{ID: 7, Amount: 200}, {ID: 9, Amount: 600}}, []tsunagu.PricedRefundLine{cookies}, 700,
			tsunagu.RefundCover{Outside: []tsunagu.OutsideCover{{RefundID: 7, Amount: 200, Lines: []piece{{1, 0, 200}}},
				{RefundID: 9, Amount: 500, Lines: []piece{{1, 2, 500}}}}, Unattributed: 100}},
		{"ShippingAfterGoods", []tsunagu.OutsideRefund{{ID: 7, Amount: 800}}, []tsunagu.PricedRefundLine{cookies}, 700 + 500,
			tsunagu.RefundCover{Outside: []tsunagu.OutsideCover{{RefundID: 7, Amount: 800, Lines: []piece{{1, 2, 700}}}}, Rest: 400}},
		{"FreeLineWithOutside", []tsunagu.OutsideRefund{{ID: 7, Amount: 700}}, []tsunagu.PricedRefundLine{cookies, free}, 700,
			tsunagu.RefundCover{Outside: []tsunagu.OutsideCover{{RefundID: 7, Amount: 700, Lines: []piece{{1, 2, 700}, {3, 1, 0}}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tsunagu.CoverRefund(tc.outside, tc.lines, tc.total)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("CoverRefund (-want +got):\n%s", d)
			}
			if n := tsunagu.Unattributed(tc.outside) - got.Unattributed; n+got.Rest != tc.total {
				t.Errorf("attributed %d + rest %d, want the request's %d", n, got.Rest, tc.total)
			}
		})
	}
}
