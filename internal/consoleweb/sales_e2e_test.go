package consoleweb_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Last month's sale at 港区's shop shows in every view, as bars and as a table of
// the same numbers, and the product view downloads as CSV for Excel.
func TestSalesChartsInChromium(t *testing.T) {
	n := newNetwork(t)
	minato := n.shopOf(t, "港区")
	goods := n.productsOf(t, minato)
	month := n.soldLastMonth(t, minato, goods[0])
	b := n.openAs(t, "console-sales", managerEmail)
	dir := b.Downloads()
	b.TabTo("nav-sales")
	b.Do("to the sales", key("\r"))
	focusOnHeading(t, b, "売上")
	b.Do("last month", chromedp.SetValue(chromedp.CSS("#sa-month"), month.String()), click("#sa-show"))
	focusOnHeading(t, b, month.String())
	amount := "¥" + formatYen(2*goods[0].Price)
	for _, id := range []string{"sales-day-table", "sales-month-table", "sales-facility-table", "sales-product-table"} {
		b.WaitText("#"+id, amount)
	}
	b.WaitText("#sales-product-table", goods[0].Name())
	if bars := b.Eval(`String(document.querySelectorAll("#sales-product svg rect").length)`); bars != "1" {
		t.Errorf("%s bars for one product", bars)
	}
	b.CheckA11y("sales")
	b.ShotPage("sales-page", 0.7) // the README's: every view, bars over tables
	b.Do("English", click("#pref-lang"))
	b.WaitText("#sales-product-h", "By product")
	if lang := b.Eval(`document.querySelector("#sales-product-table tbody th [lang]").lang`); lang != "ja" {
		t.Errorf("a Japanese product name in the English table is marked lang=%q", lang)
	}
	b.CheckA11y("sales-en")
	b.Do("Japanese", click("#pref-lang"))
	b.Width(320)
	b.CheckReflow("sales-320")
	b.Width(1280)

	b.Do("the CSV", click("#sales-product-csv"))
	csv := string(b.Downloaded(dir, "sales-"+month.String()+"-products.csv"))
	if !strings.HasPrefix(csv, "\ufeff") || !strings.Contains(csv, goods[0].Name()) || !strings.Contains(csv, "\r\n") {
		t.Errorf("the CSV:\n%q", csv)
	}
}

// formatYen writes n with thousands commas, as the page does.
func formatYen(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
