package switchd

import (
	"fmt"

	"github.com/lisa-go/lisa/cli"
)

// defineCompat accepts the interface lines of a Catalyst configuration that
// state what lisad does anyway, so that a configuration pasted from a
// Catalyst loads without errors. They change nothing and are not saved.
// Lines that ask for behaviour lisad lacks are refused with the reason.
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
		"bpdufilter":    "Don't send or receive BPDUs on this interface",
		"bpduguard":     "Don't accept BPDUs on this interface",
		"enable":        "Enable the feature",
		"disable":       "Disable the feature",
	}
	accept := func(c *cli.Ctx, a cli.Args) error {
		p, err := s.currentPort(c)
		if err == nil && p.routed && a.Has("switchport") {
			return errNotSwitching(p)
		}
		return err
	}
	for _, syntax := range []string{
		// 802.1Q is lisad's only trunk encapsulation.
		"switchport trunk encapsulation dot1q",
		"no switchport trunk encapsulation",
		// lisad speaks no DTP: trunks are always static.
		"switchport nonegotiate",
		"no switchport nonegotiate",
		// With no spanning tree every port forwards as soon as it is up,
		// and lisad neither sends nor forwards BPDUs.
		"spanning-tree portfast [trunk]",
		"no spanning-tree portfast",
		"spanning-tree bpdufilter enable",
		"no spanning-tree bpdufilter",
	} {
		m.Define(cli.Command{Syntax: syntax, Priv: privMax, Class: classPort, Help: help, Run: accept})
	}
	m.Define(cli.Command{Syntax: "switchport trunk encapsulation {isl | negotiate}", Priv: privMax, Class: classPort, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			return fmt.Errorf("%% LiSA-Go trunks use 802.1Q only (switchport trunk encapsulation dot1q)")
		}})
	m.Define(cli.Command{Syntax: "spanning-tree bpduguard {enable | disable}", Priv: privMax, Class: classPort, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			if a.Has("disable") {
				return accept(c, a)
			}
			return fmt.Errorf("%% LiSA-Go runs no spanning tree and does not err-disable ports on BPDUs; BPDUs received are dropped and counted (reserved-multicast)")
		}})
}
