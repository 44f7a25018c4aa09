package cdp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// Decoding limits. The decoder never allocates according to a length or count claimed in the
// frame, only according to the bytes present, and keeps at most this many of the repeatable
// things a hostile frame could multiply.
const (
	MaxAddresses   = 16 // addresses kept per Addresses or Management Address TLV
	MaxUnknownTLVs = 32 // raw TLVs kept per PDU; the rest are counted in DroppedTLVs
)

// Decoding errors; the returned errors wrap one of these, so use errors.Is.
var (
	// ErrNotCDP: a well-formed frame of something else (an EtherType, another LLC/SNAP
	// protocol such as VTP or DTP). Not an error of the sender; the agent ignores it.
	ErrNotCDP = errors.New("not a CDP frame")
	// ErrHeader: the Ethernet, 802.3, LLC/SNAP or CDP header is truncated or inconsistent
	// (IOS counts this as "Hdr syntax").
	ErrHeader = errors.New("bad CDP header")
	// ErrVersion: the CDP version is neither 1 nor 2.
	ErrVersion = errors.New("unsupported CDP version")
	// ErrMalformed: the TLV sequence does not parse (a TLV header cut short, a TLV length
	// below 4 or past the end of the PDU).
	ErrMalformed = errors.New("malformed CDP TLVs")
)

const (
	etherTypeVLAN  = 0x8100 // 802.1Q
	etherTypeQinQ  = 0x88a8 // 802.1ad
	maxTags        = 2
	max8023Length  = 1500 // 802.3 length field values above this are EtherTypes
	llcSNAPLen     = 8    // AA AA 03 + OUI + PID
	cdpHeaderLen   = 4    // version, holdtime, checksum
	tlvHeaderLen   = 4    // type, length (the length counts the header)
	pidCDP         = 0x2000
	ethHeaderLen   = 14
	minFrameLen    = 60 // Ethernet minimum without FCS; shorter frames are padded
	maxTLVValueLen = 0xffff - tlvHeaderLen
)

var llcSNAPCisco = [6]byte{0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c}

// DecodeFrame decodes an Ethernet frame carrying CDP: 802.3 length, LLC/SNAP (OUI 00000C,
// PID 0x2000), optionally behind one or two VLAN tags. Bytes past the 802.3 length are
// padding and ignored. A bad checksum is not an error: Frame.ChecksumOK says so and the
// caller decides (lldpd and this package's agent accept the frame). The returned Frame
// shares no memory with b.
func DecodeFrame(b []byte) (*Frame, error) {
	if len(b) < ethHeaderLen {
		return nil, fmt.Errorf("%w: %d-byte frame is shorter than an Ethernet header", ErrHeader, len(b))
	}
	f := &Frame{}
	copy(f.Dst[:], b[0:6])
	copy(f.Src[:], b[6:12])
	off := 12
	typ := binary.BigEndian.Uint16(b[off:])
	for tags := 0; typ == etherTypeVLAN || typ == etherTypeQinQ; tags++ {
		if tags == maxTags {
			return nil, fmt.Errorf("%w: more than %d VLAN tags", ErrNotCDP, maxTags)
		}
		if len(b) < off+2+4 {
			return nil, fmt.Errorf("%w: VLAN tag cut short", ErrHeader)
		}
		if !f.Tagged {
			f.Tagged = true
			f.VLAN = binary.BigEndian.Uint16(b[off+2:]) & 0x0fff
		}
		off += 4
		typ = binary.BigEndian.Uint16(b[off:])
	}
	if typ > max8023Length {
		return nil, fmt.Errorf("%w: EtherType 0x%04x", ErrNotCDP, typ)
	}
	payload := b[off+2:]
	if int(typ) > len(payload) {
		return nil, fmt.Errorf("%w: 802.3 length %d but %d bytes present", ErrHeader, typ, len(payload))
	}
	payload = payload[:typ] // the rest is padding
	if len(payload) < llcSNAPLen {
		return nil, fmt.Errorf("%w: 802.3 length %d leaves no room for LLC/SNAP", ErrHeader, typ)
	}
	if !bytes.Equal(payload[:6], llcSNAPCisco[:]) || binary.BigEndian.Uint16(payload[6:]) != pidCDP {
		return nil, fmt.Errorf("%w: LLC/SNAP % x", ErrNotCDP, payload[:llcSNAPLen])
	}
	pdu := payload[llcSNAPLen:]
	p, err := DecodePDU(pdu)
	if err != nil {
		return nil, err
	}
	f.Packet = *p
	f.ChecksumOK = checksumOK(pdu)
	return f, nil
}

