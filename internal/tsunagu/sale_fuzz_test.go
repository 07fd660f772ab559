package tsunagu_test

import (
	"testing"
	"time"

	"tsunagu/internal/tsunagu"
)

// FuzzSaleReceipt asserts that every sale the domain accepts (CreateSaleInput.Validate,
// then CheckPayments on the priced total, as createSale does) prints a receipt: a
// sale must never be booked and then fail when its receipt is asked for. The seed is
// the reproduced case: a JAN code typed into the tendered field.
func FuzzSaleReceipt(f *testing.F) {
	f.Add(int64(350), 2, uint8(1), int64(4_901_234_567_894), uint8(0), false)
	f.Add(int64(tsunagu.MaxPrice), tsunagu.MaxLineQuantity, uint8(3), int64(0), uint8(1), true)
	f.Add(int64(0), 1, uint8(1), int64(0), uint8(0), true)
	f.Add(int64(269), 2, uint8(1), int64(4_901_234_567_967), uint8(11), false) // a card sale: found by the fuzzer
	f.Add(int64(350), 3, uint8(2), int64(5000), uint8(0), true)                // cash with change, qualifying
	f.Fuzz(func(t *testing.T, price int64, quantity int, lines uint8, tendered int64, method uint8, qualified bool) {
		if price < 0 || price > tsunagu.MaxPrice { // product prices are validated when set
			return
		}
		methods := []tsunagu.PaymentMethod{tsunagu.PaymentCash, tsunagu.PaymentCard, tsunagu.PaymentEMoney, tsunagu.PaymentQR}
		pay := tsunagu.PaymentInput{Method: methods[int(method)%len(methods)]}
		if pay.Method == tsunagu.PaymentCash {
			pay.Tendered = &tendered
		} else {
			pay.Reference = "slip-1"
		}
		n := int(lines)%tsunagu.MaxSaleLines + 1
		id := tsunagu.ProductID(1)
		in := tsunagu.CreateSaleInput{SessionID: 1, IdempotencyKey: "fuzz-sale"}
		for range n {
			in.Lines = append(in.Lines, tsunagu.SaleLineInput{ProductID: &id, Quantity: quantity})
		}
		var total int64
		if quantity >= 1 && quantity <= tsunagu.MaxLineQuantity {
			total = price * int64(quantity) * int64(n)
		}
		pay.Amount = total
		in.Payments = []tsunagu.PaymentInput{pay}
		if in.Validate() != nil || tsunagu.CheckPayments(total, in.Payments) != nil {
			return
		}
		// Accepted: the receipt as the store builds it from the booked sale.
		r := tsunagu.Receipt{IssuerName: "港区", RegistrationNumber: "T7000012050002", ShopName: "ふれあいショップ",
			RegisterName: "レジ1", ReceiptNumber: 1, Kind: tsunagu.ReceiptSale, Rounding: tsunagu.RoundDown,
			IssuedAt: time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)}
		for i := range n {
			tax := tsunagu.TaxReduced8
			if i%2 == 1 {
				tax = tsunagu.TaxStandard10
			}
			r.Lines = append(r.Lines, tsunagu.ReceiptLine{Name: "手作りクッキー", UnitPrice: price, Quantity: quantity,
				TaxClass: tax, Qualified: qualified})
		}
		rp := tsunagu.ReceiptPayment{Method: pay.Method, Amount: pay.Amount, Reference: pay.Reference}
		if pay.Tendered != nil {
			rp.Tendered = *pay.Tendered
		}
		r.Payments = []tsunagu.ReceiptPayment{rp}
		if err := r.Compute(); err != nil {
			t.Fatalf("a sale createSale accepts has no receipt: %v (price %d × %d × %d lines, %s tendered %d)",
				err, price, quantity, n, pay.Method, tendered)
		}
		for _, paper := range []int{58, 80} {
			if _, err := r.Text(paper); err != nil {
				t.Fatalf("the receipt does not print on %d mm: %v", paper, err)
			}
		}
	})
}
