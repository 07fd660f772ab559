-- +goose Up
-- products.translations holds keys of supported locales only (tsunagu.Locales):
-- Translations.UnmarshalJSON refuses any other key, so a row with one ("FR",
-- "ja") written by SQL or outside tooling would make every read of the product,
-- a whole catalog page with it, fail. The program never writes one
-- (validateTranslations); this keeps everyone else from doing so, at the write.
-- jsonb - text[] takes those keys away from an object; what is left must be
-- the empty object (so an array, which 'JA' alone lets by, is refused too).
-- TestProductTranslationsLocales keeps the list equal to tsunagu.Locales.
ALTER TABLE products ADD CONSTRAINT products_translations_locales
    CHECK (translations - '{JA,JA_X_EASY,EN,ZH,KO}'::text[] = '{}'::jsonb);

-- +goose Down
ALTER TABLE products DROP CONSTRAINT products_translations_locales;
