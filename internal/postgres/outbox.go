package postgres

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/lib/pq"

	"tsunagu/internal/mail"
	"tsunagu/internal/tsunagu"
)

// Outbox is the e-mail outbox (the notifications table) as mail.Outbox: the
// messages that transactions decided to send, worked by a mail.Sender in every API
// process. See mail.Outbox for the contract of each method.
type Outbox struct {
	db *DB
}

// NewOutbox returns the outbox of db.
func NewOutbox(db *DB) *Outbox { return &Outbox{db: db} }

var _ mail.Outbox = (*Outbox)(nil)

// Claim takes up to limit due messages (see mail.Outbox.Claim). The rows are
// locked FOR UPDATE SKIP LOCKED for the claiming transaction only; what keeps
// another process off a claimed message afterwards is its next attempt time, moved
// mail.Backoff(attempts) ahead, which is longer than a send may take (mail.Sender
// claims one message at a time).
func (o *Outbox) Claim(ctx context.Context, limit int) (_ []mail.Message, err error) {
	defer wrap(&err, "Outbox.Claim")
	var rows []struct {
		ID        int64
		Kind      string
		Recipient string
		Locale    string
		Payload   []byte
		Attempts  int
		CreatedAt time.Time
	}
	err = o.db.transact(ctx, func(tx queryer) error {
		rows = nil
		return tx.SelectContext(ctx, &rows, `
			WITH c AS (
				SELECT id FROM notifications
				WHERE sent_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= now()
				ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
			)
			UPDATE notifications n SET attempts = n.attempts + 1,
				next_attempt_at = now() + make_interval(secs => ($2::bigint[])[least(n.attempts + 1, cardinality($2::bigint[]))])
			FROM c WHERE n.id = c.id
			RETURNING n.id, n.kind, n.recipient, n.locale, n.payload, n.attempts, n.created_at`,
			limit, pq.Array(mail.BackoffSeconds()))
	})
	if err != nil {
		return nil, err
	}
	msgs := make([]mail.Message, len(rows))
	for i, r := range rows {
		msgs[i] = mail.Message{ID: r.ID, Kind: mail.Kind(r.Kind), Recipient: r.Recipient,
			Locale: tsunagu.Locale(r.Locale), Payload: r.Payload, Attempts: r.Attempts, CreatedAt: r.CreatedAt}
	}
	// Oldest first (RETURNING keeps no order).
	slices.SortFunc(msgs, func(a, b mail.Message) int { return cmp.Compare(a.ID, b.ID) })
	return msgs, nil
}

// Sent marks message id sent (see mail.Outbox.Sent).
func (o *Outbox) Sent(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "Outbox.Sent")
	_, err = o.db.q().ExecContext(ctx, `UPDATE notifications SET sent_at = now(), last_error = '', payload = payload - 'token' WHERE id = $1`, id)
	return err
}

// Failed records a failed attempt at message id (see mail.Outbox.Failed).
func (o *Outbox) Failed(ctx context.Context, id int64, reason string, giveUp bool) (err error) {
	defer wrap(&err, "Outbox.Failed")
	_, err = o.db.q().ExecContext(ctx, `
		UPDATE notifications SET last_error = $2, given_up_at = CASE WHEN $3 THEN now() END,
			payload = CASE WHEN $3 THEN payload - 'token' ELSE payload END
		WHERE id = $1 AND sent_at IS NULL`, id, reason, giveUp)
	return err
}

// Backlog counts the messages neither sent nor given up (see mail.Outbox.Backlog).
func (o *Outbox) Backlog(ctx context.Context) (n int, err error) {
	defer wrap(&err, "Outbox.Backlog")
	err = o.db.q().GetContext(ctx, &n, `SELECT count(*) FROM notifications WHERE sent_at IS NULL AND given_up_at IS NULL`)
	return n, err
}
