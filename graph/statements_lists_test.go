package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// Statement counts of lists and their nested lists (see statements_test.go), at the
// production settings: priming (graph/prime.go) makes them exact, whatever the load.

// A page of products with its facility, municipality and translations runs the same
// number of SQL statements whatever its size: one, its references read with it.
func TestProductPageStatementCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for i := range 100 {
		f := a.homeFac
		if i%2 == 1 {
			f = a.partnerFac
		}
		a.product(f, fmt.Sprintf("商品%03d", i), tsunagu.StatusActive)
	}
	q := `query($n: Int) { products(first: $n) { edges { node { id name price taxRate allergens
		translations { locale name } facility { name kind municipality { name } } municipality { code name } } } pageInfo { hasNextPage } } }`
	count := func(n int) int64 {
		var c postgres.StatementCounter
		ctx := postgres.WithStatementCounter(context.Background(), &c)
		r := a.doCtx(ctx, "", q, map[string]any{"n": n})
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		var out struct{ Products struct{ Edges []any } }
		must(t, json.Unmarshal(r.Data, &out))
		if len(out.Products.Edges) != n {
			t.Fatalf("%d products, want %d", len(out.Products.Edges), n)
		}
		return c.Count()
	}
	small, large := count(10), count(100)
	t.Logf("statements: %d for 10 products, %d for 100", small, large)
	if small != large {
		t.Errorf("statement count grows with the page: %d for 10, %d for 100", small, large)
	}
	// the products, their facilities and municipalities joined in one statement
	// (CatalogService.ProductPage).
	if large != 1 {
		t.Errorf("%d statements for a page, want 1", large)
	}
}

// Nested lists load by field (graph/nested.go): municipalities with their partners,
// facilities (each with its products) and locations cost the same statements for 2
// municipalities as for 12, and every parent gets its own page.
func TestNestedListStatementCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	ctx := a.adminCtx()
	for i := range 10 {
		code5 := fmt.Sprintf("%05d", 13200+i)
		d, err := tsunagu.MunicipalityCheckDigit(code5)
		must(t, err)
		m := &tsunagu.Municipality{Code: code5 + fmt.Sprint(d), Name: fmt.Sprintf("市%02d", i), Prefecture: "東京都"}
		must(t, a.catalog.CreateMunicipality(ctx, m))
		a.partnership(a.home.ID, m.ID)
		for j := range 3 {
			f, err := a.catalog.CreateFacility(ctx, tsunagu.CreateFacilityInput{MunicipalityID: m.ID,
				Name: fmt.Sprintf("施設%02d-%d", i, j), Kind: tsunagu.FacilityOther, Corporation: "法人"})
			must(t, err)
			for k := range 3 {
				a.product(f, fmt.Sprintf("品%02d-%d-%d", i, j, k), tsunagu.StatusActive)
			}
		}
		must(t, a.catalog.CreateLocation(ctx, &tsunagu.Location{MunicipalityID: m.ID, Kind: tsunagu.LocationShop, Name: m.Name + "の店"}))
	}
	q := `query($n: Int) { municipalities(first: $n) { edges { node { code partners { code }
		facilities(first: 2) { edges { node { name products(first: 2) { edges { node { name } } pageInfo { hasNextPage } } } }
			pageInfo { hasNextPage } }
		locations(first: 5) { edges { node { name } } } } } } }`
	type out struct {
		Municipalities struct {
			Edges []struct {
				Node struct {
					Code       string
					Partners   []struct{ Code string }
					Facilities struct {
						Edges []struct {
							Node struct {
								Name     string
								Products struct {
									Edges    []struct{ Node struct{ Name string } }
									PageInfo struct{ HasNextPage bool }
								}
							}
						}
						PageInfo struct{ HasNextPage bool }
					}
					Locations struct {
						Edges []struct{ Node struct{ Name string } }
					}
				}
			}
		}
	}
	count := func(n int) (int64, out) {
		var c postgres.StatementCounter
		r := a.doCtx(postgres.WithStatementCounter(context.Background(), &c), "", q, map[string]any{"n": n})
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		var o out
		must(t, json.Unmarshal(r.Data, &o))
		return c.Count(), o
	}
	small, _ := count(2)
	large, o := count(12)
	t.Logf("statements: %d for 2 municipalities, %d for 12", small, large)
	// municipalities, partners, facilities, products, locations.
	if small != 5 || large != 5 {
		t.Errorf("statements: %d for 2 municipalities, %d for 12; want 5 for both", small, large)
	}
	ms := o.Municipalities.Edges
	if len(ms) != 12 {
		t.Fatalf("%d municipalities", len(ms))
	}
	if home := ms[0].Node; home.Code != a.home.Code || len(home.Partners) != 11 || len(home.Facilities.Edges) != 1 ||
		len(home.Locations.Edges) != 2 {
		t.Errorf("home: %d partners, %d facilities, %d locations", len(home.Partners), len(home.Facilities.Edges), len(home.Locations.Edges))
	}
	for i, e := range ms[2:] {
		m := e.Node
		prefix := fmt.Sprintf("施設%02d-", i)
		if len(m.Partners) != 1 || m.Partners[0].Code != a.home.Code || len(m.Facilities.Edges) != 2 || !m.Facilities.PageInfo.HasNextPage ||
			len(m.Locations.Edges) != 1 {
			t.Errorf("municipality %s: %+v", m.Code, m)
			continue
		}
		for _, f := range m.Facilities.Edges {
			if !strings.HasPrefix(f.Node.Name, prefix) || len(f.Node.Products.Edges) != 2 || !f.Node.Products.PageInfo.HasNextPage ||
				!strings.HasPrefix(f.Node.Products.Edges[0].Node.Name, "品"+f.Node.Name[len("施設"):]) {
				t.Errorf("facility %s of %s: %+v", f.Node.Name, m.Code, f.Node.Products)
			}
		}
	}
}

