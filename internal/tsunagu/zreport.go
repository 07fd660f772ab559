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

// MethodTotal is the takings of one payment method.
type MethodTotal struct {
	Method PaymentMethod
	Count  int
	Amount int64
}

// ZReport is a register session's close report (レジ締め).
type ZReport struct {
	SalesCount      int
	GrossSales      int64 // completed sales, before refunds
	VoidCount       int
	VoidTotal       int64
	RefundCount     int
	RefundTotal     int64
	NetSales        int64 // gross less refunds
	ByPaymentMethod []MethodTotal
	// ByTaxRate are the net takings per rate, tax computed once per rate.
	ByTaxRate []RateTotal
	// ReportTaxes split ByTaxRate into qualifying and non-qualifying goods, and give
	// the sums of the taxes the receipts printed, to reconcile with.
	ReportTaxes
	OpeningFloat int64
	CashSales    int64 // cash received for sales, change given back
	CashRefunds  int64
	CashIn       int64
	CashOut      int64
	// ExpectedCash is float + cash sales − cash refunds + cash in − cash out.
	ExpectedCash int64
	CountedCash  *int64
	// OverShort is counted − expected once counted: positive is over.
	OverShort *int64
}
