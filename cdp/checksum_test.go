package cdp

import (
	"encoding/binary"
	"testing"
)

// rfc1071 is the plain Internet checksum (odd byte padded at the end), for comparison.
func rfc1071(b []byte) uint16 {
	var sum uint32
	for i := 0; i < len(b); i += 2 {
		w := uint32(b[i]) << 8
		if i+1 < len(b) {
			w |= uint32(b[i+1])
		}
		sum += w
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

func TestChecksumEvenIsRFC1071(t *testing.T) {
	b := []byte{2, 180, 0, 0}
	for i := range 300 {
		b = append(b, byte(i*37+11))
		if len(b)%2 == 0 && Checksum(b) != rfc1071(b) {
			t.Fatalf("length %d: 0x%04x, RFC 1071 0x%04x", len(b), Checksum(b), rfc1071(b))
		}
	}
}

// An odd trailing byte b counts as the 16-bit word 0x00bb when b < 0x80 and 0xff00|(b-1) when
// b >= 0x80 (Cisco adds it as a signed char; Wireshark and lldpd agree). Note b == 0x80:
// scapy's contrib/cdp.py pads it as 0x0080, which tshark and this package call wrong.
func TestChecksumOddTrailingByte(t *testing.T) {
	body := []byte{2, 180, 0, 0, 0, 1, 0, 5}
	for _, tc := range []struct {
		last byte
		word uint16
	}{{0x00, 0x0000}, {0x01, 0x0001}, {0x7f, 0x007f}, {0x80, 0xff7f}, {0x81, 0xff80}, {0xff, 0xfffe}} {
		odd := append(append([]byte{}, body...), tc.last)
		even := binary.BigEndian.AppendUint16(append([]byte{}, body...), tc.word)
		if got, want := Checksum(odd), rfc1071(even); got != want {
			t.Errorf("last byte 0x%02x: 0x%04x, want 0x%04x", tc.last, got, want)
		}
	}
}

// The checksums tshark 4.0 called Good in TestInteropTsharkChecksum, pinned so that the
// corner cases stay covered where tshark is not installed.
func TestChecksumPinnedByTshark(t *testing.T) {
	want := map[string]uint16{
		"v1-even": 0x0436, "v1-even-last-ff": 0x036b, "v1-odd-last-00": 0x0310, "v1-odd-last-01": 0x030f,
		"v1-odd-last-7f": 0x0291, "v1-odd-last-80": 0x0390, "v1-odd-last-81": 0x038f,
		"v1-odd-last-fe": 0x0312, "v1-odd-last-ff": 0x0311,
		"v2-even": 0x0336, "v2-even-last-ff": 0x026b, "v2-odd-last-00": 0x0210, "v2-odd-last-01": 0x020f,
		"v2-odd-last-7f": 0x0191, "v2-odd-last-80": 0x0290, "v2-odd-last-81": 0x028f,
		"v2-odd-last-fe": 0x0212, "v2-odd-last-ff": 0x0211,
	}
	names, frames := checksumCases(t)
	if len(names) != len(want) {
		t.Fatalf("%d cases, %d pinned", len(names), len(want))
	}
	for i, name := range names {
		if got := binary.BigEndian.Uint16(frames[i][14+8+2:]); got != want[name] {
			t.Errorf("%s: checksum 0x%04x, tshark-verified 0x%04x", name, got, want[name])
		}
	}
	// lldpd's own frames (captured) and scapy's verify too.
	for _, file := range []string{"testdata/lldpd-cdpv1.pcap", "testdata/lldpd-cdpv2.pcap", "testdata/cisco-like.pcap"} {
		for _, fr := range readPcap(t, file) {
			if f, err := DecodeFrame(fr); err != nil || !f.ChecksumOK {
				t.Errorf("%s: %v", file, err)
			}
		}
	}
}
