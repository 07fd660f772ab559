-- +goose Up
-- The API processes' copies of every facility and municipality
-- (postgres.References) are told on channel tsunagu_references, at commit, of every
-- write to either table, and each drops its copy. One notification per
-- transaction (identical ones are folded), beside the catalog cache's on
-- tsunagu_catalog (migration 00005).

-- +goose StatementBegin
CREATE FUNCTION notify_references_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tsunagu_references', '');
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER municipalities_references AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON municipalities
    FOR EACH STATEMENT EXECUTE FUNCTION notify_references_changed();
CREATE TRIGGER facilities_references AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON facilities
    FOR EACH STATEMENT EXECUTE FUNCTION notify_references_changed();

-- +goose Down
DROP TRIGGER facilities_references ON facilities;
DROP TRIGGER municipalities_references ON municipalities;
DROP FUNCTION notify_references_changed();
