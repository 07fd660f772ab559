package graph

import (
	"net/http/httptest"
	"testing"
)

func TestClientAddress(t *testing.T) {
	lb, err := ParseTrustedProxies("10.0.0.0/8, 192.0.2.7 ,fd00::/8")
	if err != nil {
		t.Fatal(err)
	}
	mapped, err := ParseTrustedProxies("::ffff:172.16.0.0/108")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, peer string
		xff        []string
		trusted    TrustedProxies
		want       string
	}{
		{"no proxies trusted: the peer, whatever the header says", "198.51.100.1:5000", []string{"203.0.113.5"}, nil, "198.51.100.1"},
		{"an untrusted peer's header is ignored", "198.51.100.1:5000", []string{"203.0.113.5"}, lb, "198.51.100.1"},
		{"behind a balancer", "10.0.0.3:5000", []string{"203.0.113.5"}, lb, "203.0.113.5"},
		{"a client's own entries left of the balancer's are not believed", "10.0.0.3:5000", []string{"1.2.3.4, 203.0.113.5"}, lb, "203.0.113.5"},
		{"two trusted hops", "10.0.0.3:5000", []string{"203.0.113.5, 192.0.2.7"}, lb, "203.0.113.5"},
		{"several headers are one list", "10.0.0.3:5000", []string{"1.2.3.4", "203.0.113.5, 10.9.9.9"}, lb, "203.0.113.5"},
		{"a hop that is not an address stops the walk at the last trusted one", "10.0.0.3:5000", []string{"203.0.113.5, junk"}, lb, "10.0.0.3"},
		{"only trusted hops: the leftmost", "10.0.0.3:5000", []string{"10.1.1.1, 10.2.2.2"}, lb, "10.1.1.1"},
		{"no header from a balancer: the balancer", "10.0.0.3:5000", nil, lb, "10.0.0.3"},
		{"IPv4 in IPv6 is IPv4", "[::ffff:10.0.0.3]:5000", []string{"203.0.113.5"}, lb, "203.0.113.5"},
		{"IPv6 balancer", "[fd00::1]:5000", []string{"2001:db8::5"}, lb, "2001:db8::5"},
		{"a hop written with its port", "10.0.0.3:5000", []string{"203.0.113.5:61000"}, lb, "203.0.113.5"},
		{"an IPv6 hop written with its port", "10.0.0.3:5000", []string{"[2001:db8::5]:61000"}, lb, "2001:db8::5"},
		{"a balancer listed as IPv4 in IPv6", "172.16.0.9:5000", []string{"203.0.113.5"}, mapped, "203.0.113.5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/graphql", nil)
			r.RemoteAddr = c.peer
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := c.trusted.clientAddress(r); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
}

func TestParseTrustedProxies(t *testing.T) {
	for _, bad := range []string{"10.0.0.0/33", "localhost", "10.0.0.1/8/8"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if p, err := ParseTrustedProxies(""); err != nil || p != nil {
		t.Errorf("empty: %v, %v", p, err)
	}
}
