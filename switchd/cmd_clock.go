package switchd

import (
	"fmt"
	"strings"
	"time"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/clockzone"
)

// Local time and the log's timestamps: clock timezone, clock summer-time
// recurring (package clockzone computes them from the injected clock), and
// service timestamps log, which formats every log line as IOS does. lisad
// never sets the host's clock.

// logTimeState is what stamp needs of the configuration.
type logTimeState struct {
	format   timestampFormat
	clock    clockzone.Clock
	trap     int // logging trap severity (trapOff: none)
	facility int
}

// publishLogTime makes the configured clock and format the log's. Caller
// holds the lock.
func (s *Switch) publishLogTime() {
	s.logTime.Store(&logTimeState{format: s.cfg.timestamps, clock: s.cfg.clock,
		trap: s.cfg.syslog.trapLevel(), facility: s.cfg.syslog.facilityCode()})
}

// timestampFormat is service timestamps log; the zero value is IOS's
// default "datetime msec".
type timestampFormat struct {
	set       bool // a service timestamps log line was given
	off       bool // no service timestamps log: no timestamp at all
	uptime    bool
	msec      bool
	localtime bool
	zone      bool // show-timezone
	year      bool
}

var defaultTimestamps = timestampFormat{msec: true}

// timestampHelp is the ? text of service timestamps debug|log's words.
var timestampHelp = map[string]string{
	"service":       "Modify use of network based services",
	"timestamps":    "Timestamp debug/log messages",
	"log":           "Timestamp log messages",
	"debug":         "Timestamp debug messages",
	"uptime":        "Timestamp with system uptime",
	"datetime":      "Timestamp with date and time",
	"msec":          "Include milliseconds in timestamp",
	"localtime":     "Use local time zone for timestamps",
	"show-timezone": "Add time zone information to timestamp",
	"year":          "Include year in timestamp",
}

// timestampWords renders the options of a service timestamps line.
func timestampWords(a cli.Args) string {
	var b strings.Builder
	for _, k := range []string{"uptime", "datetime", "msec", "localtime", "show-timezone", "year"} {
		if a.Has(k) {
			b.WriteString(" " + k)
		}
	}
	return b.String()
}

func (f timestampFormat) line() string {
	switch {
	case !f.set:
		return ""
	case f.off:
		return "no service timestamps log"
	case f.uptime:
		return "service timestamps log uptime"
	}
	l := "service timestamps log datetime"
	for _, o := range []struct {
		on   bool
		word string
	}{{f.msec, "msec"}, {f.localtime, "localtime"}, {f.zone, "show-timezone"}, {f.year, "year"}} {
		if o.on {
			l += " " + o.word
		}
	}
	return l
}

// stamp is the timestamp of a log line, with its ": " ("" when off). The
// leading '*' is IOS's mark of a clock no NTP has set: lisad takes the
// host's time as it is and never claims it authoritative.
func (s *Switch) stamp(now time.Time) string {
	var st logTimeState
	if p := s.logTime.Load(); p != nil {
		st = *p
	}
	f := st.format
	if !f.set {
		f = defaultTimestamps
	}
	switch {
	case f.off:
		return ""
	case f.uptime:
		// No '*': an uptime needs no clock.
		return uptimeStamp(now.Sub(s.started)) + ": "
	}
	t := now.UTC()
	zone := "UTC"
	if f.localtime {
		t = st.clock.Local(now)
		zone, _ = t.Zone()
	}
	layout := "Jan _2 15:04:05"
	if f.year {
		layout = "Jan _2 2006 15:04:05"
	}
	if f.msec {
		layout += ".000"
	}
	out := "*" + t.Format(layout)
	if f.zone {
		out += " " + zone
	}
	return out + ": "
}

