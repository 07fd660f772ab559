-- +goose Up
-- A process's copy of the facilities and municipalities (postgres.References)
-- must be dropped no later than its catalog cache (graph.CatalogCache): an
-- anonymous request that comes between the two drops otherwise builds its answer
-- from the old copy and keeps it in the emptied catalog cache, where the copy's
-- own notification does not reach it. Notifications of a transaction arrive in
-- the order they were sent, and migration 00048's AFTER triggers sent theirs after
-- migration 00005's (statement triggers fire in the order of their names:
-- facilities_notify before facilities_references). BEFORE STATEMENT triggers send
-- tsunagu_references first whatever the names, still only at commit. This holds
-- for transactions that write no other catalog table before these two, which is
-- every writer of them (CatalogService's four, each one statement).
DROP TRIGGER facilities_references ON facilities;
DROP TRIGGER municipalities_references ON municipalities;
CREATE TRIGGER municipalities_references BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON municipalities
    FOR EACH STATEMENT EXECUTE FUNCTION notify_references_changed();
CREATE TRIGGER facilities_references BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON facilities
    FOR EACH STATEMENT EXECUTE FUNCTION notify_references_changed();

-- +goose Down
DROP TRIGGER facilities_references ON facilities;
DROP TRIGGER municipalities_references ON municipalities;
CREATE TRIGGER municipalities_references AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON municipalities
    FOR EACH STATEMENT EXECUTE FUNCTION notify_references_changed();
CREATE TRIGGER facilities_references AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON facilities
    FOR EACH STATEMENT EXECUTE FUNCTION notify_references_changed();
