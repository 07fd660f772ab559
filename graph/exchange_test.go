package graph_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tsunagu/internal/tsunagu"
)

// exchangeBalance through the API, every field of it: the home shop sold one of
// the partner facility's goods this month, so the pair (home, partner) has a
// balance whose net is what home owes partner.
func TestExchangeBalanceAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	// Four of the partner's goods come to the home shop by transfer, and one sells.
	tr := a.transfer(a.partnerShop, a.homeShop, "otherManager", tsunagu.TransferShipped)
	_, err := a.transfers.ReceiveTransfer(a.ctxs["clerk"], tsunagu.ReceiveTransferInput{TransferID: tr.ID, IdempotencyKey: key()})
	must(t, err)
	lines, err := a.transfers.TransferLines(a.ctxs["admin"], []tsunagu.TransferID{tr.ID})
	must(t, err)
	ps, err := a.catalog.ProductsByID(a.ctxs["admin"], []tsunagu.ProductID{lines[tr.ID][0].ProductID})
	must(t, err)
	p := ps[lines[tr.ID][0].ProductID]
	a.ok("clerk", createSale, map[string]any{"in": saleInput(a, a.session(), p, 1)}, nil)
	month := tsunagu.MonthOf(time.Now()).String()
	figures := `unitsSold unitsRefunded gross refunds net commission commissionTax payable`
	transfers := `shippedUnits shippedValue receivedUnits receivedValue shortUnits shortValue`
	var out struct {
		ExchangeBalance []struct {
			Month                        string
			A, B                         struct{ Name string }
			Net                          int64
			ASoldOfB, BSoldOfA           struct{ UnitsSold, Gross, Payable int64 }
			TransfersAToB, TransfersBToA struct{ ShippedUnits int }
		}
	}
	a.ok("admin", `query($m: String!) { exchangeBalance(fromMonth: $m, toMonth: $m) { month a { name } b { name } net
		aSoldOfB { `+figures+` } bSoldOfA { `+figures+` }
		transfersAToB { `+transfers+` } transfersBToA { `+transfers+` } } }`, map[string]any{"m": month}, &out)
	if a.home.ID > a.partner.ID {
		t.Fatal("the fixtures' municipalities are not in ID order")
	}
	if len(out.ExchangeBalance) != 1 {
		t.Fatalf("balances %+v, want one", out.ExchangeBalance)
	}
	b := out.ExchangeBalance[0]
	if b.Month != month || b.A.Name != a.home.Name || b.B.Name != a.partner.Name || b.ASoldOfB.UnitsSold != 1 ||
		b.ASoldOfB.Gross != p.Price || b.Net != b.ASoldOfB.Payable || b.BSoldOfA.Gross != 0 || b.TransfersAToB.ShippedUnits != 0 || b.TransfersBToA.ShippedUnits != 4 {
		t.Errorf("balance %+v", b)
	}
}

// No resolver is left as gqlgen's stub, which panics ("not implemented") when a
// query reaches it: a schema field the domain types do not bind is a resolver to
// write, not one to leave.
func TestNoResolverStubs(t *testing.T) {
	files, err := filepath.Glob("*.resolvers.go")
	must(t, err)
	for _, f := range files {
		b, err := os.ReadFile(f)
		must(t, err)
		if strings.Contains(string(b), `panic(fmt.Errorf("not implemented`) {
			t.Errorf("%s has a resolver stub gqlgen generated for a field nothing binds", f)
		}
	}
}
