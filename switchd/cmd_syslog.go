package switchd

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/syslogout"
)

// Remote syslog: logging host, logging trap, logging facility, logging
// source-interface. Lines at or above the trap severity go to every host
// (package syslogout queues and sends them), formatted as IOS sends them.

type syslogHost struct {
	addr netip.Addr
	tcp  bool
	port int // 0: 514 (udp) or 601 (tcp)? IOS: 514 for both
}

type syslogConfig struct {
	hosts    []syslogHost
	trap     int  // severity; trapOff: no logging trap
	trapSet  bool // given (rendered)
	facility string
	srcVLAN  uint16 // logging source-interface VlanN; 0: none
}

const (
	defaultTrap       = 6 // informational
	trapOff           = -1
	defaultFacility   = "local7"
	defaultSyslogPort = 514
)

var severityNames = []string{"emergencies", "alerts", "critical", "errors", "warnings", "notifications", "informational", "debugging"}

// facilityCodes are the syslog facilities IOS offers, by their RFC 5424 codes.
var facilityCodes = map[string]int{
	"kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7, "uucp": 8, "cron": 9,
	"local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20, "local5": 21, "local6": 22, "local7": 23,
}

func (h syslogHost) line() string {
	l := "logging host " + h.addr.String()
	switch {
	case h.tcp:
		l += " transport tcp"
		if h.port != defaultSyslogPort {
			l += " port " + strconv.Itoa(h.port)
		}
	case h.port != defaultSyslogPort:
		l += " transport udp port " + strconv.Itoa(h.port)
	}
	return l
}

func (s *Switch) defineSyslog() {
	g := s.conf
	help := map[string]string{
		"logging":          "Modify message logging facilities",
		"host":             "Set syslog server IP address and parameters",
		"lhost":            "IP address of the syslog server",
		"transport":        "Specify the transport protocol (default=UDP)",
		"udp":              "Use UDP as transport protocol",
		"tcp":              "Use TCP as transport protocol",
		"port":             "Specify the port number (default=514)",
		"uport":            "Port number",
		"tport":            "Port number",
		"trap":             "Set syslog server logging level",
		"tlevel":           "Logging severity level",
		"facility":         "Facility parameter for syslog messages",
		"source-interface": "Specify interface for source address in logging transactions",
		"vlan":             "VLAN interface",
		"srcvlan":          "VLAN interface number",
		"srcif":            "VLAN interface (VlanN)",
		"LINE":             "The rest of the logging host line",
	}
	for i, n := range severityNames {
		help[n] = fmt.Sprintf("%s (severity=%d)", strings.ToUpper(n[:1])+n[1:], i)
	}
	for f := range facilityCodes {
		help[f] = "Syslog facility " + f
	}
	addHost := func(c *cli.Ctx, a cli.Args) error {
		addr, err := netip.ParseAddr(a.Get("lhost"))
		if err != nil || !addr.Is4() || addr.IsUnspecified() || addr.IsMulticast() {
			return fmt.Errorf("%% Invalid syslog server address %s", a.Get("lhost"))
		}
		h := syslogHost{addr: addr, tcp: a.Has("tcp"), port: defaultSyslogPort}
		if v, ok := a.Lookup("uport"); ok {
			h.port, _ = strconv.Atoi(v)
		}
		if v, ok := a.Lookup("tport"); ok {
			h.port, _ = strconv.Atoi(v)
		}
		cfg := &s.cfg.syslog
		kept := cfg.hosts[:0]
		for _, o := range cfg.hosts {
			if o.addr != addr { // one line per host, as IOS: the last one wins
				kept = append(kept, o)
			}
		}
		cfg.hosts = append(kept, h)
		s.applySyslog()
		return nil
	}
	delHost := func(c *cli.Ctx, a cli.Args) error {
		addr, _ := netip.ParseAddr(a.Get("lhost"))
		cfg := &s.cfg.syslog
		kept := cfg.hosts[:0]
		for _, o := range cfg.hosts {
			if o.addr != addr {
				kept = append(kept, o)
			}
		}
		cfg.hosts = kept
		s.applySyslog()
		return nil
	}
	g.Define(cli.Command{Syntax: "logging host A.B.C.D$lhost [transport {udp [port <1-65535>$uport] | tcp [port <1-65535>$tport]}]", Priv: privMax, Help: help,
		Doc: "Send log lines at or above the trap level to a syslog server", Run: addHost})
	g.Define(cli.Command{Syntax: "logging A.B.C.D$lhost", Priv: privMax, Help: help, Run: addHost,
		Doc: "The same as logging host A.B.C.D (the older form)"})
	g.Define(cli.Command{Syntax: "no logging host A.B.C.D$lhost [LINE]", Priv: privMax, Help: help, Run: delHost})
	g.Define(cli.Command{Syntax: "no logging A.B.C.D$lhost", Priv: privMax, Help: help, Run: delHost})

	levels := "[<0-7>$tlevel | " + strings.Join(severityNames, " | ") + "]"
	g.Define(cli.Command{Syntax: "logging trap " + levels, Priv: privMax, Help: help,
		Doc: "The lowest severity sent to the syslog servers (default informational)",
		Run: func(c *cli.Ctx, a cli.Args) error {
			lvl := defaultTrap
			if v, ok := a.Lookup("tlevel"); ok {
				lvl, _ = strconv.Atoi(v)
			}
			for i, n := range severityNames {
				if a.Has(n) {
					lvl = i
				}
			}
			s.cfg.syslog.trap, s.cfg.syslog.trapSet = lvl, lvl != defaultTrap
			s.publishLogTime()
			return nil
		}})
	g.Define(cli.Command{Syntax: "no logging trap [LINE]", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.cfg.syslog.trap, s.cfg.syslog.trapSet = trapOff, true
			s.publishLogTime()
			return nil
		}})
	facs := make([]string, 0, len(facilityCodes))
	for f := range facilityCodes {
		facs = append(facs, f)
	}
	sort.Strings(facs)
	g.Define(cli.Command{Syntax: "logging facility {" + strings.Join(facs, " | ") + "}", Priv: privMax, Help: help,
		Doc: "The syslog facility of the messages (default local7)",
		Run: func(c *cli.Ctx, a cli.Args) error {
			for _, f := range facs {
				if a.Has(f) {
					s.cfg.syslog.facility = f
				}
			}
			s.publishLogTime()
			return nil
		}})
	g.Define(cli.Command{Syntax: "no logging facility [LINE]", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.cfg.syslog.facility = ""
			s.publishLogTime()
			return nil
		}})
	g.Define(cli.Command{Syntax: "logging source-interface {vlan <1-4094>$srcvlan | IFNAME$srcif}", Priv: privMax, Help: help,
		Doc: "Messages leave from the VLAN interface's address",
		Run: func(c *cli.Ctx, a cli.Args) error {
			id := uint16(a.Int("srcvlan"))
			if name, ok := a.Lookup("srcif"); ok {
				v, isSVI := sviFromName(name)
				if !isSVI {
					return fmt.Errorf("%% logging source-interface takes a VLAN interface (VlanN) on LiSA-Go")
				}
				id = v
			}
			s.cfg.syslog.srcVLAN = id
			s.applySyslog()
			return nil
		}})
	g.Define(cli.Command{Syntax: "no logging source-interface [LINE]", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.cfg.syslog.srcVLAN = 0
			s.applySyslog()
			return nil
		}})
}

