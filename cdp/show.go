package cdp

import (
	"fmt"
	"net/netip"
	"strings"
)

// The show renderers turn a Snapshot into the text of an IOS `show cdp ...` command; switchd
// prints it as is. When CDP is off, every one but ShowRun returns NotEnabled.

// NotEnabled is what the show commands print while `no cdp run` is in effect.
const NotEnabled = "% CDP is not enabled\n"

// Display limits for strings from the wire (stored strings are capped at 255 bytes, the
// software version at 1024).
const (
	showMaxString  = 255
	showMaxVersion = 1024
)

// ShowCDP renders `show cdp`.
func ShowCDP(s Snapshot) string {
	if !s.Settings.Run {
		return NotEnabled
	}
	v2 := "enabled"
	if !s.Settings.AdvertiseV2 {
		v2 = "not enabled"
	}
	return fmt.Sprintf("Global CDP information:\n"+
		"\tSending CDP packets every %d seconds\n"+
		"\tSending a holdtime value of %d seconds\n"+
		"\tSending CDPv2 advertisements is %s\n", s.Settings.Timer, s.Settings.Holdtime, v2)
}

// ShowHoldtime renders `show cdp holdtime`.
func ShowHoldtime(s Snapshot) string {
	if !s.Settings.Run {
		return NotEnabled
	}
	return fmt.Sprintf("%d secs\n", s.Settings.Holdtime)
}

// ShowTimer renders `show cdp timer`.
func ShowTimer(s Snapshot) string {
	if !s.Settings.Run {
		return NotEnabled
	}
	return fmt.Sprintf("%d secs\n", s.Settings.Timer)
}

// ShowRun renders `show cdp run`, which answers whether CDP is off too.
func ShowRun(s Snapshot) string {
	if !s.Settings.Run {
		return "CDP is disabled\n"
	}
	return "CDP is enabled\n"
}

// ShowTraffic renders `show cdp traffic`: IOS's counters, then the count of frames of an
// unknown CDP version, which IOS does not show.
func ShowTraffic(s Snapshot) string {
	if !s.Settings.Run {
		return NotEnabled
	}
	c := s.Counters
	return fmt.Sprintf("CDP counters :\n"+
		"\tTotal packets output: %d, Input: %d\n"+
		"\tHdr syntax: %d, Chksum error: %d, Encaps failed: %d\n"+
		"\tNo memory: %d, Invalid packet: %d, Fragmented: 0\n"+
		"\tCDP version 1 advertisements output: %d, Input: %d\n"+
		"\tCDP version 2 advertisements output: %d, Input: %d\n"+
		"\tUnknown version: %d\n",
		c.Output(), c.Input(),
		c.HdrSyntax, c.ChecksumErrors, c.EncapsFailed,
		c.NoMemory, c.Malformed,
		c.OutputV1, c.InputV1,
		c.OutputV2, c.InputV2,
		c.UnknownVersion)
}

// ShowInterfaces renders `show cdp interface [IF]`: the ports where CDP is enabled (all of
// them, or only port when it is not empty).
func ShowInterfaces(s Snapshot, port string) string {
	if !s.Settings.Run {
		return NotEnabled
	}
	var b strings.Builder
	for _, p := range s.Ports {
		if !p.Enabled || (port != "" && p.Name != port) {
			continue
		}
		state := "down"
		if p.Up {
			state = "up"
		}
		fmt.Fprintf(&b, "%s is %s, line protocol is %s\n", p.Name, state, state)
		b.WriteString("\tEncapsulation ARPA\n")
		fmt.Fprintf(&b, "\tSending CDP packets every %d seconds\n", s.Settings.Timer)
		fmt.Fprintf(&b, "\tHoldtime is %d seconds\n", s.Settings.Holdtime)
	}
	return b.String()
}

// neighborsHeader is the legend and column header of `show cdp neighbors`.
const neighborsHeader = "Capability codes: R - Router, T - Trans Bridge, B - Source Route Bridge\n" +
	"\t\tS - Switch, H - Host, I - IGMP, r - Repeater\n" +
	"\n" +
	"Device ID        Local Intrfce     Holdtme    Capability  Platform            Port ID\n"

// ShowNeighbors renders `show cdp neighbors [IF] [detail]`; port "" means every port.
//
// A row is: Device ID in 17 columns, local port in 18, a space, the remaining holdtime in 11,
// the capability letters (" S I") in 11, Platform in 20, Port ID. A Device ID too long for
// its column goes on a line of its own, as on IOS, and every column is cut so that at least
// one space separates it from the next (the original truncated them into each other).
func ShowNeighbors(s Snapshot, port string, detail bool) string {
	if !s.Settings.Run {
		return NotEnabled
	}
	var b strings.Builder
	if detail {
		for _, n := range s.Neighbors {
			if port == "" || n.LocalPort == port {
				writeDetail(&b, s, &n)
			}
		}
		return b.String()
	}
	b.WriteString(neighborsHeader)
	for _, n := range s.Neighbors {
		if port != "" && n.LocalPort != port {
			continue
		}
		id := Printable(n.DeviceID, showMaxString)
		if len(id) > 16 {
			b.WriteString(id)
			b.WriteByte('\n')
			id = ""
		}
		var caps strings.Builder
		for _, c := range capabilityNames {
			if n.Capabilities&c.bit != 0 {
				caps.WriteString(" " + c.letter)
			}
		}
		fmt.Fprintf(&b, "%-17s%-17.17s  %-11d%-10s %-19.19s %s\n",
			id, Printable(n.LocalPort, showMaxString), n.Remaining(s.Now),
			caps.String(), Printable(n.Platform, showMaxString), Printable(n.PortID, showMaxString))
	}
	return b.String()
}

