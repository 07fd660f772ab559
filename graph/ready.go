package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// Dependency is something the API needs, checked at each GET /readyz.
type Dependency struct {
	Name  string
	Check func(context.Context) error
	// Optional dependencies degrade the service when they fail (the replica: reads
	// go to the primary; the listener: the catalog cache is off; Stripe: card
	// payments fail) but do not make the process unready, for a load balancer
	// would otherwise take every process out at once for what none of them can fix.
	Optional bool
}

// readyHandler answers GET /readyz with each dependency's state, as JSON:
//
//	{"status": "ok" | "degraded" | "unavailable", "dependencies": {"primary": "ok", "replica": "…error…"}}
//
// with status 503 when a required one fails. Every check runs at each request, so
// the answer follows a dependency that comes back without a restart.
func readyHandler(o Options) http.Handler {
	deps := o.Dependencies
	if len(deps) == 0 {
		deps = []Dependency{{Name: "database", Check: o.Ready}}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		states := make([]string, len(deps))
		var wg sync.WaitGroup
		for i, d := range deps {
			wg.Go(func() {
				states[i] = "ok"
				if err := d.Check(ctx); err != nil {
					states[i] = err.Error()
				}
			})
		}
		wg.Wait()
		answer := struct {
			Status       string            `json:"status"`
			Dependencies map[string]string `json:"dependencies"`
		}{Status: "ok", Dependencies: map[string]string{}}
		code := http.StatusOK
		for i, d := range deps {
			answer.Dependencies[d.Name] = states[i]
			if states[i] == "ok" {
				continue
			}
			o.Log.WarnContext(ctx, "not ready", "dependency", d.Name, "err", states[i])
			if d.Optional {
				if answer.Status == "ok" {
					answer.Status = "degraded"
				}
			} else {
				answer.Status, code = "unavailable", http.StatusServiceUnavailable
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(answer)
	})
}
