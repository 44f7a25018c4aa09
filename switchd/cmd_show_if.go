package switchd

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/engine"
)

func (s *Switch) defineShowInterfaces() {
	x := s.exec
	help := map[string]string{
		"status":      "Show interface line status",
		"counters":    "Show interface counters",
		"errors":      "Show interface error counters",
		"description": "Show interface description",
		"switchport":  "Show interface switchport information",
		"trunk":       "Show interface trunk information",
		"stats":       "Show interface packets & octets, in & out, by switching path",
	}
	x.Define(cli.Command{Syntax: "show interfaces [" + ifSpec + "]", Pipe: true, Help: help, Run: s.showInterfaces})
	// Every table for all interfaces or one; the forms without an
	// interface are defined apart so that docs/commands.md gives their help.
	for _, f := range []struct {
		tail string
		run  func(*cli.Ctx, cli.Args) error
	}{
		{"status", s.showInterfacesStatus},
		{"description", s.showInterfacesDescription},
		{"counters [errors]", s.showInterfacesCounters},
		{"trunk", s.showTrunk},
	} {
		x.Define(cli.Command{Syntax: "show interfaces " + f.tail, Pipe: true, Help: help, Run: f.run})
		x.Define(cli.Command{Syntax: "show interfaces " + ifSpec + " " + f.tail, Pipe: true, Help: help, Run: f.run})
	}
	x.Define(cli.Command{Syntax: "show interfaces [" + ifSpec + "] switchport", Pipe: true, Help: help, Run: s.showSwitchport})
	x.Define(cli.Command{Syntax: "show interfaces [" + ifSpec + "] stats", Pipe: true, Help: help, Run: s.showInterfacesStats})
	x.Define(cli.Command{Syntax: "show ip interface brief", Pipe: true,
		Help: map[string]string{"ip": "IP information", "interface": "IP interface status and configuration", "brief": "Brief summary of IP status and configuration"},
		Run:  s.showIPInterfaceBrief})
	x.Define(cli.Command{Syntax: "clear counters [" + ifSpec + "]", Priv: privMax,
		Help: map[string]string{"counters": "Clear counters on one or all interfaces"},
		Run:  s.clearCounters})
}

// clearCounters is IOS's "clear counters [IF]": it asks first, as IOS
// does, at a terminal. A script (swcli -c, piped input) is not asked: its
// next line is a command, not an answer, and clearing counters loses
// nothing a script could want to keep.
func (s *Switch) clearCounters(c *cli.Ctx, a cli.Args) error {
	name, prompt := "", `Clear "show interface" counters on all interfaces [confirm]`
	if a.Has("ethernet") || a.Has("netdev") || a.Has("vlan") || a.Get("ifname") != "" {
		ref, err := s.resolveIf(a)
		if err != nil {
			return err
		}
		name = s.netdevOf(ref)
		if name == "" {
			return fmt.Errorf("%% Interface %s is not on the switch", ref.display())
		}
		prompt = `Clear "show interface" counters on this interface [confirm]`
	}
	if c.S.Interactive() {
		ok, err := c.Confirm(prompt)
		if err != nil || !ok {
			return err
		}
		// The interface may have left while the question was open.
		if name != "" {
			if _, err := s.eng.Port(name); err != nil {
				return fmt.Errorf("%% Interface %s is not on the switch", name)
			}
		}
	}
	if err := s.eng.ClearCounters(name); err != nil {
		return fmt.Errorf("%% %v", err)
	}
	return nil
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

// portStatus is the Status column of "show interfaces status": IOS shows an
// access port whose VLAN is not in the VLAN database as inactive, whatever
// its link (it forwards nothing).
func (s *Switch) portStatus(p *port, st engine.PortStatus) string {
	_, _, status := lineState(p.shutdown, st)
	if !p.shutdown && !p.routed && p.mode != engine.Trunk && !s.cfg.vlans.Has(p.accessVLAN) {
		return "inactive"
	}
	return status
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
		return "EtherSVI"
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
		kind := st.Kind
		if ref.svi != 0 {
			// IOS adds the port's status to switch ports only.
			c.Printf("%s is %s, line protocol is %s\n", ref.display(), state, proto)
			kind = engine.KindSVI
		} else {
			c.Printf("%s is %s, line protocol is %s (%s)\n", ref.display(), state, proto, status)
		}
		c.Printf("  Hardware is %s, address is %s (bia %s)\n", kindName(kind), st.MAC, st.MAC)
		if desc != "" {
			c.Printf("  Description: %s\n", desc)
		}
		var addrs, addrs6 []netip.Prefix
		if ref.svi != 0 {
			addrs, addrs6 = s.cfg.svis[ref.svi].addrs, s.cfg.svis[ref.svi].addrs6
		} else {
			addrs, addrs6 = s.cfg.ports[ref.port].addrs, s.cfg.ports[ref.port].addrs6
		}
		for i, pfx := range addrs {
			kind := "Internet address"
			if i > 0 {
				kind = "Secondary address"
			}
			c.Printf("  %s is %s\n", kind, pfx)
		}
		for _, pfx := range addrs6 {
			c.Printf("  IPv6 address is %s\n", ipv6PrefixString(pfx))
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
			if p.routed {
				// IOS shows the addresses above, no switchport line.
			} else if p.mode == engine.Trunk {
				c.Printf("  Switchport mode trunk, native VLAN %d, allowed VLANs %s\n", p.nativeVLAN, allowedString(p.allowed))
			} else {
				c.Printf("  Switchport mode access, VLAN %d\n", p.accessVLAN)
			}
		}
		s.printIfCounters(c, &cnt)
	}
	return nil
}

