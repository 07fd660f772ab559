package consoleweb_test

import (
	"testing"
)

// 港区's manager invites a facility's new staff member, and reads the change in the
// audit log; a FACILITY account has no administration in its navigation.
func TestManagerInvitesStaffAndReadsTheAuditLogInChromium(t *testing.T) {
	n := newNetwork(t)
	b := n.openAs(t, "console-admin", managerEmail)
	b.TabTo("nav-admin")
	b.Do("to the administration", key("\r"))
	focusOnHeading(t, b, "管理")
	b.Do("a bad address", typeIn("#iv-email", "not-an-address"), click("#iv-send"))
	b.WaitText("#iv-email-err", "メール")
	b.Do("the address", typeIn("#iv-email", "new@niji.example"), click("#iv-send"))
	b.WaitText("#iv-done", "new@niji.example")
	b.CheckA11y("admin")
	b.Width(320)
	b.CheckReflow("admin-320")
	b.Width(1280)
	b.Do("to the audit log", click("#to-audit"))
	focusOnHeading(t, b, "監査ログ")
	b.WaitText("#audit", "inviteStaff")
	b.CheckA11y("audit")

	switchUser(n, b, facilityEmail)
	if b.Eval(`String(!!document.getElementById("nav-admin"))`) != "false" {
		t.Error("a facility account is offered the administration")
	}
}
