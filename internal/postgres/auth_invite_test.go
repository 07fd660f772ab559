package postgres_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"tsunagu/internal/mailpit"
	"tsunagu/internal/tsunagu"
)

var inviteKeys atomic.Int64

func inviteKey() string { return fmt.Sprintf("invite-%d", inviteKeys.Add(1)) }

// invitationToken reads the token of the last invitation to email from the outbox.
func (w *world) invitationToken(email string) string { return w.mailedToken("STAFF_INVITATION", email) }

// mailedToken reads the token of the last message of kind to email from the outbox.
func (w *world) mailedToken(kind, email string) string {
	w.t.Helper()
	var token string
	must(w.t, w.db.SQL().QueryRow(`SELECT payload->>'token' FROM notifications
		WHERE recipient = $1 AND kind = $2 ORDER BY id DESC LIMIT 1`, email, kind).Scan(&token))
	return token
}

var inviteLink = regexp.MustCompile(`https://tsunagu\.example\.jp/accept-invitation\?token=(\S+)`)

// A manager invites a clerk of their shop; the link arrives by e-mail, makes the
// account once (a second acceptance is INVALID_TOKEN and changes nothing), and a
// retried invitation returns the first without a second e-mail.
func TestInviteStaff(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t)
	w := newWorld(t)
	ctx := context.Background()
	email := strings.ToLower(mailbox("invite"))
	in := tsunagu.InviteStaffInput{Email: " " + strings.ToUpper(email), Role: tsunagu.RoleClerk, ShopID: &w.homeShop.ID,
		Locale: tsunagu.LocaleJAEasy, IdempotencyKey: inviteKey()}
	inv, err := w.auth.InviteStaff(w.manager, in)
	must(t, err)
	if inv.Email != email || inv.Role != tsunagu.RoleClerk || *inv.ShopID != w.homeShop.ID || *inv.MunicipalityID != w.home.ID {
		t.Errorf("invitation %+v", inv)
	}
	again, err := w.auth.InviteStaff(w.manager, in)
	must(t, err)
	if again.ID != inv.ID {
		t.Errorf("a retry made invitation %d, want the first, %d", again.ID, inv.ID)
	}

	s := sender(t, w.db, mp.SMTPURL())
	s.Site = "https://tsunagu.example.jp"
	if sent, _, err := s.SendDue(ctx); err != nil || sent != 1 {
		t.Fatalf("sent %d, %v; want 1 (one e-mail for the invitation and its retry)", sent, err)
	}
	m := mp.Message(t, mp.WaitFor(t, email, 1)[0].ID)
	if !strings.Contains(m.Subject, "スタッフに なって ください") || !strings.Contains(m.Text, "manager さんが") {
		t.Errorf("subject %q, text:\n%s", m.Subject, m.Text)
	}
	found := inviteLink.FindStringSubmatch(m.Text)
	if found == nil {
		t.Fatalf("no link in:\n%s", m.Text)
	}
	token, err := url.QueryUnescape(found[1])
	must(t, err)

	sess, err := w.auth.AcceptInvitation(ctx, tsunagu.AcceptInvitationInput{Token: token, Name: " 鈴木 ", Password: "my own password"})
	must(t, err)
	if u := sess.User; u.Email != email || u.Name != "鈴木" || u.Role != tsunagu.RoleClerk || *u.ShopID != w.homeShop.ID {
		t.Errorf("account %+v", u)
	}
	if _, err := w.auth.Authenticate(ctx, sess.Token); err != nil {
		t.Errorf("the new session: %v", err)
	}

	t.Run("ErrAcceptedTwice", func(t *testing.T) {
		before := w.snapshot()
		_, err := w.auth.AcceptInvitation(ctx, tsunagu.AcceptInvitationInput{Token: token, Name: "別人", Password: "another password"})
		w.refused(t, before, err, tsunagu.CodeInvalidToken, "input.token")
	})
}

func TestInviteStaffRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	partner := w.partner.ID
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		in    tsunagu.InviteStaffInput
		code  tsunagu.Code
		field string
	}{
		{"ErrManagerInvitesAdmin", w.manager, tsunagu.InviteStaffInput{Role: tsunagu.RoleAdmin}, tsunagu.CodeForbidden, ""},
		{"ErrManagerInvitesManager", w.manager, tsunagu.InviteStaffInput{Role: tsunagu.RoleManager, MunicipalityID: &w.home.ID}, tsunagu.CodeForbidden, ""},
		{"ErrOtherMunicipalitysClerk", w.manager, tsunagu.InviteStaffInput{Role: tsunagu.RoleClerk, ShopID: &w.partnerShop.ID}, tsunagu.CodeForbidden, ""},
		{"ErrClerkInvites", w.clerk, tsunagu.InviteStaffInput{Role: tsunagu.RoleClerk, ShopID: &w.homeShop.ID}, tsunagu.CodeForbidden, ""},
		{"ErrAddressHasAccount", w.admin, tsunagu.InviteStaffInput{Email: "Clerk@example.jp", Role: tsunagu.RoleClerk, ShopID: &w.homeShop.ID}, tsunagu.CodeDuplicate, "input.email"},
		{"ErrNoShop", w.admin, tsunagu.InviteStaffInput{Role: tsunagu.RoleClerk}, tsunagu.CodeRequired, "input.shopId"},
		{"ErrNotAShop", w.admin, tsunagu.InviteStaffInput{Role: tsunagu.RoleClerk, ShopID: &w.warehouse.ID}, tsunagu.CodeNotFound, "input.shopId"},
		{"ErrCustomerRole", w.admin, tsunagu.InviteStaffInput{Role: tsunagu.RoleCustomer}, tsunagu.CodeInvalidInput, "input.role"},
		{"ErrNotAnEmail", w.admin, tsunagu.InviteStaffInput{Email: "nobody", Role: tsunagu.RoleManager, MunicipalityID: &partner}, tsunagu.CodeInvalidEmail, "input.email"},
		{"ErrOtherMunicipalitysFacility", w.manager, tsunagu.InviteStaffInput{Role: tsunagu.RoleFacility, FacilityID: &w.partnerFac.ID}, tsunagu.CodeForbidden, ""},
		{"ErrNoFacility", w.admin, tsunagu.InviteStaffInput{Role: tsunagu.RoleFacility}, tsunagu.CodeRequired, "input.facilityId"},
		{"ErrUnknownFacility", w.admin, tsunagu.InviteStaffInput{Role: tsunagu.RoleFacility, FacilityID: ptrTo(tsunagu.FacilityID(999999))}, tsunagu.CodeNotFound, "input.facilityId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.IdempotencyKey = inviteKey()
			if tc.in.Email == "" {
				tc.in.Email = "new-staff@example.jp"
			}
			before := w.snapshot()
			_, err := w.auth.InviteStaff(tc.ctx, tc.in)
			w.refusedAs(t, before, err, tc.code, tc.field)
		})
	}
	t.Run("AdminInvitesPartnerManager", func(t *testing.T) {
		inv, err := w.auth.InviteStaff(w.admin, tsunagu.InviteStaffInput{Email: "partner-manager@example.jp",
			Role: tsunagu.RoleManager, MunicipalityID: &partner, IdempotencyKey: inviteKey()})
		must(t, err)
		s, err := w.auth.AcceptInvitation(context.Background(), tsunagu.AcceptInvitationInput{
			Token: w.invitationToken("partner-manager@example.jp"), Name: "旭川 花子", Password: "a long password"})
		must(t, err)
		if s.User.Role != tsunagu.RoleManager || *s.User.MunicipalityID != partner || inv.ExpiresAt.IsZero() {
			t.Errorf("account %+v, invitation %+v", s.User, inv)
		}
	})
	// A manager appoints the staff of their municipality's facility: the account
	// is scoped to the facility, in the facility's municipality.
	t.Run("ManagerInvitesFacilityStaff", func(t *testing.T) {
		_, err := w.auth.InviteStaff(w.manager, tsunagu.InviteStaffInput{Email: "maker@example.jp",
			Role: tsunagu.RoleFacility, FacilityID: &w.homeFac.ID, IdempotencyKey: inviteKey()})
		must(t, err)
		s, err := w.auth.AcceptInvitation(context.Background(), tsunagu.AcceptInvitationInput{
			Token: w.invitationToken("maker@example.jp"), Name: "虹 太郎", Password: "a long password"})
		must(t, err)
		u := s.User
		if u.Role != tsunagu.RoleFacility || u.FacilityID == nil || *u.FacilityID != w.homeFac.ID ||
			u.MunicipalityID == nil || *u.MunicipalityID != w.home.ID || u.ShopID != nil {
			t.Errorf("account %+v", u)
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		_, err := w.auth.InviteStaff(w.manager, tsunagu.InviteStaffInput{Email: "late@example.jp",
			Role: tsunagu.RoleClerk, ShopID: &w.homeShop.ID, IdempotencyKey: inviteKey()})
		must(t, err)
		// The 72 hours have passed (moved back in the database, not waited for).
		_, err = w.db.SQL().Exec(`UPDATE staff_invitations SET expires_at = now() - interval '1 second' WHERE email = 'late@example.jp'`)
		must(t, err)
		before := w.snapshot()
		_, err = w.auth.AcceptInvitation(context.Background(), tsunagu.AcceptInvitationInput{
			Token: w.invitationToken("late@example.jp"), Name: "遅刻", Password: "a long password"})
		w.refused(t, before, err, tsunagu.CodeInvalidToken, "input.token")
	})
	t.Run("ErrNoName", func(t *testing.T) {
		before := w.snapshot()
		_, err := w.auth.AcceptInvitation(context.Background(), tsunagu.AcceptInvitationInput{Token: "tsu_x", Name: " ", Password: "a long password"})
		w.refused(t, before, err, tsunagu.CodeRequired, "input.name")
	})
}
