package postgres_test

import (
	"context"
	"testing"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// A manager deactivates a clerk of their shop: the clerk's session ends at once and
// the clerk cannot sign in again; deactivating again changes nothing more.
func TestDeactivateStaff(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	in := postgres.NewUserInput{Email: "leaving@example.jp", Password: "a long password", Name: "退職", Role: tsunagu.RoleClerk, ShopID: &w.homeShop.ID}
	u, err := w.auth.CreateUser(w.admin, in)
	must(t, err)
	s, err := w.auth.Login(ctx, tsunagu.LoginInput{Email: in.Email, Password: in.Password})
	must(t, err)

	got, err := w.auth.DeactivateStaff(w.manager, tsunagu.DeactivateStaffInput{UserID: u.ID})
	must(t, err)
	if got.ID != u.ID {
		t.Errorf("deactivated %+v, want user %d", got, u.ID)
	}
	if _, err := w.auth.Authenticate(ctx, s.Token); tsunagu.ErrorCode(err) != tsunagu.CodeUnauthenticated {
		t.Errorf("the deactivated user's old token: %v, want UNAUTHENTICATED", err)
	}
	if _, err := w.auth.Login(ctx, tsunagu.LoginInput{Email: in.Email, Password: in.Password}); tsunagu.ErrorCode(err) != tsunagu.CodeInvalidCredentials {
		t.Errorf("signing in after deactivation: %v, want INVALID_CREDENTIALS", err)
	}
	before := w.snapshot()
	_, err = w.auth.DeactivateStaff(w.admin, tsunagu.DeactivateStaffInput{UserID: u.ID})
	must(t, err)
	w.unchanged(before)
}

// A manager deactivates the staff of their municipality's facility.
func TestDeactivateFacilityStaff(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	maker := w.user(w.admin, "maker", postgres.NewUserInput{Role: tsunagu.RoleFacility, FacilityID: &w.homeFac.ID})
	_, err := w.auth.DeactivateStaff(w.manager, tsunagu.DeactivateStaffInput{UserID: tsunagu.UserFrom(maker).ID})
	must(t, err)
	if _, err := w.auth.Authenticate(context.Background(), tsunagu.TokenFrom(maker)); tsunagu.ErrorCode(err) != tsunagu.CodeUnauthenticated {
		t.Errorf("the deactivated facility staff's token: %v, want UNAUTHENTICATED", err)
	}
}

func TestDeactivateStaffRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	user := func(ctx context.Context) tsunagu.UserID { return tsunagu.UserFrom(ctx).ID }
	otherMaker := w.user(w.admin, "othermaker", postgres.NewUserInput{Role: tsunagu.RoleFacility, FacilityID: &w.partnerFac.ID})
	maker := w.user(w.admin, "maker", postgres.NewUserInput{Role: tsunagu.RoleFacility, FacilityID: &w.homeFac.ID})
	for _, tc := range []struct {
		name   string
		ctx    context.Context
		target tsunagu.UserID
		code   tsunagu.Code
	}{
		{"ErrOtherMunicipalitysClerk", w.manager, user(w.otherClerk), tsunagu.CodeForbidden},
		{"ErrManagerDeactivatesManager", w.manager, user(w.otherManager), tsunagu.CodeForbidden},
		{"ErrManagerDeactivatesAdmin", w.manager, user(w.admin), tsunagu.CodeForbidden},
		{"ErrClerk", w.clerk, user(w.otherClerk), tsunagu.CodeForbidden},
		{"ErrOtherMunicipalitysFacilityStaff", w.manager, user(otherMaker), tsunagu.CodeForbidden},
		{"ErrFacilityStaff", maker, user(w.clerk), tsunagu.CodeForbidden},
		{"ErrSelf", w.admin, user(w.admin), tsunagu.CodeForbidden},
		{"ErrUnknown", w.admin, 999999, tsunagu.CodeNotFound},
		{"ErrAnonymous", context.Background(), user(w.clerk), tsunagu.CodeUnauthenticated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := w.snapshot()
			_, err := w.auth.DeactivateStaff(tc.ctx, tsunagu.DeactivateStaffInput{UserID: tc.target})
			if got := tsunagu.ErrorCode(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
			w.unchanged(before)
		})
	}
	// The clerks' sessions still work.
	for _, ctx := range []context.Context{w.clerk, w.otherClerk} {
		if _, err := w.auth.Authenticate(context.Background(), tsunagu.TokenFrom(ctx)); err != nil {
			t.Errorf("a session after refused deactivations: %v", err)
		}
	}
}
