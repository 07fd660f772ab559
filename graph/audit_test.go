package graph_test

import (
	"encoding/json"
	"testing"

	"tsunagu/graph/gid"
)

// auditedMutations write an audit log entry when they change something: every
// administrative and money mutation. TestAuthorizationMatrix checks that each
// allowed run writes one; TestAuthorizationMatrixCoversSchema that every mutation
// is in this list or in notAudited.
var auditedMutations = map[string]bool{
	"createFacility": true, "updateFacility": true, "createProduct": true, "updateProduct": true,
	"archiveProduct": true, "importProducts": true, "updateShop": true, "createRegister": true, "closeRegisterSession": true,
	"recordCashMovement": true, "voidSale": true, "refundSale": true, "cancelOrder": true,
	"refundOrder": true, "setShippingRule": true, "inviteStaff": true, "deactivateStaff": true,
	"acceptInvitation": true, "setCommission": true, "closeSettlementMonth": true, "markSettlementPaid": true,
}

// notAudited are the mutations whose own records are their audit trail: the stock
// ledger (adjustments, stocktakes, transfers with their events), the receipts of
// sales, the orders a shopper places and the steps of their fulfilment, which the
// order's own timestamps and actors record; and signing in and out.
var notAudited = map[string]bool{
	"login": true, "logout": true, "signUp": true, "requestPasswordReset": true, "resetPassword": true,
	"adjustStock": true, "recordStocktake": true, "setReorderPoint": true,
	"requestTransfer": true, "approveTransfer": true, "shipTransfer": true, "receiveTransfer": true, "cancelTransfer": true,
	"openRegisterSession": true, "createSale": true, "createTerminalSale": true, "confirmTerminalSale": true, "cancelTerminalSale": true,
	"checkout": true, "markOrderReady": true, "completeOrder": true, "shipOrder": true,
	// A link to upload a picture through changes nothing yet; the product edit
	// that shows the picture is audited.
	"createImageUpload": true,
}

// auditEntries counts the audit log's entries of action.
func (a *api) auditEntries(action string) int {
	a.t.Helper()
	var n int
	if err := a.db.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

const auditLogQuery = `query($f: AuditLogFilter) { auditLog(filter: $f, first: 10) {
	edges { node { action objectType objectId actor { email } municipality { code } changes { field before after } } } } }`

type auditLogResponse struct {
	AuditLog struct {
		Edges []struct {
			Node struct {
				Action, ObjectType, ObjectID string
				Actor                        *struct{ Email string }
				Municipality                 *struct{ Code string }
				Changes                      []struct{ Field, Before, After string }
			}
		}
	}
}

// A manager's change of a facility is in the log with who made it and the fields
// before and after; the municipality's manager and admins read it, another
// municipality's manager does not see it, a clerk is refused.
func TestAuditLog(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	facID := a.id(gid.KindFacility, int64(a.homeFac.ID))
	oldName := a.homeFac.Name
	errs, code := a.mutate("manager", "updateFacility", updateFacility,
		map[string]any{"in": map[string]any{"id": facID, "name": "改名した施設"}})
	if code != "" || len(errs) > 0 {
		t.Fatalf("updateFacility: %q %v", code, errs)
	}
	// A refused change writes nothing.
	before := a.auditEntries("updateFacility")
	if _, code := a.mutate("otherManager", "updateFacility", updateFacility,
		map[string]any{"in": map[string]any{"id": facID, "name": "乗っ取り"}}); code != "FORBIDDEN" {
		t.Fatalf("otherManager: %q, want FORBIDDEN", code)
	}
	if n := a.auditEntries("updateFacility"); n != before {
		t.Fatalf("a refused update wrote %d entries", n-before)
	}

	vars := map[string]any{"f": map[string]any{"objectId": facID}}
	for _, as := range []string{"manager", "admin"} {
		var got auditLogResponse
		a.ok(as, auditLogQuery, vars, &got)
		// Newest first: the update, then the creation by the fixture's loader, which
		// acts as the system with no account.
		if len(got.AuditLog.Edges) != 2 {
			t.Fatalf("%s sees %d entries of the facility, want 2", as, len(got.AuditLog.Edges))
		}
		if c := got.AuditLog.Edges[1].Node; c.Action != "createFacility" || c.Actor != nil {
			t.Errorf("%s: first entry %+v, want createFacility by nobody", as, c)
		}
		n := got.AuditLog.Edges[0].Node
		if n.Action != "updateFacility" || n.ObjectType != "Facility" || n.ObjectID != facID ||
			n.Actor == nil || n.Actor.Email != "manager@example.jp" || n.Municipality == nil || n.Municipality.Code != a.home.Code {
			t.Errorf("%s: entry %+v", as, n)
		}
		oldJSON, _ := json.Marshal(oldName)
		if len(n.Changes) != 1 || n.Changes[0].Field != "name" || n.Changes[0].Before != string(oldJSON) || n.Changes[0].After != `"改名した施設"` {
			t.Errorf("%s: changes %+v, want only name %s → \"改名した施設\"", as, n.Changes, oldJSON)
		}
	}
	var other auditLogResponse
	a.ok("otherManager", auditLogQuery, vars, &other)
	if len(other.AuditLog.Edges) != 0 {
		t.Errorf("another municipality's manager sees %d entries of the facility", len(other.AuditLog.Edges))
	}
	for as, want := range map[string]string{"clerk": "FORBIDDEN", "": "UNAUTHENTICATED"} {
		if code := a.do(as, auditLogQuery, vars).code(); code != want {
			t.Errorf("auditLog as %q: %q, want %s", as, code, want)
		}
	}
	if code := a.do("admin", auditLogQuery, map[string]any{"f": map[string]any{"actorId": facID}}).code(); code != "NOT_FOUND" {
		t.Errorf("a facility's ID as actorId: %q, want NOT_FOUND", code)
	}
}

// Nobody can change or remove an entry, not even the API's own database role.
func TestAuditLogIsAppendOnly(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	if _, code := a.mutate("manager", "updateFacility", updateFacility,
		map[string]any{"in": map[string]any{"id": a.id(gid.KindFacility, int64(a.homeFac.ID)), "name": "改名"}}); code != "" {
		t.Fatal(code)
	}
	before := a.snapshot()
	for _, stmt := range []string{`UPDATE audit_log SET action = 'x'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		if _, err := a.db.SQL().Exec(stmt); err == nil {
			t.Errorf("%s succeeded", stmt)
		}
	}
	a.unchanged(before)
}
