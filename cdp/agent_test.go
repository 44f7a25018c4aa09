package cdp

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

var mac1 = [6]byte{0x02, 0, 0, 0, 0, 1}

func TestFirstAdvertisementAndTimer(t *testing.T) {
	a, clk, snd := newTestAgent(t, Options{})
	a.AddPort("eth0", mac1)
	if got := snd.take(); len(got) != 0 {
		t.Fatalf("a down port advertised: %d frames", len(got))
	}
	if err := a.SetPortUp("eth0", true); err != nil {
		t.Fatal(err)
	}
	sent := snd.take()
	if len(sent) != 1 || sent[0].port != "eth0" {
		t.Fatalf("port up: sent %v, want one advertisement on eth0 at once", sent)
	}
	f := decodeSent(t, sent)[0]
	if f.Src != mac1 || f.Version != 2 || f.Holdtime != 180 || f.DeviceID != "lisa-sw1" || f.PortID != "eth0" {
		t.Errorf("advertisement %+v", f)
	}
	if next := a.Tick(); !next.Equal(clk.Now().Add(60 * time.Second)) {
		t.Errorf("next deadline %v, want now+60s", next)
	}
	clk.Advance(59 * time.Second)
	a.Tick()
	if n := len(snd.take()); n != 0 {
		t.Fatalf("sent %d frames before the timer", n)
	}
	clk.Advance(time.Second)
	a.Tick()
	if n := len(snd.take()); n != 1 {
		t.Fatalf("sent %d frames at the timer, want 1", n)
	}
	if c := a.Counters(); c.OutputV2 != 2 || c.Output() != 2 {
		t.Errorf("counters %+v", c)
	}
}

// What lisad announces: Device ID, Addresses (no 0.0.0.0), Port ID, Capabilities,
// Software Version, Platform, and in v2 the VTP domain, native VLAN (trunks) and duplex.
func TestAdvertisementContents(t *testing.T) {
	a, _, snd := newTestAgent(t, Options{})
	a.AddPort("eth0", mac1)
	a.AddPort("vif1.0", [6]byte{0x02, 0, 0, 0, 0, 2})
	a.SetPortVLAN("eth0", true, 10)
	a.SetPortDuplex("vif1.0", DuplexHalf)
	a.SetPortUp("eth0", true)
	a.SetPortUp("vif1.0", true)
	fs := decodeSent(t, snd.take())
	want := Packet{
		Version: 2, Holdtime: 180, DeviceID: "lisa-sw1",
		Addresses:    []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")},
		HasAddresses: true, PortID: "eth0",
		Capabilities: CapSwitch | CapIGMP, HasCapabilities: true,
		SoftwareVersion: testSystem.SoftwareVersion, Platform: testSystem.Platform,
		VTPDomain: "LAB", HasVTPDomain: true, NativeVLAN: 10, HasNativeVLAN: true, Duplex: DuplexFull,
	}
	want.Checksum = fs[0].Checksum
	if fmt.Sprintf("%+v", fs[0].Packet) != fmt.Sprintf("%+v", want) {
		t.Errorf("trunk port:\n%+v\nwant\n%+v", fs[0].Packet, want)
	}
	if fs[1].PortID != "vif1.0" || fs[1].HasNativeVLAN || fs[1].Duplex != DuplexHalf {
		t.Errorf("access port: %+v", fs[1].Packet)
	}

	// CDPv1 leaves the v2 TLVs out; no IGMP without snooping; no Addresses TLV without addresses.
	a.SetAdvertiseV2(false)
	a.SetSystem(System{Hostname: "sw", SoftwareVersion: "v", Platform: "p"})
	a.SetPortEnabled("eth0", false)
	snd.take()
	a.SetPortEnabled("eth0", true)
	f := decodeSent(t, snd.take())[0]
	if f.Version != 1 || f.HasVTPDomain || f.HasNativeVLAN || f.Duplex != DuplexAbsent ||
		f.HasAddresses || f.Capabilities != CapSwitch || f.DeviceID != "sw" {
		t.Errorf("v1: %+v", f.Packet)
	}
	if c := a.Counters(); c.OutputV1 != 2 { // the goodbye of `no cdp enable`, then the advertisement
		t.Errorf("counters %+v", c)
	}
}

