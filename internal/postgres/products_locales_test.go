package postgres_test

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// TestProductTranslationsLocales: products.translations takes keys of supported
// locales only, whoever writes it (migration 00047), since Translations.UnmarshalJSON
// refuses any other and one such row would fail every catalog page showing it; and
// the constraint's list of locales is tsunagu.Locales, so the two cannot drift.
func TestProductTranslationsLocales(t *testing.T) {
	w := newWorld(t)
	db := w.db.SQL()
	id := w.cookies.ID

	t.Run("SupportedLocales", func(t *testing.T) {
		for _, l := range tsunagu.Locales {
			tr := `{"JA": {"name": "クッキー"}, "` + string(l) + `": {"name": "cookies ` + string(l) + `"}}`
			if _, err := db.Exec(`UPDATE products SET translations = $2 WHERE id = $1`, id, tr); err != nil {
				t.Errorf("%s: %v", l, err)
			}
		}
		var all strings.Builder
		all.WriteString("{")
		for i, l := range tsunagu.Locales {
			if i > 0 {
				all.WriteString(", ")
			}
			all.WriteString(`"` + string(l) + `": {"name": "x"}`)
		}
		all.WriteString("}")
		if _, err := db.Exec(`UPDATE products SET translations = $2 WHERE id = $1`, id, all.String()); err != nil {
			t.Errorf("every locale: %v", err)
		}
		// And it reads back whole, as it would not with a key outside Locales.
		got, err := w.catalog.ProductsByID(w.admin, []tsunagu.ProductID{id})
		if err != nil {
			t.Fatalf("ProductsByID: %v", err)
		}
		if n := len(got[id].Translations); n != len(tsunagu.Locales) {
			t.Errorf("read back %d texts, want %d", n, len(tsunagu.Locales))
		}
	})

	for _, c := range []struct{ name, tr string }{
		{"French", `{"JA": {"name": "クッキー"}, "FR": {"name": "biscuits"}}`},
		{"LowerCaseJA", `{"JA": {"name": "クッキー"}, "ja": {"name": "くっきー"}}`},
		{"Array", `["JA"]`},
	} {
		t.Run("Refused"+c.name, func(t *testing.T) {
			before := w.snapshot()
			_, err := db.Exec(`UPDATE products SET translations = $2 WHERE id = $1`, id, c.tr)
			checkViolation(t, err)
			_, err = db.Exec(`INSERT INTO products (facility_id, municipality_id, translations, search_text,
				category, price, tax_class) SELECT facility_id, municipality_id, $2, search_text, category, price, tax_class
				FROM products WHERE id = $1`, id, c.tr)
			checkViolation(t, err)
			w.unchanged(before)
		})
	}

	t.Run("ListIsLocales", func(t *testing.T) {
		var def string
		err := db.QueryRow(`SELECT pg_get_constraintdef(oid) FROM pg_constraint
			WHERE conrelid = 'products'::regclass AND conname = 'products_translations_locales'`).Scan(&def)
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`'\{([^}]*)\}'::text\[\]`).FindStringSubmatch(def)
		if m == nil {
			t.Fatalf("no list of locales in %s", def)
		}
		var want []string
		for _, l := range tsunagu.Locales {
			want = append(want, string(l))
		}
		if got := strings.Split(m[1], ","); !slices.Equal(got, want) {
			t.Errorf("the constraint allows %q, tsunagu.Locales are %q (%s)", got, want, def)
		}
	})
}

// checkViolation fails t unless err is PostgreSQL's check_violation of
// products_translations_locales.
func checkViolation(t *testing.T, err error) {
	t.Helper()
	var pe *pq.Error
	if !errors.As(err, &pe) || pe.Code != "23514" || pe.Constraint != "products_translations_locales" {
		t.Errorf("err = %v, want check_violation of products_translations_locales", err)
	}
}
