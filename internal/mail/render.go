package mail

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"text/template"

	"tsunagu/internal/tsunagu"
)

// OrderData is the payload of the order messages, as the transaction that decided
// the message wrote it (so that the e-mail says what was true then).
type OrderData struct {
	Number         int64  `json:"orderId"`
	Name           string `json:"name"`
	ShopName       string `json:"shopName"`
	Fulfilment     string `json:"fulfilment"`
	Total          int64  `json:"total"`
	Refunded       int64  `json:"refunded"`
	Carrier        string `json:"carrier"`
	TrackingNumber string `json:"trackingNumber"`
	// Lines are the goods, named in the recipient's language where the catalog
	// has the name (else as at checkout), in the order of the order's lines.
	Lines []OrderLineData `json:"lines"`
}

// OrderLineData is one line of the goods of an order message.
type OrderLineData struct {
	Name     string `json:"name"`
	Quantity int    `json:"quantity"`
	Amount   int64  `json:"amount"`
}

// AccountData is the payload of the messages about an account: a one-time link's
// secret, erased from the outbox once the message is sent.
type AccountData struct {
	Name  string `json:"name"`
	Token string `json:"token"`
	// Inviter is who sent a staff invitation.
	Inviter string `json:"inviter"`
	// Link is the link the message carries, made by Render from the site and Token.
	Link string `json:"-"`
}

// accountPaths are the pages of the web apps the account messages link to, by kind.
var accountPaths = map[Kind]string{
	KindPasswordReset:     "/reset-password",
	KindStaffInvitation:   "/accept-invitation",
	KindEmailVerification: "/verify-email",
	KindAccountExists:     "/sign-in",
}

// Pickup reports whether the shopper collects the order at the shop.
func (d OrderData) Pickup() bool { return d.Fulfilment == string(tsunagu.FulfilPickup) }

// text is one message in one language: a subject and a plain-text body, as
// text/template sources over the message's data.
type text struct{ subject, body string }

// Render writes m as an e-mail in its recipient's language (Japanese when the
// locale has no text); links start with site, the web apps' public base URL. It
// fails for a kind it does not know or a payload it cannot read; trying again
// cannot cure either.
func Render(m Message, site string) (*Email, error) {
	texts, ok := templates[m.Kind]
	if !ok {
		return nil, &PermanentError{fmt.Errorf("mail: unknown kind %q", m.Kind)}
	}
	locale := m.Locale
	if _, ok := texts[locale]; !ok {
		locale = tsunagu.LocaleJA
	}
	var data any
	switch m.Kind {
	case KindOrderPaid, KindOrderReady, KindOrderShipped, KindOrderCancelled, KindOrderRefunded:
		var d OrderData
		if err := json.Unmarshal(m.Payload, &d); err != nil {
			return nil, &PermanentError{fmt.Errorf("mail: message %d: %w", m.ID, err)}
		}
		data = d
	case KindPasswordReset, KindStaffInvitation, KindEmailVerification:
		var d AccountData
		if err := json.Unmarshal(m.Payload, &d); err != nil || d.Token == "" {
			return nil, &PermanentError{fmt.Errorf("mail: message %d: no token (%v)", m.ID, err)}
		}
		d.Link = strings.TrimRight(site, "/") + accountPaths[m.Kind] + "?token=" + url.QueryEscape(d.Token)
		data = d
	case KindAccountExists:
		var d AccountData
		if err := json.Unmarshal(m.Payload, &d); err != nil {
			return nil, &PermanentError{fmt.Errorf("mail: message %d: %w", m.ID, err)}
		}
		d.Link = strings.TrimRight(site, "/") + accountPaths[m.Kind]
		data = d
	}
	t := texts[locale]
	subject, err := execute(t.subject, locale, data)
	if err != nil {
		return nil, &PermanentError{err}
	}
	body, err := execute(t.body, locale, data)
	if err != nil {
		return nil, &PermanentError{err}
	}
	return &Email{
		To:        m.Recipient,
		Subject:   strings.TrimSpace(subject),
		Text:      strings.TrimSpace(body) + "\n\n" + signature[locale] + "\n",
		Language:  locale.Tag(),
		MessageID: messageID(m),
	}, nil
}

func execute(src string, locale tsunagu.Locale, data any) (string, error) {
	t, err := template.New("").Option("missingkey=error").Funcs(template.FuncMap{
		"yen": func(n int64) string { return Yen(locale, n) },
	}).Parse(src)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Yen writes an amount of yen as readers of locale expect it: 1,200円, ¥1,200, 1,200日元, 1,200엔.
func Yen(locale tsunagu.Locale, n int64) string {
	num := tsunagu.GroupDigits(n)
	switch locale {
	case tsunagu.LocaleEN:
		return "¥" + num
	case tsunagu.LocaleZH:
		return num + "日元"
	case tsunagu.LocaleKO:
		return num + "엔"
	}
	return num + "円"
}