// EntryPart selects what `show cdp entry` prints.
type EntryPart int

const (
	EntryAll      EntryPart = iota // the detail block
	EntryProtocol                  // `... protocol`: the addresses
	EntryVersion                   // `... version`: the software version
)

// ShowEntry renders `show cdp entry {*|NAME} [protocol|version]`. name matches Device IDs
// exactly, or as a pattern when it holds '*' (any run of characters): "*" is every entry,
// "SW*" every Device ID starting with SW. (The original matched any prefix, so `SW` also
// showed SW2 and SW20.)
func ShowEntry(s Snapshot, name string, part EntryPart) string {
	if !s.Settings.Run {
		return NotEnabled
	}
	var b strings.Builder
	for _, n := range s.Neighbors {
		if !matchName(name, n.DeviceID) {
			continue
		}
		id := Printable(n.DeviceID, showMaxString)
		switch part {
		case EntryProtocol:
			fmt.Fprintf(&b, "Protocol information for %s :\n", id)
			writeAddresses(&b, n.Addresses)
		case EntryVersion:
			fmt.Fprintf(&b, "\nVersion information for %s :\n", id)
			b.WriteString(printableLines(n.SoftwareVersion, showMaxVersion))
			b.WriteString("\n\n")
		default:
			writeDetail(&b, s, &n)
		}
	}
	return b.String()
}

// writeDetail writes one neighbour's block of `show cdp neighbors detail` / `show cdp entry`.
func writeDetail(b *strings.Builder, s Snapshot, n *Neighbor) {
	b.WriteString("-------------------------\n")
	fmt.Fprintf(b, "Device ID: %s\n", Printable(n.DeviceID, showMaxString))
	if len(n.Addresses) > 0 {
		b.WriteString("Entry Address(es):\n")
		writeAddresses(b, n.Addresses)
	}
	caps := ""
	for _, c := range capabilityNames {
		if n.Capabilities&c.bit != 0 {
			caps += c.name + " "
		}
	}
	fmt.Fprintf(b, "Platform: %s,  Capabilities: %s\n", Printable(n.Platform, showMaxString), caps)
	fmt.Fprintf(b, "Interface: %s,  Port ID (outgoing port): %s\n",
		Printable(n.LocalPort, showMaxString), Printable(n.PortID, showMaxString))
	fmt.Fprintf(b, "Holdtime : %d sec\n\n", n.Remaining(s.Now))
	b.WriteString("Version :\n")
	b.WriteString(printableLines(n.SoftwareVersion, showMaxVersion))
	b.WriteString("\n\n")
	fmt.Fprintf(b, "advertisement version: %d\n", n.Version)
	if h := n.ProtocolHello; h != nil {
		fmt.Fprintf(b, "Protocol Hello: OUI=0x%06X, Protocol ID=0x%04X; payload len=%d, value=%X\n",
			h.OUI, h.ProtocolID, len(h.Payload), h.Payload)
	}
	if n.HasVTPDomain {
		fmt.Fprintf(b, "VTP Management Domain: '%s'\n", Printable(n.VTPDomain, showMaxString))
	}
	if n.HasNativeVLAN {
		fmt.Fprintf(b, "Native VLAN: %d\n", n.NativeVLAN)
	}
	if n.Duplex != DuplexAbsent {
		fmt.Fprintf(b, "Duplex: %s\n", n.Duplex)
	}
	if n.HasPower {
		fmt.Fprintf(b, "Power drawn: %d.%03d Watts\n", n.PowerMilliwatts/1000, n.PowerMilliwatts%1000)
	}
	if len(n.MgmtAddresses) > 0 {
		b.WriteString("Management address(es):\n")
		writeAddresses(b, n.MgmtAddresses)
	}
	b.WriteString("\n")
}

func writeAddresses(b *strings.Builder, addrs []netip.Addr) {
	for _, a := range addrs {
		if a.Is4() {
			b.WriteString("  IP address: " + a.String() + "\n")
		} else {
			b.WriteString("  IPv6 address: " + a.String() + "\n")
		}
	}
}

// matchName matches a Device ID against an IOS entry name where '*' stands for any run of
// characters.
func matchName(pattern, name string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == name
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	name = name[len(parts[0]):]
	last := len(parts) - 1
	for _, mid := range parts[1:last] {
		i := strings.Index(name, mid)
		if i < 0 {
			return false
		}
		name = name[i+len(mid):]
	}
	return strings.HasSuffix(name, parts[last])
}
