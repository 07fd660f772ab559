package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// Two registers sell the last cookie at the same moment: exactly one sale goes
// through, the other is told the stock is short, and nothing goes negative.
func TestLastUnitSoldOnce(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	s1, s2 := p.open(p.clerk, p.reg1, 0), p.open(p.manager, p.reg2, 0)
	for round := range 5 {
		p.stock(p.homeShop, p.cookies, 1)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, c := range []struct {
			ctx context.Context
			s   *tsunagu.RegisterSession
		}{{p.clerk, s1}, {p.manager, s2}} {
			in := p.saleInput(c.s, []tsunagu.SaleLineInput{posLine(p.cookies, 1)}, posCash(350, 0))
			wg.Go(func() {
				<-start
				_, errs[i] = p.pos.CreateSale(c.ctx, in)
			})
		}
		close(start)
		wg.Wait()
		ok, short := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case tsunagu.ErrorCode(err) == tsunagu.CodeInsufficientStock && tsunagu.UserErrors(err)[0].Field == "input.lines.0.quantity":
				short++
			default:
				t.Errorf("round %d: %v", round, err)
			}
		}
		if ok != 1 || short != 1 || p.onHand(p.homeShop, p.cookies) != 0 {
			t.Fatalf("round %d: %d sold, %d short, %d on hand; want 1, 1, 0", round, ok, short, p.onHand(p.homeShop, p.cookies))
		}
	}
	p.checkLedger()
}

// Receipt numbers stay gapless under concurrent sales and refunds at one shop, even
// when some sales fail for want of stock: the successes and refunds have exactly the
// numbers after the ones already given, and the shop's counter is the last of them.
func TestReceiptNumbersGapless(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	p.stock(p.homeShop, p.cookies, 3)
	p.stock(p.homeShop, p.jam, 12)
	s1, s2 := p.open(p.clerk, p.reg1, 0), p.open(p.manager, p.reg2, 0)
	var earlier []*tsunagu.Sale
	for range 3 {
		earlier = append(earlier, p.sell(p.clerk, s1, []tsunagu.SaleLineInput{posLine(p.cookies, 1)}, posCash(350, 0)))
	}

	const sales = 20
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		numbers []int64
		short   int
	)
	start := make(chan struct{})
	record := func(n int64, err error) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			numbers = append(numbers, n)
		case tsunagu.ErrorCode(err) == tsunagu.CodeInsufficientStock:
			short++
		default:
			t.Error(err)
		}
	}
	for i := range sales {
		ctx, s := p.clerk, s1
		if i%2 == 1 {
			ctx, s = p.manager, s2
		}
		// Every fifth sale adds a cookie, sold out until a refund brings one back.
		lines := []tsunagu.SaleLineInput{posLine(p.jam, 1)}
		if i%5 == 4 {
			lines = append(lines, posLine(p.cookies, 1))
		}
		var total int64
		if len(lines) == 2 {
			total = 1000
		} else {
			total = 650
		}
		in := p.saleInput(s, lines, posCash(total, 0))
		wg.Go(func() {
			<-start
			sale, err := p.pos.CreateSale(ctx, in)
			var n int64
			if err == nil {
				n = sale.ReceiptNumber
			}
			record(n, err)
		})
	}
	for _, sale := range earlier {
		in := tsunagu.RefundSaleInput{SaleID: sale.ID, SessionID: s2.ID, Method: tsunagu.RefundCash, IdempotencyKey: p.key()}
		wg.Go(func() {
			<-start
			rf, err := p.pos.RefundSale(p.manager, in)
			var n int64
			if err == nil {
				n = rf.ReceiptNumber
			}
			record(n, err)
		})
	}
	close(start)
	wg.Wait()

	// The 4 sales with a cookie can only succeed after a refund puts one back; the jam
	// runs out after 12 sales. Whatever the order, the numbers have no gaps.
	slices.Sort(numbers)
	want := make([]int64, len(numbers))
	for i := range want {
		want[i] = int64(len(earlier) + 1 + i)
	}
	if diff := cmp.Diff(want, numbers); diff != "" {
		t.Errorf("receipt numbers (-want +got):\n%s", diff)
	}
	if len(numbers)+short != sales+len(earlier) || short == 0 || p.onHand(p.homeShop, p.jam) != 0 {
		t.Errorf("%d numbered, %d short, %d jam left", len(numbers), short, p.onHand(p.homeShop, p.jam))
	}
	var last int64
	must(t, p.db.SQL().QueryRowContext(context.Background(), `SELECT last_receipt_number FROM shops WHERE location_id = $1`,
		p.homeShop.ID).Scan(&last))
	if want := int64(len(earlier) + len(numbers)); last != want {
		t.Errorf("the shop's last receipt number is %d, want %d", last, want)
	}
	p.checkLedger()
}

// posStatements counts the statements of one call.
func posStatements(ctx context.Context, do func(context.Context) error) (int64, error) {
	var n postgres.StatementCounter
	err := do(postgres.WithStatementCounter(ctx, &n))
	return n.Count(), err
}

