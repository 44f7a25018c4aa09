package engine

import "encoding/binary"

// Ethernet and 802.1Q constants.
const (
	etherTypeVLAN = 0x8100
	ethHdrLen     = 14
	vlanTagLen    = 4
	addrsLen      = 12 // destination + source
)

// cdpDest is the multicast address of CDP, VTP, DTP and friends.
var cdpDest = MAC{0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc}

// isCDP reports whether a frame addressed to cdpDest carries SNAP PID 0x2000
// after the length field at off (off is 12 untagged, 16 tagged).
func isCDP(fr []byte, off int) bool {
	if len(fr) < off+10 {
		return false
	}
	if binary.BigEndian.Uint16(fr[off:]) >= 0x0600 { // an EtherType, not 802.3 length
		return false
	}
	s := fr[off+2:]
	return s[0] == 0xaa && s[1] == 0xaa && s[2] == 0x03 &&
		s[3] == 0x00 && s[4] == 0x00 && s[5] == 0x0c &&
		s[6] == 0x20 && s[7] == 0x00
}

// SVIMAC is the base address of VLAN interfaces: 02:00:4c:69:53:41, a locally
// administered address ending in "LiSA". The VLAN id is XORed into the last two
// bytes, as the original kernel engine did.
var SVIMAC = MAC{0x02, 0x00, 0x4c, 0x69, 0x53, 0x41}

// SVIMACFor returns the MAC of VLAN interface vlanN.
func SVIMACFor(vlan uint16) MAC {
	m := SVIMAC
	m[4] ^= byte(vlan >> 8)
	m[5] ^= byte(vlan)
	return m
}
