package switchd

import (
	"fmt"
	"sort"
	"time"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/engine"
)

func (s *Switch) defineMAC() {
	macHelp := map[string]string{
		"mac":               "Global MAC configuration subcommands",
		"address-table":     "Configure the MAC address table",
		"mac-address-table": "Configure the MAC address table",
		"aging-time":        "Set MAC address table entry maximum age",
		"<0-1000000>":       "Aging time in seconds: 0 disables aging, else 10-1000000",
		"static":            "static keyword",
		"vlan":              "VLAN keyword",
		"interface":         "interface",
	}
	for _, kw := range []string{"mac address-table", "mac-address-table"} {
		legacy := kw == "mac-address-table"
		s.conf.Define(cli.Command{Syntax: kw + " aging-time <0-1000000>", Priv: privMax, Help: macHelp, Hidden: legacy,
			Run: func(c *cli.Ctx, a cli.Args) error {
				t := a.Int("aging-time")
				if t > 0 && t < 10 {
					return fmt.Errorf("%% Aging time must be 0 (never) or 10-1000000 seconds")
				}
				s.cfg.aging = t
				s.eng.SetAgingTime(time.Duration(t) * time.Second)
				return nil
			}})
		s.conf.Define(cli.Command{Syntax: "no " + kw + " aging-time", Priv: privMax, Help: macHelp, Hidden: legacy,
			Run: func(c *cli.Ctx, a cli.Args) error {
				s.cfg.aging = s.agingDefault()
				s.eng.SetAgingTime(time.Duration(s.cfg.aging) * time.Second)
				return nil
			}})
		s.conf.Define(cli.Command{Syntax: kw + " static H.H.H vlan <1-4094> interface " + ifSpec, Priv: privMax, Help: macHelp, Hidden: legacy, Doc: "Pin a MAC address of a VLAN to a port",
			Run: s.cmdStaticMAC})
		s.conf.Define(cli.Command{Syntax: "no " + kw + " static H.H.H vlan <1-4094> [interface " + ifSpec + "]", Priv: privMax, Help: macHelp, Hidden: legacy, Doc: "Remove a static MAC address",
			Run: s.cmdNoStaticMAC})
	}

	showHelp := map[string]string{
		"mac":               "MAC configuration",
		"address-table":     "MAC forwarding table",
		"mac-address-table": "MAC forwarding table",
		"dynamic":           "dynamic entry type",
		"static":            "static entry type",
		"address":           "address keyword",
		"interface":         "interface keyword",
		"vlan":              "VLAN keyword",
		"count":             "Count entries in the MAC address table",
		"aging-time":        "aging-time keyword",
	}
	clearHelp := map[string]string{
		"mac":               "MAC forwarding table",
		"address-table":     "MAC forwarding table",
		"mac-address-table": "MAC forwarding table",
		"dynamic":           "dynamic entry type",
		"address":           "address keyword",
		"interface":         "interface keyword",
		"vlan":              "vlan keyword",
	}
	for _, kw := range []string{"mac address-table", "mac-address-table"} {
		legacy := kw == "mac-address-table"
		s.exec.Define(cli.Command{Syntax: "show " + kw + " [dynamic | static] [address H.H.H] [interface " + ifSpec + "] [vlan <1-4094>]",
			Pipe: true, Help: showHelp, Hidden: legacy, Run: s.showMACTable})
		s.exec.Define(cli.Command{Syntax: "show " + kw + " count [vlan <1-4094>]", Pipe: true, Help: showHelp, Hidden: legacy, Run: s.showMACCount})
		s.exec.Define(cli.Command{Syntax: "show " + kw + " aging-time", Pipe: true, Help: showHelp, Hidden: legacy, Doc: "MAC address aging time",
			Run: func(c *cli.Ctx, a cli.Args) error {
				c.Printf("Global Aging Time: %6d\n", s.cfg.aging)
				return nil
			}})
		s.exec.Define(cli.Command{Syntax: "clear " + kw + " dynamic [address H.H.H | interface " + ifSpec + " | vlan <1-4094>]",
			Priv: privMax, Help: clearHelp, Hidden: legacy,
			Run: func(c *cli.Ctx, a cli.Args) error {
				f, err := s.fdbFilter(a)
				if err != nil {
					return err
				}
				f.Type = engine.DynamicEntry
				s.eng.ClearDynamic(f)
				return nil
			}})
	}
}

