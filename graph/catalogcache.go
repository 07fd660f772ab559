package graph

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"tsunagu/internal/metrics"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// CatalogCache keeps the answers to anonymous catalog queries, whole, so that the
// public catalog is served without running GraphQL or SQL again. Invalidation is
// exact: every committed write to a table the catalog can reach notifies every API
// process (migration 00005's triggers, postgres.ListenCatalog), and each drops what
// it kept; while notifications are not being received, it keeps and serves
// nothing. Answers that show stock are dropped on stock changes (every sale), the
// others only on catalog changes.
//
// An answer is kept only if no change was notified while it was being computed, so
// a slow request that read the old rows never stores them after the notification.
// What remains is the time a notification takes to arrive, a few milliseconds after
// the commit, during which another process may still serve the previous answer, as
// a request that started a moment earlier would have.
type CatalogCache struct {
	mu        sync.Mutex
	connected bool
	gen       [2]uint64 // catalog, stock
	// entries are the answers kept, those without stock and those with it apart
	// (by stockIdx), so that a stock change, every sale, drops the second map
	// whole instead of walking every answer under the lock; bytes are theirs.
	entries [2]map[string]*cachedAnswer
	bytes   [2]int
	// shapes remembers, per query (by queryKey, never the text), whether it may be
	// cached and whether it reaches stock; a query that does not parse is not kept.
	shapes map[string]cacheShape
	// The standby (catalogcache_replica.go): lsn is a primary log position at or
	// past every change notified so far, valid while covered.
	replica ReplicaRouter
	lsn     uint64
	covered bool
	metrics *metrics.Metrics
}

type cachedAnswer struct {
	body []byte
}

// stockIdx is the index in CatalogCache.entries of answers that show stock or not.
func stockIdx(stock bool) int {
	if stock {
		return 1
	}
	return 0
}

type cacheShape struct {
	cacheable, stock bool
	root             string // the first root field, naming the request in logs and metrics
}

const (
	maxCacheBytes  = 64 << 20
	maxCacheShapes = 1000
)

// catalogRoots are the query fields an anonymous catalog read may use. Everything
// they can reach lies in the tables whose writes are notified.
var catalogRoots = map[string]bool{
	"products": true, "product": true, "productByCode": true, "municipalities": true,
	"facilities": true, "locations": true, "allergens": true, "__typename": true,
}

// NewCatalogCache returns an empty cache, serving nothing until Connected(true).
func NewCatalogCache() *CatalogCache { return &CatalogCache{} }

// Changed drops the answers a change on channel makes stale: "tsunagu_stock"
// drops those that show stock, anything else (the catalog's channel, and the
// facilities' and municipalities' of postgres.References) drops all.
func (c *CatalogCache) Changed(channel string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.covered = false
	if channel == "tsunagu_stock" {
		c.gen[1]++
		c.entries[1], c.bytes[1] = nil, 0
		return
	}
	c.gen[0]++
	c.clear()
}

// Connected says whether change notifications are being received. Either way what
// is kept may be stale, and is dropped.
func (c *CatalogCache) Connected(ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.connected = ok
	c.covered = false
	c.gen[0]++
	c.gen[1]++
	c.clear()
}

func (c *CatalogCache) clear() {
	c.entries = [2]map[string]*cachedAnswer{}
	c.bytes = [2]int{}
}

// shape tells whether query may be cached: one operation, a query, whose root
// fields are all catalog reads and which does not ask for partners (nor
// partnerships, whose name holds that word); and whether it reaches stock (any field of that name, conservatively). Partners change with the
// day (a partnership begins or ends at midnight, Japan time) without any write to
// notify, so an answer with them is never kept.
func (c *CatalogCache) shape(query string) cacheShape {
	key := queryKey(query)
	c.mu.Lock()
	s, ok := c.shapes[key]
	c.mu.Unlock()
	if ok {
		return s
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, maxTokens)
	if err != nil {
		return s
	}
	if len(doc.Operations) == 1 && doc.Operations[0].Operation == ast.Query {
		s.cacheable = true
		s.root = rootField(doc.Operations[0].SelectionSet)
		for _, sel := range doc.Operations[0].SelectionSet {
			f, isField := sel.(*ast.Field)
			if !isField || !catalogRoots[f.Name] {
				s.cacheable = false
			}
		}
		s.stock = strings.Contains(query, "stock")
		if strings.Contains(query, "partners") {
			s.cacheable = false
		}
	}
	c.mu.Lock()
	if c.shapes == nil || len(c.shapes) >= maxCacheShapes {
		c.shapes = map[string]cacheShape{}
	}
	c.shapes[key] = s
	c.mu.Unlock()
	return s
}

// serve answers an anonymous request from the cache, or runs next and keeps its
// answer when it may. It reports false, having done nothing, for requests it does
// not cache.
func (c *CatalogCache) serve(w http.ResponseWriter, r *http.Request, body []byte, next http.Handler) bool {
	if c == nil || r.Header.Get("Authorization") != "" {
		return false
	}
	var params struct {
		Query         string          `json:"query"`
		OperationName string          `json:"operationName"`
		Variables     json.RawMessage `json:"variables"`
	}
	if json.Unmarshal(body, &params) != nil || params.Query == "" {
		return false
	}
	s := c.shape(params.Query)
	if !s.cacheable {
		return false
	}
	// A list filtered by what is in stock shows stock, though no field says so.
	s.stock = s.stock || bytes.Contains(body, []byte("inStockAt"))
	var vars bytes.Buffer
	if len(params.Variables) > 0 && json.Compact(&vars, params.Variables) != nil {
		return false
	}
	// Keyed by a hash: a valid query padded to a megabyte costs the cache 32 bytes of
	// key, and its answer counts against maxCacheBytes.
	key := queryKey(params.OperationName + "\x00" + vars.String() + "\x00" + params.Query)

	c.mu.Lock()
	if !c.connected {
		c.mu.Unlock()
		return false
	}
	if e, ok := c.entries[stockIdx(s.stock)][key]; ok {
		c.mu.Unlock()
		c.metrics.CacheLookup(true)
		info := infoFrom(r.Context())
		info.operation, info.opName, info.result = s.root, params.OperationName, "ok"
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Cache", "hit")
		w.Header().Set("Content-Length", strconv.Itoa(len(e.body))) // unchunked, as transport.go answers
		w.Write(e.body)
		return true
	}
	gen, lsn, covered := c.gen, c.lsn, c.covered
	c.mu.Unlock()
	c.metrics.CacheLookup(false)
	r = c.route(r, lsn, covered)

	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	next.ServeHTTP(rec, r)
	// Only complete answers: an error (a timeout, the database away) is not the
	// catalog's content.
	if rec.status != http.StatusOK || bytes.Contains(rec.buf.Bytes(), []byte(`"errors"`)) {
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.connected || c.gen[0] != gen[0] || (s.stock && c.gen[1] != gen[1]) || c.bytes[0]+c.bytes[1]+rec.buf.Len() > maxCacheBytes {
		return true
	}
	i := stockIdx(s.stock)
	if c.entries[i] == nil {
		c.entries[i] = map[string]*cachedAnswer{}
	}
	c.entries[i][key] = &cachedAnswer{body: rec.buf.Bytes()}
	c.bytes[i] += rec.buf.Len()
	return true
}

// recorder passes a response through and keeps a copy of its body.
type recorder struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.buf.Write(b)
	return r.ResponseWriter.Write(b)
}
