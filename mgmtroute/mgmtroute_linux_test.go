package mgmtroute

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/lisa-go/lisa/internal/nstest"
)

// Veth pairs stand for the SVI and the host's uplink (dummy links need a
// module CI may lack). The rules are read back by asking the kernel where a packet would go
// (ip route get ... from ...), so the test checks what traffic does, not
// what the code believes it wrote.
func TestGatewayForManagementAddressesOnly(t *testing.T) {
	nstest.RequireRoot(t)
	ns := nstest.New(t, "mgmt")
	for _, cmd := range [][]string{
		{"link", "add", "vlan10", "type", "veth", "peer", "name", "vlan10p"},
		{"link", "set", "vlan10p", "up"},
		{"addr", "add", "192.0.2.2/24", "dev", "vlan10"},
		{"link", "set", "vlan10", "up"},
		{"link", "add", "host0", "type", "veth", "peer", "name", "host0p"},
		{"link", "set", "host0p", "up"},
		{"addr", "add", "10.9.0.2/24", "dev", "host0"},
		{"link", "set", "host0", "up"},
		{"route", "add", "default", "via", "10.9.0.1"},
	} {
		ns.MustRun(t, "ip", cmd...)
	}
	var r *Router
	if err := ns.Do(func() (err error) { r, err = New(); return err }); err != nil {
		t.Fatal(err)
	}
	routeGet := func(args ...string) string {
		t.Helper()
		out, err := ns.Run("ip", append([]string{"-4", "route", "get"}, args...)...)
		if err != nil {
			return "error: " + out
		}
		return out
	}
	gw := netip.MustParseAddr("192.0.2.1")
	svi := netip.MustParseAddr("192.0.2.2")
	if err := r.Set(gw, []netip.Addr{svi, netip.MustParseAddr("2001:db8::2")}); err != nil {
		t.Fatal(err)
	}
	if out := routeGet("198.51.100.7", "from", "192.0.2.2"); !strings.Contains(out, "via 192.0.2.1") {
		t.Errorf("from the SVI address: %s (want via 192.0.2.1)", out)
	}
	if out := routeGet("192.0.2.9", "from", "192.0.2.2"); strings.Contains(out, "via") {
		t.Errorf("the SVI's own subnet goes through a gateway: %s", out)
	}
	if out := routeGet("10.9.0.5", "from", "192.0.2.2"); !strings.Contains(out, "dev host0") || strings.Contains(out, "via") {
		t.Errorf("a host's connected route is not used from the SVI address: %s", out)
	}
	if out := routeGet("198.51.100.7"); !strings.Contains(out, "via 10.9.0.1") {
		t.Errorf("the host's own traffic changed its way: %s", out)
	}
	g, srcs, err := r.Gateway()
	if err != nil || g != gw || len(srcs) != 1 || srcs[0] != svi {
		t.Errorf("Gateway() = %v %v %v, want %v [%v]", g, srcs, err, gw, svi)
	}
	// Setting the same again changes nothing (no duplicate rules).
	if err := r.Set(gw, []netip.Addr{svi}); err != nil {
		t.Fatal(err)
	}
	if out := ns.MustRun(t, "ip", "-4", "rule"); strings.Count(out, "from 192.0.2.2") != 2 {
		t.Errorf("rules after a second Set:\n%s", out)
	}

	// A gateway on no connected subnet: said, and the route left out.
	err = r.Set(netip.MustParseAddr("203.0.113.1"), []netip.Addr{svi})
	if !errors.Is(err, ErrGatewayUnreachable) {
		t.Errorf("unreachable gateway: %v", err)
	}
	if out := routeGet("198.51.100.7", "from", "192.0.2.2"); strings.Contains(out, "via 192.0.2.1") {
		t.Errorf("the old gateway is still used: %s", out)
	}

	// A lisad killed with its rules in place: the next one's New removes them.
	if err := r.Set(gw, []netip.Addr{svi}); err != nil {
		t.Fatal(err)
	}
	var r2 *Router
	if err := ns.Do(func() (err error) { r2, err = New(); return err }); err != nil {
		t.Fatal(err)
	}
	if out := ns.MustRun(t, "ip", "-4", "rule"); strings.Contains(out, "192.0.2.2") {
		t.Errorf("New left an old lisad's rules:\n%s", out)
	}
	r2.Close()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if out := ns.MustRun(t, "ip", "-4", "rule"); strings.Contains(out, "192.0.2.2") {
		t.Errorf("rules left after Close:\n%s", out)
	}
	if out := ns.MustRun(t, "ip", "-4", "route", "show", "table", "2960"); strings.TrimSpace(out) != "" {
		t.Errorf("routes left after Close:\n%s", out)
	}
}
