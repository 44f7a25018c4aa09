package engine_test

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/engine/enginetest"
)

// fakeClock is a settable engine.Clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// rig is an engine on fake ports p1..pN with a fake clock.
type rig struct {
	t   *testing.T
	h   *enginetest.Host
	e   *engine.Engine
	clk *fakeClock
	in  map[string]uint64 // frames injected per port
}

func newRig(t *testing.T, cfg engine.Config, ports ...string) *rig {
	t.Helper()
	r := &rig{t: t, h: enginetest.NewHost(), clk: &fakeClock{t: time.Unix(1_700_000_000, 0)}, in: map[string]uint64{}}
	cfg.Host = r.h
	cfg.Clock = r.clk
	cfg.AgeInterval = -1
	e, err := engine.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.e = e
	t.Cleanup(func() { e.Close() })
	for i, p := range ports {
		r.h.AddLink(p, engine.MAC{0x0a, 0, 0, 0, 0, byte(i + 1)})
		if err := e.AddPort(p); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func (r *rig) set(port string, mut func(pc *engine.PortConfig)) {
	r.t.Helper()
	pc, err := r.e.PortConfigOf(port)
	if err != nil {
		r.t.Fatal(err)
	}
	mut(&pc)
	if err := r.e.SetPort(port, pc); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) access(port string, vlan uint16) {
	r.set(port, func(pc *engine.PortConfig) { pc.Mode, pc.AccessVLAN = engine.Access, vlan })
}

func (r *rig) trunk(port string, native uint16, allowed string) {
	r.t.Helper()
	s := engine.AllVLANs()
	if allowed != "" {
		var err error
		if s, err = engine.ParseVLANList(allowed); err != nil {
			r.t.Fatal(err)
		}
	}
	r.set(port, func(pc *engine.PortConfig) { pc.Mode, pc.NativeVLAN, pc.Allowed = engine.Trunk, native, s })
}

func (r *rig) vlans(list string) {
	r.t.Helper()
	s, err := engine.ParseVLANList(list)
	if err != nil {
		r.t.Fatal(err)
	}
	r.e.SetVLANs(s)
}

// send injects a frame and waits until the engine has finished with it.
func (r *rig) send(port string, frame []byte) {
	r.sendVNet(port, frame, engine.VNetHdr{})
}

func (r *rig) sendVNet(port string, frame []byte, vnet engine.VNetHdr) {
	r.t.Helper()
	if err := r.h.InjectVNet(port, frame, vnet); err != nil {
		r.t.Fatal(err)
	}
	r.in[port]++
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := r.e.Counters(port)
		if err != nil {
			r.t.Fatal(err)
		}
		if c.RxPackets+c.Drops[engine.DropMalformed] >= r.in[port] {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%s: frame not processed", port)
		}
		time.Sleep(50 * time.Microsecond)
	}
}

// got returns the next frame sent on port, failing if there is none.
func (r *rig) got(port string) enginetest.Sent {
	r.t.Helper()
	select {
	case s := <-r.h.Sent(port):
		return s
	case <-time.After(30 * time.Second):
		r.t.Fatalf("nothing sent on %s", port)
	}
	return enginetest.Sent{}
}

// gotFrame checks the next frame on port equals want.
func (r *rig) gotFrame(port string, want []byte) {
	r.t.Helper()
	if s := r.got(port); !bytes.Equal(s.Frame, want) {
		r.t.Fatalf("%s sent\n%x\nwant\n%x", port, s.Frame, want)
	}
}

// none checks that nothing (more) was sent on the ports. Valid after send,
// which returns only once the frame was fully forwarded.
func (r *rig) none(ports ...string) {
	r.t.Helper()
	for _, p := range ports {
		select {
		case s := <-r.h.Sent(p):
			r.t.Fatalf("unexpected frame on %s: %x", p, s.Frame)
		default:
		}
	}
}

func (r *rig) drops(port string, reason engine.DropReason) uint64 {
	r.t.Helper()
	c, err := r.e.Counters(port)
	if err != nil {
		r.t.Fatal(err)
	}
	return c.Drops[reason]
}

func (r *rig) lookup(m engine.MAC, vlan uint16) (string, bool) {
	ents := r.e.MACTable(engine.FDBFilter{MAC: &m, VLAN: vlan})
	if len(ents) == 0 {
		return "", false
	}
	return ents[0].Port, true
}

func st(i byte) engine.MAC { return engine.MAC{0x02, 0, 0, 0, 0, i} }

func ucast(dst, src engine.MAC) []byte {
	return enginetest.Frame{Dst: dst, Src: src}.Bytes()
}

func tagged(dst, src engine.MAC, vlan uint16, pcp uint8) []byte {
	return enginetest.Frame{Dst: dst, Src: src, Tagged: true, VLAN: vlan, PCP: pcp}.Bytes()
}