// printIfCounters is the counters part of "show interfaces" in IOS's
// places. What lisad knows and IOS has no place for (drops by reason,
// frames punted to the control plane) follows the IOS line it details.
//
// Where the numbers come from: lisad's own counters, and the netdev's
// statistics for what happened below lisad (engine.LinkStats):
//
//	Input queue drops   lisad's input drops + the netdev's rx_dropped (frames
//	                    the kernel dropped before lisad saw them)
//	Total output drops  lisad's output drops (tx-error, tx-queue-full) + tx_dropped
//	no buffer           rx-queue-full: the kernel found lisad's socket full
//	runts               malformed: shorter than an Ethernet header or truncated
//	giants, throttles   0: Linux does not count them apart (rx_length_errors,
//	                    in input errors, has both short and long frames)
//	input errors        rx_errors + runts
//	CRC, frame          rx_crc_errors, rx_frame_errors
//	overrun, ignored    rx_over_errors + rx_fifo_errors, rx_missed_errors
//	underruns           tx_fifo_errors
//	output errors       tx_errors
//	collisions          collisions
func (s *Switch) printIfCounters(c *cli.Ctx, cnt *engine.PortCounters) {
	l := &cnt.Link
	cleared := "never"
	if !cnt.Cleared.IsZero() {
		cleared = ifAge(s.now().Sub(cnt.Cleared))
	}
	c.Printf("  Last clearing of \"show interface\" counters %s\n", cleared)
	c.Printf("  Input queue: 0/75/%d/0 (size/max/drops/flushes); Total output drops: %d\n", inDrops(cnt), outDrops(cnt))
	c.Printf("  5 minute input rate %d bits/sec, %d packets/sec\n", cnt.Rates.InBits, cnt.Rates.InPackets)
	c.Printf("  5 minute output rate %d bits/sec, %d packets/sec\n", cnt.Rates.OutBits, cnt.Rates.OutPackets)
	runts := cnt.Drops[engine.DropMalformed]
	c.Printf("     %d packets input, %d bytes, %d no buffer\n", cnt.RxPackets, cnt.RxBytes, cnt.Drops[engine.DropRxQueueFull])
	c.Printf("     Received %d broadcasts (%d multicasts), %d unicasts\n", cnt.RxBroadcast, cnt.RxMulticast, cnt.RxUnicast)
	c.Printf("     %d runts, 0 giants, 0 throttles\n", runts)
	c.Printf("     %d input errors, %d CRC, %d frame, %d overrun, %d ignored\n",
		l.RxErrors+runts, l.RxCRCErrors, l.RxFrameErrors, l.RxOverErrors+l.RxFIFOErrors, l.RxMissed)
	c.Printf("     %d input drops, %d punted to the control plane\n", inDrops(cnt), cnt.Punted)
	for r := engine.DropReason(0); r < engine.NumDropReasons; r++ {
		if n := cnt.Drops[r]; n > 0 && !r.Output() {
			c.Printf("       %d %s\n", n, r)
		}
	}
	if l.RxDropped > 0 {
		c.Printf("       %d netdev-rx-dropped\n", l.RxDropped)
	}
	c.Printf("     %d packets output, %d bytes, %d underruns\n", cnt.TxPackets, cnt.TxBytes, l.TxFIFOErrors)
	c.Printf("     Sent %d broadcasts (%d multicasts), %d unicasts\n", cnt.TxBroadcast, cnt.TxMulticast, cnt.TxUnicast)
	c.Printf("     %d output errors, %d collisions, 0 interface resets\n", l.TxErrors, l.Collisions)
	c.Printf("     %d output drops\n", outDrops(cnt))
	for r := engine.DropReason(0); r < engine.NumDropReasons; r++ {
		if n := cnt.Drops[r]; n > 0 && r.Output() {
			c.Printf("       %d %s\n", n, r)
		}
	}
	if l.TxDropped > 0 {
		c.Printf("       %d netdev-tx-dropped\n", l.TxDropped)
	}
}

