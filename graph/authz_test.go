package graph_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"tsunagu/graph/generated"
	"tsunagu/graph/gid"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// authzCase is one mutation run against objects of the home municipality (its shop,
// warehouse, facility). vars makes fresh objects for each run, so that one role's
// success cannot change another's case. allowed lists the roles that may run it; every
// other signed-in role must get FORBIDDEN (NOT_FOUND where hiddenFrom says so), and
// anonymous requests UNAUTHENTICATED, with nothing changed.
type authzCase struct {
	query   string
	allowed []string
	vars    func(a *api) map[string]any
}

var (
	managers = []string{"manager", "admin"}
	// goodsStaff edit the home facility's products: its managers and its own staff.
	goodsStaff = []string{"facility", "manager", "admin"}
	shopStaff  = []string{"clerk", "manager", "admin"}
)

// authzMatrix has an entry for every mutation that changes data.
// TestAuthorizationMatrixCoversSchema fails when a mutation is added without one.
var authzMatrix = map[string]authzCase{
	// Any manager or facility staff member may upload pictures (no object yet):
	// the product edit that shows one is checked as ever.
	"createImageUpload": {`mutation { createImageUpload { upload { url } userErrors { code } } }`,
		[]string{"manager", "otherManager", "admin", "facility", "otherFacility"},
		func(a *api) map[string]any { return nil }},
	"createFacility": {createFacility, managers, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"municipalityId": a.id(gid.KindMunicipality, int64(a.home.ID)),
			"name": "新しい施設", "kind": "OTHER", "corporation": "NPO法人あたらしい"}}
	}},
	"updateFacility": {updateFacility, managers, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"id": a.id(gid.KindFacility, int64(a.homeFac.ID)), "name": "改名"}}
	}},
	"createProduct": {createProduct, goodsStaff, func(a *api) map[string]any {
		return map[string]any{"in": with(validProduct(a.homeFac), "code", nil)}
	}},
	"updateProduct": {updateProduct, goodsStaff, func(a *api) map[string]any {
		p := a.product(a.homeFac, "更新する品", tsunagu.StatusActive)
		return map[string]any{"in": map[string]any{"id": a.id(gid.KindProduct, int64(p.ID)), "price": 999}}
	}},
	// A file that changes the price of one of the home facility's goods.
	"importProducts": {importMutation, goodsStaff, func(a *api) map[string]any {
		p := a.product(a.homeFac, "取り込む品", tsunagu.StatusActive)
		file := csvFile("id,price", a.id(gid.KindProduct, int64(p.ID))+",777")
		return map[string]any{"in": map[string]any{"file": base64.StdEncoding.EncodeToString(file), "idempotencyKey": key()}}
	}},
	"archiveProduct": {archiveProduct, goodsStaff, func(a *api) map[string]any {
		p := a.product(a.homeFac, "しまう品", tsunagu.StatusActive)
		return map[string]any{"in": map[string]any{"id": a.id(gid.KindProduct, int64(p.ID))}}
	}},

	"adjustStock": {adjustStock, shopStaff, func(a *api) map[string]any {
		p := a.product(a.homeFac, "数える品", tsunagu.StatusActive)
		return map[string]any{"in": map[string]any{"locationId": a.id(gid.KindLocation, int64(a.homeShop.ID)),
			"productId": a.id(gid.KindProduct, int64(p.ID)), "quantity": 5, "reason": "PRODUCTION", "idempotencyKey": key()}}
	}},
	"recordStocktake": {recordStocktake, shopStaff, func(a *api) map[string]any {
		p := a.stocked(a.homeFac, a.homeShop, 5)
		return map[string]any{"in": map[string]any{"locationId": a.id(gid.KindLocation, int64(a.homeShop.ID)),
			"lines": []map[string]any{{"productId": a.id(gid.KindProduct, int64(p.ID)), "counted": 3}}, "idempotencyKey": key()}}
	}},
	"setReorderPoint": {setReorderPoint, shopStaff, func(a *api) map[string]any {
		p := a.stocked(a.homeFac, a.homeShop, 5)
		return map[string]any{"in": map[string]any{"locationId": a.id(gid.KindLocation, int64(a.homeShop.ID)),
			"productId": a.id(gid.KindProduct, int64(p.ID)), "reorderPoint": 10}}
	}},

	// From the partner's shop to the home shop: a request from the destination's
	// staff, an offer from the source's manager; the partner's clerk may do neither.
	"requestTransfer": {requestTransfer, []string{"clerk", "otherManager", "manager", "admin"}, func(a *api) map[string]any {
		p := a.stocked(a.partnerFac, a.partnerShop, 5)
		return map[string]any{"in": map[string]any{"fromLocationId": a.id(gid.KindLocation, int64(a.partnerShop.ID)),
			"toLocationId": a.id(gid.KindLocation, int64(a.homeShop.ID)),
			"lines":        []map[string]any{{"productId": a.id(gid.KindProduct, int64(p.ID)), "quantity": 2}}, "idempotencyKey": key()}}
	}},
	// From the home warehouse to the partner's shop: the home managers approve and ship.
	"approveTransfer": {approveTransfer, managers, func(a *api) map[string]any {
		t := a.transfer(a.warehouse, a.partnerShop, "otherManager", tsunagu.TransferRequested)
		return map[string]any{"in": map[string]any{"transferId": a.id(gid.KindTransfer, int64(t.ID)), "idempotencyKey": key()}}
	}},
	"shipTransfer": {shipTransfer, managers, func(a *api) map[string]any {
		t := a.transfer(a.warehouse, a.partnerShop, "manager", tsunagu.TransferApproved)
		return map[string]any{"in": map[string]any{"transferId": a.id(gid.KindTransfer, int64(t.ID)), "idempotencyKey": key()}}
	}},
	// From the home warehouse to the home shop: the shop's clerk may receive.
	"receiveTransfer": {receiveTransfer, shopStaff, func(a *api) map[string]any {
		t := a.transfer(a.warehouse, a.homeShop, "manager", tsunagu.TransferShipped)
		return map[string]any{"in": map[string]any{"transferId": a.id(gid.KindTransfer, int64(t.ID)), "idempotencyKey": key()}}
	}},
	"cancelTransfer": {cancelTransfer, shopStaff, func(a *api) map[string]any {
		t := a.transfer(a.warehouse, a.homeShop, "clerk", tsunagu.TransferRequested)
		return map[string]any{"in": map[string]any{"transferId": a.id(gid.KindTransfer, int64(t.ID)), "reason": "不要", "idempotencyKey": key()}}
	}},

	"updateShop": {updateShop, managers, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"shopId": a.id(gid.KindLocation, int64(a.homeShop.ID)),
			"operatorName": "港区" + key()[:6], "registrationNumber": "T7000012050002", "rounding": "HALF_UP"}}
	}},
	"createRegister": {createRegister, managers, func(a *api) map[string]any {
		a.shop()
		return map[string]any{"in": map[string]any{"shopId": a.id(gid.KindLocation, int64(a.homeShop.ID)), "name": "レジ" + key()[:6]}}
	}},
	"openRegisterSession": {openSession, shopStaff, func(a *api) map[string]any {
		r := a.register()
		return map[string]any{"in": map[string]any{"registerId": a.id(gid.KindRegister, int64(r.ID)), "openingFloat": 30000, "idempotencyKey": key()}}
	}},
	"closeRegisterSession": {closeSession, shopStaff, func(a *api) map[string]any {
		s := a.session()
		return map[string]any{"in": map[string]any{"sessionId": a.id(gid.KindSession, int64(s.ID)), "countedCash": 30000, "idempotencyKey": key()}}
	}},
	"recordCashMovement": {recordCashMovement, shopStaff, func(a *api) map[string]any {
		s := a.session()
		return map[string]any{"in": map[string]any{"sessionId": a.id(gid.KindSession, int64(s.ID)), "type": "IN",
			"amount": 1000, "reason": "両替", "idempotencyKey": key()}}
	}},
	"createSale": {createSale, shopStaff, func(a *api) map[string]any {
		s := a.session()
		p := a.stocked(a.homeFac, a.homeShop, 5)
		return map[string]any{"in": saleInput(a, s, p, 1)}
	}},
	"voidSale": {voidSale, shopStaff, func(a *api) map[string]any {
		sale := a.sale()
		return map[string]any{"in": map[string]any{"saleId": a.id(gid.KindSale, int64(sale.ID)), "idempotencyKey": key()}}
	}},
	"refundSale": {refundSale, shopStaff, func(a *api) map[string]any {
		sale := a.sale()
		return map[string]any{"in": map[string]any{"saleId": a.id(gid.KindSale, int64(sale.ID)),
			"sessionId": a.id(gid.KindSession, int64(sale.SessionID)), "idempotencyKey": key()}}
	}},

	"markOrderReady": {markOrderReady, shopStaff, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"orderId": a.id(gid.KindOrder, int64(a.paidOrder(tsunagu.FulfilPickup).ID)), "idempotencyKey": key()}}
	}},
	"completeOrder": {completeOrder, shopStaff, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"orderId": a.id(gid.KindOrder, int64(a.paidOrder(tsunagu.FulfilPickup).ID)), "idempotencyKey": key()}}
	}},
	"shipOrder": {shipOrder, shopStaff, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"orderId": a.id(gid.KindOrder, int64(a.paidOrder(tsunagu.FulfilDelivery).ID)),
			"carrier": "ヤマト運輸", "trackingNumber": "1234", "idempotencyKey": key()}}
	}},
	"cancelOrder": {cancelOrder, shopStaff, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"orderId": a.id(gid.KindOrder, int64(a.paidOrder(tsunagu.FulfilPickup).ID)),
			"idempotencyKey": key()}}
	}},
	"refundOrder": {refundOrder, shopStaff, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"orderId": a.id(gid.KindOrder, int64(a.paidOrder(tsunagu.FulfilPickup).ID)),
			"lines": []map[string]any{{"lineNumber": 1, "quantity": 1}}, "idempotencyKey": key()}}
	}},
	"createTerminalSale": {createTerminalSale, shopStaff, func(a *api) map[string]any {
		s := a.session()
		p := a.stocked(a.homeFac, a.homeShop, 5)
		return map[string]any{"in": map[string]any{"sessionId": a.id(gid.KindSession, int64(s.ID)),
			"lines":          []map[string]any{{"productId": a.id(gid.KindProduct, int64(p.ID)), "quantity": 1}},
			"idempotencyKey": key()}}
	}},
	"confirmTerminalSale": {confirmTerminalSale, shopStaff, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"saleId": a.id(gid.KindSale, int64(a.terminalSale().ID))}}
	}},
	"cancelTerminalSale": {cancelTerminalSale, shopStaff, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"saleId": a.id(gid.KindSale, int64(a.terminalSale().ID)), "idempotencyKey": key()}}
	}},
	// A clerk of the home shop: the home managers may invite one, nobody else below admin.
	"inviteStaff": {inviteStaff, managers, func(a *api) map[string]any {
		return map[string]any{"in": map[string]any{"email": "invitee-" + key() + "@example.jp", "role": "CLERK",
			"shopId": a.id(gid.KindLocation, int64(a.homeShop.ID)), "idempotencyKey": key()}}
	}},
	// A clerk of the home shop, made for each run: the home managers may deactivate them.
	"deactivateStaff": {deactivateStaff, managers, func(a *api) map[string]any {
		u, err := a.auth.CreateUser(a.adminCtx(), postgres.NewUserInput{Email: "leaving-" + key() + "@example.jp",
			Password: "a long password", Name: "退職", Role: tsunagu.RoleClerk, ShopID: &a.homeShop.ID})
		must(a.t, err)
		return map[string]any{"in": map[string]any{"userId": a.id(gid.KindUser, int64(u.ID))}}
	}},
	"setShippingRule": {setShippingRule, managers, func(a *api) map[string]any {
		a.shop()
		return map[string]any{"in": map[string]any{"shopId": a.id(gid.KindLocation, int64(a.homeShop.ID)),
			"fee": shippingFees.Add(1), "freeAbove": 3000}}
	}},
	"setCommission": {setCommission, managers, func(a *api) map[string]any {
		a.shop()
		return map[string]any{"in": map[string]any{"shopId": a.id(gid.KindLocation, int64(a.homeShop.ID)),
			"basisPoints": 1500, "effectiveFrom": "2026-04-01"}}
	}},
	// The home shop's next month to close (from January 2020 on, one per run).
	"closeSettlementMonth": {closeSettlementMonth, managers, func(a *api) map[string]any {
		a.shop()
		return map[string]any{"in": map[string]any{"shopId": a.id(gid.KindLocation, int64(a.homeShop.ID)),
			"month": a.nextCloseMonth().String()}}
	}},
	"markSettlementPaid": {markSettlementPaid, managers, func(a *api) map[string]any {
		id := a.closedStatement()
		return map[string]any{"in": map[string]any{"id": id, "paidOn": time.Now().In(jst).Format(time.DateOnly),
			"reference": "振込 " + key()}}
	}},
}

