// Package mailpit runs mailpit, an SMTP server that keeps what it receives and shows
// it over HTTP, on loopback for tests, and reads what arrived through its API. It is
// a Go tool dependency of the module (go.mod's tool directive), like stripe-mock.
//
// One server serves a whole test binary: tests tell their messages apart by
// recipient (Messages), so each test sends to addresses of its own.
package mailpit

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var server struct {
	once sync.Once
	srv  *Server
	err  error
}

// Server is a running mailpit.
type Server struct {
	// SMTP is the SMTP listener's host:port; Web the base URL of the web UI and API.
	SMTP, Web string
	cmd       *exec.Cmd
	exited    chan struct{} // closed once cmd.Wait returned
	dir       string
}

// Start returns the mailpit of this test binary, starting it on the first call. It
// fails t when mailpit cannot be built or started.
func Start(t testing.TB) *Server {
	t.Helper()
	server.once.Do(func() { server.srv, server.err = start() })
	if server.err != nil {
		t.Fatalf("mailpit: %v", server.err)
	}
	return server.srv
}

// Stop stops the server if Start started one; TestMain calls it after the tests.
func Stop() {
	if s := server.srv; s != nil {
		s.cmd.Process.Kill()
		<-s.exited
		os.RemoveAll(s.dir)
	}
}

// SMTPURL is the SMTP_URL that sends to this server (plain text: it is on loopback).
func (s *Server) SMTPURL() string { return "smtp://" + s.SMTP + "?tls=none" }

func start() (*Server, error) {
	// The binary itself, not `go tool mailpit`, so that killing it (or this process
	// dying) leaves no server behind.
	out, err := exec.Command("go", "tool", "-n", "mailpit").Output()
	if err != nil {
		return nil, fmt.Errorf("building mailpit (go tool -n mailpit): %w", err)
	}
	bin := strings.TrimSpace(string(out))
	var last error
	// mailpit cannot report a port it chose, so the ports are found free here and
	// handed to it; another process may take one in between, hence a few tries.
	for range 3 {
		s, err := startOn(bin)
		if err == nil {
			return s, nil
		}
		last = err
	}
	return nil, last
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func startOn(bin string) (*Server, error) {
	smtp, err := freePort()
	if err != nil {
		return nil, err
	}
	web, err := freePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "mailpit-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--smtp", smtp, "--listen", web, "--database", filepath.Join(dir, "mailpit.db"),
		"--max", "0", "--quiet", "--disable-version-check", "--smtp-disable-rdns")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	s := &Server{SMTP: smtp, Web: "http://" + web, cmd: cmd, exited: exited, dir: dir}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			os.RemoveAll(dir)
			return nil, fmt.Errorf("mailpit exited before it was ready (see its output above)")
		default:
		}
		// Ready once the API answers and the SMTP port takes connections.
		if r, err := http.Get(s.Web + "/readyz"); err == nil {
			r.Body.Close()
			if c, err := net.DialTimeout("tcp", smtp, time.Second); r.StatusCode == http.StatusOK && err == nil {
				c.Close()
				return s, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Kill()
	<-exited
	os.RemoveAll(dir)
	return nil, fmt.Errorf("mailpit did not start within 30 s")
}

// Address is a mailbox as mailpit's API gives it.
type Address struct {
	Name    string
	Address string
}

// Summary is a message in mailpit's list (GET /api/v1/messages).
type Summary struct {
	ID        string
	MessageID string
	From      *Address
	To        []Address
	Subject   string
}

// Message is one message in full (GET /api/v1/message/{ID}).
type Message struct {
	ID        string
	MessageID string
	From      *Address
	To        []Address
	Subject   string
	Text      string
	HTML      string
}

func (s *Server) get(t testing.TB, path string, v any) {
	t.Helper()
	r, err := http.Get(s.Web + path)
	if err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	defer r.Body.Close()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("mailpit: GET %s: %s", path, r.Status)
	}
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		t.Fatalf("mailpit: GET %s: %v", path, err)
	}
}

// Messages returns every message that arrived for to (one of its recipients),
// newest first.
func (s *Server) Messages(t testing.TB, to string) []Summary {
	t.Helper()
	const page = 500
	var out []Summary
	for start := 0; ; start += page {
		var list struct {
			Total    int
			Messages []Summary
		}
		s.get(t, fmt.Sprintf("/api/v1/messages?start=%d&limit=%d", start, page), &list)
		for _, m := range list.Messages {
			for _, a := range m.To {
				if strings.EqualFold(a.Address, to) {
					out = append(out, m)
					break
				}
			}
		}
		if len(list.Messages) < page {
			return out
		}
	}
}

// Message returns the message of mailpit's id.
func (s *Server) Message(t testing.TB, id string) *Message {
	t.Helper()
	var m Message
	s.get(t, "/api/v1/message/"+url.PathEscape(id), &m)
	return &m
}

// WaitFor polls until at least n messages have arrived for to, and returns them;
// it fails t if they have not within a minute.
func (s *Server) WaitFor(t testing.TB, to string, n int) []Summary {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		got := s.Messages(t, to)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit: %d messages for %s after a minute, want %d", len(got), to, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
