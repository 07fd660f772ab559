package tsunagu_test

import (
	"testing"

	"tsunagu/internal/tsunagu"
)

func TestCloseSessionInputCounted(t *testing.T) {
	d := func(v int64, n int) tsunagu.DenominationCount {
		return tsunagu.DenominationCount{Denomination: v, Count: n}
	}
	for _, tc := range []struct {
		name    string
		in      tsunagu.CloseSessionInput
		want    int64
		code    tsunagu.Code
		field   string
		message string
	}{
		{name: "OKTotal", in: tsunagu.CloseSessionInput{CountedCash: i64(33090)}, want: 33090},
		{name: "OKZero", in: tsunagu.CloseSessionInput{CountedCash: i64(0)}, want: 0},
		{name: "OKDenominations", in: tsunagu.CloseSessionInput{Denominations: []tsunagu.DenominationCount{
			d(10000, 3), d(1000, 3), d(50, 1), d(10, 4), d(1, 0)}}, want: 33090},
		{name: "OKBothAgree", in: tsunagu.CloseSessionInput{CountedCash: i64(5555), Denominations: []tsunagu.DenominationCount{
			d(5000, 1), d(500, 1), d(50, 1), d(5, 1)}}, want: 5555},
		{name: "ErrNothing", in: tsunagu.CloseSessionInput{}, code: tsunagu.CodeRequired, field: "input.countedCash"},
		{name: "ErrNegative", in: tsunagu.CloseSessionInput{CountedCash: i64(-1)}, code: tsunagu.CodeOutOfRange, field: "input.countedCash"},
		{name: "ErrUnknownDenomination", in: tsunagu.CloseSessionInput{Denominations: []tsunagu.DenominationCount{d(1000, 1), d(200, 1)}},
			code: tsunagu.CodeInvalidInput, field: "input.denominations.1.denomination", message: "¥200"},
		{name: "ErrDenominationTwice", in: tsunagu.CloseSessionInput{Denominations: []tsunagu.DenominationCount{d(100, 1), d(100, 2)}},
			code: tsunagu.CodeDuplicate, field: "input.denominations.1.denomination"},
		{name: "ErrNegativeCount", in: tsunagu.CloseSessionInput{Denominations: []tsunagu.DenominationCount{d(100, -1)}},
			code: tsunagu.CodeOutOfRange, field: "input.denominations.0.count"},
		{name: "ErrDisagree", in: tsunagu.CloseSessionInput{CountedCash: i64(1000), Denominations: []tsunagu.DenominationCount{d(500, 1)}},
			code: tsunagu.CodeInvalidInput, field: "input.countedCash", message: "¥500"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.in.Counted()
			checkErr(t, err, tc.code, tc.field)
			if tc.message != "" {
				checkMsg(t, err, tc.message)
			}
			if tc.code == "" && got != tc.want {
				t.Errorf("counted ¥%d, want ¥%d", got, tc.want)
			}
		})
	}
}
