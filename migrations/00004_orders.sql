-- +goose Up

-- Online orders paid through Stripe. An order's stock is reserved at its shop (the
-- reserved bucket of stock_levels, through the ledger) while it waits for payment;
-- the reservation expires at reserved_until unless the payment succeeds first, and is
-- then committed to the order until the goods are handed over or shipped.

-- Each shop's delivery rule: a flat fee, waived from an order total on.
ALTER TABLE shops
    ADD COLUMN shipping_fee        bigint NOT NULL DEFAULT 0 CHECK (shipping_fee >= 0),
    ADD COLUMN free_shipping_above bigint CHECK (free_shipping_above >= 0);

CREATE TABLE orders (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shop_id           bigint NOT NULL REFERENCES shops,
    status            text NOT NULL CHECK (status IN ('PENDING_PAYMENT', 'PAID', 'READY_FOR_PICKUP',
                          'SHIPPED', 'COMPLETED', 'CANCELLED', 'REFUNDED')),
    -- The guest's access token for orderByToken: 32 random bytes, base64url. It is
    -- kept (not only its hash) because a retried checkout must hand it back.
    token             text NOT NULL UNIQUE,
    customer_id       bigint REFERENCES users,
    email             text NOT NULL,
    name              text NOT NULL,
    phone             text NOT NULL DEFAULT '',
    fulfilment        text NOT NULL CHECK (fulfilment IN ('PICKUP', 'DELIVERY')),
    postal_code       text NOT NULL DEFAULT '',
    address           text NOT NULL DEFAULT '',
    subtotal          bigint NOT NULL CHECK (subtotal >= 0),
    shipping_fee      bigint NOT NULL DEFAULT 0 CHECK (shipping_fee >= 0),
    total             bigint NOT NULL CHECK (total > 0),
    -- What Stripe captured for the order's PaymentIntent (amount_received), recorded
    -- whenever Stripe reports a success, even one the order does not take (a flagged
    -- payment). Refunds give back from captured − refunded, never from total.
    captured          bigint NOT NULL DEFAULT 0 CHECK (captured >= 0),
    refunded          bigint NOT NULL DEFAULT 0,
    -- The shop's tax rounding when the order was made: its taxes never change.
    rounding          text NOT NULL CHECK (rounding IN ('DOWN', 'HALF_UP', 'UP')),
    -- Where the order's reserved stock is: RESERVED until reserved_until, COMMITTED
    -- once paid, RELEASED back to the shelf, or TAKEN when it left the shop.
    stock             text NOT NULL CHECK (stock IN ('RESERVED', 'COMMITTED', 'RELEASED', 'TAKEN')),
    reserved_until    timestamptz NOT NULL,
    payment_intent_id text UNIQUE,
    client_secret     text,
    -- Set when Stripe reported something that does not fit the order (a payment of
    -- another amount or currency, a payment after the order was cancelled); the
    -- order is then never marked paid by it and staff must look.
    payment_flag      text NOT NULL DEFAULT '',
    last_payment_error text NOT NULL DEFAULT '',
    carrier           text NOT NULL DEFAULT '',
    tracking_number   text NOT NULL DEFAULT '',
    cancel_reason     text NOT NULL DEFAULT '',
    -- Who cancelled the order: EXPIRY (the sweeper: a late payment may take the order
    -- up again), STAFF (cancelOrder: a late payment is refunded), PAYMENT (Stripe
    -- cancelled the PaymentIntent); '' while not cancelled.
    cancelled_by      text NOT NULL DEFAULT '' CHECK (cancelled_by IN ('', 'EXPIRY', 'STAFF', 'PAYMENT')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    paid_at           timestamptz,
    CONSTRAINT orders_refunded CHECK (refunded >= 0 AND refunded <= captured),
    CHECK (fulfilment = 'PICKUP' OR (postal_code <> '' AND address <> ''))
);
CREATE INDEX orders_shop ON orders (shop_id, id);
CREATE INDEX orders_customer ON orders (customer_id, id) WHERE customer_id IS NOT NULL;
CREATE INDEX orders_status ON orders (status, id);
-- What the sweeper looks for.
CREATE INDEX orders_expiring ON orders (reserved_until) WHERE stock = 'RESERVED';

CREATE TABLE order_lines (
    order_id          bigint NOT NULL REFERENCES orders,
    line_number       integer NOT NULL CHECK (line_number > 0),
    product_id        bigint NOT NULL REFERENCES products,
    owner_facility_id bigint NOT NULL REFERENCES facilities,
    name              text NOT NULL,
    unit_price        bigint NOT NULL CHECK (unit_price >= 0),
    quantity          integer NOT NULL CHECK (quantity > 0),
    tax_class         text NOT NULL CHECK (tax_class IN ('REDUCED_8', 'STANDARD_10')),
    qualified         boolean NOT NULL,
    refunded          integer NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, line_number),
    CONSTRAINT order_lines_refunded CHECK (refunded >= 0 AND refunded <= quantity)
);