// DecodePDU decodes a CDP PDU (the 4-byte header and the TLVs, no Ethernet envelope).
// It does not check the checksum (see Checksum).
func DecodePDU(pdu []byte) (*Packet, error) {
	if len(pdu) < cdpHeaderLen {
		return nil, fmt.Errorf("%w: %d-byte PDU is shorter than the CDP header", ErrHeader, len(pdu))
	}
	p := &Packet{Version: pdu[0], Holdtime: pdu[1], Checksum: binary.BigEndian.Uint16(pdu[2:])}
	if p.Version != 1 && p.Version != 2 {
		return nil, fmt.Errorf("%w: %d", ErrVersion, p.Version)
	}
	rest := pdu[cdpHeaderLen:]
	for off := cdpHeaderLen; len(rest) > 0; {
		if len(rest) < tlvHeaderLen {
			return nil, fmt.Errorf("%w: %d stray bytes at offset %d", ErrMalformed, len(rest), off)
		}
		typ := binary.BigEndian.Uint16(rest)
		n := int(binary.BigEndian.Uint16(rest[2:]))
		if n < tlvHeaderLen || n > len(rest) {
			return nil, fmt.Errorf("%w: TLV 0x%04x at offset %d has length %d, %d bytes left",
				ErrMalformed, typ, off, n, len(rest))
		}
		p.decodeTLV(typ, rest[tlvHeaderLen:n])
		rest = rest[n:]
		off += n
	}
	return p, nil
}

// decodeTLV stores one TLV value in p. A known type whose value does not fit is kept raw.
func (p *Packet) decodeTLV(typ uint16, v []byte) {
	ok := true
	switch typ {
	case TLVDeviceID:
		p.DeviceID = wireString(v)
	case TLVPortID:
		p.PortID = wireString(v)
	case TLVSoftwareVersion:
		p.SoftwareVersion = wireString(v)
	case TLVPlatform:
		p.Platform = wireString(v)
	case TLVSystemName:
		p.SystemName = wireString(v)
	case TLVVTPDomain:
		p.VTPDomain, p.HasVTPDomain = wireString(v), true
	case TLVAddresses:
		var addrs addressList
		if ok = addrs.decode(v); ok {
			p.Addresses, p.HasAddresses = addrs.addrs, true
			p.OtherAddresses += addrs.other
		}
	case TLVManagementAddrs:
		var addrs addressList
		if ok = addrs.decode(v); ok {
			p.MgmtAddresses, p.HasMgmtAddrs = addrs.addrs, true
			p.OtherAddresses += addrs.other
		}
	case TLVCapabilities:
		if ok = len(v) == 4; ok {
			p.Capabilities, p.HasCapabilities = Capabilities(binary.BigEndian.Uint32(v)), true
		}
	case TLVProtocolHello:
		if ok = len(v) >= 5; ok {
			p.ProtocolHello = &ProtocolHello{
				OUI:        uint32(v[0])<<16 | uint32(v[1])<<8 | uint32(v[2]),
				ProtocolID: binary.BigEndian.Uint16(v[3:]),
				Payload:    bytes.Clone(v[5:]),
			}
		}
	case TLVNativeVLAN:
		if ok = len(v) == 2; ok {
			p.NativeVLAN, p.HasNativeVLAN = binary.BigEndian.Uint16(v), true
		}
	case TLVDuplex:
		if ok = len(v) == 1; ok {
			p.Duplex = DuplexHalf
			if v[0] != 0 {
				p.Duplex = DuplexFull
			}
		}
	case TLVPower:
		if ok = len(v) == 2; ok {
			p.PowerMilliwatts, p.HasPower = binary.BigEndian.Uint16(v), true
		}
	case TLVMTU:
		if ok = len(v) == 4; ok {
			p.MTU, p.HasMTU = binary.BigEndian.Uint32(v), true
		}
	case TLVPowerRequested:
		var pn *PowerNegotiation
		if pn, ok = decodePower(v); ok {
			p.PowerRequested = pn
		}
	case TLVPowerAvailable:
		var pn *PowerNegotiation
		if pn, ok = decodePower(v); ok {
			p.PowerAvailable = pn
		}
	default:
		p.keepRaw(typ, v)
		return
	}
	if !ok {
		p.BadValueTLVs++
		p.keepRaw(typ, v)
	}
}

func (p *Packet) keepRaw(typ uint16, v []byte) {
	if len(p.Unknown) >= MaxUnknownTLVs {
		p.DroppedTLVs++
		return
	}
	p.Unknown = append(p.Unknown, RawTLV{Type: typ, Value: bytes.Clone(v)})
}

// decodePower decodes Power Requested/Available: two u16 IDs, then whole u32 values only.
// Other sizes (the CVE-2020-3119 class) are refused, so the TLV is kept raw.
func decodePower(v []byte) (*PowerNegotiation, bool) {
	if len(v) < 4 || (len(v)-4)%4 != 0 {
		return nil, false
	}
	pn := &PowerNegotiation{
		RequestID:    binary.BigEndian.Uint16(v),
		ManagementID: binary.BigEndian.Uint16(v[2:]),
	}
	if n := (len(v) - 4) / 4; n > 0 {
		pn.Milliwatts = make([]uint32, n) // bounded by the bytes present, not a count field
		for i := range pn.Milliwatts {
			pn.Milliwatts[i] = binary.BigEndian.Uint32(v[4+4*i:])
		}
	}
	return pn, true
}

// wireString converts a string TLV value. Trailing NUL bytes, which some senders add, are
// dropped; nothing else is changed here (display code sanitises).
func wireString(v []byte) string {
	return strings.TrimRight(string(v), "\x00")
}
