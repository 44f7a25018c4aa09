package engine_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/engine/enginetest"
)

func TestLearnFloodUnicast(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3")
	bc := ucast(engine.Broadcast, st(1))
	r.send("p1", bc)
	r.gotFrame("p2", bc)
	r.gotFrame("p3", bc)
	r.none("p1")

	// Unknown unicast floods too.
	u := ucast(st(9), st(1))
	r.send("p1", u)
	r.gotFrame("p2", u)
	r.gotFrame("p3", u)

	// The reply to a learned station goes to exactly one port.
	reply := ucast(st(1), st(2))
	r.send("p2", reply)
	r.gotFrame("p1", reply)
	r.none("p2", "p3")

	// And now both are known.
	again := ucast(st(2), st(1))
	r.send("p1", again)
	r.gotFrame("p2", again)
	r.none("p1", "p3")

	if p, ok := r.lookup(st(1), 1); !ok || p != "p1" {
		t.Fatalf("st1 on %q %v", p, ok)
	}
	tab := r.e.MACTable(engine.FDBFilter{})
	if len(tab) != 2 || tab[0].Static || tab[0].VLAN != 1 {
		t.Fatalf("table %+v", tab)
	}
	c, _ := r.e.Counters("p1")
	if c.RxPackets != 3 || c.RxBroadcast != 1 || c.RxUnicast != 2 || c.TxPackets != 1 || c.TxUnicast != 1 {
		t.Fatalf("p1 counters %+v", c)
	}
	c2, _ := r.e.Counters("p2")
	if c2.TxPackets != 3 || c2.TxBroadcast != 1 || c2.TxBytes != uint64(3*len(bc)) {
		t.Fatalf("p2 counters %+v", c2)
	}
	// Multicast is flooded.
	mc := ucast(engine.MAC{0x01, 0x00, 0x5e, 0, 0, 1}, st(1))
	r.send("p1", mc)
	r.gotFrame("p2", mc)
	r.gotFrame("p3", mc)
}

func TestStationMove(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3")
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.got("p2")
	r.got("p3")
	r.send("p3", ucast(engine.Broadcast, st(1))) // moved
	r.got("p1")
	r.got("p2")
	if p, _ := r.lookup(st(1), 1); p != "p3" {
		t.Fatalf("after move on %s", p)
	}
	f := ucast(st(1), st(2))
	r.send("p2", f)
	r.gotFrame("p3", f)
	r.none("p1")
}

func TestAging(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2")
	if r.e.AgingTime() != 300*time.Second {
		t.Fatalf("default aging %v", r.e.AgingTime())
	}
	r.e.SetAgingTime(10 * time.Second)
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.got("p2")
	if n := r.e.Age(r.clk.Advance(9 * time.Second)); n != 0 {
		t.Fatalf("aged %d after 9s", n)
	}
	if _, ok := r.lookup(st(1), 1); !ok {
		t.Fatal("gone early")
	}
	r.send("p1", ucast(engine.Broadcast, st(1))) // refresh at 9s
	r.got("p2")
	if n := r.e.Age(r.clk.Advance(9 * time.Second)); n != 0 {
		t.Fatal("refresh ignored")
	}
	if n := r.e.Age(r.clk.Advance(2 * time.Second)); n != 1 {
		t.Fatalf("aged %d, want 1", n)
	}
	if _, ok := r.lookup(st(1), 1); ok {
		t.Fatal("still there")
	}
	if ents := r.e.MACTable(engine.FDBFilter{}); len(ents) != 0 {
		t.Fatalf("table %v", ents)
	}

	r.e.SetAgingTime(0) // never
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.got("p2")
	if n := r.e.Age(r.clk.Advance(1000 * time.Hour)); n != 0 {
		t.Fatal("aging time 0 aged an entry")
	}
	ents := r.e.MACTable(engine.FDBFilter{})
	if len(ents) != 1 || ents[0].Idle < 999*time.Hour {
		t.Fatalf("entries %+v", ents)
	}
}

