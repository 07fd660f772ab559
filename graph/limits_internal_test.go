package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/graph/generated"
)

// TestEveryListFieldHasAWeight walks the schema: a list or connection field without
// a weight in cost.go would be counted as a default page whatever it returns.
func TestEveryListFieldHasAWeight(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	lists := 0
	for _, def := range schema.Types {
		if strings.HasPrefix(def.Name, "__") || (def.Kind != ast.Object && def.Kind != ast.Interface) {
			continue
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") || !isList(f.Type) {
				continue
			}
			lists++
			if _, ok := weightOf(def.Name, f.Name); !ok {
				t.Errorf("%s.%s (%s) has no weight in listWeights", def.Name, f.Name, f.Type)
			}
		}
	}
	for k := range listWeights {
		typ, field, _ := strings.Cut(k, ".")
		if d := schema.Types[typ]; d == nil || d.Fields.ForName(field) == nil {
			t.Errorf("listWeights names %s, which the schema does not have", k)
		}
	}
	if lists < 50 {
		t.Fatalf("only %d list fields found: the walk is broken", lists)
	}
}

// TestCachesKeepNoQueryText: the catalog cache's shapes and gqlgen's query cache are
// keyed by hashes, keep nothing of a query that does not parse, and no document of
// a huge query.
func TestCachesKeepNoQueryText(t *testing.T) {
	c := NewCatalogCache()
	big := "{ products { edges { node { name } } } " + strings.Repeat(" ", 1<<20)
	for i := range 300 {
		c.shape(big + strings.Repeat("x", i)) // 300 unique 1 MB queries that do not parse
	}
	if len(c.shapes) != 0 {
		t.Fatalf("%d shapes of invalid queries kept", len(c.shapes))
	}
	c.shape(big + "}")
	if len(c.shapes) != 1 {
		t.Fatalf("%d shapes after one valid query", len(c.shapes))
	}
	for k := range c.shapes {
		if len(k) != 32 {
			t.Fatalf("a shape is keyed by %d bytes, not a hash", len(k))
		}
	}
	// Answers are kept under a hash of the query too: 300 valid queries padded to a
	// megabyte each keep 32 bytes of key apiece.
	c.connected = true
	answer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"data":{}}`)) })
	for i := range 300 {
		body, _ := json.Marshal(map[string]string{"query": big + strings.Repeat(" ", i) + "}"})
		r := httptest.NewRequest("POST", "/graphql", bytes.NewReader(body))
		if !c.serve(httptest.NewRecorder(), r, body, answer) {
			t.Fatal("a catalog query was not served through the cache")
		}
	}
	if len(c.entries[0]) != 300 || c.bytes[0] != 300*len(`{"data":{}}`) {
		t.Fatalf("%d answers in %d bytes, want 300 of %d bytes", len(c.entries[0]), c.bytes[0], len(`{"data":{}}`))
	}
	for k := range c.entries[0] {
		if len(k) != 32 {
			t.Fatalf("an answer is keyed by %d bytes, not a hash", len(k))
		}
	}
	q := newQueryCache()
	ctx := context.Background()
	q.Add(ctx, big+"}", nil)
	if _, ok := q.Get(ctx, big+"}"); ok {
		t.Fatal("a 1 MB query's document was kept")
	}
	q.Add(ctx, "{ allergens { nameJa } }", nil)
	if _, ok := q.Get(ctx, "{ allergens { nameJa } }"); !ok {
		t.Fatal("a short query's document was not kept")
	}
}
