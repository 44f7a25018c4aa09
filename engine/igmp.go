package engine

import "encoding/binary"

// The IGMP and PIM decoder of IGMP snooping: a pure function of the bytes of
// an IPv4 packet, allocation-free (IGMPv3 group records are walked in place),
// fuzzed by FuzzDecodeIGMP.

const (
	etherTypeIPv4 = 0x0800
	ipProtoIGMP   = 2
	ipProtoPIM    = 103

	igmpQuery    = 0x11
	igmpV1Report = 0x12
	igmpV2Report = 0x16
	igmpV2Leave  = 0x17
	igmpV3Report = 0x22
)

// IGMPv3 group record types (RFC 3376 4.2.12).
const (
	igmpModeIsInclude     = 1
	igmpModeIsExclude     = 2
	igmpChangeToInclude   = 3
	igmpChangeToExclude   = 4
	igmpAllowNewSources   = 5
	igmpBlockOldSources   = 6
	igmpV3RecordHeaderLen = 8
)

// mcastKind says what snooping makes of an IPv4 multicast packet.
type mcastKind uint8

const (
	mcastData     mcastKind = iota // anything else: forwarded by group
	mcastQuery                     // IGMP membership query: its port leads to a router
	mcastReport                    // IGMPv1/v2 membership report: join Group
	mcastLeave                     // IGMPv2 leave group: leave Group
	mcastV3Report                  // IGMPv3 report: walk the records
	mcastPIMHello                  // PIMv2 hello: its port leads to a router
)

// ipv4Mcast is the decoded part of an IPv4 packet that snooping needs.
type ipv4Mcast struct {
	kind    mcastKind
	version uint8   // IGMP version of a query or report (1-3)
	src     [4]byte // IP source
	dst     [4]byte // IP destination
	group   [4]byte // group of a v1/v2 report, a leave or a query (0 = general)
	nrec    int     // IGMPv3 report: number of group records announced
	records []byte  // IGMPv3 report: the records, within the packet
}

// decodeIPv4Mcast decodes an IPv4 packet (from its first header byte; the
// slice may carry Ethernet padding). ok is false when it is not a well-formed
// IPv4 header. An IGMP message with a bad checksum or length, a fragment, or
// a PIM message other than a hello is data (kind mcastData) to snooping.
func decodeIPv4Mcast(ip []byte) (m ipv4Mcast, ok bool) {
	if len(ip) < 20 || ip[0]>>4 != 4 {
		return m, false
	}
	ihl := int(ip[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(ip[2:]))
	if ihl < 20 || total < ihl || total > len(ip) {
		return m, false
	}
	copy(m.src[:], ip[12:16])
	copy(m.dst[:], ip[16:20])
	if binary.BigEndian.Uint16(ip[6:])&0x3fff != 0 { // MF or a fragment offset
		return m, true
	}
	p := ip[ihl:total]
	switch ip[9] {
	case ipProtoIGMP:
		decodeIGMP(p, &m)
	case ipProtoPIM:
		// PIMv2 (RFC 7761 4.9): version 2, type 0 is a hello.
		if len(p) >= 4 && p[0] == 0x20 {
			m.kind = mcastPIMHello
		}
	}
	return m, true
}

// decodeIGMP fills m from an IGMP message p; m stays data when p is not a
// valid message snooping acts on.
func decodeIGMP(p []byte, m *ipv4Mcast) {
	if len(p) < 8 || checksum(p) != 0xffff {
		return
	}
	copy(m.group[:], p[4:8])
	switch p[0] {
	case igmpQuery:
		m.kind = mcastQuery
		switch {
		case len(p) >= 12:
			m.version = 3
		case p[1] == 0: // no max response time
			m.version = 1
		default:
			m.version = 2
		}
	case igmpV1Report:
		m.kind, m.version = mcastReport, 1
	case igmpV2Report:
		m.kind, m.version = mcastReport, 2
	case igmpV2Leave:
		m.kind, m.version = mcastLeave, 2
	case igmpV3Report:
		m.kind, m.version = mcastV3Report, 3
		m.group = [4]byte{}
		m.nrec = int(binary.BigEndian.Uint16(p[6:]))
		m.records = p[8:]
	}
}

// checksum is the ones' complement sum of b (0xffff when b carries a
// correct Internet checksum).
func checksum(b []byte) uint16 {
	var sum uint32
	for len(b) >= 2 {
		sum += uint32(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		sum += uint32(b[0]) << 8
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	return uint16(sum)
}

// igmpRecord is one IGMPv3 group record.
type igmpRecord struct {
	typ     uint8
	sources int // number of sources
	group   [4]byte
}

// join reports whether the record means the host wants the group's
// traffic, and leave whether it wants none of it. Snooping is by group
// (IOS's IGMPv3 "minimal" snooping): a host that wants some sources of a
// group is a member of the group.
func (r igmpRecord) join() bool {
	switch r.typ {
	case igmpModeIsExclude, igmpChangeToExclude:
		return true
	case igmpModeIsInclude, igmpChangeToInclude, igmpAllowNewSources:
		return r.sources > 0
	}
	return false
}

func (r igmpRecord) leave() bool {
	return (r.typ == igmpModeIsInclude || r.typ == igmpChangeToInclude) && r.sources == 0
}

// nextRecord returns the first record of b and the rest of b; ok is false
// when b is too short for the record it announces.
func nextRecord(b []byte) (r igmpRecord, rest []byte, ok bool) {
	if len(b) < igmpV3RecordHeaderLen {
		return r, nil, false
	}
	r.typ = b[0]
	aux := int(b[1]) * 4
	r.sources = int(binary.BigEndian.Uint16(b[2:]))
	copy(r.group[:], b[4:8])
	n := igmpV3RecordHeaderLen + r.sources*4 + aux
	if len(b) < n {
		return r, nil, false
	}
	return r, b[n:], true
}

// isGroup reports whether a is a multicast group snooping can learn:
// 224.0.0.0/4 outside the link-local 224.0.0.0/24, which is always flooded.
func isGroup(a [4]byte) bool {
	return a[0]&0xf0 == 0xe0 && !isLinkLocalGroup(a)
}

func isLinkLocalGroup(a [4]byte) bool { return a[0] == 224 && a[1] == 0 && a[2] == 0 }
