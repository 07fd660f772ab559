package settledoc

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/japanese"

	"tsunagu/internal/tsunagu"
)

// csvHeader is the table's header: one row per line of the statement, then its
// rates, commission and payable, marked in the first column.
var csvHeader = []string{"区分", "商品ID", "商品名", "税率", "適格請求書発行事業者の商品", "販売数", "売上（税込）",
	"返品数", "返金（税込）", "純売上（税込）", "消費税額", "手数料率", "備考"}

// writeCSV writes s as a CSV file: the parties and period first, each on a row of
// its own, then the table under csvHeader. Amounts are plain integers (yen), so
// that a spreadsheet reads them as numbers. Lines end in CRLF, as Excel writes
// them. UTF-8 files start with a byte order mark; in Shift_JIS a character it
// cannot encode is written 〓 (geta), the customary mark for one.
func writeCSV(s *Statement, shiftJIS bool) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	first, last := s.Period()
	yen := func(n int64) string { return strconv.FormatInt(n, 10) }
	qualified := func(q bool) string {
		if q {
			return "はい"
		}
		return "いいえ"
	}
	rate := func(c tsunagu.TaxClass) string { return strconv.Itoa(c.Rate()) + "%" }
	rows := [][]string{
		{"支払通知書"},
		{"明細番号", s.number()},
		{"状態", statusJA(s.Status)},
		{"対象期間", dateJA(first), dateJA(last)},
		{"発行者", s.ShopSettings.OperatorName, "登録番号", deref(s.ShopSettings.RegistrationNumber)},
		{"販売店", s.Shop.Name},
		{"支払先", s.Facility.Corporation, s.Facility.Name, "登録番号", deref(s.Facility.RegistrationNumber)},
		{"発行日", dateJA(s.IssuedAt)},
		{},
		csvHeader,
	}
	for _, l := range s.Lines {
		note := ""
		if r := l.RefundOf; r != nil {
			note = "返品元の販売: " + dateJA(r.SoldAt)
			if r.ReceiptNumber != nil {
				note += " レシート番号 " + strconv.FormatInt(*r.ReceiptNumber, 10)
			}
			if r.OrderID != nil {
				note += " 注文番号 " + strconv.FormatInt(int64(*r.OrderID), 10)
			}
		}
		rows = append(rows, []string{"明細", strconv.FormatInt(int64(l.ProductID), 10), l.Name, rate(l.Class), qualified(l.Qualified),
			strconv.Itoa(l.UnitsSold), yen(l.Gross), strconv.Itoa(l.UnitsRefunded), yen(l.Refunds), yen(l.Net), "", "", note})
	}
	for _, r := range s.Rates {
		rows = append(rows, []string{"税率別合計", "", "", rate(r.Class), qualified(r.Qualified),
			strconv.Itoa(r.UnitsSold), yen(r.Gross), strconv.Itoa(r.UnitsRefunded), yen(r.Refunds), yen(r.Net), yen(r.Tax), "", ""})
	}
	for _, p := range s.CommissionParts {
		rows = append(rows, []string{"手数料の対象", "", "", "", "", "", "", "", "", yen(p.Base), "", basisPoints(p.BasisPoints), ""})
	}
	rows = append(rows,
		[]string{"合計", "", "", "", "", strconv.Itoa(s.UnitsSold), yen(s.Gross), strconv.Itoa(s.UnitsRefunded), yen(s.Refunds), yen(s.Net), "", "", ""},
		[]string{"販売手数料（税込）", "", "", "10%", "", "", "", "", "", yen(s.Commission), yen(s.CommissionTax), "", "消費税額は手数料に含まれる10%の消費税"},
		[]string{"支払額", "", "", "", "", "", "", "", "", yen(s.Payable), "", "", "純売上 − 販売手数料"},
	)
	if s.PaidOn != nil {
		rows = append(rows, []string{"支払日", s.PaidOn.Format("2006-01-02"), "支払の参照", s.PaymentReference})
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	if shiftJIS {
		return toShiftJIS(b.String()), nil
	}
	return append([]byte("\uFEFF"), b.Bytes()...), nil
}

// jisForms are the characters Unicode has apart from the ones Shift_JIS's table
// (WHATWG's, as Windows reads it) maps its codes to: the wave dash of 10月〜11月,
// the minus sign, and the rest of the well-known set; they are written as the
// character Windows shows for the code.
var jisForms = strings.NewReplacer("\u301C", "\uFF5E", "\u2212", "\uFF0D", "\u2016", "\u2225", "\u2014", "\u2015",
	"\u00A2", "\uFFE0", "\u00A3", "\uFFE1", "\u00AC", "\uFFE2")

// toShiftJIS encodes s in Shift_JIS, writing 〓 for each character it has no code for.
func toShiftJIS(s string) []byte {
	enc := japanese.ShiftJIS.NewEncoder()
	geta, _ := enc.String("〓")
	var b strings.Builder
	for _, r := range jisForms.Replace(s) {
		c, err := enc.String(string(r))
		if err != nil {
			c = geta
		}
		b.WriteString(c)
	}
	return []byte(b.String())
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
