package cdp

// Checksum returns the CDP checksum of pdu (header and TLVs, with the checksum field as it
// is). A PDU whose checksum field holds Checksum(pdu-with-zero-field) gives 0 here, which is
// how Verify checks it.
//
// It is the Internet checksum (RFC 1071) except for an odd trailing byte b. Cisco's code puts b
// in the low-order byte of the last 16-bit word instead of the high-order one, and adds it as a
// signed char, which after folding leaves the sum one lower than a sign extension would. So the
// last word is 0x00bb when b < 0x80 and 0xff00|(b-1) when b >= 0x80. Wireshark, lldpd and real
// Catalysts agree on this; plain RFC 1071 code gets every odd-length frame wrong.
func Checksum(pdu []byte) uint16 {
	var sum uint32
	n := len(pdu)
	for i := 0; i+1 < n; i += 2 {
		sum += uint32(pdu[i])<<8 | uint32(pdu[i+1])
	}
	if n%2 == 1 {
		b := uint32(pdu[n-1])
		if b&0x80 != 0 {
			sum += 0xff00 | (b - 1)
		} else {
			sum += b
		}
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

// checksumOK reports whether pdu carries a correct checksum.
func checksumOK(pdu []byte) bool { return Checksum(pdu) == 0 }
