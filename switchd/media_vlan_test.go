package switchd

import (
	"strings"
	"testing"
)

// VLANs 1002-1005 are listed, as on a Catalyst, but no port carries them:
// an access or native VLAN there is refused, and a trunk that lists them in
// its allowed VLANs still gets no frames of theirs from the engine.
func TestMediaVLANsCarryNoTraffic(t *testing.T) {
	r := newRig(t, "eth0", "eth1")
	out := r.run("conf t", "interface eth0", "switchport access vlan 1002",
		"interface eth1", "switchport mode trunk", "switchport trunk native vlan 1003",
		"switchport trunk allowed vlan 1-1005", "exit",
		"mac address-table static 0011.2233.4455 vlan 1004 interface eth1", "end")
	for _, want := range []string{
		"% VLAN 1002 is an FDDI/Token Ring VLAN and cannot be the access VLAN of an Ethernet port",
		"% VLAN 1003 is an FDDI/Token Ring VLAN and cannot be the native VLAN of an Ethernet port",
		"% VLAN 1004 is an FDDI/Token Ring VLAN and carries no Ethernet traffic",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	carried := r.eng.VLANs()
	for id := uint16(1002); id <= 1005; id++ {
		if carried.Has(id) {
			t.Errorf("the engine carries VLAN %d", id)
		}
		if !r.sw.cfg.vlans.Has(id) {
			t.Errorf("VLAN %d is missing from the VLAN database", id)
		}
	}
	if !carried.Has(1) {
		t.Error("the engine lost VLAN 1")
	}
	if got := r.run("show vlan brief | include 1002"); !strings.Contains(got, "1002 fddi-default") || strings.Contains(got, "eth0") {
		t.Errorf("show vlan brief:\n%s", got)
	}
}
