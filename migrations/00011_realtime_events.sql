-- +goose Up
-- Real time (GraphQL subscriptions): every committed change of an order, a stock
-- level or a transfer is announced to every API process on channel tsunagu_events,
-- which re-reads the object for each subscriber as that subscriber. Payloads carry
-- only IDs (what routes the event to subscribers), never the object's data: what a
-- subscriber receives is always what a read as them returns. pg_notify sends at
-- commit, so nothing is announced that did not commit, and folds identical payloads
-- of one transaction into one.
--
--   order:<id>:<shop id>
--   stock:<location id>:<product id>
--   transfer:<id>:<from municipality id>:<to municipality id>
--   user:<id>          a token of the user was revoked, or the user changed or was
--                      disabled: their open sockets authenticate again
--
-- version counts the changes of a row, so that a client can drop an event older
-- than the state it already shows.
ALTER TABLE orders ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE transfers ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE stock_levels ADD COLUMN version bigint NOT NULL DEFAULT 1;

-- +goose StatementBegin
CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER orders_version BEFORE UPDATE ON orders
    FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER transfers_version BEFORE UPDATE ON transfers
    FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER stock_levels_version BEFORE UPDATE ON stock_levels
    FOR EACH ROW EXECUTE FUNCTION bump_version();

-- +goose StatementBegin
CREATE FUNCTION notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER orders_event AFTER INSERT OR UPDATE ON orders
    FOR EACH ROW EXECUTE FUNCTION notify_event();
CREATE TRIGGER stock_levels_event AFTER INSERT OR UPDATE OR DELETE ON stock_levels
    FOR EACH ROW EXECUTE FUNCTION notify_event();
CREATE TRIGGER transfers_event AFTER INSERT OR UPDATE ON transfers
    FOR EACH ROW EXECUTE FUNCTION notify_event();
CREATE TRIGGER auth_tokens_event AFTER UPDATE OF revoked_at, expires_at OR DELETE ON auth_tokens
    FOR EACH ROW EXECUTE FUNCTION notify_event();
CREATE TRIGGER users_event AFTER UPDATE OF disabled_at, role, municipality_id, shop_id OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION notify_event();

-- +goose Down
DROP TRIGGER users_event ON users;
DROP TRIGGER auth_tokens_event ON auth_tokens;
DROP TRIGGER transfers_event ON transfers;
DROP TRIGGER stock_levels_event ON stock_levels;
DROP TRIGGER orders_event ON orders;
DROP FUNCTION notify_event();
DROP TRIGGER stock_levels_version ON stock_levels;
DROP TRIGGER transfers_version ON transfers;
DROP TRIGGER orders_version ON orders;
DROP FUNCTION bump_version();
ALTER TABLE stock_levels DROP COLUMN version;
ALTER TABLE transfers DROP COLUMN version;
ALTER TABLE orders DROP COLUMN version;
