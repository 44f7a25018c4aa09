package switchd

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/cdp"
	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/engine/enginetest"
)

func igmpHost(i byte) (engine.MAC, netip.Addr) {
	return engine.MAC{0x02, 0x77, 0, 0, 0, i}, netip.AddrFrom4([4]byte{10, 0, 0, i})
}

// igmpRig: eth0 leads to a router (learned from its queries), vif1.0 and
// vif2.0 are VMs in VLAN 1, vif3.0 a VM in VLAN 10; eth1 is a static router
// port of VLAN 1 and 10.
func igmpRig(t *testing.T) *rig {
	r := newRig(t, "eth0", "eth1", "vif1.0", "vif2.0", "vif3.0")
	r.configure("vlan 10", "interface eth0", "interface eth1", "switchport mode trunk",
		"interface vif1.0", "interface vif2.0", "interface vif3.0", "switchport access vlan 10",
		"ip igmp snooping vlan 1 mrouter interface eth1", "ip igmp snooping vlan 10 mrouter interface eth1")
	g1, g2 := netip.MustParseAddr("239.1.1.1"), netip.MustParseAddr("239.255.0.7")
	rm, rip := igmpHost(254)
	r.inject("eth0", enginetest.IGMPQuery(rm, rip, 0))
	m1, ip1 := igmpHost(1)
	m2, ip2 := igmpHost(2)
	m3, ip3 := igmpHost(3)
	r.inject("vif1.0", enginetest.IGMPv2Report(m1, ip1, g1, 0))
	r.inject("vif2.0", enginetest.IGMPv2Report(m2, ip2, g1, 0), enginetest.IGMPv3ReportFrame(m2, ip2, 0, enginetest.V3Record{Type: 4, Group: g2}))
	r.inject("vif3.0", enginetest.IGMPv2Report(m3, ip3, g1, 0))
	return r
}

func TestIGMPShows(t *testing.T) {
	r := igmpRig(t)
	got := r.run("show ip igmp snooping groups", "show ip igmp snooping groups vlan 10", "show ip igmp snooping groups count",
		"show ip igmp snooping groups user", "show ip igmp snooping mrouter", "show ip igmp snooping mrouter vlan 10",
		"show mac address-table | include 0100")
	expectScreen(t, got, `Switch#show ip igmp snooping groups
Vlan      Group             Type        Version     Port List
---------------------------------------------------------------
1         239.1.1.1         igmp        v2          eth0, eth1, vif1.0,
                                                    vif2.0
1         239.255.0.7       igmp        v3          eth0, eth1, vif2.0
10        239.1.1.1         igmp        v2          eth1, vif3.0
Switch#show ip igmp snooping groups vlan 10
Vlan      Group             Type        Version     Port List
---------------------------------------------------------------
10        239.1.1.1         igmp        v2          eth1, vif3.0
Switch#show ip igmp snooping groups count
Total number of multicast groups: 3
Total number of IGMP learned multicast groups: 3
Total number of static multicast groups: 0

Switch#show ip igmp snooping groups user
Vlan      Group             Type        Version     Port List
---------------------------------------------------------------
Switch#show ip igmp snooping mrouter
Vlan    Ports
----    --------
   1    eth0(dynamic), eth1(static)
  10    eth1(static)
Switch#show ip igmp snooping mrouter vlan 10
Vlan    Ports
----    --------
  10    eth1(static)
Switch#show mac address-table | include 0100
`)

	got = r.run("show ip igmp snooping vlan 10", "show ip igmp snooping vlan 99")
	expectScreen(t, got, `Switch#show ip igmp snooping vlan 10
Global IGMP Snooping configuration:
-------------------------------------------
IGMP snooping                : Enabled
IGMPv3 snooping (minimal)    : Enabled
Report suppression           : Disabled
Group membership interval    : 260 sec
Mrouter timeout              : 300 sec

Vlan 10:
--------
IGMP snooping                       : Enabled
IGMPv2 immediate leave              : Enabled
Multicast router learning mode      : pim-dvmrp
Multicast groups                    : 1
Multicast router ports              : 1
Switch#show ip igmp snooping vlan 99
% VLAN 99 does not exist
`)
	if out := r.run("show ip igmp snooping"); !strings.Contains(out, "\nVlan 1:\n") || !strings.Contains(out, "\nVlan 10:\n") || strings.Contains(out, "Vlan 1002") {
		t.Errorf("show ip igmp snooping:\n%s", out)
	}

	// Clearing forgets the learned groups, one VLAN or all.
	r.run("clear ip igmp snooping groups vlan 10")
	if g := r.eng.IGMPGroups(0); len(g) != 2 {
		t.Fatalf("groups after clearing VLAN 10: %+v", g)
	}
	r.run("clear ip igmp snooping groups")
	if g := r.eng.IGMPGroups(0); len(g) != 0 {
		t.Fatalf("groups after clear: %+v", g)
	}
	// Aging on the switch's clock: the learned router port goes after 300 s.
	r.clock.Advance(engine.MrouterTimeout)
	r.eng.AgeIGMP(r.clock.Now())
	expectScreen(t, r.run("show ip igmp snooping mrouter vlan 1"), "Switch#show ip igmp snooping mrouter vlan 1\nVlan    Ports\n----    --------\n   1    eth1(static)\n")
}

