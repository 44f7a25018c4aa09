package switchd

import (
	"fmt"
	"math/bits"
	"net/netip"
	"strconv"
	"strings"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/engine"
)

// ifRef names an interface of the switch: a port (netdev) or a VLAN interface.
type ifRef struct {
	port string
	svi  uint16
}

func (r ifRef) display() string {
	if r.svi != 0 {
		return "Vlan" + strconv.Itoa(int(r.svi))
	}
	return r.port
}

// resolveIf turns the ifSpec arguments into an interface reference.
func (s *Switch) resolveIf(a cli.Args) (ifRef, error) {
	if v, ok := a.Lookup("eth"); ok {
		return ifRef{port: "eth" + v}, nil
	}
	if v, ok := a.Lookup("svi"); ok {
		n, _ := strconv.Atoi(v)
		return ifRef{svi: uint16(n)}, nil
	}
	name, ok := a.Lookup("netdev")
	if !ok {
		name = a.Get("ifname")
	}
	if _, isPort := s.cfg.ports[name]; isPort {
		return ifRef{port: name}, nil
	}
	if id, isSVI := sviFromName(name); isSVI {
		return ifRef{svi: id}, nil
	}
	if _, isNetdev := a.Lookup("netdev"); !isNetdev {
		if eth, isEth := ethFromName(name); isEth {
			return ifRef{port: eth}, nil
		}
	}
	return ifRef{port: name}, nil
}

// current returns the interface a config-if session is on.
func (s *Switch) currentPort(c *cli.Ctx) (*port, error) {
	ref, _ := c.S.State().(ifRef)
	p := s.cfg.ports[ref.port]
	if ref.port == "" || p == nil {
		return nil, fmt.Errorf("%% Interface %s is no longer on the switch", ref.display())
	}
	return p, nil
}

func (s *Switch) currentSVI(c *cli.Ctx) (*svi, error) {
	ref, _ := c.S.State().(ifRef)
	v := s.cfg.svis[ref.svi]
	if ref.svi == 0 || v == nil {
		return nil, fmt.Errorf("%% Interface %s is no longer on the switch", ref.display())
	}
	return v, nil
}

// addPort makes a netdev a switch port with the default configuration.
func (s *Switch) addPort(name string) (*port, error) {
	if p := s.cfg.ports[name]; p != nil {
		return p, nil
	}
	if !validNetdevName(name) {
		return nil, fmt.Errorf("%% Invalid interface name %q", name)
	}
	if name == "lo" {
		return nil, fmt.Errorf("%% Interface lo is the host's loopback, not an Ethernet interface")
	}
	if err := s.eng.AddPort(name); err != nil {
		return nil, fmt.Errorf("%% %v", err)
	}
	p := newPort(name)
	if st, err := s.eng.Port(name); err == nil {
		p.hostMTU = st.MTU
	}
	s.cfg.ports[name] = p
	if err := s.applyPort(p); err != nil {
		return nil, fmt.Errorf("%% %v", err)
	}
	if err := s.applyMTU(p); err != nil {
		s.log.Warn("setting a new port's MTU", "port", name, "err", err)
	}
	if st, err := s.eng.Port(name); err == nil {
		s.cdp.AddPort(name, st.MAC)
		s.cdpPort(p)
	}
	return p, nil
}

// removePort takes a port off the switch.
func (s *Switch) removePort(name string) error {
	if _, ok := s.cfg.ports[name]; !ok {
		return nil
	}
	// CDP's goodbye (holdtime 0) must leave while the port still sends.
	s.cdp.RemovePort(name)
	s.autoLinkSettings(s.cfg.ports[name])
	s.restoreMTU(s.cfg.ports[name])
	if err := s.clearPortAddrs(s.cfg.ports[name]); err != nil { // a routed port's
		s.log.Warn("removing port addresses", "port", name, "err", err)
	}
	if err := s.eng.RemovePort(name); err != nil {
		s.log.Warn("removing port", "port", name, "err", err)
	}
	s.forgetPort(name)
	return nil
}

