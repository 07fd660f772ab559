-- +goose Up
-- The audit log: every administrative and money mutation writes one row in the
-- transaction of its change (who, when, which object, the fields before and after).
-- Append-only: the trigger refuses to change or remove a row, whoever asks.
CREATE TABLE audit_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    actor_id        bigint REFERENCES users,
    action          text NOT NULL CHECK (action <> ''),
    object_type     text NOT NULL CHECK (object_type <> ''),
    object_id       bigint NOT NULL,
    municipality_id bigint REFERENCES municipalities,
    -- [{"field": …, "before": …, "after": …}, …]
    changes         jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX audit_log_municipality ON audit_log (municipality_id, id);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
