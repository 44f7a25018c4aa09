package engine_test

import (
	"math"
	"testing"
	"time"

	"github.com/lisa-go/lisa/engine"
)

// Drops are split by direction: what a port dropped as ingress port (its
// input queue) and what it failed to transmit as egress port.
func TestDropsInputOutput(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2")
	r.send("p1", ucast(engine.Broadcast, engine.Broadcast)) // invalid source, on p1
	r.h.SetTxFail("p2", true)
	r.send("p1", ucast(engine.Broadcast, st(1))) // flooded, p2 fails to send
	r.h.SetTxFail("p2", false)
	r.h.SetTxQueueFull("p2", true)
	r.send("p1", ucast(engine.Broadcast, st(1)))
	c1, _ := r.e.Counters("p1")
	c2, _ := r.e.Counters("p2")
	if c1.InDrops() != 1 || c1.OutDrops() != 0 {
		t.Errorf("p1 in %d out %d, want 1 0 (%v)", c1.InDrops(), c1.OutDrops(), c1.DropsByName())
	}
	if c2.InDrops() != 0 || c2.OutDrops() != 2 {
		t.Errorf("p2 in %d out %d, want 0 2 (%v)", c2.InDrops(), c2.OutDrops(), c2.DropsByName())
	}
	for r := engine.DropReason(0); r < engine.NumDropReasons; r++ {
		if want := r == engine.DropTxError || r == engine.DropTxQueueFull; r.Output() != want {
			t.Errorf("%s: output %v", r, r.Output())
		}
	}
}

// The netdev's own statistics come with the counters, relative to the last
// clear, and the clear's time is kept.
func TestLinkStatsAndClear(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1")
	r.h.SetStats("p1", engine.LinkStats{RxDropped: 7, RxErrors: 3, RxCRCErrors: 2, TxDropped: 1, Collisions: 4})
	c, _ := r.e.Counters("p1")
	if c.Link.RxDropped != 7 || c.Link.RxErrors != 3 || c.Link.RxCRCErrors != 2 || c.Link.TxDropped != 1 || c.Link.Collisions != 4 {
		t.Fatalf("link stats %+v", c.Link)
	}
	if !c.Cleared.IsZero() {
		t.Fatalf("never cleared, yet cleared at %v", c.Cleared)
	}
	at := r.clk.Advance(time.Minute)
	if err := r.e.ClearCounters("p1"); err != nil {
		t.Fatal(err)
	}
	c, _ = r.e.Counters("p1")
	if c.Link != (engine.LinkStats{}) || !c.Cleared.Equal(at) {
		t.Fatalf("after clear: link %+v cleared %v, want zero and %v", c.Link, c.Cleared, at)
	}
	r.h.SetStats("p1", engine.LinkStats{RxDropped: 9, RxErrors: 3, RxCRCErrors: 2, TxDropped: 1, Collisions: 4})
	if c, _ = r.e.Counters("p1"); c.Link != (engine.LinkStats{RxDropped: 2}) {
		t.Fatalf("since clear %+v, want RxDropped 2", c.Link)
	}
	// A re-created netdev restarts from zero: nothing negative.
	r.h.SetStats("p1", engine.LinkStats{})
	if c, _ = r.e.Counters("p1"); c.Link != (engine.LinkStats{}) {
		t.Fatalf("after netdev reset %+v", c.Link)
	}
}

// The five-minute rates decay exponentially on the engine's clock and are
// sampled whenever counters are read.
func TestRates(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2")
	r.e.Counters("p1") // first sample
	r.e.Counters("p2")
	frame := ucast(engine.Broadcast, st(1))
	const n = 100
	for range n {
		r.send("p1", frame)
	}
	for range n {
		r.got("p2")
	}
	decay := func(dt time.Duration) float64 { return 1 - math.Exp(-dt.Seconds()/300) }
	r.clk.Advance(30 * time.Second)
	c, _ := r.e.Counters("p1")
	wantBits := uint64(math.Round(float64(n*len(frame)*8) / 30 * decay(30*time.Second)))
	if c.Rates.InBits != wantBits || c.Rates.OutBits != 0 {
		t.Fatalf("p1 rates %+v, want %d bits/s in", c.Rates, wantBits)
	}
	c2, _ := r.e.Counters("p2")
	if c2.Rates.OutBits != wantBits || c2.Rates.InBits != 0 {
		t.Fatalf("p2 rates %+v, want %d bits/s out", c2.Rates, wantBits)
	}
	// Five idle minutes: down by e.
	r.clk.Advance(5 * time.Minute)
	avg := float64(n*len(frame)*8) / 30 * decay(30*time.Second)
	c, _ = r.e.Counters("p1")
	if want := uint64(math.Round(avg * math.Exp(-1))); c.Rates.InBits != want {
		t.Fatalf("after 5 idle minutes %d bits/s, want %d", c.Rates.InBits, want)
	}
	// A clear zeroes the counts, not the rate, and the next sample does
	// not see the counts going back.
	if err := r.e.ClearCounters(""); err != nil {
		t.Fatal(err)
	}
	r.in["p1"] = 0
	r.clk.Advance(time.Second)
	c, _ = r.e.Counters("p1")
	if c.Rates.InBits == 0 || c.Rates.InBits > wantBits {
		t.Fatalf("after clear %+v", c.Rates)
	}
	// Steady traffic converges on its rate.
	for range 200 {
		r.send("p1", frame)
		r.clk.Advance(time.Second)
	}
	c, _ = r.e.Counters("p1")
	if c.Rates.InPackets != 0 && c.Rates.InPackets != 1 || c.Rates.InBits < 200 || c.Rates.InBits > uint64(len(frame)*8) {
		t.Fatalf("steady 1 frame/s: %+v", c.Rates)
	}
}
