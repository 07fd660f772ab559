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

-- +goose Down
DROP TABLE rate_limits;