// inDrops are the frames lost on their way in: lisad's input drops and the
// kernel's drops on the netdev before lisad saw them.
func inDrops(cnt *engine.PortCounters) uint64 { return cnt.InDrops() + cnt.Link.RxDropped }

// outDrops are the frames lost on their way out: those lisad could not
// transmit and those the kernel dropped after it.
func outDrops(cnt *engine.PortCounters) uint64 { return cnt.OutDrops() + cnt.Link.TxDropped }

// ifAge is how IOS shows the time since an interface event: hh:mm:ss
// within a day, then 1d02h, then 1w2d.
func ifAge(d time.Duration) string {
	d = max(d, 0)
	h := int(d.Hours())
	switch {
	case h < 24:
		return fmt.Sprintf("%02d:%02d:%02d", h, int(d.Minutes())%60, int(d.Seconds())%60)
	case h < 7*24:
		return fmt.Sprintf("%dd%02dh", h/24, h%24)
	}
	return fmt.Sprintf("%dw%dd", h/(7*24), h/24%7)
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
	refs, err := s.selectedIfs(a)
	if err != nil {
		return err
	}
	c.Print("\nPort      Name               Status       Vlan       Duplex  Speed Type\n")
	for _, ref := range refs {
		if ref.svi != 0 {
			continue // IOS lists switch ports only
		}
		st, err := s.eng.Port(s.netdevOf(ref))
		if err != nil {
			continue
		}
		p := s.cfg.ports[ref.port]
		vlan := fmt.Sprint(p.accessVLAN)
		switch {
		case p.routed:
			vlan = "routed"
		case p.mode == engine.Trunk:
			vlan = "trunk"
		}
		duplex, speed := "auto", "auto"
		if st.Duplex != "" {
			duplex = st.Duplex
		}
		if st.Speed > 0 {
			speed = speedString(st.Speed)
		}
		c.Printf("%-9s %-18s %-12s %-10s %6s %6s %s\n", truncate(ref.display(), 9), truncate(p.description, 18), s.portStatus(p, st), vlan, duplex, speed, kindShort(st.Kind))
	}
	return nil
}

