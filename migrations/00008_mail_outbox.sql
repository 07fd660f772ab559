-- +goose Up

-- The language of a shopper's e-mails, chosen at checkout (the schema's Locale enum).
ALTER TABLE orders ADD COLUMN locale text NOT NULL DEFAULT 'JA'
    CHECK (locale IN ('JA', 'JA_X_EASY', 'EN', 'ZH', 'KO'));

-- The outbox gets a sender (internal/mail): every API process claims due messages
-- with FOR UPDATE SKIP LOCKED, counting an attempt and moving next_attempt_at past
-- the attempt (so no other process takes the message while it is being sent, and a
-- failed one waits its backoff); sent_at once delivered to the SMTP server,
-- given_up_at after the last attempt allowed. Messages about accounts (invitations,
-- password resets, address verification) have no order.
ALTER TABLE notifications
    ALTER COLUMN order_id DROP NOT NULL,
    ADD COLUMN locale text NOT NULL DEFAULT 'JA' CHECK (locale IN ('JA', 'JA_X_EASY', 'EN', 'ZH', 'KO')),
    ADD COLUMN attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN last_error text NOT NULL DEFAULT '',
    ADD COLUMN given_up_at timestamptz,
    DROP CONSTRAINT notifications_kind_check,
    ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('ORDER_PAID', 'ORDER_READY', 'ORDER_SHIPPED',
        'ORDER_CANCELLED', 'ORDER_REFUNDED', 'STAFF_INVITATION', 'PASSWORD_RESET', 'EMAIL_VERIFICATION')),
    ADD CONSTRAINT notifications_done CHECK (sent_at IS NULL OR given_up_at IS NULL);
DROP INDEX notifications_unsent;
-- What the sender looks for, and the backlog the metrics count.
CREATE INDEX notifications_due ON notifications (next_attempt_at, id)
    WHERE sent_at IS NULL AND given_up_at IS NULL;

-- +goose Down
DROP INDEX notifications_due;
DELETE FROM notifications WHERE order_id IS NULL
    OR kind NOT IN ('ORDER_READY', 'ORDER_SHIPPED', 'ORDER_CANCELLED', 'ORDER_REFUNDED');
ALTER TABLE notifications
    DROP CONSTRAINT notifications_done,
    DROP CONSTRAINT notifications_kind_check,
    ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('ORDER_READY', 'ORDER_SHIPPED', 'ORDER_CANCELLED', 'ORDER_REFUNDED')),
    DROP COLUMN given_up_at, DROP COLUMN last_error, DROP COLUMN next_attempt_at, DROP COLUMN attempts,
    DROP COLUMN locale,
    ALTER COLUMN order_id SET NOT NULL;
CREATE INDEX notifications_unsent ON notifications (id) WHERE sent_at IS NULL;
ALTER TABLE orders DROP COLUMN locale;
