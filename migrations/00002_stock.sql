-- +goose Up

-- What a client's idempotency key stands for: the first result of one operation.
-- Written in the same transaction as the work, so a key exists exactly when the work
-- was done; a retry finds it and returns the same result.
-- The key is taken first (result_id NULL) so that a concurrent retry waits for the
-- first attempt instead of doing the work again.
CREATE TABLE idempotency_keys (
    -- Whose key it is: "u<user id>" for staff and customers; keys of different
    -- users never collide.
    scope        text NOT NULL,
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    operation    text NOT NULL,
    request_hash bytea NOT NULL,
    result_id    bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);

-- The stock of one product at one location. Each quantity equals the sum of its
-- movements in stock_movements; the checks are the last line of defence behind the
-- guarded updates of the service.
CREATE TABLE stock_levels (
    product_id    bigint NOT NULL REFERENCES products,
    location_id   bigint NOT NULL REFERENCES locations,
    on_hand       integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    reserved      integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    incoming      integer NOT NULL DEFAULT 0 CHECK (incoming >= 0),
    reorder_point integer NOT NULL DEFAULT 0 CHECK (reorder_point >= 0),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (product_id, location_id),
    CONSTRAINT stock_levels_reserved_on_hand CHECK (reserved <= on_hand)
);
CREATE INDEX stock_levels_location ON stock_levels (location_id, product_id);

-- Documents that move stock (adjustments and stocktakes; transfers below).
CREATE TABLE stock_adjustments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    location_id bigint NOT NULL REFERENCES locations,
    product_id  bigint NOT NULL REFERENCES products,
    quantity    integer NOT NULL CHECK (quantity <> 0),
    reason      text NOT NULL CHECK (reason IN ('PRODUCTION', 'COUNT_CORRECTION', 'DAMAGED', 'LOST', 'EXPIRED', 'FOUND')),
    note        text NOT NULL DEFAULT '',
    actor_id    bigint NOT NULL REFERENCES users,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE stocktakes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    location_id bigint NOT NULL REFERENCES locations,
    complete    boolean NOT NULL,
    note        text NOT NULL DEFAULT '',
    actor_id    bigint NOT NULL REFERENCES users,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE stocktake_lines (
    stocktake_id bigint NOT NULL REFERENCES stocktakes,
    product_id   bigint NOT NULL REFERENCES products,
    expected     integer NOT NULL,
    counted      integer NOT NULL CHECK (counted >= 0),
    PRIMARY KEY (stocktake_id, product_id)
);

CREATE TABLE transfers (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    from_location_id     bigint NOT NULL REFERENCES locations,
    to_location_id       bigint NOT NULL REFERENCES locations,
    -- The locations' municipalities, kept here for the filters and the balance.
    from_municipality_id bigint NOT NULL REFERENCES municipalities,
    to_municipality_id   bigint NOT NULL REFERENCES municipalities,
    status               text NOT NULL CHECK (status IN ('REQUESTED', 'APPROVED', 'SHIPPED', 'RECEIVED', 'CANCELLED')),
    note                 text NOT NULL DEFAULT '',
    created_by           bigint NOT NULL REFERENCES users,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (from_location_id <> to_location_id)
);
CREATE INDEX transfers_from_municipality ON transfers (from_municipality_id, id);
CREATE INDEX transfers_to_municipality ON transfers (to_municipality_id, id);
CREATE INDEX transfers_from_location ON transfers (from_location_id, id);
CREATE INDEX transfers_to_location ON transfers (to_location_id, id);
CREATE INDEX transfers_status ON transfers (status, id);

CREATE TABLE transfer_lines (
    transfer_id       bigint NOT NULL REFERENCES transfers,
    product_id        bigint NOT NULL REFERENCES products,
    -- The facility that owns the goods (consignment), fixed when the line is made.
    owner_facility_id bigint NOT NULL REFERENCES facilities,
    requested         integer NOT NULL CHECK (requested > 0),
    approved          integer NOT NULL DEFAULT 0 CHECK (approved >= 0 AND approved <= requested),
    shipped           integer NOT NULL DEFAULT 0 CHECK (shipped >= 0),
    received          integer NOT NULL DEFAULT 0 CHECK (received >= 0),
    short             integer NOT NULL DEFAULT 0 CHECK (short >= 0),
    -- Tax-included unit price when the line was made, for the exchange balance.
    unit_price        bigint NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (transfer_id, product_id),
    CONSTRAINT transfer_lines_shipped_approved CHECK (shipped <= approved),
    CONSTRAINT transfer_lines_received_shipped CHECK (received + short <= shipped)
);

