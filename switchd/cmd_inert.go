package switchd

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lisa-go/lisa/cli"
)

// Inert configuration: lines of a Catalyst configuration that mean nothing on
// a virtualization host (boot markers, the IOS version, stack provisioning,
// trunk encapsulation when 802.1Q is the only one). They are accepted, kept
// as given, rendered back where IOS puts them, so that a pasted
// configuration loads and a save loses nothing, and listed with the reason
// by show inert-config, so nobody takes them for working features. Lines that
// ask for something lisad lacks are refused instead, with the reason.

// inertPlace is where in the running-config a global inert line goes.
type inertPlace int

const (
	inertTop      inertPlace = iota // before hostname (version, service ...)
	inertBoot                       // after hostname (boot markers)
	inertHead                       // before the VLANs (provisioning, ...)
	inertAfterIfs                   // after the interfaces (ip classless)
	inertEnd                        // after the lines, before end (ntp)
)

// inertGlobal is one family of global inert lines: at most one line of the
// family is kept (a later one replaces it), and "no" removes it.
type inertGlobal struct {
	syntax string // grammar of the line (the no form is derived)
	// key names the family from the parsed line; "" means the syntax's
	// first words (the line without its arguments).
	key   func(a cli.Args) string
	line  func(a cli.Args) string // the canonical line to keep
	place inertPlace
	why   string
	// noKeeps: the no form is what is kept (IOS shows "no service pad";
	// "service pad" is the default and removes it).
	noKeeps bool
	// bothKept: the no form is kept too, as "no" and the family key (a
	// setting whose either value IOS shows).
	bothKept bool
	// noSyntax overrides the derived syntax of the no form.
	noSyntax string
	// ownBlock starts a new "!"-separated block, as IOS renders it.
	ownBlock bool
	// block names the block families share ("" none).
	block string
}

