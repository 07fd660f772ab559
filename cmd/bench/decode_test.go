package main

import (
	"fmt"
	"strings"
	"testing"

	"tsunagu/graph/gid"
)

// catalogPageAnswer is an answer to catalogQuery of the bench's shape: 50
// products of a few facilities, Japanese names, the stock at the shop.
func catalogPageAnswer() []byte {
	var b strings.Builder
	b.WriteString(`{"data":{"products":{"edges":[`)
	for i := range 50 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"node":{"id":%q,"name":"木のスプーン %d","price":1200,"taxRate":10,`+
			`"facility":{"name":"ひまわり工房 %d","municipality":{"name":"仙台市"}},"stock":{"available":%d}}}`,
			gid.Encode(gid.KindProduct, int64(123400+i)), i, i/10, i)
	}
	b.WriteString(`],"pageInfo":{"endCursor":"azoxMjM0NDk","hasNextPage":true}}}}`)
	return []byte(b.String())
}

func TestDecodeAnswer(t *testing.T) {
	var page catalogAnswer
	if err := decodeAnswer(catalogPageAnswer(), 200, &page); err != nil {
		t.Fatal(err)
	}
	e := page.Products.Edges
	if len(e) != 50 || e[49].Node.Name != "木のスプーン 49" || e[49].Node.Stock.Available != 49 ||
		e[0].Node.Facility.Municipality.Name != "仙台市" || e[0].Node.ID != gid.Encode(gid.KindProduct, 123400) {
		t.Fatalf("decoded %+v", e)
	}
	for _, c := range []struct{ name, raw, want string }{
		{"a GraphQL error", `{"errors":[{"message":"too deep"}],"data":null}`, "GraphQL: too deep"},
		{"a user error", `{"data":{"createSale":{"userErrors":[{"code":"OUT_OF_STOCK","message":"Only 2 left."}]}}}`,
			"createSale: OUT_OF_STOCK Only 2 left."},
		{"not JSON", `Too Many Requests`, "status 429: Too Many Requests"},
	} {
		err := decodeAnswer([]byte(c.raw), 429, nil)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
	if err := decodeAnswer([]byte(`{"data":{"createSale":{"userErrors":[]}}}`), 200, nil); err != nil {
		t.Errorf("a payload without user errors: %v", err)
	}
}

// BenchmarkDecodeCatalogAnswer is the bench client's own cost of a catalog page's
// answer, which it pays on the cores the server it measures runs on.
func BenchmarkDecodeCatalogAnswer(b *testing.B) {
	raw := catalogPageAnswer()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		var page catalogAnswer
		if err := decodeAnswer(raw, 200, &page); err != nil {
			b.Fatal(err)
		}
	}
}