func TestGoodbyeOnShutdownDisableRemove(t *testing.T) {
	for _, tc := range []struct {
		name string
		off  func(a *Agent)
	}{
		{"shutdown", func(a *Agent) { a.SetPortUp("eth0", false) }},
		{"no cdp enable", func(a *Agent) { a.SetPortEnabled("eth0", false) }},
		{"no cdp run", func(a *Agent) { a.SetRun(false) }},
		{"remove port", func(a *Agent) { a.RemovePort("eth0") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, clk, snd := newTestAgent(t, Options{})
			a.AddPort("eth0", mac1)
			a.SetPortUp("eth0", true)
			a.Receive("eth0", peerFrame(2, "SW2", 180))
			snd.take()
			tc.off(a)
			fs := decodeSent(t, snd.take())
			if len(fs) != 1 || fs[0].Holdtime != 0 || fs[0].PortID != "eth0" {
				t.Fatalf("want one holdtime-0 advertisement, got %d frames", len(fs))
			}
			if n := a.Neighbors(""); len(n) != 0 {
				t.Errorf("neighbours of the port kept: %v", n)
			}
			// Nothing more is sent on the port.
			clk.Advance(10 * time.Minute)
			a.Tick()
			if n := len(snd.take()); n != 0 {
				t.Errorf("%d frames after the port left CDP", n)
			}
		})
	}
}

func TestPortChangesWhileActiveSendNoGoodbye(t *testing.T) {
	a, _, snd := newTestAgent(t, Options{})
	a.AddPort("eth0", mac1)
	a.SetPortUp("eth0", true)
	snd.take()
	a.SetPortVLAN("eth0", true, 20)
	a.SetPortDuplex("eth0", DuplexHalf)
	a.SetPortUp("eth0", true)
	a.SetPortEnabled("eth0", true)
	if n := len(snd.take()); n != 0 {
		t.Errorf("%d frames for changes that keep the port active", n)
	}
	if err := a.SetPortUp("nope", true); err != ErrUnknownPort {
		t.Errorf("unknown port: %v", err)
	}
}

// Settings are independent: timer and holdtime set while CDP is off are kept (the original
// ignored them), and used once CDP runs again.
func TestSettingsIndependent(t *testing.T) {
	a, clk, snd := newTestAgent(t, Options{})
	a.AddPort("eth0", mac1)
	a.SetPortUp("eth0", true)
	a.SetRun(false)
	snd.take()
	if err := a.SetTimer(5); err != nil {
		t.Fatal(err)
	}
	if err := a.SetHoldtime(10); err != nil {
		t.Fatal(err)
	}
	a.SetAdvertiseV2(false)
	for _, bad := range []func() error{
		func() error { return a.SetTimer(4) }, func() error { return a.SetTimer(255) },
		func() error { return a.SetHoldtime(9) }, func() error { return a.SetHoldtime(256) },
	} {
		if bad() == nil {
			t.Error("out-of-range setting accepted")
		}
	}
	want := Settings{Run: false, Timer: 5, Holdtime: 10, AdvertiseV2: false}
	if s := a.Settings(); s != want {
		t.Fatalf("settings %+v, want %+v", s, want)
	}
	clk.Advance(time.Hour)
	a.Tick()
	if n := len(snd.take()); n != 0 {
		t.Fatalf("%d frames while CDP is off", n)
	}
	a.SetRun(true)
	fs := decodeSent(t, snd.take())
	if len(fs) != 1 || fs[0].Holdtime != 10 || fs[0].Version != 1 {
		t.Fatalf("cdp run: %d frames", len(fs))
	}
	clk.Advance(5 * time.Second)
	a.Tick()
	if n := len(snd.take()); n != 1 {
		t.Errorf("timer 5: %d frames after 5 s", n)
	}
}

func TestShorterTimerTakesEffectAtOnce(t *testing.T) {
	a, clk, snd := newTestAgent(t, Options{})
	a.AddPort("eth0", mac1)
	a.SetPortUp("eth0", true)
	snd.take()
	clk.Advance(10 * time.Second)
	a.SetTimer(5)
	clk.Advance(5 * time.Second)
	a.Tick()
	if n := len(snd.take()); n != 1 {
		t.Fatalf("%d frames 5 s after cdp timer 5, want 1 (not at the old 60 s)", n)
	}
	a.SetTimer(100) // longer: the next one comes 5 s later still, then every 100 s
	clk.Advance(5 * time.Second)
	a.Tick()
	clk.Advance(99 * time.Second)
	a.Tick()
	if n := len(snd.take()); n != 1 {
		t.Fatalf("%d frames", n)
	}
}

