package engine

import (
	"errors"
	"fmt"
	"strings"
)

// MAC is a 48-bit Ethernet address.
type MAC [6]byte

// Broadcast is ff:ff:ff:ff:ff:ff.
var Broadcast = MAC{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// String renders the address the way IOS does: xxxx.xxxx.xxxx.
func (m MAC) String() string {
	const hex = "0123456789abcdef"
	var b [14]byte
	j := 0
	for i, c := range m {
		if i == 2 || i == 4 {
			b[j] = '.'
			j++
		}
		b[j] = hex[c>>4]
		b[j+1] = hex[c&0xf]
		j += 2
	}
	return string(b[:])
}

// Colon renders the address in Linux form: 00:11:22:33:44:55.
func (m MAC) Colon() string {
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5])
}

// IsMulticast reports whether the group bit is set (broadcast included).
func (m MAC) IsMulticast() bool { return m[0]&1 == 1 }

// IsBroadcast reports whether m is ff:ff:ff:ff:ff:ff.
func (m MAC) IsBroadcast() bool { return m == Broadcast }

// IsZero reports whether m is 00:00:00:00:00:00.
func (m MAC) IsZero() bool { return m == MAC{} }

// IsReserved reports whether m is one of the IEEE 802.1D reserved group
// addresses 01:80:c2:00:00:00 to 01:80:c2:00:00:0f, which a bridge never
// forwards.
func (m MAC) IsReserved() bool {
	return m[0] == 0x01 && m[1] == 0x80 && m[2] == 0xc2 && m[3] == 0 && m[4] == 0 && m[5] <= 0x0f
}

// uint64 packs the address into the low 48 bits.
func (m MAC) uint64() uint64 {
	return uint64(m[0])<<40 | uint64(m[1])<<32 | uint64(m[2])<<24 |
		uint64(m[3])<<16 | uint64(m[4])<<8 | uint64(m[5])
}

func macFromUint64(v uint64) MAC {
	return MAC{byte(v >> 40), byte(v >> 32), byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}

var errBadMAC = errors.New("invalid MAC address")

// ParseMAC accepts the Cisco form H.H.H (three groups of 1-4 hex digits,
// e.g. 0011.2233.4455 or 1.2.3) and the colon or dash forms with six groups
// of 1-2 hex digits (00:11:22:33:44:55, 00-11-22-33-44-55).
func ParseMAC(s string) (MAC, error) {
	var m MAC
	switch {
	case strings.Count(s, ".") == 2 && !strings.ContainsAny(s, ":-"):
		groups := strings.Split(s, ".")
		for i, g := range groups {
			v, ok := parseHex(g, 4)
			if !ok {
				return MAC{}, fmt.Errorf("%w %q", errBadMAC, s)
			}
			m[2*i] = byte(v >> 8)
			m[2*i+1] = byte(v)
		}
		return m, nil
	case strings.Count(s, ":") == 5 && !strings.ContainsAny(s, ".-"),
		strings.Count(s, "-") == 5 && !strings.ContainsAny(s, ".:"):
		sep := ":"
		if strings.Contains(s, "-") {
			sep = "-"
		}
		for i, g := range strings.Split(s, sep) {
			v, ok := parseHex(g, 2)
			if !ok {
				return MAC{}, fmt.Errorf("%w %q", errBadMAC, s)
			}
			m[i] = byte(v)
		}
		return m, nil
	}
	return MAC{}, fmt.Errorf("%w %q", errBadMAC, s)
}

// parseHex parses 1..maxDigits hex digits.
func parseHex(s string, maxDigits int) (uint16, bool) {
	if len(s) == 0 || len(s) > maxDigits {
		return 0, false
	}
	var v uint16
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		v = v<<4 | uint16(d)
	}
	return v, true
}