func TestStatic(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3")
	if err := r.e.AddStatic(engine.MAC{0x01, 0, 0x5e, 0, 0, 1}, 1, "p2"); err == nil || !strings.Contains(err.Error(), "multicast") {
		t.Fatalf("multicast static: %v", err)
	}
	if err := r.e.AddStatic(st(1), 1, "nope"); err == nil {
		t.Fatal("static on unknown port accepted")
	}
	if err := r.e.AddStatic(st(1), 0, "p2"); err == nil {
		t.Fatal("VLAN 0 accepted")
	}
	// A dynamic entry becomes static.
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.got("p2")
	r.got("p3")
	if err := r.e.AddStatic(st(1), 1, "p2"); err != nil {
		t.Fatal(err)
	}
	ents := r.e.MACTable(engine.FDBFilter{Type: engine.StaticEntry})
	if len(ents) != 1 || ents[0].Port != "p2" || !ents[0].Static {
		t.Fatalf("statics %+v", ents)
	}
	// Learning never moves it, aging never removes it.
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.got("p2")
	r.got("p3")
	r.e.SetAgingTime(10 * time.Second)
	r.e.Age(r.clk.Advance(time.Hour))
	f := ucast(st(1), st(3))
	r.send("p3", f)
	r.gotFrame("p2", f)
	r.none("p1")
	if n := r.e.ClearDynamic(engine.FDBFilter{}); n != 1 { // only st(3)
		t.Fatalf("cleared %d", n)
	}
	if got := r.e.CountMACs(); got.Static != 1 || got.Dynamic != 0 || got.Capacity != 16384 {
		t.Fatalf("counts %+v", got)
	}
	if err := r.e.RemoveStatic(st(1), 1); err != nil {
		t.Fatal(err)
	}
	if err := r.e.RemoveStatic(st(1), 1); err == nil {
		t.Fatal("removed twice")
	}
}

func TestClearDynamicFilters(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3")
	r.vlans("1,10")
	r.trunk("p3", 1, "")
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.send("p2", ucast(engine.Broadcast, st(2)))
	r.send("p3", tagged(engine.Broadcast, st(3), 10, 0))
	r.send("p3", ucast(engine.Broadcast, st(4)))
	if n := r.e.ClearDynamic(engine.FDBFilter{VLAN: 10}); n != 1 {
		t.Fatalf("vlan filter cleared %d", n)
	}
	m := st(2)
	if n := r.e.ClearDynamic(engine.FDBFilter{MAC: &m}); n != 1 {
		t.Fatalf("address filter cleared %d", n)
	}
	if n := r.e.ClearDynamic(engine.FDBFilter{Port: "p3"}); n != 1 {
		t.Fatalf("port filter cleared %d", n)
	}
	if ents := r.e.MACTable(engine.FDBFilter{}); len(ents) != 1 || ents[0].MAC != st(1) {
		t.Fatalf("left %+v", ents)
	}
}

// Topology of the VLAN tests: p1,p2 access 10; p3 access 20; p4 trunk (native 1).
func vlanRig(t *testing.T) *rig {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3", "p4")
	r.vlans("1,10,20")
	r.access("p1", 10)
	r.access("p2", 10)
	r.access("p3", 20)
	r.trunk("p4", 1, "1,10,20")
	return r
}

