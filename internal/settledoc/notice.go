package settledoc

import (
	"bytes"
	_ "embed"
	"html/template"
	"strconv"

	"tsunagu/internal/mail"
	"tsunagu/internal/tsunagu"
)

//go:embed notice.html
var noticeSource string

var notice = template.Must(template.New("notice").Funcs(template.FuncMap{
	"yen":    func(n int64) string { return mail.Yen(tsunagu.LocaleJA, n) },
	"rate":   func(c tsunagu.TaxClass) string { return strconv.Itoa(c.Rate()) + "%" },
	"bp":     basisPoints,
	"date":   dateJA,
	"status": statusJA,
	"deref":  deref,
}).Parse(noticeSource))

// writeNotice renders the payment notice page of s.
func writeNotice(s *Statement) ([]byte, error) {
	var b bytes.Buffer
	first, last := s.Period()
	err := notice.Execute(&b, struct {
		*Statement
		Number      string
		First, Last string
	}{s, s.number(), dateJA(first), dateJA(last)})
	return b.Bytes(), err
}
