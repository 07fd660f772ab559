package postgres_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/tsunagu"
)

func TestUpdateShop(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	newShop := p.location(p.admin, p.home, tsunagu.LocationShop, "港区 第二ショップ")
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		in    tsunagu.UpdateShopInput
		code  tsunagu.Code
		field string
	}{
		{"ErrClerk", p.clerk, tsunagu.UpdateShopInput{ShopID: p.homeShop.ID, OperatorName: posPtr("港区")}, tsunagu.CodeForbidden, ""},
		{"ErrOtherCitysManager", p.otherManager, tsunagu.UpdateShopInput{ShopID: p.homeShop.ID, OperatorName: posPtr("港区")}, tsunagu.CodeForbidden, ""},
		{"ErrNotAShop", p.manager, tsunagu.UpdateShopInput{ShopID: p.warehouse.ID, OperatorName: posPtr("港区")}, tsunagu.CodeInvalidInput, "input.shopId"},
		{"ErrUnknownLocation", p.manager, tsunagu.UpdateShopInput{ShopID: 999999, OperatorName: posPtr("港区")}, tsunagu.CodeNotFound, ""},
		{"ErrNoOperator", p.manager, tsunagu.UpdateShopInput{ShopID: p.homeShop.ID, OperatorName: posPtr(" ")}, tsunagu.CodeRequired, "input.operatorName"},
		{"ErrBadRegistration", p.manager, tsunagu.UpdateShopInput{ShopID: p.homeShop.ID, OperatorName: posPtr("港区"),
			RegistrationNumber: posPtr("T7000012050003")}, tsunagu.CodeInvalidRegistrationNumber, "input.registrationNumber"},
		{"ErrNewShopWithoutOperator", p.manager, tsunagu.UpdateShopInput{ShopID: newShop.ID, Rounding: posPtr(tsunagu.RoundUp)},
			tsunagu.CodeRequired, "input.operatorName"},
		{"ErrBadRounding", p.manager, tsunagu.UpdateShopInput{ShopID: p.homeShop.ID, OperatorName: posPtr("港区"), Rounding: posPtr(tsunagu.Rounding("SIDEWAYS"))},
			tsunagu.CodeInvalidInput, "input.rounding"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := p.snapshot()
			_, err := p.pos.UpdateShop(tc.ctx, tc.in)
			p.refused(t, before, err, tc.code, tc.field)
		})
	}

	t.Run("Upsert", func(t *testing.T) {
		created, err := p.pos.UpdateShop(p.manager, tsunagu.UpdateShopInput{ShopID: newShop.ID, OperatorName: posPtr(" 社会福祉法人にじ "),
			RegistrationNumber: posPtr(" ｔ７００００１２０５０００２ ")})
		must(t, err)
		want := &tsunagu.Shop{LocationID: newShop.ID, OperatorName: "社会福祉法人にじ", RegistrationNumber: posPtr(homeRegistration),
			Rounding: tsunagu.RoundDown, AcceptsPickup: true}
		if diff := cmp.Diff(want, created); diff != "" {
			t.Errorf("new shop (-want +got):\n%s", diff)
		}
		// HALF_UP, then an update without rounding keeps it; an empty number removes it.
		_, err = p.pos.UpdateShop(p.admin, tsunagu.UpdateShopInput{ShopID: newShop.ID, OperatorName: posPtr("港区"), Rounding: posPtr(tsunagu.Rounding("half_up"))})
		must(t, err)
		updated, err := p.pos.UpdateShop(p.manager, tsunagu.UpdateShopInput{ShopID: newShop.ID, OperatorName: posPtr("港区"), RegistrationNumber: posPtr("")})
		must(t, err)
		want = &tsunagu.Shop{LocationID: newShop.ID, OperatorName: "港区", Rounding: tsunagu.RoundHalfUp, AcceptsPickup: true}
		if diff := cmp.Diff(want, updated); diff != "" {
			t.Errorf("updated shop (-want +got):\n%s", diff)
		}
		// Fields left out keep their values: changing only the rounding keeps the
		// operator, the registration number (qualified invoicing goes on) and pickup.
		_, err = p.pos.UpdateShop(p.manager, tsunagu.UpdateShopInput{ShopID: newShop.ID, RegistrationNumber: posPtr(homeRegistration),
			AcceptsPickup: posPtr(false)})
		must(t, err)
		kept, err := p.pos.UpdateShop(p.manager, tsunagu.UpdateShopInput{ShopID: newShop.ID, Rounding: posPtr(tsunagu.RoundUp)})
		must(t, err)
		want = &tsunagu.Shop{LocationID: newShop.ID, OperatorName: "港区", RegistrationNumber: posPtr(homeRegistration), Rounding: tsunagu.RoundUp}
		// AcceptsPickup false, as set before.
		if diff := cmp.Diff(want, kept); diff != "" {
			t.Errorf("after changing only the rounding (-want +got):\n%s", diff)
		}
		// Anyone reads the settings, which every receipt prints.
		shops, err := p.pos.ShopsByID(context.Background(), []tsunagu.LocationID{newShop.ID, p.homeShop.ID, p.warehouse.ID})
		must(t, err)
		if len(shops) != 2 || shops[newShop.ID].Rounding != tsunagu.RoundUp || shops[p.homeShop.ID].OperatorName != "港区" {
			t.Errorf("shops: %+v", shops)
		}
	})
}

