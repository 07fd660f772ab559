package model

import "tsunagu/internal/tsunagu"

// ConfirmTerminalSaleInput names a pending Terminal sale, with a typed ID.
type ConfirmTerminalSaleInput struct {
	SaleID tsunagu.SaleID `json:"saleId"`
}
