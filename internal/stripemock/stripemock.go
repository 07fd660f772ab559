// Package stripemock runs stripe-mock, Stripe's mock API server, on loopback for
// tests. It is the Go tool dependency of the module (go.mod's tool directive), so
// it needs nothing but the Go toolchain. stripe-mock keeps no state: tests drive
// payment outcomes with signed webhook events (see Event), and `make run` pays
// orders the same way (Payer). It does not import package testing, so that the
// server can use Payer.
package stripemock

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"
)

// APIVersion is the version stripe-go v76 pins; events must carry it.
const APIVersion = "2023-10-16"

var server struct {
	once sync.Once
	url  string
	cmd  *exec.Cmd
	err  error
}

// TB is what URL needs of a test: testing.TB has it.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// URL returns the base URL of the stripe-mock of this test binary, starting it on
// the first call. It fails t when stripe-mock cannot be built or started.
func URL(t TB) string {
	t.Helper()
	server.once.Do(func() { server.url, server.cmd, server.err = start() })
	if server.err != nil {
		t.Fatalf("stripemock: %v", server.err)
	}
	return server.url
}

// Stop stops the server if URL started one; TestMain calls it after the tests.
func Stop() {
	if server.cmd != nil && server.cmd.Process != nil {
		server.cmd.Process.Kill()
		server.cmd.Wait()
	}
}

func start() (string, *exec.Cmd, error) {
	// The binary itself, not `go tool stripe-mock`, so that killing it (or this
	// process dying) leaves no server behind.
	out, err := exec.Command("go", "tool", "-n", "stripe-mock").Output()
	if err != nil {
		return "", nil, fmt.Errorf("building stripe-mock (go tool -n stripe-mock): %w", err)
	}
	// Both listeners on free loopback ports: by default HTTPS takes :12112, which
	// two test binaries running at once would fight over.
	cmd := exec.Command(strings.TrimSpace(string(out)), "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	// Ready once both listeners are up; stdout ends early if stripe-mock exits.
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		var http string
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "Listening for HTTP at address: "); ok {
				http = strings.TrimSpace(a)
			}
			if strings.HasPrefix(sc.Text(), "Listening for HTTPS at address: ") && http != "" {
				addr <- http
				http = ""
			}
		}
		close(addr)
		io.Copy(io.Discard, stdout)
	}()
	select {
	case a, ok := <-addr:
		if ok {
			return "http://" + a, cmd, nil
		}
		cmd.Wait()
		return "", nil, fmt.Errorf("stripe-mock exited before listening (see its output above)")
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		return "", nil, fmt.Errorf("stripe-mock did not start within 30 s")
	}
}

// Event returns the body of a Stripe event of type typ about object (a PaymentIntent
// as a map), and its Stripe-Signature header signed with secret at time at.
func Event(id, typ string, object map[string]any, secret string, at time.Time) (body []byte, signature string) {
	b, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "type": typ, "api_version": APIVersion,
		"created": at.Unix(), "livemode": false, "pending_webhooks": 1,
		"data": map[string]any{"object": object},
	})
	if err != nil {
		panic(err)
	}
	p := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: b, Secret: secret, Timestamp: at})
	return p.Payload, p.Header
}

// Charge is the object of a charge event (charge.refunded): a captured charge of
// amount yen of PaymentIntent pi (none when pi is ""), of which refunded yen have
// been refunded in all.
func Charge(id, pi string, amount, refunded int64) map[string]any {
	var intent any
	if pi != "" {
		intent = pi
	}
	return map[string]any{"id": id, "object": "charge", "amount": amount, "amount_captured": amount,
		"amount_refunded": refunded, "refunded": refunded == amount, "captured": true, "currency": "jpy",
		"status": "succeeded", "payment_intent": intent, "metadata": map[string]any{}}
}

// PaymentIntent is the object of a PaymentIntent event for an order; a succeeded
// one has received its whole amount.
func PaymentIntent(id string, amount int64, currency string, orderID int64, status string) map[string]any {
	var received int64
	if status == "succeeded" {
		received = amount
	}
	return map[string]any{"id": id, "object": "payment_intent", "amount": amount, "amount_received": received,
		"currency": currency, "status": status, "metadata": map[string]any{"order_id": fmt.Sprint(orderID)}}
}
