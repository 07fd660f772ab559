package model

import "tsunagu/internal/tsunagu"

// OrderActionInput names the order a staff action is about; written by hand so that
// the ID is typed (an ID of another kind is refused).
type OrderActionInput struct {
	OrderID tsunagu.OrderID `json:"orderId"`
}

// ConfirmTerminalSaleInput names a pending Terminal sale, with a typed ID.
type ConfirmTerminalSaleInput struct {
	SaleID tsunagu.SaleID `json:"saleId"`
}
