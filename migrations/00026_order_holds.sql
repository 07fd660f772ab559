-- +goose Up
-- What unpaid orders may hold is bounded per email address, per shopper account and
-- per network address (tsunagu.MaxUnpaidOrders…): the address an order came from is
-- kept, and each bound is counted over the orders still holding stock unpaid.
ALTER TABLE orders ADD COLUMN client_addr text;
CREATE INDEX orders_unpaid_email ON orders (lower(email)) WHERE status = 'PENDING_PAYMENT' AND stock = 'RESERVED';
CREATE INDEX orders_unpaid_customer ON orders (customer_id) WHERE status = 'PENDING_PAYMENT' AND stock = 'RESERVED';
CREATE INDEX orders_unpaid_client ON orders (client_addr) WHERE status = 'PENDING_PAYMENT' AND stock = 'RESERVED';

-- +goose Down
DROP INDEX orders_unpaid_client;
DROP INDEX orders_unpaid_customer;
DROP INDEX orders_unpaid_email;
ALTER TABLE orders DROP COLUMN client_addr;
