package tsunagu

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// The printed receipt: Text lays a Receipt out for a thermal printer, in half-width
// columns, wrapping names and keeping every line within the paper.

// Receipt paper widths in millimetres, the widths Text accepts, and the half-width
// columns each prints.
var receiptColumns = map[int]int{58: 32, 80: 48}

// Text renders the receipt for a thermal printer on paper width millimetres wide: 58
// (32 half-width columns) or 80 (48). Japanese characters, and those whose width
// depends on the font (※, ×, Greek…), take two columns; long names wrap, and no line
// is wider than the paper. Control characters in names become spaces, so a name cannot
// send commands to the printer. The totals are computed afresh, not taken from
// r.ReceiptTotals. The text ends with a newline.
//
// It returns INVALID_INPUT for any other width, and the ValidationErrors of Compute
// together with these: REQUIRED when the issuer's name or the date is missing, or the
// registration number when there are qualifying goods, INVALID_REGISTRATION_NUMBER for
// a malformed one, and REQUIRED when a refund or void lacks the original sale's date.
func (r *Receipt) Text(paper int) (string, error) {
	cols, ok := receiptColumns[paper]
	if !ok {
		return "", Errorf(CodeInvalidInput, "width", "Receipts print on 58 mm or 80 mm paper: choose width 58 or 80, not %d.", paper)
	}
	var errs ValidationErrors
	t := r.totals(&errs)
	reg := ""
	if strings.TrimSpace(r.IssuerName) == "" {
		errs.Add(CodeRequired, "issuerName", "A receipt shows who issues it: enter the shop operator's name.")
	}
	if r.RegistrationNumber != "" {
		var err error
		if reg, err = ParseRegistrationNumber(r.RegistrationNumber, "registrationNumber"); err != nil {
			errs = append(errs, err.(*Error))
		}
	} else if len(t.Qualifying) > 0 {
		errs.Add(CodeRequired, "registrationNumber", "A receipt for qualifying goods shows the operator's invoice registration number (T and 13 digits).")
	}
	if r.IssuedAt.IsZero() {
		errs.Add(CodeRequired, "issuedAt", "A receipt shows the date of the sale.")
	}
	if r.ReceiptNumber < 0 {
		errs.Add(CodeOutOfRange, "receiptNumber", "A receipt number cannot be negative.")
	}
	if r.Kind.sign() < 0 && r.OriginalIssuedAt.IsZero() {
		errs.Add(CodeRequired, "originalIssuedAt", "A refund receipt shows the date of the original sale.")
	}
	if err := errs.Err(); err != nil {
		return "", err
	}

	w := &receiptWriter{cols: cols}
	r.header(w, reg)
	r.body(w)
	r.summary(w, t)
	r.payments(w, t)
	r.footer(w)
	return w.b.String(), nil
}

func (r *Receipt) header(w *receiptWriter, reg string) {
	if s := printable(r.ShopName); s != "" {
		w.center(s)
		w.blank()
	}
	w.text(printable(r.IssuerName), 0)
	if reg != "" {
		w.text("登録番号 "+reg, 0)
	}
	w.text(japaneseDate(r.IssuedAt, true), 0)
	no := ""
	if r.ReceiptNumber > 0 {
		no = receiptNo(r.ReceiptNumber)
	}
	if reg := printable(r.RegisterName); reg != "" || no != "" {
		w.pair(reg, no)
	}
	w.blank()
	switch r.Kind {
	case ReceiptRefund:
		w.center("返　品")
	case ReceiptVoid:
		w.center("取　消")
	default:
		w.center("領　収　書")
	}
	if r.Kind.sign() < 0 {
		w.pair("お買上げ日", japaneseDate(r.OriginalIssuedAt, false))
		if r.OriginalNumber > 0 {
			w.pair("元のレシート", receiptNo(r.OriginalNumber))
		}
	}
	w.rule()
}

func (r *Receipt) body(w *receiptWriter) {
	sign := r.Kind.sign()
	for _, l := range r.Lines {
		name, amount := lineMark(l)+printable(l.Name), Yen(sign*l.UnitPrice*int64(l.Quantity))
		if l.Quantity == 1 {
			w.pair(name, amount)
			continue
		}
		w.text(name, 2)
		w.pair(fmt.Sprintf("  @%s × %d点", Yen(l.UnitPrice), l.Quantity), amount)
	}
	w.rule()
}

