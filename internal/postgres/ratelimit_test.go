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

func TestRateLimiter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.NewURL(t), nil)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	// Two limiters on one database stand for two API processes.
	a, b := postgres.NewRateLimiter(db), postgres.NewRateLimiter(db)

	t.Run("BurstThenRefused", func(t *testing.T) {
		lim := []tsunagu.RateLimit{{Key: "burst", Rate: 0.5, Burst: 3}}
		for i := range 3 {
			l := a
			if i%2 == 1 {
				l = b
			}
			if wait, err := l.Allow(ctx, lim); err != nil || wait != 0 {
				t.Fatalf("request %d: wait %v, %v", i+1, wait, err)
			}
		}
		// The bucket is full, whichever process asks; it leaks one request every
		// 2 s, so the next has room in at most 2 s.
		for _, l := range []*postgres.RateLimiter{a, b} {
			wait, err := l.Allow(ctx, lim)
			if err != nil || wait <= 0 || wait > 2*time.Second {
				t.Errorf("wait %v, %v; want 0 < wait ≤ 2s", wait, err)
			}
		}
	})
	t.Run("Leaks", func(t *testing.T) {
		lim := []tsunagu.RateLimit{{Key: "leak", Rate: 20, Burst: 1}}
		if wait, _ := a.Allow(ctx, lim); wait != 0 {
			t.Fatalf("first request refused: %v", wait)
		}
		if wait, _ := a.Allow(ctx, lim); wait <= 0 || wait > 50*time.Millisecond {
			t.Fatalf("second request at once: wait %v, want ≤ 50ms", wait)
		}
		time.Sleep(60 * time.Millisecond)
		if wait, err := a.Allow(ctx, lim); wait != 0 || err != nil {
			t.Errorf("after the bucket leaked: wait %v, %v", wait, err)
		}
	})
	t.Run("EveryBucketCounts", func(t *testing.T) {
		tight := tsunagu.RateLimit{Key: "tight", Rate: 0.1, Burst: 1}
		loose := tsunagu.RateLimit{Key: "loose", Rate: 100, Burst: 100}
		if wait, _ := a.Allow(ctx, []tsunagu.RateLimit{loose, tight}); wait != 0 {
			t.Fatalf("first request refused: %v", wait)
		}
		if wait, _ := a.Allow(ctx, []tsunagu.RateLimit{tight, loose}); wait < 9*time.Second {
			t.Errorf("the tight bucket did not refuse: wait %v", wait)
		}
	})
	t.Run("ConcurrentTakeExactlyTheBurst", func(t *testing.T) {
		lim := []tsunagu.RateLimit{{Key: "race", Rate: 0.001, Burst: 10}}
		var mu sync.Mutex
		var wg sync.WaitGroup
		accepted := 0
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l := a
				if i%2 == 1 {
					l = b
				}
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
		wg.Wait()
		if accepted != 10 {
			t.Errorf("%d of 40 concurrent requests accepted, want the burst of 10", accepted)
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
	// Flushed by hand below: the background interval never comes.
	a, b := postgres.NewSharedRateLimiter(ctx, db, time.Hour), postgres.NewSharedRateLimiter(ctx, db, time.Hour)
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
