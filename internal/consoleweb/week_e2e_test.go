package consoleweb_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"tsunagu/internal/webtest"
)

// A manager of 港区's week in the console, in one session (issue 13): on Monday they
// list a product with a picture and its translations; on Tuesday a CSV import with
// one bad row is refused and then fixed; on Wednesday 旭川's request for their goods
// is approved and shipped in two boxes, and 旭川 receives the second short; on
// Thursday last month's statement is closed, paid and its notice printed. Each day
// is a step of its screen's file; the week shares one network and one browser.
func TestAManagersWeekInChromium(t *testing.T) {
	n := newNetwork(t)
	minato := n.shopOf(t, "港区")
	month := n.soldLastMonth(t, minato, n.productsOf(t, minato)[0])
	b := n.openAs(t, "console-week", managerEmail)
	listAProduct(t, n, b)
	n.home(t, b)
	importWithABadRow(t, n, b)
	transferShippedAndReceivedShort(t, n, b)
	switchUser(n, b, managerEmail)
	readAndPrintAStatement(t, n, b, month)
}

// home goes back to the home screen, where each day's step starts, as a bookmark of it
// would.
func (n *network) home(t *testing.T, b *webtest.Browser) {
	t.Helper()
	b.Do("to the home screen", chromedp.Navigate(n.url+"/console/#/home"))
	focusOnHeading(t, b, "やること")
}
