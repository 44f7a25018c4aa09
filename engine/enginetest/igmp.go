package enginetest

import (
	"encoding/binary"
	"net/netip"

	"github.com/lisa-go/lisa/engine"
)

// IPv4 multicast frames for IGMP snooping tests.

// GroupMAC is the Ethernet address of IPv4 group g (01:00:5e + low 23 bits).
func GroupMAC(g netip.Addr) engine.MAC {
	a := g.As4()
	return engine.MAC{0x01, 0x00, 0x5e, a[1] & 0x7f, a[2], a[3]}
}

// IPv4 builds an IPv4 frame from src/srcIP to dst (its group MAC when dst
// is multicast) with protocol proto and payload; routerAlert adds the IP
// Router Alert option IGMP carries. vlan > 0 tags the frame.
func IPv4(src engine.MAC, srcIP, dst netip.Addr, proto uint8, payload []byte, routerAlert bool, vlan uint16) []byte {
	ihl := 20
	if routerAlert {
		ihl = 24
	}
	ip := make([]byte, ihl, ihl+len(payload))
	ip[0] = 0x40 | byte(ihl/4)
	binary.BigEndian.PutUint16(ip[2:], uint16(ihl+len(payload)))
	ip[8] = 1 // TTL
	ip[9] = proto
	s, d := srcIP.As4(), dst.As4()
	copy(ip[12:], s[:])
	copy(ip[16:], d[:])
	if routerAlert {
		copy(ip[20:], []byte{0x94, 0x04, 0, 0})
	}
	binary.BigEndian.PutUint16(ip[10:], ^sum(ip))
	ip = append(ip, payload...)
	if len(ip) < 46 {
		ip = append(ip, make([]byte, 46-len(ip))...) // Ethernet padding
	}
	dmac := engine.Broadcast
	if dst.IsMulticast() {
		dmac = GroupMAC(dst)
	}
	return Frame{Dst: dmac, Src: src, Tagged: vlan > 0, VLAN: vlan, Payload: ip}.Bytes()
}

// IGMP builds an IGMP message (type, max response code, group, extra bytes
// after the 8-byte header) with its checksum.
func IGMP(typ, maxResp uint8, group netip.Addr, extra []byte) []byte {
	g := group.As4()
	m := append([]byte{typ, maxResp, 0, 0, g[0], g[1], g[2], g[3]}, extra...)
	binary.BigEndian.PutUint16(m[2:], ^sum(m))
	return m
}

// V3Record is an IGMPv3 group record.
type V3Record struct {
	Type    uint8 // 1 IS_IN, 2 IS_EX, 3 TO_IN, 4 TO_EX, 5 ALLOW, 6 BLOCK
	Group   netip.Addr
	Sources []netip.Addr
}

// IGMPv3Report builds an IGMPv3 membership report message.
func IGMPv3Report(recs ...V3Record) []byte {
	var extra []byte
	for _, r := range recs {
		g := r.Group.As4()
		extra = append(extra, r.Type, 0)
		extra = binary.BigEndian.AppendUint16(extra, uint16(len(r.Sources)))
		extra = append(extra, g[:]...)
		for _, s := range r.Sources {
			a := s.As4()
			extra = append(extra, a[:]...)
		}
	}
	// Type 0x22, reserved, checksum, reserved, number of records.
	m := []byte{0x22, 0, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint16(m[6:], uint16(len(recs)))
	m = append(m, extra...)
	binary.BigEndian.PutUint16(m[2:], ^sum(m))
	return m
}

var (
	allHosts   = netip.MustParseAddr("224.0.0.1")
	allRouters = netip.MustParseAddr("224.0.0.2")
	v3Reports  = netip.MustParseAddr("224.0.0.22")
	pimRouters = netip.MustParseAddr("224.0.0.13")
)

// IGMPv2Report is host src/srcIP joining group (IGMPv2, sent to the group).
func IGMPv2Report(src engine.MAC, srcIP, group netip.Addr, vlan uint16) []byte {
	return IPv4(src, srcIP, group, 2, IGMP(0x16, 0, group, nil), true, vlan)
}

// IGMPv1Report is host src/srcIP joining group with IGMPv1.
func IGMPv1Report(src engine.MAC, srcIP, group netip.Addr, vlan uint16) []byte {
	return IPv4(src, srcIP, group, 2, IGMP(0x12, 0, group, nil), false, vlan)
}

// IGMPv2Leave is host src/srcIP leaving group (sent to 224.0.0.2).
func IGMPv2Leave(src engine.MAC, srcIP, group netip.Addr, vlan uint16) []byte {
	return IPv4(src, srcIP, allRouters, 2, IGMP(0x17, 0, group, nil), true, vlan)
}

// IGMPv3ReportFrame is an IGMPv3 report from src/srcIP (sent to 224.0.0.22).
func IGMPv3ReportFrame(src engine.MAC, srcIP netip.Addr, vlan uint16, recs ...V3Record) []byte {
	return IPv4(src, srcIP, v3Reports, 2, IGMPv3Report(recs...), true, vlan)
}

// IGMPQuery is a general IGMPv2 query from a router src/srcIP (to 224.0.0.1).
func IGMPQuery(src engine.MAC, srcIP netip.Addr, vlan uint16) []byte {
	return IPv4(src, srcIP, allHosts, 2, IGMP(0x11, 100, netip.IPv4Unspecified(), nil), true, vlan)
}

// PIMHello is a PIMv2 hello from a router src/srcIP (to 224.0.0.13).
func PIMHello(src engine.MAC, srcIP netip.Addr, vlan uint16) []byte {
	hello := []byte{0x20, 0, 0, 0, 0, 1, 0, 2, 0, 105} // holdtime option 105 s
	binary.BigEndian.PutUint16(hello[2:], ^sum(hello))
	return IPv4(src, srcIP, pimRouters, 103, hello, false, vlan)
}

// McastData is a UDP datagram from src/srcIP to group.
func McastData(src engine.MAC, srcIP, group netip.Addr, vlan uint16) []byte {
	udp := []byte{0x30, 0x39, 0x30, 0x39, 0, 12, 0, 0, 'd', 'a', 't', 'a'}
	return IPv4(src, srcIP, group, 17, udp, false, vlan)
}

func sum(b []byte) uint16 {
	var s uint32
	for len(b) >= 2 {
		s += uint32(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}
