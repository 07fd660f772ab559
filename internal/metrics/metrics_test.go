package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

// A gauge added again under its name replaces the first: the bench instruments a
// new catalog cache each turn, and registering the name twice panicked.
func TestGaugeReplaced(t *testing.T) {
	m := New()
	m.Gauge("tsunagu_test_gauge", "A test figure.", func() float64 { return 1 })
	m.Gauge("tsunagu_test_gauge", "A test figure.", func() float64 { return 2 })
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if !strings.Contains(string(body), "\ntsunagu_test_gauge 2\n") || strings.Contains(string(body), "tsunagu_test_gauge 1") {
		t.Fatalf("scraped:\n%s", body)
	}
}