var inertGlobals = []inertGlobal{
	{syntax: "version WORD", line: func(a cli.Args) string { return "version " + a.Get("version") }, place: inertTop,
		why: "the IOS release the configuration was written for; lisad's own is in show version"},
	{syntax: "service pad", line: func(cli.Args) string { return "no service pad" }, place: inertTop, noKeeps: true,
		why: "there is no X.29 PAD on this platform"},
	{syntax: "service timestamps debug [uptime | datetime [msec] [localtime] [show-timezone] [year]]",
		line: func(a cli.Args) string {
			if w := timestampWords(a); w != "" {
				return "service timestamps debug" + w
			}
			return "service timestamps debug uptime" // as IOS shows a bare one
		},
		place: inertTop,
		why:   "lisad sends no debug messages (service timestamps log is implemented)"},
	{syntax: "boot-start-marker", line: func(cli.Args) string { return "boot-start-marker" }, place: inertBoot,
		why: "a marker for the IOS boot loader; lisad is started by the host"},
	{syntax: "boot-end-marker", line: func(cli.Args) string { return "boot-end-marker" }, place: inertBoot,
		why: "a marker for the IOS boot loader; lisad is started by the host"},
	{syntax: "switch <1-9> provision WORD$model",
		key:      func(a cli.Args) string { return fmt.Sprintf("switch %d provision", a.Int("switch")) },
		line:     func(a cli.Args) string { return fmt.Sprintf("switch %d provision %s", a.Int("switch"), a.Get("model")) },
		noSyntax: "switch <1-9> provision [WORD$model]",
		place:    inertHead,
		why:      "stack member provisioning: a host is one switch, its ports are the host's interfaces"},
	{syntax: "ip subnet-zero", line: func(cli.Args) string { return "ip subnet-zero" }, place: inertHead,
		why: "subnet zero is always usable (the IOS 12.0 and later behaviour)"},
	{syntax: "spanning-tree extend system-id", line: func(cli.Args) string { return "spanning-tree extend system-id" }, place: inertHead, ownBlock: true,
		why: "the bridge ID format of spanning tree, which lisad does not run (BPDUs are dropped and counted)"},
	{syntax: "errdisable recovery cause WORD$cause",
		key:   func(a cli.Args) string { return "errdisable recovery cause " + strings.ToLower(a.Get("cause")) },
		line:  func(a cli.Args) string { return "errdisable recovery cause " + strings.ToLower(a.Get("cause")) },
		place: inertHead, ownBlock: true, block: "errdisable",
		why: "lisad err-disables no port, so there is nothing to recover"},
	{syntax: "errdisable recovery interval <30-86400>$interval",
		key:      func(cli.Args) string { return "errdisable recovery interval" },
		line:     func(a cli.Args) string { return fmt.Sprintf("errdisable recovery interval %d", a.Int("interval")) },
		noSyntax: "errdisable recovery interval [<30-86400>$interval]",
		place:    inertHead, ownBlock: true, block: "errdisable",
		why: "lisad err-disables no port, so there is nothing to recover"},
	{syntax: "vlan internal allocation policy {ascending | descending}",
		line: func(a cli.Args) string {
			if a.Has("descending") {
				return "vlan internal allocation policy descending"
			}
			return "vlan internal allocation policy ascending"
		},
		place: inertHead, ownBlock: true,
		why: "lisad takes no internal VLANs: routed ports and SVIs use none"},
	{syntax: "ip classless", line: func(cli.Args) string { return "ip classless" }, place: inertAfterIfs,
		why: "lisad routes nothing; the SVIs' host stack is classless anyway"},
	{syntax: "ntp update-calendar", line: func(cli.Args) string { return "ntp update-calendar" }, place: inertEnd, block: "ntp", ownBlock: true,
		why: "the host's NTP client keeps the hardware clock"},
	{syntax: "ntp server A.B.C.D$ntpsrv [prefer] [version <1-4>$ntpver]",
		key: func(a cli.Args) string { return "ntp server " + a.Get("ntpsrv") },
		line: func(a cli.Args) string {
			l := "ntp server " + a.Get("ntpsrv")
			if v, ok := a.Lookup("ntpver"); ok {
				l += " version " + v
			}
			if a.Has("prefer") {
				l += " prefer"
			}
			return l
		},
		noSyntax: "ntp server A.B.C.D$ntpsrv [LINE]",
		place:    inertEnd, block: "ntp", ownBlock: true,
		why: "lisad does not set the host's clock: the host's own NTP client (chrony, systemd-timesyncd) does; show ntp status says what the kernel reports of it"},
	{syntax: "ip http server", line: func(cli.Args) string { return "ip http server" }, place: inertAfterIfs, bothKept: true,
		why: "lisad has no web interface: manage it over SSH or telnet"},
	{syntax: "ip http secure-server", line: func(cli.Args) string { return "ip http secure-server" }, place: inertAfterIfs, bothKept: true,
		why: "lisad has no web interface: manage it over SSH or telnet"},
	{syntax: "ip http authentication {local | enable | aaa}",
		line: func(a cli.Args) string {
			for _, k := range []string{"enable", "aaa"} {
				if a.Has(k) {
					return "ip http authentication " + k
				}
			}
			return "ip http authentication local"
		},
		place: inertAfterIfs,
		why:   "lisad has no web interface to authenticate"},
}