// lineMark marks goods whose tax cannot be claimed (◇) and reduced-rate goods (※).
func lineMark(l ReceiptLine) string {
	m := ""
	if !l.Qualified {
		m += "◇"
	}
	if l.TaxClass == TaxReduced8 {
		m += "※"
	}
	return m
}

func (r *Receipt) summary(w *receiptWriter, t ReceiptTotals) {
	w.pair("点数", strconv.Itoa(t.Items)+"点")
	w.pair("合計", Yen(t.Total))
	// The qualifying block is the qualified invoice proper: total and tax per rate.
	if len(t.Qualifying) > 0 && len(t.NonQualifying) > 0 {
		w.text("［適格請求書対象］", 0)
	}
	for _, rt := range byRateDescending(t.Qualifying) {
		w.pair(rateLabel(rt), Yen(rt.Total))
		w.pair("　内消費税等", Yen(rt.Tax))
	}
	if len(t.NonQualifying) > 0 {
		w.text("［◇適格請求書対象外］", 0)
		for _, rt := range byRateDescending(t.NonQualifying) {
			w.pair("◇"+rateLabel(rt), Yen(rt.Total))
		}
	}
}

func rateLabel(rt RateTotal) string {
	if rt.Class == TaxReduced8 {
		return strconv.Itoa(rt.Rate) + "%対象(軽減税率)"
	}
	return strconv.Itoa(rt.Rate) + "%対象"
}

// byRateDescending lists the standard rate first, as receipts usually do.
func byRateDescending(rts []RateTotal) []RateTotal {
	out := slices.Clone(rts)
	slices.SortStableFunc(out, func(a, b RateTotal) int { return b.Rate - a.Rate })
	return out
}

func (r *Receipt) payments(w *receiptWriter, t ReceiptTotals) {
	if len(r.Payments) == 0 {
		return
	}
	w.rule()
	sign := r.Kind.sign()
	cash := false
	for _, p := range r.Payments {
		label, amount := p.Method.label(), p.Amount
		switch {
		case sign < 0:
			label = "ご返金(" + label + ")"
		case p.Method == PaymentCash:
			label, cash = "現金お預り", true
			amount = max(p.Tendered, p.Amount)
		}
		w.pair(label, Yen(sign*amount))
		if ref := printable(p.Reference); ref != "" {
			w.text("  取引番号 "+ref, 4)
		}
	}
	if cash {
		w.pair("お釣り", Yen(t.Change))
	}
}

func (m PaymentMethod) label() string {
	switch m {
	case PaymentCash:
		return "現金"
	case PaymentCard:
		return "クレジット"
	case PaymentEMoney:
		return "電子マネー"
	case PaymentQR:
		return "QR決済"
	}
	return ""
}

func (r *Receipt) footer(w *receiptWriter) {
	reduced, other := false, false
	for _, l := range r.Lines {
		reduced = reduced || l.TaxClass == TaxReduced8
		other = other || !l.Qualified
	}
	if reduced || other {
		w.rule()
	}
	if reduced {
		w.text("※は軽減税率(8%)対象商品です。", 2)
	}
	switch {
	case other && r.RegistrationNumber == "":
		w.text("◇当店は適格請求書発行事業者ではありません。消費税は仕入税額控除の対象外です。", 2)
	case other:
		w.text("◇は適格請求書発行事業者でない委託者の商品です。その消費税は仕入税額控除の対象外です。", 2)
	}
	w.blank()
	w.center("ありがとうございました")
}

// ---- layout ---------------------------------------------------------------------

// receiptWriter lays out lines of at most cols half-width columns.
type receiptWriter struct {
	b    strings.Builder
	cols int
}

func (w *receiptWriter) put(s string) {
	w.b.WriteString(s)
	w.b.WriteByte('\n')
}

func (w *receiptWriter) blank() { w.put("") }

func (w *receiptWriter) rule() { w.put(strings.Repeat("-", w.cols)) }

// center writes s centred, wrapped if it is wider than a line.
func (w *receiptWriter) center(s string) {
	for _, l := range wrapColumns(s, w.cols, w.cols) {
		w.put(strings.Repeat(" ", (w.cols-columns(l))/2) + l)
	}
}

