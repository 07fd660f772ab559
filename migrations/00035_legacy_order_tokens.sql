-- +goose Up

-- The guest orders from before 00032 kept their token as it is. It is kept now as
-- its SHA-256, as staff tokens are (the token is 32 random bytes: no salt needs to
-- slow a guess), found by that hash, and the plain column goes: no copy of the
-- database opens any order. A checkout retry of such an order can no longer show
-- its token again (INVALID_STATE).
UPDATE orders SET token_hash = sha256(convert_to(token, 'UTF8')) WHERE token IS NOT NULL;
ALTER TABLE orders DROP CONSTRAINT orders_token_stored,
    DROP COLUMN token,
    ADD CONSTRAINT orders_token_stored CHECK (token_hash IS NOT NULL);
CREATE UNIQUE INDEX orders_legacy_token ON orders (token_hash) WHERE token_salt IS NULL;

-- +goose Down
-- The legacy tokens cannot be unhashed: those orders get a token no one holds.
DROP INDEX orders_legacy_token;
ALTER TABLE orders DROP CONSTRAINT orders_token_stored, ADD COLUMN token text;
UPDATE orders SET token = 'unrecoverable-' || encode(token_hash, 'hex'), token_hash = NULL WHERE token_salt IS NULL;
ALTER TABLE orders ADD CONSTRAINT orders_token_stored CHECK ((token_salt IS NULL) = (token_hash IS NULL)
    AND (token_salt IS NULL OR token IS NULL));
