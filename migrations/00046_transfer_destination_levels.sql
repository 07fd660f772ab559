-- +goose Up
-- Approving a transfer now makes the destination's missing stock levels of what it
-- approved, empty (nothing on hand, reserved or incoming, so no ledger rows), so
-- that shipping everything is one statement from the first shipment on
-- (postgres.destinationLevelsSQL). This makes them for the transfers approved
-- before: every line still to ship (all of an APPROVED transfer's, the rest of a
-- SHIPPED one's) of a transfer that can still ship. In key order, as every
-- statement that makes levels, so that it cannot deadlock with them.
INSERT INTO stock_levels (product_id, location_id)
SELECT DISTINCT tl.product_id, t.to_location_id
FROM transfers t JOIN transfer_lines tl ON tl.transfer_id = t.id
WHERE t.status IN ('APPROVED', 'SHIPPED') AND tl.approved > tl.shipped
ORDER BY 1, 2
ON CONFLICT DO NOTHING;

-- +goose Down
-- Nothing: an empty level reads as no stock, and levels are never deleted (a later
-- movement may refer to it).
