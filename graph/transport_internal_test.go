package graph

import (
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestEncodeResponseIsJSONMarshal: the transport's encoder writes the bytes
// json.Marshal writes for every shape of response, HTML-escaping in data included.
func TestEncodeResponseIsJSONMarshal(t *testing.T) {
	data := json.RawMessage(`{"products":{"edges":[{"node":{"name":"<b>木 & 竹</b> \u2028","price":1200}}]},"x":null}`)
	testEncodeResponse(t, data)
	// Each character json.Marshal escapes on its own (the raw U+2028 and U+2029, not
	// their \u escapes as above), and answers with none, whose bytes are copied as
	// they are: Japanese, and other characters whose UTF-8 starts as U+2028's does.
	for _, name := range []string{"<b>", "a>b", "木&竹", "行\u2028区切り", "段\u2029落", "手作りの木のおもちゃ",
		"続く…", "※ 注意 \u2027\u202a"} {
		// As gqlgen writes a string: <, >, & and the separators as they are.
		testEncodeResponse(t, json.RawMessage(`{"product":{"name":"`+name+`"}}`))
	}
}

func testEncodeResponse(t *testing.T, data json.RawMessage) {
	t.Helper()
	yes := true
	for name, r := range map[string]*graphql.Response{
		"data":      {Data: data},
		"null data": {},
		"errors": {Errors: gqlerror.List{{Message: "Internal error.", Path: ast.Path{ast.PathName("products")},
			Extensions: map[string]any{"code": "INTERNAL", "data": nil}}}},
		"errors and data": {Data: data, Errors: gqlerror.List{{Message: "<no>"}}},
		"everything": {Data: data, Label: "later", Path: ast.Path{ast.PathName("a"), ast.PathIndex(2)}, HasNext: &yes,
			Extensions: map[string]any{"cost": 12}},
		"none": nil,
	} {
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encodeResponse([]byte("before"), r)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if string(got) != "before"+string(want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}
