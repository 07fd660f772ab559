-- +goose Up

-- Staff accounts offered by e-mail (inviteStaff): the invited person sets a name
-- and password through the link (acceptInvitation) within 72 hours, once. Only the
-- token's SHA-256 is kept. A clerk's municipality is their shop's.
CREATE TABLE staff_invitations (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash      bytea NOT NULL UNIQUE,
    email           text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    role            text NOT NULL CHECK (role IN ('ADMIN', 'MANAGER', 'CLERK')),
    municipality_id bigint REFERENCES municipalities,
    shop_id         bigint REFERENCES locations,
    invited_by      bigint NOT NULL REFERENCES users,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    accepted_at     timestamptz,
    user_id         bigint REFERENCES users,
    CHECK ((role IN ('MANAGER', 'CLERK')) = (municipality_id IS NOT NULL)),
    CHECK ((role = 'CLERK') = (shop_id IS NOT NULL)),
    CHECK ((accepted_at IS NULL) = (user_id IS NULL))
);
CREATE INDEX staff_invitations_email ON staff_invitations (email);

-- +goose Down
DROP TABLE staff_invitations;
