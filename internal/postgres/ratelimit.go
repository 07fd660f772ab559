package postgres

import (
	"context"
	"log/slog"
	"math"
	"slices"
	"sync/atomic"
	"time"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// RateLimiter keeps the API's leaky buckets in PostgreSQL, so that every API process
// behind a load balancer counts against the same buckets.
type RateLimiter struct {
	db    *DB
	calls atomic.Int64
}

// NewRateLimiter returns a rate limiter on db.
func NewRateLimiter(db *DB) *RateLimiter { return &RateLimiter{db: db} }

// cleanEvery is how many calls pass between deletions of drained buckets.
const cleanEvery = 10_000

// Allow counts one request against every limit in one statement: each bucket drains
// by the time since its last request and takes the request if it has room. A bucket
// without room is left as it was (a refused request costs nothing), though the others
// of the same call take theirs. It returns how long until every refusing bucket has
// room again, or 0.
//
// Buckets are locked in key order, so concurrent calls for the same keys cannot
// deadlock.
func (l *RateLimiter) Allow(ctx context.Context, limits []tsunagu.RateLimit) (time.Duration, error) {
	if len(limits) == 0 {
		return 0, nil
	}
	limits = slices.Clone(limits)
	slices.SortFunc(limits, func(a, b tsunagu.RateLimit) int {
		if a.Key < b.Key {
			return -1
		} else if a.Key > b.Key {
			return 1
		}
		return 0
	})
	limits = slices.CompactFunc(limits, func(a, b tsunagu.RateLimit) bool { return a.Key == b.Key })
	keys, rates, bursts := make([]string, len(limits)), make([]float64, len(limits)), make([]int64, len(limits))
	for i, lim := range limits {
		keys[i], rates[i], bursts[i] = lim.Key, lim.Rate, int64(max(lim.Burst, 1))
	}
	var rows []struct {
		Accepted bool
		Level    float64
		Rate     float64
		Burst    float64
	}
	// drained is the level now, after the bucket leaked since its last request.
	const drained = `greatest(0, r.level - extract(epoch FROM now() - r.updated_at) * excluded.rate)`
	err := l.db.q().SelectContext(ctx, &rows, `
		INSERT INTO rate_limits AS r (key, level, rate, burst, accepted, updated_at)
		SELECT k, 1, rt, b, true, now() FROM unnest($1::text[], $2::float8[], $3::int[]) AS d(k, rt, b)
		ORDER BY k
		ON CONFLICT (key) DO UPDATE SET
			accepted = `+drained+` + 1 <= excluded.burst,
			level = CASE WHEN `+drained+` + 1 <= excluded.burst THEN `+drained+` + 1 ELSE `+drained+` END,
			rate = excluded.rate, burst = excluded.burst, updated_at = now()
		RETURNING accepted, level, rate, burst::float8 AS burst`,
		pq.Array(keys), pq.Array(rates), pq.Array(bursts))
	if err != nil {
		return 0, err
	}
	if l.calls.Add(1)%cleanEvery == 0 {
		go l.clean()
	}
	var wait float64
	for _, r := range rows {
		if !r.Accepted {
			wait = max(wait, (r.Level+1-r.Burst)/r.Rate)
		}
	}
	if wait == 0 {
		return 0, nil
	}
	return time.Duration(math.Ceil(wait*1000)) * time.Millisecond, nil
}

// clean deletes the buckets that have drained: they would start empty anyway.
func (l *RateLimiter) clean() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := l.db.db.ExecContext(ctx, `
		DELETE FROM rate_limits WHERE level - extract(epoch FROM now() - updated_at) * rate <= 0`)
	if err != nil {
		l.db.log.Log(ctx, slog.LevelWarn, "cleaning rate limits", "err", err)
	}
}