func TestVLANIsolationAndTagging(t *testing.T) {
	r := vlanRig(t)
	bc := ucast(engine.Broadcast, st(1))
	r.send("p1", bc)
	r.gotFrame("p2", bc)
	r.gotFrame("p4", tagged(engine.Broadcast, st(1), 10, 0)) // tag added with PCP 0
	r.none("p3", "p1")

	// Trunk -> access strips the tag.
	r.send("p4", tagged(st(1), st(4), 10, 5))
	r.gotFrame("p1", ucast(st(1), st(4)))
	r.none("p2", "p3")

	// VLAN 20 from the trunk reaches only p3.
	r.send("p4", tagged(engine.Broadcast, st(5), 20, 3))
	r.gotFrame("p3", ucast(engine.Broadcast, st(5)))
	r.none("p1", "p2")

	// Untagged on the trunk is the native VLAN (1): no other member.
	r.send("p4", ucast(engine.Broadcast, st(6)))
	r.none("p1", "p2", "p3")
	if _, ok := r.lookup(st(6), 1); !ok {
		t.Fatal("native VLAN frame not learned in VLAN 1")
	}
	// Priority-tagged (VID 0) on the trunk is native too.
	r.send("p4", tagged(engine.Broadcast, st(7), 0, 6))
	if _, ok := r.lookup(st(7), 1); !ok {
		t.Fatal("priority-tagged frame not in the native VLAN")
	}
	// Priority-tagged on an access port is accepted and leaves untagged.
	r.send("p3", tagged(st(5), st(8), 0, 4))
	r.gotFrame("p4", tagged(st(5), st(8), 20, 4))
}

func TestTrunkToTrunkKeepsPriority(t *testing.T) {
	r := newRig(t, engine.Config{}, "t1", "t2", "a1")
	r.vlans("1,10,30")
	r.trunk("t1", 1, "")
	r.trunk("t2", 30, "") // VLAN 30 is t2's native: leaves untagged
	r.access("a1", 10)
	f := enginetest.Frame{Dst: engine.Broadcast, Src: st(1), Tagged: true, VLAN: 10, PCP: 5}.Bytes()
	f[14] |= 0x10 // DEI
	r.send("t1", f)
	r.gotFrame("t2", f) // identical: PCP and DEI kept
	r.gotFrame("a1", ucast(engine.Broadcast, st(1)))

	r.send("t1", tagged(engine.Broadcast, st(2), 30, 7))
	r.gotFrame("t2", ucast(engine.Broadcast, st(2))) // native: untagged
	r.none("a1")

	// Native VLAN untagged in, tagged out on a trunk with another native.
	r.send("t2", ucast(engine.Broadcast, st(3)))
	r.gotFrame("t1", tagged(engine.Broadcast, st(3), 30, 0))
}

func TestDropReasons(t *testing.T) {
	r := vlanRig(t)
	r.set("p4", func(pc *engine.PortConfig) { pc.NativeVLAN = 0 })
	r.vlans("1,10,20,30")

	cases := []struct {
		name   string
		port   string
		frame  []byte
		reason engine.DropReason
	}{
		{"tagged on access", "p1", tagged(engine.Broadcast, st(1), 10, 0), engine.DropTaggedOnAccess},
		{"not allowed", "p4", tagged(engine.Broadcast, st(1), 30, 0), engine.DropVLANNotAllowed},
		{"untagged on trunk without native", "p4", ucast(engine.Broadcast, st(1)), engine.DropUntaggedOnTrunk},
		{"zero source", "p1", ucast(engine.Broadcast, engine.MAC{}), engine.DropInvalidSource},
		{"broadcast source", "p1", ucast(st(1), engine.Broadcast), engine.DropInvalidSource},
		{"multicast source", "p1", ucast(st(1), engine.MAC{0x01, 0, 0x5e, 1, 2, 3}), engine.DropInvalidSource},
		{"STP BPDU", "p1", ucast(engine.MAC{0x01, 0x80, 0xc2, 0, 0, 0}, st(1)), engine.DropReservedMulticast},
		{"LLDP", "p4", ucast(engine.MAC{0x01, 0x80, 0xc2, 0, 0, 0x0e}, st(1)), engine.DropReservedMulticast},
		{"runt", "p1", []byte{1, 2, 3}, engine.DropMalformed},
	}
	for _, c := range cases {
		before := r.drops(c.port, c.reason)
		r.send(c.port, c.frame)
		if r.drops(c.port, c.reason) != before+1 {
			t.Errorf("%s: %s not counted", c.name, c.reason)
		}
		r.none("p1", "p2", "p3", "p4")
	}
	// VLAN 10 removed from the database.
	r.vlans("1,20,30")
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.send("p4", tagged(engine.Broadcast, st(1), 10, 0))
	if r.drops("p1", engine.DropVLANUnknown) != 1 || r.drops("p4", engine.DropVLANUnknown) != 1 {
		t.Error("vlan-unknown not counted")
	}
	r.none("p1", "p2", "p3", "p4")
	// The 01:80:c2:00:00:10 address is not reserved.
	r.send("p3", ucast(engine.MAC{0x01, 0x80, 0xc2, 0, 0, 0x10}, st(2)))
	r.got("p4")

	// Known unicast back to its own port.
	r.send("p3", ucast(st(2), st(3))) // st(2) was learned on p3 just above
	if r.drops("p3", engine.DropSamePort) != 1 {
		t.Error("same-port not counted")
	}
	c, _ := r.e.Counters("p1")
	if c.TotalDrops() != 7 || c.DropsByName()["invalid-src"] != 3 {
		t.Errorf("p1 drops %v", c.DropsByName())
	}
	if err := r.e.ClearCounters("p1"); err != nil {
		t.Fatal(err)
	}
	if c, _ := r.e.Counters("p1"); c.TotalDrops() != 0 || c.RxPackets != 0 {
		t.Errorf("cleared counters %+v", c)
	}
	if err := r.e.ClearCounters(""); err != nil {
		t.Fatal(err)
	}
	if c, _ := r.e.Counters("p4"); c.TotalDrops() != 0 {
		t.Errorf("clear all left %+v", c)
	}
	if err := r.e.ClearCounters("zz"); err == nil {
		t.Error("clear unknown port")
	}
	r.in = map[string]uint64{}
}