CREATE TABLE transfer_shipments (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transfer_id     bigint NOT NULL REFERENCES transfers,
    carrier         text NOT NULL DEFAULT '',
    tracking_number text NOT NULL DEFAULT '',
    shipped_by      bigint NOT NULL REFERENCES users,
    shipped_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transfer_shipments_transfer ON transfer_shipments (transfer_id);

CREATE TABLE transfer_shipment_lines (
    shipment_id bigint NOT NULL REFERENCES transfer_shipments,
    product_id  bigint NOT NULL REFERENCES products,
    quantity    integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, product_id)
);

CREATE TABLE transfer_receipts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transfer_id bigint NOT NULL REFERENCES transfers,
    received_by bigint NOT NULL REFERENCES users,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transfer_receipts_transfer ON transfer_receipts (transfer_id);

CREATE TABLE transfer_receipt_lines (
    receipt_id   bigint NOT NULL REFERENCES transfer_receipts,
    product_id   bigint NOT NULL REFERENCES products,
    accepted     integer NOT NULL CHECK (accepted >= 0),
    short        integer NOT NULL CHECK (short >= 0),
    short_reason text CHECK (short_reason IN ('LOST', 'DAMAGED_IN_TRANSIT', 'OTHER')),
    note         text NOT NULL DEFAULT '',
    PRIMARY KEY (receipt_id, product_id),
    CHECK (accepted + short > 0),
    CHECK ((short > 0) = (short_reason IS NOT NULL))
);

-- Who did what to a transfer, and when.
CREATE TABLE transfer_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transfer_id bigint NOT NULL REFERENCES transfers,
    type        text NOT NULL CHECK (type IN ('REQUESTED', 'OFFERED', 'APPROVED', 'SHIPPED', 'RECEIVED', 'CANCELLED')),
    actor_id    bigint NOT NULL REFERENCES users,
    note        text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transfer_events_transfer ON transfer_events (transfer_id, id);

-- The append-only ledger: every change of a stock level is one row here, written in
-- the same transaction as the change. One row changes one quantity (bucket).
CREATE TABLE stock_movements (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id        bigint NOT NULL,
    location_id       bigint NOT NULL,
    -- The facility that owns the goods (consignment) until they are sold.
    owner_facility_id bigint NOT NULL REFERENCES facilities,
    bucket            text NOT NULL CHECK (bucket IN ('ON_HAND', 'RESERVED', 'INCOMING')),
    quantity          integer NOT NULL CHECK (quantity <> 0),
    reason            text NOT NULL,
    document_type     text NOT NULL CHECK (document_type IN ('ADJUSTMENT', 'STOCKTAKE', 'TRANSFER', 'SALE', 'ORDER')),
    document_id       bigint NOT NULL,
    actor_id          bigint REFERENCES users,
    created_at        timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (product_id, location_id) REFERENCES stock_levels
);
CREATE INDEX stock_movements_level ON stock_movements (location_id, product_id, id);
CREATE INDEX stock_movements_product ON stock_movements (product_id, id);
CREATE INDEX stock_movements_document ON stock_movements (document_type, document_id);
CREATE INDEX stock_movements_owner ON stock_movements (owner_facility_id, created_at);

-- +goose StatementBegin
CREATE FUNCTION stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stock_movements is append-only: correct a movement with a new one';
END $$;
-- +goose StatementEnd
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements
    FOR EACH ROW EXECUTE FUNCTION stock_movements_append_only();

-- +goose Down
DROP TABLE stock_movements, transfer_events, transfer_receipt_lines, transfer_receipts,
    transfer_shipment_lines, transfer_shipments, transfer_lines, transfers,
    stocktake_lines, stocktakes, stock_adjustments, stock_levels, idempotency_keys;
DROP FUNCTION stock_movements_append_only();
