package switchd

import (
	"fmt"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/engine"
)

// MTUs, set on the netdevs (netlink): "mtu N" on a port, else "system mtu
// jumbo N", else "system mtu N" for every port; "system mtu routing N" for
// the VLAN interfaces. A port with none of them keeps the MTU its netdev
// had when it joined the switch, and gets it back when the last one goes
// or the port leaves. Unlike a Catalyst, which waits for a reload, the
// change is at once. lisad's own path carries frames of any size (up to
// engine.MaxFrameLen), so the netdevs' MTUs are the only limit.

// mtuConfig is the global MTU configuration; 0 is unset.
type mtuConfig struct {
	system, jumbo, routing int
}

// iosDefaultMTU is what show system mtu reports for an unset value.
const iosDefaultMTU = 1500

func (s *Switch) defineMTU() {
	help := map[string]string{
		"system":      "system",
		"mtu":         "MTU size",
		"size":        "MTU size in bytes",
		"jumbo":       "Set Jumbo MTU value for GigabitEthernet or TenGigabitEthernet interfaces",
		"jumbosize":   "Jumbo MTU size in bytes",
		"routing":     "Set Routing MTU value for the VLAN interfaces",
		"routingsize": "Routing MTU size in bytes",
		"portsize":    "MTU size in bytes",
	}
	g := s.conf
	global := func(set func(m *mtuConfig, a cli.Args)) cli.Handler {
		return func(c *cli.Ctx, a cli.Args) error {
			set(&s.cfg.mtu, a)
			for _, msg := range s.applyAllMTUs() {
				c.Printf("%s\n", msg)
			}
			return nil
		}
	}
	g.Define(cli.Command{Syntax: "system mtu <1500-1998>$size", Priv: privMax, Help: help,
		Doc: "MTU of every port without mtu or system mtu jumbo, set at once",
		Run: global(func(m *mtuConfig, a cli.Args) { m.system = a.Int("size") })})
	g.Define(cli.Command{Syntax: "system mtu jumbo <1500-9000>$jumbosize", Priv: privMax, Help: help,
		Doc: "MTU of every port without its own mtu (jumbo frames for the VMs), set at once",
		Run: global(func(m *mtuConfig, a cli.Args) { m.jumbo = a.Int("jumbosize") })})
	g.Define(cli.Command{Syntax: "system mtu routing <1280-1998>$routingsize", Priv: privMax, Help: help,
		Doc: "MTU of the VLAN interfaces",
		Run: global(func(m *mtuConfig, a cli.Args) { m.routing = a.Int("routingsize") })})
	g.Define(cli.Command{Syntax: "no system mtu [<1500-1998>$size]", Priv: privMax, Help: help,
		Run: global(func(m *mtuConfig, a cli.Args) { m.system = 0 })})
	g.Define(cli.Command{Syntax: "no system mtu jumbo [<1500-9000>$jumbosize]", Priv: privMax, Help: help,
		Run: global(func(m *mtuConfig, a cli.Args) { m.jumbo = 0 })})
	g.Define(cli.Command{Syntax: "no system mtu routing [<1280-1998>$routingsize]", Priv: privMax, Help: help,
		Run: global(func(m *mtuConfig, a cli.Args) { m.routing = 0 })})

	s.ifMode.Define(cli.Command{Syntax: "mtu <576-9216>$portsize", Priv: privMax, Class: classPort | classRouted, Help: help,
		Doc: "MTU of the port's netdev",
		Run: func(c *cli.Ctx, a cli.Args) error { return s.setPortMTU(c, a.Int("portsize")) }})
	s.ifMode.Define(cli.Command{Syntax: "no mtu [<576-9216>$portsize]", Priv: privMax, Class: classPort | classRouted, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error { return s.setPortMTU(c, 0) }})

	s.exec.Define(cli.Command{Syntax: "show system mtu", Pipe: true, Priv: privMax,
		Help: map[string]string{"system": "Show the system configuration", "mtu": "Display the system MTU setting"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			m := s.cfg.mtu
			or := func(v int) int {
				if v == 0 {
					return iosDefaultMTU
				}
				return v
			}
			c.Printf("System MTU size is %d bytes\n", or(m.system))
			c.Printf("System Jumbo MTU size is %d bytes\n", or(m.jumbo))
			c.Printf("Routing MTU size is %d bytes\n", or(m.routing))
			return nil
		}})
}

func (s *Switch) setPortMTU(c *cli.Ctx, mtu int) error {
	p, err := s.currentPort(c)
	if err != nil {
		return err
	}
	was := p.mtu
	p.mtu = mtu
	if err := s.applyMTU(p); err != nil {
		p.mtu = was
		return fmt.Errorf("%% %v", err)
	}
	return nil
}

// portMTU is the MTU a port's netdev should have.
func (s *Switch) portMTU(p *port) int {
	switch m := s.cfg.mtu; {
	case p.mtu != 0:
		return p.mtu
	case m.jumbo != 0:
		return m.jumbo
	case m.system != 0:
		return m.system
	}
	return p.hostMTU
}

// applyMTU gives a port's netdev its MTU, when it differs.
func (s *Switch) applyMTU(p *port) error {
	want := s.portMTU(p)
	if want == 0 {
		return nil
	}
	if st, err := s.eng.Port(p.name); err == nil && st.MTU == want {
		return nil
	}
	return s.eng.SetMTU(p.name, want)
}

// applySVIMTU gives a VLAN interface the routing MTU (or 1500).
func (s *Switch) applySVIMTU(id uint16) error {
	want := s.cfg.mtu.routing
	if want == 0 {
		want = iosDefaultMTU
	}
	name := engine.SVIName(id)
	if st, err := s.eng.Port(name); err == nil && st.MTU == want {
		return nil
	}
	return s.eng.SetMTU(name, want)
}

// applyAllMTUs follows a change of the global MTUs; it returns a message
// for each netdev that refused.
func (s *Switch) applyAllMTUs() []string {
	var msgs []string
	for _, name := range s.cfg.portNames() {
		if err := s.applyMTU(s.cfg.ports[name]); err != nil {
			msgs = append(msgs, fmt.Sprintf("%% %v", err))
		}
	}
	for _, id := range s.cfg.sviIDs() {
		if err := s.applySVIMTU(id); err != nil {
			msgs = append(msgs, fmt.Sprintf("%% %v", err))
		}
	}
	return msgs
}

// restoreMTU gives a port's netdev back the MTU it came with (the port is
// leaving the switch or being reset). Caller holds the lock.
func (s *Switch) restoreMTU(p *port) {
	if p.hostMTU == 0 {
		return
	}
	if st, err := s.eng.Port(p.name); err == nil && st.MTU != p.hostMTU {
		if err := s.eng.SetMTU(p.name, p.hostMTU); err != nil {
			s.log.Warn("restoring a port's MTU", "port", p.name, "mtu", p.hostMTU, "err", err)
		}
	}
}

func (c *config) mtuLines() []string {
	var l []string
	if c.mtu.system != 0 {
		l = append(l, fmt.Sprintf("system mtu %d", c.mtu.system))
	}
	if c.mtu.jumbo != 0 {
		l = append(l, fmt.Sprintf("system mtu jumbo %d", c.mtu.jumbo))
	}
	if c.mtu.routing != 0 {
		l = append(l, fmt.Sprintf("system mtu routing %d", c.mtu.routing))
	}
	return l
}

func portMTULines(p *port) []string {
	if p.mtu == 0 {
		return nil
	}
	return []string{fmt.Sprintf(" mtu %d", p.mtu)}
}