func TestVLANDeleteRecreate(t *testing.T) {
	r := vlanRig(t)
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.got("p2")
	r.got("p4")
	r.send("p3", ucast(engine.Broadcast, st(3)))
	r.got("p4")
	if err := r.e.AddStatic(st(9), 10, "p2"); err != nil {
		t.Fatal(err)
	}
	r.vlans("1,20")
	if ents := r.e.MACTable(engine.FDBFilter{VLAN: 10}); len(ents) != 0 {
		t.Fatalf("VLAN 10 entries survived: %+v", ents)
	}
	if _, ok := r.lookup(st(3), 20); !ok {
		t.Fatal("VLAN 20 entry flushed")
	}
	// Ports keep their configuration and resume.
	if pc, _ := r.e.PortConfigOf("p1"); pc.AccessVLAN != 10 {
		t.Fatalf("p1 lost its VLAN: %+v", pc)
	}
	r.vlans("1,10,20")
	bc := ucast(engine.Broadcast, st(1))
	r.send("p1", bc)
	r.gotFrame("p2", bc)
	r.got("p4")
	if got := r.e.VLANs(); got.String() != "1,10,20" {
		t.Fatalf("VLANs %s", got)
	}
}

func TestModeChangeFlushes(t *testing.T) {
	r := vlanRig(t)
	r.send("p4", tagged(engine.Broadcast, st(4), 10, 0))
	r.got("p1")
	r.got("p2")
	if err := r.e.AddStatic(st(8), 10, "p4"); err != nil {
		t.Fatal(err)
	}
	r.access("p4", 10) // trunk -> access
	if _, ok := r.lookup(st(4), 10); ok {
		t.Fatal("dynamic MAC survived the mode change")
	}
	if _, ok := r.lookup(st(8), 10); !ok {
		t.Fatal("static MAC flushed by the mode change")
	}
	// Changing only the access VLAN does not flush.
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.got("p2")
	r.got("p4")
	r.set("p1", func(pc *engine.PortConfig) { pc.PuntCDP = false })
	if _, ok := r.lookup(st(1), 10); !ok {
		t.Fatal("flushed without a mode change")
	}
	if err := r.e.SetPort("p1", engine.PortConfig{AccessVLAN: 0}); err == nil {
		t.Fatal("access VLAN 0 accepted")
	}
	if err := r.e.SetPort("p1", engine.PortConfig{AccessVLAN: 1, NativeVLAN: 4095}); err == nil {
		t.Fatal("native VLAN 4095 accepted")
	}
	if err := r.e.SetPort("nope", engine.DefaultPortConfig()); err == nil || err.Error() != "interface nope not in switch" {
		t.Fatalf("unknown port: %v", err)
	}
}

