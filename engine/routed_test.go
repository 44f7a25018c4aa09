package engine_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/engine/enginetest"
)

// A routed port switches nothing, in either direction, but still punts CDP;
// its dynamic MACs go, its statics stay (inactive), and switching resumes as
// configured when it is a switch port again.
func TestRoutedPort(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3")
	r.vlans("1,10")
	r.access("p1", 10)
	r.access("p2", 10)
	r.access("p3", 10)
	a, b, c := st(1), st(2), st(3)
	r.send("p1", ucast(engine.Broadcast, a))
	r.got("p2")
	r.got("p3")
	r.send("p2", ucast(a, b))
	r.gotFrame("p1", ucast(a, b))
	if err := r.e.AddStatic(c, 10, "p1"); err != nil {
		t.Fatal(err)
	}
	if !r.h.Promiscuous("p1") {
		t.Fatal("a switch port is not promiscuous")
	}

	r.set("p1", func(pc *engine.PortConfig) { pc.Routed = true })
	if r.h.Promiscuous("p1") {
		t.Fatal("a routed port is still promiscuous")
	}
	if _, ok := r.lookup(a, 10); ok {
		t.Fatal("dynamic MAC of a routed port kept")
	}
	if port, ok := r.lookup(c, 10); !ok || port != "p1" {
		t.Fatalf("static MAC of a routed port: %q %v", port, ok)
	}
	// Nothing it receives is switched or learned, nor counted as a drop.
	r.send("p1", ucast(engine.Broadcast, a))
	r.send("p1", ucast(b, a))
	r.none("p2", "p3")
	if _, ok := r.lookup(a, 10); ok {
		t.Fatal("a routed port learned")
	}
	if cnt, _ := r.e.Counters("p1"); cnt.InDrops() != 0 {
		t.Fatalf("routed port counted drops: %+v", cnt.Drops)
	}
	// Nothing is flooded to it; its static is inactive.
	r.send("p2", ucast(engine.Broadcast, b))
	r.got("p3")
	r.none("p1")
	r.send("p2", ucast(c, b))
	r.none("p1", "p3")
	if r.drops("p2", engine.DropEgressUnavailable) != 1 {
		t.Fatal("frame to a routed port's static MAC not dropped as egress-unavailable")
	}
	// CDP is punted as before, and the agent still sends on it.
	punted := make(chan string, 1)
	r.e.SetPuntHandler(func(port string, _ []byte) { punted <- port })
	r.send("p1", enginetest.CDP(st(9), false, 0))
	select {
	case p := <-punted:
		if p != "p1" {
			t.Fatalf("CDP punted from %s", p)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("CDP from a routed port not punted")
	}
	r.none("p2", "p3")
	cdp := enginetest.CDP(st(1), false, 0)
	if err := r.e.Send("p1", cdp); err != nil {
		t.Fatal(err)
	}
	r.gotFrame("p1", cdp)
	// Addresses go on a routed port's netdev only.
	pfx := []netip.Prefix{netip.MustParsePrefix("192.0.2.1/24")}
	if err := r.e.SetPortAddrs("p1", pfx); err != nil {
		t.Fatal(err)
	}
	if got := r.h.Addrs("p1"); len(got) != 1 || got[0] != pfx[0] {
		t.Fatalf("addresses %v", got)
	}
	if err := r.e.SetPortAddrs("p2", pfx); err == nil {
		t.Fatal("a switch port took an address")
	}
	if ps, _ := r.e.Port("p1"); !ps.Config.Routed || ps.Config.AccessVLAN != 10 {
		t.Fatalf("routed port config %+v", ps.Config)
	}

	// Back to switching, in its old VLAN.
	r.set("p1", func(pc *engine.PortConfig) { pc.Routed = false })
	if !r.h.Promiscuous("p1") {
		t.Fatal("a switch port again is not promiscuous")
	}
	r.send("p2", ucast(c, b))
	r.gotFrame("p1", ucast(c, b))
	r.send("p1", ucast(b, a))
	r.gotFrame("p2", ucast(b, a))
	r.none("p3")
}

// The kernel fast path forgets a routed port and every station on it, and
// takes them back when it switches again.
func TestFastPathRoutedPort(t *testing.T) {
	r := newFastRig(t, "p1", "p2")
	a, b := st(1), st(2)
	r.send("p1", ucast(b, a))
	r.send("p2", ucast(a, b))
	r.wantEntry(a, 1, "p1", false)
	r.wantEntry(b, 1, "p2", false)
	if err := r.e.AddStatic(st(3), 1, "p1"); err != nil {
		t.Fatal(err)
	}
	r.wantEntry(st(3), 1, "p1", false)

	r.set("p1", func(pc *engine.PortConfig) { pc.Routed = true })
	r.noEntry(a, 1)
	r.noEntry(st(3), 1)
	r.wantEntry(b, 1, "p2", false)
	if _, ok := r.fp.Port(r.ifindex("p1")); ok {
		t.Fatal("a routed port is in the fast path")
	}
	r.set("p1", func(pc *engine.PortConfig) { pc.Routed = false })
	r.e.SyncFastPath()
	if _, ok := r.fp.Port(r.ifindex("p1")); !ok {
		t.Fatal("a switch port again is not in the fast path")
	}
	r.wantEntry(st(3), 1, "p1", false)
	r.send("p1", ucast(b, a))
	r.wantEntry(a, 1, "p1", false)
}
