package switchd

import (
	"fmt"
	"strings"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/engine"
)

func (s *Switch) defineShowInterfaces() {
	x := s.exec
	help := map[string]string{
		"status":     "Show interface line status",
		"counters":   "Show interface counters",
		"switchport": "Show interface switchport information",
		"trunk":      "Show interface trunk information",
		"stats":      "Show interface packets & octets, in & out, by switching path",
	}
	x.Define(cli.Command{Syntax: "show interfaces [" + ifSpec + "]", Pipe: true, Help: help, Run: s.showInterfaces})
	x.Define(cli.Command{Syntax: "show interfaces status", Pipe: true, Help: help, Run: s.showInterfacesStatus})
	x.Define(cli.Command{Syntax: "show interfaces counters", Pipe: true, Help: help, Run: s.showInterfacesCounters})
	x.Define(cli.Command{Syntax: "show interfaces [" + ifSpec + "] switchport", Pipe: true, Help: help, Run: s.showSwitchport})
	x.Define(cli.Command{Syntax: "show interfaces trunk", Pipe: true, Help: help, Run: s.showTrunk})
	x.Define(cli.Command{Syntax: "show interfaces [" + ifSpec + "] stats", Pipe: true, Help: help, Run: s.showInterfacesStats})
	x.Define(cli.Command{Syntax: "show ip interface brief", Pipe: true,
		Help: map[string]string{"ip": "IP information", "interface": "IP interface status and configuration", "brief": "Brief summary of IP status and configuration"},
		Run:  s.showIPInterfaceBrief})
	x.Define(cli.Command{Syntax: "clear counters [" + ifSpec + "]", Priv: privMax,
		Help: map[string]string{"counters": "Clear counters on one or all interfaces"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			name := ""
			if a.Has("counters") && (a.Has("ethernet") || a.Has("netdev") || a.Has("vlan") || a.Get("ifname") != "") {
				ref, err := s.resolveIf(a)
				if err != nil {
					return err
				}
				name = s.netdevOf(ref)
				if name == "" {
					return fmt.Errorf("%% Interface %s is not on the switch", ref.display())
				}
			}
			if err := s.eng.ClearCounters(name); err != nil {
				return fmt.Errorf("%% %v", err)
			}
			return nil
		}})
}

// netdevOf returns the engine's name for an interface of the switch, "" if
// it is not on the switch.
func (s *Switch) netdevOf(r ifRef) string {
	if r.svi != 0 {
		if s.cfg.svis[r.svi] == nil {
			return ""
		}
		return fmt.Sprintf("vlan%d", r.svi)
	}
	if s.cfg.ports[r.port] == nil {
		return ""
	}
	return r.port
}

// ifList is every interface of the switch in display order: ports, then
// VLAN interfaces.
func (s *Switch) ifList() []ifRef {
	var out []ifRef
	for _, n := range s.cfg.portNames() {
		out = append(out, ifRef{port: n})
	}
	for _, id := range s.cfg.sviIDs() {
		out = append(out, ifRef{svi: id})
	}
	return out
}

func (s *Switch) selectedIfs(a cli.Args) ([]ifRef, error) {
	if !a.Has("ethernet") && !a.Has("netdev") && !a.Has("vlan") && a.Get("ifname") == "" {
		return s.ifList(), nil
	}
	ref, err := s.resolveIf(a)
	if err != nil {
		return nil, err
	}
	if s.netdevOf(ref) == "" {
		return nil, fmt.Errorf("%% Interface %s is not on the switch", ref.display())
	}
	return []ifRef{ref}, nil
}

// lineState is IOS's "up/down, line protocol" pair and the status column.
func lineState(adminDown bool, st engine.PortStatus) (state, proto, status string) {
	switch {
	case adminDown:
		return "administratively down", "down", "disabled"
	case !st.OperUp:
		return "down", "down", "notconnect"
	}
	return "up", "up", "connected"
}

func kindName(k engine.PortKind) string {
	switch k {
	case engine.KindPhysical:
		return "Ethernet"
	case engine.KindVeth:
		return "Virtual Ethernet (veth)"
	case engine.KindTap:
		return "Virtual Ethernet (tap)"
	case engine.KindSVI:
		return "Ethernet SVI"
	}
	return "Ethernet"
}

