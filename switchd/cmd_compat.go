package switchd

import (
	"fmt"
	"strings"

	"github.com/lisa-go/lisa/cli"
)

// defineCompat takes the interface lines of a Catalyst configuration that
// state what lisad does anyway, so that a configuration pasted from a
// Catalyst loads: they are kept (port.inert), saved and shown by
// show inert-config (cmd_inert.go), and change nothing else. Lines that ask
// for behaviour lisad lacks are refused with the reason.
func (s *Switch) defineCompat() {
	m := s.ifMode
	help := map[string]string{
		"switchport":    "Set switching mode characteristics",
		"trunk":         "Set trunking characteristics of the interface",
		"encapsulation": "Set trunking encapsulation when interface is in trunking mode",
		"dot1q":         "Interface uses only 802.1q trunking encapsulation when trunking",
		"isl":           "Interface uses only ISL trunking encapsulation when trunking",
		"negotiate":     "Device will negotiate trunking encapsulation with peer on interface",
		"nonegotiate":   "Device will not engage in negotiation protocol on this interface",
		"spanning-tree": "Spanning Tree Subsystem",
		"portfast":      "Portfast options for the interface",
		"edge":          "Enable portfast edge on the interface",
		"bpdufilter":    "Don't send or receive BPDUs on this interface",
		"bpduguard":     "Don't accept BPDUs on this interface",
		"enable":        "Enable the feature",
		"voice":         "Voice appliance attributes",
		"power":         "Power configuration",
		"inline":        "Inline power configuration",
		"never":         "Never apply inline power",
		"auto":          "Automatically detect and power inline devices",
		"static":        "High priority inline power interface",
		"consumption":   "Configure the inline device consumption",
		"mw":            "milli-watts",
		"udld":          "Configure UDLD enabled or disabled and ignore global UDLD setting",
		"port":          "Enable UDLD protocol on this interface despite global UDLD setting",
		"aggressive":    "Enable UDLD protocol in aggressive mode on this interface despite global UDLD setting",
		"mls":           "mls interface commands",
		"qos":           "qos command keyword",
		"trust":         "trust keyword",
		"cos":           "cos keyword",
		"dscp":          "dscp keyword",
		"ip-precedence": "ip-precedence keyword",
		"vlan":          "Vlan for voice traffic",
		"vvid":          "Vlan for voice traffic",
		"disable":       "Disable the feature",
	}
	keep := func(set func(in *portInert, a cli.Args)) cli.Handler {
		return func(c *cli.Ctx, a cli.Args) error {
			p, err := s.currentPort(c)
			if err != nil {
				return err
			}
			if p.routed {
				// Neither spanning tree nor switchport lines mean
				// anything on a routed port; they would not be saved.
				return errNotSwitching(p)
			}
			set(&p.inert, a)
			return nil
		}
	}
	type setting struct {
		syntax string
		set    func(in *portInert, a cli.Args)
	}
	for _, st := range []setting{
		{"switchport trunk encapsulation dot1q", func(in *portInert, a cli.Args) { in.encapDot1q = true }},
		{"no switchport trunk encapsulation", func(in *portInert, a cli.Args) { in.encapDot1q = false }},
		{"switchport nonegotiate", func(in *portInert, a cli.Args) { in.nonegotiate = true }},
		{"no switchport nonegotiate", func(in *portInert, a cli.Args) { in.nonegotiate = false }},
		{"spanning-tree portfast [edge] [trunk]", func(in *portInert, a cli.Args) {
			in.portfast = "portfast"
			if a.Has("edge") {
				in.portfast += " edge"
			}
			if a.Has("trunk") {
				in.portfast += " trunk"
			}
		}},
		{"no spanning-tree portfast", func(in *portInert, a cli.Args) { in.portfast = "" }},
		{"spanning-tree bpdufilter enable", func(in *portInert, a cli.Args) { in.bpdufilter = true }},
		{"no spanning-tree bpdufilter", func(in *portInert, a cli.Args) { in.bpdufilter = false }},
		{"spanning-tree bpduguard disable", func(in *portInert, a cli.Args) { in.bpduguardOff = true }},
		{"no spanning-tree bpduguard", func(in *portInert, a cli.Args) { in.bpduguardOff = false }},
		{"switchport voice vlan <1-4094>$vvid", func(in *portInert, a cli.Args) { in.voiceVLAN = uint16(a.Int("vvid")) }},
		{"power inline never", func(in *portInert, a cli.Args) { in.powerNever = true }},
		{"no power inline [never]", func(in *portInert, a cli.Args) { in.powerNever = false }},
		{"no switchport voice vlan [<1-4094>$vvid]", func(in *portInert, a cli.Args) { in.voiceVLAN = 0 }},
	} {
		var doc string
		if !strings.HasPrefix(st.syntax, "no ") {
			why := inertPortWhy[st.syntax]
			for _, family := range []string{"spanning-tree portfast", "switchport voice vlan"} {
				if strings.HasPrefix(st.syntax, family) {
					why = inertPortWhy[family]
				}
			}
			doc = "Kept without effect: " + why
		}
		m.Define(cli.Command{Syntax: st.syntax, Priv: privMax, Class: classPort, Help: help, Run: keep(st.set), Doc: doc})
	}
	m.Define(cli.Command{Syntax: "switchport trunk encapsulation {isl | negotiate}", Priv: privMax, Class: classPort, Help: help,
		Doc: "Refused: lisad's trunks are 802.1Q only",
		Run: func(c *cli.Ctx, a cli.Args) error {
			return fmt.Errorf("%% LiSA-Go trunks use 802.1Q only (switchport trunk encapsulation dot1q)")
		}})
	for _, r := range []struct{ syntax, why string }{
		{"power inline {auto | static | consumption <4000-30000>$mw}", "LiSA-Go ports are netdevs: there is no Power over Ethernet (power inline never states that)"},
		{"udld port [aggressive | disable]", "LiSA-Go runs no UDLD: a netdev reports its carrier"},
		{"mls qos trust {cos | dscp | ip-precedence}", "LiSA-Go has no QoS (mls qos) yet: frames are not classified or queued by CoS/DSCP"},
	} {
		why := r.why
		m.Define(cli.Command{Syntax: r.syntax, Priv: privMax, Class: classPort | classRouted, Help: help, Doc: "Refused: " + strings.TrimPrefix(why, "LiSA-Go "),
			Run: func(*cli.Ctx, cli.Args) error { return fmt.Errorf("%% %s", why) }})
	}
	m.Define(cli.Command{Syntax: "spanning-tree bpduguard enable", Priv: privMax, Class: classPort, Help: help,
		Doc: "Refused: lisad runs no spanning tree and err-disables no port on BPDUs (they are dropped and counted)",
		Run: func(c *cli.Ctx, a cli.Args) error {
			return fmt.Errorf("%% LiSA-Go runs no spanning tree and does not err-disable ports on BPDUs; BPDUs received are dropped and counted (reserved-multicast)")
		}})
}
