package switchd

import (
	"strings"
	"testing"
)

// A VLAN deleted and created again gets its static MACs back, as ports get
// their settings back.
func TestStaticMACsResumeWithTheirVLAN(t *testing.T) {
	r := newRig(t, "vif1.0")
	r.configure("vlan 30", "interface vif1.0", "switchport access vlan 30",
		"mac address-table static 0011.2233.4455 vlan 30 interface vif1.0")
	r.configure("no vlan 30")
	if out := r.run("show mac address-table static"); strings.Contains(out, "0011.2233.4455") {
		t.Errorf("static MAC of a deleted VLAN still in the table:\n%s", out)
	}
	if !strings.Contains(r.runningBody(), "mac address-table static 0011.2233.4455 vlan 30 interface vif1.0") {
		t.Errorf("the configuration must keep the static MAC")
	}
	r.configure("vlan 30")
	if out := r.run("show mac address-table static"); !strings.Contains(out, "  30    0011.2233.4455    STATIC      vif1.0") {
		t.Errorf("static MAC not back with its VLAN:\n%s", out)
	}
}
