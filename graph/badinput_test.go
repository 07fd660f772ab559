package graph_test

import (
	"strings"
	"testing"

	"tsunagu/graph/gid"
)

// TestBadTextAndTimes: a NUL character in any text, and a date that does not exist,
// are INVALID_INPUT saying what is wrong and change nothing; PostgreSQL would refuse
// the first, and time.Parse the second, as internal errors.
func TestBadTextAndTimes(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.shop()
	for _, c := range []struct {
		name, as, q string
		vars        map[string]any
		field, says string
	}{
		{"ErrNULInVariable", "manager", createRegister, map[string]any{"in": map[string]any{
			"shopId": a.id(gid.KindLocation, int64(a.homeShop.ID)), "name": "レジ\x001"}}, "input.name", "NUL"},
		{"ErrNULInLiteral", "", `{ products(filter: {text: "クッキー\u0000"}) { edges { node { name } } } }`, nil, "filter.text", "NUL"},
		{"ErrNULInFragment", "", `{ ...P } fragment P on Query { productByCode(code: "4901\u00002") { name } }`, nil, "code", "NUL"},
		{"ErrDateThatDoesNotExist", "manager", `query($f: StockMovementFilter!) { stockMovements(filter: $f) { edges { node { quantity } } } }`,
			map[string]any{"f": map[string]any{"since": "2026-02-30T00:00:00+09:00"}}, "filter.since", "2026-02-30"},
		{"ErrDateLiteral", "manager", `{ stockMovements(filter: {until: "2026-13-01T00:00:00Z"}) { edges { node { quantity } } } }`, nil, "filter.until", "2026-13-01"},
		{"ErrNotATime", "manager", `{ stockMovements(filter: {until: "yesterday"}) { edges { node { quantity } } } }`, nil, "filter.until", "yesterday"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := a.snapshot()
			r := a.do(c.as, c.q, c.vars)
			if r.code() != "INVALID_INPUT" || len(r.Errors) != 1 {
				t.Fatalf("code %q: %+v", r.code(), r.Errors)
			}
			if f, _ := r.Errors[0].Extensions["field"].(string); f != c.field {
				t.Errorf("field %q, want %q", f, c.field)
			}
			if !strings.Contains(r.Errors[0].Message, c.says) {
				t.Errorf("message %q does not say %q", r.Errors[0].Message, c.says)
			}
			a.unchanged(before)
		})
	}
}
