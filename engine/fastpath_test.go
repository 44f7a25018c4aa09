package engine_test

import (
	"testing"
	"time"

	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/engine/enginetest"
)

// fastRig is a rig whose host offers a (fake) fast path: the tests check
// what the engine installs in it as its own state changes. The kernel one
// runs the integration tests (integration_linux_test.go, "fastpath").
type fastRig struct {
	*rig
	fp *enginetest.FastPath
}

func newFastRig(t *testing.T, ports ...string) *fastRig {
	t.Helper()
	h := enginetest.NewHost()
	fp := h.EnableFastPath()
	r := &rig{t: t, h: h, clk: &fakeClock{t: time.Unix(1_700_000_000, 0)}, in: map[string]uint64{}}
	for i, p := range ports {
		h.AddLink(p, engine.MAC{0x0a, 0, 0, 0, 0, byte(i + 1)})
	}
	h.NoFastPath("slow0")
	e, err := engine.New(engine.Config{Host: h, Clock: r.clk, AgeInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	if !e.FastPath() {
		t.Fatal("engine did not take the host's fast path")
	}
	r.e = e
	t.Cleanup(func() { e.Close() })
	for _, p := range ports {
		if err := e.AddPort(p); err != nil {
			t.Fatal(err)
		}
	}
	return &fastRig{rig: r, fp: fp}
}

func (r *fastRig) ifindex(port string) int {
	r.t.Helper()
	ps, err := r.e.Port(port)
	if err != nil {
		r.t.Fatal(err)
	}
	return ps.Index
}

// entry syncs and returns what the fast path holds for (mac, vlan).
func (r *fastRig) entry(m engine.MAC, vlan uint16) (engine.FastEntry, bool) {
	r.e.SyncFastPath()
	return r.fp.Entry(m, vlan)
}

func (r *fastRig) wantEntry(m engine.MAC, vlan uint16, port string, tagged bool) {
	r.t.Helper()
	fe, ok := r.entry(m, vlan)
	if !ok || fe.Ifindex != r.ifindex(port) || fe.Tagged != tagged {
		r.t.Fatalf("fast path entry %s vlan %d = %+v (present %v), want on %s tagged=%v", m, vlan, fe, ok, port, tagged)
	}
}

func (r *fastRig) noEntry(m engine.MAC, vlan uint16) {
	r.t.Helper()
	if fe, ok := r.entry(m, vlan); ok {
		r.t.Fatalf("fast path still has %s vlan %d: %+v", m, vlan, fe)
	}
}

func TestFastPathFollowsTheEngine(t *testing.T) {
	r := newFastRig(t, "p1", "p2", "t1", "slow0")
	r.vlans("1,10,20")
	r.access("p1", 10)
	r.access("p2", 10)
	r.access("slow0", 10)
	r.trunk("t1", 1, "1,10,20")
	a, b, c, d := st(1), st(2), st(3), st(4)
	r.send("p1", ucast(b, a))             // a: p1, VLAN 10
	r.send("t1", tagged(a, b, 10, 5))     // b: t1, VLAN 10, tagged
	r.send("t1", ucast(a, c))             // c: t1, native VLAN 1
	r.send("slow0", ucast(a, d))          // d: on a port without fast path
	r.send("p2", tagged(a, st(9), 10, 0)) // tagged on access: dropped, not learned

	t.Run("stations and ports", func(t *testing.T) {
		r.wantEntry(a, 10, "p1", false)
		r.wantEntry(b, 10, "t1", true)
		r.wantEntry(c, 1, "t1", false) // the native VLAN leaves untagged
		r.noEntry(d, 10)
		r.noEntry(st(9), 10)
		if p, ok := r.fp.Port(r.ifindex("p1")); !ok || p.Trunk || p.PVID != 10 {
			t.Errorf("p1 in the fast path: %+v %v", p, ok)
		}
		if p, ok := r.fp.Port(r.ifindex("t1")); !ok || !p.Trunk || p.PVID != 1 {
			t.Errorf("t1 in the fast path: %+v %v", p, ok)
		}
		if _, ok := r.fp.Port(r.ifindex("slow0")); ok {
			t.Error("a port the fast path could not attach to is in it")
		}
	})
	t.Run("trunk changes", func(t *testing.T) {
		r.trunk("t1", 20, "1,10,20") // native 20: VLAN 1 now leaves tagged
		r.wantEntry(c, 1, "t1", true)
		if p, _ := r.fp.Port(r.ifindex("t1")); p.PVID != 20 {
			t.Errorf("native VLAN not followed: %+v", p)
		}
		r.trunk("t1", 1, "1,20") // VLAN 10 no longer allowed: b is lisad's again
		r.noEntry(b, 10)
		if port, ok := r.lookup(b, 10); !ok || port != "t1" {
			t.Fatalf("the MAC table lost b: %q %v", port, ok) // only the fast path lets go
		}
		r.trunk("t1", 1, "1,10,20")
		r.wantEntry(b, 10, "t1", true)
	})
	t.Run("station move", func(t *testing.T) {
		r.send("p2", ucast(b, a))
		r.wantEntry(a, 10, "p2", false)
	})
	t.Run("shutdown and carrier", func(t *testing.T) {
		r.set("p2", func(pc *engine.PortConfig) { pc.Shutdown = true })
		r.noEntry(a, 10)
		if _, ok := r.fp.Port(r.ifindex("p2")); ok {
			t.Error("a shut port stays in the fast path")
		}
		waitLink(t, r.rig, "p2", engine.LinkDown)
		r.set("p2", func(pc *engine.PortConfig) { pc.Shutdown = false })
		waitLink(t, r.rig, "p2", engine.LinkUp)
		r.send("p2", ucast(b, a))
		r.wantEntry(a, 10, "p2", false)
		r.h.SetCarrier("p2", false)
		r.noEntry(a, 10)
		r.h.SetCarrier("p2", true)
		r.send("p2", ucast(b, a))
		r.wantEntry(a, 10, "p2", false)
	})
	t.Run("VLAN leaves the database", func(t *testing.T) {
		r.vlans("1,20")
		r.noEntry(a, 10)
		r.noEntry(b, 10)
		r.vlans("1,10,20")
		r.send("p2", ucast(b, a))
		r.wantEntry(a, 10, "p2", false)
	})
	t.Run("statics and SVIs", func(t *testing.T) {
		if err := r.e.AddStatic(st(7), 10, "p1"); err != nil {
			t.Fatal(err)
		}
		r.wantEntry(st(7), 10, "p1", false)
		if err := r.e.RemoveStatic(st(7), 10); err != nil {
			t.Fatal(err)
		}
		r.noEntry(st(7), 10)
		if _, err := r.e.AddSVI(10); err != nil {
			t.Fatal(err)
		}
		r.noEntry(engine.SVIMACFor(10), 10) // frames to the SVI stay with lisad
		if err := r.e.RemoveSVI(10); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("counters", func(t *testing.T) {
		fe, _ := r.entry(a, 10)
		before, _ := r.e.Counters("p2")
		r.fp.Count(fe.Slot, engine.FastCounters{RxPackets: 3, RxBytes: 300, TxPackets: 2, TxBytes: 200})
		c, _ := r.e.Counters("p2")
		if c.RxPackets != before.RxPackets+3 || c.RxUnicast != before.RxUnicast+3 || c.TxBytes != before.TxBytes+200 ||
			c.FastRxPackets != before.FastRxPackets+3 || c.FastTxPackets != before.FastTxPackets+2 {
			t.Errorf("counters %+v after fast path counts on %+v", c, before)
		}
		r.e.ClearCounters("p2")
		if c, _ := r.e.Counters("p2"); c.RxPackets != 0 || c.FastRxPackets != 0 || c.TxBytes != 0 {
			t.Errorf("cleared counters %+v", c)
		}
	})
	t.Run("aging keeps what the fast path sees", func(t *testing.T) {
		r.e.SetAgingTime(300 * time.Second)
		now := r.clk.Advance(301 * time.Second)
		r.fp.See(a, 10, 2*time.Second)
		r.fp.See(c, 1, 400*time.Second) // seen, but too long ago
		r.e.Age(now)
		if _, ok := r.lookup(a, 10); !ok {
			t.Error("a station the fast path switched a moment ago aged out")
		}
		if _, ok := r.lookup(c, 1); ok {
			t.Error("a station idle everywhere was kept")
		}
		r.noEntry(c, 1)
		r.wantEntry(a, 10, "p2", false)
		// Kept as if seen 2 s before now: gone 298 s later unless seen again.
		r.fp.See(a, 10, 400*time.Second)
		r.e.Age(r.clk.Advance(299 * time.Second))
		if _, ok := r.lookup(a, 10); ok {
			t.Error("kept station never aged")
		}
		r.noEntry(a, 10)
	})
	t.Run("port removal is immediate", func(t *testing.T) {
		r.send("p1", ucast(b, a))
		r.wantEntry(a, 10, "p1", false)
		idx := r.ifindex("p1")
		if err := r.e.RemovePort("p1"); err != nil {
			t.Fatal(err)
		}
		// No sync: RemovePort itself took the port and its stations out.
		if _, ok := r.fp.Entry(a, 10); ok {
			t.Error("entry of a removed port left in the fast path")
		}
		if _, ok := r.fp.Port(idx); ok {
			t.Error("removed port left in the fast path")
		}
	})
}

// Many stations learned at once (a flood) end up installed, and flushed
// with their port, whatever the dirty set's bound.
func TestFastPathManyStations(t *testing.T) {
	r := newFastRig(t, "p1", "p2")
	const n = 6000
	for i := range n {
		m := engine.MAC{0x02, 0x10, 0, 0, byte(i >> 8), byte(i)}
		r.send("p1", ucast(st(200), m))
	}
	r.e.SyncFastPath()
	if got := r.fp.Entries(); got != n {
		t.Fatalf("%d entries installed, want %d", got, n)
	}
	r.h.SetCarrier("p1", false)
	r.e.SyncFastPath()
	if got := r.fp.Entries(); got != 0 {
		t.Fatalf("%d entries left after the port lost carrier", got)
	}
}

// A change the fast path refuses is not recorded as made: it is retried
// until it takes.
func TestFastPathRetriesFailedChanges(t *testing.T) {
	r := newFastRig(t, "p1", "p2")
	a := st(1)
	r.fp.Fail(true)
	r.send("p1", ucast(st(2), a))
	if _, ok := r.entry(a, 1); ok {
		t.Fatal("installed although the fast path refused")
	}
	r.fp.Fail(false)
	if !waitUntil(30*time.Second, func() bool { _, ok := r.fp.Entry(a, 1); return ok }) {
		t.Fatal("never retried")
	}
	r.fp.Fail(true)
	r.set("p1", func(pc *engine.PortConfig) { pc.Shutdown = true })
	r.e.SyncFastPath()
	if _, ok := r.fp.Entry(a, 1); !ok {
		t.Fatal("the fake deleted although failing")
	}
	r.fp.Fail(false)
	if !waitUntil(30*time.Second, func() bool { _, ok := r.fp.Entry(a, 1); return !ok }) {
		t.Fatal("a refused removal was never retried: the kernel would keep a stale redirect")
	}
}

func waitUntil(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}