// A page of sales with their receipts (structured and printed), lines, payments and
// refunds' receipts costs the same statements for 2 sales as for 20.
func TestSaleReceiptsStatementCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	s := a.session()
	p := a.stocked(a.homeFac, a.homeShop, 100)
	clerk := a.ctxs["clerk"]
	for i := range 20 {
		sale, err := a.pos.CreateSale(clerk, tsunagu.CreateSaleInput{SessionID: s.ID,
			Lines:          []tsunagu.SaleLineInput{{ProductID: &p.ID, Quantity: 2}},
			Payments:       []tsunagu.PaymentInput{{Method: tsunagu.PaymentCash, Amount: 2 * p.Price}},
			IdempotencyKey: key()})
		must(t, err)
		if i%2 == 0 {
			_, err := a.pos.RefundSale(clerk, tsunagu.RefundSaleInput{SaleID: sale.ID, SessionID: s.ID,
				Lines: []tsunagu.RefundLineInput{{LineNumber: 1, Quantity: 1}}, Method: tsunagu.RefundCash, IdempotencyKey: key()})
			must(t, err)
		}
	}
	q := `query($n: Int) { sales(first: $n) { edges { node { receiptNumber receipt { total } receiptText(width: 80)
		lines { name quantity } payments { amount } refunds { receipt { total } receiptText } } } } }`
	count := func(n int) int64 {
		var c postgres.StatementCounter
		r := a.doCtx(postgres.WithStatementCounter(context.Background(), &c), "clerk", q, map[string]any{"n": n})
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		var out struct {
			Sales struct {
				Edges []struct {
					Node struct {
						Receipt     struct{ Total int64 }
						ReceiptText string
						Refunds     []struct{ Receipt struct{ Total int64 } }
					}
				}
			}
		}
		must(t, json.Unmarshal(r.Data, &out))
		if len(out.Sales.Edges) != n {
			t.Fatalf("%d sales, want %d", len(out.Sales.Edges), n)
		}
		for _, e := range out.Sales.Edges {
			if e.Node.Receipt.Total != 2*p.Price || !strings.Contains(e.Node.ReceiptText, "領") {
				t.Errorf("receipt %+v", e.Node.Receipt)
			}
			for _, r := range e.Node.Refunds {
				if r.Receipt.Total != -p.Price {
					t.Errorf("refund receipt %+v", r.Receipt)
				}
			}
		}
		return c.Count()
	}
	small, large := count(2), count(20)
	t.Logf("statements: %d for 2 sales, %d for 20", small, large)
	if small != large {
		t.Errorf("statement count grows with the page: %d for 2, %d for 20", small, large)
	}
	// The token, the page, and one statement per kind of nested data: sale receipts,
	// lines and payments, refunds, refund receipts.
	if large != 6 {
		t.Errorf("%d statements for a page, want 6", large)
	}
}