// The cost of a sale, a void and a refund does not grow with the number of lines.
func TestPOSStatementCounts(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	products := []*tsunagu.Product{p.cookies, p.jam}
	for i := range 28 {
		products = append(products, p.product(p.admin, p.homeFac, fmt.Sprintf("商品%02d", i), 100+int64(i), tsunagu.TaxStandard10))
	}
	for _, pr := range products {
		p.stock(p.homeShop, pr, 10)
	}
	s := p.open(p.clerk, p.reg1, 0)
	counts := map[int]map[string]int64{}
	for _, n := range []int{1, 30} {
		var lines []tsunagu.SaleLineInput
		var total int64
		for _, pr := range products[:n] {
			lines = append(lines, posLine(pr, 2))
			total += 2 * pr.Price
		}
		c := map[string]int64{}
		sell := func() (*tsunagu.Sale, int64) {
			var sale *tsunagu.Sale
			k, err := posStatements(p.clerk, func(ctx context.Context) (err error) {
				sale, err = p.pos.CreateSale(ctx, p.saleInput(s, lines, posCash(total, 0)))
				return err
			})
			must(t, err)
			return sale, k
		}
		sale, k := sell()
		c["createSale"] = k
		var err error
		c["refundSale"], err = posStatements(p.clerk, func(ctx context.Context) error {
			_, err := p.pos.RefundSale(ctx, tsunagu.RefundSaleInput{SaleID: sale.ID, SessionID: s.ID,
				Method: tsunagu.RefundOriginal, IdempotencyKey: p.key()})
			return err
		})
		must(t, err)
		sale, _ = sell()
		c["voidSale"], err = posStatements(p.clerk, func(ctx context.Context) error {
			_, err := p.pos.VoidSale(ctx, tsunagu.VoidSaleInput{SaleID: sale.ID, IdempotencyKey: p.key()})
			return err
		})
		must(t, err)
		c["report"], err = posStatements(p.clerk, func(ctx context.Context) error {
			_, err := p.pos.Report(ctx, s.ID)
			return err
		})
		must(t, err)
		counts[n] = c
	}
	t.Logf("statements for 1 line: %v; for 30 lines: %v", counts[1], counts[30])
	if diff := cmp.Diff(counts[1], counts[30]); diff != "" {
		t.Errorf("statements grow with the lines (-1 line +30 lines):\n%s", diff)
	}
	// A clerk's sale is one statement: key, session, products, stock, number,
	// sale, lines, payments and ledger.
	if got := counts[1]["createSale"]; got != 1 {
		t.Errorf("createSale runs %d statements, want 1", got)
	}
	p.checkLedger()
}

// BenchmarkCreateSale3Lines measures one 3-line cash sale against PostgreSQL; the
// stock, plenty of it, is put in place outside the timer. It reports the statements
// per sale too.
func BenchmarkCreateSale3Lines(b *testing.B) {
	p := newPOSWorld(b)
	products := []*tsunagu.Product{p.cookies, p.jam, p.spoon}
	for _, pr := range products {
		p.stock(p.homeShop, pr, b.N*2+10)
	}
	s := p.open(p.clerk, p.reg1, 0)
	lines := []tsunagu.SaleLineInput{posLine(p.cookies, 2), posLine(p.jam, 1), posLine(p.spoon, 1)}
	const total = 2*350 + 650 + 1200
	ins := make([]tsunagu.CreateSaleInput, b.N)
	for i := range ins {
		ins[i] = p.saleInput(s, lines, posCash(total, 5000))
	}
	var n postgres.StatementCounter
	ctx := postgres.WithStatementCounter(p.clerk, &n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := p.pos.CreateSale(ctx, ins[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(n.Count())/float64(b.N), "stmts/sale")
	p.checkLedger()
}

// Closing a register while sales run in it: every sale either completes before the
// close, and is in the final report, or is refused with NO_OPEN_SESSION.
func TestCloseWhileSelling(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	p.stock(p.homeShop, p.cookies, 100)
	s := p.open(p.clerk, p.reg1, 0)
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, 12)
	for i := range errs {
		in := p.saleInput(s, []tsunagu.SaleLineInput{posLine(p.cookies, 1)}, posCash(350, 0))
		wg.Go(func() {
			<-start
			_, errs[i] = p.pos.CreateSale(p.clerk, in)
		})
	}
	var closeErr error
	wg.Go(func() {
		<-start
		_, closeErr = p.pos.CloseRegisterSession(p.manager, tsunagu.CloseSessionInput{IdempotencyKey: p.key(), SessionID: s.ID, CountedCash: posPtr[int64](0)})
	})
	close(start)
	wg.Wait()
	must(t, closeErr)
	sold := 0
	for _, err := range errs {
		switch tsunagu.ErrorCode(err) {
		case "":
			sold++
		case tsunagu.CodeNoOpenSession:
		default:
			t.Error(err)
		}
	}
	z, err := p.pos.Report(p.clerk, s.ID)
	must(t, err)
	if z.SalesCount != sold || z.ExpectedCash != int64(350*sold) || p.onHand(p.homeShop, p.cookies) != 100-sold {
		t.Errorf("%d sold; report %+v; %d on hand", sold, z, p.onHand(p.homeShop, p.cookies))
	}
	t.Logf("%d of %d sales before the close", sold, len(errs))
	p.checkLedger()
}
