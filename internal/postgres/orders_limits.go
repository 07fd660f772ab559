package postgres

import (
	"context"
	"database/sql"
	"errors"

	"tsunagu/internal/tsunagu"
)

// checkUnpaidOrders refuses a checkout with TOO_MANY_UNPAID_ORDERS when the
// shopper already has as many orders waiting for payment (stock reserved) as one
// email address or account may have (tsunagu.MaxUnpaidOrders), or its network
// address as many as tsunagu.MaxUnpaidOrdersPerClient.
//
// It runs first in the checkout's transaction. Transaction-scoped advisory locks
// on the email, the account and the address, always taken in that order (so two
// checkouts never wait for each other in a circle), make concurrent checkouts of
// one shopper count one after another: the count is a statement of its own, after
// the locks, so it sees every order committed before they were granted.
func checkUnpaidOrders(ctx context.Context, tx queryer, email string, customer *tsunagu.UserID, client string) error {
	_, err := tx.ExecContext(ctx, `
		SELECT pg_advisory_xact_lock(hashtextextended('unpaid-email:' || lower($1), 0)),
			CASE WHEN $2::bigint IS NOT NULL THEN pg_advisory_xact_lock(hashtextextended('unpaid-customer:' || $2::bigint, 0)) END,
			CASE WHEN $3 <> '' THEN pg_advisory_xact_lock(hashtextextended('unpaid-client:' || $3, 0)) END`,
		email, customer, client)
	if err != nil {
		return err
	}
	var n struct{ Email, Customer, Client int }
	err = tx.GetContext(ctx, &n, `
		SELECT
			(SELECT count(*) FROM orders WHERE lower(email) = lower($1)
				AND status = 'PENDING_PAYMENT' AND stock = 'RESERVED') AS email,
			(SELECT count(*) FROM orders WHERE customer_id = $2
				AND status = 'PENDING_PAYMENT' AND stock = 'RESERVED') AS customer,
			(SELECT count(*) FROM orders WHERE client_addr = $3 AND $3 <> ''
				AND status = 'PENDING_PAYMENT' AND stock = 'RESERVED') AS client`,
		email, customer, client)
	if err != nil {
		return err
	}
	switch {
	case n.Email >= tsunagu.MaxUnpaidOrders || n.Customer >= tsunagu.MaxUnpaidOrders:
		return tsunagu.Errorf(tsunagu.CodeTooManyUnpaidOrders, "input.contact.email",
			"You have %d orders waiting for payment; pay for one or cancel it before ordering again.", max(n.Email, n.Customer))
	case n.Client >= tsunagu.MaxUnpaidOrdersPerClient:
		return tsunagu.Errorf(tsunagu.CodeTooManyUnpaidOrders, "",
			"Too many orders from your network are waiting for payment; pay for one, or try again later.")
	}
	return nil
}

// abandonCheckout undoes a checkout whose PaymentIntent could not be created:
// the order is cancelled (by PAYMENT), its stock released, and its idempotency key
// forgotten, so that no order holds stock the shopper cannot pay for, and a retry
// with the same key checks out afresh. An order that got its PaymentIntent
// meanwhile (a concurrent retry stored one) is left as it is.
func (s *OrderService) abandonCheckout(ctx context.Context, o *checkedOut, key string) error {
	return s.db.transact(ctx, func(tx queryer) error {
		var locked tsunagu.Order
		err := tx.GetContext(ctx, &locked, `SELECT `+orderColumns+` FROM orders o
			WHERE o.id = $1 AND o.status = 'PENDING_PAYMENT' AND o.stock = 'RESERVED' AND o.payment_intent_id IS NULL
			FOR UPDATE`, o.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := s.cancelUnpaid(ctx, tx, &locked, tsunagu.CancelledByPayment,
			"The card payment could not be prepared."); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM idempotency_keys
			WHERE scope = $1 AND key = $2 AND operation = 'checkout' AND result_id = $3`,
			keyScope(tsunagu.UserFrom(ctx)), storedKey(key), o.ID)
		return err
	})
}
