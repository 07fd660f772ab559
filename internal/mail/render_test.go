package mail_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"tsunagu/internal/mail"
	"tsunagu/internal/tsunagu"
)

const site = "https://tsunagu.example.jp/"

func orderMessage(t *testing.T, kind mail.Kind, locale tsunagu.Locale) mail.Message {
	t.Helper()
	p, err := json.Marshal(mail.OrderData{Number: 4711, Name: "Hanako", ShopName: "みなと福祉ショップ",
		Fulfilment: "DELIVERY", Total: 12345, Refunded: 2000, Carrier: "ヤマト運輸", TrackingNumber: "1234-5678-9012",
		Lines: []mail.OrderLineData{{Name: "Butter cookies", Quantity: 3, Amount: 1350}, {Name: "木のスプーン", Quantity: 1, Amount: 10995}}})
	if err != nil {
		t.Fatal(err)
	}
	return mail.Message{ID: 9, Kind: kind, Recipient: "hanako@example.jp", Locale: locale, Payload: p, Attempts: 1,
		CreatedAt: time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)}
}

// Every order message is written in every language, names the order, and carries
// what its kind is about (the amount paid or refunded, the tracking number).
func TestRenderOrderMessages(t *testing.T) {
	want := map[mail.Kind]map[tsunagu.Locale]string{
		mail.KindOrderPaid:      {tsunagu.LocaleJA: "12,345円", tsunagu.LocaleJAEasy: "12,345円", tsunagu.LocaleEN: "¥12,345", tsunagu.LocaleZH: "12,345日元", tsunagu.LocaleKO: "12,345엔"},
		mail.KindOrderRefunded:  {tsunagu.LocaleJA: "2,000円", tsunagu.LocaleJAEasy: "2,000円", tsunagu.LocaleEN: "¥2,000", tsunagu.LocaleZH: "2,000日元", tsunagu.LocaleKO: "2,000엔"},
		mail.KindOrderShipped:   {},
		mail.KindOrderReady:     {},
		mail.KindOrderCancelled: {},
	}
	// A phrase only that language's text has, so that a message in the wrong
	// language (or a copy of the Japanese) fails.
	lang := map[tsunagu.Locale]string{
		tsunagu.LocaleJA: "様", tsunagu.LocaleJAEasy: "さん", tsunagu.LocaleEN: "Dear", tsunagu.LocaleZH: "您好", tsunagu.LocaleKO: "님",
	}
	for kind, amounts := range want {
		for _, locale := range tsunagu.Locales {
			t.Run(string(kind)+"/"+string(locale), func(t *testing.T) {
				e, err := mail.Render(orderMessage(t, kind, locale), site)
				if err != nil {
					t.Fatal(err)
				}
				if e.To != "hanako@example.jp" || e.Language != locale.Tag() {
					t.Errorf("To %q Language %q", e.To, e.Language)
				}
				if !strings.Contains(e.Subject, "4711") || !strings.Contains(e.Text, "4711") {
					t.Errorf("the order number is missing:\n%s\n%s", e.Subject, e.Text)
				}
				if !strings.Contains(e.Text, lang[locale]) {
					t.Errorf("not in %s (no %q):\n%s", locale, lang[locale], e.Text)
				}
				if a := amounts[locale]; a != "" && !strings.Contains(e.Text, a) {
					t.Errorf("no %q in:\n%s", a, e.Text)
				}
				if kind == mail.KindOrderPaid {
					for _, line := range []string{"Butter cookies × 3", "木のスプーン × 1"} {
						if !strings.Contains(e.Text, line) {
							t.Errorf("the paid message lacks the line %q:\n%s", line, e.Text)
						}
					}
				}
				if kind == mail.KindOrderShipped && !strings.Contains(e.Text, "1234-5678-9012") {
					t.Errorf("no tracking number in:\n%s", e.Text)
				}
				if strings.Contains(e.Text, "<no value>") || strings.Contains(e.Subject, "\n") {
					t.Errorf("badly filled:\n%s\n%s", e.Subject, e.Text)
				}
			})
		}
	}
}

// The paid message says what comes next, which depends on how the goods travel.
func TestRenderPaidPickupOrDelivery(t *testing.T) {
	m := orderMessage(t, mail.KindOrderPaid, tsunagu.LocaleEN)
	e, err := mail.Render(m, site)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.Text, "shipped") {
		t.Errorf("a delivery should say it will be shipped:\n%s", e.Text)
	}
	m.Payload = []byte(`{"orderId": 1, "name": "A", "shopName": "S", "fulfilment": "PICKUP", "total": 100}`)
	if e, err = mail.Render(m, site); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.Text, "ready to collect") {
		t.Errorf("a pickup should say it will be ready to collect:\n%s", e.Text)
	}
}

