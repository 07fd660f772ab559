-- +goose Up

-- Closing a settlement month (issue 19, point 3). Every event of the settlement
-- ledger records the month whose close took it in: a sale (sales.settled_month), its
-- void (sales.void_settled_month), a counter refund, an online order's payment and a
-- confirmed online refund. NULL is an event no close has taken yet: it counts in
-- its own month while that month is open, and in the shop's first open month when it
-- was committed after its own month closed (a transaction that began before the
-- close). A close marks the events in one statement and freezes its statements from
-- exactly the events it marked, so a closed statement never changes again.
ALTER TABLE sales ADD COLUMN settled_month date, ADD COLUMN void_settled_month date;
ALTER TABLE refunds ADD COLUMN settled_month date;
ALTER TABLE orders ADD COLUMN settled_month date;
ALTER TABLE order_refunds ADD COLUMN settled_month date;

-- A shop's events by the close that took them (NULL: none yet) and time: what a
-- close marks and reads, and what an open month of one shop reads.
CREATE INDEX sales_settlement ON sales (shop_id, settled_month, created_at);
CREATE INDEX sales_void_settlement ON sales (shop_id, void_settled_month, voided_at) WHERE voided_at IS NOT NULL;
CREATE INDEX refunds_settlement ON refunds (shop_id, settled_month, created_at);
CREATE INDEX orders_settlement ON orders (shop_id, settled_month, paid_at) WHERE paid_at IS NOT NULL;
CREATE INDEX order_refunds_settlement ON order_refunds (settled_month, succeeded_at) WHERE status = 'SUCCEEDED';

-- A statement's line may be a refund (or void) of a sale made in an earlier month:
-- it then names that sale (a counter sale with its receipt number, or an online
-- order) and when it was made, and is kept apart from the month's own sales of the
-- product. NULLs in those columns make the old primary key impossible; a close
-- writes each statement's lines once, in one statement.
ALTER TABLE settlement_lines DROP CONSTRAINT settlement_lines_pkey,
    ADD COLUMN refund_of_sale bigint REFERENCES sales,
    ADD COLUMN refund_of_order bigint REFERENCES orders,
    ADD COLUMN refund_of_receipt bigint,
    ADD COLUMN refund_of_sold_at timestamptz,
    ADD CHECK ((refund_of_sale IS NULL AND refund_of_order IS NULL) = (refund_of_sold_at IS NULL));
CREATE INDEX settlement_lines_statement ON settlement_lines (statement_id);

-- +goose Down
DROP INDEX settlement_lines_statement;
DELETE FROM settlement_lines WHERE refund_of_sold_at IS NOT NULL;
ALTER TABLE settlement_lines DROP COLUMN refund_of_sale, DROP COLUMN refund_of_order,
    DROP COLUMN refund_of_receipt, DROP COLUMN refund_of_sold_at,
    ADD PRIMARY KEY (statement_id, product_id, tax_class, qualified, basis_points);
ALTER TABLE order_refunds DROP COLUMN settled_month;
ALTER TABLE orders DROP COLUMN settled_month;
ALTER TABLE refunds DROP COLUMN settled_month;
ALTER TABLE sales DROP COLUMN settled_month, DROP COLUMN void_settled_month;
