package switchd

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/lisa-go/lisa/cdp"
	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/engine"
)

// clockFunc adapts the switch's clock to the CDP agent.
type clockFunc func() time.Time

func (f clockFunc) Now() time.Time { return f() }

// startCDP creates the CDP agent: frames the engine punts go to it, frames it
// sends go out through the engine.
func (s *Switch) startCDP() {
	s.cdp = cdp.NewAgent(cdp.Options{Sender: s.eng, Clock: clockFunc(s.now), Logger: s.log})
	s.eng.SetPuntHandler(s.cdp.Receive)
	ctx, cancel := context.WithCancel(context.Background())
	s.stopCDP = cancel
	go s.cdp.Run(ctx)
	s.updateCDPSystem()
}

// updateCDPSystem tells the agent what to announce about the switch: its
// hostname and the addresses of its VLAN interfaces. Caller holds the lock.
func (s *Switch) updateCDPSystem() {
	var addrs []netip.Addr
	for _, l := range s.l3Ifs() { // VLAN interfaces, then routed ports
		for _, a := range append(append([]netip.Prefix(nil), *l.addrs...), *l.addrs6...) {
			addrs = append(addrs, a.Addr())
		}
	}
	platform := s.opts.Platform
	s.cdp.SetSystem(cdp.System{
		VTPDomain:       s.cfg.vtpDomain,
		Hostname:        s.cfg.deviceID(),
		Addresses:       addrs,
		SoftwareVersion: "LiSA-Go Software (lisad), Version " + Version + "; " + s.opts.Kernel,
		Platform:        "LiSA-Go " + platform,
		IGMPSnooping:    !s.cfg.igmp.off,
	})
}

// cdpPort tells the agent about a port's state: up when the port is not shut
// down and has carrier; its trunk native VLAN; its cdp enable.
func (s *Switch) cdpPort(p *port) {
	st, err := s.eng.Port(p.name)
	if err != nil {
		return
	}
	s.cdp.SetPortEnabled(p.name, p.cdp)
	s.cdp.SetPortVLAN(p.name, p.mode == engine.Trunk && !p.routed, p.nativeVLAN) // a routed port has no native VLAN
	s.cdp.SetPortUp(p.name, !p.shutdown && st.OperUp)
}

