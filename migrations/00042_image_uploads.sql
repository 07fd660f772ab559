-- +goose Up
-- A signed upload link for one picture (createImageUpload): the staff member it was
-- made for PUTs the file to /uploads/<token> before it expires, once. Only the
-- token's SHA-256 is kept. image_name is the stored picture's content-addressed
-- name once the link was used.
CREATE TABLE image_uploads (
    id          bigserial PRIMARY KEY,
    token_hash  bytea NOT NULL UNIQUE,
    user_id     bigint NOT NULL REFERENCES users,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    image_name  text,
    CHECK ((used_at IS NULL) = (image_name IS NULL))
);
CREATE INDEX image_uploads_user ON image_uploads (user_id, created_at);

-- +goose Down
DROP TABLE image_uploads;
