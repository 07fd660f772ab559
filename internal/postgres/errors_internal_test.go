package postgres

import (
	"errors"
	"io"
	"testing"

	"github.com/lib/pq"

	"tsunagu/internal/pgtest"
	"tsunagu/internal/tsunagu"
)

func TestMapDBError(t *testing.T) {
	for _, tc := range []struct {
		name       string
		err        error
		code       tsunagu.Code
		field      string
		passesAsIs bool
	}{
		{name: "DuplicateCode", err: &pq.Error{Code: uniqueViolation, Constraint: "products_code"},
			code: tsunagu.CodeDuplicateCode, field: "input.code"},
		{name: "DuplicateEmail", err: &pq.Error{Code: uniqueViolation, Constraint: "users_email"},
			code: tsunagu.CodeDuplicate, field: "input.email"},
		{name: "RegisterOpen", err: &pq.Error{Code: uniqueViolation, Constraint: "register_sessions_one_open"},
			code: tsunagu.CodeInvalidState, field: "input.registerId"},
		{name: "OverRefund", err: &pq.Error{Code: checkViolation, Constraint: "sale_lines_refunded"},
			code: tsunagu.CodeOverRefund, field: "input.lines"},
		{name: "ShipMoreThanApproved", err: &pq.Error{Code: checkViolation, Constraint: "transfer_lines_shipped_approved"},
			code: tsunagu.CodeOutOfRange, field: "input.lines"},
		{name: "TransferToItself", err: &pq.Error{Code: checkViolation, Constraint: "transfers_check"},
			code: tsunagu.CodeInvalidInput, field: "input.toLocationId"},
		// Any foreign key: the row referred to is gone.
		{name: "ForeignKey", err: &pq.Error{Code: foreignKeyViolation, Constraint: "sales_session_id_fkey"},
			code: tsunagu.CodeNotFound, field: ""},
		// Wrapped errors are found in the chain.
		{name: "Wrapped", err: fmtErr(&pq.Error{Code: uniqueViolation, Constraint: "users_email"}),
			code: tsunagu.CodeDuplicate, field: "input.email"},
		// A constraint of a listed SQLSTATE that is not listed is not a client's error.
		{name: "UnlistedUnique", err: &pq.Error{Code: uniqueViolation, Constraint: "sales_shop_id_receipt_number_key"}, passesAsIs: true},
		// The table matches the SQLSTATE too, not the constraint's name alone.
		{name: "OtherSQLSTATE", err: &pq.Error{Code: "23502", Constraint: "products_code"}, passesAsIs: true},
		{name: "NotPostgres", err: io.ErrUnexpectedEOF, passesAsIs: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mapDBError(tc.err)
			if tc.passesAsIs {
				if got != tc.err {
					t.Fatalf("mapDBError(%v) = %v, want it as it is", tc.err, got)
				}
				return
			}
			var e *tsunagu.Error
			if !errors.As(got, &e) || e.Code != tc.code || e.Field != tc.field || e.Message == "" {
				t.Fatalf("mapDBError(%v) = %v, want %s at %q", tc.err, got, tc.code, tc.field)
			}
		})
	}
	t.Run("ResultIsACopy", func(t *testing.T) {
		err := &pq.Error{Code: uniqueViolation, Constraint: "users_email"}
		var e *tsunagu.Error
		errors.As(mapDBError(err), &e)
		e.Field = "changed"
		errors.As(mapDBError(err), &e)
		if e.Field != "input.email" {
			t.Fatalf("the table's error was changed through a result: field %q", e.Field)
		}
	})
}

func fmtErr(err error) error { return errors.Join(errors.New("context"), err) }

// TestDBErrorsNameRealConstraints fails when a constraint the table names is renamed
// or dropped by a migration: the refusal would then reach clients as an internal
// error.
func TestDBErrorsNameRealConstraints(t *testing.T) {
	db := pgtest.New(t)
	for k := range dbErrors {
		if k.constraint == "" {
			continue
		}
		var n int
		err := db.Get(&n, `SELECT (SELECT count(*) FROM pg_constraint WHERE conname = $1)
			+ (SELECT count(*) FROM pg_class WHERE relname = $1 AND relkind = 'i')`, k.constraint)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("dbErrors names constraint %q, which the schema does not have", k.constraint)
		}
	}
}

func TestWrap(t *testing.T) {
	internal := errors.New("boom")
	err := internal
	wrap(&err, "POSService.CreateSale")
	if err.Error() != "POSService.CreateSale: boom" || !errors.Is(err, internal) {
		t.Errorf("wrapped internal error = %v", err)
	}
	domain := error(tsunagu.ErrForbidden)
	wrap(&domain, "POSService.CreateSale")
	if domain != tsunagu.ErrForbidden {
		t.Errorf("a domain error was wrapped: %v", domain)
	}
	var v error = tsunagu.ValidationErrors{tsunagu.Errorf(tsunagu.CodeRequired, "input.x", "x")}
	wrap(&v, "op")
	if _, ok := v.(tsunagu.ValidationErrors); !ok {
		t.Errorf("validation errors were wrapped: %v", v)
	}
	var none error
	wrap(&none, "op")
	if none != nil {
		t.Errorf("nil became %v", none)
	}
}
