package graph

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// TrustedProxies are the networks of the load balancers and proxies in front of the
// API. A request that arrives from one of them comes from the address its
// X-Forwarded-For header names, read from the right: each trusted hop appends the
// address it received the request from, so the first address from the right that
// is not a trusted proxy is the client's. Without trusted proxies the header is
// ignored (anybody can send it), and the client is the connection's peer.
//
// The client address keys the rate limits per address, the open sockets per
// address and the unpaid orders per client; behind a load balancer that is not
// trusted, every client would share the load balancer's.
type TrustedProxies []netip.Prefix

// ParseTrustedProxies reads a list of addresses and networks ("10.0.0.0/8,
// 192.0.2.7"), separated by commas or spaces.
func ParseTrustedProxies(s string) (TrustedProxies, error) {
	var out TrustedProxies
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			if p.Addr().Is4In6() && p.Bits() >= 96 { // ::ffff:10.0.0.0/104 is 10.0.0.0/8
				p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a network such as 10.0.0.0/8", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

func (t TrustedProxies) trusts(a netip.Addr) bool {
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddress is the network address a request came from, without its port.
func (t TrustedProxies) clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr := peer.Unmap()
	if !t.trusts(addr) {
		return addr.String()
	}
	// Every X-Forwarded-For header, in order, as one list.
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0 && t.trusts(addr); i-- {
		h := strings.TrimSpace(hops[i])
		if h == "" {
			continue
		}
		next, err := netip.ParseAddr(h)
		if err != nil {
			// Some balancers write the client's port too (192.0.2.1:5000, [2001:db8::1]:5000).
			ap, perr := netip.ParseAddrPort(h)
			if perr != nil {
				// A hop the proxy did not write: trust nothing further left.
				break
			}
			next = ap.Addr()
		}
		addr = next.Unmap()
	}
	return addr.String()
}