// hiddenFrom lists, per mutation, the refused roles that cannot see its object at
// all and so get NOT_FOUND: a transfer is seen only by the staff of the shops and
// municipalities it involves, never by facility staff. Every other refused role gets FORBIDDEN.
var hiddenFrom = map[string][]string{
	"approveTransfer": {"clerk", "facility", "otherFacility"},
	"shipTransfer":    {"clerk", "facility", "otherFacility"},
	"receiveTransfer": {"otherClerk", "otherManager", "facility", "otherFacility"},
	"cancelTransfer":  {"otherClerk", "otherManager", "facility", "otherFacility"},
	// A statement of the home facility at the home shop.
	"markSettlementPaid": {"otherManager"},
	// Facility staff see no other facility's products at all.
	"updateProduct":  {"otherFacility"},
	"archiveProduct": {"otherFacility"},
	"importProducts": {"otherFacility"},
}

// shippingFees makes each setShippingRule case set a new fee.
var shippingFees atomic.Int64

// Mutations that need no authorization: signing in and out, a shopper's sign-up and
// checkout (guests order too), and a password reset or an invitation's acceptance
// by e-mail (the link's token is the credential); TestSignUpAndCheckout tests
// sign-up and checkout, TestPasswordResetAPI the reset, TestAcceptInvitationAPI
// the acceptance.
var publicMutations = map[string]bool{"login": true, "logout": true, "signUp": true, "checkout": true,
	"requestPasswordReset": true, "resetPassword": true, "acceptInvitation": true}

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for name, c := range authzMatrix {
		for _, role := range roles {
			t.Run(fmt.Sprintf("%s/as %q", name, role), func(t *testing.T) {
				vars := c.vars(a)
				before := a.snapshot()
				errs, code := a.mutate(role, name, c.query, vars)
				switch {
				case role == "":
					if code != "UNAUTHENTICATED" {
						t.Fatalf("anonymous: GraphQL error %q, want UNAUTHENTICATED", code)
					}
				case !slices.Contains(c.allowed, role):
					want := "FORBIDDEN"
					if slices.Contains(hiddenFrom[name], role) {
						want = "NOT_FOUND"
					}
					if code != want {
						t.Fatalf("GraphQL error %q (userErrors %v), want %s", code, errs, want)
					}
				default:
					if code != "" || len(errs) > 0 {
						t.Fatalf("refused: GraphQL error %q, userErrors %+v", code, errs)
					}
					if a.snapshot() == before {
						t.Error("the mutation succeeded but changed nothing")
					}
					if auditedMutations[name] && a.auditEntries(name) == 0 {
						t.Errorf("%s succeeded but wrote no audit log entry", name)
					}
					return
				}
				a.unchanged(before)
			})
		}
	}
}