// applySyslog gives the sender the configured hosts. Caller holds the lock.
func (s *Switch) applySyslog() {
	cfg := s.cfg.syslog
	var src netip.Addr
	if v := s.cfg.svis[cfg.srcVLAN]; cfg.srcVLAN != 0 && v != nil && len(v.addrs) > 0 {
		src = v.addrs[0].Addr()
	}
	var ts []syslogout.Target
	for _, h := range cfg.hosts {
		ts = append(ts, syslogout.Target{Addr: netip.AddrPortFrom(h.addr, uint16(h.port)), TCP: h.tcp, Source: src})
	}
	s.syslog.SetTargets(ts)
}

// syslogLines are the running-config lines, in IOS's order.
func (c *config) syslogLines() []string {
	sc := c.syslog
	var l []string
	switch {
	case sc.trap == trapOff:
		l = append(l, "no logging trap")
	case sc.trapSet:
		l = append(l, "logging trap "+severityNames[sc.trap])
	}
	if sc.facility != "" && sc.facility != defaultFacility {
		l = append(l, "logging facility "+sc.facility)
	}
	if sc.srcVLAN != 0 {
		l = append(l, fmt.Sprintf("logging source-interface Vlan%d", sc.srcVLAN))
	}
	for _, h := range sc.hosts {
		l = append(l, h.line())
	}
	return l
}

// trapLevel and facilityCode are what logEvent uses.
func (sc syslogConfig) trapLevel() int {
	if !sc.trapSet && sc.trap == 0 {
		return defaultTrap
	}
	return sc.trap
}

func (sc syslogConfig) facilityCode() int {
	if c, ok := facilityCodes[sc.facility]; ok {
		return c
	}
	return facilityCodes[defaultFacility]
}

// showTrap is the Trap logging part of show logging.
func (s *Switch) showTrap(logged int) string {
	sc := s.cfg.syslog
	var b strings.Builder
	if sc.trapLevel() == trapOff {
		b.WriteString("\n    Trap logging: disabled\n")
	} else {
		fmt.Fprintf(&b, "\n    Trap logging: level %s, %d message lines logged\n", severityNames[sc.trapLevel()], logged)
	}
	stats := map[syslogout.Target]syslogout.Stats{}
	for _, st := range s.syslog.Stats() {
		stats[st.Target] = st
	}
	for _, h := range sc.hosts {
		var st syslogout.Stats
		for t, v := range stats {
			if t.Addr.Addr() == h.addr {
				st = v
			}
		}
		proto, link := "udp", "down"
		if h.tcp {
			proto = "tcp"
		}
		if st.Up {
			link = "up"
		}
		fmt.Fprintf(&b, "        Logging to %s  (%s port %d, audit disabled,\n              link %s),\n", h.addr, proto, h.port, link)
		fmt.Fprintf(&b, "              %d message lines logged, \n              0 message lines rate-limited, \n              0 message lines dropped-by-MD, \n", st.Sent)
		b.WriteString("              xml disabled, sequence number disabled\n              filtering disabled\n")
		if st.Dropped > 0 {
			fmt.Fprintf(&b, "              %d message lines dropped (queue full or host unreachable)\n", st.Dropped)
		}
	}
	if sc.srcVLAN != 0 {
		fmt.Fprintf(&b, "        Logging Source-Interface:       VRF Name:\n                Vlan%d\n", sc.srcVLAN)
	}
	b.WriteString("        Logging to lisad's log (stderr)\n")
	return b.String()
}
