-- +goose Up
-- Failed sign-ins in a row per account address and network address: the back-off
-- of tsunagu.LoginBackoff. A row is cleared by a sign-in that succeeds.
CREATE TABLE login_failures (
    email          text NOT NULL,
    client_addr    text NOT NULL,
    failures       int NOT NULL CHECK (failures > 0),
    last_failed_at timestamptz NOT NULL,
    PRIMARY KEY (email, client_addr)
);

-- +goose Down
DROP TABLE login_failures;
