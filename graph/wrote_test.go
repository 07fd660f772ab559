package graph_test

import (
	"sync/atomic"
	"testing"

	"tsunagu/graph"
)

// Options.Wrote is called once for each mutation answered, failed or not, and
// never for a query: cmd/tsunagu wakes its relay of notifications with it.
func TestWroteAfterMutations(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var wrote atomic.Int64
	h := a.server(graph.Options{Wrote: func() { wrote.Add(1) }})
	sendFrom(t, h, "192.0.2.1", "", `{ products(first: 1) { edges { node { name } } } }`)
	if n := wrote.Load(); n != 0 {
		t.Fatalf("a query called Wrote %d times", n)
	}
	r := sendFrom(t, h, "192.0.2.1", "", `mutation { login(input: {email: "nobody@example.jp", password: "wrong-password"}) { token } }`)
	if len(r.Errors) != 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	if n := wrote.Load(); n != 1 {
		t.Errorf("a refused sign-in called Wrote %d times, want 1", n)
	}
}
