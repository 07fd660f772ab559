-- +goose Up
-- Writing transactions no longer NOTIFY. PostgreSQL takes one lock for the whole
-- database before a notifying transaction commits and holds it until the commit
-- has ended, WAL flush included, so every sale and transfer (each notifies the
-- catalog cache and real time) committed one at a time across the network
-- (README, issue 16). Their triggers now append to the table notify_queue in
-- their own transaction instead, which orders nothing between writers, and a
-- relay (relay_notifications, run by every API process's listener,
-- postgres.Listen) moves what has committed to pg_notify in one transaction of
-- its own: the channels, payloads and listeners are those of migrations 00005,
-- 00011, 00045 and 00048.
--
-- What stays true: a notification is sent only for what committed (the row
-- commits with the change); it is sent once (the relay deletes what it notifies,
-- in the same transaction, and relays take turns under an advisory lock, each
-- seeing everything committed before its turn); and within a transaction the
-- order holds (id order), which the token cache needs (migration 00045).
-- Identical notifications a relay finds are folded into the first, as PostgreSQL
-- folds those of one transaction: all of them committed before it is sent, and
-- each asks only that something be read again.
CREATE TABLE notify_queue (
    id bigint GENERATED ALWAYS AS IDENTITY,
    channel text NOT NULL,
    payload text NOT NULL
);
-- No index: the relay takes every row, and writers only append.

-- announce queues a notification to be sent once the transaction has committed.
-- +goose StatementBegin
CREATE FUNCTION announce(channel text, payload text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO notify_queue (channel, payload) VALUES (channel, payload)
$$;
-- +goose StatementEnd

-- relay_notifications sends every committed notification not yet sent and
-- returns how many rows it took.
-- +goose StatementBegin
CREATE FUNCTION relay_notifications() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    r record;
    n bigint := 0;
BEGIN
    -- Relays take turns; the DELETE's snapshot is taken after the turn begins, so
    -- it sees everything a previous relay did not take.
    PERFORM pg_advisory_xact_lock(hashtextextended('notifications-relay', 0));
    FOR r IN
        WITH taken AS (DELETE FROM notify_queue RETURNING id, channel, payload)
        SELECT channel, payload, count(*) AS rows FROM taken
        GROUP BY channel, payload ORDER BY min(id)
    LOOP
        PERFORM pg_notify(r.channel, r.payload);
        n := n + r.rows;
    END LOOP;
    RETURN n;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION notify_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'stock_levels' THEN
        PERFORM announce('tsunagu_stock', '');
    ELSE
        PERFORM announce('tsunagu_catalog', '');
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := OLD;
    ELSE
        r := NEW;
    END IF;
    CASE TG_TABLE_NAME
    WHEN 'orders' THEN
        PERFORM announce('tsunagu_events', 'order:' || r.id || ':' || r.shop_id);
    WHEN 'stock_levels' THEN
        PERFORM announce('tsunagu_events', 'stock:' || r.location_id || ':' || r.product_id);
    WHEN 'transfers' THEN
        PERFORM announce('tsunagu_events', 'transfer:' || r.id || ':' || r.from_municipality_id || ':' || r.to_municipality_id);
    WHEN 'auth_tokens' THEN
        PERFORM announce('tsunagu_events', 'user:' || r.user_id);
    WHEN 'users' THEN
        PERFORM announce('tsunagu_events', 'user:' || r.id);
    END CASE;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION notify_token_cache() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'auth_tokens' THEN
        PERFORM announce('tsunagu_auth', 'user:' || OLD.user_id);
    ELSE
        PERFORM announce('tsunagu_auth', 'user:' || OLD.id);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION notify_references_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM announce('tsunagu_references', '');
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION notify_references_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tsunagu_references', '');
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION notify_token_cache() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'auth_tokens' THEN
        PERFORM pg_notify('tsunagu_auth', 'user:' || OLD.user_id);
    ELSE
        PERFORM pg_notify('tsunagu_auth', 'user:' || OLD.id);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := OLD;
    ELSE
        r := NEW;
    END IF;
    CASE TG_TABLE_NAME
    WHEN 'orders' THEN
        PERFORM pg_notify('tsunagu_events', 'order:' || r.id || ':' || r.shop_id);
    WHEN 'stock_levels' THEN
        PERFORM pg_notify('tsunagu_events', 'stock:' || r.location_id || ':' || r.product_id);
    WHEN 'transfers' THEN
        PERFORM pg_notify('tsunagu_events', 'transfer:' || r.id || ':' || r.from_municipality_id || ':' || r.to_municipality_id);
    WHEN 'auth_tokens' THEN
        PERFORM pg_notify('tsunagu_events', 'user:' || r.user_id);
    WHEN 'users' THEN
        PERFORM pg_notify('tsunagu_events', 'user:' || r.id);
    END CASE;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION notify_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'stock_levels' THEN
        PERFORM pg_notify('tsunagu_stock', '');
    ELSE
        PERFORM pg_notify('tsunagu_catalog', '');
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- Notifications queued and not yet relayed are sent now, before the relay goes.
SELECT relay_notifications();
DROP FUNCTION relay_notifications();
DROP FUNCTION announce(text, text);
DROP TABLE notify_queue;
