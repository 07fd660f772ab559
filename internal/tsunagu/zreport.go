package tsunagu

// ReportLine is what one receipt of a register session took (a sale, positive) or gave
// back (a refund, negative) for one tax class, split by whether a qualified invoice
// covers the goods.
type ReportLine struct {
	// Document names the receipt: a sale's or a refund's ("S12", "R3").
	Document  string
	Class     TaxClass
	Qualified bool
	Amount    int64
}

// ReportTaxes are the figures per tax rate a Z report shows, so that the day can be
// reconciled with the receipts handed out.
type ReportTaxes struct {
	// Qualifying are the net takings of goods a qualified invoice covers, per rate,
	// with the tax computed once over the day's total.
	Qualifying []RateTotal
	// NonQualifying are the net takings of goods of consignors that are not
	// registered issuers, per rate; their tax is not shown.
	NonQualifying []RateTotal
	// ReceiptTaxes are, per rate, the sums of what the session's receipts printed for
	// qualifying goods: each receipt rounds its own tax, so these may differ from
	// Qualifying's tax by a few yen, which the books must reconcile.
	ReceiptTaxes []RateTotal
}

// SessionTaxes computes a session's ReportTaxes from its receipts' lines, rounded by
// r as each receipt was. Lists are empty, never nil.
func SessionTaxes(lines []ReportLine, r Rounding) ReportTaxes {
	var q, nq []TaxLine
	byDoc := map[string][]TaxLine{}
	var docs []string
	for _, l := range lines {
		if !l.Qualified {
			nq = append(nq, TaxLine{Class: l.Class, Amount: l.Amount})
			continue
		}
		q = append(q, TaxLine{Class: l.Class, Amount: l.Amount})
		if _, ok := byDoc[l.Document]; !ok {
			docs = append(docs, l.Document)
		}
		byDoc[l.Document] = append(byDoc[l.Document], TaxLine{Class: l.Class, Amount: l.Amount})
	}
	out := ReportTaxes{Qualifying: nonNil(TaxBreakdown(q, r)), NonQualifying: nonNil(TaxBreakdown(nq, r)), ReceiptTaxes: []RateTotal{}}
	sums := map[TaxClass]*RateTotal{}
	for _, d := range docs {
		for _, t := range TaxBreakdown(byDoc[d], r) {
			s, ok := sums[t.Class]
			if !ok {
				s = &RateTotal{Class: t.Class, Rate: t.Rate}
				sums[t.Class] = s
			}
			s.Total += t.Total
			s.Tax += t.Tax
		}
	}
	for _, c := range []TaxClass{TaxReduced8, TaxStandard10} {
		if s, ok := sums[c]; ok {
			out.ReceiptTaxes = append(out.ReceiptTaxes, *s)
		}
	}
	return out
}

func nonNil(rs []RateTotal) []RateTotal {
	if rs == nil {
		return []RateTotal{}
	}
	return rs
}
