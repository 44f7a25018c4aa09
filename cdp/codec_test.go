package cdp

import (
	"bytes"
	"encoding/hex"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

func mac(s string) [6]byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, ":", ""))
	if err != nil || len(b) != 6 {
		panic("bad MAC " + s)
	}
	return [6]byte(b)
}

// lldpd 1.0.16 frames captured by testdata/capture-lldpd.sh, decoded field by field.
func TestDecodeLldpdCaptures(t *testing.T) {
	for _, tc := range []struct {
		file     string
		version  uint8
		checksum uint16
	}{
		{"testdata/lldpd-cdpv1.pcap", 1, 0x23fb},
		{"testdata/lldpd-cdpv2.pcap", 2, 0x22fb},
	} {
		t.Run(tc.file, func(t *testing.T) {
			frames := readPcap(t, tc.file)
			if len(frames) != 1 {
				t.Fatalf("%d frames, want 1", len(frames))
			}
			f, err := DecodeFrame(frames[0])
			if err != nil {
				t.Fatal(err)
			}
			want := &Frame{
				Dst:        MulticastMAC,
				Src:        mac("02:98:00:00:00:01"),
				ChecksumOK: true,
				Packet: Packet{
					Version:         tc.version,
					Holdtime:        4, // lldpd: tx-interval 1 s x hold 4
					Checksum:        tc.checksum,
					DeviceID:        "lldpd-peer",
					Addresses:       []netip.Addr{netip.MustParseAddr("10.99.0.1")},
					HasAddresses:    true,
					PortID:          "eth0",
					Capabilities:    CapHost,
					HasCapabilities: true,
					SoftwareVersion: f.SoftwareVersion, // the capturing host's uname, checked below
					Platform:        "lldpd-test",
				},
			}
			if !reflect.DeepEqual(f, want) {
				t.Errorf("decoded\n%+v\nwant\n%+v", f, want)
			}
			if !strings.HasPrefix(f.SoftwareVersion, "Debian GNU/Linux") || !strings.Contains(f.SoftwareVersion, " Linux ") {
				t.Errorf("software version %q", f.SoftwareVersion)
			}
		})
	}
}

