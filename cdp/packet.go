package cdp

import (
	"net/netip"
	"strings"
)

// TLV types this package decodes into Packet fields. Every other type is kept in
// Packet.Unknown, byte for byte.
const (
	TLVDeviceID        uint16 = 0x0001
	TLVAddresses       uint16 = 0x0002
	TLVPortID          uint16 = 0x0003
	TLVCapabilities    uint16 = 0x0004
	TLVSoftwareVersion uint16 = 0x0005
	TLVPlatform        uint16 = 0x0006
	TLVProtocolHello   uint16 = 0x0008
	TLVVTPDomain       uint16 = 0x0009
	TLVNativeVLAN      uint16 = 0x000a
	TLVDuplex          uint16 = 0x000b
	TLVPower           uint16 = 0x0010
	TLVMTU             uint16 = 0x0011
	TLVSystemName      uint16 = 0x0014
	TLVManagementAddrs uint16 = 0x0016
	TLVPowerRequested  uint16 = 0x0019
	TLVPowerAvailable  uint16 = 0x001a
)

// Capabilities is the bit set of the Capabilities TLV.
type Capabilities uint32

// Capability bits; the letters are those of `show cdp neighbors`.
const (
	CapRouter            Capabilities = 0x01 // R
	CapTransBridge       Capabilities = 0x02 // T
	CapSourceRouteBridge Capabilities = 0x04 // B
	CapSwitch            Capabilities = 0x08 // S
	CapHost              Capabilities = 0x10 // H
	CapIGMP              Capabilities = 0x20 // I
	CapRepeater          Capabilities = 0x40 // r
)

// capabilityNames lists the bits in display order with their letter and full name.
var capabilityNames = []struct {
	bit    Capabilities
	letter string
	name   string
}{
	{CapRouter, "R", "Router"},
	{CapTransBridge, "T", "Trans-Bridge"},
	{CapSourceRouteBridge, "B", "Source-Route-Bridge"},
	{CapSwitch, "S", "Switch"},
	{CapHost, "H", "Host"},
	{CapIGMP, "I", "IGMP"},
	{CapRepeater, "r", "Repeater"},
}

// String lists the full names of the set bits, separated by spaces ("Switch IGMP").
func (c Capabilities) String() string {
	var names []string
	for _, n := range capabilityNames {
		if c&n.bit != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, " ")
}

// Duplex is the value of the Duplex TLV, or its absence.
type Duplex uint8

const (
	DuplexAbsent Duplex = iota // no Duplex TLV
	DuplexHalf                 // wire value 0
	DuplexFull                 // wire value 1 (any nonzero value decodes as full)
)

// String returns "half", "full" or "" when absent.
func (d Duplex) String() string {
	switch d {
	case DuplexHalf:
		return "half"
	case DuplexFull:
		return "full"
	}
	return ""
}

// ProtocolHello is the Protocol Hello TLV: an OUI, a protocol ID and an opaque payload
// (Cisco cluster management sends OUI 0x00000C, protocol 0x0112 and 27 bytes).
type ProtocolHello struct {
	OUI        uint32 // 24 bits
	ProtocolID uint16
	Payload    []byte
}

// PowerNegotiation is the body of the Power Requested and Power Available TLVs:
// two 16-bit identifiers followed by a list of 32-bit milliwatt values.
type PowerNegotiation struct {
	RequestID    uint16
	ManagementID uint16
	Milliwatts   []uint32
}

// RawTLV is a TLV kept as it was on the wire: an unknown type, or a known type whose value
// has a size that type does not allow.
type RawTLV struct {
	Type  uint16
	Value []byte
}

// Packet is one CDP PDU: the 4-byte header and the TLVs. Decoding fills a field from its TLV;
// a repeated TLV replaces the earlier one (the last wins, nothing accumulates). Encoding
// writes the fields that are set, in type order, then Unknown.
type Packet struct {
	Version  uint8 // 1 or 2
	Holdtime uint8 // seconds; 0 tells neighbours to forget the sender
	// Checksum is the header's checksum field as received; encoding computes its own.
	Checksum uint16

	DeviceID        string
	Addresses       []netip.Addr // IPv4 and IPv6 entries of the Addresses TLV
	HasAddresses    bool         // the Addresses TLV was present (possibly with no usable entry)
	PortID          string
	Capabilities    Capabilities
	HasCapabilities bool
	SoftwareVersion string
	Platform        string
	ProtocolHello   *ProtocolHello
	VTPDomain       string
	HasVTPDomain    bool
	NativeVLAN      uint16
	HasNativeVLAN   bool
	Duplex          Duplex
	PowerMilliwatts uint16 // Power (consumption) TLV
	HasPower        bool
	MTU             uint32
	HasMTU          bool
	SystemName      string
	MgmtAddresses   []netip.Addr // Management Address TLV, same encoding as Addresses
	HasMgmtAddrs    bool
	PowerRequested  *PowerNegotiation
	PowerAvailable  *PowerNegotiation

	Unknown []RawTLV

	// Decoding notes, never encoded.
	OtherAddresses int // address entries that are neither IPv4 nor IPv6, or past MaxAddresses
	DroppedTLVs    int // unknown TLVs not kept because MaxUnknownTLVs were kept already
	BadValueTLVs   int // known TLVs whose value size did not fit their type (kept in Unknown)
}

// Frame is a CDP frame: the Ethernet/802.3 envelope and the PDU it carries.
type Frame struct {
	Dst, Src [6]byte
	Tagged   bool   // the frame carried an 802.1Q (or 802.1ad) tag
	VLAN     uint16 // VLAN ID of the outermost tag when Tagged
	// ChecksumOK tells whether the PDU checksum verified (Cisco's odd-length rule applied).
	ChecksumOK bool
	Packet
}
