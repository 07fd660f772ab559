package tsunagu_test

import (
	"testing"
	"time"

	"tsunagu/internal/tsunagu"
)

func TestLoginBackoff(t *testing.T) {
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {1, 0}, {tsunagu.FreeLoginFailures - 1, 0},
		{tsunagu.FreeLoginFailures, time.Second},
		{tsunagu.FreeLoginFailures + 1, 2 * time.Second},
		{tsunagu.FreeLoginFailures + 9, 512 * time.Second},
		{tsunagu.FreeLoginFailures + 10, tsunagu.MaxLoginBackoff},
		{1000, tsunagu.MaxLoginBackoff},
	} {
		if got := tsunagu.LoginBackoff(tc.failures); got != tc.want {
			t.Errorf("LoginBackoff(%d) = %v, want %v", tc.failures, got, tc.want)
		}
	}
	s := tsunagu.LoginBackoffSchedule()
	for i, secs := range s {
		if want := int64(tsunagu.LoginBackoff(i+1) / time.Second); secs != want {
			t.Errorf("schedule[%d] = %d, want %d", i, secs, want)
		}
	}
	if last := s[len(s)-1]; last != int64(tsunagu.MaxLoginBackoff/time.Second) {
		t.Errorf("schedule ends at %d s, want the cap", last)
	}
}