func TestRenderFallsBackToJapanese(t *testing.T) {
	e, err := mail.Render(orderMessage(t, mail.KindOrderReady, "FR"), site)
	if err != nil {
		t.Fatal(err)
	}
	if e.Language != "ja" || !strings.Contains(e.Text, "様") {
		t.Errorf("Language %q, text:\n%s", e.Language, e.Text)
	}
}

// A message that cannot be written is given up at once: no retry would help.
func TestRenderPermanentFailures(t *testing.T) {
	for name, m := range map[string]mail.Message{
		"UnknownKind": {ID: 1, Kind: "NEWSLETTER", Payload: []byte(`{}`)},
		"BadPayload":  {ID: 2, Kind: mail.KindOrderPaid, Payload: []byte(`not json`)},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := mail.Render(m, site)
			var p *mail.PermanentError
			if !errors.As(err, &p) {
				t.Fatalf("err = %v, want a PermanentError", err)
			}
			if !mail.GiveUp(1, err) {
				t.Error("GiveUp(1, permanent) = false")
			}
		})
	}
}

// Every attempt at one message has the same Message-ID; two messages differ.
func TestRenderMessageID(t *testing.T) {
	a, _ := mail.Render(orderMessage(t, mail.KindOrderReady, tsunagu.LocaleJA), site)
	m := orderMessage(t, mail.KindOrderReady, tsunagu.LocaleJA)
	m.Attempts = 3
	b, _ := mail.Render(m, site)
	m.ID++
	c, _ := mail.Render(m, site)
	if a.MessageID != b.MessageID || a.MessageID == c.MessageID || !strings.HasPrefix(a.MessageID, "<") {
		t.Errorf("Message-IDs %q %q %q", a.MessageID, b.MessageID, c.MessageID)
	}
}

func TestYen(t *testing.T) {
	for _, c := range []struct {
		n    int64
		l    tsunagu.Locale
		want string
	}{{0, tsunagu.LocaleJA, "0円"}, {999, tsunagu.LocaleEN, "¥999"}, {1000, tsunagu.LocaleEN, "¥1,000"},
		{1234567, tsunagu.LocaleJA, "1,234,567円"}, {-1500, tsunagu.LocaleKO, "-1,500엔"}} {
		if got := mail.Yen(c.l, c.n); got != c.want {
			t.Errorf("Yen(%s, %d) = %q, want %q", c.l, c.n, got, c.want)
		}
	}
}

// The account messages carry their link, with the token escaped, in every language.
func TestRenderAccountMessages(t *testing.T) {
	for kind, path := range map[mail.Kind]string{mail.KindPasswordReset: "/reset-password", mail.KindStaffInvitation: "/accept-invitation",
		mail.KindEmailVerification: "/verify-email"} {
		for _, locale := range tsunagu.Locales {
			m := mail.Message{ID: 3, Kind: kind, Recipient: "clerk@example.jp", Locale: locale,
				Payload: []byte(`{"name": "佐藤", "inviter": "佐藤", "token": "tsu_a+b/c"}`)}
			e, err := mail.Render(m, site)
			if err != nil {
				t.Fatalf("%s %s: %v", kind, locale, err)
			}
			if link := "https://tsunagu.example.jp" + path + "?token=tsu_a%2Bb%2Fc"; !strings.Contains(e.Text, link) {
				t.Errorf("%s %s: no %s in:\n%s", kind, locale, link, e.Text)
			}
			if !strings.Contains(e.Text, "佐藤") || e.Language != locale.Tag() || strings.Contains(e.Text, "<no value>") {
				t.Errorf("%s %s: %q, text:\n%s", kind, locale, e.Language, e.Text)
			}
		}
	}
	// The note to an address that has an account carries no secret: it links to
	// the sign-in page.
	for _, locale := range tsunagu.Locales {
		m := mail.Message{ID: 5, Kind: mail.KindAccountExists, Recipient: "shopper@example.jp", Locale: locale,
			Payload: []byte(`{"name": "佐藤"}`)}
		e, err := mail.Render(m, site)
		if err != nil {
			t.Fatalf("%s: %v", locale, err)
		}
		if !strings.Contains(e.Text, "https://tsunagu.example.jp/sign-in\n") || !strings.Contains(e.Text, "佐藤") ||
			e.Language != locale.Tag() || strings.Contains(e.Text, "<no value>") {
			t.Errorf("ACCOUNT_EXISTS %s: %q, text:\n%s", locale, e.Language, e.Text)
		}
	}
	m := mail.Message{ID: 4, Kind: mail.KindPasswordReset, Payload: []byte(`{"name": "佐藤"}`)}
	var p *mail.PermanentError
	if _, err := mail.Render(m, site); !errors.As(err, &p) {
		t.Errorf("a reset message without its token: %v, want a PermanentError", err)
	}
}
