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
	yes := true
	data := json.RawMessage(`{"products":{"edges":[{"node":{"name":"<b>木 & 竹</b> \u2028","price":1200}}]},"x":null}`)
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
