package engine_test

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/engine/enginetest"
)

var (
	grpA   = netip.MustParseAddr("239.1.1.1")
	grpB   = netip.MustParseAddr("239.2.2.2")
	mdns   = netip.MustParseAddr("224.0.0.251")
	router = netip.MustParseAddr("10.0.0.254")
)

func hostIP(i byte) netip.Addr { return netip.AddrFrom4([4]byte{10, 0, 0, i}) }

func report(i byte, g netip.Addr) []byte { return enginetest.IGMPv2Report(st(i), hostIP(i), g, 0) }
func leave(i byte, g netip.Addr) []byte  { return enginetest.IGMPv2Leave(st(i), hostIP(i), g, 0) }
func data(i byte, g netip.Addr) []byte   { return enginetest.McastData(st(i), hostIP(i), g, 0) }

// groups renders the group table as "vlan group port,port" lines.
func groups(e *engine.Engine, vlan uint16) []string {
	var out []string
	for _, g := range e.IGMPGroups(vlan) {
		s := g.Group.String()
		for _, p := range g.Ports {
			s += " " + p
		}
		out = append(out, s)
	}
	return out
}

func wantGroups(t *testing.T, e *engine.Engine, want ...string) {
	t.Helper()
	if got := groups(e, 0); !slices.Equal(got, want) {
		t.Fatalf("groups %q, want %q", got, want)
	}
}

// Reports go to the router ports only; group traffic to members and router
// ports; a leave takes the port out at once.
func TestIGMPJoinLeave(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3", "p4")
	if err := r.e.AddMrouter(1, "p4"); err != nil {
		t.Fatal(err)
	}
	rep := report(1, grpA)
	r.send("p1", rep)
	r.gotFrame("p4", rep)
	r.none("p2", "p3")
	wantGroups(t, r.e, "239.1.1.1 p1")

	d := data(3, grpA)
	r.send("p3", d)
	r.gotFrame("p1", d)
	r.gotFrame("p4", d)
	r.none("p2", "p3")

	// Another member; the group's own traffic from a member skips it.
	r.send("p2", report(2, grpA))
	r.got("p4")
	r.none("p1", "p3")
	wantGroups(t, r.e, "239.1.1.1 p1 p2")
	d = data(1, grpA)
	r.send("p1", d)
	r.gotFrame("p2", d)
	r.gotFrame("p4", d)
	r.none("p1", "p3")

	// IGMPv2 leave: to the routers, and p1 is out at once.
	lv := leave(1, grpA)
	r.send("p1", lv)
	r.gotFrame("p4", lv)
	r.none("p2", "p3")
	wantGroups(t, r.e, "239.1.1.1 p2")
	d = data(3, grpA)
	r.send("p3", d)
	r.gotFrame("p2", d)
	r.gotFrame("p4", d)
	r.none("p1")

	// IGMPv1 report joins too.
	r.send("p3", enginetest.IGMPv1Report(st(3), hostIP(3), grpB, 0))
	r.got("p4")
	if g := r.e.IGMPGroups(1); len(g) != 2 || g[1].Version != 1 || g[0].Version != 2 {
		t.Fatalf("groups %+v", g)
	}

	// Group state is not in the MAC table.
	for _, ent := range r.e.MACTable(engine.FDBFilter{}) {
		if ent.MAC.IsMulticast() {
			t.Fatalf("MAC table holds %v", ent)
		}
	}
}

// Without a router port, a report reaches nobody; an unknown group floods
// and a known one goes to its members only.
func TestIGMPNoRouter(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3")
	d := data(3, grpA)
	r.send("p3", d) // unknown group, no router port: flooded
	r.gotFrame("p1", d)
	r.gotFrame("p2", d)

	r.send("p1", report(1, grpA))
	r.none("p2", "p3")
	r.send("p3", d)
	r.gotFrame("p1", d)
	r.none("p2")
	// Another group is still unknown: flooded.
	d2 := data(3, grpB)
	r.send("p3", d2)
	r.gotFrame("p1", d2)
	r.gotFrame("p2", d2)
	// The only member sending to its own group: nobody else wants it.
	r.send("p1", data(1, grpA))
	r.none("p2", "p3")
}

