package tsunagu

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The parsers below share one shape: Parse<Thing>(s, field) trims s, accepts the
// full-width forms a Japanese input method produces (１３１０３２, Ｔ, ＠, －), and returns
// the canonical form or an *Error whose Field is field. Empty input (after trimming)
// is always REQUIRED, so a caller validating an optional input checks for "" first.

// foldInput trims s and turns full-width ASCII (U+FF01–U+FF5E) and the ideographic
// space into plain ASCII, because clerks type codes with a Japanese IME switched on.
func foldInput(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '！' && r <= '～':
			return r - '！' + '!'
		case r == '\u3000':
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// firstNonDigit returns the first rune of s that is not an ASCII digit, and whether
// there is one.
func firstNonDigit(s string) (rune, bool) {
	for _, r := range s {
		if r < '0' || r > '9' {
			return r, true
		}
	}
	return 0, false
}

func isDigits(s string) bool {
	_, found := firstNonDigit(s)
	return !found
}

// ---- 全国地方公共団体コード -------------------------------------------------------

// MunicipalityCheckDigit returns the check digit of a municipality code
// (全国地方公共団体コード, JIS X 0402) from its first five digits: the digits weighted
// 6, 5, 4, 3, 2 are summed, and the check digit is the last digit of 11 minus the sum
// mod 11 (so a remainder of 0 gives 1 and a remainder of 1 gives 0).
// For "13103" it returns 2.
//
// first5 must be exactly five ASCII digits; otherwise it returns
// INVALID_MUNICIPALITY_CODE with an empty Field.
func MunicipalityCheckDigit(first5 string) (int, error) {
	if len(first5) != 5 || !isDigits(first5) {
		return 0, Errorf(CodeInvalidMunicipalityCode, "",
			"A municipality code's check digit is computed from 5 digits, not %q.", first5)
	}
	return municipalityCheck(first5), nil
}

func municipalityCheck(first5 string) int {
	sum := 0
	for i := 0; i < 5; i++ {
		sum += int(first5[i]-'0') * (6 - i)
	}
	return (11 - sum%11) % 10
}

// ParseMunicipalityCode returns the 6-digit municipality code in s, such as "131032"
// for 港区. Spaces around it and full-width digits are accepted.
//
// It returns REQUIRED when s is empty, and INVALID_MUNICIPALITY_CODE when s holds
// anything but digits, is not 6 digits long (a 5-digit code is told which check digit
// to add), or ends in the wrong check digit. Errors carry field.
func ParseMunicipalityCode(s, field string) (string, error) {
	s = foldInput(s)
	if s == "" {
		return "", Errorf(CodeRequired, field, "Enter the municipality code.")
	}
	if r, found := firstNonDigit(s); found {
		return "", Errorf(CodeInvalidMunicipalityCode, field,
			"A municipality code has only digits; %q is not a digit.", r)
	}
	switch {
	case len(s) == 5:
		return "", Errorf(CodeInvalidMunicipalityCode, field,
			"A municipality code must be 6 digits, with the check digit at the end: for %s it is %s%d.",
			s, s, municipalityCheck(s))
	case len(s) != 6:
		return "", Errorf(CodeInvalidMunicipalityCode, field,
			"A municipality code must be 6 digits, like 131032; this one has %d.", len(s))
	}
	if want, got := municipalityCheck(s[:5]), int(s[5]-'0'); want != got {
		return "", Errorf(CodeInvalidMunicipalityCode, field,
			"Municipality code %s is not valid: its check digit should be %d, not %d. Please check every digit.",
			s, want, got)
	}
	return s, nil
}

// ---- JAN / EAN product codes -------------------------------------------------------

// ProductCodeKind says what a product code is.
type ProductCodeKind string

const (
	// ProductCodeJAN13 is a 13-digit JAN (EAN-13) code printed by the maker.
	ProductCodeJAN13 ProductCodeKind = "JAN13"
	// ProductCodeJAN8 is an 8-digit short JAN (EAN-8) code printed by the maker.
	ProductCodeJAN8 ProductCodeKind = "JAN8"
	// ProductCodeInStore is an in-store code (インストアコード) that a shop or facility
	// prints itself: 13 digits starting with 02 or 20–29, or 8 digits starting with 2.
	// It is unique only within the network, never worldwide.
	ProductCodeInStore ProductCodeKind = "IN_STORE"
)

// ProductCode is a verified JAN, EAN or in-store code. Code holds only ASCII digits,
// check digit included.
type ProductCode struct {
	Code string
	Kind ProductCodeKind
}

// JANCheckDigit returns the GS1 mod-10 check digit for body, the digits of a JAN/EAN
// code without its check digit (12 digits for JAN-13, 7 for JAN-8): digits are weighted
// 3, 1, 3, … from the right, and the check digit brings the sum to a multiple of 10.
// JANCheckDigit("490123456789") is 4.
//
// It panics if body holds anything but ASCII digits: it is meant for generating codes,
// and input from people goes through ParseProductCode.
func JANCheckDigit(body string) int {
	if r, found := firstNonDigit(body); found {
		panic(fmt.Sprintf("tsunagu.JANCheckDigit: %q is not a digit in %q", r, body))
	}
	sum := 0
	for n := 1; n <= len(body); n++ { // n counts from the right
		d := int(body[len(body)-n] - '0')
		if n%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return (10 - sum%10) % 10
}

// ParseProductCode verifies a scanned or typed JAN-13, JAN-8 or in-store code and tells
// which kind it is. Spaces around it and full-width digits are accepted.
//
// It returns REQUIRED when s is empty, and INVALID_JAN when s holds anything but digits,
// is neither 13 nor 8 digits long, or ends in the wrong check digit (the message says
// which digit the code should end in). Errors carry field.
func ParseProductCode(s, field string) (ProductCode, error) {
	s = foldInput(s)
	if s == "" {
		return ProductCode{}, Errorf(CodeRequired, field, "Enter the JAN code.")
	}
	if r, found := firstNonDigit(s); found {
		return ProductCode{}, Errorf(CodeInvalidJAN, field,
			"A JAN code has only digits; %q is not a digit.", r)
	}
	if len(s) != 13 && len(s) != 8 {
		return ProductCode{}, Errorf(CodeInvalidJAN, field,
			"A JAN code must be 13 digits (or 8 for a short code); this one has %d.", len(s))
	}
	body, last := s[:len(s)-1], int(s[len(s)-1]-'0')
	if want := JANCheckDigit(body); want != last {
		return ProductCode{}, Errorf(CodeInvalidJAN, field,
			"JAN code %s is not valid: its last digit should be %d, not %d. Please check every digit or scan it again.",
			s, want, last)
	}
	return ProductCode{Code: s, Kind: productCodeKind(s)}, nil
}

func productCodeKind(code string) ProductCodeKind {
	if len(code) == 8 {
		if code[0] == '2' {
			return ProductCodeInStore
		}
		return ProductCodeJAN8
	}
	if code[0] == '2' || code[:2] == "02" {
		return ProductCodeInStore
	}
	return ProductCodeJAN13
}

// ---- 適格請求書発行事業者登録番号 ---------------------------------------------------

// CorporateCheckDigit returns the check digit of a corporate number (法人番号) from its
// 12-digit base: 9 − (Σ Pn×Qn mod 9), where Pn is the n-th digit counted from the right
// of the base and Qn is 1 for odd n and 2 for even n. The result is always 1–9, and it
// becomes the FIRST digit of the 13-digit number. CorporateCheckDigit("000012050002")
// is 7 (国税庁, 7000012050002).
//
// It panics unless base12 is exactly 12 ASCII digits: it is meant for generating
// numbers, and input from people goes through ParseRegistrationNumber.
func CorporateCheckDigit(base12 string) int {
	if len(base12) != 12 || !isDigits(base12) {
		panic(fmt.Sprintf("tsunagu.CorporateCheckDigit: want 12 digits, got %q", base12))
	}
	sum := 0
	for n := 1; n <= 12; n++ {
		p := int(base12[12-n] - '0')
		if n%2 == 0 {
			p *= 2
		}
		sum += p
	}
	return 9 - sum%9
}

// ParseRegistrationNumber returns the qualified-invoice registration number
// (適格請求書発行事業者登録番号) in s as "T" followed by 13 digits. A lower-case t,
// full-width characters and spaces around it are accepted.
//
// The 13 digits are checked as a corporate number, whose first digit is the check digit
// of the other twelve (see CorporateCheckDigit). Like every mod-9 check it cannot tell
// a 0 from a 9 in the same place, so it catches most, not all, typing mistakes.
//
// It returns REQUIRED when s is empty, and INVALID_REGISTRATION_NUMBER when the T is
// missing (the message shows the number with a T), anything else but 13 digits follows
// it, or the check digit is wrong. Errors carry field.
func ParseRegistrationNumber(s, field string) (string, error) {
	s = foldInput(s)
	if s == "" {
		return "", Errorf(CodeRequired, field, "Enter the invoice registration number.")
	}
	digits, hasT := strings.CutPrefix(s, "T")
	if !hasT {
		digits, hasT = strings.CutPrefix(s, "t")
	}
	if r, found := firstNonDigit(digits); found {
		return "", Errorf(CodeInvalidRegistrationNumber, field,
			"An invoice registration number is T and 13 digits, like T7000012050002; %q does not belong in it.", r)
	}
	if len(digits) != 13 {
		return "", Errorf(CodeInvalidRegistrationNumber, field,
			"An invoice registration number is T and 13 digits, like T7000012050002; this one has %d digits.", len(digits))
	}
	if want, got := CorporateCheckDigit(digits[1:]), int(digits[0]-'0'); want != got {
		return "", Errorf(CodeInvalidRegistrationNumber, field,
			"Registration number T%s is not valid: its first digit (the check digit) should be %d, not %d. Please check every digit.",
			digits, want, got)
	}
	if !hasT {
		return "", Errorf(CodeInvalidRegistrationNumber, field,
			"An invoice registration number starts with T: T%s.", digits)
	}
	return "T" + digits, nil
}

// ---- email ----------------------------------------------------------------------

// ParseEmail returns the email address in s with its domain in lower case
// ("Hanako@Example.JP" → "Hanako@example.jp"; the local part is left as typed, since
// mail servers may treat it case-sensitively). Spaces around it and full-width ASCII
// (＠) are accepted.
//
// Only a bare address is accepted: no display name, angle brackets, comments or quoted
// local part. The domain must be a host name with at least one dot (no "localhost", no
// [IP] literal), made of labels of letters, digits and inner hyphens, with a top-level
// label that is not all digits. The address is at most 254 bytes and its local part at
// most 64.
//
// It returns REQUIRED when s is empty, and INVALID_EMAIL otherwise. Errors carry field.
func ParseEmail(s, field string) (string, error) {
	s = foldInput(s)
	if s == "" {
		return "", Errorf(CodeRequired, field, "Enter an email address.")
	}
	const example = "Enter an email address like name@example.jp"
	if len(s) > 254 {
		return "", Errorf(CodeInvalidEmail, field, "This email address is too long; an address has at most 254 characters.")
	}
	if !strings.Contains(s, "@") {
		return "", Errorf(CodeInvalidEmail, field, "%s; this one has no @.", example)
	}
	addr, err := mail.ParseAddress(s)
	if err != nil {
		return "", Errorf(CodeInvalidEmail, field, "%s.", example)
	}
	if addr.Name != "" || addr.Address != s {
		return "", Errorf(CodeInvalidEmail, field, "%s: only the address, without a name, <>, quotes or comments.", example)
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if len(local) > 64 {
		return "", Errorf(CodeInvalidEmail, field, "The part before @ is too long; it has at most 64 characters.")
	}
	if !validMailDomain(domain) {
		return "", Errorf(CodeInvalidEmail, field, "%s: the part after @ should be a domain such as example.jp.", example)
	}
	return local + "@" + strings.ToLower(domain), nil
}

func validMailDomain(domain string) bool {
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		}
	}
	return !isDigits(labels[len(labels)-1])
}

// ---- 郵便番号 -----------------------------------------------------------------------

// ParsePostalCode returns the Japanese postal code in s as "NNN-NNNN". It accepts seven
// digits with or without a hyphen after the third ("1050011", "105-0011"), full-width
// digits, a leading 〒, and the dashes an IME may produce (－, ー, ‐, −).
//
// It returns REQUIRED when s is empty, and INVALID_POSTAL_CODE otherwise. Errors carry
// field.
func ParsePostalCode(s, field string) (string, error) {
	s = foldInput(s)
	s = strings.TrimSpace(strings.TrimPrefix(s, "〒"))
	if s == "" {
		return "", Errorf(CodeRequired, field, "Enter the postal code.")
	}
	if len(s) > 3 {
		if r, size := utf8.DecodeRuneInString(s[3:]); isDash(r) {
			s = s[:3] + s[3+size:]
		}
	}
	if len(s) != 7 || !isDigits(s) {
		return "", Errorf(CodeInvalidPostalCode, field,
			"A postal code is 7 digits, like 105-0011.")
	}
	return s[:3] + "-" + s[3:], nil
}

func isDash(r rune) bool {
	switch r {
	case '-', 'ー', '‐', '‑', '–', '—', '―', '−', 'ｰ':
		return true
	}
	return false
}