// showInterfacesDescription is IOS's one line per interface: state,
// protocol and description.
func (s *Switch) showInterfacesDescription(c *cli.Ctx, a cli.Args) error {
	refs, err := s.selectedIfs(a)
	if err != nil {
		return err
	}
	c.Print("Interface                      Status         Protocol Description\n")
	for _, ref := range refs {
		st, err := s.eng.Port(s.netdevOf(ref))
		if err != nil {
			continue
		}
		adminDown, desc := false, ""
		if ref.svi != 0 {
			v := s.cfg.svis[ref.svi]
			adminDown, desc = v.shutdown, v.description
		} else {
			p := s.cfg.ports[ref.port]
			adminDown, desc = p.shutdown, p.description
		}
		state, proto, _ := lineState(adminDown, st)
		if adminDown {
			state = "admin down"
		}
		c.Print(strings.TrimRight(fmt.Sprintf("%-30s %-14s %-8s %s", ref.display(), state, proto, desc), " ") + "\n")
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
	refs, err := s.selectedIfs(a)
	if err != nil {
		return err
	}
	type row struct {
		name string
		cnt  engine.PortCounters
	}
	var rows []row
	for _, ref := range refs {
		cnt, err := s.eng.Counters(s.netdevOf(ref))
		if err == nil {
			rows = append(rows, row{ref.display(), cnt})
		}
	}
	if a.Has("errors") {
		// IOS's error columns from what Linux counts (engine.LinkStats):
		//
		//	Align-Err    rx_frame_errors (frame alignment)
		//	FCS-Err      rx_crc_errors
		//	Xmit-Err     tx_errors
		//	Rcv-Err      rx_errors
		//	UnderSize    frames lisad got shorter than a header or truncated
		//	             (malformed); the kernel counts runts and giants
		//	             together, in rx_length_errors, part of rx_errors
		//	OutDiscards  lisad's output drops (tx-error, tx-queue-full) and
		//	             tx_dropped
		c.Print("\nPort              Align-Err     FCS-Err    Xmit-Err     Rcv-Err  UnderSize  OutDiscards\n")
		for _, r := range rows {
			l := &r.cnt.Link
			c.Printf("%-15s %11d %11d %11d %11d %10d %12d\n", r.name, l.RxFrameErrors, l.RxCRCErrors, l.TxErrors, l.RxErrors, r.cnt.Drops[engine.DropMalformed], outDrops(&r.cnt))
		}
		return nil
	}
	c.Print("\nPort            InOctets    InUcastPkts    InMcastPkts    InBcastPkts\n")
	for _, r := range rows {
		c.Printf("%-15s %9d %14d %14d %14d\n", r.name, r.cnt.RxBytes, r.cnt.RxUnicast, r.cnt.RxMulticast, r.cnt.RxBroadcast)
	}
	c.Print("\nPort           OutOctets   OutUcastPkts   OutMcastPkts   OutBcastPkts\n")
	for _, r := range rows {
		c.Printf("%-15s %9d %14d %14d %14d\n", r.name, r.cnt.TxBytes, r.cnt.TxUnicast, r.cnt.TxMulticast, r.cnt.TxBroadcast)
	}
	c.Print("\nPort              InDrops     OutDrops       Punted\n")
	for _, r := range rows {
		c.Printf("%-15s %9d %12d %12d\n", r.name, inDrops(&r.cnt), outDrops(&r.cnt), r.cnt.Punted)
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
		if p.routed {
			c.Printf("Name: %s\nSwitchport: Disabled\n", p.name)
			continue
		}
		admin := "static access"
		if p.mode == engine.Trunk {
			admin = "trunk"
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

// showTrunk is IOS's "show interfaces trunk": every operational trunk (a
// trunk port that is shut down or has no link is not listed), or the one
// interface named, trunking or not (an access port shows mode off and its
// access VLAN).
func (s *Switch) showTrunk(c *cli.Ctx, a cli.Args) error {
	type row struct {
		p        *port
		mode     string
		trunking bool
		allowed  engine.VLANSet
	}
	one := a.Has("ethernet") || a.Has("netdev") || a.Has("vlan") || a.Get("ifname") != ""
	refs, err := s.selectedIfs(a)
	if err != nil {
		return err
	}
	var rows []row
	for _, ref := range refs {
		if ref.svi != 0 {
			continue
		}
		p := s.cfg.ports[ref.port]
		if p.routed {
			continue // not a switch port: no trunking at all
		}
		st, err := s.eng.Port(p.name)
		r := row{p: p, mode: "off", allowed: p.allowed}
		if p.mode == engine.Trunk {
			r.mode = "on"
			r.trunking = !p.shutdown && err == nil && st.OperUp
		} else {
			var acc engine.VLANSet
			acc.Add(p.accessVLAN)
			r.allowed = acc
		}
		if r.trunking || one {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	c.Print("\nPort        Mode             Encapsulation  Status        Native vlan\n")
	for _, r := range rows {
		status := "trunking"
		if !r.trunking {
			status = "not-trunking"
		}
		c.Printf("%-11s %-16s %-14s %-13s %d\n", r.p.name, r.mode, "802.1q", status, r.p.nativeVLAN)
	}
	c.Print("\nPort        Vlans allowed on trunk\n")
	for _, r := range rows {
		c.Print(trunkListRow(r.p.name, r.allowed))
	}
	// VLANs 1002-1005 exist but are not active on an Ethernet trunk.
	var active engine.VLANSet
	for _, id := range s.cfg.vlans.IDs() {
		if id < 1002 || id > 1005 {
			active.Add(id)
		}
	}
	c.Print("\nPort        Vlans allowed and active in management domain\n")
	for _, r := range rows {
		c.Print(trunkListRow(r.p.name, r.allowed.Intersect(active)))
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
			p := s.cfg.ports[ref.port]
			adminDown = p.shutdown
			if len(p.addrs) > 0 {
				addr, method = p.addrs[0].Addr().String(), "manual"
			}
		}
		state, proto, _ := lineState(adminDown, st)
		c.Printf("%-22s %-15s YES %-6s %-21s %s\n", ref.display(), addr, method, state, proto)
	}
	return nil
}
