package smtp_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/mail"
	"tsunagu/internal/smtp"
)

func TestParseURL(t *testing.T) {
	for _, c := range []struct {
		url  string
		want smtp.Config
	}{
		{"smtp://mail.example.jp", smtp.Config{Host: "mail.example.jp", Port: 587, TLS: smtp.TLSStartTLS, Timeout: 30 * time.Second}},
		{"smtp://u%40city:p%2Fw@mail.example.jp:2525?tls=opportunistic&timeout=10s",
			smtp.Config{Host: "mail.example.jp", Port: 2525, Username: "u@city", Password: "p/w", TLS: smtp.TLSOpportunistic, Timeout: 10 * time.Second}},
		{"smtp://127.0.0.1:1025?tls=none", smtp.Config{Host: "127.0.0.1", Port: 1025, TLS: smtp.TLSNone, Timeout: 30 * time.Second}},
		{"smtps://u:p@mail.example.jp", smtp.Config{Host: "mail.example.jp", Port: 465, Username: "u", Password: "p", TLS: smtp.TLSImplicit, Timeout: 30 * time.Second}},
	} {
		got, err := smtp.ParseURL(c.url)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", c.url, err)
			continue
		}
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("ParseURL(%q) (-want +got):\n%s", c.url, d)
		}
	}
	for _, bad := range []string{"http://mail.example.jp", "smtp://", "smtp://h?tls=maybe", "smtps://h?tls=none",
		"smtp://h:99999", "smtp://h?timeout=soon", "smtp://h?timeout=-1s", "smtp://h?timeout=46s"} {
		if _, err := smtp.ParseURL(bad); err == nil {
			t.Errorf("ParseURL(%q) = nil error, want one", bad)
		}
	}
}

// The longest send the transport allows ends well within the time the outbox holds
// a claimed message; otherwise a second process could send it too.
func TestMaxTimeoutWithinClaim(t *testing.T) {
	if 2*smtp.MaxTimeout+15*time.Second > mail.Backoff(1) {
		t.Errorf("a send may take 2 × %v; a claim holds a message %v", smtp.MaxTimeout, mail.Backoff(1))
	}
}
