package cdp

import (
	"errors"
	"math"
	"reflect"
	"runtime"
	"testing"
)

// FuzzDecode feeds DecodeFrame arbitrary bytes. Properties:
//   - it never panics and returns exactly one of a frame or an error of a known kind;
//   - it allocates according to the bytes present, never to a length or count in them;
//   - what it decodes re-encodes, and decodes again to the same packet.
func FuzzDecode(f *testing.F) {
	for _, file := range []string{"testdata/lldpd-cdpv1.pcap", "testdata/lldpd-cdpv2.pcap", "testdata/cisco-like.pcap"} {
		for _, fr := range readPcap(f, file) {
			f.Add(fr)
		}
	}
	f.Add(frame(pdu(2, 180, devID, tlv(TLVAddresses, append(u32(0xffffffff), addrEntry(10, 0, 0, 1)...)))))
	f.Add(frame(pdu(1, 0, devID, tlv(TLVPowerRequested, []byte{0, 1, 0, 2, 0, 0, 3}))))
	f.Add(tagged(frame(pdu(2, 180, devID)), [2]uint16{0x8100, 10}))
	f.Add([]byte{0})

	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := DecodeFrame(data)
		if (fr == nil) == (err == nil) {
			t.Fatalf("frame %v and error %v", fr, err)
		}
		if err != nil {
			if !errors.Is(err, ErrNotCDP) && !errors.Is(err, ErrHeader) && !errors.Is(err, ErrVersion) && !errors.Is(err, ErrMalformed) {
				t.Fatalf("error of no known kind: %v", err)
			}
		}
		if limit := uint64(32*len(data) + 16<<10); decodeAlloc(data) > limit {
			t.Fatalf("decoding %d bytes allocated more than %d bytes", len(data), limit)
		}
		if err != nil {
			return
		}
		if len(fr.Addresses) > MaxAddresses || len(fr.MgmtAddresses) > MaxAddresses || len(fr.Unknown) > MaxUnknownTLVs {
			t.Fatalf("bounds exceeded: %d %d %d", len(fr.Addresses), len(fr.MgmtAddresses), len(fr.Unknown))
		}
		b, err := EncodePDU(&fr.Packet)
		if err != nil {
			t.Fatalf("re-encoding a decoded packet: %v", err)
		}
		again, err := DecodePDU(b)
		if err != nil {
			t.Fatalf("decoding our re-encoding: %v", err)
		}
		want := fr.Packet
		for _, p := range []*Packet{&want, again} {
			p.Checksum, p.OtherAddresses, p.DroppedTLVs, p.BadValueTLVs = 0, 0, 0, 0
		}
		if !reflect.DeepEqual(*again, want) {
			t.Fatalf("round trip changed the packet:\n%+v\n%+v", *again, want)
		}
	})
}

// decodeAlloc is the fewest bytes one DecodeFrame(data) allocated over five runs. TotalAlloc
// counts every goroutine of the process (the fuzzing worker's own plumbing included), so one
// run can be inflated by allocations that are not the decoder's; the decoder's own share is
// the same every run, so the minimum is its honest figure.
func decodeAlloc(data []byte) uint64 {
	least := uint64(math.MaxUint64)
	for range 5 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		DecodeFrame(data)
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	return least
}

// FuzzReceiveShow feeds the agent arbitrary frames and renders every show command: the agent
// never panics, its table stays bounded, and no byte from the wire reaches the output as a
// control character.
func FuzzReceiveShow(f *testing.F) {
	for _, file := range []string{"testdata/lldpd-cdpv2.pcap", "testdata/cisco-like.pcap"} {
		for _, fr := range readPcap(f, file) {
			f.Add(fr)
		}
	}
	f.Add(frame(pdu(2, 180, tlv(TLVDeviceID, []byte("\x1b[2J\x9b%n")), tlv(TLVSoftwareVersion, []byte("a\r\n\x07b")))))
	f.Fuzz(func(t *testing.T, data []byte) {
		a := NewAgent(Options{Clock: newFakeClock(), MaxNeighborsPerPort: 4, MaxNeighbors: 8})
		a.AddPort("eth0", mac1)
		a.SetPortUp("eth0", true)
		a.Receive("eth0", data)
		a.Receive("eth0", data)
		s := a.Snapshot()
		if len(s.Neighbors) > 1 {
			t.Fatalf("one frame made %d neighbours", len(s.Neighbors))
		}
		for _, out := range []string{ShowNeighbors(s, "", false), ShowNeighbors(s, "", true),
			ShowEntry(s, "*", EntryVersion), ShowEntry(s, "*", EntryProtocol), ShowTraffic(s)} {
			for i := 0; i < len(out); i++ {
				if c := out[i]; (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
					t.Fatalf("byte 0x%02x in show output:\n%q", c, out)
				}
			}
		}
		if c := a.Counters(); c.Input() != 0 && c.Input() != 2 {
			t.Fatalf("two frames counted as %d inputs: %+v", c.Input(), c)
		}
	})
}