func TestCreateRegister(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	bare := p.location(p.admin, p.home, tsunagu.LocationShop, "港区 第二ショップ")
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		in    tsunagu.CreateRegisterInput
		code  tsunagu.Code
		field string
	}{
		{"ErrClerk", p.clerk, tsunagu.CreateRegisterInput{ShopID: p.homeShop.ID, Name: "レジ3"}, tsunagu.CodeForbidden, ""},
		{"ErrOtherCitysManager", p.otherManager, tsunagu.CreateRegisterInput{ShopID: p.homeShop.ID, Name: "レジ3"}, tsunagu.CodeForbidden, ""},
		{"ErrDuplicateName", p.manager, tsunagu.CreateRegisterInput{ShopID: p.homeShop.ID, Name: " レジ1 "}, tsunagu.CodeDuplicate, "input.name"},
		{"ErrNoName", p.manager, tsunagu.CreateRegisterInput{ShopID: p.homeShop.ID}, tsunagu.CodeRequired, "input.name"},
		{"ErrNoShopSettings", p.manager, tsunagu.CreateRegisterInput{ShopID: bare.ID, Name: "レジ1"}, tsunagu.CodeInvalidState, "input.shopId"},
		{"ErrNotAShop", p.manager, tsunagu.CreateRegisterInput{ShopID: p.warehouse.ID, Name: "レジ1"}, tsunagu.CodeInvalidInput, "input.shopId"},
		{"ErrUnknownShop", p.manager, tsunagu.CreateRegisterInput{ShopID: 999999, Name: "レジ1"}, tsunagu.CodeNotFound, "input.shopId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := p.snapshot()
			_, err := p.pos.CreateRegister(tc.ctx, tc.in)
			p.refused(t, before, err, tc.code, tc.field)
		})
	}
	// The same name at another shop is another register.
	r := p.register(p.admin, p.partnerShop, "レジ2")
	if r.ShopID != p.partnerShop.ID || r.Name != "レジ2" {
		t.Errorf("register: %+v", r)
	}
}

func TestRegistersVisibility(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	names := func(rs []*tsunagu.Register) []tsunagu.RegisterID {
		var ids []tsunagu.RegisterID
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
		return ids
	}
	home, partner := []tsunagu.RegisterID{p.reg1.ID, p.reg2.ID}, []tsunagu.RegisterID{p.partnerReg.ID}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		shop *tsunagu.LocationID
		want []tsunagu.RegisterID
	}{
		{"Clerk", p.clerk, nil, home},
		{"OtherClerk", p.otherClerk, nil, partner},
		{"Manager", p.manager, nil, home},
		{"OtherManager", p.otherManager, nil, partner},
		{"Admin", p.admin, nil, append(append([]tsunagu.RegisterID{}, home...), partner...)},
		{"AdminOneShop", p.admin, &p.partnerShop.ID, partner},
		{"ClerkAnotherShop", p.clerk, &p.partnerShop.ID, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := p.pos.Registers(tc.ctx, tc.shop)
			must(t, err)
			if diff := cmp.Diff(tc.want, names(rs)); diff != "" {
				t.Errorf("registers (-want +got):\n%s", diff)
			}
			byID, err := p.pos.RegistersByID(tc.ctx, []tsunagu.RegisterID{p.reg1.ID, p.reg2.ID, p.partnerReg.ID})
			must(t, err)
			if tc.shop == nil && len(byID) != len(tc.want) {
				t.Errorf("by ID: %d registers, want %d", len(byID), len(tc.want))
			}
		})
	}
	if _, err := p.pos.Registers(context.Background(), nil); tsunagu.ErrorCode(err) != tsunagu.CodeUnauthenticated {
		t.Errorf("anonymous: %v", err)
	}
}

