package switchd

import (
	"fmt"
	"strconv"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/engine"
)

// Speed and duplex: forced on the netdev with ethtool (autonegotiation off),
// "auto" or the no forms give both back to autonegotiation. A netdev whose
// driver cannot change them (veth, tap) refuses, and the configuration
// stays as it was. Saved as " speed N" and " duplex full|half" when forced.

func (s *Switch) defineSpeedDuplex() {
	help := map[string]string{
		"speed":  "Configure speed operation.",
		"10":     "Force 10 Mbps operation",
		"100":    "Force 100 Mbps operation",
		"1000":   "Force 1000 Mbps operation",
		"10000":  "Force 10000 Mbps operation",
		"auto":   "Enable AUTO speed configuration",
		"duplex": "Configure duplex operation.",
		"full":   "Force full duplex operation",
		"half":   "Force half-duplex operation",
	}
	duplexHelp := map[string]string{"auto": "Enable AUTO duplex configuration"}
	for k, v := range help {
		if _, ok := duplexHelp[k]; !ok {
			duplexHelp[k] = v
		}
	}
	m := s.ifMode
	m.Define(cli.Command{Syntax: "speed {10 | 100 | 1000 | 10000 | auto}", Priv: privMax, Class: classPort, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			speed := 0
			for _, v := range []int{10, 100, 1000, 10000} {
				if a.Has(strconv.Itoa(v)) {
					speed = v
				}
			}
			return s.setLinkSettings(c, func(p *port) { p.speed = speed })
		}})
	m.Define(cli.Command{Syntax: "no speed", Priv: privMax, Class: classPort, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error { return s.setLinkSettings(c, func(p *port) { p.speed = 0 }) }})
	m.Define(cli.Command{Syntax: "duplex {auto | full | half}", Priv: privMax, Class: classPort, Help: duplexHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			d := ""
			switch {
			case a.Has("full"):
				d = "full"
			case a.Has("half"):
				d = "half"
			}
			return s.setLinkSettings(c, func(p *port) { p.duplex = d })
		}})
	m.Define(cli.Command{Syntax: "no duplex", Priv: privMax, Class: classPort, Help: duplexHelp,
		Run: func(c *cli.Ctx, a cli.Args) error { return s.setLinkSettings(c, func(p *port) { p.duplex = "" }) }})
}

// setLinkSettings changes the session's port's speed or duplex: the netdev
// first, the configuration only when the netdev took it.
func (s *Switch) setLinkSettings(c *cli.Ctx, change func(p *port)) error {
	p, err := s.currentPort(c)
	if err != nil {
		return err
	}
	was := engine.LinkSettings{Speed: p.speed, Duplex: p.duplex}
	change(p)
	now := engine.LinkSettings{Speed: p.speed, Duplex: p.duplex}
	if now == was {
		return nil
	}
	if err := s.eng.SetLinkSettings(p.name, now); err != nil {
		p.speed, p.duplex = was.Speed, was.Duplex
		return fmt.Errorf("%% %v", err)
	}
	return nil
}

// linkSettingsLines are a port's forced speed and duplex in the
// running-config.
func linkSettingsLines(p *port) []string {
	var l []string
	if p.speed != 0 {
		l = append(l, fmt.Sprintf(" speed %d", p.speed))
	}
	if p.duplex != "" {
		l = append(l, " duplex "+p.duplex)
	}
	return l
}

// autoLinkSettings gives the netdev its autonegotiation back when a port
// with forced speed or duplex leaves the switch or is reset, so the NIC
// never keeps settings the configuration no longer shows. Caller holds the
// lock.
func (s *Switch) autoLinkSettings(p *port) {
	if p.speed == 0 && p.duplex == "" {
		return
	}
	if err := s.eng.SetLinkSettings(p.name, engine.LinkSettings{}); err != nil {
		s.log.Warn("returning a port to autonegotiation", "port", p.name, "err", err)
	}
}

// applyLinkSettings gives the netdev the port's configured speed and
// duplex (copied from an HVM twin). Caller holds the lock.
func (s *Switch) applyLinkSettings(p *port) {
	if err := s.eng.SetLinkSettings(p.name, engine.LinkSettings{Speed: p.speed, Duplex: p.duplex}); err != nil {
		s.log.Warn("setting speed and duplex", "port", p.name, "err", err)
	}
}
