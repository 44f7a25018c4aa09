package cdp

import (
	"bytes"
	"errors"
	"net/netip"
	"runtime"
	"strings"
	"testing"
)

var devID = tlv(TLVDeviceID, []byte("peer"))

// The malformed-input checklist of anchors.md §4.4, item by item (the agent-level items,
// holdtime 0, bad checksum and flooding, are in agent_test.go).
func TestDecodeMalformed(t *testing.T) {
	good := frame(pdu(2, 180, devID))
	for _, tc := range []struct {
		name  string
		frame []byte
		err   error // nil: decodes
	}{
		// 1. short frames, payload under 4 bytes (the gopacket panic)
		{"empty", nil, ErrHeader},
		{"one byte", []byte{0}, ErrHeader},
		{"13 bytes", good[:13], ErrHeader},
		{"Ethernet header only", frameLen(nil, 0)[:14], ErrHeader},
		{"LLC cut short", frameLen(nil, 5)[:19], ErrHeader},
		{"802.3 length below LLC/SNAP", frameLen(nil, 7), ErrHeader},
		{"no CDP header", frame(nil), ErrHeader},
		{"CDP payload 1 byte", frame([]byte{2}), ErrHeader},
		{"CDP payload 3 bytes", frame([]byte{2, 180, 0}), ErrHeader},
		{"CDP header only", frame(pdu(2, 180)), nil},
		// 2. 802.3 length against the captured bytes
		{"802.3 length past the end", frameLen(pdu(2, 180, devID), 8+4+8+1), ErrHeader},
		{"802.3 length 1500, 40 bytes present", frameLen(pdu(2, 180, devID), 1500), ErrHeader},
		{"802.3 length shorter, padding follows", append(frame(pdu(2, 180, devID)), make([]byte, 30)...), nil},
		{"EtherType, not a length", append(append([]byte{}, good[:12]...), append([]byte{0x08, 0x00}, good[14:]...)...), ErrNotCDP},
		{"other SNAP PID (VTP)", append(append([]byte{}, good[:20]...), append([]byte{0x20, 0x03}, good[22:]...)...), ErrNotCDP},
		{"other OUI", append(append([]byte{}, good[:17]...), append([]byte{0x0d}, good[18:]...)...), ErrNotCDP},
		// 3. TLV lengths
		{"TLV length 0", frame(pdu(2, 180, devID, tlvLen(TLVPortID, 0, nil))), ErrMalformed},
		{"TLV length 3", frame(pdu(2, 180, devID, tlvLen(TLVPortID, 3, nil))), ErrMalformed},
		{"TLV length past the end", frame(pdu(2, 180, devID, tlvLen(TLVPortID, 10, []byte("eth")))), ErrMalformed},
		{"TLV length 0xffff", frame(pdu(2, 180, tlvLen(TLVDeviceID, 0xffff, []byte("x")))), ErrMalformed},
		{"TLV header cut short", frame(pdu(2, 180, devID, []byte{0, 3})), ErrMalformed},
		{"TLV length exactly 4", frame(pdu(2, 180, devID, tlvLen(TLVPortID, 4, nil))), nil},
		// 9. tags
		{"802.1Q tagged", tagged(good, [2]uint16{0x8100, 0x2005}), nil},
		{"QinQ", tagged(good, [2]uint16{0x88a8, 100}, [2]uint16{0x8100, 5}), nil},
		{"three tags", tagged(good, [2]uint16{0x88a8, 1}, [2]uint16{0x8100, 2}, [2]uint16{0x8100, 3}), ErrNotCDP},
		{"tag cut short", tagged(good, [2]uint16{0x8100, 5})[:16], ErrHeader},
		// 10. versions
		{"version 0", frame(pdu(0, 180, devID)), ErrVersion},
		{"version 3", frame(pdu(3, 180, devID)), ErrVersion},
		{"version 255", frame(pdu(255, 180, devID)), ErrVersion},
		{"version 1", frame(pdu(1, 180, devID)), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := DecodeFrame(tc.frame)
			if tc.err == nil {
				if err != nil {
					t.Fatalf("err %v, want success", err)
				}
				return
			}
			if !errors.Is(err, tc.err) || f != nil {
				t.Fatalf("got (%v, %v), want error %v", f, err, tc.err)
			}
		})
	}
}

func TestDecodePaddingIgnored(t *testing.T) {
	f, err := DecodeFrame(append(frame(pdu(2, 180, devID)), 0xff, 0xff, 0xff))
	if err != nil || !f.ChecksumOK || f.DeviceID != "peer" || len(f.Unknown) != 0 {
		t.Fatalf("padding leaked into the PDU: %+v, %v", f, err)
	}
}

