// Package mail holds the rules of Tsunagu's e-mail: what each kind of message says
// in each language (plain text), when a failed message is tried again and when it
// is given up, and the sender that works the outbox through two interfaces, Outbox
// (the database's queue, implemented in internal/postgres) and Transport (SMTP,
// internal/smtp). It does no I/O of its own.
package mail

import (
	"context"
	"errors"
	"fmt"
	"time"

	"tsunagu/internal/tsunagu"
)

// Kind is what a message is about; the values are the outbox's kind column.
type Kind string

const (
	KindOrderPaid       Kind = "ORDER_PAID"
	KindOrderReady      Kind = "ORDER_READY"
	KindOrderShipped    Kind = "ORDER_SHIPPED"
	KindOrderCancelled  Kind = "ORDER_CANCELLED"
	KindOrderRefunded   Kind = "ORDER_REFUNDED"
	KindPasswordReset   Kind = "PASSWORD_RESET"
	KindStaffInvitation Kind = "STAFF_INVITATION"
	// KindEmailVerification carries the link that verifies a shopper's address.
	KindEmailVerification Kind = "EMAIL_VERIFICATION"
	// KindAccountExists tells an address that somebody asked for an account with
	// it, which it has already: signUp's answer, which must not tell.
	KindAccountExists Kind = "ACCOUNT_EXISTS"
)

// Message is one message of the outbox as the sender claimed it.
type Message struct {
	ID        int64
	Kind      Kind
	Recipient string
	// Locale is the recipient's language; an unsupported one is written in Japanese.
	Locale tsunagu.Locale
	// Payload is the message's data as the transaction that decided it wrote it
	// (JSON; OrderData for the order messages, AccountData for the others).
	Payload []byte
	// Attempts counts the attempts made, this one included.
	Attempts int
	// CreatedAt is when the message was written; with ID it makes the Message-ID.
	CreatedAt time.Time
}

// Email is a message ready for the Transport: plain text, one recipient.
type Email struct {
	To      string
	Subject string
	Text    string
	// Language is the BCP 47 tag of the text (Content-Language).
	Language string
	// MessageID is the same for every attempt at one outbox message, so that a
	// receiving server that got it twice (a process stopped between handing it over
	// and recording it) can tell.
	MessageID string
}

// Outbox is the queue of messages waiting to be sent, shared by every API process
// through the database. Each method is one transaction, committed when it returns.
type Outbox interface {
	// Claim takes up to limit messages that are due (not sent, not given up, and
	// their next attempt time has come), oldest first, skipping any another process
	// holds locked. For each it counts an attempt and moves the next attempt time
	// Backoff(attempts) ahead, in the same transaction: no other process claims
	// the message while this one sends it, and if this one fails or stops, that is
	// when it is tried again. It returns the messages with Attempts counted.
	Claim(ctx context.Context, limit int) ([]Message, error)
	// Sent records that message id was handed to the SMTP server: it is never
	// claimed again, and the payload's one-time secret ("token", see AccountData)
	// is erased, so that the database holds a link's secret only while it may
	// still be sent.
	Sent(ctx context.Context, id int64) error
	// Failed records why an attempt at message id failed. With giveUp the message
	// is marked given up and never claimed again, and its secret erased as by Sent;
	// otherwise it waits for the next attempt time Claim set.
	Failed(ctx context.Context, id int64, reason string, giveUp bool) error
	// Backlog returns how many messages are neither sent nor given up.
	Backlog(ctx context.Context) (int, error)
}

// Transport hands an e-mail to the mail system. An error that no retry can cure
// (the server refused the recipient for good) is wrapped in a PermanentError.
type Transport interface {
	Send(ctx context.Context, e *Email) error
}

