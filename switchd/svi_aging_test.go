package switchd

import (
	"strings"
	"testing"
)

// A VLAN interface whose tap is deleted behind lisad's back is created again
// with its addresses.
func TestSVIDeletedOutsideIsRestored(t *testing.T) {
	r := newRig(t)
	r.configure("interface vlan 10", "ip address 10.0.10.1 255.255.255.0")
	r.host.DeleteLink("vlan10")
	waitFor(t, func() bool { return strings.Contains(r.logs.String(), "SVIRESTORED") })
	if addrs := r.host.Addrs("vlan10"); len(addrs) != 1 || addrs[0].String() != "10.0.10.1/24" {
		t.Errorf("vlan10 addresses after restore: %v", addrs)
	}
	if out := r.run("show interfaces vlan 10 | include Internet"); !strings.Contains(out, "Internet address is 10.0.10.1/24") {
		t.Errorf("show interfaces:\n%s", out)
	}
}

// The aging time of lisad.toml is the default: an explicit 300 is kept in
// the configuration, and "no" returns to the file's value.
func TestAgingDefaultFromSettings(t *testing.T) {
	r := newRig(t)
	r.sw.SetDefaultAging(600)
	if strings.Contains(r.runningBody(), "aging-time") {
		t.Errorf("the settings' default must not be written:\n%s", r.runningBody())
	}
	r.configure("mac address-table aging-time 300")
	if !strings.Contains(r.runningBody(), "mac address-table aging-time 300\n") {
		t.Errorf("an explicit 300 must be written when the default is 600:\n%s", r.runningBody())
	}
	r.configure("no mac address-table aging-time")
	if got := r.sw.cfg.aging; got != 600 {
		t.Errorf("no aging-time gives %d, want the settings' 600", got)
	}
}

func TestEveryTokenHasHelp(t *testing.T) {
	r := newRig(t)
	if missing := r.sw.interp.CheckHelp(); len(missing) > 0 {
		t.Errorf("tokens without ? help:\n%s", strings.Join(missing, "\n"))
	}
}

// The MAC table names a VLAN interface as the configuration does (Vlan10),
// not by its netdev (vlan10).
func TestMACTableNamesSVIAsConfigured(t *testing.T) {
	r := newRig(t)
	r.configure("interface vlan 10")
	out := r.run("show mac address-table vlan 10")
	if !strings.Contains(out, "STATIC      Vlan10") || strings.Contains(out, "vlan10") {
		t.Errorf("show mac address-table vlan 10:\n%s", out)
	}
}
