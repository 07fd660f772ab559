package main

import (
	"testing"
	"time"
)

// Samples measured in turns add up to the sample of all their operations: the
// throughput over their whole time, the percentiles over all their latencies.
func TestSampleMerge(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	var s sample
	s.merge(&sample{n: 3, elapsed: time.Second, lat: ms(1, 5, 9)})
	s.merge(&sample{n: 1, errors: 2, elapsed: time.Second, lat: ms(2)})
	s.merge(&sample{n: 4, elapsed: 2 * time.Second, lat: ms(3, 4, 6, 7)})
	if s.n != 8 || s.errors != 2 || s.throughput() != 2 {
		t.Errorf("n %d, errors %d, throughput %v; want 8, 2, 2/s", s.n, s.errors, s.throughput())
	}
	if s.pct(50) != 4*time.Millisecond || s.pct(99) != 9*time.Millisecond || s.pct(0) != time.Millisecond {
		t.Errorf("p0 %v, p50 %v, p99 %v; want 1ms, 4ms, 9ms", s.pct(0), s.pct(50), s.pct(99))
	}
}
