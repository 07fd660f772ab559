package graph_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestGraphQLOverHTTP checks the answers the GraphQL-over-HTTP specification
// prescribes, for both response media types.
func TestGraphQLOverHTTP(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	post := func(contentType, accept, body string) (int, string, map[string]json.RawMessage) {
		t.Helper()
		req := httptest.NewRequest("POST", "/graphql", strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		rec := httptest.NewRecorder()
		a.handler.ServeHTTP(rec, req)
		var m map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("answer is not JSON (%d): %s", rec.Code, rec.Body)
		}
		return rec.Code, rec.Header().Get("Content-Type"), m
	}
	code := func(m map[string]json.RawMessage) string {
		var errs []struct{ Extensions struct{ Code string } }
		json.Unmarshal(m["errors"], &errs)
		if len(errs) == 0 {
			return ""
		}
		return errs[0].Extensions.Code
	}
	const (
		parseError      = `{"query": "{ products(first: 1 { edges } }"}`
		validationError = `{"query": "{ noSuchField }"}`
		fieldError      = `{"query": "{ registers { name } }"}`
		fine            = `{"query": "{ allergens { nameJa } }"}`
		strict          = "application/graphql-response+json, application/json;q=0.9"
	)
	for _, c := range []struct {
		name, contentType, accept, body string
		status                          int
		media, code                     string
		data                            bool // whether the answer has a "data" entry
	}{
		{"JSONParseError", "application/json", "", parseError, 200, "application/json", "GRAPHQL_PARSE_FAILED", false},
		{"JSONValidationError", "application/json; charset=utf-8", "application/json", validationError, 200, "application/json", "GRAPHQL_VALIDATION_FAILED", false},
		{"JSONFieldError", "application/json", "", fieldError, 200, "application/json", "UNAUTHENTICATED", true},
		{"JSONFine", "application/json", "*/*", fine, 200, "application/json", "", true},
		{"StrictParseError", "application/json", strict, parseError, 400, "application/graphql-response+json", "GRAPHQL_PARSE_FAILED", false},
		{"StrictValidationError", "application/json", strict, validationError, 400, "application/graphql-response+json", "GRAPHQL_VALIDATION_FAILED", false},
		{"StrictLimit", "application/json", strict, `{"query": "{ __schema { types { name } } }"}`, 400, "application/graphql-response+json", "INTROSPECTION_DISABLED", false},
		{"StrictFieldError", "application/json", strict, fieldError, 200, "application/graphql-response+json", "UNAUTHENTICATED", true},
		{"StrictFine", "application/json", strict, fine, 200, "application/graphql-response+json", "", true},
		{"ErrNotGraphQLRequest", "application/json", "", `{"query": 5}`, 400, "application/json", "INVALID_INPUT", false},
		// No media type, or another one: 415 before anything runs, the catalog
		// cache included (the anonymous query below is one it would answer).
		{"ErrNoContentType", "", "", fine, 415, "application/json", "INVALID_INPUT", false},
		{"ErrTextPlain", "text/plain", "", fine, 415, "application/json", "INVALID_INPUT", false},
		{"ErrForm", "application/x-www-form-urlencoded", "", "query=%7Ballergens%7BnameJa%7D%7D", 415, "application/json", "INVALID_INPUT", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, media, m := post(c.contentType, c.accept, c.body)
			_, hasData := m["data"]
			if status != c.status || media != c.media || code(m) != c.code || hasData != c.data {
				t.Errorf("got %d %q code %q data %v, want %d %q code %q data %v: %s",
					status, media, code(m), hasData, c.status, c.media, c.code, c.data, m["errors"])
			}
		})
	}
}
