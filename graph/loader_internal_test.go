package graph

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
)

// countingLoader is a loader of squares of the even numbers, recording each fetch.
func countingLoader() (*loader[int64, int64], *[][]int64) {
	var mu sync.Mutex
	var fetches [][]int64
	l := &loader[int64, int64]{fetch: func(_ context.Context, ids []int64) (map[int64]int64, error) {
		mu.Lock()
		fetches = append(fetches, slices.Sorted(slices.Values(ids)))
		mu.Unlock()
		out := map[int64]int64{}
		for _, id := range ids {
			if id%2 == 0 {
				out[id] = id * id
			}
		}
		return out, nil
	}}
	return l, &fetches
}

func TestLoaderFetchesEachIDOnce(t *testing.T) {
	ctx := context.Background()
	l, fetches := countingLoader()
	ids := []int64{2, 3, 4, 2}
	if err := l.loadMany(ctx, ids); err != nil {
		t.Fatal(err)
	}
	if got := l.found(ids, map[int64]struct{}{}); !slices.Equal(got, []int64{4, 16}) {
		t.Errorf("found %v, want [4 16]", got)
	}
	// Known IDs, found or not, are not fetched again; only 6 is new.
	if err := l.loadMany(ctx, []int64{2, 3, 6}); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := l.get(ctx, 3); ok || err != nil || v != 0 {
		t.Errorf("get(3) = %d, %v, %v; want not found", v, ok, err)
	}
	// Many resolvers asking at once for an ID nobody loaded fetch it once.
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if v, ok, err := l.get(ctx, 8); v != 64 || !ok || err != nil {
				t.Errorf("get(8) = %d, %v, %v", v, ok, err)
			}
		})
	}
	wg.Wait()
	want := [][]int64{{2, 3, 4}, {6}, {8}}
	if !slices.EqualFunc(*fetches, want, slices.Equal) {
		t.Errorf("fetches %v, want %v", *fetches, want)
	}
}

func TestLoaderError(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("boom")
	l := &loader[int64, int64]{fetch: func(context.Context, []int64) (map[int64]int64, error) { return nil, boom }}
	if err := l.loadMany(ctx, []int64{1}); !errors.Is(err, boom) {
		t.Errorf("loadMany: %v", err)
	}
	if _, err := load(ctx, l, 1, "thing"); !errors.Is(err, boom) {
		t.Errorf("load after a failed fetch: %v", err)
	}
	// A loader without a fetch (a service the server runs without) finds nothing.
	var none loader[int64, int64]
	if _, err := load(ctx, &none, 1, "thing"); err == nil {
		t.Error("load without a fetch: no error")
	}
}