var inertHelp = withHelp(timestampHelp, map[string]string{
	"version":           "Version",
	"WORD":              "Version number",
	"pad":               "Enable PAD commands",
	"boot-start-marker": "Boot loader configuration start marker",
	"boot-end-marker":   "Boot loader configuration end marker",
	"switch":            "Switch (stack member) configuration",
	"<1-9>":             "Switch Number",
	"provision":         "Configure Switch provision / offline config",
	"model":             "Switch model (ws-c2960x-48fpd-l, ...)",
	"spanning-tree":     "Spanning Tree Subsystem",
	"extend":            "Spanning Tree 802.1t extensions",
	"system-id":         "Extend system-id into priority portion of the bridge id (PVST & Rapid PVST)",
	"vlan":              "Vlan commands",
	"internal":          "internal VLAN",
	"allocation":        "VLAN allocation",
	"policy":            "VLAN allocation policy",
	"ascending":         "Allocate internal VLANs from 1006 to 4094",
	"descending":        "Allocate internal VLANs from 4094 to 1006",
	"ip":                "Global IP configuration subcommands",
	"subnet-zero":       "Allow 'subnet zero' subnets",
	"classless":         "Follow classless routing forwarding rules",
	"http":              "HTTP server configuration",
	"server":            "Enable HTTP server",
	"secure-server":     "Enable HTTP secure server",
	"authentication":    "Set http server authentication method",
	"local":             "Use local username and passwords",
	"enable":            "Use enable passwords",
	"aaa":               "Use AAA access control methods",
	"mode":              "Spanning tree operating mode",
	"pvst":              "Per-Vlan spanning tree mode",
	"rapid-pvst":        "Per-Vlan rapid spanning tree mode",
	"mst":               "Multiple spanning tree mode",
	"Building":          "Header of a saved running-config (ignored)",
	"Current":           "Header of a saved running-config (ignored)",
	"configuration":     "Header of a saved running-config (ignored)",
	"inert-config":      "Configuration lines kept but without effect on this platform",
	"LINE":              "Rest of the header",
	"errdisable":        "Error disable",
	"recovery":          "Enable error disable recovery for application",
	"cause":             "Enable error disable recovery for application",
	"interval":          "Error disable recovery timer value",
	"udld":              "Configure global UDLD setting",
	"aggressive":        "Enable UDLD protocol in aggressive mode on fiber ports except where locally configured",
	"mls":               "mls global commands",
	"qos":               "qos attribute",
	"dhcp":              "Configure DHCP server and relay parameters",
	"snooping":          "DHCP Snooping",
	"pool":              "Configure DHCP address pools",
	"poolname":          "Pool name",
	"rest":              "The rest of the line",
	"ntp":               "Configure NTP",
	"ntpsrv":            "IP address of peer",
	"prefer":            "Prefer this peer when possible",
	"ntpver":            "NTP version number",
	"update-calendar":   "Periodically update calendar with NTP time",
})

