package tsunagu_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/tsunagu"
)

// Two ¥350 sales at 8 %, rounded down: each receipt prints ¥25 of tax (25.9), the
// day's ¥700 holds ¥51 (51.85). The report shows both, and the goods of a consignor
// that is not a registered issuer apart, without a tax; a refund counts negative.
func TestSessionTaxes(t *testing.T) {
	r8, s10 := tsunagu.TaxReduced8, tsunagu.TaxStandard10
	got := tsunagu.SessionTaxes([]tsunagu.ReportLine{
		{Document: "S1", Class: r8, Qualified: true, Amount: 350},
		{Document: "S2", Class: r8, Qualified: true, Amount: 350},
		{Document: "S2", Class: s10, Qualified: false, Amount: 1200},
		{Document: "S3", Class: s10, Qualified: true, Amount: 1100},
		{Document: "R1", Class: s10, Qualified: true, Amount: -550},
	}, tsunagu.RoundDown)
	want := tsunagu.ReportTaxes{
		Qualifying:    []tsunagu.RateTotal{{Class: r8, Rate: 8, Total: 700, Tax: 51}, {Class: s10, Rate: 10, Total: 550, Tax: 50}},
		NonQualifying: []tsunagu.RateTotal{{Class: s10, Rate: 10, Total: 1200, Tax: 109}},
		ReceiptTaxes:  []tsunagu.RateTotal{{Class: r8, Rate: 8, Total: 700, Tax: 50}, {Class: s10, Rate: 10, Total: 550, Tax: 50}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if empty := tsunagu.SessionTaxes(nil, tsunagu.RoundDown); empty.Qualifying == nil || empty.NonQualifying == nil || empty.ReceiptTaxes == nil {
		t.Errorf("nil lists for an empty session: %+v", empty)
	}
}
