package switchd

import (
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/configstore"
	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/engine/enginetest"
)

// "show interfaces IF stats" splits what lisad forwarded from what the
// kernel fast path switched, in IOS's switching-path table.
func TestShowInterfacesStats(t *testing.T) {
	host := enginetest.NewHost()
	host.AddLink("vif1.0", engine.MAC{0x02, 0x11, 0x22, 0x33, 0x44, 1})
	fp := host.EnableFastPath()
	r := newRigOn(t, host, configstore.NewStore(t.TempDir()+"/etc-lisa"), "")
	r.configure("no cdp run", "interface vif1.0")
	a := engine.MAC{0x02, 0, 0, 0, 0, 0xa}
	frame := enginetest.Frame{Dst: engine.MAC{0x02, 0, 0, 0, 0, 0xb}, Src: a}.Bytes()
	if err := host.Inject("vif1.0", frame); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for c, _ := r.eng.Counters("vif1.0"); c.RxPackets == 0; c, _ = r.eng.Counters("vif1.0") {
		if time.Now().After(deadline) {
			t.Fatal("frame not processed")
		}
		time.Sleep(time.Millisecond)
	}
	r.eng.SyncFastPath()
	fe, ok := fp.Entry(a, 1)
	if !ok {
		t.Fatal("station not in the fast path")
	}
	fp.Count(fe.Slot, engine.FastCounters{RxPackets: 1000, RxBytes: 1500000, TxPackets: 7, TxBytes: 700})
	expectScreen(t, r.run("show interfaces vif1.0 stats"), "Switch#show interfaces vif1.0 stats\n"+
		"vif1.0\n"+
		"          Switching path    Pkts In   Chars In   Pkts Out  Chars Out\n"+
		"               Processor          1         60          0          0\n"+
		"        Kernel fast path       1000    1500000          7        700\n"+
		"                   Total       1001    1500060          7        700\n")
	if out := r.run("show version | include Switching"); !strings.Contains(out, "known unicast in the kernel fast path") {
		t.Errorf("show version does not say the fast path is on:\n%s", out)
	}
	if out := newRig(t).run("show version | include Switching"); !strings.Contains(out, "no kernel fast path") {
		t.Errorf("show version without a fast path:\n%s", out)
	}
}