func TestReceiveAndExpire(t *testing.T) {
	a, clk, _ := newTestAgent(t, Options{})
	a.AddPort("eth0", mac1)
	a.SetPortUp("eth0", true)
	a.Receive("eth0", peerFrame(2, "SW2", 180))
	ns := a.Neighbors("")
	if len(ns) != 1 || ns[0].DeviceID != "SW2" || ns[0].LocalPort != "eth0" || ns[0].PortID != "Gi0/1" ||
		ns[0].Remaining(clk.Now()) != 180 || ns[0].SourceMAC != [6]byte{0x00, 0x1b, 0xd4, 0, 0, 1} {
		t.Fatalf("neighbours %+v", ns)
	}
	if next := a.Tick(); !next.Equal(clk.Now().Add(60 * time.Second)) {
		t.Errorf("next %v", next)
	}
	clk.Advance(100 * time.Second)
	a.Receive("eth0", peerFrame(2, "SW2", 120)) // refresh: new expiry now+120
	clk.Advance(119 * time.Second)
	a.Tick()
	if ns := a.Neighbors("eth0"); len(ns) != 1 || ns[0].Remaining(clk.Now()) != 1 {
		t.Fatalf("refreshed neighbour: %+v", ns)
	}
	clk.Advance(time.Second)
	a.Tick()
	if ns := a.Neighbors(""); len(ns) != 0 {
		t.Fatalf("neighbour outlived its holdtime: %+v", ns)
	}
	if c := a.Counters(); c.InputV2 != 2 || c.Input() != 2 {
		t.Errorf("counters %+v", c)
	}
}

// Holdtime 0 removes the neighbour at once (lldpd rejects such frames instead).
func TestReceiveHoldtimeZero(t *testing.T) {
	a, _, _ := newTestAgent(t, Options{})
	a.AddPort("eth0", mac1)
	a.SetPortUp("eth0", true)
	a.Receive("eth0", peerFrame(2, "SW2", 180))
	a.Receive("eth0", peerFrame(2, "SW3", 180))
	a.Receive("eth0", peerFrame(1, "SW2", 0))
	if ns := a.Neighbors(""); len(ns) != 1 || ns[0].DeviceID != "SW3" {
		t.Fatalf("after holdtime 0: %+v", ns)
	}
	a.Receive("eth0", peerFrame(2, "SW9", 0)) // unknown device leaving: nothing to do
	if ns := a.Neighbors(""); len(ns) != 1 {
		t.Fatalf("holdtime 0 added a neighbour")
	}
}

// Every kind of bad frame lands in its counter; a bad checksum is counted and accepted.
func TestReceiveCounters(t *testing.T) {
	a, _, _ := newTestAgent(t, Options{})
	a.AddPort("eth0", mac1)
	a.SetPortUp("eth0", true)
	badSum := peerFrame(1, "BADSUM", 180)
	badSum[14+8+2] ^= 0xff
	noID := frame(pdu(2, 180, tlv(TLVPortID, []byte("x"))))
	vtp := append([]byte{}, peerFrame(2, "VTP", 180)...)
	vtp[21] = 0x03 // SNAP PID 0x2003: someone else's protocol
	for _, fr := range [][]byte{
		badSum,
		frame(pdu(3, 180, devID)), // unknown version
		frame([]byte{2, 180}),     // header syntax
		frame(pdu(2, 180, devID, []byte{0, 1, 0})), // malformed TLVs
		noID, // no Device ID: invalid
		vtp,  // not CDP: not counted
	} {
		a.Receive("eth0", fr)
	}
	want := Counters{OutputV2: 1, InputV1: 1, ChecksumErrors: 1, UnknownVersion: 1, HdrSyntax: 1, Malformed: 2}
	if c := a.Counters(); c != want || c.Input() != 5 {
		t.Errorf("counters\n%+v\nwant\n%+v (each of the 5 CDP frames counted once)", c, want)
	}
	if ns := a.Neighbors(""); len(ns) != 1 || ns[0].DeviceID != "BADSUM" {
		t.Errorf("bad-checksum frame not accepted: %+v", ns)
	}
	a.ClearCounters()
	if c := a.Counters(); c != (Counters{}) {
		t.Errorf("cleared counters %+v", c)
	}
}

func TestReceiveOnlyWhereCDPRuns(t *testing.T) {
	a, _, _ := newTestAgent(t, Options{})
	a.AddPort("eth0", mac1)
	a.AddPort("eth1", [6]byte{2, 0, 0, 0, 0, 2})
	a.SetPortUp("eth1", true)
	a.SetPortEnabled("eth1", false)
	a.Receive("eth0", peerFrame(2, "A", 180)) // down
	a.Receive("eth1", peerFrame(2, "B", 180)) // no cdp enable
	a.Receive("nope", peerFrame(2, "C", 180)) // unknown
	if ns, c := a.Neighbors(""), a.Counters(); len(ns) != 0 || c.Input() != 0 {
		t.Errorf("frames taken on ports without CDP: %v %+v", ns, c)
	}
}

