package postgres

import (
	"context"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// SharedRateLimiter keeps the API's leaky buckets (tsunagu.RateLimiter). It decides
// in memory and shares its counts through PostgreSQL in the background, so that
// every API process behind a load balancer counts against the same buckets: every
// flush interval one statement adds what this process let through to the shared
// buckets (the table rate_limits) and reads back how full each is, counting every
// process. A request never waits for the database, and the buckets still hold
// across processes, late by at most one interval: n processes may together let
// through up to n × rate × interval more than the burst before each learns of the
// others. What this process let through since the last flush drains only once it
// is flushed, so a bucket counts up to rate × interval requests more than it holds:
// 4 at the server's settings (20 a second, flushed five times a second), beside a
// burst of 200.
//
// Its statements are the flushes' and one read of a bucket a process has not used
// for a minute, so a request costs no round trip to the database for its limits.
type SharedRateLimiter struct {
	db    *DB
	every time.Duration

	flushing sync.Mutex // one Flush at a time, so that no count is sent twice
	mu       sync.Mutex
	buckets  map[string]*sharedBucket
}

type sharedBucket struct {
	rate    float64
	burst   int
	level   float64   // the shared level at syncAt
	syncAt  time.Time //
	pending int       // let through here since the last flush
	usedAt  time.Time
}

// RateLimitFlushEvery is how often the server shares its rate limit counts: five
// times a second.
const RateLimitFlushEvery = 200 * time.Millisecond

// NewSharedRateLimiter returns a limiter flushing every interval until ctx ends.
func NewSharedRateLimiter(ctx context.Context, db *DB, every time.Duration) *SharedRateLimiter {
	l := &SharedRateLimiter{db: db, every: every, buckets: map[string]*sharedBucket{}}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		lastClean := time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := l.Flush(ctx); err != nil && ctx.Err() == nil {
					db.log.Warn("flushing rate limits", "err", err)
				}
				// Every few minutes, rows of drained buckets go (any process may).
				if time.Since(lastClean) > 5*time.Minute {
					lastClean = time.Now()
					l.clean()
				}
			}
		}
	}()
	return l
}

// Allow counts one request against every limit, in memory: it is let through when
// every bucket, as last shared plus what this process let through since, has room.
// A bucket this process has not used for a minute is first read from the database
// (one statement), so that a fresh process does not start from empty buckets.
func (l *SharedRateLimiter) Allow(ctx context.Context, limits []tsunagu.RateLimit) (time.Duration, error) {
	var fresh []string
	l.mu.Lock()
	for _, lim := range limits {
		if l.buckets[lim.Key] == nil {
			fresh = append(fresh, lim.Key)
		}
	}
	l.mu.Unlock()
	if len(fresh) > 0 {
		var rows []struct {
			Key   string
			Level float64
		}
		err := l.db.q().SelectContext(ctx, &rows, `
			SELECT key, greatest(0, level - extract(epoch FROM now() - updated_at) * rate) AS level
			FROM rate_limits WHERE key = ANY($1)`, pq.Array(fresh))
		if err != nil {
			return 0, err
		}
		now := time.Now()
		l.mu.Lock()
		// The level read applies only to a bucket this call makes: one another
		// request made meanwhile may have been flushed since this read, and the
		// stale level would undo what the flush counted (one request more than the
		// burst let through, TestRateLimiter/ConcurrentTakeExactlyTheBurst).
		made := make(map[string]bool, len(fresh))
		for _, k := range fresh {
			if l.buckets[k] == nil {
				l.buckets[k] = &sharedBucket{syncAt: now}
				made[k] = true
			}
		}
		for _, r := range rows {
			if made[r.Key] {
				l.buckets[r.Key].level = r.Level
			}
		}
		l.mu.Unlock()
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait float64
	bs := make([]*sharedBucket, len(limits))
	for i, lim := range limits {
		b := l.buckets[lim.Key]
		if b == nil {
			b = &sharedBucket{syncAt: now}
			l.buckets[lim.Key] = b
		}
		b.rate, b.burst, b.usedAt = lim.Rate, max(lim.Burst, 1), now
		bs[i] = b
		level := math.Max(0, b.level-b.rate*now.Sub(b.syncAt).Seconds()) + float64(b.pending)
		if level+1 > float64(b.burst) {
			wait = math.Max(wait, (level+1-float64(b.burst))/b.rate)
		}
	}
	if wait > 0 {
		return time.Duration(math.Ceil(wait*1000)) * time.Millisecond, nil
	}
	for _, b := range bs {
		b.pending++
	}
	return 0, nil
}

// Flush adds what this process let through to the shared buckets and reads back
// their levels, in one statement; buckets idle long enough to have drained are
// forgotten.
func (l *SharedRateLimiter) Flush(ctx context.Context) error {
	l.flushing.Lock()
	defer l.flushing.Unlock()
	now := time.Now()
	l.mu.Lock()
	var keys []string
	var rates []float64
	var bursts, counts []int64
	for k, b := range l.buckets {
		if b.pending == 0 && now.Sub(b.usedAt) > time.Minute {
			delete(l.buckets, k)
			continue
		}
		keys, rates, bursts, counts = append(keys, k), append(rates, b.rate), append(bursts, int64(b.burst)), append(counts, int64(b.pending))
	}
	l.mu.Unlock()
	if len(keys) == 0 {
		return nil
	}
	var rows []struct {
		Key   string
		Level float64
	}
	const drained = `greatest(0, r.level - extract(epoch FROM now() - r.updated_at) * excluded.rate)`
	err := l.db.q().SelectContext(ctx, &rows, `
		INSERT INTO rate_limits AS r (key, level, rate, burst, accepted, updated_at)
		SELECT k, n, rt, b, true, now() FROM unnest($1::text[], $2::float8[], $3::int[], $4::int[]) AS d(k, rt, b, n)
		ORDER BY k
		ON CONFLICT (key) DO UPDATE SET level = `+drained+` + excluded.level, accepted = true,
			rate = excluded.rate, burst = excluded.burst, updated_at = now()
		RETURNING key, level`, pq.Array(keys), pq.Array(rates), pq.Array(bursts), pq.Array(counts))
	if err != nil {
		return err
	}
	sent := make(map[string]int64, len(keys))
	for i, k := range keys {
		sent[k] = counts[i]
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range rows {
		if b := l.buckets[r.Key]; b != nil {
			b.level, b.syncAt = r.Level, now
			b.pending -= int(sent[r.Key])
		}
	}
	return nil
}

// clean deletes the buckets that have drained: they would start empty anyway.
func (l *SharedRateLimiter) clean() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := l.db.db.ExecContext(ctx, `
		DELETE FROM rate_limits WHERE level - extract(epoch FROM now() - updated_at) * rate <= 0`)
	if err != nil {
		l.db.log.Log(ctx, slog.LevelWarn, "cleaning rate limits", "err", err)
	}
}
