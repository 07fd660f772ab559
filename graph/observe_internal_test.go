package graph

import "testing"

// A mutation's result in the metrics and the log is its first userError's code, or
// ok: found in the answer as gqlgen writes it, whether or not the quick check for
// userErrors lets the answer be decoded.
func TestUserErrorCode(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{`{"createSale":{"sale":{"id":"U2FsZTox","receiptNumber":1},"userErrors":[]}}`, "ok"},
		{`{"createSale":{"sale":null,"userErrors":[{"code":"INSUFFICIENT_STOCK","message":"x"}]}}`, "INSUFFICIENT_STOCK"},
		{`{"a":{"userErrors":[]},"b":{"userErrors":[{"message":"y","code":"NOT_FOUND"}]}}`, "NOT_FOUND"},
		// Not the payload's userErrors: a string that holds the words, an alias.
		{`{"updateProduct":{"product":{"name":"\"userErrors\":[{\"code\":\"X\"}]"},"userErrors":[]}}`, "ok"},
		{`{"updateProduct":{"errs":[{"code":"X"}]}}`, "ok"},
		{`{"logout":{"userErrors":[{"message":"no code selected"}]}}`, "ok"},
		{`null`, "ok"},
	} {
		if got := userErrorCode([]byte(c.data)); got != c.want {
			t.Errorf("userErrorCode(%s) = %s, want %s", c.data, got, c.want)
		}
	}
}