// PermanentError is a failure that trying again will not cure: the message is
// given up at once.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// backoff is how long a message rests after each attempt: the n-th attempt's wait is
// backoff[n-1]. A message fails for good after its last attempt, about two days
// after the first: long enough to outlast a mail server's outage over a weekend
// night, short enough that a shopper is not told of an order a week late.
var backoff = []time.Duration{
	2 * time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour,
	3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// MaxAttempts is how many times a message is tried before it is given up.
var MaxAttempts = len(backoff)

// Backoff returns how long a message waits after its attempt-th attempt (1 for the
// first) before it is tried again.
func Backoff(attempt int) time.Duration {
	return backoff[min(max(attempt, 1), len(backoff))-1]
}

// BackoffSeconds is the schedule of Backoff in whole seconds, first attempt first,
// for an Outbox that sets the next attempt time in SQL.
func BackoffSeconds() []int64 {
	s := make([]int64, len(backoff))
	for i, d := range backoff {
		s[i] = int64(d / time.Second)
	}
	return s
}

// GiveUp reports whether a message whose attempt-th attempt failed with err is
// given up: after the last attempt, or at once when err is permanent.
func GiveUp(attempt int, err error) bool {
	var p *PermanentError
	return attempt >= MaxAttempts || errors.As(err, &p)
}

// Sender works the outbox: it claims due messages, renders them, hands them to the
// transport and records the outcome. Any number of senders may run at once on one
// database (one in each API process): Claim's row locks and next attempt times
// keep them from sending a message twice.
type Sender struct {
	Outbox    Outbox
	Transport Transport
	// Site is the public base URL of the web apps (TSUNAGU_PUBLIC_URL), which the
	// links in the messages start with.
	Site string
	// Sent and Failed, when set, are told of each message sent and each attempt
	// that failed (gaveUp when it was the message's last); for the metrics.
	Sent   func(Kind)
	Failed func(k Kind, gaveUp bool)
	Log    interface {
		InfoContext(ctx context.Context, msg string, args ...any)
		WarnContext(ctx context.Context, msg string, args ...any)
		ErrorContext(ctx context.Context, msg string, args ...any)
	}
}

// batch is how many messages one claim takes: one, so that a claim never lapses
// while its messages are sent. A claim holds a message for its backoff, at least
// Backoff(1) = 2 minutes, and one send takes at most twice the SMTP timeout
// (connecting, then sending), which the transport keeps under a minute; a batch
// of several sends to a slow server could outlast it, and another process would
// then send the batch's last messages again.
const batch = 1

// SendDue sends every message due now, one claim at a time, until none is left or ctx
// ends. It returns how many were sent and how many attempts failed; err is the
// outbox's, not a message's (those are recorded on the message).
func (s *Sender) SendDue(ctx context.Context) (sent, failed int, err error) {
	for {
		msgs, err := s.Outbox.Claim(ctx, batch)
		if err != nil {
			return sent, failed, err
		}
		for _, m := range msgs {
			ok, err := s.send(ctx, m)
			if err != nil {
				return sent, failed, err
			}
			if ok {
				sent++
			} else {
				failed++
			}
		}
		if len(msgs) < batch {
			return sent, failed, nil
		}
	}
}

// send makes one attempt at m and records it; ok reports whether it went.
func (s *Sender) send(ctx context.Context, m Message) (ok bool, err error) {
	e, err := Render(m, s.Site)
	if err == nil {
		err = s.Transport.Send(ctx, e)
	}
	if err == nil {
		if s.Sent != nil {
			s.Sent(m.Kind)
		}
		return true, s.Outbox.Sent(ctx, m.ID)
	}
	if ctx.Err() != nil {
		// Stopped mid-send: the attempt is counted, and the message goes again at
		// its next attempt time.
		return false, ctx.Err()
	}
	giveUp := GiveUp(m.Attempts, err)
	if s.Failed != nil {
		s.Failed(m.Kind, giveUp)
	}
	if s.Log != nil {
		log := s.Log.WarnContext
		if giveUp {
			log = s.Log.ErrorContext
		}
		log(ctx, "sending an e-mail failed", "message", m.ID, "kind", m.Kind, "attempt", m.Attempts,
			"gave_up", giveUp, "err", err)
	}
	return false, s.Outbox.Failed(ctx, m.ID, truncate(err.Error(), 1000), giveUp)
}

// Run calls SendDue every interval until ctx ends.
func (s *Sender) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		sent, failed, err := s.SendDue(ctx)
		if s.Log != nil {
			switch {
			case err != nil && ctx.Err() == nil:
				s.Log.ErrorContext(ctx, "sending the outbox", "err", err)
			case sent > 0 || failed > 0:
				s.Log.InfoContext(ctx, "sent the outbox", "sent", sent, "failed", failed)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s[:n])
	return string(r[:len(r)-1]) + "…"
}

// messageID is the Message-ID of m: the same for every attempt at it, and, with the
// time it was written, different from another installation's message of the same ID.
func messageID(m Message) string {
	return fmt.Sprintf("<outbox-%d-%d@tsunagu.invalid>", m.ID, m.CreatedAt.UnixMicro())
}