func TestIGMPv3(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3", "p4")
	r.e.AddMrouter(1, "p4")
	src := netip.MustParseAddr("192.0.2.1")
	rep := enginetest.IGMPv3ReportFrame(st(1), hostIP(1), 0,
		enginetest.V3Record{Type: 4, Group: grpA},                                                         // TO_EX {}: join
		enginetest.V3Record{Type: 1, Group: grpB, Sources: []netip.Addr{src}},                             // IS_IN {S}: join (by group)
		enginetest.V3Record{Type: 1, Group: netip.MustParseAddr("239.3.3.3")},                             // IS_IN {}: nothing
		enginetest.V3Record{Type: 6, Group: netip.MustParseAddr("239.4.4.4"), Sources: []netip.Addr{src}}, // BLOCK: nothing
	)
	r.send("p1", rep)
	r.gotFrame("p4", rep) // 224.0.0.22 is link-local, but a report goes to routers only
	r.none("p2", "p3")
	wantGroups(t, r.e, "239.1.1.1 p1", "239.2.2.2 p1")
	if g := r.e.IGMPGroups(0); g[0].Version != 3 {
		t.Fatalf("version %d", g[0].Version)
	}
	r.send("p2", enginetest.IGMPv3ReportFrame(st(2), hostIP(2), 0, enginetest.V3Record{Type: 2, Group: grpA})) // IS_EX: join
	r.got("p4")
	wantGroups(t, r.e, "239.1.1.1 p1 p2", "239.2.2.2 p1")
	// TO_IN {} is a leave.
	r.send("p1", enginetest.IGMPv3ReportFrame(st(1), hostIP(1), 0, enginetest.V3Record{Type: 3, Group: grpA}, enginetest.V3Record{Type: 3, Group: grpB}))
	r.got("p4")
	wantGroups(t, r.e, "239.1.1.1 p2")
	d := data(3, grpA)
	r.send("p3", d)
	r.gotFrame("p2", d)
	r.gotFrame("p4", d)
	r.none("p1")
}

func TestIGMPAging(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3")
	r.send("p1", report(1, grpA))
	r.e.AgeIGMP(r.clk.Advance(200 * time.Second))
	r.send("p1", report(1, grpA)) // refreshed at 200 s
	if n := r.e.AgeIGMP(r.clk.Advance(259 * time.Second)); n != 0 {
		t.Fatalf("aged %d", n)
	}
	wantGroups(t, r.e, "239.1.1.1 p1")
	if n := r.e.AgeIGMP(r.clk.Advance(time.Second)); n != 1 {
		t.Fatalf("aged %d, want 1", n)
	}
	wantGroups(t, r.e)
	d := data(3, grpA)
	r.send("p3", d) // unknown again: flooded
	r.gotFrame("p1", d)
	r.gotFrame("p2", d)
}