// TestMACFloodBounded: a flood of random sources on one port stays within
// the table size and does not evict stations on other ports, which keep
// being forwarded as known unicast.
func TestMACFloodBounded(t *testing.T) {
	const size = 256
	r := newRig(t, engine.Config{MACTableSize: size}, "p1", "p2", "p3", "atk")
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.send("p2", ucast(engine.Broadcast, st(2)))
	for _, p := range []string{"p1", "p2", "p3", "atk"} {
		for len(r.h.Sent(p)) > 0 {
			<-r.h.Sent(p)
		}
	}
	rnd := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 5000; i++ {
		var src engine.MAC
		v := rnd.Uint64()
		for j := range src {
			src[j] = byte(v >> (8 * j))
		}
		src[0] &^= 1
		if err := r.h.Inject("atk", ucast(st(200), src)); err != nil {
			t.Fatal(err)
		}
		r.in["atk"]++
		if i%500 == 0 {
			for _, p := range []string{"p1", "p2", "p3"} {
				for len(r.h.Sent(p)) > 0 {
					<-r.h.Sent(p)
				}
			}
		}
	}
	r.send("atk", ucast(st(200), st(201)))
	for _, p := range []string{"p1", "p2", "p3"} {
		for len(r.h.Sent(p)) > 0 {
			<-r.h.Sent(p)
		}
	}
	c := r.e.CountMACs()
	if c.Dynamic > size || c.Evicted == 0 {
		t.Fatalf("counts %+v", c)
	}
	if p, ok := r.lookup(st(1), 1); !ok || p != "p1" {
		t.Fatal("station on p1 evicted")
	}
	f := ucast(st(1), st(2))
	r.send("p2", f)
	r.gotFrame("p1", f)
	r.none("p3", "atk")
}

func TestPuntCDP(t *testing.T) {
	r := vlanRig(t)
	got := make(chan string, 10)
	r.e.SetPuntHandler(func(port string, frame []byte) {
		got <- fmt.Sprintf("%s %x", port, frame[:14])
	})
	cdp := enginetest.CDP(st(1), false, 0)
	r.send("p1", cdp)
	select {
	case s := <-got:
		if !strings.HasPrefix(s, "p1 01000ccccccc") {
			t.Fatalf("punted %s", s)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("CDP not punted")
	}
	r.none("p2", "p3", "p4")
	// Tagged CDP on the trunk, even in a VLAN the trunk does not allow.
	r.send("p4", enginetest.CDP(st(4), true, 99))
	select {
	case s := <-got:
		if !strings.HasPrefix(s, "p4 ") {
			t.Fatalf("punted %s", s)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("tagged CDP not punted")
	}
	r.none("p1", "p2", "p3")
	// Not CDP: other SNAP PIDs to the same address are forwarded.
	vtp := enginetest.CDP(st(1), false, 0)
	vtp[21] = 0x03
	r.send("p1", vtp)
	r.got("p2")
	r.got("p4")
	// Without PuntCDP the frame is switched like any multicast.
	r.set("p1", func(pc *engine.PortConfig) { pc.PuntCDP = false })
	r.send("p1", cdp)
	r.gotFrame("p2", cdp)
	r.got("p4")
	c, _ := r.e.Counters("p4")
	if c.Punted != 1 {
		t.Fatalf("punted %d", c.Punted)
	}
}

func TestPuntOverflow(t *testing.T) {
	r := newRig(t, engine.Config{PuntQueue: 2}, "p1", "p2")
	block := make(chan struct{})
	r.e.SetPuntHandler(func(string, []byte) { <-block })
	for i := 0; i < 10; i++ {
		r.send("p1", enginetest.CDP(st(1), false, 0))
	}
	close(block)
	c, _ := r.e.Counters("p1")
	if c.Drops[engine.DropPuntOverflow] == 0 || c.Punted+c.Drops[engine.DropPuntOverflow] != 10 {
		t.Fatalf("punted %d overflow %d", c.Punted, c.Drops[engine.DropPuntOverflow])
	}
	r.none("p2")
}

func TestShutdown(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3")
	r.send("p2", ucast(engine.Broadcast, st(2)))
	r.got("p1")
	r.got("p3")
	r.set("p2", func(pc *engine.PortConfig) { pc.Shutdown = true })
	if r.h.AdminUp("p2") {
		t.Fatal("netdev still up")
	}
	if _, ok := r.lookup(st(2), 1); ok {
		t.Fatal("MACs of a shut port kept")
	}
	r.send("p2", ucast(engine.Broadcast, st(2)))
	if r.drops("p2", engine.DropAdminDown) != 1 {
		t.Fatal("admin-down not counted")
	}
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.got("p3")
	r.none("p2", "p1")
	ps, _ := r.e.Port("p2")
	if ps.AdminUp || !ps.Config.Shutdown {
		t.Fatalf("status %+v", ps)
	}
	// The host reports the link's state later, as netlink does.
	waitLink(t, r, "p2", engine.LinkDown)
	r.set("p2", func(pc *engine.PortConfig) { pc.Shutdown = false })
	waitLink(t, r, "p2", engine.LinkUp)
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.got("p2")
	r.got("p3")
}

// waitLink waits for the engine to report port's link going up or down.
func waitLink(t *testing.T, r *rig, port string, kind engine.EventKind) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case ev := <-r.e.Events():
			if ev.Port == port && ev.Kind == kind {
				return
			}
		case <-timeout:
			t.Fatalf("%s: no %v event", port, kind)
		}
	}
}

