-- +goose Up
-- An applied import of products from CSV (importProducts): what each row did, for
-- a retry with the same idempotency key to answer with.
CREATE TABLE product_imports (
    id          bigserial PRIMARY KEY,
    user_id     bigint REFERENCES users, -- NULL for the system acting without an account
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- [{"row": 2, "action": "CREATE", "productId": 17}, …], in the file's order
    rows        jsonb NOT NULL
);

-- +goose Down
DROP TABLE product_imports;
