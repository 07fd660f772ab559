-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE municipalities (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{6}$'),
    name        text NOT NULL CHECK (name <> ''),
    name_kana   text NOT NULL DEFAULT '',
    name_en     text NOT NULL DEFAULT '',
    prefecture  text NOT NULL CHECK (prefecture <> ''),
    is_home     boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- Exactly one municipality runs the network.
CREATE UNIQUE INDEX municipalities_one_home ON municipalities (is_home) WHERE is_home;

-- A partnership is stored once, with the lower ID first.
CREATE TABLE partnerships (
    municipality_a bigint NOT NULL REFERENCES municipalities,
    municipality_b bigint NOT NULL REFERENCES municipalities,
    since          date NOT NULL DEFAULT current_date,
    PRIMARY KEY (municipality_a, municipality_b),
    CHECK (municipality_a < municipality_b)
);
CREATE INDEX partnerships_b ON partnerships (municipality_b);

CREATE TABLE facilities (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_id     bigint NOT NULL REFERENCES municipalities,
    name                text NOT NULL CHECK (name <> ''),
    name_kana           text NOT NULL DEFAULT '',
    kind                text NOT NULL CHECK (kind IN ('EMPLOYMENT_SUPPORT_A', 'EMPLOYMENT_SUPPORT_B',
                            'EMPLOYMENT_TRANSITION', 'LIFE_CARE', 'OTHER')),
    corporation         text NOT NULL CHECK (corporation <> ''),
    registration_number text CHECK (registration_number ~ '^T[0-9]{13}$'),
    contact             jsonb NOT NULL DEFAULT '{}',
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX facilities_municipality ON facilities (municipality_id, id);

CREATE TABLE locations (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_id bigint NOT NULL REFERENCES municipalities,
    kind            text NOT NULL CHECK (kind IN ('SHOP', 'FACILITY', 'WAREHOUSE')),
    name            text NOT NULL CHECK (name <> ''),
    facility_id     bigint REFERENCES facilities,
    address         text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'FACILITY') = (facility_id IS NOT NULL))
);
CREATE INDEX locations_municipality ON locations (municipality_id, id);

CREATE TABLE products (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id     bigint NOT NULL REFERENCES facilities,
    -- The facility's municipality, kept here so that the catalog's filters and
    -- visibility rule use one index; a facility never changes municipality.
    municipality_id bigint NOT NULL REFERENCES municipalities,
    -- {"JA": {"name": …, "description": …}, "EN": {…}, …}; JA is always present.
    translations    jsonb NOT NULL CHECK (translations ? 'JA'),
    -- Every name, normalised (NFKC, katakana→hiragana, lower case) for search.
    search_text     text NOT NULL,
    category        text NOT NULL CHECK (category IN ('FOOD', 'SWEETS', 'BAKERY', 'BEVERAGE', 'CRAFT',
                        'TEXTILE', 'STATIONERY', 'HOUSEHOLD', 'PLANT', 'OTHER')),
    code            text CHECK (code ~ '^[0-9]{8}$|^[0-9]{13}$'),
    code_kind       text CHECK (code_kind IN ('JAN13', 'JAN8', 'IN_STORE')),
    price           bigint NOT NULL CHECK (price BETWEEN 1 AND 10000000),
    tax_class       text NOT NULL CHECK (tax_class IN ('REDUCED_8', 'STANDARD_10')),
    allergens       text[] NOT NULL DEFAULT '{}',
    status          text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'ACTIVE', 'ARCHIVED')),
    image_urls      text[] NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((code IS NULL) = (code_kind IS NULL))
);
-- A scanned code names one product, whatever its status.
CREATE UNIQUE INDEX products_code ON products (code);
-- Keyset pages in id order, for each filter the catalog offers.
CREATE INDEX products_status ON products (status, id);
CREATE INDEX products_municipality ON products (municipality_id, status, id);
CREATE INDEX products_facility ON products (facility_id, status, id);
CREATE INDEX products_category ON products (category, status, id);
CREATE INDEX products_search ON products USING gin (search_text gin_trgm_ops);

CREATE TABLE users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    name            text NOT NULL DEFAULT '',
    password_hash   text NOT NULL,
    role            text NOT NULL CHECK (role IN ('ADMIN', 'MANAGER', 'CLERK', 'CUSTOMER')),
    municipality_id bigint REFERENCES municipalities,
    shop_id         bigint REFERENCES locations,
    disabled_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((role IN ('MANAGER', 'CLERK')) = (municipality_id IS NOT NULL)),
    CHECK ((role = 'CLERK') = (shop_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_email ON users (email);

-- Bearer tokens; only their SHA-256 is stored, so a leaked table signs nobody in.
CREATE TABLE auth_tokens (
    token_hash  bytea PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX auth_tokens_user ON auth_tokens (user_id);

-- +goose Down
DROP TABLE auth_tokens, users, products, locations, facilities, partnerships, municipalities;
