package postgres_test

import "testing"

func TestWorld(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.checkLedger()
	if w.snapshot() == "" {
		t.Fatal("empty snapshot")
	}
}
