package cdp

import "encoding/binary"

// Frame-building helpers for tests that need frames our encoder would never produce.

// tlv returns one TLV with a correct length.
func tlv(typ uint16, value []byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, typ)
	b = binary.BigEndian.AppendUint16(b, uint16(4+len(value)))
	return append(b, value...)
}

// tlvLen returns one TLV claiming length n whatever its value's size.
func tlvLen(typ uint16, n uint16, value []byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, typ)
	b = binary.BigEndian.AppendUint16(b, n)
	return append(b, value...)
}

// pdu returns a CDP PDU with a correct checksum.
func pdu(version, holdtime uint8, tlvs ...[]byte) []byte {
	b := []byte{version, holdtime, 0, 0}
	for _, t := range tlvs {
		b = append(b, t...)
	}
	binary.BigEndian.PutUint16(b[2:], Checksum(b))
	return b
}

// frame wraps a PDU in Ethernet/802.3/LLC/SNAP with a correct 802.3 length.
func frame(p []byte) []byte {
	return frameLen(p, uint16(llcSNAPLen+len(p)))
}

// frameLen is frame with the 802.3 length field set to n.
func frameLen(p []byte, n uint16) []byte {
	b := append([]byte{}, MulticastMAC[:]...)
	b = append(b, 0x02, 0, 0, 0, 0, 0x99)
	b = binary.BigEndian.AppendUint16(b, n)
	b = append(b, llcSNAPCisco[:]...)
	b = binary.BigEndian.AppendUint16(b, pidCDP)
	return append(b, p...)
}

// tagged inserts VLAN tags (TPID, VID) after the MAC addresses.
func tagged(f []byte, tags ...[2]uint16) []byte {
	b := append([]byte{}, f[:12]...)
	for _, t := range tags {
		b = binary.BigEndian.AppendUint16(b, t[0])
		b = binary.BigEndian.AppendUint16(b, t[1])
	}
	return append(b, f[12:]...)
}

// addrEntry is one IPv4 entry of an address TLV.
func addrEntry(a, b, c, d byte) []byte { return []byte{1, 1, 0xcc, 0, 4, a, b, c, d} }

func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