// uptimeStamp is IOS's uptime timestamp: hh:mm:ss for the first day, then
// 1d02h, then 1w2d.
func uptimeStamp(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	h := int(d / time.Hour)
	switch {
	case h < 24:
		return fmt.Sprintf("%02d:%02d:%02d", h, int(d/time.Minute)%60, int(d/time.Second)%60)
	case h < 7*24:
		return fmt.Sprintf("%dd%02dh", h/24, h%24)
	}
	return fmt.Sprintf("%dw%dd", h/(7*24), h/24%7)
}

func (s *Switch) defineClock() {
	g := s.conf
	help := map[string]string{
		"clock":       "Configure time-of-day clock",
		"timezone":    "Configure time zone",
		"zone":        "name of time zone",
		"hours":       "Hours offset from UTC",
		"minutes":     "Minutes offset from UTC",
		"summer-time": "Configure summer (daylight savings) time",
		"sname":       "name of time zone in summer",
		"recurring":   "Configure recurring summer time",
		"sweek":       "Week number to start",
		"sfirst":      "First week of the month",
		"slast":       "Last week of the month",
		"sday":        "Weekday to start",
		"smonth":      "Month to start",
		"sat":         "Time to start (hh:mm)",
		"eweek":       "Week number to end",
		"efirst":      "First week of the month",
		"elast":       "Last week of the month",
		"eday":        "Weekday to end",
		"emonth":      "Month to end",
		"eat":         "Time to end (hh:mm)",
		"offset":      "Offset to add in minutes",
	}
	for k, v := range timestampHelp {
		help[k] = v
	}
	g.Define(cli.Command{Syntax: "clock timezone WORD$zone <-23-23>$hours [<0-59>$minutes]", Priv: privMax, Help: help,
		Doc: "The local time zone (show clock, log timestamps with localtime); lisad does not set the host's clock",
		Run: func(c *cli.Ctx, a cli.Args) error {
			name := a.Get("zone")
			if len(name) > 7 || !validZoneName(name) {
				return fmt.Errorf("%% Invalid time zone name %q: up to 7 letters", name)
			}
			h, m := a.Int("hours"), a.Int("minutes")
			off := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
			if strings.HasPrefix(a.Get("hours"), "-") { // -0 30 is west too
				off = time.Duration(h)*time.Hour - time.Duration(m)*time.Minute
			}
			s.cfg.clock.Name, s.cfg.clock.Offset = name, off
			s.cfg.clockLine = fmt.Sprintf("clock timezone %s %s %d", name, a.Get("hours"), m)
			s.publishLogTime()
			return nil
		}})
	g.Define(cli.Command{Syntax: "no clock timezone [LINE]", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.cfg.clock.Name, s.cfg.clock.Offset, s.cfg.clockLine = "", 0, ""
			s.publishLogTime()
			return nil
		}})
	g.Define(cli.Command{Syntax: "clock summer-time WORD$sname recurring [{<1-4>$sweek | first$sfirst | last$slast} WORD$sday WORD$smonth WORD$sat " +
		"{<1-4>$eweek | first$efirst | last$elast} WORD$eday WORD$emonth WORD$eat [<1-1440>$offset]]", Priv: privMax, Help: help,
		Doc: "Summer time every year; with no rule, the United States' (IOS's default)",
		Run: func(c *cli.Ctx, a cli.Args) error {
			name := a.Get("sname")
			if len(name) > 7 || !validZoneName(name) {
				return fmt.Errorf("%% Invalid time zone name %q: up to 7 letters", name)
			}
			sum := clockzone.USRules
			sum.Name = name
			line := "clock summer-time " + name + " recurring"
			if _, ok := a.Lookup("sday"); ok {
				week := func(num, first, last string) string {
					switch {
					case a.Has(first):
						return "first"
					case a.Has(last):
						return "last"
					}
					return a.Get(num)
				}
				start, err := clockzone.ParseRule(week("sweek", "sfirst", "slast"), a.Get("sday"), a.Get("smonth"), a.Get("sat"))
				if err != nil {
					return fmt.Errorf("%% Invalid summer time start: %v", err)
				}
				end, err := clockzone.ParseRule(week("eweek", "efirst", "elast"), a.Get("eday"), a.Get("emonth"), a.Get("eat"))
				if err != nil {
					return fmt.Errorf("%% Invalid summer time end: %v", err)
				}
				if start.Month == end.Month {
					return fmt.Errorf("%% Invalid summer time: it must start and end in different months")
				}
				sum.Start, sum.End, sum.Offset = start, end, time.Hour
				line += " " + start.String() + " " + end.String()
				if v, ok := a.Lookup("offset"); ok {
					sum.Offset = time.Duration(a.Int("offset")) * time.Minute
					line += " " + v
				}
			}
			s.cfg.clock.Summer = &sum
			s.cfg.summerLine = line
			s.publishLogTime()
			return nil
		}})
	g.Define(cli.Command{Syntax: "no clock summer-time [LINE]", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.cfg.clock.Summer, s.cfg.summerLine = nil, ""
			s.publishLogTime()
			return nil
		}})
	g.Define(cli.Command{Syntax: "service timestamps log [uptime | datetime [msec] [localtime] [show-timezone] [year]]", Priv: privMax, Help: help,
		Doc: "The timestamp of log lines (show logging, logging console and monitor)",
		Run: func(c *cli.Ctx, a cli.Args) error {
			f := timestampFormat{set: true, uptime: a.Has("uptime"), msec: a.Has("msec"), localtime: a.Has("localtime"),
				zone: a.Has("show-timezone"), year: a.Has("year")}
			if !a.Has("uptime") && !a.Has("datetime") {
				f.uptime = true // IOS: a bare service timestamps log is uptime
			}
			s.cfg.timestamps = f
			s.publishLogTime()
			return nil
		}})
	g.Define(cli.Command{Syntax: "no service timestamps log [LINE]", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.cfg.timestamps = timestampFormat{set: true, off: true}
			s.publishLogTime()
			return nil
		}})
}

