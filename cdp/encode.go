package cdp

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// MulticastMAC is the destination of every CDP frame.
var MulticastMAC = [6]byte{0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc}

// ErrEncode is wrapped by every encoding error.
var ErrEncode = errors.New("cannot encode CDP packet")

// EncodePDU returns the CDP PDU for p: the header with the checksum filled in, the TLVs of
// the fields that are set in type order, then p.Unknown in its order. v2-only TLVs are
// written whatever p.Version says: choosing what to announce is the caller's business.
func EncodePDU(p *Packet) ([]byte, error) {
	return appendPDU(make([]byte, 0, 256), p)
}

// EncodeFrame returns a complete frame carrying p: 802.3 header from src to MulticastMAC,
// LLC/SNAP (OUI 00000C, PID 0x2000) and the PDU, zero-padded to the 60-byte Ethernet minimum
// (the 802.3 length tells receivers where the PDU ends).
func EncodeFrame(src [6]byte, p *Packet) ([]byte, error) {
	b := make([]byte, ethHeaderLen+llcSNAPLen, 512)
	copy(b[0:6], MulticastMAC[:])
	copy(b[6:12], src[:])
	copy(b[ethHeaderLen:], llcSNAPCisco[:])
	binary.BigEndian.PutUint16(b[ethHeaderLen+6:], pidCDP)
	b, err := appendPDU(b, p)
	if err != nil {
		return nil, err
	}
	length := len(b) - ethHeaderLen
	if length > max8023Length {
		return nil, fmt.Errorf("%w: frame payload of %d bytes exceeds 802.3's %d", ErrEncode, length, max8023Length)
	}
	binary.BigEndian.PutUint16(b[12:], uint16(length))
	for len(b) < minFrameLen {
		b = append(b, 0)
	}
	return b, nil
}

func appendPDU(b []byte, p *Packet) ([]byte, error) {
	if p.Version != 1 && p.Version != 2 {
		return nil, fmt.Errorf("%w: version %d", ErrEncode, p.Version)
	}
	start := len(b)
	b = append(b, p.Version, p.Holdtime, 0, 0)
	var err error
	str := func(typ uint16, s string, present bool) {
		if err == nil && present {
			b, err = appendTLV(b, typ, func(b []byte) []byte { return append(b, s...) })
		}
	}
	fixed := func(typ uint16, present bool, value func([]byte) []byte) {
		if err == nil && present {
			b, err = appendTLV(b, typ, value)
		}
	}
	str(TLVDeviceID, p.DeviceID, p.DeviceID != "")
	fixed(TLVAddresses, p.HasAddresses || len(p.Addresses) > 0, func(b []byte) []byte { return appendAddresses(b, p.Addresses) })
	str(TLVPortID, p.PortID, p.PortID != "")
	fixed(TLVCapabilities, p.HasCapabilities, func(b []byte) []byte { return binary.BigEndian.AppendUint32(b, uint32(p.Capabilities)) })
	str(TLVSoftwareVersion, p.SoftwareVersion, p.SoftwareVersion != "")
	str(TLVPlatform, p.Platform, p.Platform != "")
	if h := p.ProtocolHello; h != nil {
		fixed(TLVProtocolHello, true, func(b []byte) []byte {
			b = append(b, byte(h.OUI>>16), byte(h.OUI>>8), byte(h.OUI))
			b = binary.BigEndian.AppendUint16(b, h.ProtocolID)
			return append(b, h.Payload...)
		})
	}
	str(TLVVTPDomain, p.VTPDomain, p.HasVTPDomain || p.VTPDomain != "")
	fixed(TLVNativeVLAN, p.HasNativeVLAN, func(b []byte) []byte { return binary.BigEndian.AppendUint16(b, p.NativeVLAN) })
	if p.Duplex != DuplexAbsent {
		fixed(TLVDuplex, true, func(b []byte) []byte { return append(b, boolByte(p.Duplex == DuplexFull)) })
	}
	fixed(TLVPower, p.HasPower, func(b []byte) []byte { return binary.BigEndian.AppendUint16(b, p.PowerMilliwatts) })
	fixed(TLVMTU, p.HasMTU, func(b []byte) []byte { return binary.BigEndian.AppendUint32(b, p.MTU) })
	str(TLVSystemName, p.SystemName, p.SystemName != "")
	fixed(TLVManagementAddrs, p.HasMgmtAddrs || len(p.MgmtAddresses) > 0, func(b []byte) []byte { return appendAddresses(b, p.MgmtAddresses) })
	for _, pw := range []struct {
		typ uint16
		pn  *PowerNegotiation
	}{{TLVPowerRequested, p.PowerRequested}, {TLVPowerAvailable, p.PowerAvailable}} {
		if pn := pw.pn; pn != nil {
			fixed(pw.typ, true, func(b []byte) []byte {
				b = binary.BigEndian.AppendUint16(b, pn.RequestID)
				b = binary.BigEndian.AppendUint16(b, pn.ManagementID)
				for _, mw := range pn.Milliwatts {
					b = binary.BigEndian.AppendUint32(b, mw)
				}
				return b
			})
		}
	}
	for _, raw := range p.Unknown {
		fixed(raw.Type, true, func(b []byte) []byte { return append(b, raw.Value...) })
	}
	if err != nil {
		return nil, err
	}
	binary.BigEndian.PutUint16(b[start+2:], Checksum(b[start:]))
	return b, nil
}

// appendTLV appends a TLV whose value is written by value, then fills in its length.
func appendTLV(b []byte, typ uint16, value func([]byte) []byte) ([]byte, error) {
	at := len(b)
	b = binary.BigEndian.AppendUint16(b, typ)
	b = append(b, 0, 0)
	b = value(b)
	n := len(b) - at
	if n-tlvHeaderLen > maxTLVValueLen {
		return nil, fmt.Errorf("%w: TLV 0x%04x value of %d bytes is too long", ErrEncode, typ, n-tlvHeaderLen)
	}
	binary.BigEndian.PutUint16(b[at+2:], uint16(n))
	return b, nil
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}
