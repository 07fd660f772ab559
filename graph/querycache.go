package graph

import (
	"context"
	"crypto/sha256"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
)

// Parsed queries are kept by the hash of their text, never the text itself, and
// only when short: a parsed document holds its source, so that 1,000 documents of
// at most maxCachedQuery bytes bound what the cache holds (64 MiB), whatever clients
// send. gqlgen adds only documents that passed validation.
const (
	// maxTokens bounds the tokens of a query document, so that a huge one is
	// refused while it is parsed: the largest screen's query has a few hundred.
	maxTokens = 20_000

	queryCacheEntries = 1000
	maxCachedQuery    = 64 << 10
)

// queryKey is the key of a query text in the caches.
func queryKey(query string) string {
	h := sha256.Sum256([]byte(query))
	return string(h[:])
}

type queryCache struct{ lru *lru.LRU[*ast.QueryDocument] }

var _ graphql.Cache[*ast.QueryDocument] = queryCache{}

func newQueryCache() queryCache {
	return queryCache{lru.New[*ast.QueryDocument](queryCacheEntries)}
}

func (c queryCache) Get(ctx context.Context, query string) (*ast.QueryDocument, bool) {
	if len(query) > maxCachedQuery {
		return nil, false
	}
	return c.lru.Get(ctx, queryKey(query))
}

func (c queryCache) Add(ctx context.Context, query string, doc *ast.QueryDocument) {
	if len(query) <= maxCachedQuery {
		c.lru.Add(ctx, queryKey(query), doc)
	}
}