func (s *Switch) defineNTPShow() {
	help := map[string]string{"ntp": "Network time protocol", "status": "NTP status", "associations": "NTP associations"}
	s.exec.Define(cli.Command{Syntax: "show ntp status", Pipe: true, Priv: privMax, Help: help,
		Doc: "The host clock's NTP state, as the kernel reports it (lisad does not set the clock)",
		Run: func(c *cli.Ctx, a cli.Args) error {
			st, err := s.opts.ClockSync()
			if err != nil {
				return fmt.Errorf("%% Cannot read the host clock's state: %v", err)
			}
			if st.Synchronized {
				c.Print("Clock is synchronized, reference is the host's NTP client\n")
			} else {
				c.Print("Clock is unsynchronized, no reference clock\n")
			}
			ms := func(d time.Duration) string { return fmt.Sprintf("%.2f msec", float64(d)/float64(time.Millisecond)) }
			c.Printf("estimated error is %s, maximum error is %s\n", ms(st.Estimated), ms(st.Maximum))
			c.Print("LiSA-Go does not set the clock: the host's NTP client (chrony, systemd-timesyncd) does.\n")
			var servers []string
			for _, l := range s.cfg.sortedInert() {
				if strings.HasPrefix(l.text, "ntp server ") {
					servers = append(servers, strings.Fields(l.text)[2])
				}
			}
			if len(servers) > 0 {
				c.Printf("Configured servers (give them to the host's client): %s\n", strings.Join(servers, ", "))
			}
			return nil
		}})
	s.exec.Define(cli.Command{Syntax: "show ntp associations", Pipe: true, Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			c.Print("% LiSA-Go has no NTP associations: the host's NTP client has them (chronyc sources, timedatectl timesync-status)\n")
			return nil
		}})
}

func validZoneName(n string) bool {
	if n == "" {
		return false
	}
	for _, r := range n {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '+') {
			return false
		}
	}
	return true
}

// clockLines are the clock lines of the running-config.
func (c *config) clockLines() []string {
	var l []string
	if c.clockLine != "" {
		l = append(l, c.clockLine)
	}
	if c.summerLine != "" {
		l = append(l, c.summerLine)
	}
	return l
}
