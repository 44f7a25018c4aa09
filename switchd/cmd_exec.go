package switchd

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/lisa-go/lisa/cli"
)

const helpText = `Help may be requested at any point in a command by entering
a question mark '?'.  If nothing matches, the help list will
be empty and you must backup until entering a '?' shows the
available options.
Two styles of help are provided:
1. Full help is available when you are ready to enter a
   command argument (e.g. 'show ?') and describes each possible
   argument.
2. Partial help is provided when an abbreviated argument is entered
   and you want to know what arguments match the input
   (e.g. 'show pr?'.)
`

func (s *Switch) defineExec() {
	x := s.exec
	for _, m := range []*cli.Mode{s.exec, s.conf, s.ifMode, s.vlMode} {
		priv := privUser
		if m != s.exec {
			priv = privMax
		}
		m.Define(cli.Command{Syntax: "help", Priv: priv, Run: func(c *cli.Ctx, a cli.Args) error {
			c.Print(helpText)
			return nil
		}})
	}
	for _, w := range []string{"exit", "logout", "quit"} {
		x.Define(cli.Command{Syntax: w, Run: func(c *cli.Ctx, a cli.Args) error {
			c.Close()
			return nil
		}})
	}
	x.Define(cli.Command{Syntax: "enable [<1-15>$level]",
		Help: map[string]string{"enable": "Turn on privileged commands", "level": "Enable level"},
		Run:  s.cmdEnable, Unlocked: true})
	x.Define(cli.Command{Syntax: "disable [<1-15>$level]",
		Help: map[string]string{"disable": "Turn off privileged commands", "level": "Privilege level to go to"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			target := 1
			if v, ok := a.Lookup("level"); ok {
				target, _ = strconv.Atoi(v)
			}
			if target > c.S.Level {
				return fmt.Errorf("%% New privilege level must be less than current privilege level")
			}
			c.S.Level = target
			return nil
		}})
	x.Define(cli.Command{Syntax: "configure terminal", Priv: privMax,
		Help: map[string]string{"configure": "Enter configuration mode", "terminal": "Configure from the terminal"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			c.Print("Enter configuration commands, one per line.  End with CNTL/Z.\n")
			c.S.SetMode(s.conf, nil, 0)
			return nil
		}})
	x.Define(cli.Command{Syntax: "terminal length <0-512>",
		Help: map[string]string{"length": "Set number of lines on a screen", "<0-512>": "Number of lines on screen (0 for no pausing)"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			c.S.Length = a.Int("length")
			return nil
		}})
	x.Define(cli.Command{Syntax: "terminal no length",
		Help: map[string]string{"length": "Set number of lines on a screen"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			c.S.Length = -1
			return nil
		}})
	x.Define(cli.Command{Syntax: "terminal history size <0-256>",
		Help: map[string]string{"history": "Enable and control the command history function", "size": "Set history buffer size", "<0-256>": "Size of history buffer"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			c.S.HistorySize = a.Int("size")
			return nil
		}})
	x.Define(cli.Command{Syntax: "terminal monitor",
		Help: map[string]string{"monitor": "Copy debug output to the current terminal line"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			if l, ok := c.S.Info.(*line); ok {
				l.monitor.Store(true)
			}
			return nil
		}})
	x.Define(cli.Command{Syntax: "terminal no monitor",
		Help: map[string]string{"monitor": "Copy debug output to the current terminal line"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			if l, ok := c.S.Info.(*line); ok {
				l.monitor.Store(false)
			}
			return nil
		}})

	show := func(syntax string, priv int, help map[string]string, run cli.Handler) {
		x.Define(cli.Command{Syntax: "show " + syntax, Priv: priv, Help: help, Pipe: true, Run: run})
	}
	show("version", privUser, map[string]string{"version": "System hardware and software status"}, s.showVersion)
	show("clock", privUser, map[string]string{"clock": "Display the system clock"}, func(c *cli.Ctx, a cli.Args) error {
		c.Print(s.cfg.clock.Local(s.now()).Format("15:04:05.000 MST Mon Jan 2 2006") + "\n")
		return nil
	})
	show("privilege", privUser, map[string]string{"privilege": "Show current privilege level"}, func(c *cli.Ctx, a cli.Args) error {
		c.Printf("Current privilege level is %d\n", c.S.Level)
		return nil
	})
	show("history", privUser, map[string]string{"history": "Display the session command history"}, func(c *cli.Ctx, a cli.Args) error {
		for _, h := range c.S.History() {
			c.Printf("  %s\n", h)
		}
		return nil
	})
	show("users", privUser, map[string]string{"users": "Display information about terminal lines"}, s.showUsers)
	show("terminal", privUser, map[string]string{"terminal": "Display terminal configuration parameters"}, func(c *cli.Ctx, a cli.Args) error {
		w, h := c.S.TerminalSize()
		if l, ok := c.S.Info.(*line); ok && l.width.Load() > 0 {
			w = int(l.width.Load()) // terminal width overrides the window's
		}
		length := c.S.Length
		if length < 0 {
			length = h
		}
		c.Printf("Length: %d lines, Width: %d columns\n", length, w)
		c.Printf("History is enabled, history size is %d.\n", c.S.HistorySize)
		return nil
	})
	s.defineLoggingExec()
}

