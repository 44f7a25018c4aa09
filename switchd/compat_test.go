package switchd

import (
	"strings"
	"testing"
)

// A Catalyst's trunk port configuration loads: the lines that state what
// lisad does anyway are kept and rendered back where IOS puts them, the ones
// asking for what it lacks say why.
func TestCatalystInterfaceLinesLoad(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure("interface eth0", "switchport mode trunk")
	out := r.run("conf t", "interface eth0",
		"switchport trunk encapsulation dot1q", "switchport nonegotiate", "spanning-tree portfast trunk",
		"spanning-tree bpdufilter enable", "spanning-tree bpduguard disable", "switchport voice vlan 20",
		"switchport trunk encapsulation isl", "spanning-tree bpduguard enable", "end")
	if n := strings.Count(out, "% "); n != 2 ||
		!strings.Contains(out, "% LiSA-Go trunks use 802.1Q only") ||
		!strings.Contains(out, "% LiSA-Go runs no spanning tree") {
		t.Errorf("want exactly the isl and bpduguard lines refused:\n%s", out)
	}
	want := "interface eth0\n switchport trunk encapsulation dot1q\n switchport mode trunk\n switchport nonegotiate\n switchport voice vlan 20\n" +
		" spanning-tree portfast trunk\n spanning-tree bpdufilter enable\n spanning-tree bpduguard disable\n!"
	if body := r.runningBody(); !strings.Contains(body, want) {
		t.Errorf("the kept lines are not where IOS puts them:\n%s\nwant:\n%s", body, want)
	}
	r.configure("interface eth0", "no switchport trunk encapsulation", "no switchport nonegotiate", "no spanning-tree portfast",
		"no spanning-tree bpdufilter", "no spanning-tree bpduguard", "no switchport voice vlan")
	if body := r.runningBody(); !strings.Contains(body, "interface eth0\n switchport mode trunk\n!") {
		t.Errorf("the no forms left lines behind:\n%s", body)
	}
	if show := r.run("show inert-config"); strings.Contains(show, "voice") {
		t.Errorf("show inert-config after no switchport voice vlan:\n%s", show)
	}
	if out := r.run("conf t", "interface eth0", "no switchport", "switchport nonegotiate", "switchport trunk encapsulation dot1q"); strings.Count(out, "Command rejected: eth0 not a switching port.") != 2 {
		t.Errorf("a routed port took switchport lines:\n%s", out)
	}
	if out := r.run("conf t", "interface vlan 5", "switchport nonegotiate"); !strings.Contains(out, "% Invalid input detected") {
		t.Errorf("a VLAN interface took a switchport line:\n%s", out)
	}
}

func TestVoiceVLANKeptAndShownInert(t *testing.T) {
	r := newRig(t, "vif1.0")
	r.configure("interface vif1.0", "switchport access vlan 10", "switchport mode access", "switchport voice vlan 20")
	if body := r.runningBody(); !strings.Contains(body, " switchport access vlan 10\n switchport mode access\n switchport voice vlan 20\n") {
		t.Errorf("running-config:\n%s", body)
	}
	if show := r.run("show inert-config"); !strings.Contains(show, "interface vif1.0: switchport voice vlan 20\n  a VM host has no IP phones") {
		t.Errorf("show inert-config:\n%s", show)
	}
}