// The registers of a shop with their open sessions' Z reports cost the same
// statements for 2 registers as for 6.
func TestRegisterReportsStatementCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	p := a.stocked(a.homeFac, a.homeShop, 100)
	q := `{ registers { name openSession { openingFloat report { salesCount grossSales expectedCash byTaxRate { tax } } } } }`
	count := func(want int) int64 {
		var c postgres.StatementCounter
		r := a.doCtx(postgres.WithStatementCounter(context.Background(), &c), "clerk", q, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		var out struct {
			Registers []struct {
				OpenSession struct {
					OpeningFloat int64
					Report       struct{ SalesCount, GrossSales, ExpectedCash int64 }
				}
			}
		}
		must(t, json.Unmarshal(r.Data, &out))
		if len(out.Registers) != want {
			t.Fatalf("%d registers, want %d", len(out.Registers), want)
		}
		for _, reg := range out.Registers {
			if z := reg.OpenSession.Report; z.SalesCount != 1 || z.GrossSales != p.Price || z.ExpectedCash != 30000+p.Price {
				t.Errorf("report %+v", z)
			}
		}
		return c.Count()
	}
	var small int64
	for i := range 6 {
		s := a.session()
		_, err := a.pos.CreateSale(a.ctxs["clerk"], tsunagu.CreateSaleInput{SessionID: s.ID,
			Lines:          []tsunagu.SaleLineInput{{ProductID: &p.ID, Quantity: 1}},
			Payments:       []tsunagu.PaymentInput{{Method: tsunagu.PaymentCash, Amount: p.Price}},
			IdempotencyKey: key()})
		must(t, err)
		if i == 1 {
			small = count(2)
		}
	}
	large := count(6)
	t.Logf("statements: %d for 2 registers, %d for 6", small, large)
	if small != large {
		t.Errorf("statement count grows with the registers: %d for 2, %d for 6", small, large)
	}
}

// A page of orders with their lines, products, owners, shops, taxes and refunds runs
// the same number of statements whatever its size.
func TestOrderPageStatementCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for range 6 {
		a.paidOrder(tsunagu.FulfilPickup)
	}
	q := `query($n: Int) { orders(first: $n) { edges { node { id total shop { name }
		lines { name product { name } owner { name } } taxes { tax } refunds { amount } } } } }`
	count := func(n int) int64 {
		var c postgres.StatementCounter
		ctx := postgres.WithStatementCounter(context.Background(), &c)
		r := a.doCtx(ctx, "manager", q, map[string]any{"n": n})
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		var out struct{ Orders struct{ Edges []any } }
		must(t, json.Unmarshal(r.Data, &out))
		if len(out.Orders.Edges) != n {
			t.Fatalf("%d orders, want %d", len(out.Orders.Edges), n)
		}
		return c.Count()
	}
	if small, large := count(2), count(6); small != large {
		t.Errorf("statement count grows with the page: %d for 2, %d for 6", small, large)
	}
}
