-- +goose Up

-- A guest order's token is no longer stored. It is derived, when checkout answers
-- and again when the checkout is retried, as HMAC-SHA256 keyed by the checkout's
-- idempotency key over a random per-order salt (see orderToken); only the salt
-- and HMAC-SHA256(salt, token) are kept, so a copy of the database opens no order.
-- Orders from before keep their plain token (salt NULL) until the column goes;
-- a checkout retry hands that back while it is kept.
ALTER TABLE orders ALTER COLUMN token DROP NOT NULL,
    ADD COLUMN token_salt bytea,
    ADD COLUMN token_hash bytea,
    ADD CONSTRAINT orders_token_stored CHECK ((token_salt IS NULL) = (token_hash IS NULL)
        AND (token_salt IS NULL OR token IS NULL));

-- Idempotency keys are stored as their hex SHA-256 (storedKey), since a guest's
-- checkout key re-derives its order's token. A retry of a request made before
-- this migration still finds its key.
UPDATE idempotency_keys SET key = encode(sha256(convert_to(key, 'UTF8')), 'hex');

-- +goose Down
-- The keys cannot be unhashed; retries of earlier requests then run afresh. Orders
-- placed since the Up get a token no one holds, so their token no longer opens them.
UPDATE orders SET token = 'unrecoverable-' || encode(token_hash, 'hex') WHERE token IS NULL;
ALTER TABLE orders DROP CONSTRAINT orders_token_stored,
    DROP COLUMN token_hash, DROP COLUMN token_salt,
    ALTER COLUMN token SET NOT NULL;
