package e2e

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/internal/nstest"
)

// TestCorrectnessUnderLoad pushes traffic through every path of two lisad
// joined by a trunk, at full speed and all at once, and checks that nothing
// is corrupted, misdelivered, duplicated or reordered. Frames may be lost
// (the switch drops when a queue is full, as any switch does); speed is
// never asserted.
//
//	lisad A: p1, p2 access VLAN 10; p3 access VLAN 20; p4 trunk 10,20 (host
//	         t1 sends and receives tagged frames); trA trunk 10,20; SVI vlan10
//	lisad B: q1 access VLAN 10; q2 access VLAN 20; trB trunk 10,20
//
// TCP streams with offloads on (GSO super frames) carry a checked byte
// pattern: a1->a2 (access->access), a1->b1 (access->trunk->access),
// b1->SVI of A (trunk->access->SVI), a3->b2 (VLAN 20 across the trunk).
// Meanwhile raw numbered, checksummed frames (broadcast, unknown unicast,
// known unicast, tagged from the trunk host) are blasted from four hosts and
// every host checks each frame it receives: VLAN membership, tag on the
// trunk and none on access ports, addressee, checksum, order.
func TestCorrectnessUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	// Both data paths: known unicast in the kernel fast path (lisad's
	// default), and every frame through lisad.
	for _, fast := range []bool{true, false} {
		t.Run(map[bool]string{true: "fastpath", false: "lisad"}[fast], func(t *testing.T) { correctnessUnderLoad(t, fast) })
	}
}

