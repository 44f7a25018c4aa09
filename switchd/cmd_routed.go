package switchd

import (
	"fmt"

	"github.com/lisa-go/lisa/cli"
)

// Routed ports: "no switchport" takes a port out of switching (the engine
// switches nothing from or to it, CDP still runs on it) and gives it IP
// addresses as a VLAN interface has; "switchport" makes it a switch port
// again with the switching settings it had, and drops its addresses, as IOS
// does. While routed, switching commands are still offered (as on IOS) but
// rejected; "ip address" is offered on routed ports only.

// portClass is the command class of a port's config-if mode.
func portClass(p *port) uint32 {
	if p.routed {
		return classPort | classRouted
	}
	return classPort
}

// errNotSwitching is IOS's refusal of a switching command on a routed port.
func errNotSwitching(p *port) error {
	return fmt.Errorf("Command rejected: %s not a switching port.", p.name)
}

func (s *Switch) defineRouted() {
	help := map[string]string{"switchport": "Set switching mode characteristics"}
	s.ifMode.Define(cli.Command{Syntax: "switchport", Priv: privMax, Class: classPort, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error { return s.setRouted(c, false) }})
	s.ifMode.Define(cli.Command{Syntax: "no switchport", Priv: privMax, Class: classPort, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error { return s.setRouted(c, true) }})
}

// setRouted makes the session's port routed or a switch port again.
func (s *Switch) setRouted(c *cli.Ctx, routed bool) error {
	p, err := s.currentPort(c)
	if err != nil {
		return err
	}
	ref, _ := c.S.State().(ifRef)
	defer func() { c.S.SetMode(s.ifMode, ref, portClass(p)) }()
	if p.routed == routed {
		return nil
	}
	if !routed {
		// IOS drops a routed port's IP configuration when it switches again.
		if err := s.clearPortAddrs(p); err != nil {
			return err
		}
	}
	p.routed = routed
	if err := s.applyPort(p); err != nil {
		p.routed = !routed
		return fmt.Errorf("%% %v", err)
	}
	s.cdpPort(p)
	return nil
}

// clearPortAddrs takes a routed port's addresses off its netdev and out of
// the configuration.
func (s *Switch) clearPortAddrs(p *port) error {
	if len(p.addrs) == 0 && len(p.addrs6) == 0 {
		return nil
	}
	if err := s.eng.SetPortAddrs(p.name, nil); err != nil {
		return fmt.Errorf("%% %v", err)
	}
	p.addrs, p.addrs6 = nil, nil
	s.updateCDPSystem()
	return nil
}
