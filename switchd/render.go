package switchd

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/lisa-go/lisa/engine"
)

// section is one "!"-separated part of the running-config. Sections of VM
// ports are saved in the VM's record instead of the startup-config.
type section struct {
	lines []string // first line unindented, the rest indented by one space
	vm    *vmBinding
	iface string // the interface a section configures, "" for global ones
}

// render builds the running configuration as sections, in IOS order.
func (s *Switch) render() []section {
	c := s.cfg
	var out []section
	global := func(lines ...string) {
		if len(lines) > 0 {
			out = append(out, section{lines: lines})
		}
	}
	blocks := func(place inertPlace) {
		for _, b := range c.inertBlocks(place) {
			global(b...)
		}
	}
	top := c.inertBlocks(inertTop)
	if tl := c.timestamps.line(); tl != "" {
		// After service timestamps debug, in the block of service lines.
		if len(top) == 0 {
			top = [][]string{nil}
		}
		at := len(top[0])
		for i, l := range top[0] {
			if strings.HasPrefix(l, "service timestamps debug") {
				at = i + 1
			}
		}
		top[0] = append(top[0][:at], append([]string{tl}, top[0][at:]...)...)
	}
	for _, b := range top {
		global(b...)
	}
	global("hostname " + c.hostname)
	blocks(inertBoot)
	global(s.logs.configLines()...)

	var secrets []string
	for lvl := 1; lvl <= privMax; lvl++ {
		sec, ok := c.secrets[lvl]
		if !ok {
			continue
		}
		if lvl == privMax {
			secrets = append(secrets, fmt.Sprintf("enable secret %d %s", sec.Type, sec.Hash))
		} else {
			secrets = append(secrets, fmt.Sprintf("enable secret level %d %d %s", lvl, sec.Type, sec.Hash))
		}
	}
	global(secrets...)
	global(s.igmpGlobalLines()...)
	// The block before spanning tree, in IOS's order: clock, stack
	// provisioning, system mtu, ip subnet-zero, ip domain-name.
	head := c.inertBlocks(inertHead)
	var provision, rest []string
	if len(head) > 0 && (strings.HasPrefix(head[0][0], "switch ") || strings.HasPrefix(head[0][0], "ip ")) {
		for _, l := range head[0] {
			if strings.HasPrefix(l, "switch ") {
				provision = append(provision, l)
			} else {
				rest = append(rest, l)
			}
		}
		head = head[1:]
	}
	var first []string
	for _, part := range [][]string{c.clockLines(), provision, c.mtuLines(), rest, c.lookupLines(), c.domainLines(), c.nameServerLines()} {
		first = append(first, part...)
	}
	global(first...)
	for _, b := range head {
		global(b...)
	}

	// VLANs in order: runs of VLANs with default names share a "vlan LIST"
	// line, named ones get a block with their name.
	var plain engine.VLANSet
	flush := func() {
		if !plain.IsEmpty() {
			global(vlanListLines("vlan ", plain)...)
			plain = engine.VLANSet{}
		}
	}
	for _, id := range c.vlans.IDs() {
		if isDefaultVLAN(id) {
			continue
		}
		if n := c.vlanNames[id]; n != "" {
			flush()
			out = append(out, section{lines: []string{fmt.Sprintf("vlan %d", id), " name " + n}})
			continue
		}
		plain.Add(id)
	}
	flush()

	for _, name := range c.portNames() {
		p := c.ports[name]
		out = append(out, section{lines: append([]string{"interface " + name}, s.portLines(p, true)...), vm: p.vm, iface: name})
	}
	for _, id := range c.sviIDs() {
		v := c.svis[id]
		out = append(out, section{lines: append([]string{"interface " + v.name()}, sviLines(v)...), iface: v.name()})
	}

	after := c.inertBlocks(inertAfterIfs)
	if gl := c.gatewayLines(); gl != nil {
		if len(after) > 0 {
			after[0] = append(gl, after[0]...)
		} else {
			after = [][]string{gl}
		}
	}
	for _, b := range after {
		global(b...)
	}
	global(c.syslogLines()...)
	global(s.igmpMrouterLines()...)
	var mac []string
	for _, st := range c.statics {
		mac = append(mac, fmt.Sprintf("mac address-table static %s vlan %d interface %s", st.mac, st.vlan, st.port))
	}
	if c.aging != s.agingDefault() {
		mac = append(mac, fmt.Sprintf("mac address-table aging-time %d", c.aging))
	}
	global(mac...)
	if s.cdp != nil {
		global(s.cdpLines()...)
	}
	out = s.renderAccess(out)
	for _, b := range c.inertBlocks(inertEnd) {
		out = append(out, section{lines: b})
	}
	return out
}

