-- +goose Up

-- The catalog sorts by name in kana order (五十音順), using the reading where the
-- product has one and the Japanese name otherwise, folded as search folds text
-- (NFKC, katakana to hiragana, lower case) so that カタカナ and ひらがな readings
-- sort together. Compared byte-wise (COLLATE "C"), so that the order, and the
-- keyset cursors that rely on it, do not depend on the server's locale: in UTF-8,
-- hiragana's code points run in 五十音 order (a voiced kana right after its plain one).
ALTER TABLE products ADD COLUMN sort_name text COLLATE "C" GENERATED ALWAYS AS (
    lower(translate(normalize(coalesce(name_reading, translations->'JA'->>'name'), NFKC),
        'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶ',
        'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖ'))
) STORED;

-- Keyset pages in each order the catalog offers (the id breaks ties).
CREATE INDEX products_by_name ON products (status, sort_name, id);
CREATE INDEX products_by_price ON products (status, price, id);
CREATE INDEX products_by_created ON products (status, created_at, id);

-- +goose Down
DROP INDEX products_by_created;
DROP INDEX products_by_price;
DROP INDEX products_by_name;
ALTER TABLE products DROP COLUMN sort_name;
