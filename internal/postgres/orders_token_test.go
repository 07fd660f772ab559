package postgres_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"tsunagu/internal/tsunagu"
)

// A guest order's token and the checkout's idempotency key are stored nowhere in
// the database (only hashes), yet the token opens the order and a checkout retry
// with the key answers the same token; a wrong token opens nothing.
func TestOrderTokenNotStored(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	in := w.pickupInput(cart(w.homeShop, w.cookies, 1))
	in.IdempotencyKey = "買い物-" + w.key() // not ASCII, and not in the e-mail address: the migration hashes keys as UTF-8
	co := w.checkout(context.Background(), in)
	other := w.checkout(context.Background(), w.pickupInput(cart(w.homeShop, w.jam, 1)))

	_, mac, _ := strings.Cut(co.Token, ".")
	macBytes, err := base64.RawURLEncoding.DecodeString(mac)
	if err != nil || len(macBytes) != 32 {
		t.Fatalf("token %q: want <order ID>.<32 bytes base64url>", co.Token)
	}
	db := w.snapshot()
	for what, secret := range map[string]string{
		"token": co.Token, "token's MAC": mac, "token's MAC in hex": hex.EncodeToString(macBytes),
		"key": in.IdempotencyKey, "key in hex": hex.EncodeToString([]byte(in.IdempotencyKey)),
	} {
		if strings.Contains(db, secret) {
			t.Errorf("the database holds the %s", what)
		}
	}
	sum := sha256.Sum256([]byte(in.IdempotencyKey))
	if n := w.count(`SELECT count(*) FROM idempotency_keys WHERE key = $1 AND key = encode(sha256(convert_to($2, 'UTF8')), 'hex')`,
		hex.EncodeToString(sum[:]), in.IdempotencyKey); n != 1 {
		t.Errorf("%d keys stored as the key's hex SHA-256 (as the migration converts them), want 1", n)
	}

	byToken, err := w.orders.OrderByToken(context.Background(), co.Token)
	must(t, err)
	if byToken.ID != co.Order.ID {
		t.Errorf("the token opens order %d, want %d", byToken.ID, co.Order.ID)
	}
	again := w.checkout(context.Background(), in)
	if again.Token != co.Token || again.Order.ID != co.Order.ID {
		t.Errorf("the retry answered order %d with token %q, want %d with %q", again.Order.ID, again.Token, co.Order.ID, co.Token)
	}

	flipped := []byte(co.Token)
	flipped[len(flipped)-2] ^= 1
	otherID, _, _ := strings.Cut(other.Token, ".")
	for name, token := range map[string]string{
		"OneCharacterChanged": string(flipped),
		"AnotherOrdersID":     otherID + "." + mac,
		"UnknownOrder":        "999999." + mac,
		"NoID":                "." + mac,
		"LegacyForm":          mac,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := w.orders.OrderByToken(context.Background(), token)
			if tsunagu.ErrorCode(err) != tsunagu.CodeNotFound {
				t.Errorf("%q: %v, want NOT_FOUND", token, err)
			}
		})
	}
}

// An order from before tokens were derived keeps only its token's SHA-256 (as
// migration 00035 leaves it, computed here by the migration's own expression): the
// legacy token still opens it, no other does, and a checkout retry, which cannot
// show the token again, is INVALID_STATE and changes nothing.
func TestOrderTokenLegacy(t *testing.T) {
	t.Parallel()
	w := newOrderWorld(t)
	in := w.pickupInput(cart(w.homeShop, w.cookies, 1))
	co := w.checkout(context.Background(), in)
	const legacy = "bGVnYWN5LXRva2VuLW9mLWFuLW9sZGVyLW9yZGVyLTAx"
	_, err := w.db.SQL().Exec(`UPDATE orders SET token_salt = NULL, token_hash = sha256(convert_to($2, 'UTF8')) WHERE id = $1`,
		co.Order.ID, legacy)
	must(t, err)

	o, err := w.orders.OrderByToken(context.Background(), legacy)
	must(t, err)
	if o.ID != co.Order.ID {
		t.Errorf("the legacy token opens order %d, want %d", o.ID, co.Order.ID)
	}
	for _, other := range []string{co.Token, legacy + "x", "bGVnYWN5"} {
		if _, err := w.orders.OrderByToken(context.Background(), other); tsunagu.ErrorCode(err) != tsunagu.CodeNotFound {
			t.Errorf("token %q for a legacy order: %v, want NOT_FOUND", other, err)
		}
	}
	before := w.snapshot()
	_, err = w.orders.Checkout(context.Background(), in)
	w.refused(t, before, err, tsunagu.CodeInvalidState, "")
}