func (s *Switch) addSVI(id uint16) (*svi, error) {
	if v := s.cfg.svis[id]; v != nil {
		return v, nil
	}
	s.ensureVLAN(id)
	if _, err := s.eng.AddSVI(id); err != nil {
		return nil, fmt.Errorf("%% %v", err)
	}
	v := &svi{vlan: id}
	s.cfg.svis[id] = v
	if s.cfg.mtu.routing != 0 {
		if err := s.applySVIMTU(id); err != nil {
			s.log.Warn("setting a VLAN interface's MTU", "vlan", id, "err", err)
		}
	}
	return v, nil
}

func (s *Switch) defineInterface() {
	g := s.conf
	g.Define(cli.Command{Syntax: "interface " + ifSpec, Priv: privMax,
		Run: func(c *cli.Ctx, a cli.Args) error {
			ref, err := s.resolveIf(a)
			if err != nil {
				return err
			}
			if ref.svi != 0 {
				if _, err := s.addSVI(ref.svi); err != nil {
					return err
				}
				c.S.SetMode(s.ifMode, ref, classSVI)
				return nil
			}
			p, err := s.addPort(ref.port)
			if err != nil {
				return err
			}
			c.S.SetMode(s.ifMode, ref, portClass(p))
			return nil
		}})
	g.Define(cli.Command{Syntax: "no interface " + ifSpec, Priv: privMax,
		Run: func(c *cli.Ctx, a cli.Args) error {
			ref, err := s.resolveIf(a)
			if err != nil {
				return err
			}
			if ref.svi != 0 {
				if s.cfg.svis[ref.svi] == nil {
					return nil
				}
				delete(s.cfg.svis, ref.svi)
				s.addressesChanged()
				if err := s.eng.RemoveSVI(ref.svi); err != nil {
					return fmt.Errorf("%% %v", err)
				}
				return nil
			}
			return s.removePort(ref.port)
		}})

	m := s.ifMode
	portCmd := func(syntax string, help map[string]string, fn func(c *cli.Ctx, a cli.Args, p *port) error) {
		m.Define(cli.Command{Syntax: syntax, Priv: privMax, Class: classPort, Help: help,
			Run: func(c *cli.Ctx, a cli.Args) error {
				p, err := s.currentPort(c)
				if err != nil {
					return err
				}
				if p.routed {
					return errNotSwitching(p)
				}
				was := *p
				if err := fn(c, a, p); err != nil {
					*p = was
					return err
				}
				if err := s.applyPort(p); err != nil {
					// The configuration never says what the engine does not do.
					*p = was
					return fmt.Errorf("%% %v", err)
				}
				if was.engineConfig(true) != p.engineConfig(true) {
					// Addresses learned under the old settings (an old
					// access VLAN, a VLAN no longer allowed) are stale.
					s.eng.ClearDynamic(engine.FDBFilter{Type: engine.DynamicEntry, Port: p.name})
				}
				s.cdpPort(p)
				return nil
			}})
	}
	descHelp := map[string]string{"LINE": "Up to 240 characters describing this interface"}
	m.Define(cli.Command{Syntax: "description LINE", Priv: privMax, Help: descHelp,
		Run: func(c *cli.Ctx, a cli.Args) error { return s.setDescription(c, a.Get("description")) }})
	m.Define(cli.Command{Syntax: "no description", Priv: privMax,
		Run: func(c *cli.Ctx, a cli.Args) error { return s.setDescription(c, "") }})
	m.Define(cli.Command{Syntax: "shutdown", Priv: privMax,
		Run: func(c *cli.Ctx, a cli.Args) error { return s.setShutdown(c, true) }})
	m.Define(cli.Command{Syntax: "no shutdown", Priv: privMax,
		Run: func(c *cli.Ctx, a cli.Args) error { return s.setShutdown(c, false) }})

	modeHelp := map[string]string{"mode": "Set trunking mode of the interface", "access": "Set trunking mode to ACCESS unconditionally", "trunk": "Set trunking mode to TRUNK unconditionally"}
	portCmd("switchport mode {access | trunk}", modeHelp, func(c *cli.Ctx, a cli.Args, p *port) error {
		if a.Has("trunk") {
			p.mode, p.modeSet = engine.Trunk, true
		} else {
			p.mode, p.modeSet = engine.Access, true
		}
		return nil
	})
	portCmd("no switchport mode", modeHelp, func(c *cli.Ctx, a cli.Args, p *port) error {
		p.mode, p.modeSet = engine.Access, false
		return nil
	})
	accessHelp := map[string]string{"access": "Set access mode characteristics of the interface", "vlan": "Set VLAN when interface is in access mode", "<1-4094>": "VLAN ID of the VLAN when this port is in access mode"}
	portCmd("switchport access vlan <1-4094>", accessHelp, func(c *cli.Ctx, a cli.Args, p *port) error {
		id := uint16(a.Int("vlan"))
		if isMediaVLAN(id) {
			return errMediaVLAN(id, "access VLAN")
		}
		if s.ensureVLAN(id) {
			c.Printf("%% Access VLAN does not exist. Creating vlan %d\n", id)
		}
		p.accessVLAN = id
		return nil
	})
	portCmd("no switchport access vlan", accessHelp, func(c *cli.Ctx, a cli.Args, p *port) error {
		p.accessVLAN = 1
		return nil
	})
	trunkHelp := map[string]string{
		"trunk":    "Set trunking characteristics of the interface",
		"native":   "Set trunking native characteristics when interface is in trunking mode",
		"allowed":  "Set allowed VLAN characteristics when interface is in trunking mode",
		"vlan":     "Set VLANs when interface is in trunking mode",
		"<1-4094>": "VLAN ID of the native VLAN when this port is in trunking mode",
		"VLANLIST": "VLAN IDs of the allowed VLANs when this port is in trunking mode",
		"add":      "add VLANs to the current list",
		"remove":   "remove VLANs from the current list",
		"except":   "all VLANs except the following",
		"all":      "all VLANs",
		"none":     "no VLANs",
	}
	portCmd("switchport trunk native vlan <1-4094>", trunkHelp, func(c *cli.Ctx, a cli.Args, p *port) error {
		if id := uint16(a.Int("vlan")); isMediaVLAN(id) {
			return errMediaVLAN(id, "native VLAN")
		}
		p.nativeVLAN = uint16(a.Int("vlan"))
		return nil
	})
	portCmd("no switchport trunk native vlan", trunkHelp, func(c *cli.Ctx, a cli.Args, p *port) error {
		p.nativeVLAN = 1
		return nil
	})
	portCmd("switchport trunk allowed vlan {VLANLIST | add VLANLIST | remove VLANLIST | except VLANLIST | all | none}", trunkHelp,
		func(c *cli.Ctx, a cli.Args, p *port) error {
			// The list is parsed whole before anything changes.
			var arg string
			for _, k := range []string{"add", "remove", "except", "vlan"} {
				if v, ok := a.Lookup(k); ok {
					arg = v
					break
				}
			}
			var list engine.VLANSet
			if arg != "" {
				var err error
				if list, err = engine.ParseVLANList(arg); err != nil {
					return badVLANList(err)
				}
			}
			switch {
			case a.Has("all"):
				p.allowed = engine.AllVLANs()
			case a.Has("none"):
				p.allowed = engine.VLANSet{}
			case a.Has("add"):
				p.allowed = p.allowed.Union(list)
			case a.Has("remove"):
				p.allowed = p.allowed.Minus(list)
			case a.Has("except"):
				p.allowed = list.Complement()
			default:
				p.allowed = list
			}
			return nil
		})
	portCmd("no switchport trunk allowed vlan", trunkHelp, func(c *cli.Ctx, a cli.Args, p *port) error {
		p.allowed = engine.AllVLANs()
		return nil
	})

	ipHelp := map[string]string{"ip": "Interface Internet Protocol config commands", "address": "Set the IP address of an interface",
		"addr": "IP address", "mask": "IP subnet mask", "secondary": "Make this IP address a secondary address"}
	m.Define(cli.Command{Syntax: "ip address A.B.C.D$addr A.B.C.D$mask [secondary]", Priv: privMax, Class: classSVI | classRouted, Help: ipHelp,
		Run: s.cmdIPAddress})
	m.Define(cli.Command{Syntax: "no ip address [A.B.C.D$addr A.B.C.D$mask [secondary]]", Priv: privMax, Class: classSVI | classPort, Help: ipHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			ref, _ := c.S.State().(ifRef)
			if p := s.cfg.ports[ref.port]; ref.svi == 0 && p != nil && !p.routed {
				// A switch port has no address: the line (in every
				// port block of older IOS configurations) states the
				// port's state, like no shutdown on an enabled port.
				if _, ok := a.Lookup("addr"); ok {
					return fmt.Errorf("%% Invalid address")
				}
				return nil
			}
			return s.cmdNoIPAddress(c, a)
		}})
	ipv6Help := map[string]string{"ipv6": "IPv6 interface subcommands", "address": "Configure IPv6 address on interface",
		"prefix": "IPv6 prefix"}
	m.Define(cli.Command{Syntax: "ipv6 address X:X:X:X::X/<0-128>$prefix", Priv: privMax, Class: classSVI | classRouted, Help: ipv6Help,
		Run: s.cmdIPv6Address})
	m.Define(cli.Command{Syntax: "no ipv6 address [X:X:X:X::X/<0-128>$prefix]", Priv: privMax, Class: classSVI | classRouted, Help: ipv6Help,
		Run: s.cmdNoIPv6Address})
	s.defineRouted()
	s.defineSpeedDuplex()
}

