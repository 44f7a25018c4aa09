package engine

import (
	"net/netip"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"
)

// nullHost opens ports that never receive and swallow what is sent, to
// measure the forwarding decision alone.
type nullHost struct{}

type nullIO struct {
	once   sync.Once
	closed chan struct{}
}

func (n *nullIO) ReadBatch([]RxFrame) (int, error)    { <-n.closed; return 0, os.ErrClosed }
func (n *nullIO) WriteBatch(f []TxFrame) (int, error) { return len(f), nil }
func (n *nullIO) Close() error                        { n.once.Do(func() { close(n.closed) }); return nil }

func (nullHost) OpenPort(name string) (PortIO, LinkInfo, error) {
	return &nullIO{closed: make(chan struct{})}, LinkInfo{Name: name, AdminUp: true, OperUp: true}, nil
}
func (nullHost) CreateSVI(name string, _ MAC) (PortIO, LinkInfo, error) {
	return nullHost{}.OpenPort(name)
}
func (nullHost) DeleteSVI(string) error                          { return nil }
func (nullHost) SetLinkUp(string, bool) error                    { return nil }
func (nullHost) SetAddrs(string, []netip.Prefix) error           { return nil }
func (nullHost) Link(name string) (LinkInfo, error)              { return LinkInfo{Name: name}, nil }
func (nullHost) WatchLinks(func(LinkInfo, bool)) (func(), error) { return func() {}, nil }

