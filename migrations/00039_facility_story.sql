-- +goose Up

-- A facility tells its story (what it makes, who works there, how) in the
-- storefront's languages, {"JA": "…", "EN": "…"}, and shows pictures (https).
ALTER TABLE facilities
    ADD COLUMN story jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(story) = 'object'),
    ADD COLUMN image_urls text[] NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE facilities DROP COLUMN image_urls, DROP COLUMN story;
