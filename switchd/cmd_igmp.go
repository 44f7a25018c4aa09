package switchd

import (
	"fmt"
	"strings"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/engine"
)

// IGMP snooping: the configuration (global and per-VLAN switches, static
// multicast router ports), its commands, shows and running-config lines. The
// engine does the snooping; see engine/igmp_snoop.go.

// igmpConfig is the IGMP snooping configuration; the zero value is the
// default (on everywhere, no static router ports).
type igmpConfig struct {
	off      bool           // no ip igmp snooping
	vlanOff  engine.VLANSet // no ip igmp snooping vlan N (while on globally)
	mrouters []mrouterCfg   // ip igmp snooping vlan N mrouter interface IF
}

type mrouterCfg struct {
	vlan uint16
	port string
}

// igmpOn reports whether snooping is on in vlan.
func (c *igmpConfig) igmpOn(vlan uint16) bool { return !c.off && !c.vlanOff.Has(vlan) }

// pushIGMP gives the engine the VLANs where snooping is on and the static
// router ports. Caller holds the lock.
func (s *Switch) pushIGMP() {
	ic := &s.cfg.igmp
	on := engine.VLANSet{}
	if !ic.off {
		on = engine.AllVLANs().Minus(ic.vlanOff)
	}
	s.eng.SetIGMPSnooping(on)
	for _, m := range ic.mrouters {
		if err := s.eng.AddMrouter(m.vlan, m.port); err != nil {
			s.log.Debug("static mrouter", "vlan", m.vlan, "port", m.port, "err", err)
		}
	}
	if s.cdp != nil {
		s.updateCDPSystem()
	}
}

// forgetMrouters drops the static router ports of a port that left the
// switch, saying so: the next write memory will not have them.
func (s *Switch) forgetMrouters(name string) {
	ic := &s.cfg.igmp
	kept := ic.mrouters[:0]
	for _, m := range ic.mrouters {
		if m.port != name {
			kept = append(kept, m)
			continue
		}
		s.logEvent("LISA", 4, "MROUTERREMOVED", fmt.Sprintf("ip igmp snooping vlan %d mrouter interface %s removed with its interface", m.vlan, name))
	}
	ic.mrouters = kept
}

// igmpGlobalLines are the running-config lines that turn snooping off.
func (s *Switch) igmpGlobalLines() []string {
	ic := &s.cfg.igmp
	if ic.off {
		return []string{"no ip igmp snooping"}
	}
	var l []string
	for _, id := range ic.vlanOff.IDs() {
		l = append(l, fmt.Sprintf("no ip igmp snooping vlan %d", id))
	}
	return l
}

// igmpMrouterLines are the static router ports (the original did not save
// them); they follow the interfaces they name.
func (s *Switch) igmpMrouterLines() []string {
	var l []string
	for _, m := range s.cfg.igmp.mrouters {
		l = append(l, fmt.Sprintf("ip igmp snooping vlan %d mrouter interface %s", m.vlan, m.port))
	}
	return l
}

var igmpHelp = map[string]string{
	"ip":        "Global IP configuration subcommands",
	"igmp":      "IGMP global configuration",
	"snooping":  "Global IGMP Snooping enable for Catalyst Vlans",
	"vlan":      "IGMP Snooping enable for Catalyst Vlan",
	"mrouter":   "Configure an L2 port as a multicast router port",
	"interface": "next-hop interface to mrouter",
	"<1-4094>":  "Vlan number",
}

var igmpShowHelp = map[string]string{
	"ip":       "IP information",
	"igmp":     "IGMP information",
	"snooping": "Snooping information on a given vlan",
	"groups":   "IGMP group membership",
	"mrouter":  "Multicast router ports",
	"count":    "Number of groups",
	"dynamic":  "Learned groups",
	"user":     "User configured groups",
	"vlan":     "VLAN keyword",
	"<1-4094>": "Vlan number",
}