// portLines are the indented lines of a port's block. withVM adds the VM
// binding line (show running-config); VM records are written without it.
func (s *Switch) portLines(p *port, withVM bool) []string {
	var l []string
	if withVM && p.vm != nil {
		l = append(l, fmt.Sprintf(" vm %s nic %d", p.vm.domain, p.vm.nic))
	}
	if p.description != "" {
		l = append(l, " description "+p.description)
	}
	if p.routed {
		// IOS's recommended form: the switching settings are not saved.
		l = append(l, " no switchport")
		l = append(l, addrLines(p.addrs, p.addrs6)...)
	} else {
		l = s.switchportLines(p, l)
	}
	l = append(l, portMTULines(p)...)
	l = append(l, linkSettingsLines(p)...)
	if p.shutdown {
		l = append(l, " shutdown")
	}
	if !p.cdp {
		l = append(l, " no cdp enable")
	}
	if !p.routed {
		_, _, stp := p.inertLines()
		l = append(l, stp...)
	}
	return l
}

// switchportLines adds a switch port's switching settings to l.
func (s *Switch) switchportLines(p *port, l []string) []string {
	encap, negotiate, _ := p.inertLines()
	if p.accessVLAN != 1 {
		l = append(l, fmt.Sprintf(" switchport access vlan %d", p.accessVLAN))
	}
	l = append(l, encap...)
	if p.nativeVLAN != 1 {
		l = append(l, fmt.Sprintf(" switchport trunk native vlan %d", p.nativeVLAN))
	}
	if !p.allowed.IsAll() {
		l = append(l, p.allowed.TrunkAllowedLines()...)
	}
	switch {
	case p.mode == engine.Trunk:
		l = append(l, " switchport mode trunk")
	case p.modeSet:
		l = append(l, " switchport mode access")
	}
	return append(l, negotiate...)
}

func sviLines(v *svi) []string {
	var l []string
	if v.description != "" {
		l = append(l, " description "+v.description)
	}
	l = append(l, addrLines(v.addrs, v.addrs6)...)
	if v.shutdown {
		l = append(l, " shutdown")
	}
	return l
}

// addrLines are an interface's address lines (VLAN interface or routed
// port): IPv4 primary first, or " no ip address", then IPv6.
func addrLines(addrs, addrs6 []netip.Prefix) []string {
	var l []string
	if len(addrs) == 0 {
		l = append(l, " no ip address")
	}
	for i, a := range addrs {
		line := fmt.Sprintf(" ip address %s %s", a.Addr(), maskString(a.Bits()))
		if i > 0 {
			line += " secondary"
		}
		l = append(l, line)
	}
	for _, a := range addrs6 {
		l = append(l, " ipv6 address "+ipv6PrefixString(a))
	}
	return l
}

// vlanListLines writes a VLAN list after prefix, wrapped below 80 columns.
func vlanListLines(prefix string, set engine.VLANSet) []string {
	items := strings.Split(set.String(), ",")
	var lines []string
	cur := prefix
	for _, it := range items {
		add := it
		if cur != prefix {
			add = "," + it
		}
		if len(cur)+len(add) > 79 && cur != prefix {
			lines = append(lines, cur)
			cur, add = prefix, it
		}
		cur += add
	}
	return append(lines, cur)
}

// configText joins sections into configuration text ending in "end".
// includeVM decides whether VM ports are in it.
func configText(secs []section, includeVM bool) string {
	var b strings.Builder
	b.WriteString("!\n")
	for _, sec := range secs {
		if sec.vm != nil && !includeVM {
			continue
		}
		for _, l := range sec.lines {
			b.WriteString(l)
			b.WriteByte('\n')
		}
		b.WriteString("!\n")
	}
	b.WriteString("end\n")
	return b.String()
}

// runningText is the whole running-config body.
func (s *Switch) runningText() string { return configText(s.render(), true) }

// startupText is what write memory puts in the startup-config: everything
// but the VM ports, which go to their VMs' records.
func (s *Switch) startupText() string { return configText(s.render(), false) }

func maskString(bits int) string {
	var m uint32
	if bits > 0 {
		m = ^uint32(0) << (32 - bits)
	}
	return fmt.Sprintf("%d.%d.%d.%d", m>>24, m>>16&0xff, m>>8&0xff, m&0xff)
}