func TestCarrierAndPortGone(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3")
	r.send("p2", ucast(engine.Broadcast, st(2)))
	r.got("p1")
	r.got("p3")
	r.h.SetCarrier("p2", false)
	ev := <-r.e.Events()
	if ev.Kind != engine.LinkDown || ev.Port != "p2" {
		t.Fatalf("event %+v", ev)
	}
	if _, ok := r.lookup(st(2), 1); ok {
		t.Fatal("MACs behind a dead link kept")
	}
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.got("p3")
	r.none("p2")
	r.h.SetCarrier("p2", true)
	if ev := <-r.e.Events(); ev.Kind != engine.LinkUp {
		t.Fatalf("event %+v", ev)
	}
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.got("p2")
	r.got("p3")

	r.send("p3", ucast(engine.Broadcast, st(3)))
	r.got("p1")
	r.got("p2")
	if err := r.e.AddStatic(st(33), 1, "p3"); err != nil {
		t.Fatal(err)
	}
	r.h.DeleteLink("p3")
	if ev := <-r.e.Events(); ev.Kind != engine.PortGone || ev.Port != "p3" {
		t.Fatalf("event %+v", ev)
	}
	if len(r.e.MACTable(engine.FDBFilter{Port: "p3"})) != 0 {
		t.Fatal("entries of a gone port kept")
	}
	if _, err := r.e.Port("p3"); err == nil {
		t.Fatal("gone port still listed")
	}
	if len(r.e.Ports()) != 2 {
		t.Fatalf("ports %+v", r.e.Ports())
	}
}