func TestIGMPConfigCommands(t *testing.T) {
	r := newRig(t, "eth0", "eth1")
	got := r.run("conf t", "interface eth0", "exit", "ip igmp snooping vlan 5 mrouter interface eth9",
		"ip igmp snooping vlan 5 mrouter interface vlan 5", "no ip igmp snooping vlan 5 mrouter interface eth0",
		"ip igmp snooping vlan 5 mrouter interface eth0", "ip igmp snooping vlan 5 mrouter interface eth0",
		"no ip igmp snooping vlan 20", "no ip igmp snooping vlan 7", "ip igmp snooping vlan 20", "end")
	expectScreen(t, got, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface eth0
Switch(config-if)#exit
Switch(config)#ip igmp snooping vlan 5 mrouter interface eth9
% Interface eth9 is not a switch port
Switch(config)#ip igmp snooping vlan 5 mrouter interface vlan 5
% Interface Vlan5 is not a switch port
Switch(config)#no ip igmp snooping vlan 5 mrouter interface eth0
% Interface eth0 is not a static multicast router port of VLAN 5
Switch(config)#ip igmp snooping vlan 5 mrouter interface eth0
Switch(config)#ip igmp snooping vlan 5 mrouter interface eth0
Switch(config)#no ip igmp snooping vlan 20
Switch(config)#no ip igmp snooping vlan 7
Switch(config)#ip igmp snooping vlan 20
Switch(config)#end
`)
	body := r.runningBody()
	for _, want := range []string{"!\nno ip igmp snooping vlan 7\n!\n", "!\nip igmp snooping vlan 5 mrouter interface eth0\n!\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("running-config lacks %q:\n%s", want, body)
		}
	}
	if strings.Count(body, "mrouter") != 1 || strings.Contains(body, "vlan 20") {
		t.Errorf("running-config:\n%s", body)
	}
	on := r.eng.IGMPSnooping()
	if on.Has(7) || !on.Has(20) || !on.Has(1) {
		t.Errorf("engine snooping VLANs %v", on.String())
	}
	if m := r.eng.Mrouters(5); len(m) != 1 || m[0].Port != "eth0" || !m[0].Static {
		t.Errorf("engine mrouters %+v", m)
	}

	// Global off: one line, every VLAN floods; on again: everything on.
	r.configure("no ip igmp snooping")
	body = r.runningBody()
	if !strings.Contains(body, "!\nno ip igmp snooping\n!\n") || strings.Contains(body, "snooping vlan 7") {
		t.Errorf("running-config:\n%s", body)
	}
	if !r.eng.IGMPSnooping().IsEmpty() {
		t.Error("engine still snoops")
	}
	r.configure("ip igmp snooping")
	if !r.eng.IGMPSnooping().IsAll() || strings.Contains(r.runningBody(), "no ip igmp") {
		t.Errorf("after ip igmp snooping:\n%s", r.runningBody())
	}

	// The static router port goes with its interface, said out loud.
	r.configure("no interface eth0")
	if strings.Contains(r.runningBody(), "mrouter") || len(r.eng.Mrouters(0)) != 0 {
		t.Errorf("mrouter kept:\n%s", r.runningBody())
	}
	if !strings.Contains(r.logs.String(), "MROUTERREMOVED") {
		t.Errorf("no log of the removed mrouter:\n%s", r.logs.String())
	}
}

// write memory, reload and a fresh switch: the same configuration, the
// static router ports included (the original lost them).
func TestIGMPConfigRoundTrip(t *testing.T) {
	r := newRig(t, "eth0", "eth1")
	r.configure("no ip igmp snooping vlan 30", "vlan 30", "interface eth0", "switchport mode trunk", "interface eth1",
		"ip igmp snooping vlan 30 mrouter interface eth0", "ip igmp snooping vlan 1 mrouter interface eth1")
	before := r.runningBody()
	if !strings.Contains(before, "hostname Switch\n!\nno ip igmp snooping vlan 30\n!\nvlan 30\n!\n") ||
		!strings.Contains(before, "ip igmp snooping vlan 30 mrouter interface eth0\nip igmp snooping vlan 1 mrouter interface eth1\n!\n") {
		t.Fatalf("running-config:\n%s", before)
	}
	r.run("write memory")
	r.console().Transcript([]string{"reload"}, "")
	if got := r.runningBody(); got != before {
		t.Fatalf("after reload:\n%s", firstDiff(got, before))
	}
	r2 := newRig(t, "eth0", "eth1")
	r2.sw.store = r.store
	if errs := r2.sw.LoadStartup(); len(errs) > 0 {
		t.Fatalf("startup errors: %+v", errs)
	}
	if got := r2.runningBody(); got != before {
		t.Fatalf("fresh switch:\n%s", firstDiff(got, before))
	}
	if on, m := r2.eng.IGMPSnooping(), r2.eng.Mrouters(0); len(m) != 2 || on.Has(30) {
		t.Fatalf("engine after load: %+v", m)
	}
	r.configure("no ip igmp snooping")
	before = r.runningBody()
	r.run("write memory")
	r.console().Transcript([]string{"reload"}, "")
	if got := r.runningBody(); got != before || !r.eng.IGMPSnooping().IsEmpty() {
		t.Fatalf("after reload (snooping off):\n%s", firstDiff(got, before))
	}
}

// CDP announces the IGMP capability while snooping is on.
func TestIGMPCapabilityInCDP(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure("interface eth0")
	capOf := func() cdp.Capabilities {
		r.clock.Advance(61 * time.Second)
		r.sw.cdp.Tick()
		return r.sentCDP("eth0").Capabilities
	}
	if c := capOf(); c&cdp.CapIGMP == 0 || c&cdp.CapSwitch == 0 {
		t.Fatalf("capabilities %#x", c)
	}
	r.configure("no ip igmp snooping")
	c := capOf()
	for c&cdp.CapIGMP != 0 { // one frame may have been built before
		c = r.sentCDP("eth0").Capabilities
	}
	r.configure("ip igmp snooping")
	if c := capOf(); c&cdp.CapIGMP == 0 {
		t.Fatalf("capabilities %#x after ip igmp snooping", c)
	}
}
