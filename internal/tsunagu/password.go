package tsunagu

import (
	"strings"
	"unicode/utf8"
)

// The password rules follow NIST SP 800-63B: a length, no composition rules (they
// lead to Password1!), long passphrases welcome.
const (
	MinStaffPassword   = 12 // staff handle other people's money and goods
	MinShopperPassword = 8
	MaxPasswordLength  = 256
)

// CheckPassword checks a new password for an account of role with email: at least
// MinStaffPassword characters for staff and MinShopperPassword for shoppers, at most
// MaxPasswordLength, not only spaces, and not the e-mail address itself. Errors are
// on input.password: OUT_OF_RANGE for the length, TOO_LONG, INVALID_INPUT otherwise.
func CheckPassword(password, email string, role Role) error {
	min := MinStaffPassword
	if role == RoleCustomer {
		min = MinShopperPassword
	}
	n := utf8.RuneCountInString(password)
	switch {
	case n > MaxPasswordLength:
		return Errorf(CodeTooLong, "input.password", "A password can be at most %d characters.", MaxPasswordLength)
	case strings.TrimSpace(password) == "" && n > 0:
		return Errorf(CodeInvalidInput, "input.password", "A password cannot be only spaces.")
	case n < min:
		return Errorf(CodeOutOfRange, "input.password", "Use a password of at least %d characters; a few words in a row are easy to remember.", min)
	case email != "" && strings.EqualFold(strings.TrimSpace(password), strings.TrimSpace(email)):
		return Errorf(CodeInvalidInput, "input.password", "The password cannot be your e-mail address.")
	}
	return nil
}