func TestSendErrorsCounted(t *testing.T) {
	a, _, snd := newTestAgent(t, Options{})
	snd.fail = true
	a.AddPort("eth0", mac1)
	a.SetPortUp("eth0", true)
	if c := a.Counters(); c.EncapsFailed != 1 || c.Output() != 0 {
		t.Errorf("counters %+v", c)
	}
	// An advertisement too big for Ethernet cannot be built: counted too.
	snd.fail = false
	a.SetSystem(System{Hostname: "h", SoftwareVersion: string(make([]byte, 1600))})
	a.SetPortUp("eth0", false)
	if c := a.Counters(); c.EncapsFailed != 2 {
		t.Errorf("counters %+v", c)
	}
}

// A flood of fake Device IDs on one port stays within the per-port bound, costs "No memory"
// counts, and neither evicts nor blocks the real neighbours of other ports.
func TestNeighborFloodPerPort(t *testing.T) {
	a, clk, _ := newTestAgent(t, Options{MaxNeighborsPerPort: 8, MaxNeighbors: 20})
	for _, p := range []string{"eth0", "eth1", "eth2"} {
		a.AddPort(p, mac1)
		a.SetPortUp(p, true)
	}
	a.Receive("eth1", peerFrame(2, "real-1", 180))
	for i := range 10000 {
		a.Receive("eth0", peerFrame(2, fmt.Sprintf("fake-%05d", i), 255))
	}
	if ns := a.Neighbors("eth0"); len(ns) != 8 {
		t.Fatalf("flooded port holds %d neighbours, bound 8", len(ns))
	}
	if c := a.Counters(); c.NoMemory != 10000-8 {
		t.Errorf("No memory %d", c.NoMemory)
	}
	a.Receive("eth2", peerFrame(2, "real-2", 180))
	a.Receive("eth1", peerFrame(2, "real-1", 180)) // refresh still works
	if ns := a.Neighbors("eth1"); len(ns) != 1 {
		t.Errorf("real neighbour evicted: %v", ns)
	}
	if ns := a.Neighbors("eth2"); len(ns) != 1 {
		t.Errorf("new real neighbour on another port refused: %v", ns)
	}
	// A full port still refreshes the entries it has.
	a.Receive("eth0", peerFrame(2, "fake-00003", 255))
	clk.Advance(255 * time.Second)
	a.Tick()
	if ns := a.Neighbors(""); len(ns) != 0 {
		t.Errorf("flood did not drain at its holdtime: %d left", len(ns))
	}
}

// When the whole table is full, a port with few neighbours takes room from the port with the
// most; the busiest port cannot take room from anyone.
func TestNeighborFloodTotalFairness(t *testing.T) {
	a, _, _ := newTestAgent(t, Options{MaxNeighborsPerPort: 10, MaxNeighbors: 25})
	for i := range 5 {
		p := fmt.Sprintf("eth%d", i)
		a.AddPort(p, mac1)
		a.SetPortUp(p, true)
	}
	for _, p := range []string{"eth0", "eth1", "eth2"} {
		for i := range 1000 {
			a.Receive(p, peerFrame(2, fmt.Sprintf("%s-fake-%d", p, i), 200))
		}
	}
	total := len(a.Neighbors(""))
	if total != 25 {
		t.Fatalf("table holds %d, bound 25", total)
	}
	a.Receive("eth3", peerFrame(2, "real", 180))
	if ns := a.Neighbors("eth3"); len(ns) != 1 {
		t.Fatalf("a quiet port got no room in a full table")
	}
	if n := len(a.Neighbors("")); n != 25 {
		t.Fatalf("table holds %d after eviction", n)
	}
	for _, p := range []string{"eth0", "eth1", "eth2"} {
		if n := len(a.Neighbors(p)); n > 10 {
			t.Errorf("%s holds %d", p, n)
		}
	}
}