func (s *Switch) cmdEnable(c *cli.Ctx, a cli.Args) error {
	target := privMax
	if v, ok := a.Lookup("level"); ok {
		target, _ = strconv.Atoi(v)
	}
	if target <= c.S.Level {
		c.S.Level = target
		return nil
	}
	// The enable secret of the level wins; a level with only an enable
	// password (the weaker IOS form) takes that.
	s.mu.Lock()
	secret, ok := s.cfg.secrets[target]
	badMsg := "% Bad secrets"
	if !ok {
		if pw, hasPW := s.remote.cfg.enablePW[target]; hasPW {
			secret, ok, badMsg = pw, true, "% Bad passwords"
		}
	}
	s.mu.Unlock()
	l, _ := c.S.Info.(*line)
	if !ok {
		// A console (root on the host) may raise its level freely while no
		// secret is set; a vty may not.
		if l == nil || l.kind == "con" {
			c.S.Level = target
			return nil
		}
		return fmt.Errorf("%% No password set")
	}
	for try := 0; try < 3; try++ {
		pw, err := c.AskSecret("Password: ")
		if err != nil {
			return err
		}
		if s.verify(secret, pw) {
			c.S.Level = target
			return nil
		}
		if l != nil && l.kind == "vty" {
			// Guessing the enable secret over the network is slowed down
			// like a login.
			time.Sleep(loginFailDelay)
		}
	}
	if l != nil {
		s.log.Warn("enable failed", "line", l.name(), "user", l.userName(), "from", l.location)
	}
	return fmt.Errorf("%s\n\n", badMsg)
}

func (s *Switch) showVersion(c *cli.Ctx, a cli.Args) error {
	up := s.now().Sub(s.started)
	c.Printf("LiSA-Go Software (lisad), Version %s, RELEASE SOFTWARE\n", Version)
	c.Printf("Linux Switching Appliance in Go, compiled with %s for %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	c.Print("\n")
	c.Printf("Kernel: %s\n", s.opts.Kernel)
	c.Print("\n")
	c.Printf("%s uptime is %s\n", s.cfg.hostname, uptime(up))
	c.Printf("System started at %s\n", s.started.Format("15:04:05 MST Mon Jan 2 2006"))
	c.Print("\n")
	c.Printf("%d switch ports, %d VLAN interfaces, %d VLANs\n", len(s.cfg.ports), len(s.cfg.svis), s.cfg.vlans.Len())
	c.Printf("Platform: %s, %d CPUs\n", s.opts.Platform, runtime.NumCPU())
	if s.eng.FastPath() {
		c.Print("Switching: lisad (AF_PACKET), known unicast in the kernel fast path (tcx)\n")
	} else {
		c.Print("Switching: lisad (AF_PACKET) only, no kernel fast path\n")
	}
	return nil
}

// uptime formats a duration the IOS way: "1 week, 2 days, 3 hours, 4 minutes".
func uptime(d time.Duration) string {
	mins := int(d.Minutes())
	parts := []struct {
		n    int
		unit string
	}{{mins / (7 * 24 * 60), "week"}, {mins / (24 * 60) % 7, "day"}, {mins / 60 % 24, "hour"}, {mins % 60, "minute"}}
	var out []string
	for _, p := range parts {
		if p.n == 0 {
			continue
		}
		u := p.unit
		if p.n != 1 {
			u += "s"
		}
		out = append(out, fmt.Sprintf("%d %s", p.n, u))
	}
	if len(out) == 0 {
		return "0 minutes"
	}
	return strings.Join(out, ", ")
}

func (s *Switch) showUsers(c *cli.Ctx, a cli.Args) error {
	now := s.now()
	c.Print("    Line       User       Host(s)              Idle       Location\n")
	for _, l := range s.lines.list() {
		mark := " "
		if l.session() == c.S {
			mark = "*"
		}
		row := fmt.Sprintf("%s%3d %-9s %-10s %-20s %8s %s", mark, l.number(), l.name(), l.userName(), "idle", fmtDuration(l.idle(now)), l.location)
		c.Print(strings.TrimRight(row, " ") + "\n")
	}
	c.Print("\n  Interface    User               Mode         Idle     Peer Address\n\n")
	return nil
}