func correctnessUnderLoad(t *testing.T, fast bool) {
	if fast {
		if err := engine.ProbeKernelFastPath(); err != nil {
			t.Skipf("kernel fast path not available here: %v", err)
		}
	}
	settings := fmt.Sprintf("[engine]\nfast_path = %v\n", fast)
	requireTool(t, "ethtool")
	swA, swB := nstest.New(t, "loadA"), nstest.New(t, "loadB")
	for _, ns := range []*nstest.NS{swA, swB} {
		ns.MustRun(t, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	}
	nstest.Veth(t, swA, "trA", swB, "trB")

	hosts := map[string]*loadHost{}
	addHost := func(name string, sw *nstest.NS, port string, vlan uint16, ip string, idx byte) {
		h := &loadHost{name: name, ns: nstest.New(t, "ld"+name), vlan: vlan, ip: ip,
			mac: engine.MAC{0x02, 0x55, 0, 0, 0, idx}}
		h.ns.MustRun(t, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
		nstest.Veth(t, h.ns, "eth0", sw, port)
		h.ns.MustRun(t, "ip", "link", "set", "eth0", "address", h.mac.Colon())
		if ip != "" {
			h.ns.MustRun(t, "ip", "addr", "add", ip+"/24", "dev", "eth0")
		}
		if out, _ := h.ns.Run("ethtool", "-k", "eth0"); !strings.Contains(out, "tcp-segmentation-offload: on") {
			t.Fatalf("%s: expected TSO on:\n%s", name, out)
		}
		hosts[name] = h
	}
	addHost("a1", swA, "p1", 10, "10.77.10.1", 1)
	addHost("a2", swA, "p2", 10, "10.77.10.2", 2)
	addHost("a3", swA, "p3", 20, "10.77.20.3", 3)
	addHost("t1", swA, "p4", 0, "", 4) // trunk: VLANs 10 and 20, tagged
	addHost("b1", swB, "q1", 10, "10.77.10.11", 11)
	addHost("b2", swB, "q2", 20, "10.77.20.12", 12)

	cfgA := `hostname A
vlan 10
!
vlan 20
!
interface p1
 switchport access vlan 10
interface p2
 switchport access vlan 10
interface p3
 switchport access vlan 20
interface p4
 switchport trunk allowed vlan 10,20
 switchport mode trunk
interface trA
 switchport trunk allowed vlan 10,20
 switchport mode trunk
interface vlan 10
 ip address 10.77.10.254 255.255.255.0
end
`
	cfgB := `hostname B
vlan 10
!
vlan 20
!
interface q1
 switchport access vlan 10
interface q2
 switchport access vlan 20
interface trB
 switchport trunk allowed vlan 10,20
 switchport mode trunk
end
`
	dA, dB := startWithConfig(t, swA, cfgA, settings), startWithConfig(t, swB, cfgB, settings)
	for _, h := range hosts {
		h.open(t)
	}
	// Every host announces itself so that unicast to it is known, not
	// flooded; the trunk host in both of its VLANs.
	for round := 0; round < 3; round++ {
		for _, h := range hosts {
			for _, v := range h.vlans() {
				h.send(t, []engine.TxFrame{h.frame(engine.Broadcast, v, kindHello, 0, 60)})
			}
		}
		time.Sleep(100 * time.Millisecond)
	}

	var wg sync.WaitGroup
	stopRx := make(chan struct{})
	for _, h := range hosts {
		wg.Add(1)
		go func() { defer wg.Done(); h.receive(stopRx) }()
	}

	// TCP with checked payloads, all streams at once.
	var tcpWG sync.WaitGroup
	tcpErr := make(chan error, 8)
	stream := func(name string, srv *nstest.NS, srvIP string, cli *nstest.NS, size int64) {
		tcpWG.Add(1)
		go func() {
			defer tcpWG.Done()
			if err := checkedTCP(srv, srvIP, cli, size); err != nil {
				tcpErr <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}
	const mib = 1 << 20
	stream("a1->a2 access->access", hosts["a2"].ns, "10.77.10.2", hosts["a1"].ns, 256*mib)
	stream("a1->b1 access->trunk->access", hosts["b1"].ns, "10.77.10.11", hosts["a1"].ns, 256*mib)
	stream("b1->SVI vlan10 of A", swA, "10.77.10.254", hosts["b1"].ns, 128*mib)
	stream("a3->b2 VLAN 20 across the trunk", hosts["b2"].ns, "10.77.20.12", hosts["a3"].ns, 256*mib)

	// Raw frames at full speed from four hosts for three seconds.
	unknown := engine.MAC{0x02, 0xee, 0, 0, 0, 1}
	var txWG sync.WaitGroup
	blast := func(h *loadHost, plan []target) {
		txWG.Add(1)
		go func() {
			defer txWG.Done()
			rng := rand.New(rand.NewPCG(uint64(h.mac[5]), 7))
			deadline := time.Now().Add(3 * time.Second)
			seq := map[target]uint32{}
			batch := make([]engine.TxFrame, 0, 32)
			for time.Now().Before(deadline) {
				batch = batch[:0]
				for len(batch) < cap(batch) {
					tg := plan[rng.IntN(len(plan))]
					seq[tg]++
					batch = append(batch, h.frame(tg.dst, tg.vlan, tg.kind, seq[tg], 60+rng.IntN(1455)))
				}
				h.send(t, batch)
			}
		}()
	}
	a1, a3, t1, b2 := hosts["a1"], hosts["a3"], hosts["t1"], hosts["b2"]
	blast(a1, []target{{engine.Broadcast, 10, kindFlood}, {unknown, 10, kindFlood}, {hosts["a2"].mac, 10, kindUnicast},
		{hosts["b1"].mac, 10, kindUnicast}, {t1.mac, 10, kindUnicast}})
	blast(a3, []target{{engine.Broadcast, 20, kindFlood}, {b2.mac, 20, kindUnicast}})
	blast(t1, []target{{engine.Broadcast, 10, kindFlood}, {engine.Broadcast, 20, kindFlood},
		{hosts["b1"].mac, 10, kindUnicast}, {a3.mac, 20, kindUnicast}, {unknown, 20, kindFlood}})
	blast(b2, []target{{engine.Broadcast, 20, kindFlood}, {a3.mac, 20, kindUnicast}, {t1.mac, 20, kindUnicast}})
	txWG.Wait()
	tcpWG.Wait()
	close(tcpErr)
	for err := range tcpErr {
		t.Error(err)
	}
	time.Sleep(500 * time.Millisecond)
	close(stopRx)
	for _, h := range hosts {
		h.io.Close()
	}
	wg.Wait()

	// What every host must have seen: floods from every other member of
	// its VLANs, unicast addressed to it. Nothing else was checked frame
	// by frame in receive.
	must := map[[2]string]bool{ // receiver, sender: at least one frame
		{"a2", "a1"}: true, {"b1", "a1"}: true, {"t1", "a1"}: true, // VLAN 10 floods and unicast
		{"b2", "a3"}: true, {"t1", "a3"}: true, {"a3", "b2"}: true, {"t1", "b2"}: true, // VLAN 20
		{"a1", "t1"}: true, {"a2", "t1"}: true, {"b1", "t1"}: true, {"a3", "t1"}: true, // from the trunk host
	}
	for _, h := range hosts {
		h.mu.Lock()
		for _, e := range h.errs {
			t.Errorf("%s: %s", h.name, e)
		}
		if h.nErrs > len(h.errs) {
			t.Errorf("%s: %d more errors", h.name, h.nErrs-len(h.errs))
		}
		var got []string
		for from, n := range h.from {
			got = append(got, fmt.Sprintf("%s:%d", from, n))
		}
		t.Logf("%s received %v", h.name, got)
		for k := range must {
			if k[0] == h.name && h.from[k[1]] == 0 {
				t.Errorf("%s received no test frame from %s", h.name, k[1])
			}
		}
		h.mu.Unlock()
	}
	// The kernel fast path must have carried part of it (and nothing
	// without one): the TCP stream a1->a2 is known unicast from p1 to p2.
	stats := dA.mustCLI("show interfaces p1 stats")
	var kin, kinBytes uint64
	for _, l := range strings.Split(stats, "\n") {
		if f := strings.Fields(l); len(f) == 7 && f[0] == "Kernel" {
			fmt.Sscan(f[3], &kin)
			fmt.Sscan(f[4], &kinBytes)
		}
	}
	t.Logf("p1 of A:\n%s", stats)
	if fast && kinBytes < 128*mib || !fast && kin != 0 {
		t.Errorf("fast path %v, yet it switched %d frames (%d bytes) from p1", fast, kin, kinBytes)
	}
	for _, d := range []*daemon{dA, dB} {
		if t.Failed() {
			t.Logf("counters:\n%s", d.mustCLI("show interfaces counters errors"))
		}
	}
}

// startWithConfig starts lisad in ns with startup-config cfg and, when
// settings is not "", that lisad.toml.
func startWithConfig(t *testing.T, ns *nstest.NS, cfg, settings string) *daemon {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "etc-lisa")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.text"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	d := &daemon{t: t, ns: ns, configDir: dir, runDir: t.TempDir()}
	if settings != "" {
		d.settings = filepath.Join(t.TempDir(), "lisad.toml")
		if err := os.WriteFile(d.settings, []byte(settings), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	d.socket = filepath.Join(d.runDir, "lisa.sock")
	d.start()
	return d
}

// Kinds of test frames.
const (
	kindHello   = 1
	kindFlood   = 2 // broadcast or unknown unicast: every other VLAN member
	kindUnicast = 3 // to a known host: that host only
)

const loadMagic = 0x4c695341 // "LiSA"

type target struct {
	dst  engine.MAC
	vlan uint16
	kind byte
}

// loadHost is a test host: an AF_PACKET port (the engine's own Linux I/O,
// which gives back VLAN tags the kernel took out of received frames) on
// eth0 of its namespace, and what it received.
type loadHost struct {
	name string
	ns   *nstest.NS
	vlan uint16 // access VLAN; 0 = trunk host carrying 10 and 20 tagged
	ip   string
	mac  engine.MAC
	io   engine.PortIO

	mu    sync.Mutex
	from  map[string]int
	last  map[[3]string]uint32 // sender, dst, vlan -> last sequence number
	errs  []string
	nErrs int
}

func (h *loadHost) vlans() []uint16 {
	if h.vlan == 0 {
		return []uint16{10, 20}
	}
	return []uint16{h.vlan}
}

func (h *loadHost) carries(v uint16) bool {
	return h.vlan == v || h.vlan == 0 && (v == 10 || v == 20)
}

func (h *loadHost) open(t *testing.T) {
	t.Helper()
	err := h.ns.Do(func() error {
		lh, err := engine.NewLinuxHost(engine.LinuxHostConfig{})
		if err != nil {
			return err
		}
		h.io, _, err = lh.OpenPort("eth0")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.io.Close() })
	h.from, h.last = map[string]int{}, map[[3]string]uint32{}
}

// frame builds a test frame: Ethernet header (tagged when the host is a
// trunk), then magic, origin VLAN, kind, sender index, sequence number,
// payload length, a payload derived from the sequence and a CRC-32.
func (h *loadHost) frame(dst engine.MAC, vlan uint16, kind byte, seq uint32, size int) engine.TxFrame {
	b := make([]byte, 0, size+4)
	b = append(b, dst[:]...)
	b = append(b, h.mac[:]...)
	if h.vlan == 0 {
		b = binary.BigEndian.AppendUint16(b, 0x8100)
		b = binary.BigEndian.AppendUint16(b, vlan)
	}
	b = binary.BigEndian.AppendUint16(b, 0x88b5)
	body := len(b)
	b = binary.BigEndian.AppendUint32(b, loadMagic)
	b = binary.BigEndian.AppendUint16(b, vlan)
	b = append(b, kind, h.mac[5])
	b = binary.BigEndian.AppendUint32(b, seq)
	n := max(size-len(b)-6, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(n))
	for i := 0; i < n; i++ {
		b = append(b, byte(seq*31+uint32(i)*7))
	}
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[body:]))
	return engine.TxFrame{Hdr: b[:12], Body: b[12:]}
}

func (h *loadHost) send(t *testing.T, frames []engine.TxFrame) {
	for len(frames) > 0 {
		n, err := h.io.WriteBatch(frames)
		frames = frames[n:]
		if err != nil && len(frames) > 0 {
			time.Sleep(100 * time.Microsecond) // queue full: the switch is behind
		}
	}
}

func (h *loadHost) fail(format string, args ...any) {
	h.nErrs++
	if len(h.errs) < 10 {
		h.errs = append(h.errs, fmt.Sprintf(format, args...))
	}
}

func (h *loadHost) receive(stop <-chan struct{}) {
	rx := make([]engine.RxFrame, 16)
	for i := range rx {
		rx[i].Buf = make([]byte, engine.RxHeadroom+engine.MaxFrameLen)
	}
	for {
		n, err := h.io.ReadBatch(rx)
		h.mu.Lock()
		for i := range rx[:n] {
			h.check(rx[i].Frame())
		}
		h.mu.Unlock()
		if err != nil {
			select {
			case <-stop:
				return
			default:
				time.Sleep(10 * time.Millisecond)
			}
		}
	}
}

// check verifies one received frame; caller holds mu.
func (h *loadHost) check(fr []byte) {
	if len(fr) < 14 {
		return
	}
	off, tagged, vid := 12, false, uint16(0)
	if binary.BigEndian.Uint16(fr[12:]) == 0x8100 && len(fr) >= 18 {
		tagged, vid, off = true, binary.BigEndian.Uint16(fr[14:])&0xfff, 16
	}
	if binary.BigEndian.Uint16(fr[off:]) != 0x88b5 {
		return // IP traffic of the TCP streams, ARP
	}
	p := fr[off+2:]
	if len(p) < 14 || binary.BigEndian.Uint32(p) != loadMagic {
		return
	}
	vlan, kind, sender, seq := binary.BigEndian.Uint16(p[4:]), p[6], p[7], binary.BigEndian.Uint32(p[8:])
	n := int(binary.BigEndian.Uint16(p[12:]))
	var dst, src engine.MAC
	copy(dst[:], fr[0:6])
	copy(src[:], fr[6:12])
	from, ok := loadHostName[sender]
	if !ok || src != (engine.MAC{0x02, 0x55, 0, 0, 0, sender}) {
		from = fmt.Sprintf("%s(sender %d)", src, sender)
	}
	if len(p) < 14+n+4 {
		h.fail("frame from %s seq %d truncated: %d bytes, payload says %d", from, seq, len(p), n)
		return
	}
	if crc32.ChecksumIEEE(p[:14+n]) != binary.BigEndian.Uint32(p[14+n:]) {
		h.fail("frame from %s seq %d corrupted (CRC)", from, seq)
		return
	}
	for i := 0; i < n; i++ {
		if p[14+i] != byte(seq*31+uint32(i)*7) {
			h.fail("frame from %s seq %d: payload byte %d wrong", from, seq, i)
			return
		}
	}
	if src == h.mac {
		h.fail("own frame came back (seq %d)", seq)
		return
	}
	if !h.carries(vlan) {
		h.fail("frame of VLAN %d from %s reached a port of VLAN %d", vlan, from, h.vlan)
		return
	}
	switch {
	case h.vlan == 0 && (!tagged || vid != vlan):
		h.fail("trunk host got a VLAN %d frame from %s tagged=%v vid=%d", vlan, from, tagged, vid)
		return
	case h.vlan != 0 && tagged:
		h.fail("access host got a tagged frame (vid %d) from %s", vid, from)
		return
	}
	if kind == kindUnicast && dst != h.mac {
		h.fail("unicast to %s from %s misdelivered here", dst, from)
		return
	}
	if kind == kindHello {
		return
	}
	k := [3]string{from, dst.String(), fmt.Sprint(vlan)}
	if last, ok := h.last[k]; ok && seq <= last {
		h.fail("from %s to %s VLAN %d: seq %d after %d (duplicate or reordered)", from, dst, vlan, seq, last)
	}
	h.last[k] = seq
	h.from[from]++
}

var loadHostName = map[byte]string{1: "a1", 2: "a2", 3: "a3", 4: "t1", 11: "b1", 12: "b2"}

// checkedTCP sends size bytes of a known pattern from cli to a server at
// srvIP in srv, which checks every byte.
func checkedTCP(srv *nstest.NS, srvIP string, cli *nstest.NS, size int64) error {
	var ln net.Listener
	if err := srv.Do(func() (err error) { ln, err = net.Listen("tcp", srvIP+":0"); return }); err != nil {
		return err
	}
	defer ln.Close()
	pattern := make([]byte, 1<<20+4093) // not a power of two: chunks land at shifting offsets
	prng := rand.New(rand.NewPCG(uint64(size), 42))
	for i := range pattern {
		pattern[i] = byte(prng.Uint32())
	}
	res := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			res <- err
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(2 * time.Minute))
		buf := make([]byte, 256<<10)
		var off int64
		for {
			n, err := c.Read(buf)
			for i := 0; i < n; {
				po := int((off + int64(i)) % int64(len(pattern)))
				m := min(n-i, len(pattern)-po)
				if !bytes.Equal(buf[i:i+m], pattern[po:po+m]) {
					res <- fmt.Errorf("payload corrupted near byte %d", off+int64(i))
					return
				}
				i += m
			}
			off += int64(n)
			if err == io.EOF {
				break
			}
			if err != nil {
				res <- fmt.Errorf("read after %d bytes: %w", off, err)
				return
			}
		}
		if off != size {
			res <- fmt.Errorf("received %d of %d bytes", off, size)
			return
		}
		res <- nil
	}()
	var c net.Conn
	err := cli.Do(func() (err error) {
		c, err = net.DialTimeout("tcp", ln.Addr().String(), 10*time.Second)
		return
	})
	if err != nil {
		return err
	}
	c.SetDeadline(time.Now().Add(2 * time.Minute))
	var sent int64
	for sent < size {
		po := int(sent % int64(len(pattern)))
		m := int(min(int64(len(pattern)-po), size-sent))
		n, err := c.Write(pattern[po : po+m])
		sent += int64(n)
		if err != nil {
			c.Close()
			return fmt.Errorf("write after %d bytes: %w", sent, err)
		}
	}
	c.Close()
	return <-res
}
