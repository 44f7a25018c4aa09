package switchd

import (
	"github.com/lisa-go/lisa/cli"
)

var loggingHelp = map[string]string{
	"logging":  "Modify message logging facilities",
	"buffered": "Set buffered logging parameters",
	"size":     "Logging buffer size",
	"console":  "Set console logging parameters",
	"monitor":  "Set terminal line (monitor) logging parameters",
}

// defineLoggingExec declares show logging and clear logging.
func (s *Switch) defineLoggingExec() {
	x := s.exec
	x.Define(cli.Command{Syntax: "show logging", Priv: privMax, Pipe: true,
		Help: map[string]string{"logging": "Show the contents of logging buffers"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			c.Print(s.logs.show(s.showTrap))
			return nil
		}})
	x.Define(cli.Command{Syntax: "clear logging", Priv: privMax,
		Help: map[string]string{"logging": "Clear logging buffer"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			ok, err := c.Confirm("Clear logging buffer [confirm]")
			if err != nil || !ok {
				return err
			}
			s.logs.clear()
			return nil
		}})
}

// defineLoggingGlobal declares the logging settings of the configuration.
func (s *Switch) defineLoggingGlobal() {
	g := s.conf
	g.Define(cli.Command{Syntax: "logging buffered [<4096-2147483647>$size]", Priv: privMax, Help: loggingHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.logs.setBuffered(a.Int("size"))
			return nil
		}})
	g.Define(cli.Command{Syntax: "no logging buffered [<4096-2147483647>$size]", Priv: privMax, Help: loggingHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.logs.setBuffered(-1)
			return nil
		}})
	for _, dest := range []struct {
		kw  string
		set func(bool)
	}{{"console", s.logs.setConsole}, {"monitor", s.logs.setMonitor}} {
		g.Define(cli.Command{Syntax: "logging " + dest.kw, Priv: privMax, Help: loggingHelp,
			Run: func(c *cli.Ctx, a cli.Args) error {
				dest.set(true)
				return nil
			}})
		g.Define(cli.Command{Syntax: "no logging " + dest.kw, Priv: privMax, Help: loggingHelp,
			Run: func(c *cli.Ctx, a cli.Args) error {
				dest.set(false)
				return nil
			}})
	}
}