// withHelp merges ? texts; later maps win.
func withHelp(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// familyKey is the family key of a global inert line.
func (f *inertGlobal) familyKey(a cli.Args) string {
	if f.key != nil {
		return f.key(a)
	}
	var words []string
	for _, w := range strings.Fields(f.syntax) {
		if strings.ContainsAny(w, "<{[") || strings.ToUpper(w) == w {
			break
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

func (s *Switch) defineInert() {
	g := s.conf
	for i := range inertGlobals {
		f := &inertGlobals[i]
		keep := func(c *cli.Ctx, a cli.Args) error {
			if s.cfg.inert == nil {
				s.cfg.inert = map[string]inertLine{}
			}
			s.cfg.inert[f.familyKey(a)] = inertLine{text: f.line(a), family: i}
			return nil
		}
		drop := func(c *cli.Ctx, a cli.Args) error {
			delete(s.cfg.inert, f.familyKey(a))
			return nil
		}
		on, off := keep, drop
		switch {
		case f.noKeeps:
			on, off = drop, keep
		case f.bothKept:
			off = func(c *cli.Ctx, a cli.Args) error {
				if s.cfg.inert == nil {
					s.cfg.inert = map[string]inertLine{}
				}
				key := f.familyKey(a)
				s.cfg.inert[key] = inertLine{text: "no " + key, family: i}
				return nil
			}
		}
		g.Define(cli.Command{Syntax: f.syntax, Priv: privMax, Help: inertHelp, Run: on, Doc: "Kept without effect: " + f.why})
		// The no form takes the family's keywords; its arguments are optional.
		noSyntax := f.noSyntax
		if noSyntax == "" {
			noSyntax = noFormSyntax(f.syntax)
		}
		g.Define(cli.Command{Syntax: "no " + noSyntax, Priv: privMax, Help: inertHelp, Run: off})
	}
	// The header of a saved show running-config, when the file is replayed.
	for _, syntax := range []string{"Building LINE", "Current configuration LINE"} {
		g.Define(cli.Command{Syntax: syntax, Priv: privMax, Help: inertHelp, Hidden: true,
			Run: func(*cli.Ctx, cli.Args) error { return nil }})
	}
	for _, r := range []struct{ syntax, why string }{
		{"udld {enable | aggressive}", "LiSA-Go runs no UDLD: a host's netdevs report their carrier, and its links are not fibre pairs that fail one way"},
		{"mls qos", "LiSA-Go has no QoS (mls qos) yet: frames are not classified or queued by CoS/DSCP"},
		{"ip dhcp snooping [LINE$rest]", "LiSA-Go has no DHCP snooping yet"},
		{"ip dhcp pool WORD$poolname", "LiSA-Go runs no DHCP server"},
	} {
		why := r.why
		g.Define(cli.Command{Syntax: r.syntax, Priv: privMax, Help: inertHelp, Doc: "Refused: " + strings.TrimPrefix(why, "LiSA-Go "),
			Run: func(*cli.Ctx, cli.Args) error { return fmt.Errorf("%% %s", why) }})
	}
	g.Define(cli.Command{Syntax: "spanning-tree mode {pvst | rapid-pvst | mst}", Priv: privMax, Help: inertHelp,
		Doc: "Refused: lisad runs no spanning tree yet (every port forwards once up; BPDUs are dropped and counted)",
		Run: func(*cli.Ctx, cli.Args) error {
			return fmt.Errorf("%% LiSA-Go runs no spanning tree yet: every port forwards once up, and BPDUs received are dropped and counted (reserved-multicast)")
		}})
	s.exec.Define(cli.Command{Syntax: "show inert-config", Pipe: true, Priv: privMax,
		Help: map[string]string{"inert-config": inertHelp["inert-config"]}, Run: s.showInert,
		Doc: "LiSA-Go: the configuration lines kept and saved but without effect on this platform, and why"})
}

// noFormSyntax is the syntax of a family's no form: its leading keywords,
// with whatever followed made optional.
func noFormSyntax(syntax string) string {
	fields := strings.Fields(syntax)
	n := 0
	for n < len(fields) && !strings.ContainsAny(fields[n], "<{[") && strings.ToUpper(fields[n]) != fields[n] {
		n++
	}
	if n == len(fields) {
		return syntax
	}
	return strings.Join(fields[:n], " ") + " [" + strings.Join(fields[n:], " ") + "]"
}

// inertLine is a kept global inert line.
type inertLine struct {
	text   string
	family int // index in inertGlobals
}

// inertBlocks are the kept global lines of one place, in family order, in
// the blocks IOS separates with "!".
func (c *config) inertBlocks(place inertPlace) [][]string {
	var blocks [][]string
	prev := -1
	for _, l := range c.sortedInert() {
		f := &inertGlobals[l.family]
		if f.place != place {
			continue
		}
		// An own-block family opens its block once; its later lines and
		// the families that join it follow in the same block.
		if len(blocks) == 0 || f.ownBlock && !(prev >= 0 && inertGlobals[prev].ownBlock && sameBlock(prev, l.family)) {
			blocks = append(blocks, nil)
		}
		prev = l.family
		blocks[len(blocks)-1] = append(blocks[len(blocks)-1], l.text)
	}
	return blocks
}

// sameBlock: families a and b render in one block (the same family, or
// families declared to share one).
func sameBlock(a, b int) bool {
	if a == b {
		return true
	}
	ga, gb := inertGlobals[a].block, inertGlobals[b].block
	return ga != "" && ga == gb
}

func (c *config) sortedInert() []inertLine {
	kept := make([]inertLine, 0, len(c.inert))
	for _, l := range c.inert {
		kept = append(kept, l)
	}
	sort.Slice(kept, func(i, j int) bool {
		if kept[i].family != kept[j].family {
			return kept[i].family < kept[j].family
		}
		return kept[i].text < kept[j].text
	})
	return kept
}

// portInert is a switch port's inert settings.
type portInert struct {
	encapDot1q  bool   // switchport trunk encapsulation dot1q
	nonegotiate bool   // switchport nonegotiate
	portfast    string // "", "portfast", "portfast trunk", "portfast edge", "portfast edge trunk"
	bpdufilter  bool   // spanning-tree bpdufilter enable
	// bpduguardOff: spanning-tree bpduguard disable
	bpduguardOff bool
	voiceVLAN    uint16 // switchport voice vlan N; 0: none
	powerNever   bool   // power inline never
}

// conLoginInert says why a console login has no effect.
const conLoginInert = "the console is swcli, which only root on the host reaches: it asks no login"

// vtpModeWhy says why vtp mode transparent (or off) has no effect.
const vtpModeWhy = "lisad speaks no VTP: its VLANs are configured here, as in transparent mode"

// inertPortWhy says why each port setting has no effect.
var inertPortWhy = map[string]string{
	"switchport trunk encapsulation dot1q": "802.1Q is the only trunk encapsulation lisad has",
	"switchport nonegotiate":               "lisad speaks no DTP: its trunks are always static",
	"spanning-tree portfast":               "with no spanning tree every port forwards as soon as it is up",
	"spanning-tree bpdufilter enable":      "lisad neither sends nor forwards BPDUs (received ones are dropped and counted)",
	"spanning-tree bpduguard disable":      "lisad has no BPDU guard to disable: BPDUs are dropped and counted",
	"power inline never":                   "a netdev has no Power over Ethernet to turn off",
	"switchport voice vlan":                "a VM host has no IP phones: frames tagged with the voice VLAN are dropped and counted (tagged-on-access), and CDP announces no voice VLAN",
}

func (p *port) inertLines() (encap, negotiate, stp []string) {
	in := &p.inert
	if in.encapDot1q {
		encap = append(encap, " switchport trunk encapsulation dot1q")
	}
	if in.nonegotiate {
		negotiate = append(negotiate, " switchport nonegotiate")
	}
	if in.voiceVLAN != 0 {
		negotiate = append(negotiate, fmt.Sprintf(" switchport voice vlan %d", in.voiceVLAN))
	}
	if in.powerNever {
		stp = append(stp, " power inline never")
	}
	if in.portfast != "" {
		stp = append(stp, " spanning-tree "+in.portfast)
	}
	if in.bpdufilter {
		stp = append(stp, " spanning-tree bpdufilter enable")
	}
	if in.bpduguardOff {
		stp = append(stp, " spanning-tree bpduguard disable")
	}
	return encap, negotiate, stp
}

func (s *Switch) showInert(c *cli.Ctx, a cli.Args) error {
	cfg := s.cfg
	var b strings.Builder
	for _, l := range cfg.sortedInert() {
		fmt.Fprintf(&b, "%s\n  %s\n", l.text, inertGlobals[l.family].why)
	}
	for _, name := range cfg.portNames() {
		p := cfg.ports[name]
		if p.routed {
			continue
		}
		encap, negotiate, stp := p.inertLines()
		for _, l := range append(append(encap, negotiate...), stp...) {
			l = strings.TrimSpace(l)
			why := inertPortWhy[l]
			if strings.HasPrefix(l, "spanning-tree portfast") {
				why = inertPortWhy["spanning-tree portfast"]
			}
			if strings.HasPrefix(l, "switchport voice vlan") {
				why = inertPortWhy["switchport voice vlan"]
			}
			fmt.Fprintf(&b, "interface %s: %s\n  %s\n", name, l, why)
		}
	}
	con := s.remote.cfg.con
	if con.password != nil {
		fmt.Fprintf(&b, "line con 0: password\n  %s\n", conLoginInert)
	}
	switch con.login {
	case loginLine:
		fmt.Fprintf(&b, "line con 0: login\n  %s\n", conLoginInert)
	case loginLocal:
		fmt.Fprintf(&b, "line con 0: login local\n  %s\n", conLoginInert)
	}
	if s.cfg.vtpMode != "" {
		fmt.Fprintf(&b, "vtp mode %s\n  %s\n", s.cfg.vtpMode, vtpModeWhy)
	}
	if b.Len() == 0 {
		c.Print("No configuration line is kept without effect.\n")
		return nil
	}
	c.Print("Kept and saved, without effect on this platform:\n")
	c.Print(b.String())
	return nil
}
