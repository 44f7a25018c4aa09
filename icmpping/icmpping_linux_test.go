package icmpping

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/lisa-go/lisa/internal/nstest"
)

// Real kernels on both ends: a neighbour answers ('!'), an address nobody
// holds stays silent ('.'), a router with an unreachable route says so
// ('U'), and a bound source address is the one the peer sees.
func TestEchoThroughNamespaces(t *testing.T) {
	nstest.RequireRoot(t)
	a := nstest.New(t, "pinga")
	b := nstest.New(t, "pingb")
	nstest.Veth(t, a, "eth0", b, "eth0")
	a.MustRun(t, "ip", "addr", "add", "10.77.0.1/24", "dev", "eth0")
	a.MustRun(t, "ip", "addr", "add", "10.77.0.9/24", "dev", "eth0")
	a.MustRun(t, "ip", "link", "set", "eth0", "up")
	b.MustRun(t, "ip", "addr", "add", "10.77.0.2/24", "dev", "eth0")
	b.MustRun(t, "ip", "link", "set", "eth0", "up")
	a.MustRun(t, "ip", "route", "add", "203.0.113.0/24", "via", "10.77.0.2")
	b.MustRun(t, "sysctl", "-qw", "net.ipv4.ip_forward=1")
	b.MustRun(t, "ip", "route", "add", "unreachable", "203.0.113.0/24")

	var s *Socket
	if err := a.Do(func() (err error) { s, err = Open(netip.MustParseAddr("10.77.0.9"), 0x4242); return err }); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	echo := func(dst string, seq int, timeout time.Duration) Result {
		t.Helper()
		r, err := s.Echo(ctx, netip.MustParseAddr(dst), seq, 100, timeout)
		if err != nil {
			t.Fatalf("echo %s: %v", dst, err)
		}
		return r
	}
	// The first may wait for ARP; a generous bound, it ends at the reply.
	if r := echo("10.77.0.2", 1, 30*time.Second); r.Code != Reply || r.RTT <= 0 {
		t.Errorf("neighbour: %q %v", r.Code, r.RTT)
	}
	if r := echo("10.77.0.2", 2, 30*time.Second); r.Code != Reply {
		t.Errorf("neighbour again: %q", r.Code)
	}
	if r := echo("203.0.113.5", 3, 30*time.Second); r.Code != Unreachable {
		t.Errorf("through a router with an unreachable route: %q, want U", r.Code)
	}
	// Silence is a timeout; the bound is the test's own, short on purpose.
	if r := echo("10.77.0.3", 4, 500*time.Millisecond); r.Code != Timeout {
		t.Errorf("nobody there: %q, want '.'", r.Code)
	}
	// The peer saw our bound source, not the first address.
	if out := b.MustRun(t, "ip", "neigh", "show", "10.77.0.9"); out == "" {
		t.Errorf("the peer never heard from 10.77.0.9")
	}
}
