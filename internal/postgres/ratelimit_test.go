package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"tsunagu/internal/pgtest"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// The limiters below flush at the server's interval (RateLimitFlushEvery); the
// tests flush by hand where one process must have learned of another's requests,
// as the interval's end would make it.
const flushEvery = postgres.RateLimitFlushEvery

func TestRateLimiter(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := postgres.Open(ctx, pgtest.NewURL(t), nil)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	l := postgres.NewSharedRateLimiter(ctx, db, flushEvery)

	t.Run("BurstThenRefused", func(t *testing.T) {
		lim := []tsunagu.RateLimit{{Key: "burst", Rate: 0.5, Burst: 3}}
		for i := range 3 {
			if wait, err := l.Allow(ctx, lim); err != nil || wait != 0 {
				t.Fatalf("request %d: wait %v, %v", i+1, wait, err)
			}
		}
		// The bucket is full; it leaks one request every 2 s, so the next has
		// room in at most 2 s, flushed or not.
		for range 2 {
			wait, err := l.Allow(ctx, lim)
			if err != nil || wait <= 0 || wait > 2*time.Second {
				t.Errorf("wait %v, %v; want 0 < wait ≤ 2s", wait, err)
			}
			must(t, l.Flush(ctx))
		}
	})
	t.Run("Leaks", func(t *testing.T) {
		lim := []tsunagu.RateLimit{{Key: "leak", Rate: 20, Burst: 1}}
		if wait, _ := l.Allow(ctx, lim); wait != 0 {
			t.Fatalf("first request refused: %v", wait)
		}
		wait, _ := l.Allow(ctx, lim)
		if wait <= 0 || wait > 50*time.Millisecond {
			t.Fatalf("second request at once: wait %v, want ≤ 50ms", wait)
		}
		// What was let through drains from its flush on; a client retries after
		// the wait it was given.
		must(t, l.Flush(ctx))
		time.Sleep(wait)
		if wait, err := l.Allow(ctx, lim); wait != 0 || err != nil {
			t.Errorf("after the bucket leaked: wait %v, %v", wait, err)
		}
	})
	t.Run("EveryBucketCounts", func(t *testing.T) {
		tight := tsunagu.RateLimit{Key: "tight", Rate: 0.1, Burst: 1}
		loose := tsunagu.RateLimit{Key: "loose", Rate: 100, Burst: 100}
		if wait, _ := l.Allow(ctx, []tsunagu.RateLimit{loose, tight}); wait != 0 {
			t.Fatalf("first request refused: %v", wait)
		}
		if wait, _ := l.Allow(ctx, []tsunagu.RateLimit{tight, loose}); wait < 9*time.Second {
			t.Errorf("the tight bucket did not refuse: wait %v", wait)
		}
	})
	t.Run("ConcurrentTakeExactlyTheBurst", func(t *testing.T) {
		lim := []tsunagu.RateLimit{{Key: "race", Rate: 0.001, Burst: 10}}
		var mu sync.Mutex
		var wg sync.WaitGroup
		accepted := 0
		for range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				wait, err := l.Allow(ctx, lim)
				if err != nil {
					t.Error(err)
				}
				if wait == 0 {
					mu.Lock()
					accepted++
					mu.Unlock()
				}
			}()
		}
		// Flushes while the requests come: none is counted twice.
		for range 3 {
			must(t, l.Flush(ctx))
		}
		wg.Wait()
		if accepted != 10 {
			t.Errorf("%d of 40 concurrent requests accepted, want the burst of 10", accepted)
		}
		must(t, l.Flush(ctx))
		var level float64
		must(t, db.SQL().QueryRow(`SELECT level FROM rate_limits WHERE key = 'race'`).Scan(&level))
		if level < 9.9 || level > 10 {
			t.Errorf("the shared bucket holds %v, want the 10 let through", level)
		}
	})
}

// Two processes deciding in memory learn of each other's requests at each flush.
func TestSharedRateLimiter(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := postgres.Open(ctx, pgtest.NewURL(t), nil)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	a, b := postgres.NewSharedRateLimiter(ctx, db, flushEvery), postgres.NewSharedRateLimiter(ctx, db, flushEvery)
	lim := []tsunagu.RateLimit{{Key: "shared", Rate: 0.01, Burst: 4}}
	for i := range 3 {
		if wait, _ := a.Allow(ctx, lim); wait != 0 {
			t.Fatalf("request %d refused", i+1)
		}
	}
	must(t, a.Flush(ctx))
	must(t, b.Flush(ctx))
	if wait, _ := b.Allow(ctx, lim); wait != 0 {
		t.Fatal("the fourth request, the first of process b, was refused")
	}
	if wait, _ := b.Allow(ctx, lim); wait == 0 {
		t.Error("process b let a fifth through: it did not learn of a's three")
	}
	must(t, b.Flush(ctx))
	must(t, a.Flush(ctx))
	if wait, _ := a.Allow(ctx, lim); wait < 90*time.Second {
		t.Errorf("process a, after the flush, waits %v; want the bucket full (≥ 90 s at 0.01/s)", wait)
	}
}