func TestAddRemovePort(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2")
	if err := r.e.AddPort("eth9"); err == nil || err.Error() != "interface eth9 does not exist" {
		t.Fatalf("AddPort(eth9) = %v", err)
	}
	if err := r.e.AddPort("p1"); err == nil {
		t.Fatal("added twice")
	}
	ps, err := r.e.Port("p1")
	if err != nil || !ps.AdminUp || ps.Index == 0 || ps.Kind != engine.KindVeth || ps.Config.AccessVLAN != 1 || !ps.Config.Allowed.IsAll() {
		t.Fatalf("status %+v %v", ps, err)
	}
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.got("p2")
	if err := r.e.AddStatic(st(11), 1, "p1"); err != nil {
		t.Fatal(err)
	}
	if err := r.e.RemovePort("p1"); err != nil {
		t.Fatal(err)
	}
	if r.h.IsOpen("p1") {
		t.Fatal("port still open")
	}
	if n := r.e.CountMACs(); n.Dynamic+n.Static != 0 {
		t.Fatalf("entries left %+v", n)
	}
	if err := r.e.RemovePort("p1"); err == nil {
		t.Fatal("removed twice")
	}
	// The same netdev can come back (e.g. "no interface" then "interface").
	if err := r.e.AddPort("p1"); err != nil {
		t.Fatal(err)
	}
	if err := r.e.RemovePort("p1"); err != nil {
		t.Fatal(err)
	}
	// Its index is reused by the next port without stale state.
	r.h.AddLink("p9", st(99))
	if err := r.e.AddPort("p9"); err != nil {
		t.Fatal(err)
	}
	r.send("p2", ucast(engine.Broadcast, st(2)))
	r.got("p9")
}

func TestSVI(t *testing.T) {
	r := vlanRig(t)
	mac, err := r.e.AddSVI(10)
	if err != nil {
		t.Fatal(err)
	}
	if mac.Colon() != "02:00:4c:69:53:4b" {
		t.Fatalf("SVI MAC %s", mac)
	}
	if ents := r.e.MACTable(engine.FDBFilter{MAC: &mac}); len(ents) != 1 || !ents[0].Static || ents[0].Port != "vlan10" || ents[0].VLAN != 10 {
		t.Fatalf("SVI entry %+v", ents)
	}
	// Unicast to the SVI reaches only vlan10, untagged, also from the trunk.
	f := tagged(mac, st(4), 10, 0)
	r.send("p4", f)
	r.gotFrame("vlan10", ucast(mac, st(4)))
	r.none("p1", "p2", "p3")
	// Broadcast in VLAN 10 reaches the SVI; VLAN 20 does not.
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.got("vlan10")
	r.got("p2")
	r.got("p4")
	r.send("p3", ucast(engine.Broadcast, st(3)))
	r.got("p4")
	r.none("vlan10")
	// Frames from the host stack enter VLAN 10 untagged.
	r.send("vlan10", ucast(st(4), mac))
	r.gotFrame("p4", tagged(st(4), mac, 10, 0))
	if err := r.e.SetSVIAddrs(10, []netip.Prefix{netip.MustParsePrefix("10.99.10.1/24")}); err != nil {
		t.Fatal(err)
	}
	if a := r.h.Addrs("vlan10"); len(a) != 1 || a[0].String() != "10.99.10.1/24" {
		t.Fatalf("addrs %v", a)
	}
	if err := r.e.SetSVIShutdown(10, true); err != nil || r.h.AdminUp("vlan10") {
		t.Fatalf("shutdown: %v", err)
	}
	r.send("p1", ucast(engine.Broadcast, st(1)))
	r.got("p2")
	r.got("p4")
	r.none("vlan10")
	if err := r.e.SetSVIShutdown(10, false); err != nil {
		t.Fatal(err)
	}
	// VLAN delete flushes the SVI entry; re-creation restores it.
	r.vlans("1,20")
	r.vlans("1,10,20")
	if ents := r.e.MACTable(engine.FDBFilter{MAC: &mac}); len(ents) != 1 {
		t.Fatal("SVI entry not restored")
	}
	if got := r.e.SVIs(); len(got) != 1 || got[0] != 10 {
		t.Fatalf("SVIs %v", got)
	}
	if err := r.e.RemoveSVI(10); err != nil {
		t.Fatal(err)
	}
	if err := r.e.RemoveSVI(10); err == nil {
		t.Fatal("removed twice")
	}
	if ents := r.e.MACTable(engine.FDBFilter{MAC: &mac}); len(ents) != 0 {
		t.Fatal("SVI entry left")
	}
	if _, err := r.e.AddSVI(4095); err == nil {
		t.Fatal("SVI 4095 accepted")
	}
}

