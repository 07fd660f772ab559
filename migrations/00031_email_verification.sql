-- +goose Up

-- A shopper's address is verified by a one-time link sent to it (verifyEmail)
-- before the account sees its order history, and the guest orders placed with the
-- address then join the account. Staff addresses were verified by the invitation
-- they accepted (or set by an admin), so staff count as verified.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
UPDATE users SET email_verified_at = created_at WHERE role <> 'CUSTOMER';

-- Only the token's SHA-256 is kept; email is the address the link was sent to, so
-- that a link verifies that address only.
CREATE TABLE email_verifications (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash bytea NOT NULL UNIQUE,
    user_id    bigint NOT NULL REFERENCES users,
    email      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX email_verifications_user ON email_verifications (user_id, created_at);
-- The guest orders of an address, found when it is verified.
CREATE INDEX orders_guest_email ON orders (lower(email)) WHERE customer_id IS NULL;

-- +goose Down
DROP INDEX orders_guest_email;
DROP TABLE email_verifications;
ALTER TABLE users DROP COLUMN email_verified_at;
