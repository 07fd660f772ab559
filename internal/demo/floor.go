package demo

import (
	"context"
	"fmt"
	"strconv"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// The shop floor of the demo, so that the demo clerk can sell at once: each city
// hall's shop issues qualified invoices in its city's name, the home shop has two
// registers; every shop has its own
// city's goods, put on hand as production; and each partner has shipped some of
// its goods to the home shop through the exchange, so that the home shop sells
// consigned partner goods and the exchange balance has figures.

// localGovernmentRegistration is a municipality's qualified-invoice registration
// number: T, the check digit and its corporate number, which for a local
// government is 000020 and its 6-digit code (港区: T8000020131032).
func localGovernmentRegistration(code6 string) string {
	base := "000020" + code6
	return "T" + strconv.Itoa(tsunagu.CorporateCheckDigit(base)) + base
}

// Quantities of the demo stock.
const (
	producedUnits = 24 // of each good, at its own city's shop
	sentUnits     = 10 // of each partner good, to the home shop
)

// registers are the home shop's tills.
var registers = []string{"レジ1", "レジ2"}

// floor sets up the shop floor; products are the demo's products as created.
func (l *loader) floor(ctx context.Context, s Services, products []*tsunagu.Product) error {
	homeCode := municipalities[0].code5
	homeShop := l.shops[homeCode]
	// Every city hall's shop issues qualified invoices in its city's name, at the
	// counter and for online orders.
	for _, m := range municipalities {
		code6, err := municipalityCode(m.code5)
		if err != nil {
			return err
		}
		if _, err := s.POS.UpdateShop(ctx, tsunagu.UpdateShopInput{ShopID: l.shops[m.code5], OperatorName: ptr(m.name),
			RegistrationNumber: ptr(localGovernmentRegistration(code6)), Rounding: ptr(tsunagu.RoundDown)}); err != nil {
			return fmt.Errorf("shop of %s: %w", m.name, err)
		}
	}
	for _, name := range registers {
		if _, err := s.POS.CreateRegister(ctx, tsunagu.CreateRegisterInput{ShopID: homeShop, Name: name}); err != nil {
			return fmt.Errorf("register %s: %w", name, err)
		}
	}
	shopOf := make(map[tsunagu.MunicipalityID]tsunagu.LocationID, len(l.shops))
	for code, shop := range l.shops {
		shopOf[l.munis[code]] = shop
	}
	sent := map[tsunagu.MunicipalityID][]tsunagu.TransferQuantity{}
	for _, p := range products {
		if p.Status != tsunagu.StatusActive {
			continue
		}
		_, err := s.Stock.AdjustStock(ctx, tsunagu.AdjustStockInput{LocationID: shopOf[p.MunicipalityID], ProductID: p.ID,
			Quantity: producedUnits, Reason: tsunagu.ReasonProduction, Note: "デモの在庫",
			IdempotencyKey: fmt.Sprintf("demo-production-%d", p.ID)})
		if err != nil {
			return fmt.Errorf("stock of %s: %w", p.Name(), err)
		}
		if p.MunicipalityID != l.munis[homeCode] {
			sent[p.MunicipalityID] = append(sent[p.MunicipalityID], tsunagu.TransferQuantity{ProductID: p.ID, Quantity: sentUnits})
		}
	}
	for _, m := range municipalities[1:] {
		if err := l.exchange(ctx, s, shopOf[l.munis[m.code5]], homeShop, sent[l.munis[m.code5]], m.name); err != nil {
			return err
		}
	}
	return nil
}

// exchange sends lines from a partner's shop to the home shop: requested, approved,
// shipped and received in full.
func (l *loader) exchange(ctx context.Context, s Services, from, to tsunagu.LocationID, lines []tsunagu.TransferQuantity, partner string) error {
	if len(lines) == 0 {
		return nil
	}
	key := fmt.Sprintf("demo-exchange-%d-", from)
	tr, err := s.Transfers.RequestTransfer(ctx, tsunagu.RequestTransferInput{FromLocationID: from, ToLocationID: to,
		Lines: lines, Note: partner + "の商品を港区の店へ", IdempotencyKey: key + "request"})
	if err == nil {
		_, err = s.Transfers.ApproveTransfer(ctx, tsunagu.ApproveTransferInput{TransferID: tr.ID, IdempotencyKey: key + "approve"})
	}
	if err == nil {
		_, err = s.Transfers.ShipTransfer(ctx, tsunagu.ShipTransferInput{TransferID: tr.ID, Carrier: "日本郵便",
			TrackingNumber: fmt.Sprintf("1234-5678-%04d", from), IdempotencyKey: key + "ship"})
	}
	if err == nil {
		_, err = s.Transfers.ReceiveTransfer(ctx, tsunagu.ReceiveTransferInput{TransferID: tr.ID, IdempotencyKey: key + "receive"})
	}
	if err != nil {
		return fmt.Errorf("goods of %s to the home shop: %w", partner, err)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// Services are the services Load fills the database through.
type Services struct {
	Catalog   *postgres.CatalogService
	Auth      *postgres.AuthService
	Stock     *postgres.StockService
	Transfers *postgres.TransferService
	POS       *postgres.POSService
}

// NewServices returns the services of db.
func NewServices(db *postgres.DB) Services {
	return Services{Catalog: postgres.NewCatalogService(db), Auth: postgres.NewAuthService(db),
		Stock: postgres.NewStockService(db), Transfers: postgres.NewTransferService(db), POS: postgres.NewPOSService(db)}
}
