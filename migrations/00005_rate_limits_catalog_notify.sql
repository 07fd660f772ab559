-- +goose Up
-- Leaky buckets of the API's rate limits, shared by every API process. A row is a
-- bucket: level is how full it was at updated_at; it drains rate a second and holds
-- at most burst. Rows of buckets that have drained are deleted now and then.
CREATE TABLE rate_limits (
    key         text PRIMARY KEY,
    level       double precision NOT NULL CHECK (level >= 0),
    rate        double precision NOT NULL CHECK (rate > 0),
    burst       integer NOT NULL CHECK (burst >= 1),
    accepted    boolean NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- Every write to what anonymous catalog reads can reach notifies the API processes,
-- which drop their cached catalog responses: stock on channel tsunagu_stock (a sale
-- changes only that), everything else on tsunagu_catalog. Notifications are sent at
-- commit and folded into one per transaction and channel.
-- +goose StatementBegin
CREATE FUNCTION notify_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'stock_levels' THEN
        PERFORM pg_notify('tsunagu_stock', '');
    ELSE
        PERFORM pg_notify('tsunagu_catalog', '');
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER municipalities_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON municipalities
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER partnerships_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partnerships
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER facilities_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON facilities
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER locations_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON locations
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER shops_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shops
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER products_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER stock_levels_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON stock_levels
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();

-- +goose Down
DROP TRIGGER municipalities_notify ON municipalities;
DROP TRIGGER partnerships_notify ON partnerships;
DROP TRIGGER facilities_notify ON facilities;
DROP TRIGGER locations_notify ON locations;
DROP TRIGGER shops_notify ON shops;
DROP TRIGGER products_notify ON products;
DROP TRIGGER stock_levels_notify ON stock_levels;
DROP FUNCTION notify_catalog_changed();
DROP TABLE rate_limits;
