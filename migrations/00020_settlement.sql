-- +goose Up

-- Settlement (issue 19). Numbered 00020 to leave 00012–00019 to work on other
-- branches.

-- A shop's commission history: from effective_from on (a Japan date) the shop keeps
-- basis_points of its sales of consigned goods. A row with facility_id overrides for
-- that facility's goods, one with municipality_id for the goods of that
-- municipality's facilities (a partnership); neither is the shop's own rate. Rows are
-- never changed: a new rate is a new row, and of two rows of one scope and date the
-- later (higher id) holds.
CREATE TABLE commission_rates (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shop_id         bigint NOT NULL REFERENCES shops,
    facility_id     bigint REFERENCES facilities,
    municipality_id bigint REFERENCES municipalities,
    basis_points    integer NOT NULL CHECK (basis_points BETWEEN 0 AND 10000),
    effective_from  date NOT NULL,
    set_by          bigint REFERENCES users,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (facility_id IS NULL OR municipality_id IS NULL)
);
CREATE INDEX commission_rates_lookup ON commission_rates (shop_id, effective_from DESC, id DESC);

-- The months a shop has closed. A close freezes the month's statements of every
-- facility at the shop; a month closes after the ones before it.
CREATE TABLE settlement_closes (
    shop_id   bigint NOT NULL REFERENCES shops,
    month     date NOT NULL CHECK (extract(day FROM month) = 1),
    closed_at timestamptz NOT NULL DEFAULT now(),
    closed_by bigint REFERENCES users,
    PRIMARY KEY (shop_id, month)
);

-- A statement of a (facility, shop, month). The row exists once the month has any
-- sale of the facility's goods at the shop (its ID stays the same when it closes);
-- the figures are kept from the close on, with its statement number, and never
-- change after.
CREATE TABLE settlement_statements (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id      bigint NOT NULL REFERENCES facilities,
    shop_id          bigint NOT NULL REFERENCES shops,
    month            date NOT NULL CHECK (extract(day FROM month) = 1),
    status           text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED', 'PAID')),
    statement_number text UNIQUE,
    units_sold       integer,
    units_refunded   integer,
    gross            bigint,
    refunds          bigint,
    commission       bigint,
    commission_tax   bigint,
    payable          bigint,
    rounding         text CHECK (rounding IN ('DOWN', 'HALF_UP', 'UP')),
    closed_at        timestamptz,
    closed_by        bigint REFERENCES users,
    paid_on          date,
    payment_reference text NOT NULL DEFAULT '',
    paid_by          bigint REFERENCES users,
    paid_at          timestamptz,
    UNIQUE (facility_id, shop_id, month),
    CHECK ((status = 'OPEN') = (statement_number IS NULL)),
    CHECK (status = 'OPEN' OR (payable IS NOT NULL AND closed_at IS NOT NULL AND rounding IS NOT NULL)),
    CHECK ((status = 'PAID') = (paid_on IS NOT NULL))
);
CREATE INDEX settlement_statements_month ON settlement_statements (month, id);
CREATE INDEX settlement_statements_shop ON settlement_statements (shop_id, month);

-- The frozen ledger of a closed statement, per product, tax class, qualification
-- and commission rate: what the statement's figures are computed from.
CREATE TABLE settlement_lines (
    statement_id   bigint NOT NULL REFERENCES settlement_statements,
    product_id     bigint NOT NULL REFERENCES products,
    name           text NOT NULL,
    tax_class      text NOT NULL CHECK (tax_class IN ('REDUCED_8', 'STANDARD_10')),
    qualified      boolean NOT NULL,
    basis_points   integer NOT NULL,
    units_sold     integer NOT NULL,
    gross          bigint NOT NULL,
    units_refunded integer NOT NULL,
    refunds        bigint NOT NULL,
    PRIMARY KEY (statement_id, product_id, tax_class, qualified, basis_points)
);

-- +goose Down
DROP TABLE settlement_lines, settlement_statements, settlement_closes, commission_rates;
