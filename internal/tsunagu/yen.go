package tsunagu

import (
	"strconv"
	"strings"
)

// Yen writes n yen as receipts and messages print it: ¥1,234, -¥1,234.
func Yen(n int64) string {
	if n < 0 {
		return "-¥" + GroupDigits(n)[1:]
	}
	return "¥" + GroupDigits(n)
}

// GroupDigits writes n with its digits in groups of three: 1,234, -1,234.
func GroupDigits(n int64) string {
	mag := uint64(n)
	if n < 0 {
		mag = -mag // exact for every int64, the smallest included
	}
	digits := strconv.FormatUint(mag, 10)
	var b strings.Builder
	if n < 0 {
		b.WriteByte('-')
	}
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}
