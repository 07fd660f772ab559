package postgres

import "testing"

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{
		"ID":             "id",
		"MunicipalityID": "municipality_id",
		"NameKana":       "name_kana",
		"ImageURLs":      "image_urls",
		"IsHome":         "is_home",
		"CreatedAt":      "created_at",
		"ShopID":         "shop_id",
		"HTTPServer":     "http_server",
	} {
		if got := snakeCase(in); got != want {
			t.Errorf("snakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}