func TestAuthorizationMatrixCoversSchema(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for _, f := range schema.Mutation.Fields {
		if _, ok := authzMatrix[f.Name]; !ok && !publicMutations[f.Name] {
			t.Errorf("mutation %s has no entry in authzMatrix", f.Name)
		}
	}
	for _, f := range schema.Mutation.Fields {
		if auditedMutations[f.Name] == notAudited[f.Name] {
			t.Errorf("mutation %s must be in exactly one of auditedMutations and notAudited", f.Name)
		}
	}
	for _, f := range schema.Subscription.Fields {
		if _, ok := subscriptionMatrix[f.Name]; !ok {
			t.Errorf("subscription %s has no entry in subscriptionMatrix", f.Name)
		}
	}
}

// A manager reading drafts of another municipality through the API sees nothing, and
// a draft is NOT_FOUND to other managers (they cannot tell it exists).
func TestDraftOfAnotherMunicipality(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	p := a.product(a.homeFac, "下書き", tsunagu.StatusDraft)
	before := a.snapshot()
	_, code := a.mutate("otherManager", "updateProduct", updateProduct, map[string]any{"in": map[string]any{
		"id": a.id(gid.KindProduct, int64(p.ID)), "price": 1}})
	if code != "NOT_FOUND" {
		t.Errorf("code %q, want NOT_FOUND", code)
	}
	a.unchanged(before)
}

// key returns a fresh idempotency key.
func key() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}
