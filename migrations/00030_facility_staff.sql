-- +goose Up

-- Staff of one facility (role FACILITY): the makers list their own goods, keep their
-- stock and read their sales and statements. Like a clerk's municipality is their
-- shop's, facility staff's municipality is their facility's, so that the managers
-- of that municipality can appoint them.
ALTER TABLE users ADD COLUMN facility_id bigint REFERENCES facilities;
ALTER TABLE users DROP CONSTRAINT users_role_check, DROP CONSTRAINT users_check;
ALTER TABLE users
    ADD CONSTRAINT users_role_check CHECK (role IN ('ADMIN', 'MANAGER', 'CLERK', 'FACILITY', 'CUSTOMER')),
    ADD CONSTRAINT users_municipality_scope CHECK ((role IN ('MANAGER', 'CLERK', 'FACILITY')) = (municipality_id IS NOT NULL)),
    ADD CONSTRAINT users_facility_scope CHECK ((role = 'FACILITY') = (facility_id IS NOT NULL));

ALTER TABLE staff_invitations ADD COLUMN facility_id bigint REFERENCES facilities;
ALTER TABLE staff_invitations DROP CONSTRAINT staff_invitations_role_check, DROP CONSTRAINT staff_invitations_check;
ALTER TABLE staff_invitations
    ADD CONSTRAINT staff_invitations_role_check CHECK (role IN ('ADMIN', 'MANAGER', 'CLERK', 'FACILITY')),
    ADD CONSTRAINT staff_invitations_municipality_scope CHECK ((role IN ('MANAGER', 'CLERK', 'FACILITY')) = (municipality_id IS NOT NULL)),
    ADD CONSTRAINT staff_invitations_facility_scope CHECK ((role = 'FACILITY') = (facility_id IS NOT NULL));

-- A change of a user's facility ends what their open subscriptions may see, as a
-- change of role or shop does.
DROP TRIGGER users_event ON users;
CREATE TRIGGER users_event AFTER UPDATE OF disabled_at, role, municipality_id, shop_id, facility_id OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION notify_event();

-- +goose Down
DROP TRIGGER users_event ON users;
CREATE TRIGGER users_event AFTER UPDATE OF disabled_at, role, municipality_id, shop_id OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION notify_event();
ALTER TABLE staff_invitations DROP CONSTRAINT staff_invitations_facility_scope,
    DROP CONSTRAINT staff_invitations_municipality_scope, DROP CONSTRAINT staff_invitations_role_check;
ALTER TABLE staff_invitations DROP COLUMN facility_id;
ALTER TABLE staff_invitations
    ADD CONSTRAINT staff_invitations_role_check CHECK (role IN ('ADMIN', 'MANAGER', 'CLERK')),
    ADD CONSTRAINT staff_invitations_check CHECK ((role IN ('MANAGER', 'CLERK')) = (municipality_id IS NOT NULL));
ALTER TABLE users DROP CONSTRAINT users_facility_scope, DROP CONSTRAINT users_municipality_scope,
    DROP CONSTRAINT users_role_check;
ALTER TABLE users DROP COLUMN facility_id;
ALTER TABLE users
    ADD CONSTRAINT users_role_check CHECK (role IN ('ADMIN', 'MANAGER', 'CLERK', 'CUSTOMER')),
    ADD CONSTRAINT users_check CHECK ((role IN ('MANAGER', 'CLERK')) = (municipality_id IS NOT NULL));
