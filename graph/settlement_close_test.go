package graph_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

const (
	closeSettlementMonth = `mutation($in: CloseSettlementMonthInput!) { closeSettlementMonth(input: $in) {
		month closedAt settlements { id status statementNumber gross refunds commission payable }
		userErrors { code field message } } }`
	markSettlementPaid = `mutation($in: MarkSettlementPaidInput!) { markSettlementPaid(input: $in) {
		settlement { id status paidOn paymentReference } userErrors { code field message } } }`
	closedStatementFields = `id month status statementNumber closedAt paidOn paymentReference
		facility { name } shop { name } unitsSold unitsRefunded gross refunds net
		rates { taxClass rate qualified unitsSold gross unitsRefunded refunds net tax }
		commissionParts { basisPoints base } commission commissionTax payable
		lines { product { name } name taxClass qualified unitsSold gross unitsRefunded refunds net
			refundOf { saleId receiptNumber orderId soldAt } }`
	settlementByID = `query($id: ID!) { settlement(id: $id) { ` + closedStatementFields + ` } }`
)

var jst = time.FixedZone("JST", 9*60*60)

// nextCloseMonth is the home shop's next month to close: the month after its last
// closed one, or January 2020 (before any fixture's sale) for a first close.
func (a *api) nextCloseMonth() tsunagu.Month {
	a.t.Helper()
	var last *time.Time
	must(a.t, a.db.SQL().QueryRow(`SELECT max(month) FROM settlement_closes WHERE shop_id = $1`, a.homeShop.ID).Scan(&last))
	if last == nil {
		return tsunagu.Month{Year: 2020, Month: time.January}
	}
	return tsunagu.Month{Year: last.Year(), Month: last.Month()}.Next()
}

// closedStatement sells at the home shop in its next month to close, closes that
// month as the admin and returns the statement's ID.
func (a *api) closedStatement() string {
	a.t.Helper()
	a.shop()
	m := a.nextCloseMonth()
	s := a.sale()
	_, err := a.db.SQL().Exec(`UPDATE sales SET created_at = $1 WHERE id = $2`, m.Start().Add(34*time.Hour), s.ID)
	must(a.t, err)
	c, err := a.settlements.CloseSettlementMonth(a.adminCtx(), tsunagu.CloseSettlementMonthInput{Month: m.String(), ShopID: a.homeShop.ID})
	must(a.t, err)
	if len(c.Settlements) != 1 {
		a.t.Fatalf("closed %d statements, want 1", len(c.Settlements))
	}
	return a.id(gid.KindSettlement, int64(c.Settlements[0].ID))
}

