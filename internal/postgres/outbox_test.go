package postgres_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"tsunagu/internal/mail"
	"tsunagu/internal/mailpit"
	"tsunagu/internal/metrics"
	"tsunagu/internal/pgtest"
	"tsunagu/internal/postgres"
	"tsunagu/internal/smtp"
	"tsunagu/internal/tsunagu"
)

// mailbox returns an address no other test (nor an earlier run against the same
// mailpit) sends to.
func mailbox(name string) string { return fmt.Sprintf("%s-%s@example.jp", name, rand.Text()[:10]) }

// sender returns a Sender of db's outbox over SMTP to smtpURL.
func sender(t *testing.T, db *postgres.DB, smtpURL string) *mail.Sender {
	t.Helper()
	conf, err := smtp.ParseURL(smtpURL)
	must(t, err)
	tr, err := smtp.New(conf, "つなぐ <noreply@tsunagu.example>")
	must(t, err)
	return &mail.Sender{Outbox: postgres.NewOutbox(db), Transport: tr}
}

// closedSMTP is an SMTP_URL where nothing listens: a mail server that is down.
func closedSMTP(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	addr := l.Addr().String()
	must(t, l.Close())
	return "smtp://" + addr + "?tls=none&timeout=5s"
}

type outboxRow struct {
	Attempts    int
	SentAt      *time.Time
	GivenUpAt   *time.Time
	LastError   string
	NextAttempt time.Time
	Kind        string
	Locale      string
}