func (s *Switch) showInterfaces(c *cli.Ctx, a cli.Args) error {
	refs, err := s.selectedIfs(a)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		name := s.netdevOf(ref)
		st, err := s.eng.Port(name)
		if err != nil {
			continue
		}
		cnt, _ := s.eng.Counters(name)
		adminDown, desc := false, ""
		if ref.svi != 0 {
			v := s.cfg.svis[ref.svi]
			adminDown, desc = v.shutdown, v.description
		} else {
			p := s.cfg.ports[ref.port]
			adminDown, desc = p.shutdown, p.description
		}
		state, proto, status := lineState(adminDown, st)
		c.Printf("%s is %s, line protocol is %s (%s)\n", ref.display(), state, proto, status)
		c.Printf("  Hardware is %s, address is %s (bia %s)\n", kindName(st.Kind), st.MAC, st.MAC)
		if desc != "" {
			c.Printf("  Description: %s\n", desc)
		}
		if ref.svi != 0 {
			for i, pfx := range s.cfg.svis[ref.svi].addrs {
				kind := "Internet address"
				if i > 0 {
					kind = "Secondary address"
				}
				c.Printf("  %s is %s\n", kind, pfx)
			}
			for _, pfx := range s.cfg.svis[ref.svi].addrs6 {
				c.Printf("  IPv6 address is %s\n", ipv6PrefixString(pfx))
			}
		}
		c.Printf("  MTU %d bytes, BW %d Kbit/sec\n", st.MTU, st.Speed*1000)
		c.Print("  Encapsulation ARPA, loopback not set\n")
		duplex := "Unknown-duplex"
		if st.Duplex != "" {
			duplex = strings.ToUpper(st.Duplex[:1]) + st.Duplex[1:] + "-duplex"
		}
		speed := "unknown speed"
		if st.Speed > 0 {
			speed = fmt.Sprintf("%dMb/s", st.Speed)
		}
		c.Printf("  %s, %s\n", duplex, speed)
		if ref.svi == 0 {
			p := s.cfg.ports[ref.port]
			if p.mode == engine.Trunk {
				c.Printf("  Switchport mode trunk, native VLAN %d, allowed VLANs %s\n", p.nativeVLAN, allowedString(p.allowed))
			} else {
				c.Printf("  Switchport mode access, VLAN %d\n", p.accessVLAN)
			}
		}
		c.Printf("     %d packets input, %d bytes\n", cnt.RxPackets, cnt.RxBytes)
		c.Printf("     Received %d broadcasts (%d multicasts), %d unicasts\n", cnt.RxBroadcast, cnt.RxMulticast, cnt.RxUnicast)
		c.Printf("     %d packets output, %d bytes\n", cnt.TxPackets, cnt.TxBytes)
		c.Printf("     Sent %d broadcasts (%d multicasts), %d unicasts\n", cnt.TxBroadcast, cnt.TxMulticast, cnt.TxUnicast)
		c.Printf("     %d input drops, %d punted to the control plane\n", cnt.TotalDrops(), cnt.Punted)
		for r := engine.DropReason(0); r < engine.NumDropReasons; r++ {
			if n := cnt.Drops[r]; n > 0 {
				c.Printf("       %d %s\n", n, r)
			}
		}
	}
	return nil
}

func allowedString(v engine.VLANSet) string {
	switch {
	case v.IsAll():
		return "ALL"
	case v.IsEmpty():
		return "NONE"
	}
	return v.String()
}

func (s *Switch) showInterfacesStatus(c *cli.Ctx, a cli.Args) error {
	c.Print("\nPort      Name               Status       Vlan       Duplex  Speed Type\n")
	for _, ref := range s.ifList() {
		if ref.svi != 0 {
			continue // IOS lists switch ports only
		}
		name := s.netdevOf(ref)
		st, err := s.eng.Port(name)
		if err != nil {
			continue
		}
		vlan, desc, adminDown := "", "", false
		if ref.svi != 0 {
			v := s.cfg.svis[ref.svi]
			vlan, desc, adminDown = "routed", v.description, v.shutdown
		} else {
			p := s.cfg.ports[ref.port]
			desc, adminDown = p.description, p.shutdown
			vlan = fmt.Sprint(p.accessVLAN)
			if p.mode == engine.Trunk {
				vlan = "trunk"
			}
		}
		_, _, status := lineState(adminDown, st)
		duplex, speed := "auto", "auto"
		if st.Duplex != "" {
			duplex = st.Duplex
		}
		if st.Speed > 0 {
			speed = speedString(st.Speed)
		}
		c.Printf("%-9s %-18s %-12s %-10s %6s %6s %s\n", truncate(ref.display(), 9), truncate(desc, 18), status, vlan, duplex, speed, kindShort(st.Kind))
	}
	return nil
}