// TestOffloadMetadata: GSO/partial-checksum state follows the frame, with
// csum_start and hdr_len moved by the tag inserted or stripped.
func TestOffloadMetadata(t *testing.T) {
	r := vlanRig(t)
	payload := make([]byte, 20000)
	gso := enginetest.Frame{Dst: st(4), Src: st(1), Payload: payload}.Bytes()
	vn := engine.VNetHdr{Flags: engine.VNetFlagNeedsCsum, GSOType: engine.VNetGSOTCPv4, HdrLen: 66, GSOSize: 1448, CsumStart: 34, CsumOffset: 16}
	r.sendVNet("p1", gso, vn)
	r.got("p2")
	s := r.got("p4")
	want := vn
	want.CsumStart, want.HdrLen = 38, 70
	if s.VNet != want {
		t.Fatalf("access->trunk vnet %+v, want %+v", s.VNet, want)
	}
	if vid, _, ok := enginetest.TagOf(s.Frame); !ok || vid != 10 || len(s.Frame) != len(gso)+4 {
		t.Fatal("GSO frame not tagged")
	}
	// Back: trunk -> access strips and shifts down.
	r.sendVNet("p4", s.Frame, want)
	s = r.got("p1")
	if s.VNet != vn || len(s.Frame) != len(gso) {
		t.Fatalf("trunk->access vnet %+v", s.VNet)
	}
	// No checksum offload: csum_start is left alone.
	plain := engine.VNetHdr{Flags: engine.VNetFlagDataValid}
	r.sendVNet("p3", ucast(st(9), st(3)), plain)
	if s := r.got("p4"); s.VNet != plain {
		t.Fatalf("plain vnet %+v", s.VNet)
	}
}

func TestSendAndTxErrors(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2")
	cdp := enginetest.CDP(st(1), false, 0)
	if err := r.e.Send("p1", cdp); err != nil {
		t.Fatal(err)
	}
	r.gotFrame("p1", cdp)
	if err := r.e.Send("p1", []byte{1}); err == nil {
		t.Fatal("short frame sent")
	}
	if err := r.e.Send("zz", cdp); err == nil {
		t.Fatal("unknown port")
	}
	c, _ := r.e.Counters("p1")
	if c.TxPackets != 1 || c.TxMulticast != 1 {
		t.Fatalf("counters %+v", c)
	}
	r.h.SetTxFail("p2", true)
	r.send("p1", ucast(engine.Broadcast, st(1)))
	c2, _ := r.e.Counters("p2")
	if c2.Drops[engine.DropTxError] != 1 || c2.TxPackets != 0 {
		t.Fatalf("tx error not counted: %+v", c2)
	}
	if err := r.e.Send("p2", cdp); err == nil {
		t.Fatal("failed send reported success")
	}
	r.h.SetTxFail("p2", false)
	r.h.SetTxQueueFull("p2", true)
	r.send("p1", ucast(engine.Broadcast, st(1)))
	if c2, _ := r.e.Counters("p2"); c2.Drops[engine.DropTxQueueFull] != 1 {
		t.Fatalf("tx-queue-full not counted: %v", c2.DropsByName())
	}
}

func TestEgressUnavailable(t *testing.T) {
	r := vlanRig(t)
	if err := r.e.AddStatic(st(3), 10, "p3"); err != nil { // p3 is in VLAN 20
		t.Fatal(err)
	}
	r.send("p1", ucast(st(3), st(1)))
	if r.drops("p1", engine.DropEgressUnavailable) != 1 {
		t.Fatal("egress-unavailable not counted")
	}
	r.none("p2", "p3", "p4")
}

func TestCloseIdempotent(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1")
	if _, err := r.e.AddSVI(5); err != nil {
		t.Fatal(err)
	}
	if err := r.e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.e.AddPort("p1"); err == nil {
		t.Fatal("AddPort after Close")
	}
	if r.h.IsOpen("p1") {
		t.Fatal("port open after Close")
	}
}
