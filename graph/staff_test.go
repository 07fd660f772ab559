package graph_test

import (
	"testing"

	"github.com/alexedwards/argon2id"

	"tsunagu/graph/gid"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

const (
	updateStaff    = `mutation($in: UpdateStaffInput!) { updateStaff(input: $in) { user { id role facility { id } shop { id } } userErrors { code field message } } }`
	changePassword = `mutation($in: ChangePasswordInput!) { changePassword(input: $in) { userErrors { code field message } } }`
)

// matrixPassword is every fixture user's password in changePassword's matrix runs.
const matrixPassword = "the matrix's own password"

func init() {
	// A clerk of the home shop, made for each run, becomes staff of the home
	// facility: the home managers may do it.
	authzMatrix["updateStaff"] = authzCase{updateStaff, managers, func(a *api) map[string]any {
		u, err := a.auth.CreateUser(a.adminCtx(), postgres.NewUserInput{Email: "moving-" + key() + "@example.jp",
			Password: "a long password", Name: "異動", Role: tsunagu.RoleClerk, ShopID: &a.homeShop.ID})
		must(a.t, err)
		return map[string]any{"in": map[string]any{"userId": a.id(gid.KindUser, int64(u.ID)), "role": "FACILITY",
			"facilityId": a.id(gid.KindFacility, int64(a.homeFac.ID))}}
	}}
	// Everyone signed in changes their own password (each fixture user's is set
	// to matrixPassword first, so that one input serves every role).
	authzMatrix["changePassword"] = authzCase{changePassword, everyone, func(a *api) map[string]any {
		hash, err := argon2id.CreateHash(matrixPassword, a.auth.PasswordParams)
		must(a.t, err)
		_, err = a.db.SQL().Exec(`UPDATE users SET password_hash = $1`, hash)
		must(a.t, err)
		return map[string]any{"in": map[string]any{"currentPassword": matrixPassword, "newPassword": "a new password " + key()}}
	}}
	auditedMutations["updateStaff"] = true
	auditedMutations["changePassword"] = true
}

// everyone is every signed-in fixture user.
var everyone = roles[1:]

// Through the API: nobody changes their own role; a manager changes no other
// municipality's clerk and makes no manager; each refusal changes nothing.
func TestUpdateStaffAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	otherClerk := tsunagu.UserFrom(a.ctxs["otherClerk"]).ID
	clerk := tsunagu.UserFrom(a.ctxs["clerk"]).ID
	for _, tc := range []struct {
		name, as string
		in       map[string]any
		want     string
	}{
		{"ErrOwnRole", "manager", map[string]any{"userId": a.id(gid.KindUser, int64(tsunagu.UserFrom(a.ctxs["manager"]).ID)),
			"role": "ADMIN"}, "FORBIDDEN"},
		{"ErrOtherMunicipalitysClerk", "manager", map[string]any{"userId": a.id(gid.KindUser, int64(otherClerk)),
			"role": "CLERK", "shopId": a.id(gid.KindLocation, int64(a.homeShop.ID))}, "FORBIDDEN"},
		{"ErrManagerMakesManager", "manager", map[string]any{"userId": a.id(gid.KindUser, int64(clerk)),
			"role": "MANAGER", "municipalityId": a.id(gid.KindMunicipality, int64(a.home.ID))}, "FORBIDDEN"},
		{"ErrFacilityStaff", "facility", map[string]any{"userId": a.id(gid.KindUser, int64(clerk)),
			"role": "FACILITY", "facilityId": a.id(gid.KindFacility, int64(a.homeFac.ID))}, "FORBIDDEN"},
		{"ErrNoFacility", "manager", map[string]any{"userId": a.id(gid.KindUser, int64(clerk)), "role": "FACILITY"},
			"REQUIRED@input.facilityId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := a.snapshot()
			errs, code := a.mutate(tc.as, "updateStaff", updateStaff, map[string]any{"in": tc.in})
			if got := code + codes(errs); got != tc.want {
				t.Errorf("got %q, want %s", got, tc.want)
			}
			a.unchanged(before)
		})
	}
}

// A wrong current password is INVALID_CREDENTIALS on input.currentPassword and
// changes nothing; the right one changes it and keeps this session.
func TestChangePasswordAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	before := a.snapshot()
	errs, code := a.mutate("facility", "changePassword", changePassword, map[string]any{"in": map[string]any{
		"currentPassword": "not the password", "newPassword": "a new long password"}})
	if got := code + codes(errs); got != "INVALID_CREDENTIALS@input.currentPassword" {
		t.Errorf("got %q", got)
	}
	a.unchanged(before)
	errs, code = a.mutate("facility", "changePassword", changePassword, map[string]any{"in": map[string]any{
		"currentPassword": "password-facility", "newPassword": "a new long password"}})
	if code != "" || len(errs) > 0 {
		t.Fatalf("got %q %v", code, errs)
	}
	if r := a.do("facility", `{ me { id } }`, nil); r.code() != "" {
		t.Errorf("the session that changed the password: %q", r.code())
	}
}