func speedString(mbps int) string {
	if mbps >= 1000 && mbps%1000 == 0 {
		return fmt.Sprintf("%dG", mbps/1000)
	}
	return fmt.Sprint(mbps)
}

func kindShort(k engine.PortKind) string {
	switch k {
	case engine.KindVeth:
		return "veth"
	case engine.KindTap:
		return "tap"
	case engine.KindSVI:
		return "svi"
	case engine.KindPhysical:
		return "ethernet"
	}
	return "netdev"
}

func (s *Switch) showInterfacesCounters(c *cli.Ctx, a cli.Args) error {
	type row struct {
		name string
		cnt  engine.PortCounters
	}
	var rows []row
	for _, ref := range s.ifList() {
		cnt, err := s.eng.Counters(s.netdevOf(ref))
		if err == nil {
			rows = append(rows, row{ref.display(), cnt})
		}
	}
	c.Print("\nPort            InOctets    InUcastPkts    InMcastPkts    InBcastPkts\n")
	for _, r := range rows {
		c.Printf("%-15s %9d %14d %14d %14d\n", r.name, r.cnt.RxBytes, r.cnt.RxUnicast, r.cnt.RxMulticast, r.cnt.RxBroadcast)
	}
	c.Print("\nPort           OutOctets   OutUcastPkts   OutMcastPkts   OutBcastPkts\n")
	for _, r := range rows {
		c.Printf("%-15s %9d %14d %14d %14d\n", r.name, r.cnt.TxBytes, r.cnt.TxUnicast, r.cnt.TxMulticast, r.cnt.TxBroadcast)
	}
	c.Print("\nPort             InDrops       Punted\n")
	for _, r := range rows {
		c.Printf("%-15s %9d %12d\n", r.name, r.cnt.TotalDrops(), r.cnt.Punted)
	}
	return nil
}

// showInterfacesStats is IOS's per-switching-path table: "Processor" is
// lisad's own forwarding, "Kernel fast path" the frames the kernel switched
// for it (known unicast between ports).
func (s *Switch) showInterfacesStats(c *cli.Ctx, a cli.Args) error {
	refs, err := s.selectedIfs(a)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		cnt, err := s.eng.Counters(s.netdevOf(ref))
		if err != nil {
			continue
		}
		c.Printf("%s\n", ref.display())
		c.Printf("%24s %10s %10s %10s %10s\n", "Switching path", "Pkts In", "Chars In", "Pkts Out", "Chars Out")
		row := func(name string, pi, bi, po, bo uint64) {
			c.Printf("%24s %10d %10d %10d %10d\n", name, pi, bi, po, bo)
		}
		row("Processor", cnt.RxPackets-cnt.FastRxPackets, cnt.RxBytes-cnt.FastRxBytes, cnt.TxPackets-cnt.FastTxPackets, cnt.TxBytes-cnt.FastTxBytes)
		row("Kernel fast path", cnt.FastRxPackets, cnt.FastRxBytes, cnt.FastTxPackets, cnt.FastTxBytes)
		row("Total", cnt.RxPackets, cnt.RxBytes, cnt.TxPackets, cnt.TxBytes)
	}
	return nil
}

