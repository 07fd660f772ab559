package postgres_test

import (
	"context"
	"testing"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// A manager moves a clerk of their shop to the staff of their facility: the
// account takes the facility's scope, its sessions end, and the audit log has the
// before and after; the same change again changes nothing.
func TestUpdateStaff(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	mover := w.user(w.admin, "mover", postgres.NewUserInput{Role: tsunagu.RoleClerk, ShopID: &w.homeShop.ID})
	id := tsunagu.UserFrom(mover).ID
	in := tsunagu.UpdateStaffInput{UserID: id, Role: tsunagu.RoleFacility, FacilityID: &w.homeFac.ID}
	u, err := w.auth.UpdateStaff(w.manager, in)
	must(t, err)
	if u.Role != tsunagu.RoleFacility || u.FacilityID == nil || *u.FacilityID != w.homeFac.ID || u.ShopID != nil ||
		u.MunicipalityID == nil || *u.MunicipalityID != w.home.ID {
		t.Errorf("updated account %+v", u)
	}
	if _, err := w.auth.Authenticate(ctx, tsunagu.TokenFrom(mover)); tsunagu.ErrorCode(err) != tsunagu.CodeUnauthenticated {
		t.Errorf("the moved account's old token: %v, want UNAUTHENTICATED", err)
	}
	var entries int
	must(t, w.db.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'updateStaff' AND object_id = $1`, id).Scan(&entries))
	if entries != 1 {
		t.Errorf("%d audit entries, want 1", entries)
	}
	s, err := w.auth.Login(ctx, tsunagu.LoginInput{Email: "mover@example.jp", Password: "password-mover"})
	must(t, err)
	before := w.snapshot()
	_, err = w.auth.UpdateStaff(w.admin, in)
	must(t, err)
	w.unchanged(before)
	if _, err := w.auth.Authenticate(ctx, s.Token); err != nil {
		t.Errorf("a session after an update that changed nothing: %v", err)
	}
}

func TestUpdateStaffRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	user := func(ctx context.Context) tsunagu.UserID { return tsunagu.UserFrom(ctx).ID }
	customer := tsunagu.UserFrom(w.signedUp(tsunagu.SignUpInput{Email: "shopper@example.jp", Name: "客", Password: "a long password"}))
	clerk := user(w.clerk)
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		in    tsunagu.UpdateStaffInput
		code  tsunagu.Code
		field string
	}{
		{"ErrOwnRole", w.manager, tsunagu.UpdateStaffInput{UserID: user(w.manager), Role: tsunagu.RoleAdmin}, tsunagu.CodeForbidden, ""},
		{"ErrAdminOwnRole", w.admin, tsunagu.UpdateStaffInput{UserID: user(w.admin), Role: tsunagu.RoleManager, MunicipalityID: &w.home.ID}, tsunagu.CodeForbidden, ""},
		{"ErrManagerMakesManager", w.manager, tsunagu.UpdateStaffInput{UserID: clerk, Role: tsunagu.RoleManager, MunicipalityID: &w.home.ID}, tsunagu.CodeForbidden, ""},
		{"ErrManagerMakesAdmin", w.manager, tsunagu.UpdateStaffInput{UserID: clerk, Role: tsunagu.RoleAdmin}, tsunagu.CodeForbidden, ""},
		{"ErrOtherMunicipalitysClerk", w.manager, tsunagu.UpdateStaffInput{UserID: user(w.otherClerk), Role: tsunagu.RoleClerk, ShopID: &w.homeShop.ID}, tsunagu.CodeForbidden, ""},
		{"ErrToOtherMunicipality", w.manager, tsunagu.UpdateStaffInput{UserID: clerk, Role: tsunagu.RoleClerk, ShopID: &w.partnerShop.ID}, tsunagu.CodeForbidden, ""},
		{"ErrToOtherMunicipalitysFacility", w.manager, tsunagu.UpdateStaffInput{UserID: clerk, Role: tsunagu.RoleFacility, FacilityID: &w.partnerFac.ID}, tsunagu.CodeForbidden, ""},
		{"ErrManagerDemotesManager", w.manager, tsunagu.UpdateStaffInput{UserID: user(w.otherManager), Role: tsunagu.RoleClerk, ShopID: &w.homeShop.ID}, tsunagu.CodeForbidden, ""},
		{"ErrClerk", w.clerk, tsunagu.UpdateStaffInput{UserID: user(w.otherClerk), Role: tsunagu.RoleClerk, ShopID: &w.homeShop.ID}, tsunagu.CodeForbidden, ""},
		{"ErrAnonymous", context.Background(), tsunagu.UpdateStaffInput{UserID: clerk, Role: tsunagu.RoleClerk, ShopID: &w.homeShop.ID}, tsunagu.CodeUnauthenticated, ""},
		{"ErrUnknownUser", w.admin, tsunagu.UpdateStaffInput{UserID: 999999, Role: tsunagu.RoleClerk, ShopID: &w.homeShop.ID}, tsunagu.CodeNotFound, "input.userId"},
		{"ErrShopper", w.admin, tsunagu.UpdateStaffInput{UserID: customer.ID, Role: tsunagu.RoleClerk, ShopID: &w.homeShop.ID}, tsunagu.CodeNotFound, "input.userId"},
		{"ErrNoShop", w.manager, tsunagu.UpdateStaffInput{UserID: clerk, Role: tsunagu.RoleClerk}, tsunagu.CodeRequired, "input.shopId"},
		{"ErrNotAShop", w.manager, tsunagu.UpdateStaffInput{UserID: clerk, Role: tsunagu.RoleClerk, ShopID: &w.warehouse.ID}, tsunagu.CodeNotFound, "input.shopId"},
		{"ErrCustomerRole", w.admin, tsunagu.UpdateStaffInput{UserID: clerk, Role: tsunagu.RoleCustomer}, tsunagu.CodeInvalidInput, "input.role"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := w.snapshot()
			_, err := w.auth.UpdateStaff(tc.ctx, tc.in)
			w.refusedAs(t, before, err, tc.code, tc.field)
		})
	}
	for _, ctx := range []context.Context{w.admin, w.manager, w.otherManager, w.clerk, w.otherClerk} {
		if _, err := w.auth.Authenticate(context.Background(), tsunagu.TokenFrom(ctx)); err != nil {
			t.Errorf("a session after refused updates: %v", err)
		}
	}
}

// Changing one's password ends the other sessions and keeps this one; the old
// password no longer signs in; a retry succeeds and changes nothing.
func TestChangePassword(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	other, err := w.auth.Login(ctx, tsunagu.LoginInput{Email: "clerk@example.jp", Password: "password-clerk"})
	must(t, err)
	in := tsunagu.ChangePasswordInput{CurrentPassword: "password-clerk", NewPassword: "a new long password"}
	must(t, w.auth.ChangePassword(w.clerk, in))
	if _, err := w.auth.Authenticate(ctx, tsunagu.TokenFrom(w.clerk)); err != nil {
		t.Errorf("the session that changed the password: %v, want it kept", err)
	}
	if _, err := w.auth.Authenticate(ctx, other.Token); tsunagu.ErrorCode(err) != tsunagu.CodeUnauthenticated {
		t.Errorf("another session: %v, want UNAUTHENTICATED", err)
	}
	if _, err := w.auth.Login(ctx, tsunagu.LoginInput{Email: "clerk@example.jp", Password: "password-clerk"}); tsunagu.ErrorCode(err) != tsunagu.CodeInvalidCredentials {
		t.Errorf("the old password: %v, want INVALID_CREDENTIALS", err)
	}
	var entries int
	must(t, w.db.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'changePassword'`).Scan(&entries))
	if entries != 1 {
		t.Errorf("%d audit entries, want 1", entries)
	}
	before := w.snapshot()
	must(t, w.auth.ChangePassword(w.clerk, in))
	w.unchanged(before)
	if _, err := w.auth.Login(ctx, tsunagu.LoginInput{Email: "clerk@example.jp", Password: in.NewPassword}); err != nil {
		t.Errorf("the new password: %v", err)
	}
}

func TestChangePasswordRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		in    tsunagu.ChangePasswordInput
		code  tsunagu.Code
		field string
	}{
		{"ErrWrongCurrent", w.clerk, tsunagu.ChangePasswordInput{CurrentPassword: "not the password", NewPassword: "a new long password"}, tsunagu.CodeInvalidCredentials, "input.currentPassword"},
		{"ErrShortNew", w.clerk, tsunagu.ChangePasswordInput{CurrentPassword: "password-clerk", NewPassword: "short"}, tsunagu.CodeOutOfRange, "input.newPassword"},
		{"ErrNewIsEmail", w.clerk, tsunagu.ChangePasswordInput{CurrentPassword: "password-clerk", NewPassword: "clerk@example.jp"}, tsunagu.CodeInvalidInput, "input.newPassword"},
		{"ErrAnonymous", context.Background(), tsunagu.ChangePasswordInput{CurrentPassword: "password-clerk", NewPassword: "a new long password"}, tsunagu.CodeUnauthenticated, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := w.snapshot()
			err := w.auth.ChangePassword(tc.ctx, tc.in)
			w.refusedAs(t, before, err, tc.code, tc.field)
		})
	}
	// Guesses of the current password count towards sign-in's back-off: one
	// counted, then a long run of them as if made (set in the database, so that
	// the wait is the longest and no machine's slowness outlasts it).
	err := w.auth.ChangePassword(w.manager, tsunagu.ChangePasswordInput{CurrentPassword: "a guess", NewPassword: "a new long password"})
	if tsunagu.ErrorCode(err) != tsunagu.CodeInvalidCredentials {
		t.Fatalf("a wrong guess: %v", err)
	}
	res, err := w.db.SQL().Exec(`UPDATE login_failures SET failures = 30 WHERE email = 'manager@example.jp'`)
	must(t, err)
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("the guess was not counted (%d rows)", n)
	}
	before := w.snapshot()
	err = w.auth.ChangePassword(w.manager, tsunagu.ChangePasswordInput{CurrentPassword: "password-manager", NewPassword: "a new long password"})
	w.refused(t, before, err, tsunagu.CodeTooManyLoginAttempts, "input.currentPassword")
}