func (s *Switch) setDescription(c *cli.Ctx, d string) error {
	if len(d) > 240 {
		return fmt.Errorf("%% Description is longer than 240 characters")
	}
	ref, _ := c.S.State().(ifRef)
	if ref.svi != 0 {
		v, err := s.currentSVI(c)
		if err != nil {
			return err
		}
		v.description = d
		return nil
	}
	p, err := s.currentPort(c)
	if err != nil {
		return err
	}
	p.description = d
	return nil
}

func (s *Switch) setShutdown(c *cli.Ctx, down bool) error {
	ref, _ := c.S.State().(ifRef)
	if ref.svi != 0 {
		v, err := s.currentSVI(c)
		if err != nil {
			return err
		}
		if err := s.eng.SetSVIShutdown(v.vlan, down); err != nil {
			return fmt.Errorf("%% %v", err)
		}
		v.shutdown = down
		// The kernel drops a downed netdev's routes, the management
		// default route among them: install it again on the way up.
		s.addressesChanged()
	} else {
		p, err := s.currentPort(c)
		if err != nil {
			return err
		}
		was := p.shutdown
		p.shutdown = down
		if down {
			// The goodbye (holdtime 0) must leave before the link goes down.
			s.cdp.SetPortUp(p.name, false)
		}
		if err := s.applyPort(p); err != nil {
			p.shutdown = was
			return fmt.Errorf("%% %v", err)
		}
		s.cdpPort(p)
	}
	state := "up"
	if down {
		state = "administratively down"
	}
	s.logEvent("LINK", 5, "CHANGED", fmt.Sprintf("Interface %s, changed state to %s", ref.display(), state))
	return nil
}

