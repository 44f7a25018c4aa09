package engine

import (
	"encoding/binary"
	"testing"
)

// ipv4 builds an IPv4 packet (no options unless opts) carrying payload.
func ipv4(proto uint8, src, dst [4]byte, opts, payload []byte) []byte {
	ihl := 20 + len(opts)
	b := make([]byte, ihl, ihl+len(payload))
	b[0] = 0x40 | byte(ihl/4)
	binary.BigEndian.PutUint16(b[2:], uint16(ihl+len(payload)))
	b[8], b[9] = 1, proto
	copy(b[12:], src[:])
	copy(b[16:], dst[:])
	copy(b[20:], opts)
	return append(b, payload...)
}

func igmpMsg(b ...byte) []byte {
	binary.BigEndian.PutUint16(b[2:], ^checksum(b))
	return b
}

var raOpt = []byte{0x94, 0x04, 0, 0}

func TestDecodeIPv4Mcast(t *testing.T) {
	h := [4]byte{10, 0, 0, 1}
	g := [4]byte{239, 1, 1, 1}
	v2 := igmpMsg(0x16, 0, 0, 0, 239, 1, 1, 1)
	m, ok := decodeIPv4Mcast(append(ipv4(2, h, g, raOpt, v2), 0, 0, 0, 0)) // Ethernet padding
	if !ok || m.kind != mcastReport || m.version != 2 || m.group != g || m.src != h || m.dst != g {
		t.Fatalf("v2 report %+v %v", m, ok)
	}
	bad := append([]byte(nil), v2...)
	bad[7] ^= 1
	if m, ok := decodeIPv4Mcast(ipv4(2, h, g, nil, bad)); !ok || m.kind != mcastData {
		t.Fatalf("bad checksum %+v", m)
	}
	frag := ipv4(2, h, g, nil, v2)
	frag[6] = 0x20 // MF
	if m, _ := decodeIPv4Mcast(frag); m.kind != mcastData {
		t.Fatal("fragment decoded as IGMP")
	}
	q1 := igmpMsg(0x11, 0, 0, 0, 0, 0, 0, 0)
	q3 := igmpMsg(0x11, 100, 0, 0, 0, 0, 0, 0, 2, 125, 0, 0)
	for want, q := range map[uint8][]byte{1: q1, 3: q3, 2: igmpMsg(0x11, 100, 0, 0, 0, 0, 0, 0)} {
		m, _ := decodeIPv4Mcast(ipv4(2, h, [4]byte{224, 0, 0, 1}, nil, q))
		if m.kind != mcastQuery || m.version != want {
			t.Fatalf("query v%d: %+v", want, m)
		}
	}
	if m, _ := decodeIPv4Mcast(ipv4(103, h, [4]byte{224, 0, 0, 13}, nil, []byte{0x20, 0, 0, 0})); m.kind != mcastPIMHello {
		t.Fatalf("pim %+v", m)
	}
	if m, _ := decodeIPv4Mcast(ipv4(103, h, [4]byte{224, 0, 0, 13}, nil, []byte{0x23, 0, 0, 0})); m.kind != mcastData {
		t.Fatal("a PIM assert is not a hello")
	}
	// IGMPv3: two records, the second truncated.
	v3 := igmpMsg(0x22, 0, 0, 0, 0, 0, 0, 2,
		4, 0, 0, 0, 239, 1, 1, 1,
		1, 0, 0, 2, 239, 2, 2, 2, 192, 0, 2, 1)
	m, _ = decodeIPv4Mcast(ipv4(2, h, [4]byte{224, 0, 0, 22}, raOpt, v3))
	if m.kind != mcastV3Report || m.nrec != 2 {
		t.Fatalf("v3 %+v", m)
	}
	r, rest, ok := nextRecord(m.records)
	if !ok || !r.join() || r.group != g {
		t.Fatalf("record %+v", r)
	}
	if _, _, ok := nextRecord(rest); ok {
		t.Fatal("truncated record accepted")
	}
	for _, b := range [][]byte{nil, {0x45}, make([]byte, 20), ipv4(2, h, g, nil, nil)[:19]} {
		if _, ok := decodeIPv4Mcast(b); ok {
			t.Fatalf("accepted %x", b)
		}
	}
	if !isGroup([4]byte{239, 0, 0, 1}) || isGroup([4]byte{224, 0, 0, 251}) || isGroup([4]byte{10, 0, 0, 1}) || !isGroup([4]byte{224, 0, 1, 1}) {
		t.Fatal("isGroup")
	}
}

// FuzzDecodeIGMP: the decoder never panics, never reads past the packet,
// and its records stay inside it.
func FuzzDecodeIGMP(f *testing.F) {
	h, g := [4]byte{10, 0, 0, 1}, [4]byte{239, 1, 1, 1}
	f.Add(ipv4(2, h, g, raOpt, igmpMsg(0x16, 0, 0, 0, 239, 1, 1, 1)))
	f.Add(ipv4(2, h, [4]byte{224, 0, 0, 22}, raOpt, igmpMsg(0x22, 0, 0, 0, 0, 0, 0, 1, 2, 1, 0, 1, 239, 1, 1, 1, 1, 2, 3, 4, 0, 0, 0, 0)))
	f.Add(ipv4(103, h, [4]byte{224, 0, 0, 13}, nil, []byte{0x20, 0, 0, 0}))
	f.Add([]byte{0x4f, 0, 0, 60})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, ok := decodeIPv4Mcast(b)
		if !ok {
			return
		}
		if m.kind != mcastV3Report && m.records != nil {
			t.Fatal("records outside a v3 report")
		}
		recs := m.records
		for i := 0; i < m.nrec; i++ {
			r, rest, ok := nextRecord(recs)
			if !ok {
				break
			}
			if r.join() && r.leave() {
				t.Fatalf("record both joins and leaves: %+v", r)
			}
			if len(rest) >= len(recs) {
				t.Fatal("no progress")
			}
			recs = rest
		}
	})
}

// BenchmarkForwardSnoopedMulticast: IPv4 multicast to a group with two
// members and a router port, from an access port: the forwarding decision
// and the port-set fan-out allocate nothing.
func BenchmarkForwardSnoopedMulticast(b *testing.B) {
	e := benchRig(b)
	idx := func(n string) int {
		e.mu.Lock()
		defer e.mu.Unlock()
		return e.ports[n].idx
	}
	group := [4]byte{239, 1, 1, 1}
	now := e.clock.Now()
	for _, n := range []string{"a2", "t1"} {
		m := ipv4Mcast{kind: mcastReport, version: 2, group: group}
		e.mu.Lock()
		p := e.ports[n]
		e.mu.Unlock()
		e.snoop.learn(p, 10, &m, now)
	}
	e.snoop.setStatic(10, idx("t2"), true)
	e.snoop.publish()

	frame := make([]byte, 0, 1514)
	frame = append(frame, 0x01, 0x00, 0x5e, 1, 1, 1)
	frame = append(frame, stA[:]...)
	frame = append(frame, 0x08, 0x00)
	frame = append(frame, ipv4(17, [4]byte{10, 0, 0, 10}, group, nil, make([]byte, 1480))...)
	benchForward(b, e, "a1", frame)
}

func TestSnoopedMulticastZeroAllocs(t *testing.T) {
	res := testing.Benchmark(BenchmarkForwardSnoopedMulticast)
	if a := res.AllocsPerOp(); a != 0 {
		t.Fatalf("snooped multicast allocates %d times per batch", a)
	}
}
