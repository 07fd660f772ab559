package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// A server started while PostgreSQL is down listens at once, lives (/healthz 200)
// and answers everything else 503 UNAVAILABLE with Retry-After, retrying the
// database with backoff; once PostgreSQL starts, it migrates, becomes ready and
// answers queries, without a restart. Pointed at a database that does not exist,
// it stops instead, with a log line that says so.
func TestStartsBeforePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster and a server")
	}
	ctx := context.Background()
	c, dir := tempCluster(t, "tsunagu-startup-")
	defer os.Remove(dir) // last: the cluster removes its folder, and then it is empty
	defer c.Stop()
	if err := c.Halt(ctx); err != nil {
		t.Fatal(err)
	}

	env := []string{"DATABASE_URL=" + c.URL("postgres"), "TSUNAGU_RATE_TOKEN=off", "TSUNAGU_RATE_IP=off", "LOG_LEVEL=warn"}
	log := &syncBuffer{}
	s := &server{t: t, addr: freeAddr(t), metricsAddr: freeAddr(t), env: env, stderr: log}
	s.launch()
	defer s.kill()
	base := "http://" + s.addr
	get := func(path string) (int, http.Header, []byte) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		return resp.StatusCode, resp.Header, body.Bytes()
	}
	// The address opens before the database is reached.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not listen: %v", err)
		}
	}
	// Long enough for a few attempts (0.5 s, 1 s, 2 s apart): the process waits, not exits.
	time.Sleep(3 * time.Second)
	if code, _, _ := get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz: %d, want 200 while the database is away", code)
	}
	if code, h, _ := get("/readyz"); code != http.StatusServiceUnavailable || h.Get("Retry-After") == "" {
		t.Errorf("/readyz: %d (Retry-After %q), want 503 with Retry-After", code, h.Get("Retry-After"))
	}
	query := func() (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(`{"query":"{ municipalities { edges { node { name } } } }"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		return resp, body.Bytes()
	}
	resp, body := query()
	var answer struct {
		Data   json.RawMessage
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		t.Fatalf("/graphql answered %d %q: %v", resp.StatusCode, body, err)
	}
	retryAfter, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != http.StatusServiceUnavailable || len(answer.Errors) != 1 || answer.Errors[0].Extensions.Code != "UNAVAILABLE" ||
		answer.Errors[0].Message == "" || err != nil || retryAfter < 1 || retryAfter > 34 {
		t.Errorf("/graphql while the database is away: %d, Retry-After %q, %s; want 503 UNAVAILABLE with Retry-After",
			resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if n := strings.Count(log.String(), "the database is not reachable yet"); n < 3 {
		t.Errorf("%d log lines of failed attempts after 3 s, want one for each (at least 3):\n%s", n, log.String())
	}

	// PostgreSQL starts: the server migrates, becomes ready and answers.
	if err := c.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	resumed := time.Now()
	s.awaitReady()
	t.Logf("ready %s after PostgreSQL started; %d failed attempts logged before",
		time.Since(resumed).Round(time.Millisecond), strings.Count(log.String(), "the database is not reachable yet"))
	resp, body = query()
	answer.Errors = nil
	if err := json.Unmarshal(body, &answer); err != nil || resp.StatusCode != http.StatusOK || len(answer.Errors) > 0 ||
		!bytes.HasPrefix(answer.Data, []byte(`{"municipalities":`)) {
		t.Errorf("/graphql once ready: %d %s", resp.StatusCode, body)
	}

	// An error no wait heals: the database does not exist (3D000). The server stops.
	gone := &syncBuffer{}
	bad := &server{t: t, addr: freeAddr(t), metricsAddr: freeAddr(t), stderr: gone,
		env: []string{"DATABASE_URL=" + c.URL("no_such_database"), "LOG_LEVEL=warn"}}
	bad.launch()
	exited := make(chan error, 1)
	go func() { exited <- bad.cmd.Wait() }()
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Errorf("the server exited with %v, want status 1", err)
		}
		if !strings.Contains(gone.String(), "retrying will not change that") || !strings.Contains(gone.String(), "sqlstate=3D000") {
			t.Errorf("no clear log line of why it stopped:\n%s", gone.String())
		}
	case <-time.After(20 * time.Second):
		bad.cmd.Process.Kill()
		<-exited
		t.Errorf("the server kept trying a database that does not exist:\n%s", gone.String())
	}
}

// syncBuffer collects a process's output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
