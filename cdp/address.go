package cdp

import (
	"encoding/binary"
	"net/netip"
)

// Address entries inside the Addresses and Management Address TLVs:
//
//	protocol type (1) | protocol length (1) | protocol (n) | address length (2) | address
//
// IPv4 is NLPID (type 1) with protocol 0xCC; IPv6 is 802.2 (type 2) with the 8-byte
// LLC/SNAP header AA AA 03 00 00 00 86 DD, which is what Cisco sends.
const (
	addrTypeNLPID = 1
	addrType8022  = 2
	nlpidIPv4     = 0xcc
)

var protoIPv6 = []byte{0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd}

// addressList is the result of decoding an address TLV value.
type addressList struct {
	addrs []netip.Addr
	other int // entries skipped: neither IPv4 nor IPv6, or past MaxAddresses
}

// decode parses value = count (u32) + entries. It walks the bytes, never trusting the count
// beyond them (CVE-2020-3120): it stops after count entries or when the bytes end, whichever
// comes first. An entry cut short makes the whole value unusable (false).
func (l *addressList) decode(v []byte) bool {
	if len(v) < 4 {
		return false
	}
	count := binary.BigEndian.Uint32(v)
	rest := v[4:]
	for n := uint32(0); n < count && len(rest) > 0; n++ {
		if len(rest) < 2 {
			return false
		}
		ptype, plen := rest[0], int(rest[1])
		if len(rest) < 2+plen+2 {
			return false
		}
		proto := rest[2 : 2+plen]
		alen := int(binary.BigEndian.Uint16(rest[2+plen:]))
		entry := 2 + plen + 2 + alen
		if len(rest) < entry {
			return false
		}
		raw := rest[2+plen+2 : entry]
		rest = rest[entry:]

		var a netip.Addr
		switch {
		case ptype == addrTypeNLPID && plen == 1 && proto[0] == nlpidIPv4 && alen == 4:
			a = netip.AddrFrom4([4]byte(raw))
		case ptype == addrType8022 && string(proto) == string(protoIPv6) && alen == 16:
			a = netip.AddrFrom16([16]byte(raw))
		}
		if !a.IsValid() || len(l.addrs) >= MaxAddresses {
			l.other++
			continue
		}
		l.addrs = append(l.addrs, a)
	}
	return true
}

// appendAddresses appends an address TLV value (count + entries) for addrs, skipping
// invalid ones. IPv4-mapped IPv6 addresses stay IPv6.
func appendAddresses(b []byte, addrs []netip.Addr) []byte {
	countAt := len(b)
	b = binary.BigEndian.AppendUint32(b, 0)
	var count uint32
	for _, a := range addrs {
		switch {
		case a.Is4():
			b = append(b, addrTypeNLPID, 1, nlpidIPv4, 0, 4)
			a4 := a.As4()
			b = append(b, a4[:]...)
		case a.Is6():
			b = append(b, addrType8022, byte(len(protoIPv6)))
			b = append(b, protoIPv6...)
			b = append(b, 0, 16)
			a16 := a.As16()
			b = append(b, a16[:]...)
		default:
			continue
		}
		count++
	}
	binary.BigEndian.PutUint32(b[countAt:], count)
	return b
}
