//go:build linux

package engine_test

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/internal/nstest"
)

// A routed port on real veths, on each data path: its frames are not
// switched to the other port (not even to a station the kernel fast path
// knew) while the switch's host answers a ping on the port's own address,
// the port is not promiscuous, and switching resumes after "switchport".
//
//	hrh1 eth0 10.77.0.1 -- hrp1 [engine in hrsw] hrp2 -- eth0 10.77.0.2 hrh2
//	                                             hrp2 routed: 10.77.0.9/24
func TestIntegrationRoutedPort(t *testing.T) {
	for _, dp := range dataPaths {
		t.Run(dp.name, func(t *testing.T) {
			nstest.RequireRoot(t)
			skipWithoutFastPath(t, dp.hc)
			integrationRoutedPort(t, dp.hc)
		})
	}
}

func integrationRoutedPort(t *testing.T, hc engine.LinuxHostConfig) {
	sw := nstest.New(t, "hrsw")
	var h [3]*nstest.NS
	for i := 1; i <= 2; i++ {
		h[i] = nstest.New(t, fmt.Sprintf("hrh%d", i))
		nstest.Veth(t, h[i], "eth0", sw, fmt.Sprintf("hrp%d", i))
		h[i].MustRun(t, "ip", "addr", "add", fmt.Sprintf("10.77.0.%d/24", i), "dev", "eth0")
	}
	var e *engine.Engine
	err := sw.Do(func() error {
		host, err := engine.NewLinuxHost(hc)
		if err != nil {
			return err
		}
		e, err = engine.New(engine.Config{Host: host, AgeInterval: 100 * time.Millisecond})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	requireFastPath(t, e, hc)
	for _, p := range []string{"hrp1", "hrp2"} {
		if err := e.AddPort(p); err != nil {
			t.Fatal(err)
		}
	}
	ping := func(i int, ip string) bool {
		_, err := h[i].Run("ping", "-c2", "-i0.2", "-W1", ip)
		return err == nil
	}
	promisc := func() bool {
		out := sw.MustRun(t, "ip", "-d", "link", "show", "hrp2")
		return !strings.Contains(out, "promiscuity 0 ")
	}
	setRouted := func(routed bool) {
		t.Helper()
		pc, err := e.PortConfigOf("hrp2")
		if err != nil {
			t.Fatal(err)
		}
		pc.Routed = routed
		if err := e.SetPort("hrp2", pc); err != nil {
			t.Fatal(err)
		}
		e.SyncFastPath()
	}

	if !ping(2, "10.77.0.1") || !ping(2, "10.77.0.1") {
		t.Fatal("h2 cannot reach h1 through the switch")
	}
	if !promisc() {
		t.Fatal("a switch port is not promiscuous")
	}

	setRouted(true)
	if err := e.SetPortAddrs("hrp2", []netip.Prefix{netip.MustParsePrefix("10.77.0.9/24")}); err != nil {
		t.Fatal(err)
	}
	if promisc() {
		t.Fatal("a routed port is still promiscuous")
	}
	// h2 still knows h1's MAC: its unicast must reach neither h1 (lisad or
	// the fast path switching it) nor come back.
	if ping(2, "10.77.0.1") {
		t.Fatal("h2 reaches h1 over a routed port (known station)")
	}
	h[2].Run("ip", "neigh", "flush", "dev", "eth0")
	if ping(2, "10.77.0.1") {
		t.Fatal("h2 reaches h1 over a routed port")
	}
	if ping(1, "10.77.0.9") {
		t.Fatal("h1 reaches the routed port's address through the switch")
	}
	if !ping(2, "10.77.0.9") {
		t.Fatal("the host does not answer on the routed port's address")
	}

	if err := e.SetPortAddrs("hrp2", nil); err != nil {
		t.Fatal(err)
	}
	setRouted(false)
	if !promisc() {
		t.Fatal("a switch port again is not promiscuous")
	}
	h[2].Run("ip", "neigh", "flush", "dev", "eth0")
	if !ping(2, "10.77.0.1") {
		t.Fatal("switching did not resume after switchport")
	}
}
