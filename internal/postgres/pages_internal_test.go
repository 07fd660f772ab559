package postgres

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"tsunagu/internal/tsunagu"
)

// A page's limit is written into the SQL only when it is a page size
// PageArgs.Validate accepts; any other number goes as a parameter.
func TestPageLimit(t *testing.T) {
	for _, tc := range []struct {
		first int
		want  string
		param any // the parameter added, nil for none
	}{
		{1, "2", nil},
		{tsunagu.DefaultPageSize, "21", nil},
		{tsunagu.MaxPageSize, "101", nil},
		{0, "$2", 1},
		{-1, "$2", 0},
		{tsunagu.MaxPageSize + 1, "$2", tsunagu.MaxPageSize + 2},
		{1 << 40, "$2", 1<<40 + 1},
	} {
		a := args{"x"}
		got := pageLimit(tc.first, &a)
		want := args{"x"}
		if tc.param != nil {
			want = append(want, tc.param)
		}
		if got != tc.want || !reflect.DeepEqual(a, want) {
			t.Errorf("pageLimit(%d) = %q with parameters %v, want %q with %v", tc.first, got, a, tc.want, want)
		}
	}
}

// The paged lists whose generic plan PostgreSQL rejected with the limit as a
// parameter prepare their statement with the page's limit as a number, so that
// it keeps one plan per connection.
func TestPagedListsPrepareTheLimitAsANumber(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testDB(t)
	ctx = tsunagu.WithUser(ctx, &tsunagu.User{ID: 1, Role: tsunagu.RoleAdmin, EmailVerified: true}, "")
	page := tsunagu.PageArgs{First: 20}
	loc := tsunagu.LocationID(1)
	lists := map[string]func() error{
		"FROM stock_movements m": func() error {
			_, err := NewStockService(db).StockMovements(ctx, tsunagu.StockMovementFilter{LocationID: &loc}, page)
			return err
		},
		"FROM transfers t": func() error {
			_, err := NewTransferService(db).Transfers(ctx, tsunagu.TransferFilter{}, page)
			return err
		},
		"FROM sales s": func() error {
			_, err := NewPOSService(db).Sales(ctx, tsunagu.SaleFilter{}, page)
			return err
		},
		"FROM sale_lines sl": func() error {
			_, err := NewPOSService(db).SoldLines(ctx, tsunagu.SoldLineFilter{}, page)
			return err
		},
		"FROM orders o": func() error {
			_, err := NewOrderService(db, nil).Orders(ctx, tsunagu.OrderFilter{}, page)
			return err
		},
		"FROM audit_log": func() error {
			_, err := NewAuditService(db).AuditLog(ctx, tsunagu.AuditFilter{}, page)
			return err
		},
	}
	for from, list := range lists {
		if err := list(); err != nil {
			t.Fatalf("the list %s: %v", from, err)
		}
	}
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	for from := range lists {
		found := false
		for q := range db.stmts.m {
			if !strings.Contains(q, from) || !strings.Contains(q, "LIMIT") {
				continue
			}
			found = true
			if !strings.HasSuffix(q, " LIMIT 21") {
				t.Errorf("the list %s was prepared as\n%s\nwant it to end in LIMIT 21", from, q)
			}
		}
		if !found {
			t.Errorf("the list %s was not prepared", from)
		}
	}
}