func (s *Switch) defineCDP() {
	g := s.conf
	help := map[string]string{
		"cdp":          "Global CDP configuration subcommands",
		"run":          "Enable CDP",
		"timer":        "Specify the rate at which CDP packets are sent (in sec)",
		"<5-254>":      "Rate at which CDP packets are sent (in sec)",
		"holdtime":     "Specify the holdtime (in sec) to be sent in packets",
		"<10-255>":     "Length of time (in sec) that receiver must keep this packet",
		"advertise-v2": "CDP sends version-2 advertisements",
	}
	setRun := func(on bool) cli.Handler {
		return func(c *cli.Ctx, a cli.Args) error {
			if on {
				s.cdp.SetRun(true)
			}
			// The engine punts CDP only from ports where it runs.
			for _, p := range s.cfg.ports {
				s.applyPortCDP(p, on)
			}
			if !on {
				s.cdp.SetRun(false)
			}
			return nil
		}
	}
	g.Define(cli.Command{Syntax: "cdp run", Priv: privMax, Help: help, Run: setRun(true)})
	g.Define(cli.Command{Syntax: "no cdp run", Priv: privMax, Help: help, Run: setRun(false)})
	g.Define(cli.Command{Syntax: "cdp timer <5-254>", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error { return s.cdp.SetTimer(a.Int("timer")) }})
	g.Define(cli.Command{Syntax: "no cdp timer", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error { return s.cdp.SetTimer(cdp.DefaultTimer) }})
	g.Define(cli.Command{Syntax: "cdp holdtime <10-255>", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error { return s.cdp.SetHoldtime(a.Int("holdtime")) }})
	g.Define(cli.Command{Syntax: "no cdp holdtime", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error { return s.cdp.SetHoldtime(cdp.DefaultHoldtime) }})
	g.Define(cli.Command{Syntax: "cdp advertise-v2", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error { s.cdp.SetAdvertiseV2(true); return nil }})
	g.Define(cli.Command{Syntax: "no cdp advertise-v2", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error { s.cdp.SetAdvertiseV2(false); return nil }})

	vtpHelp := map[string]string{"vtp": "Configure global VTP state", "domain": "Set the name of the VTP administrative domain.",
		"WORD": "The ascii name for the VTP administrative domain."}
	g.Define(cli.Command{Syntax: "vtp domain WORD", Priv: privMax, Help: vtpHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			d := a.Get("domain")
			if len(d) > 32 {
				return fmt.Errorf("%% Domain name is longer than 32 characters")
			}
			s.cfg.vtpDomain = d
			s.updateCDPSystem()
			return nil
		}})
	vtpHelp["mode"] = "Configure VTP device mode"
	vtpHelp["transparent"] = "Set the device to transparent mode."
	vtpHelp["off"] = "Set the device to off mode."
	vtpHelp["server"] = "Set the device to server mode."
	vtpHelp["client"] = "Set the device to client mode."
	g.Define(cli.Command{Syntax: "vtp mode {transparent | off}", Priv: privMax, Help: vtpHelp,
		Doc: "Kept without effect: " + vtpModeWhy,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.cfg.vtpMode = "transparent"
			if a.Has("off") {
				s.cfg.vtpMode = "off"
			}
			return nil
		}})
	g.Define(cli.Command{Syntax: "vtp mode {server | client}", Priv: privMax, Help: vtpHelp,
		Doc: "Refused: lisad speaks no VTP, so it neither serves nor learns VLANs",
		Run: func(c *cli.Ctx, a cli.Args) error {
			return fmt.Errorf("%% LiSA-Go speaks no VTP: its VLANs are configured here (vtp mode transparent)")
		}})
	g.Define(cli.Command{Syntax: "no vtp mode", Priv: privMax, Help: vtpHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.cfg.vtpMode = ""
			return nil
		}})
	g.Define(cli.Command{Syntax: "no vtp domain", Priv: privMax, Help: vtpHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.cfg.vtpDomain = ""
			s.updateCDPSystem()
			return nil
		}})

	ifHelp := map[string]string{"cdp": "CDP interface subcommands", "enable": "Enable CDP on interface"}
	for _, on := range []bool{true, false} {
		syntax := "cdp enable"
		if !on {
			syntax = "no cdp enable"
		}
		s.ifMode.Define(cli.Command{Syntax: syntax, Priv: privMax, Class: classPort, Help: ifHelp,
			Run: func(c *cli.Ctx, a cli.Args) error {
				p, err := s.currentPort(c)
				if err != nil {
					return err
				}
				p.cdp = on
				s.applyPortCDP(p, s.cdpRunning())
				return nil
			}})
	}

	x := s.exec
	showHelp := map[string]string{
		"cdp":       "CDP information",
		"neighbors": "CDP neighbor entries",
		"detail":    "Show detailed information",
		"entry":     "Information for specific neighbor entry",
		"*":         "all CDP neighbor entries",
		"WORD":      "Name of CDP neighbor entry",
		"protocol":  "Protocol information",
		"version":   "Version information",
		"traffic":   "CDP statistics",
		"interface": "CDP interface status and configuration",
		"holdtime":  "Time CDP info kept by neighbors",
		"timer":     "Time CDP info is resent to neighbors",
		"run":       "CDP process running",
	}
	show := func(syntax string, fn func(c *cli.Ctx, a cli.Args, snap cdp.Snapshot) (string, error)) {
		x.Define(cli.Command{Syntax: "show cdp" + syntax, Pipe: true, Help: showHelp,
			Run: func(c *cli.Ctx, a cli.Args) error {
				out, err := fn(c, a, s.cdp.Snapshot())
				c.Print(out)
				return err
			}})
	}
	show("", func(c *cli.Ctx, a cli.Args, snap cdp.Snapshot) (string, error) { return cdp.ShowCDP(snap), nil })
	show(" holdtime", func(c *cli.Ctx, a cli.Args, snap cdp.Snapshot) (string, error) { return cdp.ShowHoldtime(snap), nil })
	show(" timer", func(c *cli.Ctx, a cli.Args, snap cdp.Snapshot) (string, error) { return cdp.ShowTimer(snap), nil })
	show(" run", func(c *cli.Ctx, a cli.Args, snap cdp.Snapshot) (string, error) { return cdp.ShowRun(snap), nil })
	show(" traffic", func(c *cli.Ctx, a cli.Args, snap cdp.Snapshot) (string, error) { return cdp.ShowTraffic(snap), nil })
	portArg := func(a cli.Args) (string, error) {
		if !a.Has("ethernet") && !a.Has("netdev") && !a.Has("vlan") && a.Get("ifname") == "" {
			return "", nil
		}
		ref, err := s.resolveIf(a)
		if err != nil {
			return "", err
		}
		if ref.svi != 0 || s.cfg.ports[ref.port] == nil {
			return "", fmt.Errorf("%% Interface %s is not a switch port", ref.display())
		}
		return ref.port, nil
	}
	show(" neighbors ["+ifSpec+"] [detail]", func(c *cli.Ctx, a cli.Args, snap cdp.Snapshot) (string, error) {
		p, err := portArg(a)
		if err != nil {
			return "", err
		}
		return cdp.ShowNeighbors(snap, p, a.Has("detail")), nil
	})
	show(" interface ["+ifSpec+"]", func(c *cli.Ctx, a cli.Args, snap cdp.Snapshot) (string, error) {
		p, err := portArg(a)
		if err != nil {
			return "", err
		}
		return cdp.ShowInterfaces(snap, p), nil
	})
	show(" entry {*$all | WORD$name} [protocol | version]", func(c *cli.Ctx, a cli.Args, snap cdp.Snapshot) (string, error) {
		name := a.Get("name")
		if a.Has("all") {
			name = "*"
		}
		part := cdp.EntryAll
		switch {
		case a.Has("protocol"):
			part = cdp.EntryProtocol
		case a.Has("version"):
			part = cdp.EntryVersion
		}
		return cdp.ShowEntry(snap, name, part), nil
	})
	clearHelp := map[string]string{"cdp": "Reset cdp information", "table": "Clear cdp table", "counters": "Clear cdp counters"}
	x.Define(cli.Command{Syntax: "clear cdp table", Priv: privMax, Help: clearHelp,
		Run: func(c *cli.Ctx, a cli.Args) error { s.cdp.ClearTable(); return nil }})
	x.Define(cli.Command{Syntax: "clear cdp counters", Priv: privMax, Help: clearHelp,
		Run: func(c *cli.Ctx, a cli.Args) error { s.cdp.ClearCounters(); return nil }})
}