// maskBits converts a dotted mask to a prefix length, rejecting holes.
func maskBits(m netip.Addr) (int, bool) {
	b := m.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	ones := bits.LeadingZeros32(^v)
	return ones, v<<ones == 0
}

// l3If is an interface that carries IP addresses: a VLAN interface or a
// routed port. addrs (IPv4, primary first) and addrs6 point into its
// configuration; apply sets all of its netdev's addresses.
type l3If struct {
	name   string
	addrs  *[]netip.Prefix
	addrs6 *[]netip.Prefix
	apply  func(all []netip.Prefix) error
}

func (s *Switch) sviL3(v *svi) l3If {
	return l3If{name: v.name(), addrs: &v.addrs, addrs6: &v.addrs6,
		apply: func(all []netip.Prefix) error { return s.eng.SetSVIAddrs(v.vlan, all) }}
}

func (s *Switch) portL3(p *port) l3If {
	return l3If{name: p.name, addrs: &p.addrs, addrs6: &p.addrs6,
		apply: func(all []netip.Prefix) error { return s.eng.SetPortAddrs(p.name, all) }}
}

// l3Ifs lists every interface that may carry addresses: VLAN interfaces,
// then routed ports.
func (s *Switch) l3Ifs() []l3If {
	var out []l3If
	for _, id := range s.cfg.sviIDs() {
		out = append(out, s.sviL3(s.cfg.svis[id]))
	}
	for _, n := range s.cfg.portNames() {
		if p := s.cfg.ports[n]; p.routed {
			out = append(out, s.portL3(p))
		}
	}
	return out
}

