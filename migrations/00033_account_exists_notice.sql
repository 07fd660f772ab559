-- +goose Up

-- signUp answers alike whether or not an address has an account (issue 18 point 7):
-- when it has one, the address is told so by e-mail instead (ACCOUNT_EXISTS), at
-- most a few times an hour, counted on the index below.
ALTER TABLE notifications
    DROP CONSTRAINT notifications_kind_check,
    ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('ORDER_PAID', 'ORDER_READY', 'ORDER_SHIPPED',
        'ORDER_CANCELLED', 'ORDER_REFUNDED', 'STAFF_INVITATION', 'PASSWORD_RESET', 'EMAIL_VERIFICATION',
        'ACCOUNT_EXISTS'));
CREATE INDEX notifications_account_exists ON notifications (recipient, created_at) WHERE kind = 'ACCOUNT_EXISTS';

-- +goose Down
DROP INDEX notifications_account_exists;
DELETE FROM notifications WHERE kind = 'ACCOUNT_EXISTS';
ALTER TABLE notifications
    DROP CONSTRAINT notifications_kind_check,
    ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('ORDER_PAID', 'ORDER_READY', 'ORDER_SHIPPED',
        'ORDER_CANCELLED', 'ORDER_REFUNDED', 'STAFF_INVITATION', 'PASSWORD_RESET', 'EMAIL_VERIFICATION'));
