package switchd

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDomainNameNamesTheSwitchInCDP(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure("hostname access-7", "switch 1 provision ws-c2960x-48fpd-l", "ip domain name lab.example", "interface eth0")
	body := r.runningBody()
	if !strings.Contains(body, "switch 1 provision ws-c2960x-48fpd-l\nip domain-name lab.example\n!\n") {
		t.Errorf("domain name not where IOS puts it:\n%s", body)
	}
	r.clock.Advance(61 * time.Second)
	r.sw.cdp.Tick()
	for p := r.sentCDP("eth0"); p.DeviceID != "access-7.lab.example"; p = r.sentCDP("eth0") {
		if p.DeviceID != "access-7" && p.DeviceID != "Switch" { // frames sent before the change
			t.Fatalf("CDP device ID %q", p.DeviceID)
		}
	}
	for _, bad := range []string{"ip domain-name -lab.example", "ip domain-name a..b", "ip domain-name x/y"} {
		out := r.run("conf t", bad)
		if !strings.Contains(out, "% Invalid domain name") {
			t.Errorf("%s: %s", bad, out)
		}
	}
	r.configure("no ip domain-name")
	if body := r.runningBody(); strings.Contains(body, "domain") {
		t.Errorf("no ip domain-name left:\n%s", body)
	}
}

func TestDefaultGatewayServesTheSVIAddresses(t *testing.T) {
	r := newRig(t, "eth0")
	r.gw.reach = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
	gw := netip.MustParseAddr("192.0.2.1")

	// Before any address: kept, said, installed once an SVI holds it.
	out := r.run("conf t", "ip default-gateway 192.0.2.1")
	if strings.Contains(out, "% Invalid") {
		t.Fatalf("refused: %s", out)
	}
	if g, _ := r.gw.state(); g.IsValid() {
		t.Errorf("gateway installed with no address: %v", g)
	}
	r.configure("interface vlan 10", "ip address 192.0.2.2 255.255.255.0", "interface vlan 20", "ip address 198.51.100.2 255.255.255.0")
	g, srcs := r.gw.state()
	want := []netip.Addr{netip.MustParseAddr("192.0.2.2"), netip.MustParseAddr("198.51.100.2")}
	if g != gw || !slices.Equal(srcs, want) {
		t.Errorf("gateway %v for %v, want %v for %v", g, srcs, gw, want)
	}
	if got := r.run("show ip route"); !strings.Contains(got, "Default gateway is 192.0.2.1\n\nHost               Gateway           Last Use    Total Uses  Interface\nICMP redirect cache is empty\n") {
		t.Errorf("show ip route:\n%s", got)
	}
	body := r.runningBody()
	if !strings.Contains(body, "interface Vlan20\n ip address 198.51.100.2 255.255.255.0\n!\nip default-gateway 192.0.2.1\n!") {
		t.Errorf("running-config:\n%s", body)
	}

	// The kernel drops a downed SVI's routes: coming up, the gateway is
	// installed again.
	r.gw.mu.Lock()
	before := r.gw.sets
	r.gw.mu.Unlock()
	r.configure("interface vlan 10", "shutdown", "no shutdown")
	r.gw.mu.Lock()
	again := r.gw.sets - before
	r.gw.mu.Unlock()
	if g, _ := r.gw.state(); again < 2 || g != gw {
		t.Errorf("after shutdown, no shutdown: %d Set calls, gateway %v", again, g)
	}

	// An SVI that goes takes its address out of the rules.
	r.configure("no interface vlan 20")
	if _, srcs := r.gw.state(); !slices.Equal(srcs, want[:1]) {
		t.Errorf("sources after no interface vlan 20: %v", srcs)
	}

	// Saved and reloaded: the same configuration, the gateway installed again.
	body = r.runningBody()
	r2 := r.reloaded(body)
	if g, _ := r2.gw.state(); g != gw {
		t.Errorf("gateway after reload: %v", g)
	}

	for _, bad := range []string{"ip default-gateway 0.0.0.0", "ip default-gateway 224.0.0.1", "ip default-gateway 127.0.0.1"} {
		if out := r2.run("conf t", bad); !strings.Contains(out, "% Invalid default gateway") {
			t.Errorf("%s: %s", bad, out)
		}
	}
	r2.configure("no ip default-gateway")
	if g, _ := r2.gw.state(); g.IsValid() {
		t.Errorf("gateway after no ip default-gateway: %v", g)
	}
	if got := r2.run("show ip route"); !strings.Contains(got, "Default gateway is not set\n") {
		t.Errorf("show ip route:\n%s", got)
	}
}

func TestSSHVersionAndHTTPLines(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure("ip ssh version 2", "ip http server", "no ip http secure-server", "ip http authentication local")
	body := r.runningBody()
	for _, want := range []string{"ip ssh version 2\n", "ip http server\nno ip http secure-server\nip http authentication local\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q:\n%s", want, body)
		}
	}
	if show := r.run("show inert-config"); !strings.Contains(show, "ip http server\n  lisad has no web interface") {
		t.Errorf("show inert-config:\n%s", show)
	}
	if out := r.run("conf t", "ip ssh version 1"); !strings.Contains(out, "% LiSA-Go's SSH server speaks SSH version 2 only") {
		t.Errorf("ip ssh version 1: %s", out)
	}
	r.configure("no ip ssh version", "no ip http server", "ip http secure-server")
	body = r.runningBody()
	if strings.Contains(body, "ip ssh version") || !strings.Contains(body, "no ip http server\nip http secure-server\n") {
		t.Errorf("after the no forms:\n%s", body)
	}
}
