package gcpace

import (
	"runtime/debug"
	"testing"
)

func TestSetDefault(t *testing.T) {
	t.Setenv("GOGC", "")
	defer debug.SetGCPercent(inForce())
	debug.SetGCPercent(100)
	if got := Set(); got != Percent {
		t.Errorf("Set() = %d, want %d", got, Percent)
	}
	if got := inForce(); got != Percent {
		t.Errorf("GOGC in force %d, want %d", got, Percent)
	}
}

// The operator's GOGC wins: the runtime applied it when the process started, and
// Set leaves it (here, as if GOGC=150 had been applied).
func TestSetKeepsOperatorsChoice(t *testing.T) {
	defer debug.SetGCPercent(inForce())
	for _, c := range []struct {
		env  string
		in   int
		want int
	}{{"150", 150, 150}, {"off", -1, -1}} {
		t.Setenv("GOGC", c.env)
		debug.SetGCPercent(c.in)
		if got := Set(); got != c.want {
			t.Errorf("GOGC=%s: Set() = %d, want %d", c.env, got, c.want)
		}
		if got := inForce(); got != c.want {
			t.Errorf("GOGC=%s: in force %d, want %d", c.env, got, c.want)
		}
	}
}