func TestDecodeTagged(t *testing.T) {
	f, err := DecodeFrame(tagged(frame(pdu(2, 180, devID)), [2]uint16{0x8100, 0xa00a}))
	if err != nil || !f.Tagged || f.VLAN != 10 || f.DeviceID != "peer" {
		t.Fatalf("%+v %v", f, err)
	}
	// MTU-sized tagged frame: 1500-byte 802.3 payload behind a tag, 1518 bytes in all
	// (the shape of lldpd's CVE-2026-46433 over-read).
	big := pdu(2, 180, devID, tlv(0x7777, bytes.Repeat([]byte{'x'}, 1500-8-4-8-4)))
	fr := tagged(frame(big), [2]uint16{0x8100, 10})
	if len(fr) != 1518 {
		t.Fatalf("built %d bytes", len(fr))
	}
	f, err = DecodeFrame(fr)
	if err != nil || len(f.Unknown) != 1 || len(f.Unknown[0].Value) != 1500-24 {
		t.Fatalf("MTU-sized tagged frame: %v", err)
	}
}

// 4. Zero-length and huge strings decode as they are (the agent caps what it stores, the
// show code what it prints).
func TestDecodeStrings(t *testing.T) {
	huge := strings.Repeat("A", 1400)
	f, err := DecodeFrame(frame(pdu(2, 180,
		tlv(TLVDeviceID, nil), tlv(TLVPortID, []byte(huge)), tlv(TLVSoftwareVersion, []byte("v\x00\x00")),
		tlv(TLVPlatform, []byte("\x1b[2J%s%n")))))
	if err != nil {
		t.Fatal(err)
	}
	if f.DeviceID != "" || f.PortID != huge || f.SoftwareVersion != "v" || f.Platform != "\x1b[2J%s%n" {
		t.Errorf("%+v", f.Packet)
	}
}

// 6. Addresses: the count is not trusted beyond the bytes, and at most MaxAddresses are kept.
func TestDecodeAddresses(t *testing.T) {
	entries := func(n int) []byte {
		var b []byte
		for i := range n {
			b = append(b, addrEntry(10, 0, 0, byte(i))...)
		}
		return b
	}
	ipv6 := append([]byte{2, 8, 0xaa, 0xaa, 3, 0, 0, 0, 0x86, 0xdd, 0, 16}, netip.MustParseAddr("2001:db8::1").AsSlice()...)
	clns := []byte{1, 1, 0x81, 0, 3, 1, 2, 3} // an NLPID entry that is not IP
	for _, tc := range []struct {
		name  string
		value []byte
		addrs int
		other int
		bad   bool // kept raw
	}{
		{"count 0xffffffff, one entry", append(u32(0xffffffff), entries(1)...), 1, 0, false},
		{"count 1, two entries present", append(u32(1), entries(2)...), 1, 0, false},
		{"count 0", u32(0), 0, 0, false},
		{"40 entries", append(u32(40), entries(40)...), MaxAddresses, 40 - MaxAddresses, false},
		{"IPv6 and non-IP", append(append(u32(2), ipv6...), clns...), 1, 1, false},
		{"entry cut in the protocol", append(u32(1), 1, 5, 0xcc), 0, 0, true},
		{"entry cut in the address", append(u32(1), addrEntry(1, 2, 3, 4)[:7]...), 0, 0, true},
		{"address length 0xffff", append(u32(1), 1, 1, 0xcc, 0xff, 0xff, 1, 2, 3, 4), 0, 0, true},
		{"no count", []byte{0, 0}, 0, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := DecodeFrame(frame(pdu(2, 180, devID, tlv(TLVAddresses, tc.value))))
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Addresses) != tc.addrs || f.OtherAddresses != tc.other || (f.BadValueTLVs == 1) != tc.bad || f.HasAddresses == tc.bad {
				t.Errorf("addrs %v other %d bad %d", f.Addresses, f.OtherAddresses, f.BadValueTLVs)
			}
		})
	}
	// A frame claiming 2^32-1 addresses allocates according to its bytes, not its claim.
	fr := frame(pdu(2, 180, devID, tlv(TLVAddresses, append(u32(0xffffffff), entries(3)...))))
	if n := allocatedBytes(func() { DecodeFrame(fr) }); n > 4096 {
		t.Errorf("decoding a %d-byte frame allocated %d bytes", len(fr), n)
	}
}

