package tsunagu_test

import (
	"strings"
	"testing"

	"tsunagu/internal/tsunagu"
)

func TestCheckPassword(t *testing.T) {
	const email = "Hanako@Example.JP"
	for _, c := range []struct {
		name, password string
		role           tsunagu.Role
		code           tsunagu.Code
	}{
		{"ShopperEight", "abcdefgh", tsunagu.RoleCustomer, ""},
		{"ErrShopperSeven", "abcdefg", tsunagu.RoleCustomer, tsunagu.CodeOutOfRange},
		{"StaffTwelve", "correct hors", tsunagu.RoleClerk, ""},
		{"ErrStaffEleven", "correcthors", tsunagu.RoleManager, tsunagu.CodeOutOfRange},
		{"ErrAdminEleven", "correcthors", tsunagu.RoleAdmin, tsunagu.CodeOutOfRange},
		{"NoCompositionRules", "ぜんぶひらがなでもよい", tsunagu.RoleCustomer, ""},
		{"Passphrase256", strings.Repeat("あ", 256), tsunagu.RoleClerk, ""},
		{"ErrTooLong", strings.Repeat("a", 257), tsunagu.RoleClerk, tsunagu.CodeTooLong},
		{"ErrOnlySpaces", strings.Repeat(" ", 12), tsunagu.RoleClerk, tsunagu.CodeInvalidInput},
		{"ErrOnlyFullWidthSpaces", strings.Repeat("\u3000", 12), tsunagu.RoleClerk, tsunagu.CodeInvalidInput},
		{"ErrTheEmail", "hanako@example.jp", tsunagu.RoleCustomer, tsunagu.CodeInvalidInput},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := tsunagu.CheckPassword(c.password, email, c.role)
			if tsunagu.ErrorCode(err) != c.code {
				t.Fatalf("%v, want %q", err, c.code)
			}
			if errs := tsunagu.UserErrors(err); err != nil && (len(errs) != 1 || errs[0].Field != "input.password") {
				t.Errorf("field of %v", err)
			}
		})
	}
}