// ciscoLike is testdata/cisco-like.pcap (built by gen-cisco-like.py with scapy) decoded.
func ciscoLike() Packet {
	return Packet{
		Version:  2,
		Holdtime: 180,
		Checksum: 0x49e4, // tshark: Good
		DeviceID: "SW-CORE-1.example.net",
		Addresses: []netip.Addr{netip.MustParseAddr("192.0.2.10"),
			netip.MustParseAddr("2001:db8::10")},
		HasAddresses:    true,
		PortID:          "GigabitEthernet1/0/24",
		Capabilities:    CapRouter | CapSwitch | CapIGMP,
		HasCapabilities: true,
		SoftwareVersion: "Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M), Version 15.0(2)SE11, " +
			"RELEASE SOFTWARE (fc3)\nTechnical Support: http://www.cisco.com/techsupport\n" +
			"Copyright (c) 1986-2017 by Cisco Systems, Inc.\nCompiled Sat 19-Aug-17 09:34 by prod_rel_team",
		Platform: "cisco WS-C3750X-48P",
		ProtocolHello: &ProtocolHello{OUI: 0x00000c, ProtocolID: 0x0112, Payload: mustHex(
			"c000020a" + "00000000" + "010221ff" + "000000000000" + "001bd4aabb00" + "00" + "0001")},
		VTPDomain:       "CORP",
		HasVTPDomain:    true,
		NativeVLAN:      10,
		HasNativeVLAN:   true,
		Duplex:          DuplexFull,
		PowerMilliwatts: 15400,
		HasPower:        true,
		MTU:             1500,
		HasMTU:          true,
		SystemName:      "SW-CORE-1",
		MgmtAddresses:   []netip.Addr{netip.MustParseAddr("192.0.2.10")},
		HasMgmtAddrs:    true,
		PowerRequested:  &PowerNegotiation{RequestID: 7, ManagementID: 1, Milliwatts: []uint32{15400, 12950, 6300}},
		PowerAvailable:  &PowerNegotiation{RequestID: 7, ManagementID: 1, Milliwatts: []uint32{15400, 0xffffffff}},
		Unknown: []RawTLV{
			{Type: 0x000e, Value: mustHex("01006e")}, // VoIP VLAN reply, VLAN 110
			{Type: 0x0012, Value: []byte{0}},         // trust bitmap
			{Type: 0x0013, Value: []byte{0}},         // untrusted port CoS
			{Type: 0x1234, Value: []byte("vendor\x01")},
		},
	}
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestDecodeCiscoLike(t *testing.T) {
	frames := readPcap(t, "testdata/cisco-like.pcap")
	if len(frames) != 2 {
		t.Fatalf("%d frames, want 2 (untagged, tagged)", len(frames))
	}
	for i, tagged := range []bool{false, true} {
		f, err := DecodeFrame(frames[i])
		if err != nil {
			t.Fatal(err)
		}
		want := &Frame{Dst: MulticastMAC, Src: mac("00:1b:d4:aa:bb:18"), ChecksumOK: true, Packet: ciscoLike()}
		if tagged {
			want.Tagged, want.VLAN = true, 10
		}
		if !reflect.DeepEqual(f, want) {
			t.Errorf("tagged=%v: decoded\n%+v\nwant\n%+v", tagged, f, want)
		}
	}
}

// decode(encode(p)) == p, and our frames verify with our own checksum.
func TestRoundTrip(t *testing.T) {
	for _, p := range []Packet{ciscoLike(), {Version: 1, Holdtime: 0, DeviceID: "x"}} {
		b, err := EncodePDU(&p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodePDU(b)
		if err != nil {
			t.Fatal(err)
		}
		if !checksumOK(b) {
			t.Errorf("our PDU fails its own checksum")
		}
		want := p
		want.Checksum = got.Checksum
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("round trip\n%+v\nwant\n%+v", *got, want)
		}
		frame, err := EncodeFrame(mac("02:00:00:00:00:01"), &p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := DecodeFrame(frame)
		if err != nil || !f.ChecksumOK || !reflect.DeepEqual(f.Packet, *got) {
			t.Errorf("frame round trip: err=%v checksumOK=%v", err, f != nil && f.ChecksumOK)
		}
	}
}

// Our encoder writes every TLV of the Cisco-like frame exactly as scapy (an independent
// implementation) did, and our checksum equals scapy's. The encoder puts raw TLVs last, so
// the PDU is assembled TLV by TLV in scapy's order.
func TestEncodeMatchesScapy(t *testing.T) {
	frames := readPcap(t, "testdata/cisco-like.pcap")
	f, err := DecodeFrame(frames[0])
	if err != nil {
		t.Fatal(err)
	}
	// Build the PDU TLV by TLV in the wire order using single-field packets.
	p := ciscoLike()
	var tlvs []byte
	appendOne := func(q Packet) {
		q.Version = 2
		b, err := EncodePDU(&q)
		if err != nil {
			t.Fatal(err)
		}
		tlvs = append(tlvs, b[4:]...)
	}
	appendOne(Packet{DeviceID: p.DeviceID})
	appendOne(Packet{Addresses: p.Addresses})
	appendOne(Packet{PortID: p.PortID})
	appendOne(Packet{Capabilities: p.Capabilities, HasCapabilities: true})
	appendOne(Packet{SoftwareVersion: p.SoftwareVersion})
	appendOne(Packet{Platform: p.Platform})
	appendOne(Packet{ProtocolHello: p.ProtocolHello})
	appendOne(Packet{VTPDomain: p.VTPDomain})
	appendOne(Packet{NativeVLAN: p.NativeVLAN, HasNativeVLAN: true})
	appendOne(Packet{Duplex: p.Duplex})
	appendOne(Packet{Unknown: p.Unknown[:1]})
	appendOne(Packet{PowerMilliwatts: p.PowerMilliwatts, HasPower: true})
	appendOne(Packet{MTU: p.MTU, HasMTU: true})
	appendOne(Packet{Unknown: p.Unknown[1:3]})
	appendOne(Packet{SystemName: p.SystemName})
	appendOne(Packet{MgmtAddresses: p.MgmtAddresses})
	appendOne(Packet{PowerRequested: p.PowerRequested})
	appendOne(Packet{PowerAvailable: p.PowerAvailable})
	appendOne(Packet{Unknown: p.Unknown[3:]})
	wire := frames[0][14+8:]
	if !bytes.Equal(tlvs, wire[4:]) {
		t.Fatalf("TLVs differ from scapy's:\n got %x\nwant %x", tlvs, wire[4:])
	}
	pdu := append([]byte{2, 180, 0, 0}, tlvs...)
	if c := Checksum(pdu); c != f.Checksum {
		t.Errorf("checksum 0x%04x, scapy wrote 0x%04x", c, f.Checksum)
	}
}
