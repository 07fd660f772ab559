package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tsunagu/graph"
)

func TestLimits(t *testing.T) {
	t.Parallel()
	a := newAPIWith(t, graph.Options{MaxBodyBytes: 4 << 10})
	t.Run("ErrDepth", func(t *testing.T) {
		q := `{ products(first: 1) { edges { node { facility { municipality { facilities(first: 1) { edges { node { products(first: 1) { edges { node { facility { municipality { name } } } } } } } } } } } } } }`
		r := a.do("", q, nil)
		if r.code() != "DEPTH_LIMIT_EXCEEDED" {
			t.Errorf("code %q: %+v", r.code(), r.Errors)
		}
	})
	t.Run("ErrDepthThroughFragments", func(t *testing.T) {
		q := `{ products(first: 1) { ...P } }
		fragment P on ProductConnection { edges { node { facility { municipality { facilities(first: 1) { edges { node { products(first: 1) { edges { node { facility { municipality { name } } } } } } } } } } } } }`
		r := a.do("", q, nil)
		if r.code() != "DEPTH_LIMIT_EXCEEDED" {
			t.Errorf("code %q", r.code())
		}
	})
	t.Run("ErrComplexity", func(t *testing.T) {
		// 100 municipalities × 100 facilities × 100 products is a million rows.
		q := `{ municipalities(first: 100) { edges { node { facilities(first: 100) { edges { node {
			products(first: 100) { edges { node { name } } } } } } } } } }`
		r := a.do("", q, nil)
		if r.code() != "COMPLEXITY_LIMIT_EXCEEDED" {
			t.Errorf("code %q", r.code())
		}
	})
	t.Run("ErrFragmentChain", func(t *testing.T) {
		// 25 fragments, each spreading the next twice: 1.2 KB that expands to 2^25
		// selections. Measured once per fragment, it is refused by its size.
		var b strings.Builder
		b.WriteString("{ ...F0 }\n")
		for i := range 25 {
			fmt.Fprintf(&b, "fragment F%d on Query { __typename ...F%d ...F%d }\n", i, i+1, i+1)
		}
		b.WriteString("fragment F25 on Query { __typename }\n")
		r := a.do("", b.String(), nil)
		if r.code() != "SIZE_LIMIT_EXCEEDED" || r.Data != nil {
			t.Errorf("code %q, data %s: %+v", r.code(), r.Data, r.Errors)
		}
	})
	t.Run("ErrTooManyTokens", func(t *testing.T) {
		// 100,000 fields in one selection (about 1 MB with the body limit raised):
		// refused by the parser's token limit before anything else reads it.
		b := newAPIWith(t, graph.Options{MaxBodyBytes: 2 << 20})
		q := "{ " + strings.Repeat("__typename ", 100_000) + "}"
		r := b.do("", q, nil)
		if r.code() != "GRAPHQL_PARSE_FAILED" || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Message, "token limit") {
			t.Errorf("code %q: %+v", r.code(), r.Errors)
		}
	})
	t.Run("ErrListsCountTheirItems", func(t *testing.T) {
		// first on every connection, and nested lists counted by their items:
		// each of these would return tens of thousands of rows.
		for _, q := range []string{
			`{ stockLevels(locationId: "x", first: 100) { edges { node { product { facility { products(first: 100) { edges { node { name facility { name } } } } } } } } } }`,
			`{ stockMovements(filter: {}, first: 100) { edges { node { product { facility { products(first: 100) { edges { node { name facility { name } } } } } } } } } }`,
			`{ sales(first: 100) { edges { node { lines { product { name } } } } } }`,
			`{ transfers(first: 100) { edges { node { lines { product { name facility { name } } owner { name } } } } } }`,
			`{ orders(first: 100) { edges { node { lines { product { name municipality { name } } } } } } }`,
		} {
			if r := a.do("", q, nil); r.code() != "COMPLEXITY_LIMIT_EXCEEDED" {
				t.Errorf("%s: code %q", q, r.code())
			}
		}
	})
	t.Run("ScreensAreWithinLimits", func(t *testing.T) {
		// The queries of the console's and storefront's screens, and the POS's
		// history: refused only for want of a sign-in, never for their cost.
		for _, q := range []string{
			`{ municipalities(first: 10) { edges { node { name partners { name nameEn } facilities { edges { node { name } } } locations { edges { node { name kind } } } } } } }`,
			`{ products(first: 20) { edges { node { name price taxClass facility { name municipality { name } } translations { locale name description } allergens imageUrls } } pageInfo { hasNextPage endCursor } } }`,
			`{ sales(first: 20) { edges { node { receiptNumber total lines { product { name } quantity unitPrice } payments { method amount } } } } }`,
			`{ transfers(first: 20) { edges { node { status lines { product { name } requested shipped received } events { type at } } } } }`,
			`{ stockLevels(locationId: "x", first: 100) { edges { node { onHand reserved product { name code facility { name } } } } } }`,
		} {
			r := a.do("", q, nil)
			if c := r.code(); c != "" && c != "UNAUTHENTICATED" && c != "NOT_FOUND" && c != "INVALID_INPUT" {
				t.Errorf("%s: code %q: %+v", q, c, r.Errors)
			}
		}
	})
	t.Run("ErrNoSuggestionsOutsideDevMode", func(t *testing.T) {
		// "Did you mean …" would list the schema's fields to a client that may not
		// introspect it.
		r := a.do("", `{ prodcts(first: 1) { edges { node { name } } } }`, nil)
		if r.code() != "GRAPHQL_VALIDATION_FAILED" || strings.Contains(r.Errors[0].Message, "Did you mean") {
			t.Errorf("code %q: %+v", r.code(), r.Errors)
		}
	})
	t.Run("FullPageIsWithinLimits", func(t *testing.T) {
		r := a.do("", `{ products(first: 100) { edges { node { name price facility { name municipality { name } } municipality { code } translations { locale name } } } } }`, nil)
		if len(r.Errors) > 0 {
			t.Errorf("a full product page was refused: %+v", r.Errors)
		}
	})
	t.Run("ErrBodyTooLarge", func(t *testing.T) {
		body, _ := json.Marshal(map[string]any{"query": "{ me { email } }", "variables": map[string]any{"x": strings.Repeat("a", 5000)}})
		r := a.send(context.Background(), "", "application/json", body)
		if len(r.Errors) == 0 || r.Status < 400 {
			t.Errorf("status %d, errors %+v", r.Status, r.Errors)
		}
	})
	t.Run("ErrChunkedBodyTooLarge", func(t *testing.T) {
		// No Content-Length: the limit must hold while the body is read.
		body, _ := json.Marshal(map[string]any{"query": "{ me { email } }", "variables": map[string]any{"x": strings.Repeat("a", 5000)}})
		req := httptest.NewRequest("POST", "/graphql", io.MultiReader(bytes.NewReader(body)))
		req.ContentLength = -1
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		a.handler.ServeHTTP(rec, req)
		var r response
		must(t, json.Unmarshal(rec.Body.Bytes(), &r))
		if rec.Code != http.StatusRequestEntityTooLarge || r.code() != "OUT_OF_RANGE" {
			t.Errorf("status %d, errors %+v", rec.Code, r.Errors)
		}
	})
	t.Run("ErrNotJSON", func(t *testing.T) {
		r := a.send(context.Background(), "", "application/x-www-form-urlencoded", []byte("query={me{email}}"))
		if r.Status < 400 {
			t.Errorf("status %d", r.Status)
		}
	})
	t.Run("ErrIntrospectionOutsideDevMode", func(t *testing.T) {
		for _, q := range []string{`{ __schema { types { name } } }`, `{ me { email } __type(name: "Product") { name } }`} {
			r := a.do("", q, nil)
			if r.code() != "INTROSPECTION_DISABLED" {
				t.Errorf("%s: code %q", q, r.code())
			}
		}
	})
}

func TestInternalErrorsAreHidden(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	// With the pool closed every statement fails: the client must see "Internal
	// error." and the request ID, never the driver's message.
	a.db.Close()
	r := a.do("", `{ products { edges { node { name } } } }`, nil)
	if r.code() != "INTERNAL" || r.Errors[0].Message != "Internal error." {
		t.Fatalf("got %+v", r.Errors)
	}
	if id, _ := r.Errors[0].Extensions["requestId"].(string); id == "" || id != r.Header.Get("X-Request-ID") {
		t.Errorf("requestId %q, X-Request-ID header %q", id, r.Header.Get("X-Request-ID"))
	}
}

func TestIntrospectionInDevMode(t *testing.T) {
	t.Parallel()
	a := newAPIWith(t, graph.Options{Dev: true})
	r := a.do("", `{ __schema { queryType { name } } }`, nil)
	if len(r.Errors) > 0 {
		t.Errorf("introspection refused in dev mode: %+v", r.Errors)
	}
}
