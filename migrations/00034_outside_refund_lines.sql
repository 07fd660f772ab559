-- +goose Up

-- A refund made in Stripe's dashboard, outside Tsunagu (order_refunds.outside), is
-- recorded without lines; staff later say which goods it was for through
-- refundOrder, which then records lines on it, possibly in several calls and after
-- its month has closed. So the settlement ledger marks each refund LINE with the
-- month whose close took it in (order_refund_lines.settled_month), not the refund:
-- a line added to a refund a close already took counts in the shop's first open
-- month, as any event committed after its month closed. A line may carry money
-- without a whole unit (quantity 0) where one unit's price is split between an
-- outside refund and the rest refunded through Stripe; and one refund may have
-- several lines of one order line (attributed in separate calls), each with its own
-- mark.
ALTER TABLE order_refunds ADD COLUMN outside boolean NOT NULL DEFAULT false;
UPDATE order_refunds r SET outside = true
WHERE r.status = 'SUCCEEDED' AND r.stripe_refund_id IS NULL AND r.created_by IS NULL
    AND NOT EXISTS (SELECT 1 FROM order_refund_lines rl WHERE rl.refund_id = r.id);
CREATE INDEX order_refunds_outside ON order_refunds (order_id) WHERE outside;

ALTER TABLE order_refund_lines DROP CONSTRAINT order_refund_lines_pkey,
    ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ADD COLUMN settled_month date,
    DROP CONSTRAINT order_refund_lines_quantity_check, ADD CONSTRAINT order_refund_lines_quantity_check CHECK (quantity >= 0);
UPDATE order_refund_lines rl SET settled_month = r.settled_month
FROM order_refunds r WHERE r.id = rl.refund_id AND r.settled_month IS NOT NULL;
CREATE INDEX order_refund_lines_refund ON order_refund_lines (refund_id, line_number);
CREATE INDEX order_refund_lines_settlement ON order_refund_lines (settled_month, refund_id);
DROP INDEX order_refunds_settlement;
ALTER TABLE order_refunds DROP COLUMN settled_month;

-- +goose Down
ALTER TABLE order_refunds ADD COLUMN settled_month date;
UPDATE order_refunds r SET settled_month = rl.settled_month
FROM (SELECT refund_id, max(settled_month) AS settled_month FROM order_refund_lines GROUP BY refund_id) rl
WHERE rl.refund_id = r.id;
CREATE INDEX order_refunds_settlement ON order_refunds (settled_month, succeeded_at) WHERE status = 'SUCCEEDED';
DROP INDEX order_refund_lines_settlement, order_refund_lines_refund;
CREATE TEMP TABLE orl ON COMMIT DROP AS SELECT refund_id, line_number, sum(quantity)::int AS quantity,
    sum(amount)::bigint AS amount FROM order_refund_lines GROUP BY refund_id, line_number;
DELETE FROM order_refund_lines;
ALTER TABLE order_refund_lines DROP COLUMN id, DROP COLUMN settled_month,
    DROP CONSTRAINT order_refund_lines_quantity_check, ADD CONSTRAINT order_refund_lines_quantity_check CHECK (quantity > 0);
INSERT INTO order_refund_lines (refund_id, line_number, quantity, amount)
SELECT refund_id, line_number, quantity, amount FROM orl WHERE quantity > 0;
ALTER TABLE order_refund_lines ADD PRIMARY KEY (refund_id, line_number);
DROP INDEX order_refunds_outside;
ALTER TABLE order_refunds DROP COLUMN outside;