func (s *Switch) defineIGMP() {
	g := s.conf
	g.Define(cli.Command{Syntax: "ip igmp snooping", Priv: privMax, Help: igmpHelp, Doc: "Turn IGMP snooping on in every VLAN (the default)",
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.cfg.igmp.off, s.cfg.igmp.vlanOff = false, engine.VLANSet{}
			s.pushIGMP()
			return nil
		}})
	g.Define(cli.Command{Syntax: "no ip igmp snooping", Priv: privMax, Help: igmpHelp, Doc: "Turn IGMP snooping off: IPv4 multicast floods like broadcast",
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.cfg.igmp.off, s.cfg.igmp.vlanOff = true, engine.VLANSet{}
			s.pushIGMP()
			return nil
		}})
	g.Define(cli.Command{Syntax: "ip igmp snooping vlan <1-4094>", Priv: privMax, Help: igmpHelp, Doc: "Turn IGMP snooping on in a VLAN",
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.cfg.igmp.vlanOff.Remove(uint16(a.Int("vlan")))
			s.pushIGMP()
			return nil
		}})
	g.Define(cli.Command{Syntax: "no ip igmp snooping vlan <1-4094>", Priv: privMax, Help: igmpHelp, Doc: "Turn IGMP snooping off in a VLAN",
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.cfg.igmp.vlanOff.Add(uint16(a.Int("vlan")))
			s.pushIGMP()
			return nil
		}})
	g.Define(cli.Command{Syntax: "ip igmp snooping vlan <1-4094> mrouter interface " + ifSpec, Priv: privMax, Help: igmpHelp,
		Doc: "Make a port a static multicast router port of a VLAN", Run: s.cmdMrouter(true)})
	g.Define(cli.Command{Syntax: "no ip igmp snooping vlan <1-4094> mrouter interface " + ifSpec, Priv: privMax, Help: igmpHelp,
		Doc: "Remove a static multicast router port", Run: s.cmdMrouter(false)})

	x := s.exec
	x.Define(cli.Command{Syntax: "show ip igmp snooping [vlan <1-4094>]", Pipe: true, Help: igmpShowHelp, Run: s.showIGMP})
	x.Define(cli.Command{Syntax: "show ip igmp snooping groups [dynamic | user] [vlan <1-4094>] [count]", Pipe: true, Help: igmpShowHelp, Run: s.showIGMPGroups})
	x.Define(cli.Command{Syntax: "show ip igmp snooping mrouter [vlan <1-4094>]", Pipe: true, Help: igmpShowHelp, Run: s.showMrouters})
	x.Define(cli.Command{Syntax: "clear ip igmp snooping groups [vlan <1-4094>]", Priv: privMax,
		Help: map[string]string{"ip": "IP", "igmp": "IGMP", "snooping": "IGMP snooping", "groups": "Forget the learned groups (hosts report them again)", "vlan": "VLAN keyword", "<1-4094>": "Vlan number"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			vlan := 0
			if a.Has("vlan") {
				vlan = a.Int("vlan")
			}
			s.eng.ClearIGMPGroups(uint16(vlan))
			return nil
		}})
}

func (s *Switch) cmdMrouter(on bool) cli.Handler {
	return func(c *cli.Ctx, a cli.Args) error {
		vlan := uint16(a.Int("vlan"))
		ref, err := s.resolveIf(a)
		if err != nil {
			return err
		}
		if ref.svi != 0 || s.cfg.ports[ref.port] == nil {
			return fmt.Errorf("%% Interface %s is not a switch port", ref.display())
		}
		ic := &s.cfg.igmp
		for i, m := range ic.mrouters {
			if m.vlan != vlan || m.port != ref.port {
				continue
			}
			if on {
				return nil
			}
			ic.mrouters = append(ic.mrouters[:i], ic.mrouters[i+1:]...)
			if err := s.eng.RemoveMrouter(vlan, ref.port); err != nil {
				s.log.Debug("removing a static mrouter", "err", err)
			}
			return nil
		}
		if !on {
			return fmt.Errorf("%% Interface %s is not a static multicast router port of VLAN %d", ref.port, vlan)
		}
		if err := s.eng.AddMrouter(vlan, ref.port); err != nil {
			return fmt.Errorf("%% %v", err)
		}
		ic.mrouters = append(ic.mrouters, mrouterCfg{vlan: vlan, port: ref.port})
		return nil
	}
}

func enabled(on bool) string {
	if on {
		return "Enabled"
	}
	return "Disabled"
}

// ethernetVLANs are the VLANs of the database that carry Ethernet frames.
func (s *Switch) ethernetVLANs() []uint16 {
	var ids []uint16
	for _, id := range s.cfg.vlans.IDs() {
		if !isMediaVLAN(id) {
			ids = append(ids, id)
		}
	}
	return ids
}

