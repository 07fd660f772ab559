package tsunagu

import (
	"context"
	"time"
)

// RateLimit is one leaky bucket: Key names what is counted (a token, an address),
// the bucket drains Rate requests a second and holds at most Burst.
type RateLimit struct {
	Key   string
	Rate  float64
	Burst int
}

// RateLimiter counts requests against leaky buckets.
type RateLimiter interface {
	// Allow counts one request against every limit. It returns 0 when each bucket
	// had room, and otherwise how long to wait until all of them have.
	Allow(ctx context.Context, limits []RateLimit) (retryAfter time.Duration, err error)
}
