-- +goose Up
-- The alternative text of each of a product's pictures, in image_urls' order
-- ('' where none was given: the product's name serves).
ALTER TABLE products ADD COLUMN image_alts text[] NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE products DROP COLUMN image_alts;