// Router ports learned from queries and PIM hellos; queries are flooded;
// unknown groups go to router ports only; router ports age out.
func TestIGMPDynamicMrouter(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3", "p4")
	q := enginetest.IGMPQuery(st(4), router, 0)
	r.send("p4", q)
	for _, p := range []string{"p1", "p2", "p3"} { // the original dropped these
		r.gotFrame(p, q)
	}
	mr := r.e.Mrouters(0)
	if len(mr) != 1 || mr[0].Port != "p4" || !mr[0].Dynamic || mr[0].Static || mr[0].VLAN != 1 {
		t.Fatalf("mrouters %+v", mr)
	}
	d := data(1, grpA) // unknown group: to the router only
	r.send("p1", d)
	r.gotFrame("p4", d)
	r.none("p2", "p3")

	// A query from 0.0.0.0 (another snooping switch) does not make a router port.
	r.send("p2", enginetest.IGMPQuery(st(2), netip.IPv4Unspecified(), 0))
	r.got("p1")
	r.got("p3")
	r.got("p4")
	if len(r.e.Mrouters(1)) != 1 {
		t.Fatalf("mrouters %+v", r.e.Mrouters(1))
	}

	h := enginetest.PIMHello(st(3), netip.MustParseAddr("10.0.0.253"), 0)
	r.send("p3", h)
	r.got("p1")
	r.got("p2")
	r.got("p4")
	if mr := r.e.Mrouters(1); len(mr) != 2 || mr[0].Port != "p3" || mr[1].Port != "p4" {
		t.Fatalf("mrouters %+v", mr)
	}
	r.send("p1", d)
	r.gotFrame("p3", d)
	r.gotFrame("p4", d)
	r.none("p2")

	// A static router port on p4 too: after aging only p4 (static) stays.
	r.e.AddMrouter(1, "p4")
	r.e.AgeIGMP(r.clk.Advance(engine.MrouterTimeout))
	mr = r.e.Mrouters(1)
	if len(mr) != 1 || mr[0].Port != "p4" || !mr[0].Static || mr[0].Dynamic {
		t.Fatalf("mrouters after aging %+v", mr)
	}
	if err := r.e.RemoveMrouter(1, "p4"); err != nil {
		t.Fatal(err)
	}
	if err := r.e.RemoveMrouter(1, "p4"); err == nil {
		t.Fatal("removed twice")
	}
	r.send("p1", d) // no router port left: flooded
	r.got("p2")
	r.got("p3")
	r.got("p4")
}

// 224.0.0.0/24 is flooded whatever the state.
func TestIGMPLinkLocalFloods(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3")
	r.e.AddMrouter(1, "p3")
	r.send("p2", enginetest.IGMPv2Report(st(2), hostIP(2), mdns, 0)) // not learned
	r.got("p3")
	wantGroups(t, r.e)
	d := data(1, mdns)
	r.send("p1", d)
	r.gotFrame("p2", d)
	r.gotFrame("p3", d)
	// IPv6 multicast and other multicast are flooded as before.
	v6 := enginetest.Frame{Dst: engine.MAC{0x33, 0x33, 0, 0, 0, 1}, Src: st(1), EtherType: 0x86dd}.Bytes()
	r.send("p1", v6)
	r.gotFrame("p2", v6)
	r.gotFrame("p3", v6)
}

func TestIGMPSnoopingOff(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3")
	r.e.AddMrouter(1, "p3")
	r.send("p1", report(1, grpA))
	r.got("p3")
	wantGroups(t, r.e, "239.1.1.1 p1")

	r.e.SetIGMPSnooping(engine.VLANSet{})
	wantGroups(t, r.e) // forgotten
	rep := report(2, grpA)
	r.send("p2", rep) // flooded like broadcast, not learned
	r.gotFrame("p1", rep)
	r.gotFrame("p3", rep)
	wantGroups(t, r.e)
	d := data(3, grpA)
	r.send("p3", d)
	r.gotFrame("p1", d)
	r.gotFrame("p2", d)

	r.e.SetIGMPSnooping(engine.AllVLANs())
	if mr := r.e.Mrouters(1); len(mr) != 1 || !mr[0].Static { // static router ports stay configured
		t.Fatalf("mrouters %+v", mr)
	}
	r.send("p1", report(1, grpA))
	r.got("p3")
	r.none("p2")
}

// Trunks: a member behind a trunk gets the group tagged; per-VLAN state.
func TestIGMPTrunkAndVLANs(t *testing.T) {
	r := newRig(t, engine.Config{}, "a10", "b10", "a20", "tr")
	r.vlans("1,10,20")
	r.access("a10", 10)
	r.access("b10", 10)
	r.access("a20", 20)
	r.trunk("tr", 0, "10,20")
	r.send("tr", enginetest.IGMPv2Report(st(9), hostIP(9), grpA, 10))
	r.none("a10", "b10", "a20")
	d := data(1, grpA)
	r.send("a10", d)
	r.gotFrame("tr", enginetest.McastData(st(1), hostIP(1), grpA, 10))
	r.none("b10", "a20")
	// VLAN 20 knows nothing of the group: flooded there.
	d20 := data(3, grpA)
	r.send("a20", d20)
	if _, _, tagged := enginetest.TagOf(r.got("tr").Frame); !tagged {
		t.Fatal("untagged on the trunk")
	}
	// Snooping off in VLAN 10 only.
	r.e.SetIGMPSnooping(engine.NewVLANSet(1, 20))
	r.send("a10", d)
	r.got("b10")
	r.got("tr")
	// A port leaving the VLAN leaves its groups.
	r.e.SetIGMPSnooping(engine.AllVLANs())
	r.send("a20", report(3, grpB))
	wantGroups(t, r.e, "239.2.2.2 a20")
	r.access("a20", 10)
	wantGroups(t, r.e)
	// A removed port leaves everything, static router ports included.
	r.e.AddMrouter(10, "tr")
	r.send("a10", report(1, grpB))
	r.got("tr")
	if err := r.e.RemovePort("tr"); err != nil {
		t.Fatal(err)
	}
	if mr := r.e.Mrouters(0); len(mr) != 0 {
		t.Fatalf("mrouters %+v", mr)
	}
	// Deleting a VLAN forgets its groups.
	r.vlans("1,20")
	wantGroups(t, r.e)
}

