package engine_test

import (
	"testing"
	"time"

	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/internal/nstest"
)

// The netdev's own statistics reach the counters: frames the kernel drops
// on a port, which lisad never sees, are counted (here ARP requests the
// veth drops because its peer is down), and a clear makes them the base.
func TestLinkStatsFromNetlink(t *testing.T) {
	nstest.RequireRoot(t)
	ns := nstest.New(t, "hsstats")
	ns.MustRun(t, "ip", "link", "add", "hsa", "type", "veth", "peer", "name", "hsb")
	var e *engine.Engine
	if err := ns.Do(func() error {
		var err error
		e, err = engine.New(engine.Config{AgeInterval: -1})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	if err := e.AddPort("hsa"); err != nil { // up; its peer hsb stays down
		t.Fatal(err)
	}
	ns.MustRun(t, "ip", "addr", "add", "10.77.0.1/24", "dev", "hsa")
	ns.Run("ping", "-c2", "-i0.2", "-W1", "10.77.0.2") // fails: nobody there
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := e.Counters("hsa")
		if err != nil {
			t.Fatal(err)
		}
		if c.Link.TxDropped > 0 {
			break
		}
		if time.Now().After(deadline) {
			out, _ := ns.Run("ip", "-s", "link", "show", "hsa")
			t.Fatalf("tx_dropped not seen: %+v\n%s", c.Link, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := e.ClearCounters("hsa"); err != nil {
		t.Fatal(err)
	}
	if c, _ := e.Counters("hsa"); c.Link.TxDropped != 0 {
		t.Errorf("after clear %+v", c.Link)
	}
}
