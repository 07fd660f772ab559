-- +goose Up
-- The reading (furigana, in kana) of a product's Japanese name: the POS app shows
-- it over the name in furigana mode. Kana only, checked in the domain
-- (tsunagu.ParseNameReading); NULL when the product has none.
ALTER TABLE products ADD COLUMN name_reading text
    CONSTRAINT products_name_reading_length CHECK (char_length(name_reading) BETWEEN 1 AND 100);

-- +goose Down
ALTER TABLE products DROP COLUMN name_reading;
