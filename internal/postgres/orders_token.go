package postgres

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"

	"tsunagu/internal/tsunagu"
)

// A guest order's token opens the order to whoever holds it (orderByToken). It is
// never stored: it is "<order ID>.<mac>", where mac is HMAC-SHA256 keyed by the
// checkout's idempotency key over the order's random salt, so the checkout's
// retry, which resends the key, derives the same token again. The database keeps
// the salt and HMAC-SHA256(salt, token), and the key only as storedKey, so neither
// a copy of it nor anyone without the key derives a token. The order ID lets a
// lookup find the one row whose hash to compare.

// newTokenSalt returns the random salt of a new order's token.
func newTokenSalt() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
}

// orderToken is the token of order id checked out under idempotency key with salt.
func orderToken(id tsunagu.OrderID, key string, salt []byte) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(salt)
	return strconv.FormatInt(int64(id), 10) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// tokenHash is what is stored of a token: HMAC-SHA256 keyed by the order's salt.
func tokenHash(salt []byte, token string) []byte {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(token))
	return m.Sum(nil)
}

// tokenOrderID is the order a token of the current form names; ok is false for a
// token of the legacy form (32 random bytes, base64url, from before tokens were
// derived), which is found by legacyTokenHash.
func tokenOrderID(token string) (id tsunagu.OrderID, ok bool) {
	before, _, found := strings.Cut(token, ".")
	if !found {
		return 0, false
	}
	n, err := strconv.ParseInt(before, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return tsunagu.OrderID(n), true
}

// tokenOpens reports, in constant time, whether token is the one whose hash was
// stored with salt.
func tokenOpens(salt, hash []byte, token string) bool {
	return len(salt) > 0 && hmac.Equal(tokenHash(salt, token), hash)
}

// legacyTokenHash is what is kept of a legacy token: its SHA-256, as staff tokens
// are kept (migration 00035 computed the same in SQL).
func legacyTokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// errTokenLost is the answer to a checkout retry for an order whose token was
// made before tokens were derived: only its hash is kept, so it cannot be shown
// again.
var errTokenLost = tsunagu.Errorf(tsunagu.CodeInvalidState, "",
	"This order was placed before order links were kept only as a hash, and its link can no longer be shown again; ask the shop, giving the order number.")