func outboxRows(t *testing.T, db *postgres.DB, to string) []outboxRow {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT attempts, sent_at, given_up_at, last_error, next_attempt_at, kind, locale
		FROM notifications WHERE recipient = $1 ORDER BY id`, to)
	must(t, err)
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		must(t, rows.Scan(&r.Attempts, &r.SentAt, &r.GivenUpAt, &r.LastError, &r.NextAttempt, &r.Kind, &r.Locale))
		out = append(out, r)
	}
	must(t, rows.Err())
	return out
}

// queue writes n order-ready messages for to straight into the outbox, as the
// order services do.
func queue(t *testing.T, db *postgres.DB, to string, n int) {
	t.Helper()
	_, err := db.SQL().Exec(`INSERT INTO notifications (kind, recipient, locale, payload)
		SELECT 'ORDER_READY', $1, 'JA', jsonb_build_object('orderId', i, 'name', '山田花子', 'shopName', '港区役所 福祉ショップ',
			'fulfilment', 'PICKUP', 'total', 1000)
		FROM generate_series(1, $2) i`, to, n)
	must(t, err)
}

// dueNow makes to's waiting messages due, as if their backoff had passed.
func dueNow(t *testing.T, db *postgres.DB, to string) {
	t.Helper()
	_, err := db.SQL().Exec(`UPDATE notifications SET next_attempt_at = now() WHERE recipient = $1`, to)
	must(t, err)
}

// A paid order's e-mail reaches the shopper in the language chosen at checkout.
func TestOutboxOrderMailInShoppersLanguage(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t)
	w := newOrderWorld(t)
	ctx := context.Background()
	// The world's shopper was e-mailed the link that verified their address: sent
	// first, so that each round below sends only its order's message.
	if sent, _, err := sender(t, w.db, mp.SMTPURL()).SendDue(ctx); err != nil || sent != 1 {
		t.Fatalf("sent %d, %v; want the shopper's verification", sent, err)
	}
	for _, c := range []struct {
		locale          tsunagu.Locale
		subject, phrase string
	}{
		{tsunagu.LocaleEN, "is paid", "We have received your payment of ¥650."},
		{tsunagu.LocaleJAEasy, "ちゅうもん を うけつけました", "お金 650円 を うけとりました。"},
		{tsunagu.LocaleKO, "결제되었습니다", "650엔 결제를 확인했습니다."},
	} {
		to := mailbox("paid-" + strings.ToLower(string(c.locale)))
		in := w.pickupInput(cart(w.homeShop, w.jam, 1))
		in.Contact.Email, in.Contact.Locale = to, c.locale
		co := w.checkout(ctx, in)
		w.pay(co.Order)
		sent, failed, err := sender(t, w.db, mp.SMTPURL()).SendDue(ctx)
		must(t, err)
		if sent != 1 || failed != 0 {
			t.Fatalf("%s: sent %d, failed %d; want 1, 0", c.locale, sent, failed)
		}
		got := mp.WaitFor(t, to, 1)
		if len(got) != 1 {
			t.Fatalf("%s: %d messages, want 1", c.locale, len(got))
		}
		m := mp.Message(t, got[0].ID)
		number := fmt.Sprint(co.Order.Number())
		if !strings.Contains(m.Subject, c.subject) || !strings.Contains(m.Subject, number) {
			t.Errorf("%s: subject %q, want %q and the order number %s", c.locale, m.Subject, c.subject, number)
		}
		if !strings.Contains(m.Text, c.phrase) || !strings.Contains(m.Text, "港区役所 福祉ショップ") {
			t.Errorf("%s: text without %q or the shop:\n%s", c.locale, c.phrase, m.Text)
		}
		if m.HTML != "" {
			t.Errorf("%s: an HTML part, want plain text only", c.locale)
		}
		rows := outboxRows(t, w.db, to)
		if len(rows) != 1 || rows[0].SentAt == nil || rows[0].Attempts != 1 || rows[0].Kind != "ORDER_PAID" || rows[0].Locale != string(c.locale) {
			t.Errorf("%s: outbox %+v, want one ORDER_PAID sent at the first attempt", c.locale, rows)
		}
	}
}

// Two API processes sending the outbox at once deliver each message exactly once.
func TestOutboxTwoSendersDeliverOnce(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t)
	ctx := context.Background()
	url := pgtest.NewURL(t)
	var dbs [2]*postgres.DB
	for i := range dbs {
		db, err := postgres.Open(ctx, url, nil)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	to := mailbox("twice")
	const n = 90
	queue(t, dbs[0], to, n)

	start := make(chan struct{})
	var wg sync.WaitGroup
	var sent [2]int
	var errs [2]error
	for i, db := range dbs {
		s := sender(t, db, mp.SMTPURL())
		wg.Go(func() {
			<-start
			sent[i], _, errs[i] = s.SendDue(ctx)
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		must(t, err)
	}
	if sent[0]+sent[1] != n {
		t.Errorf("the senders sent %d + %d, want %d in all", sent[0], sent[1], n)
	}
	// Both senders have returned, so every SMTP transaction is over: what mailpit
	// holds now is all that will ever arrive.
	got := mp.WaitFor(t, to, n)
	ids := map[string]int{}
	for _, m := range got {
		ids[m.MessageID]++
	}
	if len(got) != n || len(ids) != n {
		t.Errorf("mailpit holds %d messages with %d Message-IDs for %s, want %d of each", len(got), len(ids), to, n)
	}
	for _, r := range outboxRows(t, dbs[0], to) {
		if r.SentAt == nil || r.Attempts != 1 {
			t.Fatalf("outbox row %+v, want sent at its only attempt", r)
		}
	}
}

// A mail server that is down leaves the message queued with its attempt counted,
// not tried again before its backoff, and a later run delivers it.
func TestOutboxSMTPDownThenBack(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t)
	ctx := context.Background()
	w := newWorld(t)
	to := mailbox("down")
	queue(t, w.db, to, 1)

	var failures []bool
	down := sender(t, w.db, closedSMTP(t))
	down.Failed = func(_ mail.Kind, gaveUp bool) { failures = append(failures, gaveUp) }
	before := time.Now()
	sent, failed, err := down.SendDue(ctx)
	must(t, err)
	if sent != 0 || failed != 1 || len(failures) != 1 || failures[0] {
		t.Fatalf("sent %d, failed %d, reported %v; want 0, 1, [false]", sent, failed, failures)
	}
	rows := outboxRows(t, w.db, to)
	if r := rows[0]; r.Attempts != 1 || r.SentAt != nil || r.GivenUpAt != nil || r.LastError == "" ||
		r.NextAttempt.Before(before.Add(mail.Backoff(1)-5*time.Second)) {
		t.Fatalf("after a failed attempt: %+v; want 1 attempt, an error, the next one %v on", r, mail.Backoff(1))
	}
	if n, err := postgres.NewOutbox(w.db).Backlog(ctx); err != nil || n != 1 {
		t.Errorf("Backlog = %d, %v; want 1", n, err)
	}

	// Before its backoff has passed, the server being back changes nothing.
	up := sender(t, w.db, mp.SMTPURL())
	if sent, failed, err := up.SendDue(ctx); err != nil || sent != 0 || failed != 0 {
		t.Fatalf("before the backoff: sent %d, failed %d, %v; want nothing tried", sent, failed, err)
	}
	// Its backoff passed (moved in the database, not waited for).
	dueNow(t, w.db, to)
	if sent, failed, err := up.SendDue(ctx); err != nil || sent != 1 || failed != 0 {
		t.Fatalf("after the backoff: sent %d, failed %d, %v; want 1 sent", sent, failed, err)
	}
	if got := mp.WaitFor(t, to, 1); len(got) != 1 {
		t.Errorf("%d messages arrived, want 1", len(got))
	}
	if r := outboxRows(t, w.db, to)[0]; r.Attempts != 2 || r.SentAt == nil || r.LastError != "" {
		t.Errorf("after delivery: %+v; want sent at the second attempt", r)
	}
	if n, err := postgres.NewOutbox(w.db).Backlog(ctx); err != nil || n != 0 {
		t.Errorf("Backlog = %d, %v; want 0", n, err)
	}
}

// A message that fails at every attempt is given up after the last one allowed
// (mail.MaxAttempts, as in production) and never tried again.
func TestOutboxGivesUpAfterLastAttempt(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t)
	ctx := context.Background()
	w := newWorld(t)
	to := mailbox("giveup")
	queue(t, w.db, to, 1)

	var failures []bool
	m := metrics.New()
	down := sender(t, w.db, closedSMTP(t))
	down.Failed = func(k mail.Kind, gaveUp bool) {
		failures = append(failures, gaveUp)
		m.MailFailed(string(k), gaveUp)
	}
	for a := 1; a <= mail.MaxAttempts; a++ {
		dueNow(t, w.db, to)
		if _, failed, err := down.SendDue(ctx); err != nil || failed != 1 {
			t.Fatalf("attempt %d: failed %d, %v; want 1 failure", a, failed, err)
		}
		r := outboxRows(t, w.db, to)[0]
		if r.Attempts != a || (r.GivenUpAt != nil) != (a == mail.MaxAttempts) {
			t.Fatalf("after attempt %d: %+v", a, r)
		}
	}
	if len(failures) != mail.MaxAttempts || !failures[len(failures)-1] || failures[len(failures)-2] {
		t.Errorf("reported failures %v; want only the last given up", failures)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{
		fmt.Sprintf(`tsunagu_mail_send_failures_total{kind="ORDER_READY",outcome="retry"} %d`, mail.MaxAttempts-1),
		`tsunagu_mail_send_failures_total{kind="ORDER_READY",outcome="given_up"} 1`,
	} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("metrics without %s", want)
		}
	}

	// Given up: not claimed again, even due and with the server back.
	dueNow(t, w.db, to)
	if sent, failed, err := sender(t, w.db, mp.SMTPURL()).SendDue(ctx); err != nil || sent != 0 || failed != 0 {
		t.Fatalf("a given-up message: sent %d, failed %d, %v; want nothing tried", sent, failed, err)
	}
	if r := outboxRows(t, w.db, to)[0]; r.Attempts != mail.MaxAttempts || r.SentAt != nil || r.GivenUpAt == nil {
		t.Errorf("given up: %+v", r)
	}
	if got := mp.Messages(t, to); len(got) != 0 {
		t.Errorf("%d messages arrived for a given-up message", len(got))
	}
	if n, err := postgres.NewOutbox(w.db).Backlog(ctx); err != nil || n != 0 {
		t.Errorf("Backlog = %d, %v; want 0 (given up is not waiting)", n, err)
	}
}