// Through the API: a manager closes last month (a counter sale and an online order
// at 15 %) and gets the frozen statement; a refund of the sale this month leaves it
// as it was and lands on this month's statement on a line naming the sale; the
// statement is paid. The statement as the API returns it is logged (go test -v).
func TestCloseSettlementMonthAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.shop()
	_, err := a.settlements.SetCommission(a.ctxs["manager"], tsunagu.SetCommissionInput{ShopID: a.homeShop.ID,
		BasisPoints: 1500, EffectiveFrom: "2000-01-01"})
	must(t, err)
	last := tsunagu.MonthOf(time.Now()).Prev()
	sale := a.sale()
	order := a.paidOrder(tsunagu.FulfilPickup)
	_, err = a.db.SQL().Exec(`UPDATE sales SET created_at = $1 WHERE id = $2`, last.Start().Add(34*time.Hour), sale.ID)
	must(t, err)
	_, err = a.db.SQL().Exec(`UPDATE orders SET paid_at = $1 WHERE id = $2`, last.Start().Add(58*time.Hour), order.ID)
	must(t, err)

	in := map[string]any{"month": last.String(), "shopId": a.id(gid.KindLocation, int64(a.homeShop.ID))}
	var got struct {
		CloseSettlementMonth struct {
			Month       string
			Settlements []json.RawMessage
			UserErrors  []userError
		}
	}
	a.ok("manager", closeSettlementMonth, map[string]any{"in": in}, &got)
	c := got.CloseSettlementMonth
	if len(c.UserErrors) > 0 || c.Month != last.String() || len(c.Settlements) != 1 {
		t.Fatalf("closeSettlementMonth: %+v", c)
	}
	var st struct {
		ID, Status      string
		StatementNumber string
		Gross, Payable  int64
		Commission      int64
	}
	must(t, json.Unmarshal(c.Settlements[0], &st))
	var read struct{ Settlement json.RawMessage }
	a.ok("manager", settlementByID, map[string]any{"id": st.ID}, &read)
	closed := read.Settlement
	t.Logf("closed statement: %s", closed)
	if st.Status != "CLOSED" || st.StatementNumber != tsunagu.StatementNumber(a.homeShop.ID, 1) ||
		st.Gross != sale.Total+order.Subtotal || st.Commission != (sale.Total+order.Subtotal)*1500/10000 {
		t.Errorf("closed statement %s", closed)
	}

	_, err = a.pos.RefundSale(a.ctxs["clerk"], tsunagu.RefundSaleInput{SaleID: sale.ID, SessionID: sale.SessionID,
		Method: tsunagu.RefundCash, IdempotencyKey: key()})
	must(t, err)
	var again struct{ Settlement json.RawMessage }
	a.ok("manager", settlementByID, map[string]any{"id": st.ID}, &again)
	if string(again.Settlement) != string(closed) {
		t.Errorf("the closed statement changed after a refund:\nclosed %s\nnow    %s", closed, again.Settlement)
	}
	var now struct {
		Settlements struct {
			Edges []struct {
				Node struct {
					Refunds int64
					Lines   []struct {
						Refunds  int64
						RefundOf *struct {
							SaleID        *string
							ReceiptNumber *int64
						}
					}
				}
			}
		}
	}
	a.ok("manager", `query($m: String!) { settlements(month: $m) { edges { node { refunds
		lines { refunds refundOf { saleId receiptNumber } } } } } }`, map[string]any{"m": last.Next().String()}, &now)
	e := now.Settlements.Edges
	if len(e) != 1 || e[0].Node.Refunds != sale.Total || len(e[0].Node.Lines) != 1 || e[0].Node.Lines[0].RefundOf == nil ||
		*e[0].Node.Lines[0].RefundOf.SaleID != a.id(gid.KindSale, int64(sale.ID)) ||
		*e[0].Node.Lines[0].RefundOf.ReceiptNumber != sale.ReceiptNumber {
		t.Errorf("this month's statements: %+v", e)
	}

	paidOn := time.Now().In(jst).Format(time.DateOnly)
	var paid struct {
		MarkSettlementPaid struct {
			Settlement struct{ Status, PaidOn, PaymentReference string }
			UserErrors []userError
		}
	}
	a.ok("manager", markSettlementPaid, map[string]any{"in": map[string]any{"id": st.ID, "paidOn": paidOn,
		"reference": "振込 2026-001"}}, &paid)
	if p := paid.MarkSettlementPaid; len(p.UserErrors) > 0 || p.Settlement.Status != "PAID" || p.Settlement.PaidOn != paidOn {
		t.Errorf("markSettlementPaid: %+v", p)
	}
	errs, _ := a.mutate("manager", "closeSettlementMonth", closeSettlementMonth, map[string]any{"in": map[string]any{
		"month": last.Next().String(), "shopId": in["shopId"]}})
	if len(errs) != 1 || errs[0].Code != "MONTH_NOT_ENDED" || *errs[0].Field != "input.month" {
		t.Errorf("closing this month: %+v, want MONTH_NOT_ENDED", errs)
	}
}

// A statement's documents through the API are rendered from its figures: the CSV's
// payable row and the notice's amount are the payable the API returns.
func TestSettlementDocumentsAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id := a.closedStatement()
	var out struct {
		Settlement struct {
			Payable int64
			CSV     struct{ Filename, ContentType, Base64 string }
			Notice  struct{ Filename, ContentType, Base64 string }
		}
	}
	a.ok("manager", `query($id: ID!) { settlement(id: $id) { payable
		csv: document(format: CSV_SHIFT_JIS) { filename contentType base64 }
		notice: document(format: NOTICE_HTML) { filename contentType base64 } } }`, map[string]any{"id": id}, &out)
	s := out.Settlement
	csvBytes, err := base64.StdEncoding.DecodeString(s.CSV.Base64)
	must(t, err)
	text, err := japanese.ShiftJIS.NewDecoder().String(string(csvBytes))
	must(t, err)
	if want := fmt.Sprintf("\r\n支払額,,,,,,,,,%d,", s.Payable); !strings.Contains(text, want) || s.CSV.ContentType != "text/csv; charset=shift_jis" ||
		!strings.HasSuffix(s.CSV.Filename, ".csv") {
		t.Errorf("the CSV (%s, %s) lacks %q:\n%s", s.CSV.Filename, s.CSV.ContentType, want, text)
	}
	html, err := base64.StdEncoding.DecodeString(s.Notice.Base64)
	must(t, err)
	if want := `<p class="payable">` + noticeYen(s.Payable) + `</p>`; !strings.Contains(string(html), want) || s.Notice.ContentType != "text/html; charset=utf-8" {
		t.Errorf("the notice (%s) lacks %q", s.Notice.ContentType, want)
	}
}

// noticeYen writes n as the notice does: 1,050円.
func noticeYen(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s + "円"
}
