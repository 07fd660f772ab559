-- +goose Up
-- The readings (furigana, in kana) of a location's name and of a person's name:
-- the POS app shows them over the shop's and the clerk's names in furigana mode,
-- as it does over products' names. Kana only, checked in the domain
-- (tsunagu.ParseNameReading); NULL when there is none.
ALTER TABLE locations ADD COLUMN name_reading text
    CONSTRAINT locations_name_reading_length CHECK (char_length(name_reading) BETWEEN 1 AND 100);
ALTER TABLE users ADD COLUMN name_reading text
    CONSTRAINT users_name_reading_length CHECK (char_length(name_reading) BETWEEN 1 AND 100);

-- +goose Down
ALTER TABLE users DROP COLUMN name_reading;
ALTER TABLE locations DROP COLUMN name_reading;