// 7. Duplicate TLVs: the last one wins and nothing accumulates.
func TestDecodeDuplicates(t *testing.T) {
	f, err := DecodeFrame(frame(pdu(2, 180,
		tlv(TLVDeviceID, []byte("first")), tlv(TLVDeviceID, []byte("second")),
		tlv(TLVAddresses, append(u32(1), addrEntry(10, 0, 0, 1)...)),
		tlv(TLVAddresses, append(u32(1), addrEntry(10, 0, 0, 2)...)),
		tlv(TLVNativeVLAN, u16(5)), tlv(TLVNativeVLAN, u16(6)),
		tlv(TLVDuplex, []byte{1}), tlv(TLVDuplex, []byte{0}),
		tlv(TLVProtocolHello, []byte{0, 0, 0xc, 1, 0x12, 'a'}), tlv(TLVProtocolHello, []byte{0, 0, 0xc, 1, 0x12, 'b'}),
		tlv(TLVPowerRequested, append(u32(1), u32(100)...)), tlv(TLVPowerRequested, append(u32(2), u32(200)...)),
	)))
	if err != nil {
		t.Fatal(err)
	}
	if f.DeviceID != "second" || len(f.Addresses) != 1 || f.Addresses[0] != netip.MustParseAddr("10.0.0.2") ||
		f.NativeVLAN != 6 || f.Duplex != DuplexHalf || string(f.ProtocolHello.Payload) != "b" ||
		f.PowerRequested.ManagementID != 2 || len(f.PowerRequested.Milliwatts) != 1 || f.PowerRequested.Milliwatts[0] != 200 {
		t.Errorf("%+v", f.Packet)
	}
}

// 8. Power TLVs of odd sizes are kept raw, never read past their value (CVE-2020-3119 class),
// and so are other fixed-size TLVs with the wrong size.
func TestDecodeBadValueSizes(t *testing.T) {
	for _, tc := range []struct {
		typ   uint16
		value []byte
	}{
		{TLVPower, []byte{1}}, {TLVPower, []byte{1, 2, 3}},
		{TLVPowerRequested, nil}, {TLVPowerRequested, []byte{1, 2, 3}},
		{TLVPowerRequested, []byte{1, 2, 3, 4, 5}}, {TLVPowerRequested, []byte{1, 2, 3, 4, 5, 6, 7}},
		{TLVPowerAvailable, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{TLVNativeVLAN, []byte{1}}, {TLVNativeVLAN, []byte{1, 2, 3}},
		{TLVDuplex, nil}, {TLVDuplex, []byte{1, 1}},
		{TLVCapabilities, []byte{8}}, {TLVMTU, []byte{5, 0xdc}}, {TLVProtocolHello, []byte{0, 0, 0xc, 1}},
	} {
		f, err := DecodeFrame(frame(pdu(2, 180, devID, tlv(tc.typ, tc.value))))
		if err != nil {
			t.Fatalf("type 0x%x len %d: %v", tc.typ, len(tc.value), err)
		}
		if f.BadValueTLVs != 1 || len(f.Unknown) != 1 || f.Unknown[0].Type != tc.typ || !bytes.Equal(f.Unknown[0].Value, tc.value) ||
			f.PowerRequested != nil || f.PowerAvailable != nil || f.HasPower || f.HasNativeVLAN || f.Duplex != DuplexAbsent ||
			f.HasCapabilities || f.HasMTU || f.ProtocolHello != nil {
			t.Errorf("type 0x%x len %d: %+v", tc.typ, len(tc.value), f.Packet)
		}
	}
	// The largest well-formed Power Requested: every value present is decoded.
	f, err := DecodeFrame(frame(pdu(2, 180, devID, tlv(TLVPowerRequested, append(u32(0x00070001), bytes.Repeat(u32(1000), 300)...)))))
	if err != nil || len(f.PowerRequested.Milliwatts) != 300 {
		t.Fatalf("%v", err)
	}
}

// Unknown TLVs are kept raw, at most MaxUnknownTLVs of them.
func TestDecodeUnknownBounded(t *testing.T) {
	var tlvs [][]byte
	for i := range 100 {
		tlvs = append(tlvs, tlv(0x4000+uint16(i), []byte{byte(i)}))
	}
	f, err := DecodeFrame(frame(pdu(2, 180, append([][]byte{devID}, tlvs...)...)))
	if err != nil || len(f.Unknown) != MaxUnknownTLVs || f.DroppedTLVs != 100-MaxUnknownTLVs ||
		f.Unknown[5].Type != 0x4005 || f.Unknown[5].Value[0] != 5 {
		t.Fatalf("%v %d %d", err, len(f.Unknown), f.DroppedTLVs)
	}
}

// The decoded frame shares no memory with the input (the engine reuses its buffers).
func TestDecodeCopies(t *testing.T) {
	fr := frame(pdu(2, 180, devID, tlv(0x4444, []byte("raw")), tlv(TLVProtocolHello, []byte{0, 0, 0xc, 1, 0x12, 'h'})))
	f, err := DecodeFrame(fr)
	if err != nil {
		t.Fatal(err)
	}
	for i := range fr {
		fr[i] = 0
	}
	if f.DeviceID != "peer" || string(f.Unknown[0].Value) != "raw" || string(f.ProtocolHello.Payload) != "h" {
		t.Errorf("decoded values changed with the input buffer: %+v", f.Packet)
	}
}

// allocatedBytes is the heap a call allocates, averaged over a few runs.
func allocatedBytes(fn func()) uint64 {
	const runs = 20
	fn() // warm up
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		fn()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / runs
}