// The partner shop's clerk can do nothing at the home shop: every mutation on its
// registers, sessions and sales is FORBIDDEN and changes nothing, and the reads show
// nothing of it.
func TestOtherShopsClerkForbiddenEverywhere(t *testing.T) {
	t.Parallel()
	p := newPOSWorld(t)
	p.stock(p.homeShop, p.cookies, 5)
	p.stock(p.partnerShop, p.spoon, 5)
	s := p.open(p.clerk, p.reg1, 1000)
	sale := p.sell(p.clerk, s, []tsunagu.SaleLineInput{posLine(p.cookies, 1)}, posCash(350, 0))
	own := p.open(p.otherClerk, p.partnerReg, 1000)
	c := p.otherClerk
	for name, do := range map[string]func() error{
		"UpdateShop": func() error {
			_, err := p.pos.UpdateShop(c, tsunagu.UpdateShopInput{ShopID: p.homeShop.ID, OperatorName: posPtr("旭川市")})
			return err
		},
		"CreateRegister": func() error {
			_, err := p.pos.CreateRegister(c, tsunagu.CreateRegisterInput{ShopID: p.homeShop.ID, Name: "レジ9"})
			return err
		},
		"OpenRegisterSession": func() error {
			_, err := p.pos.OpenRegisterSession(c, tsunagu.OpenSessionInput{IdempotencyKey: p.key(), RegisterID: p.reg2.ID})
			return err
		},
		"CloseRegisterSession": func() error {
			_, err := p.pos.CloseRegisterSession(c, tsunagu.CloseSessionInput{IdempotencyKey: p.key(), SessionID: s.ID, CountedCash: posPtr[int64](0)})
			return err
		},
		"RecordCashMovement": func() error {
			_, err := p.pos.RecordCashMovement(c, tsunagu.RecordCashMovementInput{SessionID: s.ID, Type: tsunagu.CashOut,
				Amount: 100, Reason: "x", IdempotencyKey: p.key()})
			return err
		},
		"CreateSale": func() error {
			_, err := p.pos.CreateSale(c, p.saleInput(s, []tsunagu.SaleLineInput{posLine(p.cookies, 1)}, posCash(350, 0)))
			return err
		},
		"VoidSale": func() error {
			_, err := p.pos.VoidSale(c, tsunagu.VoidSaleInput{SaleID: sale.ID, IdempotencyKey: p.key()})
			return err
		},
		"RefundSaleFromOwnSession": func() error {
			_, err := p.pos.RefundSale(c, tsunagu.RefundSaleInput{SaleID: sale.ID, SessionID: own.ID,
				Method: tsunagu.RefundCash, IdempotencyKey: p.key()})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			before := p.snapshot()
			p.refused(t, before, do(), tsunagu.CodeForbidden, "")
		})
	}
	t.Run("Reads", func(t *testing.T) {
		regs, err := p.pos.Registers(c, &p.homeShop.ID)
		must(t, err)
		sales, err := p.pos.Sales(c, tsunagu.SaleFilter{ShopID: &p.homeShop.ID}, tsunagu.PageArgs{})
		must(t, err)
		byID, err := p.pos.SalesByID(c, []tsunagu.SaleID{sale.ID})
		must(t, err)
		sessions, err := p.pos.SessionsByID(c, []tsunagu.SessionID{s.ID})
		must(t, err)
		if len(regs)+len(sales.Items)+len(byID)+len(sessions) != 0 {
			t.Errorf("sees %v %v %v %v", regs, sales.Items, byID, sessions)
		}
		for what, err := range map[string]error{
			"report":  func() error { _, err := p.pos.Report(c, s.ID); return err }(),
			"receipt": func() error { _, err := p.pos.Receipt(c, sale.ID, nil); return err }(),
			"number":  func() error { _, err := p.pos.SaleByReceiptNumber(c, p.homeShop.ID, sale.ReceiptNumber); return err }(),
		} {
			if tsunagu.ErrorCode(err) != tsunagu.CodeNotFound {
				t.Errorf("%s: %v, want NOT_FOUND", what, err)
			}
		}
	})
}
