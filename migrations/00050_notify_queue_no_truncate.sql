-- +goose Up
-- A VACUUM of notify_queue (the relays run one every second they took rows,
-- postgres.Relay) would, by default, cut the empty pages off the table's end, and
-- for that take a lock that every writing transaction's INSERT waits for: the
-- bench saw it waiting to do so between sales. The pages are filled again at once.
ALTER TABLE notify_queue SET (vacuum_truncate = false);

-- +goose Down
ALTER TABLE notify_queue RESET (vacuum_truncate);