func (s *Switch) showIGMP(c *cli.Ctx, a cli.Args) error {
	vlans := s.ethernetVLANs()
	if a.Has("vlan") {
		id := uint16(a.Int("vlan"))
		if !s.cfg.vlans.Has(id) || isMediaVLAN(id) {
			return fmt.Errorf("%% VLAN %d does not exist", id)
		}
		vlans = []uint16{id}
	}
	ic := &s.cfg.igmp
	c.Print("Global IGMP Snooping configuration:\n-------------------------------------------\n")
	c.Printf("IGMP snooping                : %s\n", enabled(!ic.off))
	c.Printf("IGMPv3 snooping (minimal)    : %s\n", enabled(true))
	c.Printf("Report suppression           : %s\n", enabled(false))
	c.Printf("Group membership interval    : %d sec\n", int(engine.IGMPMembershipInterval.Seconds()))
	c.Printf("Mrouter timeout              : %d sec\n", int(engine.MrouterTimeout.Seconds()))
	groups := s.eng.IGMPGroups(0)
	mrouters := s.eng.Mrouters(0)
	for _, id := range vlans {
		ng, nm := 0, 0
		for _, gr := range groups {
			if gr.VLAN == id {
				ng++
			}
		}
		for _, m := range mrouters {
			if m.VLAN == id {
				nm++
			}
		}
		c.Printf("\nVlan %d:\n--------\n", id)
		c.Printf("IGMP snooping                       : %s\n", enabled(ic.igmpOn(id)))
		c.Printf("IGMPv2 immediate leave              : %s\n", enabled(true))
		c.Printf("Multicast router learning mode      : pim-dvmrp\n")
		c.Printf("Multicast groups                    : %d\n", ng)
		c.Printf("Multicast router ports              : %d\n", nm)
	}
	return nil
}

// mrouterPorts returns the router ports of each VLAN, by name.
func (s *Switch) mrouterPorts(vlan uint16) map[uint16][]engine.MrouterPort {
	per := map[uint16][]engine.MrouterPort{}
	for _, m := range s.eng.Mrouters(vlan) {
		per[m.VLAN] = append(per[m.VLAN], m)
	}
	for _, l := range per {
		sortMrouters(l)
	}
	return per
}

func sortMrouters(l []engine.MrouterPort) {
	for i := 1; i < len(l); i++ {
		for j := i; j > 0 && ifNameLess(l[j].Port, l[j-1].Port); j-- {
			l[j], l[j-1] = l[j-1], l[j]
		}
	}
}

func (s *Switch) showIGMPGroups(c *cli.Ctx, a cli.Args) error {
	var vlan uint16
	if a.Has("vlan") {
		vlan = uint16(a.Int("vlan"))
	}
	var groups []engine.IGMPGroup
	if !a.Has("user") { // no static groups: every group is learned
		groups = s.eng.IGMPGroups(vlan)
	}
	if a.Has("count") {
		c.Printf("Total number of multicast groups: %d\n", len(groups))
		c.Printf("Total number of IGMP learned multicast groups: %d\n", len(groups))
		c.Printf("Total number of static multicast groups: 0\n\n")
		return nil
	}
	routers := s.mrouterPorts(vlan)
	c.Print("Vlan      Group             Type        Version     Port List\n")
	c.Print(strings.Repeat("-", 63) + "\n")
	for _, gr := range groups {
		// Members and the VLAN's router ports, once each.
		seen := map[string]bool{}
		var ports []string
		for _, p := range gr.Ports {
			seen[p] = true
			ports = append(ports, p)
		}
		for _, m := range routers[gr.VLAN] {
			if !seen[m.Port] {
				ports = append(ports, m.Port)
			}
		}
		sortIfNames(ports)
		lines := wrapList(ports, 24)
		c.Printf("%-10d%-18s%-12s%-12s%s\n", gr.VLAN, gr.Group, "igmp", fmt.Sprintf("v%d", gr.Version), lines[0])
		for _, l := range lines[1:] {
			c.Printf("%52s%s\n", "", l)
		}
	}
	return nil
}

func (s *Switch) showMrouters(c *cli.Ctx, a cli.Args) error {
	var vlan uint16
	if a.Has("vlan") {
		vlan = uint16(a.Int("vlan"))
	}
	per := s.mrouterPorts(vlan)
	c.Print("Vlan    Ports\n----    --------\n")
	for _, id := range s.cfg.vlans.Union(vlansOf(per)).IDs() {
		l := per[id]
		if len(l) == 0 {
			continue
		}
		var items []string
		for _, m := range l {
			kind := "(dynamic)"
			if m.Static {
				kind = "(static)"
			}
			items = append(items, m.Port+kind)
		}
		lines := wrapList(items, 62)
		c.Printf("%4d    %s\n", id, lines[0])
		for _, x := range lines[1:] {
			c.Printf("        %s\n", x)
		}
	}
	return nil
}

func vlansOf[T any](m map[uint16]T) engine.VLANSet {
	var s engine.VLANSet
	for id := range m {
		s.Add(id)
	}
	return s
}

// wrapList joins items with ", " in lines of at most width characters (an
// item longer than width has a line of its own); always at least one line.
func wrapList(items []string, width int) []string {
	var lines []string
	cur := ""
	for i, it := range items {
		sep := ""
		if i < len(items)-1 {
			sep = ","
		}
		switch {
		case cur == "":
			cur = it + sep
		case len(cur)+1+len(it)+len(sep) > width:
			lines = append(lines, cur)
			cur = it + sep
		default:
			cur += " " + it + sep
		}
	}
	return append(lines, cur)
}
