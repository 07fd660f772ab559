-- +goose Up

-- The settings a shop's receipts need, and its gapless receipt counter: a sale or
-- refund takes the next number in its own transaction, so a failed one leaves no gap.
CREATE TABLE shops (
    location_id         bigint PRIMARY KEY REFERENCES locations,
    operator_name       text NOT NULL CHECK (operator_name <> ''),
    registration_number text CHECK (registration_number ~ '^T[0-9]{13}$'),
    rounding            text NOT NULL DEFAULT 'DOWN' CHECK (rounding IN ('DOWN', 'HALF_UP', 'UP')),
    last_receipt_number bigint NOT NULL DEFAULT 0 CHECK (last_receipt_number >= 0)
);

CREATE TABLE registers (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shop_id    bigint NOT NULL REFERENCES shops,
    name       text NOT NULL CHECK (name <> ''),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (shop_id, name)
);

CREATE TABLE register_sessions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    register_id    bigint NOT NULL REFERENCES registers,
    shop_id        bigint NOT NULL REFERENCES shops,
    status         text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED')),
    opening_float  bigint NOT NULL CHECK (opening_float >= 0),
    opened_by      bigint NOT NULL REFERENCES users,
    opened_at      timestamptz NOT NULL DEFAULT now(),
    closed_by      bigint REFERENCES users,
    closed_at      timestamptz,
    counted_cash   bigint CHECK (counted_cash >= 0),
    denominations  jsonb NOT NULL DEFAULT '[]',
    close_note     text NOT NULL DEFAULT '',
    -- The shop's receipt settings when the session opened: the session's receipts
    -- and its report keep them, whatever the shop changes later.
    operator_name       text NOT NULL CHECK (operator_name <> ''),
    registration_number text CHECK (registration_number ~ '^T[0-9]{13}$'),
    rounding            text NOT NULL CHECK (rounding IN ('DOWN', 'HALF_UP', 'UP')),
    CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL AND counted_cash IS NOT NULL AND closed_by IS NOT NULL))
);
-- One open session per register.
CREATE UNIQUE INDEX register_sessions_one_open ON register_sessions (register_id) WHERE status = 'OPEN';

CREATE TABLE cash_movements (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id bigint NOT NULL REFERENCES register_sessions,
    type       text NOT NULL CHECK (type IN ('IN', 'OUT')),
    amount     bigint NOT NULL CHECK (amount > 0),
    reason     text NOT NULL CHECK (reason <> ''),
    actor_id   bigint NOT NULL REFERENCES users,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cash_movements_session ON cash_movements (session_id, id);

CREATE TABLE sales (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shop_id        bigint NOT NULL REFERENCES shops,
    register_id    bigint NOT NULL REFERENCES registers,
    session_id     bigint NOT NULL REFERENCES register_sessions,
    receipt_number bigint NOT NULL,
    status         text NOT NULL CHECK (status IN ('COMPLETED', 'VOIDED')),
    total          bigint NOT NULL CHECK (total >= 0),
    sold_by        bigint NOT NULL REFERENCES users,
    created_at     timestamptz NOT NULL DEFAULT now(),
    voided_at      timestamptz,
    voided_by      bigint REFERENCES users,
    void_reason    text NOT NULL DEFAULT '',
    UNIQUE (shop_id, receipt_number),
    CHECK ((status = 'VOIDED') = (voided_at IS NOT NULL))
);
CREATE INDEX sales_session ON sales (session_id, id);
CREATE INDEX sales_shop_created ON sales (shop_id, id);

CREATE TABLE sale_lines (
    sale_id           bigint NOT NULL REFERENCES sales,
    line_number       integer NOT NULL CHECK (line_number > 0),
    product_id        bigint NOT NULL REFERENCES products,
    owner_facility_id bigint NOT NULL REFERENCES facilities,
    name              text NOT NULL,
    code              text NOT NULL DEFAULT '',
    unit_price        bigint NOT NULL CHECK (unit_price >= 0),
    quantity          integer NOT NULL CHECK (quantity > 0),
    tax_class         text NOT NULL CHECK (tax_class IN ('REDUCED_8', 'STANDARD_10')),
    qualified         boolean NOT NULL,
    refunded          integer NOT NULL DEFAULT 0,
    PRIMARY KEY (sale_id, line_number),
    -- A refund can never exceed what was sold.
    CONSTRAINT sale_lines_refunded CHECK (refunded >= 0 AND refunded <= quantity)
);
CREATE INDEX sale_lines_owner ON sale_lines (owner_facility_id);

CREATE TABLE sale_payments (
    sale_id    bigint NOT NULL REFERENCES sales,
    seq        integer NOT NULL,
    method     text NOT NULL CHECK (method IN ('CASH', 'CARD', 'EMONEY', 'QR')),
    amount     bigint NOT NULL CHECK (amount > 0),
    tendered   bigint NOT NULL DEFAULT 0,
    change     bigint NOT NULL DEFAULT 0 CHECK (change >= 0),
    reference  text NOT NULL DEFAULT '',
    PRIMARY KEY (sale_id, seq),
    CHECK (method = 'CASH' OR (tendered = 0 AND change = 0)),
    CHECK (method <> 'CASH' OR tendered = amount + change)
);

CREATE TABLE refunds (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sale_id        bigint NOT NULL REFERENCES sales,
    shop_id        bigint NOT NULL REFERENCES shops,
    session_id     bigint NOT NULL REFERENCES register_sessions,
    receipt_number bigint NOT NULL,
    total          bigint NOT NULL CHECK (total > 0),
    method         text NOT NULL CHECK (method IN ('ORIGINAL', 'CASH')),
    reason         text NOT NULL DEFAULT '',
    created_by     bigint NOT NULL REFERENCES users,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (shop_id, receipt_number)
);
CREATE INDEX refunds_sale ON refunds (sale_id);
CREATE INDEX refunds_session ON refunds (session_id);

CREATE TABLE refund_lines (
    refund_id   bigint NOT NULL REFERENCES refunds,
    line_number integer NOT NULL,
    quantity    integer NOT NULL CHECK (quantity > 0),
    amount      bigint NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (refund_id, line_number)
);

-- How each refund was paid back, per method.
CREATE TABLE refund_payments (
    refund_id bigint NOT NULL REFERENCES refunds,
    method    text NOT NULL CHECK (method IN ('CASH', 'CARD', 'EMONEY', 'QR')),
    amount    bigint NOT NULL CHECK (amount > 0),
    PRIMARY KEY (refund_id, method)
);

-- +goose Down
DROP TABLE refund_payments, refund_lines, refunds, sale_payments, sale_lines, sales,
    cash_movements, register_sessions, registers, shops;
