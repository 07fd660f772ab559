// Package settledoc writes a settlement statement's documents: the statement as
// CSV for the municipal office's spreadsheet (UTF-8 with a byte order mark, which
// Excel needs to read it as UTF-8, or Shift_JIS for older setups) and the printable
// payment notice (支払通知書). Both are rendered from the statement as the API
// returns it (tsunagu.Settlement), never recomputed: the figures are the API's.
//
// The notice carries what the two legal documents inside a statement need. The
// shop sold the facility's goods under its own registration number (媒介者交付特例,
// 消費税法施行令第70条の12), so it gives a registered facility the summary of the
// qualified invoices it issued on the facility's behalf: the period, per rate the
// tax-included total and its tax, and the shop's name and registration number. And
// the commission is the shop's service to the facility: its qualified invoice names
// the shop and its registration number, the commission tax-included at 10 % and its
// tax. A shop without a registration number issues neither, and the notice says so.
package settledoc

import (
	"encoding/base64"
	"fmt"
	"time"

	"tsunagu/internal/tsunagu"
)

// Statement is a statement with the parties it names.
type Statement struct {
	*tsunagu.Settlement
	Facility *tsunagu.Facility
	// Shop is the selling shop's location, and ShopSettings its receipt issuer.
	Shop         *tsunagu.Location
	ShopSettings *tsunagu.Shop
	// IssuedAt is when the document is made.
	IssuedAt time.Time
}

// Format is a document format.
type Format string

const (
	CSVUTF8     Format = "CSV_UTF8"
	CSVShiftJIS Format = "CSV_SHIFT_JIS"
	NoticeHTML  Format = "NOTICE_HTML"
)

// Document is a rendered document: its bytes, their media type and a file name.
type Document struct {
	Filename    string
	ContentType string
	Content     []byte
}

// Base64 is the document's bytes in standard, padded base64.
func (d *Document) Base64() string { return base64.StdEncoding.EncodeToString(d.Content) }

// Render renders s in format f. It fails only for an unknown format.
func Render(s *Statement, f Format) (*Document, error) {
	base := "statement-" + s.Month.String() + "-" + s.number()
	switch f {
	case CSVUTF8, CSVShiftJIS:
		b, err := writeCSV(s, f == CSVShiftJIS)
		if err != nil {
			return nil, err
		}
		charset := "utf-8"
		if f == CSVShiftJIS {
			charset = "shift_jis"
		}
		return &Document{Filename: base + ".csv", ContentType: "text/csv; charset=" + charset, Content: b}, nil
	case NoticeHTML:
		b, err := writeNotice(s)
		if err != nil {
			return nil, err
		}
		return &Document{Filename: base + ".html", ContentType: "text/html; charset=utf-8", Content: b}, nil
	}
	return nil, fmt.Errorf("settledoc: unknown format %q", f)
}

// number is the statement number, or a stand-in that says the month is open.
func (s *Statement) number() string {
	if s.StatementNumber != nil {
		return *s.StatementNumber
	}
	return fmt.Sprintf("open-%d", s.ID)
}

// Intermediary reports whether the statement carries the 媒介者交付特例 summary:
// the shop and the facility are both registered issuers, and goods of registered
// issuers sold.
func (s *Statement) Intermediary() bool {
	if s.ShopSettings.RegistrationNumber == nil || !s.Facility.IsQualifiedInvoiceIssuer() {
		return false
	}
	for _, r := range s.Rates {
		if r.Qualified {
			return true
		}
	}
	return false
}

// QualifiedRates are the rates of the registered issuers' goods: the summary's.
func (s *Statement) QualifiedRates() []tsunagu.SettlementRate {
	var out []tsunagu.SettlementRate
	for _, r := range s.Rates {
		if r.Qualified {
			out = append(out, r)
		}
	}
	return out
}

// CommissionInvoice reports whether the commission is invoiced as a qualified
// invoice: the shop is a registered issuer.
func (s *Statement) CommissionInvoice() bool { return s.ShopSettings.RegistrationNumber != nil }

// Period is the statement's month as the first and last day, Japan time.
func (s *Statement) Period() (first, last time.Time) {
	return s.Month.Start(), s.Month.Next().Start().Add(-time.Second)
}

// basisPoints writes a rate in basis points as a percentage: 1500 → "15.00%".
func basisPoints(bp int) string { return fmt.Sprintf("%d.%02d%%", bp/100, bp%100) }

// statusJA is the status of the statement in Japanese.
func statusJA(s tsunagu.SettlementStatus) string {
	switch s {
	case tsunagu.SettlementOpen:
		return "速報（月締め前。数字はまだ変わります）"
	case tsunagu.SettlementClosed:
		return "確定（月締め済み）"
	case tsunagu.SettlementPaid:
		return "支払済み"
	}
	return string(s)
}

// dateJA writes t's day in Japan time: 2026年11月30日.
func dateJA(t time.Time) string {
	d := tsunagu.DayOf(t)
	return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
}