-- Stripe events applied, each once: the row is written in the same transaction as
-- the event's effect, so a redelivered event finds it and does nothing.
CREATE TABLE stripe_events (
    id          text PRIMARY KEY,
    type        text NOT NULL,
    order_id    bigint REFERENCES orders,
    outcome     text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);

-- Money given back for an order. A refund is recorded PENDING before Stripe is
-- asked, then SUCCEEDED or FAILED (or stays PENDING while Stripe's refund is
-- pending); one not SUCCEEDED is asked again, with the same Stripe idempotency key,
-- by the refund retrier (and when the refund is retried).
CREATE TABLE order_refunds (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id         bigint NOT NULL REFERENCES orders,
    amount           bigint NOT NULL CHECK (amount > 0),
    status           text NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    reason           text NOT NULL DEFAULT '',
    stripe_refund_id text,
    error            text NOT NULL DEFAULT '',
    created_by       bigint REFERENCES users,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_refunds_order ON order_refunds (order_id, id);
-- What the refund retrier looks for.
CREATE INDEX order_refunds_unsettled ON order_refunds (id) WHERE status <> 'SUCCEEDED';

CREATE TABLE order_refund_lines (
    refund_id   bigint NOT NULL REFERENCES order_refunds,
    line_number integer NOT NULL,
    quantity    integer NOT NULL CHECK (quantity > 0),
    amount      bigint NOT NULL,
    PRIMARY KEY (refund_id, line_number)
);

-- The outbox: messages to send (an email that an order is ready, shipped,
-- cancelled), written in the transaction that decided them; a sender process takes
-- them with FOR UPDATE SKIP LOCKED and sets sent_at.
CREATE TABLE notifications (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('ORDER_READY', 'ORDER_SHIPPED', 'ORDER_CANCELLED', 'ORDER_REFUNDED')),
    order_id   bigint NOT NULL REFERENCES orders,
    recipient  text NOT NULL,
    payload    jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);
CREATE INDEX notifications_unsent ON notifications (id) WHERE sent_at IS NULL;

-- Card sales at the POS on a Stripe Terminal reader: the sale waits PENDING_PAYMENT,
-- its stock reserved and without a receipt number (numbers stay gapless), until
-- Stripe reports the payment; then it is COMPLETED and numbered, or CANCELLED.
ALTER TABLE sales DROP CONSTRAINT sales_status_check;
ALTER TABLE sales ADD CONSTRAINT sales_status_check
    CHECK (status IN ('PENDING_PAYMENT', 'COMPLETED', 'VOIDED', 'CANCELLED'));
ALTER TABLE sales ALTER COLUMN receipt_number DROP NOT NULL;
ALTER TABLE sales ADD CONSTRAINT sales_receipt_number
    CHECK ((receipt_number IS NULL) = (status IN ('PENDING_PAYMENT', 'CANCELLED')));
ALTER TABLE sales ADD COLUMN payment_intent_id text UNIQUE;

-- +goose Down
ALTER TABLE sales DROP COLUMN payment_intent_id, DROP CONSTRAINT sales_receipt_number;
DELETE FROM sale_payments WHERE sale_id IN (SELECT id FROM sales WHERE receipt_number IS NULL);
DELETE FROM sale_lines WHERE sale_id IN (SELECT id FROM sales WHERE receipt_number IS NULL);
DELETE FROM sales WHERE receipt_number IS NULL;
ALTER TABLE sales ALTER COLUMN receipt_number SET NOT NULL, DROP CONSTRAINT sales_status_check;
ALTER TABLE sales ADD CONSTRAINT sales_status_check CHECK (status IN ('COMPLETED', 'VOIDED'));
DROP TABLE notifications, order_refund_lines, order_refunds, stripe_events, order_lines, orders;
ALTER TABLE shops DROP COLUMN shipping_fee, DROP COLUMN free_shipping_above;
