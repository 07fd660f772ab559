-- +goose Up
-- Running the network from the API: municipalities get a contact and an update time;
-- partnerships get a history. A partnership holds from starts_on (a Japan date) until
-- the day before ends_on; one that ended and started again is a second row, and the
-- rows of one pair never overlap. What a shop may carry is decided by one predicate,
-- the view active_partners (postgres.carriedAt), for every caller.
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE municipalities
    ADD COLUMN contact    jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

ALTER TABLE partnerships DROP CONSTRAINT partnerships_pkey;
ALTER TABLE partnerships RENAME COLUMN since TO starts_on;
ALTER TABLE partnerships
    ADD COLUMN id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ADD COLUMN ends_on    date,
    ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT partnerships_ends_after_start CHECK (ends_on > starts_on),
    ADD CONSTRAINT partnerships_no_overlap EXCLUDE USING gist (
        municipality_a WITH =, municipality_b WITH =, daterange(starts_on, ends_on) WITH &&);

-- The partners each municipality has today (Japan time), both ways round.
CREATE VIEW active_partners AS
    SELECT municipality_a AS municipality_id, municipality_b AS partner_id FROM partnerships
    WHERE starts_on <= (now() AT TIME ZONE 'Asia/Tokyo')::date
      AND (ends_on IS NULL OR ends_on > (now() AT TIME ZONE 'Asia/Tokyo')::date)
    UNION ALL
    SELECT municipality_b, municipality_a FROM partnerships
    WHERE starts_on <= (now() AT TIME ZONE 'Asia/Tokyo')::date
      AND (ends_on IS NULL OR ends_on > (now() AT TIME ZONE 'Asia/Tokyo')::date);

-- +goose Down
DROP VIEW active_partners;
ALTER TABLE partnerships DROP CONSTRAINT partnerships_no_overlap, DROP CONSTRAINT partnerships_ends_after_start,
    DROP COLUMN created_at, DROP COLUMN ends_on, DROP COLUMN id;
ALTER TABLE partnerships RENAME COLUMN starts_on TO since;
ALTER TABLE partnerships ADD PRIMARY KEY (municipality_a, municipality_b);
ALTER TABLE municipalities DROP COLUMN updated_at, DROP COLUMN contact;
