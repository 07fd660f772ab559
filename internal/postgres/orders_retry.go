package postgres

import (
	"context"
	"time"

	"tsunagu/internal/tsunagu"
)

// RetryRefunds asks Stripe again for up to limit refunds that have not succeeded
// and were last tried before before: FAILED ones Stripe could not be reached for,
// under their own Stripe idempotency key (so a refund that did reach Stripe is not
// made twice), and PENDING ones, read again until Stripe settles them. A refund
// Stripe itself reported failed is left for staff. It returns how many it tried.
//
// It is what settles a refund whose order no longer takes a retry of the staff
// action (an order cancelled or refunded in full), or one recorded by a webhook.
// Several processes may run it at once: each claims the refunds it locks (FOR UPDATE
// SKIP LOCKED), marking them tried now, in a short transaction; Stripe is asked
// after it commits, as everywhere.
func (s *OrderService) RetryRefunds(ctx context.Context, before time.Time, limit int) (int, error) {
	var claimed []*struct {
		tsunagu.OrderRefund
		PaymentIntentID *string
	}
	err := s.db.transact(ctx, func(tx queryer) error {
		claimed = nil
		return tx.SelectContext(ctx, &claimed, `
			WITH c AS (
				SELECT r.id FROM order_refunds r
				WHERE r.status <> 'SUCCEEDED' AND r.updated_at < $1
					AND NOT (r.status = 'FAILED' AND r.stripe_refund_id IS NOT NULL)
				ORDER BY r.id LIMIT $2 FOR UPDATE SKIP LOCKED
			), r AS (
				UPDATE order_refunds r SET updated_at = now() FROM c WHERE r.id = c.id RETURNING r.*
			)
			SELECT `+orderRefundColumns+`, o.payment_intent_id
			FROM r JOIN orders o ON o.id = r.order_id ORDER BY r.id`, before, limit)
	})
	if err != nil {
		return 0, err
	}
	for _, r := range claimed {
		if _, err := s.sendRefund(ctx, r.PaymentIntentID, &r.OrderRefund); err != nil {
			return 0, err
		}
	}
	return len(claimed), nil
}

// refundRetryAge is how long a refund rests between attempts: the staff action that
// recorded it asks Stripe itself first.
const refundRetryAge = time.Minute

// RunRefundRetrier calls RetryRefunds every interval until ctx ends.
func (s *OrderService) RunRefundRetrier(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := s.RetryRefunds(ctx, time.Now().Add(-refundRetryAge), 100)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.ErrorContext(ctx, "retrying refunds", "err", err)
		case n > 0:
			s.log.InfoContext(ctx, "retried refunds", "refunds", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
