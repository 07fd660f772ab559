package consoleweb_test

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

// 港区's manager reads the shop's stock, adds production from a dialog, and counts a
// good with the barcode scanner: two scans count two, and the stocktake records the
// difference against what was on hand.
func TestStockAdjustedAndCountedInChromium(t *testing.T) {
	n := newNetwork(t)
	minato := n.shopOf(t, "港区")
	goods := n.productsOf(t, minato)
	loc := url.QueryEscape(gid.Encode(gid.KindLocation, int64(minato.ID)))
	b := n.openAs(t, "console-stock", managerEmail)
	b.Do("to the shop's stock", chromedp.Navigate(n.url+"/console/#/stock?loc="+loc))
	focusOnHeading(t, b, "在庫")
	b.WaitText("#levels", goods[0].Name())
	b.CheckA11y("stock")

	b.TabTo("adj-0")
	b.Do("opening the adjustment", key("\r"))
	b.WaitText("#adj-dialog", "在庫を調整")
	b.Do("5 made", typeIn("#adj-qty", "5"), click("#adj-send"))
	b.WaitText("#stock-flash", "在庫を調整しました")
	b.Width(320)
	b.CheckReflow("stock-320")
	b.Width(1280)

	b.Do("to the stocktake", click("#to-count"))
	focusOnHeading(t, b, "棚卸し")
	code := *goods[1].Code
	b.Do("scanning twice", typeIn("#count-scan", code+"\r"))
	b.WaitText("#count-live", "1")
	b.Do("and again", chromedp.SendKeys(chromedp.CSS("#count-scan"), code+"\r"))
	b.WaitText("#count-live", "2")
	b.Do("an unknown code", chromedp.SendKeys(chromedp.CSS("#count-scan"), "4900000000016\r"))
	b.WaitText("#count-scan-err", "ありません")
	b.CheckA11y("stocktake")
	b.Do("recording", click("#count-send"))
	b.WaitText("#count-done", "記録しました")
	if f := b.Focused(); f != "count-done" {
		t.Errorf("after the count focus is on %q", f)
	}
	levels, err := n.s.Stock.StockLevels(n.as(t, managerEmail), minato.ID, tsunagu.StockLevelFilter{ProductID: &goods[1].ID}, tsunagu.PageArgs{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(levels.Items) != 1 || levels.Items[0].OnHand != 2 {
		t.Errorf("after counting two the level is %+v", levels.Items)
	}
}
