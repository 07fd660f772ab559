-- +goose Up
-- A Terminal card sale keeps the reader's last decline (the clerk may retry with
-- another card) and a flag for staff when Stripe took money the sale could not
-- book (a wrong amount, or paid after the sale was cancelled and its goods gone):
-- such a payment is refunded by hand, never silently ignored.
-- (Numbered 00006: 00005 is taken by the rate limits on another branch.)
ALTER TABLE sales ADD COLUMN last_payment_error text NOT NULL DEFAULT '',
    ADD COLUMN payment_flag text NOT NULL DEFAULT '';
CREATE INDEX sales_payment_flagged ON sales (shop_id, id) WHERE payment_flag <> '';

-- +goose Down
DROP INDEX sales_payment_flagged;
ALTER TABLE sales DROP COLUMN last_payment_error, DROP COLUMN payment_flag;
