// Package smtp sends Tsunagu's e-mail over SMTP (github.com/wneessen/go-mail): the
// mail.Transport of the outbox sender, configured by one URL (SMTP_URL).
package smtp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"tsunagu/internal/mail"
)

// TLS is how the connection is encrypted.
type TLS string

const (
	// TLSImplicit: TLS from the first byte (smtps://, port 465).
	TLSImplicit TLS = "implicit"
	// TLSStartTLS: STARTTLS, and refuse to send without it (smtp:// by default).
	TLSStartTLS TLS = "starttls"
	// TLSOpportunistic: STARTTLS when the server offers it, plain text otherwise.
	TLSOpportunistic TLS = "opportunistic"
	// TLSNone: plain text, for a server on loopback such as mailpit.
	TLSNone TLS = "none"
)

// Config is where and how to send.
type Config struct {
	Host               string
	Port               int
	Username, Password string
	TLS                TLS
	// Timeout bounds connecting and each SMTP command.
	Timeout time.Duration
}

// ParseURL reads SMTP_URL:
//
//	smtp://user:password@host:port?tls=starttls|opportunistic|none
//	smtps://user:password@host:port
//
// smtp:// requires STARTTLS unless tls says otherwise, and defaults to port 587;
// smtps:// is TLS from the start, port 465. The user and password are optional
// (no authentication without them) and URL-escaped. timeout=30s bounds connecting
// and then sending, each; at most MaxTimeout, so that one send ends well within
// the time the outbox holds a claimed message (mail.Backoff(1)).
func ParseURL(s string) (Config, error) {
	u, err := url.Parse(s)
	if err != nil {
		return Config{}, fmt.Errorf("SMTP_URL: %w", err)
	}
	c := Config{Host: u.Hostname(), Timeout: 30 * time.Second}
	q := u.Query()
	switch u.Scheme {
	case "smtp":
		c.TLS, c.Port = TLSStartTLS, 587
		if t := q.Get("tls"); t != "" {
			c.TLS = TLS(t)
		}
		switch c.TLS {
		case TLSStartTLS, TLSOpportunistic, TLSNone:
		default:
			return Config{}, fmt.Errorf("SMTP_URL: tls=%q: want starttls, opportunistic or none (or an smtps:// URL)", c.TLS)
		}
	case "smtps":
		c.TLS, c.Port = TLSImplicit, 465
		if t := q.Get("tls"); t != "" && t != string(TLSImplicit) {
			return Config{}, fmt.Errorf("SMTP_URL: an smtps:// URL is TLS from the start; tls=%q does not apply", t)
		}
	default:
		return Config{}, fmt.Errorf("SMTP_URL: want smtp:// or smtps://, got %q", u.Scheme)
	}
	if c.Host == "" {
		return Config{}, errors.New("SMTP_URL: no host")
	}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port < 1 || c.Port > 65535 {
			return Config{}, fmt.Errorf("SMTP_URL: port %q", p)
		}
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if t := q.Get("timeout"); t != "" {
		if c.Timeout, err = time.ParseDuration(t); err != nil || c.Timeout <= 0 || c.Timeout > MaxTimeout {
			return Config{}, fmt.Errorf("SMTP_URL: timeout=%q is not a duration like 30s, at most %v", t, MaxTimeout)
		}
	}
	return c, nil
}

// MaxTimeout bounds SMTP_URL's timeout: a send (connect, then send, each within
// the timeout) must end well within mail.Backoff(1), the time a claimed message is
// held, or another process could send it too.
const MaxTimeout = 45 * time.Second

// Addr is the server's host:port.
func (c Config) Addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// Transport sends each e-mail on a connection of its own, from one address.
type Transport struct {
	conf Config
	from string
}

// New returns a Transport for conf sending from from ("Name <address>" or an address).
func New(conf Config, from string) (*Transport, error) {
	m := gomail.NewMsg()
	if err := m.From(from); err != nil {
		return nil, fmt.Errorf("MAIL_FROM %q: %w", from, err)
	}
	return &Transport{conf: conf, from: from}, nil
}

func (t *Transport) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(t.conf.Port), gomail.WithTimeout(t.conf.Timeout)}
	switch t.conf.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if t.conf.Username != "" {
		// The strongest mechanism the server offers; never PLAIN or LOGIN without TLS.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(t.conf.Username), gomail.WithPassword(t.conf.Password))
	}
	return gomail.NewClient(t.conf.Host, opts...)
}

// Send delivers e to the SMTP server as UTF-8 plain text. A recipient the server
// refuses for good (a 5xx answer to RCPT TO) is a mail.PermanentError; anything
// else (the server away, refusing for now, a timeout) may succeed later.
func (t *Transport) Send(ctx context.Context, e *mail.Email) error {
	m := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := m.From(t.from); err != nil {
		return err
	}
	if err := m.To(e.To); err != nil {
		return &mail.PermanentError{Err: fmt.Errorf("recipient %q: %w", e.To, err)}
	}
	m.Subject(e.Subject)
	m.SetMessageIDWithValue(trimAngles(e.MessageID))
	m.SetDate()
	if e.Language != "" {
		m.SetGenHeader(gomail.HeaderContentLang, e.Language)
	}
	m.SetBodyString(gomail.TypeTextPlain, e.Text)
	c, err := t.client()
	if err != nil {
		return err
	}
	err = c.DialAndSendWithContext(ctx, m)
	var se *gomail.SendError
	if errors.As(err, &se) && se.Reason == gomail.ErrSMTPRcptTo && !se.IsTemp() {
		return &mail.PermanentError{Err: err}
	}
	return err
}

// Ping reports whether the server takes TCP connections, for the readiness check:
// no SMTP session, so that a load balancer's frequent checks cost the mail server
// nothing (a wrong password shows in the send failures instead).
func (t *Transport) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	c, err := (&net.Dialer{}).DialContext(ctx, "tcp", t.conf.Addr())
	if err != nil {
		return fmt.Errorf("%s unreachable: %w", t.conf.Addr(), err)
	}
	return c.Close()
}

func trimAngles(id string) string {
	if len(id) >= 2 && id[0] == '<' && id[len(id)-1] == '>' {
		return id[1 : len(id)-1]
	}
	return id
}