// An IGMP report in the middle of a batch is learned, and the frames
// around it are switched as usual.
func TestIGMPInBatch(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3")
	r.e.AddMrouter(1, "p3")
	frames := [][]byte{ucast(engine.Broadcast, st(1)), report(1, grpA), data(1, grpB), report(1, grpB), ucast(engine.Broadcast, st(1))}
	for _, f := range frames {
		if err := r.h.Inject("p1", f); err != nil {
			t.Fatal(err)
		}
	}
	r.in["p1"] += uint64(len(frames))
	r.send("p1", ucast(st(2), st(1)))
	wantGroups(t, r.e, "239.1.1.1 p1", "239.2.2.2 p1")
	// p2: two broadcasts, the unknown group's data goes to the router
	// only, the unknown unicast is flooded.
	for range 3 {
		r.got("p2")
	}
	r.none("p2")
	for range 6 { // all six reach the router port
		r.got("p3")
	}
	r.none("p3")
	c, _ := r.e.Counters("p1")
	if c.RxMulticast != 3 {
		t.Fatalf("rx multicast %d", c.RxMulticast)
	}
}

// Clearing forgets learned groups; hosts report again.
func TestIGMPClear(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2")
	r.send("p1", report(1, grpA))
	r.send("p2", report(2, grpB))
	if n := r.e.ClearIGMPGroups(2); n != 0 {
		t.Fatalf("cleared %d in VLAN 2", n)
	}
	if n := r.e.ClearIGMPGroups(0); n != 2 {
		t.Fatalf("cleared %d", n)
	}
	wantGroups(t, r.e)
}

// The kernel fast path switches known unicast only: after joins and a
// router port, it holds the hosts' stations and nothing for the groups,
// so group traffic stays with lisad.
func TestIGMPNotInFastPath(t *testing.T) {
	r := newFastRig(t, "p1", "p2", "p3")
	r.e.AddMrouter(1, "p3")
	r.send("p1", report(1, grpA))
	r.send("p2", report(2, grpA))
	r.got("p3")
	r.got("p3")
	r.e.SyncFastPath()
	if n := r.fp.Entries(); n != 2 { // st(1), st(2)
		t.Fatalf("fast path holds %d entries", n)
	}
	if _, ok := r.fp.Entry(enginetest.GroupMAC(grpA), 1); ok {
		t.Fatal("a group is in the fast path")
	}
	d := data(3, grpA)
	r.send("p3", d) // switched by lisad, to the members
	r.gotFrame("p1", d)
	r.gotFrame("p2", d)
}

// A port made routed ("no switchport") leaves its groups and gets no
// group traffic.
func TestIGMPRoutedPortLeaves(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2", "p3")
	r.send("p1", report(1, grpA))
	r.send("p2", report(2, grpA))
	wantGroups(t, r.e, "239.1.1.1 p1 p2")
	r.set("p1", func(pc *engine.PortConfig) { pc.Routed = true })
	wantGroups(t, r.e, "239.1.1.1 p2")
	d := data(3, grpA)
	r.send("p3", d)
	r.gotFrame("p2", d)
	r.none("p1")
}