// currentL3 is the interface a config-if session sets addresses on. A
// switch port has none (IOS's message for a Layer 2 port).
func (s *Switch) currentL3(c *cli.Ctx) (l3If, error) {
	ref, _ := c.S.State().(ifRef)
	if ref.svi != 0 {
		v, err := s.currentSVI(c)
		if err != nil {
			return l3If{}, err
		}
		return s.sviL3(v), nil
	}
	p, err := s.currentPort(c)
	if err != nil {
		return l3If{}, err
	}
	if !p.routed {
		return l3If{}, fmt.Errorf("%% IP addresses may not be configured on L2 links.")
	}
	return s.portL3(p), nil
}

// setL3 gives an interface its addresses, netdev first.
func (s *Switch) setL3(l l3If, addrs, addrs6 []netip.Prefix) error {
	if err := l.apply(append(append([]netip.Prefix(nil), addrs...), addrs6...)); err != nil {
		return fmt.Errorf("%% %v", err)
	}
	*l.addrs, *l.addrs6 = addrs, addrs6
	s.addressesChanged()
	return nil
}

func (s *Switch) cmdIPAddress(c *cli.Ctx, a cli.Args) error {
	v, err := s.currentL3(c)
	if err != nil {
		return err
	}
	addr := netip.MustParseAddr(a.Get("addr"))
	mask := netip.MustParseAddr(a.Get("mask"))
	n, ok := maskBits(mask)
	if !ok {
		b := mask.As4()
		return fmt.Errorf("%% Bad mask 0x%02X%02X%02X%02X for address %s", b[0], b[1], b[2], b[3], addr)
	}
	pfx := netip.PrefixFrom(addr, n)
	if n < 31 {
		host := addr.As4()
		net := pfx.Masked().Addr().As4()
		if host == net || host == broadcast(pfx) {
			return fmt.Errorf("%% Bad mask /%d for address %s", n, addr)
		}
	}
	// The subnet may not overlap another interface's (VLAN or routed).
	for _, other := range s.l3Ifs() {
		if other.name == v.name {
			continue
		}
		for _, x := range *other.addrs {
			if x.Overlaps(pfx) {
				return fmt.Errorf("%% %s overlaps with %s", pfx.Masked(), other.name)
			}
		}
	}
	addrs := append([]netip.Prefix(nil), *v.addrs...)
	if a.Has("secondary") {
		if len(addrs) == 0 {
			return fmt.Errorf("%% Secondary address requires a primary address")
		}
		if addrs[0].Addr() == addr {
			return fmt.Errorf("%% Secondary can't be same as primary")
		}
		for _, x := range addrs[1:] {
			if x == pfx {
				return nil
			}
		}
		addrs = append(addrs, pfx)
	} else {
		kept := []netip.Prefix{pfx}
		for _, x := range addrs[min(1, len(addrs)):] {
			if x.Addr() != addr {
				kept = append(kept, x)
			}
		}
		addrs = kept
	}
	return s.setL3(v, addrs, *v.addrs6)
}

