-- +goose Up

-- When Stripe confirmed an online order's refund (issue 19): the money went back to
-- the shopper then, so settlement counts the refund in that moment's month. Only a
-- SUCCEEDED refund has it: a refund still PENDING, or FAILED (Stripe unreachable, or
-- Stripe refused it), gave nothing back and counts nowhere. A refund that succeeded
-- before this column existed takes its last update, the moment it was marked
-- SUCCEEDED (nothing updates a SUCCEEDED refund).
ALTER TABLE order_refunds ADD COLUMN succeeded_at timestamptz;
UPDATE order_refunds SET succeeded_at = updated_at WHERE status = 'SUCCEEDED';
ALTER TABLE order_refunds ADD CONSTRAINT order_refunds_succeeded_at
    CHECK ((status = 'SUCCEEDED') = (succeeded_at IS NOT NULL));
CREATE INDEX order_refunds_succeeded ON order_refunds (succeeded_at) WHERE succeeded_at IS NOT NULL;

-- +goose Down
ALTER TABLE order_refunds DROP COLUMN succeeded_at;