func (s *Switch) cmdStaticMAC(c *cli.Ctx, a cli.Args) error {
	mac, _ := cli.ParseCiscoMAC(a.Get("static"))
	m := engine.MAC(mac)
	vlan := uint16(a.Int("vlan"))
	ref, err := s.resolveIf(a)
	if err != nil {
		return err
	}
	if ref.svi != 0 || s.cfg.ports[ref.port] == nil {
		return fmt.Errorf("%% Interface %s is not a switch port", ref.display())
	}
	if m.IsMulticast() {
		return fmt.Errorf("%% Multicast address %s can not be configured as a static address", m)
	}
	if !s.cfg.vlans.Has(vlan) {
		return fmt.Errorf("%% VLAN %d does not exist", vlan)
	}
	if isMediaVLAN(vlan) {
		return fmt.Errorf("%% VLAN %d is an FDDI/Token Ring VLAN and carries no Ethernet traffic", vlan)
	}
	if err := s.eng.AddStatic(m, vlan, ref.port); err != nil {
		return fmt.Errorf("%% %v", err)
	}
	for i, st := range s.cfg.statics {
		if st.mac == m && st.vlan == vlan {
			s.cfg.statics[i].port = ref.port
			return nil
		}
	}
	s.cfg.statics = append(s.cfg.statics, staticMAC{mac: m, vlan: vlan, port: ref.port})
	return nil
}

func (s *Switch) cmdNoStaticMAC(c *cli.Ctx, a cli.Args) error {
	mac, _ := cli.ParseCiscoMAC(a.Get("static"))
	m := engine.MAC(mac)
	vlan := uint16(a.Int("vlan"))
	for i, st := range s.cfg.statics {
		if st.mac == m && st.vlan == vlan {
			s.cfg.statics = append(s.cfg.statics[:i], s.cfg.statics[i+1:]...)
			if err := s.eng.RemoveStatic(m, vlan); err != nil {
				return fmt.Errorf("%% %v", err)
			}
			return nil
		}
	}
	return fmt.Errorf("%% Static address %s not found in VLAN %d", m, vlan)
}

// fdbFilter builds an engine filter from address/interface/vlan arguments.
func (s *Switch) fdbFilter(a cli.Args) (engine.FDBFilter, error) {
	var f engine.FDBFilter
	if a.Has("interface") {
		ref, err := s.resolveIf(a)
		if err != nil {
			return f, err
		}
		if ref.svi != 0 {
			f.Port = "vlan" + fmt.Sprint(ref.svi)
		} else {
			if s.cfg.ports[ref.port] == nil {
				return f, fmt.Errorf("%% Interface %s is not a switch port", ref.port)
			}
			f.Port = ref.port
		}
	}
	if v, ok := a.Lookup("address"); ok {
		mac, _ := cli.ParseCiscoMAC(v)
		m := engine.MAC(mac)
		f.MAC = &m
	}
	if a.Has("vlan") {
		f.VLAN = uint16(a.Int("vlan"))
	}
	return f, nil
}

func (s *Switch) showMACTable(c *cli.Ctx, a cli.Args) error {
	f, err := s.fdbFilter(a)
	if err != nil {
		return err
	}
	switch {
	case a.Has("dynamic"):
		f.Type = engine.DynamicEntry
	case a.Has("static"):
		f.Type = engine.StaticEntry
	}
	entries := s.eng.MACTable(f)
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].VLAN != entries[j].VLAN {
			return entries[i].VLAN < entries[j].VLAN
		}
		return string(entries[i].MAC[:]) < string(entries[j].MAC[:])
	})
	c.Print("          Mac Address Table\n-------------------------------------------\n\n")
	c.Print("Vlan    Mac Address       Type        Ports\n")
	c.Print("----    -----------       --------    -----\n")
	for _, e := range entries {
		typ := "DYNAMIC"
		if e.Static {
			typ = "STATIC"
		}
		port := e.Port
		if id, isSVI := sviFromName(port); isSVI {
			port = (&svi{vlan: id}).name() // as the configuration names it
		}
		c.Printf("%4d    %s    %-8s    %s\n", e.VLAN, e.MAC, typ, port)
	}
	c.Printf("Total Mac Addresses for this criterion: %d\n", len(entries))
	return nil
}

func (s *Switch) showMACCount(c *cli.Ctx, a cli.Args) error {
	var f engine.FDBFilter
	if a.Has("vlan") {
		f.VLAN = uint16(a.Int("vlan"))
	}
	type count struct{ dyn, static int }
	per := map[uint16]*count{}
	for _, e := range s.eng.MACTable(f) {
		cn := per[e.VLAN]
		if cn == nil {
			cn = &count{}
			per[e.VLAN] = cn
		}
		if e.Static {
			cn.static++
		} else {
			cn.dyn++
		}
	}
	var vlans []int
	for v := range per {
		vlans = append(vlans, int(v))
	}
	sort.Ints(vlans)
	for _, v := range vlans {
		cn := per[uint16(v)]
		c.Printf("Mac Entries for Vlan %d:\n---------------------------\n", v)
		c.Printf("Dynamic Address Count  : %d\nStatic  Address Count  : %d\nTotal Mac Addresses    : %d\n\n", cn.dyn, cn.static, cn.dyn+cn.static)
	}
	total := s.eng.CountMACs()
	c.Printf("Total Mac Address Space Available: %d\n", total.Capacity-total.Dynamic-total.Static)
	return nil
}
