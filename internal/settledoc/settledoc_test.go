package settledoc_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"tsunagu/internal/settledoc"
	"tsunagu/internal/tsunagu"
)

func ptr[T any](v T) *T { return &v }

// statement is a closed November statement of cookies (8 %, 15 % commission) and a
// spoon (10 %), with a refund of an October sale, for a registered facility at a
// registered shop.
func statement() *settledoc.Statement {
	oct := time.Date(2026, time.October, 30, 12, 0, 0, 0, time.UTC)
	parts := []tsunagu.SettlementPart{
		{ProductID: 1, Name: "クッキー", Class: tsunagu.TaxReduced8, Qualified: true, BasisPoints: 1500, UnitsSold: 3, Gross: 1050},
		{ProductID: 2, Name: "木のスプーン🥄", Class: tsunagu.TaxStandard10, Qualified: true, BasisPoints: 1500, UnitsSold: 1, Gross: 1200},
		{ProductID: 1, Name: "クッキー", Class: tsunagu.TaxReduced8, Qualified: true, BasisPoints: 1500, UnitsRefunded: 1, Refunds: 350,
			RefundOfSale: ptr(tsunagu.SaleID(7)), RefundOfReceipt: ptr(int64(41)), RefundOfSoldAt: &oct},
	}
	s := &tsunagu.Settlement{ID: 9, FacilityID: 3, ShopID: 4, Month: tsunagu.Month{Year: 2026, Month: time.November},
		Status: tsunagu.SettlementClosed, StatementNumber: ptr("4-000002"), Rounding: tsunagu.RoundDown,
		SettlementFigures: tsunagu.Settle(parts, tsunagu.RoundDown)}
	return &settledoc.Statement{Settlement: s,
		Facility:     &tsunagu.Facility{ID: 3, Name: "ワークショップ虹", Corporation: "社会福祉法人にじ", RegistrationNumber: ptr("T1234567890123")},
		Shop:         &tsunagu.Location{ID: 4, Name: "港区役所 福祉ショップ"},
		ShopSettings: &tsunagu.Shop{LocationID: 4, OperatorName: "港区", RegistrationNumber: ptr("T8000020131032")},
		IssuedAt:     time.Date(2026, time.December, 6, 1, 0, 0, 0, time.UTC)}
}

// The CSV carries the statement's own figures: a BOM and CRLF for Excel, a row per
// line (the refund naming its receipt), per rate with its tax, the commission with
// its tax, and the payable; in Shift_JIS the same text, a character Shift_JIS lacks
// written 〓.
func TestCSV(t *testing.T) {
	s := statement()
	d, err := settledoc.Render(s, settledoc.CSVUTF8)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(d.Content, []byte("\xEF\xBB\xBF")) || !bytes.Contains(d.Content, []byte("\r\n")) ||
		d.ContentType != "text/csv; charset=utf-8" || d.Filename != "statement-2026-11-4-000002.csv" {
		t.Errorf("document %s %s, starts %q", d.Filename, d.ContentType, d.Content[:8])
	}
	rows := readCSV(t, string(bytes.TrimPrefix(d.Content, []byte("\xEF\xBB\xBF"))))
	find := func(kind string) [][]string {
		var out [][]string
		for _, r := range rows {
			if r[0] == kind {
				out = append(out, r)
			}
		}
		return out
	}
	lines, rates := find("明細"), find("税率別合計")
	if len(lines) != len(s.Lines) || len(rates) != len(s.Rates) {
		t.Fatalf("%d lines and %d rates, want %d and %d", len(lines), len(rates), len(s.Lines), len(s.Rates))
	}
	if r := lines[len(lines)-1]; r[8] != "350" || !strings.Contains(r[12], "レシート番号 41") || !strings.Contains(r[12], "2026年10月30日") {
		t.Errorf("the refund's line %q", r)
	}
	if r := rates[0]; r[3] != "8%" || r[9] != "700" || r[10] != "51" {
		t.Errorf("the 8 %% rate %q, want net 700 with tax 51", r)
	}
	commission, payable := find("販売手数料（税込）"), find("支払額")
	if len(commission) != 1 || commission[0][9] != "285" || commission[0][10] != "25" || len(payable) != 1 || payable[0][9] != "1615" {
		t.Errorf("commission %q payable %q, want 285 (tax 25) and 1615", commission, payable)
	}
	if s.Commission != 285 || s.Payable != 1615 {
		t.Fatalf("the fixture's figures changed: commission %d payable %d", s.Commission, s.Payable)
	}

	sj, err := settledoc.Render(s, settledoc.CSVShiftJIS)
	if err != nil {
		t.Fatal(err)
	}
	text, err := japanese.ShiftJIS.NewDecoder().String(string(sj.Content))
	if err != nil {
		t.Fatal(err)
	}
	utf8 := strings.TrimPrefix(string(d.Content), "\uFEFF")
	// The emoji has no code; the minus sign is written as the full-width hyphen-minus
	// Windows shows for its code.
	if want := strings.NewReplacer("🥄", "〓", "−", "－").Replace(utf8); text != want || sj.ContentType != "text/csv; charset=shift_jis" {
		t.Errorf("Shift_JIS (%s) decodes to\n%s\nwant\n%s", sj.ContentType, text, want)
	}
}

func readCSV(t *testing.T, s string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// The notice shows the payable, and the two legal documents when the parties are
// registered issuers: the 媒介者交付特例 summary (per rate, with the tax) and the
// commission's qualified invoice; without the shop's registration neither, and
// saying so; an open month's notice says it is provisional.
func TestNotice(t *testing.T) {
	s := statement()
	d, err := settledoc.Render(s, settledoc.NoticeHTML)
	if err != nil {
		t.Fatal(err)
	}
	html := string(d.Content)
	for _, want := range []string{`<html lang="ja">`, "支払通知書", "1,615円", "4-000002", "2026年11月1日〜2026年11月30日",
		"消費税法施行令第70条の12", "T8000020131032", "T1234567890123", "委託販売手数料", "285円", "25円", "700円", "51円"} {
		if !strings.Contains(html, want) {
			t.Errorf("the notice lacks %q", want)
		}
	}
	if strings.Contains(html, "速報です") {
		t.Error("a closed statement's notice says it is provisional")
	}

	s = statement()
	s.ShopSettings.RegistrationNumber = nil
	s.Status, s.StatementNumber = tsunagu.SettlementOpen, nil
	d, err = settledoc.Render(s, settledoc.NoticeHTML)
	if err != nil {
		t.Fatal(err)
	}
	html = string(d.Content)
	for _, want := range []string{"速報です", "この明細に精算書はありません", "適格請求書ではありません", "open-9"} {
		if !strings.Contains(html, want) {
			t.Errorf("the notice of an open month at an unregistered shop lacks %q", want)
		}
	}
	if strings.Contains(html, "消費税法施行令第70条の12") {
		t.Error("an unregistered shop's notice carries the 媒介者交付特例 summary")
	}
	if _, err := settledoc.Render(s, "PDF"); err == nil {
		t.Error("an unknown format rendered")
	}
}
