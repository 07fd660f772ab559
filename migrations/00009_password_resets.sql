-- +goose Up

-- One-time links to set a new password, sent by e-mail (requestPasswordReset). Only
-- the token's SHA-256 is kept, as for bearer tokens; the link works once, for an
-- hour, and a reset uses up every other link of the account.
CREATE TABLE password_resets (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

-- +goose Down
DROP TABLE password_resets;