// benchRig: a1,a2 access 10; t1,t2 trunks allowing all, native 1.
func benchRig(b *testing.B) *Engine {
	e, err := New(Config{Host: nullHost{}, AgeInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	e.SetVLANs(NewVLANSet(1, 10))
	for _, n := range []string{"a1", "a2", "t1", "t2"} {
		if err := e.AddPort(n); err != nil {
			b.Fatal(err)
		}
	}
	for _, n := range []string{"a1", "a2"} {
		pc := DefaultPortConfig()
		pc.AccessVLAN = 10
		e.SetPort(n, pc)
	}
	for _, n := range []string{"t1", "t2"} {
		pc := DefaultPortConfig()
		pc.Mode = Trunk
		e.SetPort(n, pc)
	}
	return e
}

func benchFrame(dst, src MAC, tag bool, size int) []byte {
	b := make([]byte, 0, size)
	b = append(b, dst[:]...)
	b = append(b, src[:]...)
	if tag {
		b = append(b, 0x81, 0x00, 0x00, 10)
	}
	b = append(b, 0x08, 0x00)
	return b[:size]
}

// benchForward measures process() on a batch of 32 frames from port in.
func benchForward(b *testing.B, e *Engine, in string, frame []byte) {
	e.mu.Lock()
	p := e.ports[in]
	e.mu.Unlock()
	w := newWorker(e, p, p.io, 32)
	for i := range w.rx {
		w.rx[i].Off = RxHeadroom
		w.rx[i].Len = copy(w.rx[i].Buf[RxHeadroom:], frame)
	}
	w.process(w.rx) // learn, size the egress queues
	b.ReportAllocs()
	b.SetBytes(int64(len(frame)) * int64(len(w.rx)))
	b.ResetTimer()
	for b.Loop() {
		w.process(w.rx)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(w.rx)), "ns/frame")
}

var (
	stA = MAC{0x02, 0, 0, 0, 0, 0xa}
	stB = MAC{0x02, 0, 0, 0, 0, 0xb}
)

// learnB makes stB known on port name in VLAN 10.
func learnB(e *Engine, name string) {
	e.mu.Lock()
	idx := e.ports[name].idx
	e.mu.Unlock()
	e.fdb.learn(fdbKey(stB, 10), idx, e.fdb.stamp(e.clock.Now()))
}

func BenchmarkForwardAccessToAccess(b *testing.B) {
	e := benchRig(b)
	learnB(e, "a2")
	benchForward(b, e, "a1", benchFrame(stB, stA, false, 1514))
}

func BenchmarkForwardTagInsert(b *testing.B) {
	e := benchRig(b)
	learnB(e, "t1")
	benchForward(b, e, "a1", benchFrame(stB, stA, false, 1514))
}

func BenchmarkForwardTagStrip(b *testing.B) {
	e := benchRig(b)
	learnB(e, "a2")
	benchForward(b, e, "t1", benchFrame(stB, stA, true, 1518))
}

func BenchmarkForwardTrunkToTrunk(b *testing.B) {
	e := benchRig(b)
	learnB(e, "t2")
	benchForward(b, e, "t1", benchFrame(stB, stA, true, 1518))
}

func BenchmarkForwardFlood(b *testing.B) {
	e := benchRig(b)
	benchForward(b, e, "a1", benchFrame(Broadcast, stA, false, 64))
}

func BenchmarkFDBLookup(b *testing.B) {
	f := newFDB(16384, time.Unix(0, 0))
	for i := uint64(0); i < 10000; i++ {
		f.learn(fdbKey(macFromUint64(0x020000000000|i), 1), int(i%8), 0)
	}
	k := fdbKey(macFromUint64(0x020000000000|4242), 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := f.lookup(k); !ok {
			b.Fatal("miss")
		}
	}
}

func BenchmarkFDBLearnRefresh(b *testing.B) {
	f := newFDB(16384, time.Unix(0, 0))
	k := fdbKey(macFromUint64(0x020000000042), 1)
	f.learn(k, 1, 0)
	b.ReportAllocs()
	now := uint64(0)
	for b.Loop() {
		now++
		f.learn(k, 1, now)
	}
}

// BenchmarkFDBLearnFlood is the slow path: a new source every time, with the
// table full and evicting.
func BenchmarkFDBLearnFlood(b *testing.B) {
	f := newFDB(4096, time.Unix(0, 0))
	b.ReportAllocs()
	i := uint64(0)
	for b.Loop() {
		i++
		f.learn(fdbKey(macFromUint64(0x020000000000|i), 1), int(i%2), i)
	}
}

// TestForwardZeroAllocs makes the benchmark's claim a test.
func TestForwardZeroAllocs(t *testing.T) {
	res := testing.Benchmark(BenchmarkForwardTagInsert)
	if a := res.AllocsPerOp(); a != 0 {
		t.Fatalf("forwarding allocates %d times per batch", a)
	}
	res = testing.Benchmark(BenchmarkForwardTagStrip)
	if a := res.AllocsPerOp(); a != 0 {
		t.Fatalf("tag strip allocates %d times per batch", a)
	}
}

// BenchmarkHotplugWith1000Ports is the control-plane cost of a port coming
// and going (AddPort, SetPort to its VLAN, RemovePort) on a switch that
// already has 1,000 ports: publishing a change costs the same whatever the
// number of ports.
func BenchmarkHotplugWith1000Ports(b *testing.B) {
	e, err := New(Config{Host: nullHost{}, AgeInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	e.SetVLANs(NewVLANSet(1, 10))
	pc := DefaultPortConfig()
	pc.AccessVLAN = 10
	for i := 0; i < 1000; i++ {
		name := "p" + strconv.Itoa(i)
		if err := e.AddPort(name); err != nil {
			b.Fatal(err)
		}
		e.SetPort(name, pc)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := e.AddPort("new"); err != nil {
			b.Fatal(err)
		}
		if err := e.SetPort("new", pc); err != nil {
			b.Fatal(err)
		}
		if err := e.RemovePort("new"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetVLANsWith1000Ports: a VLAN database change does not touch
// every port's view.
func BenchmarkSetVLANsWith1000Ports(b *testing.B) {
	e, err := New(Config{Host: nullHost{}, AgeInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	for i := 0; i < 1000; i++ {
		if err := e.AddPort("p" + strconv.Itoa(i)); err != nil {
			b.Fatal(err)
		}
	}
	a, c := NewVLANSet(1, 10), NewVLANSet(1, 10, 20)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			e.SetVLANs(c)
		} else {
			e.SetVLANs(a)
		}
	}
}