// text writes s wrapped, its continuation lines indented by indent columns.
func (w *receiptWriter) text(s string, indent int) {
	for _, l := range w.wrap(s, indent) {
		w.put(l)
	}
}

func (w *receiptWriter) wrap(s string, indent int) []string {
	lines := wrapColumns(s, w.cols, w.cols-indent)
	for i := 1; i < len(lines); i++ {
		lines[i] = strings.Repeat(" ", indent) + lines[i]
	}
	return lines
}

// pair writes left, wrapped, with right aligned to the right edge of its last line,
// or of a line of its own when it does not fit there.
func (w *receiptWriter) pair(left, right string) {
	rc := columns(right)
	if rc > w.cols {
		w.text(left, 2)
		w.text(right, 0)
		return
	}
	lines := w.wrap(left, 2)
	last := lines[len(lines)-1]
	if gap := w.cols - columns(last) - rc; gap >= 1 {
		lines[len(lines)-1] = last + strings.Repeat(" ", gap) + right
	} else {
		lines = append(lines, strings.Repeat(" ", w.cols-rc)+right)
	}
	for _, l := range lines {
		w.put(l)
	}
}

// wrapColumns splits s into lines of at most first columns for the first line and
// rest for the others, between runes. A word of narrow letters is moved whole onto the
// next line when it fits there; spaces at a break are dropped. It returns at least one
// line.
func wrapColumns(s string, first, rest int) []string {
	var out []string
	var cur []rune
	n, limit := 0, first
	for _, r := range s {
		c := runeColumns(r)
		if n+c > limit {
			brk := len(cur)
			if noLineStart(r) && len(cur) > 1 && !noLineStart(cur[len(cur)-1]) {
				// Carry the last character over rather than start a line with 。 or ー.
				brk = len(cur) - 1
			} else if wordRune(r) && len(cur) > 0 && wordRune(cur[len(cur)-1]) {
				if i := lastSpace(cur); i > 0 && columns(string(cur[i+1:]))+c <= rest {
					brk = i
				}
			}
			out = append(out, strings.TrimRight(string(cur[:brk]), " "))
			cur = slices.Clone(cur[brk:])
			for len(cur) > 0 && cur[0] == ' ' {
				cur = cur[1:]
			}
			n, limit = columns(string(cur)), rest
		}
		if r == ' ' && len(cur) == 0 && len(out) > 0 {
			continue
		}
		cur = append(cur, r)
		n += c
	}
	return append(out, strings.TrimRight(string(cur), " "))
}

// noLineStart reports whether r is punctuation that Japanese typesetting keeps off the
// start of a line (行頭禁則).
func noLineStart(r rune) bool {
	return strings.ContainsRune("、。，．,.)）」』】〕・ー：；！？!?", r)
}

func wordRune(r rune) bool { return r != ' ' && runeColumns(r) == 1 }

func lastSpace(rs []rune) int {
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i] == ' ' {
			return i
		}
	}
	return -1
}

// runeColumns is the width of r on a Japanese printer: two columns for wide and
// full-width characters and for those of ambiguous width (※, ×, ☆, Greek, Cyrillic),
// which Japanese fonts print wide; one for the rest, combining marks included, since
// a printer that cannot combine them prints them on their own.
func runeColumns(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianAmbiguous:
		return 2
	}
	return 1
}

func columns(s string) int {
	n := 0
	for _, r := range s {
		n += runeColumns(r)
	}
	return n
}

// printable makes s safe to print: valid UTF-8, composed (NFC), with control and
// line-break characters turned into spaces, and no spaces around it.
func printable(s string) string {
	s = norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD"))
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp) {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

func receiptNo(n int64) string { return fmt.Sprintf("No.%06d", n) }

// japaneseDate formats t in Japan time as 2026年11月23日(月), with " 14:05" when
// withTime.
func japaneseDate(t time.Time, withTime bool) string {
	t = t.In(japanTime())
	s := fmt.Sprintf("%d年%d月%d日(%s)", t.Year(), t.Month(), t.Day(), []string{"日", "月", "火", "水", "木", "金", "土"}[t.Weekday()])
	if withTime {
		s += t.Format(" 15:04")
	}
	return s
}
