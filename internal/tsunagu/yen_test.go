package tsunagu_test

import (
	"math"
	"testing"

	"tsunagu/internal/tsunagu"
)

func TestYen(t *testing.T) {
	for _, c := range []struct {
		n           int64
		yen, groups string
	}{
		{0, "¥0", "0"},
		{999, "¥999", "999"},
		{1000, "¥1,000", "1,000"},
		{-1234567, "-¥1,234,567", "-1,234,567"},
		{math.MinInt64, "-¥9,223,372,036,854,775,808", "-9,223,372,036,854,775,808"},
	} {
		if got := tsunagu.Yen(c.n); got != c.yen {
			t.Errorf("Yen(%d) = %q, want %q", c.n, got, c.yen)
		}
		if got := tsunagu.GroupDigits(c.n); got != c.groups {
			t.Errorf("GroupDigits(%d) = %q, want %q", c.n, got, c.groups)
		}
	}
}
