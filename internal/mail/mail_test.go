package mail_test

import (
	"errors"
	"testing"
	"time"

	"tsunagu/internal/mail"
)

func TestBackoff(t *testing.T) {
	if mail.MaxAttempts != 8 {
		t.Errorf("MaxAttempts = %d, want 8", mail.MaxAttempts)
	}
	prev := time.Duration(0)
	var total time.Duration
	for a := 1; a <= mail.MaxAttempts; a++ {
		d := mail.Backoff(a)
		if d <= prev {
			t.Errorf("Backoff(%d) = %v, not longer than %v", a, d, prev)
		}
		if s := mail.BackoffSeconds()[a-1]; time.Duration(s)*time.Second != d {
			t.Errorf("BackoffSeconds()[%d] = %d, Backoff = %v", a-1, s, d)
		}
		prev = d
		total += d
	}
	if mail.Backoff(0) != 2*time.Minute || mail.Backoff(99) != 24*time.Hour {
		t.Errorf("Backoff(0) = %v, Backoff(99) = %v", mail.Backoff(0), mail.Backoff(99))
	}
	if total < 24*time.Hour || total > 3*24*time.Hour {
		t.Errorf("a message is given up after %v; want between one and three days", total)
	}
	temp := errors.New("connection refused")
	if mail.GiveUp(mail.MaxAttempts-1, temp) || !mail.GiveUp(mail.MaxAttempts, temp) {
		t.Error("GiveUp should be false before the last attempt and true at it")
	}
}