// Stored neighbours have capped strings, whatever the frame carried.
func TestNeighborStorageCapped(t *testing.T) {
	a, _, _ := newTestAgent(t, Options{})
	a.AddPort("eth0", mac1)
	a.SetPortUp("eth0", true)
	fr := frame(pdu(2, 180, tlv(TLVDeviceID, []byte(fmt.Sprintf("%0260d", 7))),
		tlv(TLVSoftwareVersion, bytes.Repeat([]byte{'v'}, 1030)),
		tlv(TLVProtocolHello, append([]byte{0, 0, 0xc, 1, 0x12}, make([]byte, 70)...)),
		tlv(TLVPowerRequested, append(u32(1), make([]byte, 4*10)...)), tlv(0x4242, []byte("unknown"))))
	a.Receive("eth0", fr)
	ns := a.Neighbors("")
	if len(ns) != 1 {
		t.Fatal("not stored")
	}
	n := ns[0]
	if len(n.DeviceID) != maxStoredString || len(n.SoftwareVersion) != maxStoredVersion ||
		len(n.ProtocolHello.Payload) != maxStoredHello || len(n.PowerRequested.Milliwatts) != maxStoredPowerValues || n.Unknown != nil {
		t.Errorf("stored %d %d %d %d %v", len(n.DeviceID), len(n.SoftwareVersion), len(n.ProtocolHello.Payload),
			len(n.PowerRequested.Milliwatts), n.Unknown)
	}
}

// A Sender that calls back into the agent does not deadlock it.
type reentrantSender struct{ a *Agent }

func (s *reentrantSender) Send(port string, frame []byte) error {
	s.a.Receive(port, frame) // our own frame looped back
	_ = s.a.Snapshot()
	return nil
}

func TestSenderMayCallBack(t *testing.T) {
	snd := &reentrantSender{}
	a := NewAgent(Options{Sender: snd, Clock: newFakeClock()})
	snd.a = a
	a.SetSystem(testSystem)
	a.AddPort("eth0", mac1)
	a.SetPortUp("eth0", true)
	if ns := a.Neighbors(""); len(ns) != 1 || ns[0].DeviceID != "lisa-sw1" {
		t.Errorf("looped-back advertisement: %+v", ns)
	}
}

// Run with the real clock while switchd and the engine hammer the agent (for -race).
func TestRunConcurrent(t *testing.T) {
	snd := &fakeSender{}
	a := NewAgent(Options{Sender: snd})
	a.SetSystem(testSystem)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- a.Run(ctx) }()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			port := fmt.Sprintf("eth%d", w)
			a.AddPort(port, mac1)
			for i := range 200 {
				a.SetPortUp(port, i%2 == 0)
				a.Receive(port, peerFrame(2, fmt.Sprintf("n%d", i%5), uint8(1+i%3)))
				_ = ShowNeighbors(a.Snapshot(), "", true)
				if i%50 == 0 {
					a.SetTimer(5 + i%10)
					a.SetRun(i%100 != 0)
				}
			}
		}()
	}
	wg.Wait()
	a.SetRun(true)
	a.SetPortUp("eth0", true)
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Run: %v", err)
	}
	if len(snd.take()) == 0 {
		t.Error("nothing sent")
	}
}

// Run wakes up for an advertisement that became due sooner than it planned.
func TestRunWakesForEarlierDeadline(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a real 5-second timer")
	}
	snd := &fakeSender{}
	a := NewAgent(Options{Sender: snd})
	a.SetSystem(testSystem)
	a.AddPort("eth0", mac1)
	a.SetPortUp("eth0", true)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go a.Run(ctx)
	a.SetTimer(5) // Run first planned for 60 s from now
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if snd.count() >= 2 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no second advertisement within 10 s of cdp timer 5")
}

// Log lines carry wire strings only as sanitised attribute values.
func TestLogsSanitised(t *testing.T) {
	var buf bytes.Buffer
	a, clk, _ := newTestAgent(t, Options{Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	a.AddPort("eth0", mac1)
	a.SetPortUp("eth0", true)
	a.Receive("eth0", peerFrame(2, "evil\x1b]0;pwned\x07\x9b", 10))
	a.Receive("eth0", frame(pdu(2, 10, []byte{0, 1})))
	clk.Advance(10 * time.Second)
	a.Tick()
	out := buf.String()
	if !strings.Contains(out, "cdp neighbor added") || !strings.Contains(out, "cdp neighbor expired") ||
		!strings.Contains(out, "evil?]0;pwned??") {
		t.Errorf("log:\n%s", out)
	}
	//lint:ignore SA1011 a lone 0x9b byte (C1 CSI) is what must not appear
	if strings.ContainsAny(out, "\x1b\x07\x9b") {
		t.Errorf("control bytes in the log:\n%q", out)
	}
}
