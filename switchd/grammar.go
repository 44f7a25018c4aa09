package switchd

import (
	"strings"

	"github.com/lisa-go/lisa/cli"
)

// Command classes of the interface configuration mode: which commands a kind
// of interface offers.
const (
	classPort   uint32 = 1 << iota // a switch port
	classSVI                       // a VLAN interface
	classRouted                    // a routed port ("no switchport"): also classPort
)

// Privilege levels.
const (
	privUser = 1
	privMax  = 15
)

// ifSpec is how commands name an interface: a Linux netdev name, the
// original's "Ethernet N" and "netdev NAME", or "vlan N" for a VLAN interface.
const ifSpec = "{Ethernet <0-4095>$eth | netdev IFNAME$netdev | vlan <1-4094>$svi | IFNAME$ifname}"

// sharedHelp is the `?` text of tokens that mean the same everywhere.
var sharedHelp = map[string]string{
	"show":              "Show running system information",
	"no":                "Negate a command or set its defaults",
	"exit":              "Exit from the EXEC",
	"end":               "Exit from configure mode",
	"clear":             "Reset functions",
	"terminal":          "Set terminal line parameters",
	"interface":         "Select an interface to configure",
	"interfaces":        "Interface status and configuration",
	"Ethernet":          "Ethernet IEEE 802.3 (Linux ethN)",
	"<0-4095>":          "Ethernet interface number",
	"netdev":            "Linux network device, by name",
	"IFNAME":            "Linux network device (eth0, vif3.0, tap0)",
	"<1-4094>":          "VLAN ID",
	"vlan":              "Catalyst Vlans",
	"H.H.H":             "48 bit mac address",
	"A.B.C.D":           "IP address",
	"WORD":              "Name",
	"LINE":              "Text",
	"mac":               "MAC configuration",
	"address-table":     "MAC forwarding table",
	"detail":            "Show detailed information",
	"running-config":    "Current operating configuration",
	"startup-config":    "Contents of startup configuration",
	"description":       "Interface specific description",
	"shutdown":          "Shutdown the selected interface",
	"switchport":        "Set switching mode characteristics",
	"help":              "Description of the interactive help system",
	"VLANLIST":          "VLAN IDs, e.g. 1-5,7,100-200",
	"ip":                "Interface Internet Protocol config commands",
	"do":                "To run exec commands in config mode",
	"logout":            "Exit from the EXEC",
	"quit":              "Exit from the EXEC",
	"mac-address-table": "MAC forwarding table",
}

// buildGrammar declares every mode and command.
func (s *Switch) buildGrammar() {
	in := cli.NewInterpreter()
	s.interp = in
	for k, v := range sharedHelp {
		in.SetHelp(k, v)
	}
	in.RegisterType(&cli.ParamType{
		Name: "IFNAME", Rank: cli.RankName,
		Accept: validNetdevName,
		Prefix: func(tok string) int {
			for i := 0; i < len(tok); i++ {
				if !validNetdevName(tok[:i+1]) {
					return i
				}
			}
			return len(tok)
		},
	})
	in.RegisterType(&cli.ParamType{
		Name: "VLANLIST", Rank: cli.RankList,
		Accept: func(tok string) bool { return tok != "" && strings.Trim(tok, "0123456789,-") == "" },
		Prefix: func(tok string) int {
			for i := 0; i < len(tok); i++ {
				if !strings.ContainsRune("0123456789,-", rune(tok[i])) {
					return i
				}
			}
			return len(tok)
		},
	})
	s.exec = in.NewMode("exec", "", nil, false)
	s.conf = in.NewMode("config", "(config)", nil, true)
	s.ifMode = in.NewMode("config-if", "(config-if)", s.conf, true)
	s.vlMode = in.NewMode("config-vlan", "(config-vlan)", s.conf, true)
	s.exec.HelpTitle = "Exec commands:"
	s.conf.HelpTitle = "Configure commands:"
	s.ifMode.HelpTitle = "Interface configuration commands:"
	s.vlMode.HelpTitle = "VLAN configuration commands:"
	for _, m := range []*cli.Mode{s.conf, s.ifMode, s.vlMode} {
		m.DefineJump("do", sharedHelp["do"], s.exec)
		s.defineModeExits(m)
	}
	s.defineExec()
	s.defineSaving()
	s.defineGlobal()
	s.defineVLAN()
	s.defineInterface()
	s.defineCompat()
	s.defineInert()
	s.defineIPManagement()
	s.defineInterfaceRange()
	s.defineMTU()
	s.definePing()
	s.defineClock()
	s.defineCrypto()
	s.defineSyslog()
	s.defineDNS()
	s.defineNTPShow()
	s.defineMAC()
	s.defineIGMP()
	s.defineShowInterfaces()
	s.defineCDP()
	s.defineVM()
	s.defineLines()
}

// defineModeExits gives every configuration mode exit and end.
func (s *Switch) defineModeExits(m *cli.Mode) {
	exitHelp := "Exit from configure mode"
	switch m {
	case s.ifMode:
		exitHelp = "Exit from interface configuration mode"
	case s.vlMode:
		exitHelp = "Apply changes, bump revision number, and exit mode"
	}
	m.Define(cli.Command{Syntax: "exit", Priv: privMax, Help: map[string]string{"exit": exitHelp},
		Run: func(c *cli.Ctx, a cli.Args) error {
			if up := c.S.Mode().Parent; up != nil {
				c.S.SetMode(up, nil, 0)
			} else {
				c.S.SetMode(s.exec, nil, 0)
			}
			return nil
		}})
	m.Define(cli.Command{Syntax: "end", Priv: privMax, Run: func(c *cli.Ctx, a cli.Args) error {
		c.S.SetMode(s.exec, nil, 0)
		return nil
	}})
}
