-- +goose Up
-- Locations and shops run from the API: a location's opening hours (free text, as a
-- city hall writes them, holidays included) and its update time; whether a shop takes
-- online orders for pickup; and registers that retire (kept, for their sessions'
-- reports, but no longer opened or listed).
ALTER TABLE locations
    ADD COLUMN opening_hours text NOT NULL DEFAULT '',
    ADD COLUMN updated_at    timestamptz NOT NULL DEFAULT now();
ALTER TABLE shops ADD COLUMN accepts_pickup boolean NOT NULL DEFAULT true;
ALTER TABLE registers ADD COLUMN retired_at timestamptz;

-- +goose Down
ALTER TABLE registers DROP COLUMN retired_at;
ALTER TABLE shops DROP COLUMN accepts_pickup;
ALTER TABLE locations DROP COLUMN updated_at, DROP COLUMN opening_hours;
