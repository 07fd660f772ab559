package postgres

import (
	"crypto/sha256"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"

	"tsunagu/internal/tsunagu"
)

// ChannelAuth carries the committed changes of tokens and users (migration
// 00045's triggers) as "user:<id>", the user whose tokens to drop.
const ChannelAuth = "tsunagu_auth"

// Token cache bounds: how many verified tokens one process keeps (a few hundred
// bytes each), and how long it keeps one at most, a second line of defence behind
// the notifications.
const (
	TokenCacheSize   = 10000
	TokenCacheMaxAge = time.Minute
)

// TokenCache keeps verified bearer tokens in an API process, so that a signed-in
// request does not pay a round trip to authenticate (AuthService.Tokens). It keys
// them by the token's hash, never the token, and keeps the user as Authenticate
// answers and the token's expiry, checked on every use.
//
// Invalidation is exact across processes, as the catalog cache's is: every
// committed revocation, change or deletion of a token and every change of a user
// is notified on ChannelAuth to every process (Listen with the cache as a
// Receiver), and each drops the entries it names; the process that made the
// change drops them itself before its method returns. While notifications are not
// being received, the cache neither serves nor keeps anything, and every request
// authenticates through the database. An entry is kept only if nothing was
// dropped while it was being read, so a request that read a token just before its
// revocation never stores it after the drop.
//
// The trade-off: between a revocation's commit and its notification's arrival in
// another process (milliseconds, the time the catalog cache's changes take too),
// that process may still accept the revoked token, as it would a request that
// started a moment before the revocation. An entry lives at most MaxAge, and at
// most Size entries are kept, the least recently used dropped first.
type TokenCache struct {
	mu        sync.Mutex
	connected bool
	// gen counts what was dropped; an entry read under an older gen is not kept.
	gen     uint64
	changed chan struct{} // closed and replaced whenever gen moves
	lru     *simplelru.LRU[[sha256.Size]byte, tokenEntry]
	maxAge  time.Duration
	now     func() time.Time
}

type tokenEntry struct {
	user *tsunagu.User
	// expires is the token's expiry and stale the end of the entry's maximum
	// age, both on this process's clock.
	expires, stale time.Time
}

// NewTokenCache returns an empty cache of at most size tokens, each kept at most
// maxAge, serving nothing until Connected(true).
func NewTokenCache(size int, maxAge time.Duration) *TokenCache {
	lru, err := simplelru.NewLRU[[sha256.Size]byte, tokenEntry](max(size, 1), nil)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &TokenCache{lru: lru, maxAge: maxAge, now: time.Now, changed: make(chan struct{})}
}

// Channels implements Receiver.
func (c *TokenCache) Channels() []string { return []string{ChannelAuth} }

// Notified implements Receiver: it drops the entries payload names, or all of
// them when it cannot read it.
func (c *TokenCache) Notified(_, payload string) {
	if arg, ok := strings.CutPrefix(payload, "user:"); ok {
		if id, err := strconv.ParseInt(arg, 10, 64); err == nil {
			c.forgetUser(tsunagu.UserID(id))
			return
		}
	}
	c.forgetAll()
}

// Connected implements Receiver. Either way what is kept may be stale, and is
// dropped.
func (c *TokenCache) Connected(ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.connected = ok
	c.lru.Purge()
	c.bump()
}

// Changed returns a channel closed when the cache next drops anything (a
// notification, a change made in this process, a connection lost or regained).
func (c *TokenCache) Changed() <-chan struct{} {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}

// bump records a drop; c.mu is held.
func (c *TokenCache) bump() {
	c.gen++
	close(c.changed)
	c.changed = make(chan struct{})
}

// tokenMiss is what keep needs of a lookup that missed.
type tokenMiss struct {
	gen uint64
	at  time.Time
}

// lookup finds the token whose hash is h: its user when it is kept, expired when
// it is kept but past its expiry (and then refused, as the database refuses it),
// and otherwise what to pass to keep once the database has answered.
func (c *TokenCache) lookup(h [sha256.Size]byte) (u *tsunagu.User, expired bool, miss tokenMiss) {
	if c == nil {
		return nil, false, miss
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	miss = tokenMiss{gen: c.gen, at: c.now()}
	if !c.connected {
		return nil, false, miss
	}
	e, ok := c.lru.Get(h)
	if !ok {
		return nil, false, miss
	}
	if miss.at.Before(e.stale) && miss.at.Before(e.expires) {
		cp := *e.user
		return &cp, false, miss
	}
	c.lru.Remove(h)
	return nil, !miss.at.Before(e.expires), miss
}

// keep stores u for the token whose hash is h, which the database found valid for
// another ttl from a moment after the lookup that missed, unless anything was
// dropped since that lookup or notifications are not being received. The expiry
// counts from the lookup, before the database's now(): never later than the
// database's own.
func (c *TokenCache) keep(h [sha256.Size]byte, u *tsunagu.User, ttl time.Duration, miss tokenMiss) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.connected || c.gen != miss.gen {
		return
	}
	cp := *u
	c.lru.Add(h, tokenEntry{user: &cp, expires: miss.at.Add(ttl), stale: miss.at.Add(c.maxAge)})
}

func (c *TokenCache) forgetHash(h [sha256.Size]byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Remove(h)
	c.bump()
}

// forgetUser drops every token of user id (0: none).
func (c *TokenCache) forgetUser(id tsunagu.UserID) {
	if c == nil || id == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range c.lru.Keys() {
		if e, ok := c.lru.Peek(k); ok && e.user.ID == id {
			c.lru.Remove(k)
		}
	}
	c.bump()
}

func (c *TokenCache) forgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Purge()
	c.bump()
}
