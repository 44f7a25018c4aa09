package enginetest

import (
	"encoding/binary"

	"github.com/lisa-go/lisa/engine"
)

// Frame describes an Ethernet frame to build.
type Frame struct {
	Dst, Src  engine.MAC
	Tagged    bool   // add an 802.1Q tag
	VLAN      uint16 // tag VID (0 = priority tag)
	PCP       uint8  // tag priority
	EtherType uint16 // 0 means 0x0800
	Payload   []byte // nil means 46 bytes of zeros
}

// Bytes encodes the frame.
func (f Frame) Bytes() []byte {
	b := make([]byte, 0, 18+len(f.Payload)+46)
	b = append(b, f.Dst[:]...)
	b = append(b, f.Src[:]...)
	if f.Tagged {
		b = binary.BigEndian.AppendUint16(b, 0x8100)
		b = binary.BigEndian.AppendUint16(b, uint16(f.PCP)<<13|f.VLAN&0xfff)
	}
	et := f.EtherType
	if et == 0 {
		et = 0x0800
	}
	b = binary.BigEndian.AppendUint16(b, et)
	p := f.Payload
	if p == nil {
		p = make([]byte, 46)
	}
	return append(b, p...)
}

// CDP returns a minimal CDP frame (802.3 + LLC/SNAP, PID 0x2000) from src.
func CDP(src engine.MAC, tagged bool, vlan uint16) []byte {
	payload := []byte{0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00, 0x02, 180, 0x00, 0x00}
	f := Frame{
		Dst:       engine.MAC{0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc},
		Src:       src,
		Tagged:    tagged,
		VLAN:      vlan,
		EtherType: uint16(len(payload)),
		Payload:   payload,
	}
	return f.Bytes()
}

// TagOf returns the VLAN tag of an encoded frame and whether it has one.
func TagOf(b []byte) (vid uint16, pcp uint8, tagged bool) {
	if len(b) < 18 || binary.BigEndian.Uint16(b[12:]) != 0x8100 {
		return 0, 0, false
	}
	tci := binary.BigEndian.Uint16(b[14:])
	return tci & 0xfff, uint8(tci >> 13), true
}
