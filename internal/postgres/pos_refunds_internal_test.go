package postgres

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/tsunagu"
)

func TestRefundPayments(t *testing.T) {
	const (
		cash   = tsunagu.PaymentCash
		card   = tsunagu.PaymentCard
		emoney = tsunagu.PaymentEMoney
		qr     = tsunagu.PaymentQR
	)
	pay := func(m tsunagu.PaymentMethod, a int64) tsunagu.Payment { return tsunagu.Payment{Method: m, Amount: a} }
	for _, tc := range []struct {
		name   string
		method tsunagu.RefundMethod
		total  int64
		paid   []methodPaid
		want   []tsunagu.Payment
	}{
		{"CashAlwaysCash", tsunagu.RefundCash, 700, []methodPaid{{card, 1000, 0}, {cash, 500, 0}}, []tsunagu.Payment{pay(cash, 700)}},
		{"OriginalCashSale", tsunagu.RefundOriginal, 350, []methodPaid{{cash, 1700, 0}}, []tsunagu.Payment{pay(cash, 350)}},
		{"OriginalCardFirst", tsunagu.RefundOriginal, 700, []methodPaid{{cash, 500, 0}, {card, 1000, 0}}, []tsunagu.Payment{pay(card, 700)}},
		{"OriginalCardThenCash", tsunagu.RefundOriginal, 1500, []methodPaid{{cash, 500, 0}, {card, 1000, 0}},
			[]tsunagu.Payment{pay(card, 1000), pay(cash, 500)}},
		{"OriginalInPaymentOrder", tsunagu.RefundOriginal, 900, []methodPaid{{qr, 300, 0}, {card, 400, 0}, {emoney, 500, 0}},
			[]tsunagu.Payment{pay(qr, 300), pay(card, 400), pay(emoney, 200)}},
		// What earlier refunds gave back to a method is no longer its to take.
		{"OriginalAfterEarlierRefund", tsunagu.RefundOriginal, 800, []methodPaid{{card, 1000, 600}, {cash, 500, 0}},
			[]tsunagu.Payment{pay(card, 400), pay(cash, 400)}},
		{"OriginalCardUsedUp", tsunagu.RefundOriginal, 300, []methodPaid{{card, 1000, 1000}, {cash, 500, 200}}, []tsunagu.Payment{pay(cash, 300)}},
		// Earlier refunds in cash leave the card its full amount.
		{"OriginalAfterCashRefund", tsunagu.RefundOriginal, 600, []methodPaid{{card, 1000, 0}}, []tsunagu.Payment{pay(card, 600)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := refundPayments(tc.method, tc.total, tc.paid)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("paid back (-want +got):\n%s", diff)
			}
			var sum int64
			for _, p := range got {
				sum += p.Amount
			}
			if sum != tc.total {
				t.Errorf("paid back ¥%d of ¥%d", sum, tc.total)
			}
		})
	}
}