func (s *Switch) showSwitchport(c *cli.Ctx, a cli.Args) error {
	refs, err := s.selectedIfs(a)
	if err != nil {
		return err
	}
	first := true
	for _, ref := range refs {
		if ref.svi != 0 {
			continue
		}
		p := s.cfg.ports[ref.port]
		if !first {
			c.Print("\n")
		}
		first = false
		admin := "static access"
		if p.mode == engine.Trunk {
			admin = "trunk"
		} else if !p.modeSet {
			admin = "static access (default)"
		}
		oper := "static access"
		if p.mode == engine.Trunk {
			oper = "trunk"
		}
		if p.shutdown {
			oper = "down"
		}
		vlanState := func(id uint16) string {
			if !s.cfg.vlans.Has(id) {
				return fmt.Sprintf("%d (Inactive)", id)
			}
			return fmt.Sprintf("%d (%s)", id, s.cfg.vlanName(id))
		}
		c.Printf("Name: %s\n", p.name)
		c.Print("Switchport: Enabled\n")
		c.Printf("Administrative Mode: %s\n", admin)
		c.Printf("Operational Mode: %s\n", oper)
		c.Print("Administrative Trunking Encapsulation: dot1q\n")
		c.Print("Operational Trunking Encapsulation: dot1q\n")
		c.Print("Negotiation of Trunking: Off\n")
		c.Printf("Access Mode VLAN: %s\n", vlanState(p.accessVLAN))
		c.Printf("Trunking Native Mode VLAN: %s\n", vlanState(p.nativeVLAN))
		c.Print("Administrative Native VLAN tagging: disabled\n")
		c.Print("Voice VLAN: none\n")
		c.Printf("Trunking VLANs Enabled: %s\n", allowedString(p.allowed))
		if p.vm != nil {
			c.Printf("Virtual machine: %s, NIC %d\n", p.vm.domain, p.vm.nic)
		}
	}
	return nil
}

func (s *Switch) showTrunk(c *cli.Ctx, a cli.Args) error {
	var trunks []*port
	for _, n := range s.cfg.portNames() {
		if p := s.cfg.ports[n]; p.mode == engine.Trunk {
			trunks = append(trunks, p)
		}
	}
	if len(trunks) == 0 {
		return nil
	}
	c.Print("\nPort        Mode             Encapsulation  Status        Native vlan\n")
	for _, p := range trunks {
		status := "trunking"
		if st, err := s.eng.Port(p.name); p.shutdown || err != nil || !st.OperUp {
			status = "not-trunking"
		}
		c.Printf("%-11s %-16s %-14s %-13s %d\n", p.name, "on", "802.1q", status, p.nativeVLAN)
	}
	c.Print("\nPort        Vlans allowed on trunk\n")
	for _, p := range trunks {
		c.Print(trunkListRow(p.name, p.allowed))
	}
	// VLANs 1002-1005 exist but are not active on an Ethernet trunk.
	var active engine.VLANSet
	for _, id := range s.cfg.vlans.IDs() {
		if id < 1002 || id > 1005 {
			active.Add(id)
		}
	}
	c.Print("\nPort        Vlans allowed and active in management domain\n")
	for _, p := range trunks {
		c.Print(trunkListRow(p.name, p.allowed.Intersect(active)))
	}
	return nil
}

// trunkListRow is a port's VLAN list wrapped under the list column.
func trunkListRow(name string, v engine.VLANSet) string {
	if v.IsEmpty() {
		return fmt.Sprintf("%-11s none\n", name)
	}
	indent := strings.Repeat(" ", 12)
	lines := vlanListLines(indent, v)
	out := fmt.Sprintf("%-11s %s\n", name, strings.TrimPrefix(lines[0], indent))
	for _, l := range lines[1:] {
		out += l + "\n"
	}
	return out
}

func (s *Switch) showIPInterfaceBrief(c *cli.Ctx, a cli.Args) error {
	c.Print("Interface              IP-Address      OK? Method Status                Protocol\n")
	for _, ref := range s.ifList() {
		st, err := s.eng.Port(s.netdevOf(ref))
		if err != nil {
			continue
		}
		addr, method, adminDown := "unassigned", "unset", false
		if ref.svi != 0 {
			v := s.cfg.svis[ref.svi]
			adminDown = v.shutdown
			if len(v.addrs) > 0 {
				addr, method = v.addrs[0].Addr().String(), "manual"
			}
		} else {
			adminDown = s.cfg.ports[ref.port].shutdown
		}
		state, proto, _ := lineState(adminDown, st)
		c.Printf("%-22s %-15s YES %-6s %-21s %s\n", ref.display(), addr, method, state, proto)
	}
	return nil
}