func (s *Switch) cmdNoIPAddress(c *cli.Ctx, a cli.Args) error {
	v, err := s.currentL3(c)
	if err != nil {
		return err
	}
	var addrs []netip.Prefix
	have := *v.addrs
	if as, ok := a.Lookup("addr"); ok {
		addr := netip.MustParseAddr(as)
		n, _ := maskBits(netip.MustParseAddr(a.Get("mask")))
		idx := -1
		for i, x := range have {
			if x.Addr() == addr {
				idx = i
			}
		}
		switch {
		case idx < 0:
			return fmt.Errorf("%% Invalid address")
		case have[idx].Bits() != n:
			return fmt.Errorf("%% Invalid Mask")
		case idx == 0 && len(have) > 1:
			return fmt.Errorf("%% Must delete secondary before deleting primary")
		case idx > 0 && !a.Has("secondary") || idx == 0 && a.Has("secondary"):
			return fmt.Errorf("%% Invalid address")
		}
		addrs = append(append(addrs, have[:idx]...), have[idx+1:]...)
	}
	return s.setL3(v, addrs, *v.addrs6)
}

// cmdIPv6Address adds a global IPv6 address to a VLAN interface or routed
// port; like IOS, an interface may have several, and none may overlap
// another interface's.
func (s *Switch) cmdIPv6Address(c *cli.Ctx, a cli.Args) error {
	v, err := s.currentL3(c)
	if err != nil {
		return err
	}
	pfx := netip.MustParsePrefix(a.Get("prefix"))
	addr := pfx.Addr()
	switch {
	case addr.IsLinkLocalUnicast():
		return fmt.Errorf("%% %s: link-local addresses are assigned automatically", ipv6String(addr))
	case addr.IsMulticast(), addr.IsUnspecified(), addr.IsLoopback():
		return fmt.Errorf("%% %s is not a valid unicast address", ipv6String(addr))
	}
	for _, other := range s.l3Ifs() {
		if other.name == v.name {
			continue
		}
		for _, x := range *other.addrs6 {
			if x.Overlaps(pfx) {
				return fmt.Errorf("%% %s overlaps with %s", ipv6PrefixString(pfx.Masked()), other.name)
			}
		}
	}
	var addrs6 []netip.Prefix
	for _, x := range *v.addrs6 {
		if x == pfx {
			return nil
		}
		if x.Addr() != addr { // the same address with a new length replaces the old
			addrs6 = append(addrs6, x)
		}
	}
	addrs6 = append(addrs6, pfx)
	return s.setL3(v, *v.addrs, addrs6)
}

func (s *Switch) cmdNoIPv6Address(c *cli.Ctx, a cli.Args) error {
	v, err := s.currentL3(c)
	if err != nil {
		return err
	}
	var addrs6 []netip.Prefix
	if ps, ok := a.Lookup("prefix"); ok {
		pfx := netip.MustParsePrefix(ps)
		found := false
		for _, x := range *v.addrs6 {
			if x == pfx {
				found = true
				continue
			}
			addrs6 = append(addrs6, x)
		}
		if !found {
			return fmt.Errorf("%% Invalid address")
		}
	}
	return s.setL3(v, *v.addrs, addrs6)
}

// ipv6String writes an IPv6 address as IOS does, in capitals.
func ipv6String(a netip.Addr) string { return strings.ToUpper(a.String()) }

func ipv6PrefixString(p netip.Prefix) string { return strings.ToUpper(p.String()) }

func broadcast(p netip.Prefix) [4]byte {
	b := p.Masked().Addr().As4()
	hostBits := 32 - p.Bits()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v |= (1 << hostBits) - 1
	return [4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}