// applyPortCDP updates the agent and the engine's punting for a port.
func (s *Switch) applyPortCDP(p *port, run bool) {
	s.cdp.SetPortEnabled(p.name, p.cdp)
	if err := s.eng.SetPort(p.name, p.engineConfig(run)); err != nil {
		s.log.Warn("updating CDP punting", "port", p.name, "err", err)
	}
}

// cdpLines are the CDP lines of the running-config. Timer, holdtime and
// version come before "no cdp run" so a reload keeps them (the original
// emitted them after, and lost them).
func (s *Switch) cdpLines() []string {
	set := s.cdp.Settings()
	var l []string
	if s.cfg.vtpDomain != "" {
		l = append(l, "vtp domain "+s.cfg.vtpDomain)
	}
	if s.cfg.vtpMode != "" {
		l = append(l, "vtp mode "+s.cfg.vtpMode)
	}
	if set.Timer != cdp.DefaultTimer {
		l = append(l, fmt.Sprintf("cdp timer %d", set.Timer))
	}
	if set.Holdtime != cdp.DefaultHoldtime {
		l = append(l, fmt.Sprintf("cdp holdtime %d", set.Holdtime))
	}
	if !set.AdvertiseV2 {
		l = append(l, "no cdp advertise-v2")
	}
	if !set.Run {
		l = append(l, "no cdp run")
	}
	return l
}
