package switchd

import (
	"strings"
	"testing"
)

// A Catalyst's trunk port configuration loads: the lines that state what
// lisad does anyway are accepted and change nothing, the ones asking for
// what it lacks say why.
func TestCatalystInterfaceLinesLoad(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure("interface eth0", "switchport mode trunk")
	before := r.runningBody()
	out := r.run("conf t", "interface eth0",
		"switchport trunk encapsulation dot1q", "switchport nonegotiate", "spanning-tree portfast trunk",
		"spanning-tree bpdufilter enable", "no spanning-tree portfast", "spanning-tree bpduguard disable",
		"switchport trunk encapsulation isl", "spanning-tree bpduguard enable", "end")
	if n := strings.Count(out, "% "); n != 2 ||
		!strings.Contains(out, "% LiSA-Go trunks use 802.1Q only") ||
		!strings.Contains(out, "% LiSA-Go runs no spanning tree") {
		t.Errorf("want exactly the isl and bpduguard lines refused:\n%s", out)
	}
	if after := r.runningBody(); after != before {
		t.Errorf("accepted compatibility lines changed the configuration:\n%s\nbefore:\n%s", after, before)
	}
	if out := r.run("conf t", "interface eth0", "no switchport", "switchport nonegotiate", "switchport trunk encapsulation dot1q"); strings.Count(out, "Command rejected: eth0 not a switching port.") != 2 {
		t.Errorf("a routed port took switchport lines:\n%s", out)
	}
	if out := r.run("conf t", "interface vlan 5", "switchport nonegotiate"); !strings.Contains(out, "% Invalid input detected") {
		t.Errorf("a VLAN interface took a switchport line:\n%s", out)
	}
}
