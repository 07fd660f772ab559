package tsunagu_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/tsunagu"
)

// posCodes lists err's user errors as sorted "CODE@field" strings.
func posCodes(err error) []string {
	var out []string
	for _, e := range tsunagu.UserErrors(err) {
		if e.Message == "" {
			out = append(out, string(e.Code)+"@"+e.Field+" (no message)")
			continue
		}
		out = append(out, string(e.Code)+"@"+e.Field)
	}
	slices.Sort(out)
	return out
}

func i64(n int64) *int64 { return &n }

func TestCreateSaleInputValidate(t *testing.T) {
	pid := tsunagu.ProductID(1)
	code := "4901234567894"
	blank := "  "
	valid := func() tsunagu.CreateSaleInput {
		return tsunagu.CreateSaleInput{SessionID: 1, IdempotencyKey: "k",
			Lines:    []tsunagu.SaleLineInput{{ProductID: &pid, Quantity: 2}, {Code: &code, Quantity: 1}},
			Payments: []tsunagu.PaymentInput{{Method: tsunagu.PaymentCash, Amount: 500, Tendered: i64(1000)}, {Method: tsunagu.PaymentCard, Amount: 550, Reference: "T-1"}}}
	}
	manyLines := make([]tsunagu.SaleLineInput, tsunagu.MaxSaleLines+1)
	for i := range manyLines {
		manyLines[i] = tsunagu.SaleLineInput{ProductID: &pid, Quantity: 1}
	}
	manyPayments := make([]tsunagu.PaymentInput, 11)
	for i := range manyPayments {
		manyPayments[i] = tsunagu.PaymentInput{Method: tsunagu.PaymentCard, Amount: 1, Reference: "C"}
	}
	for _, tc := range []struct {
		name   string
		change func(*tsunagu.CreateSaleInput)
		want   []string
	}{
		{"OK", func(*tsunagu.CreateSaleInput) {}, nil},
		{"OKCashExact", func(in *tsunagu.CreateSaleInput) { in.Payments[0].Tendered = nil }, nil},
		{"OKTenderedEqualsAmount", func(in *tsunagu.CreateSaleInput) { in.Payments[0].Tendered = i64(500) }, nil},
		{"ErrNoKey", func(in *tsunagu.CreateSaleInput) { in.IdempotencyKey = " " }, []string{"REQUIRED@input.idempotencyKey"}},
		{"ErrLongKey", func(in *tsunagu.CreateSaleInput) { in.IdempotencyKey = strings.Repeat("k", tsunagu.MaxKeyLength+1) }, []string{"TOO_LONG@input.idempotencyKey"}},
		{"ErrNoLines", func(in *tsunagu.CreateSaleInput) { in.Lines = nil }, []string{"REQUIRED@input.lines"}},
		{"ErrTooManyLines", func(in *tsunagu.CreateSaleInput) { in.Lines = manyLines }, []string{"OUT_OF_RANGE@input.lines"}},
		{"ErrBothProductAndCode", func(in *tsunagu.CreateSaleInput) { in.Lines[0].Code = &code }, []string{"REQUIRED@input.lines.0"}},
		{"ErrNeitherProductNorCode", func(in *tsunagu.CreateSaleInput) { in.Lines[1].Code = nil }, []string{"REQUIRED@input.lines.1"}},
		{"ErrBlankCode", func(in *tsunagu.CreateSaleInput) { in.Lines[1].Code = &blank }, []string{"REQUIRED@input.lines.1"}},
		{"ErrZeroQuantity", func(in *tsunagu.CreateSaleInput) { in.Lines[0].Quantity = 0 }, []string{"OUT_OF_RANGE@input.lines.0.quantity"}},
		{"ErrNegativeQuantity", func(in *tsunagu.CreateSaleInput) { in.Lines[1].Quantity = -1 }, []string{"OUT_OF_RANGE@input.lines.1.quantity"}},
		{"ErrHugeQuantity", func(in *tsunagu.CreateSaleInput) { in.Lines[0].Quantity = tsunagu.MaxLineQuantity + 1 }, []string{"OUT_OF_RANGE@input.lines.0.quantity"}},
		{"ErrNoPayments", func(in *tsunagu.CreateSaleInput) { in.Payments = nil }, []string{"REQUIRED@input.payments"}},
		{"ErrTooManyPayments", func(in *tsunagu.CreateSaleInput) { in.Payments = manyPayments }, []string{"OUT_OF_RANGE@input.payments"}},
		{"ErrUnknownMethod", func(in *tsunagu.CreateSaleInput) { in.Payments[1].Method = "BITCOIN" }, []string{"INVALID_INPUT@input.payments.1.method"}},
		{"ErrZeroAmount", func(in *tsunagu.CreateSaleInput) { in.Payments[1].Amount = 0 }, []string{"OUT_OF_RANGE@input.payments.1.amount"}},
		{"ErrTenderedLess", func(in *tsunagu.CreateSaleInput) { in.Payments[0].Tendered = i64(499) }, []string{"OUT_OF_RANGE@input.payments.0.tendered"}},
		{"ErrTenderedCard", func(in *tsunagu.CreateSaleInput) { in.Payments[1].Tendered = i64(1000) }, []string{"INVALID_INPUT@input.payments.1.tendered"}},
		{"ErrLongReference", func(in *tsunagu.CreateSaleInput) {
			in.Payments[1].Reference = strings.Repeat("r", tsunagu.MaxTextLength+1)
		}, []string{"TOO_LONG@input.payments.1.reference"}},
		{"ErrNoReference", func(in *tsunagu.CreateSaleInput) { in.Payments[1].Reference = " " }, []string{"REQUIRED@input.payments.1.reference"}},
		{"ErrTwoCashPayments", func(in *tsunagu.CreateSaleInput) {
			in.Payments[1] = tsunagu.PaymentInput{Method: tsunagu.PaymentCash, Amount: 550}
		}, []string{"INVALID_INPUT@input.payments"}},
		{"ErrEverythingAtOnce", func(in *tsunagu.CreateSaleInput) {
			in.IdempotencyKey = ""
			in.Lines[0].Quantity = 0
			in.Payments[0].Tendered = i64(1)
		}, []string{"OUT_OF_RANGE@input.lines.0.quantity", "OUT_OF_RANGE@input.payments.0.tendered", "REQUIRED@input.idempotencyKey"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.change(&in)
			if diff := cmp.Diff(tc.want, posCodes(in.Validate())); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckPayments(t *testing.T) {
	cash := func(a int64) tsunagu.PaymentInput {
		return tsunagu.PaymentInput{Method: tsunagu.PaymentCash, Amount: a}
	}
	card := func(a int64) tsunagu.PaymentInput {
		return tsunagu.PaymentInput{Method: tsunagu.PaymentCard, Amount: a}
	}
	for _, tc := range []struct {
		name     string
		total    int64
		payments []tsunagu.PaymentInput
		code     tsunagu.Code
		says     []string
	}{
		{"OKExact", 1050, []tsunagu.PaymentInput{cash(1050)}, "", nil},
		{"OKSplit", 3450, []tsunagu.PaymentInput{cash(450), card(3000)}, "", nil},
		// The tendered cash does not count: the change is given back.
		{"OKTenderedAbove", 1050, []tsunagu.PaymentInput{{Method: tsunagu.PaymentCash, Amount: 1050, Tendered: i64(5000)}}, "", nil},
		{"ErrShort", 3450, []tsunagu.PaymentInput{cash(450), card(2000)}, tsunagu.CodePaymentMismatch, []string{"¥2450", "¥1000", "¥3450"}},
		{"ErrOver", 1000, []tsunagu.PaymentInput{card(1200)}, tsunagu.CodePaymentMismatch, []string{"¥200", "tendered"}},
		{"ErrNone", 350, nil, tsunagu.CodePaymentMismatch, []string{"¥350"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tsunagu.CheckPayments(tc.total, tc.payments)
			if tc.code == "" {
				checkErr(t, err, "", "")
				return
			}
			checkErr(t, err, tc.code, "input.payments")
			checkMsg(t, err, tc.says...)
		})
	}
}

func TestRefundSaleInputValidate(t *testing.T) {
	valid := func() tsunagu.RefundSaleInput {
		return tsunagu.RefundSaleInput{SaleID: 1, SessionID: 2, Method: tsunagu.RefundOriginal, IdempotencyKey: "k",
			Reason: "  味が違った ", Lines: []tsunagu.RefundLineInput{{LineNumber: 1, Quantity: 1}, {LineNumber: 2, Quantity: 3}}}
	}
	for _, tc := range []struct {
		name   string
		change func(*tsunagu.RefundSaleInput)
		want   []string
	}{
		{"OK", func(*tsunagu.RefundSaleInput) {}, nil},
		{"OKEverything", func(in *tsunagu.RefundSaleInput) { in.Lines = nil }, nil},
		{"OKCash", func(in *tsunagu.RefundSaleInput) { in.Method = tsunagu.RefundCash }, nil},
		{"ErrNoMethod", func(in *tsunagu.RefundSaleInput) { in.Method = "" }, []string{"INVALID_INPUT@input.method"}},
		{"ErrCardMethod", func(in *tsunagu.RefundSaleInput) { in.Method = "CARD" }, []string{"INVALID_INPUT@input.method"}},
		{"ErrLineTwice", func(in *tsunagu.RefundSaleInput) { in.Lines[1].LineNumber = 1 }, []string{"DUPLICATE@input.lines.1.lineNumber"}},
		{"ErrZeroQuantity", func(in *tsunagu.RefundSaleInput) { in.Lines[0].Quantity = 0 }, []string{"OUT_OF_RANGE@input.lines.0.quantity"}},
		{"ErrNoKey", func(in *tsunagu.RefundSaleInput) { in.IdempotencyKey = "" }, []string{"REQUIRED@input.idempotencyKey"}},
		{"ErrLongReason", func(in *tsunagu.RefundSaleInput) { in.Reason = strings.Repeat("理", tsunagu.MaxNoteLength+1) }, []string{"TOO_LONG@input.reason"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.change(&in)
			if diff := cmp.Diff(tc.want, posCodes(in.Validate())); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if tc.want == nil && in.Reason != "味が違った" {
				t.Errorf("reason %q is not trimmed", in.Reason)
			}
		})
	}
}

func TestSaleLineAmount(t *testing.T) {
	l := tsunagu.SaleLine{UnitPrice: 105, Quantity: 3}
	if got := l.Amount(); got != 315 {
		t.Errorf("amount %d, want 315", got)
	}
}
