package switchd

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/lisa-go/lisa/engine"
)

// Routed ports: no switchport / switchport, the switching commands they
// refuse, their addresses and how the show commands and the running-config
// present them.
func TestRoutedPortTranscripts(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  string
	}{
		{"no switchport refuses switching, takes addresses", []string{"conf t", "interface eth1", "switchport access vlan 10", "ip address 10.0.0.1 255.255.255.0", "no switchport", "switchport access vlan 20", "switchport mode trunk", "no switchport trunk allowed vlan", "ip address 10.0.0.1 255.255.255.0", "ip address 10.0.1.1 255.255.255.0 secondary", "ipv6 address 2001:db8::1/64", "ip address 10.0.0.1 255.0.255.0", "ip address 10.0.0.0 255.255.255.0", "interface vlan 5", "ip address 10.0.0.2 255.255.255.0", "ip address 10.0.2.1 255.255.255.0", "ipv6 address 2001:db8::2/64", "interface eth1", "ip address 10.0.2.9 255.255.255.0 secondary", "no ip address 10.0.0.1 255.255.255.0", "end"}, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface eth1
Switch(config-if)#switchport access vlan 10
% Access VLAN does not exist. Creating vlan 10
Switch(config-if)#ip address 10.0.0.1 255.255.255.0
                     ^
% Invalid input detected at '^' marker.

Switch(config-if)#no switchport
Switch(config-if)#switchport access vlan 20
Command rejected: eth1 not a switching port.
Switch(config-if)#switchport mode trunk
Command rejected: eth1 not a switching port.
Switch(config-if)#no switchport trunk allowed vlan
Command rejected: eth1 not a switching port.
Switch(config-if)#ip address 10.0.0.1 255.255.255.0
Switch(config-if)#ip address 10.0.1.1 255.255.255.0 secondary
Switch(config-if)#ipv6 address 2001:db8::1/64
Switch(config-if)#ip address 10.0.0.1 255.0.255.0
% Bad mask 0xFF00FF00 for address 10.0.0.1
Switch(config-if)#ip address 10.0.0.0 255.255.255.0
% Bad mask /24 for address 10.0.0.0
Switch(config-if)#interface vlan 5
Switch(config-if)#ip address 10.0.0.2 255.255.255.0
% 10.0.0.0/24 overlaps with eth1
Switch(config-if)#ip address 10.0.2.1 255.255.255.0
Switch(config-if)#ipv6 address 2001:db8::2/64
% 2001:DB8::/64 overlaps with eth1
Switch(config-if)#interface eth1
Switch(config-if)#ip address 10.0.2.9 255.255.255.0 secondary
% 10.0.2.0/24 overlaps with Vlan5
Switch(config-if)#no ip address 10.0.0.1 255.255.255.0
% Must delete secondary before deleting primary
Switch(config-if)#end
`},
		{"routed port in the show commands", []string{"conf t", "interface eth0", "interface eth1", "description uplink", "no switchport", "ip address 192.0.2.1 255.255.255.0", "end", "show running-config | begin interface", "show interfaces switchport", "show ip interface brief", "show interfaces status", "show interfaces eth1 | include address|Switchport", "show vlan brief | include eth", "show interfaces eth1 trunk"}, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface eth0
Switch(config-if)#interface eth1
Switch(config-if)#description uplink
Switch(config-if)#no switchport
Switch(config-if)#ip address 192.0.2.1 255.255.255.0
Switch(config-if)#end
Switch#show running-config | begin interface
interface eth0
!
interface eth1
 description uplink
 no switchport
 ip address 192.0.2.1 255.255.255.0
!
end

Switch#show interfaces switchport
Name: eth0
Switchport: Enabled
Administrative Mode: static access
Operational Mode: static access
Administrative Trunking Encapsulation: dot1q
Operational Trunking Encapsulation: dot1q
Negotiation of Trunking: Off
Access Mode VLAN: 1 (default)
Trunking Native Mode VLAN: 1 (default)
Administrative Native VLAN tagging: disabled
Voice VLAN: none
Trunking VLANs Enabled: ALL

Name: eth1
Switchport: Disabled
Switch#show ip interface brief
Interface              IP-Address      OK? Method Status                Protocol
eth0                   unassigned      YES unset  up                    up
eth1                   192.0.2.1       YES manual up                    up
Switch#show interfaces status

Port      Name               Status       Vlan       Duplex  Speed Type
eth0                         connected    1            auto   auto veth
eth1      uplink             connected    routed       auto   auto veth
Switch#show interfaces eth1 | include address|Switchport
  Hardware is Virtual Ethernet (veth), address is 0211.2233.4402 (bia 0211.2233.4402)
  Internet address is 192.0.2.1/24
Switch#show vlan brief | include eth
1    default                          active    eth0
Switch#show interfaces eth1 trunk
`},
		{"switchport restores switching and drops the addresses", []string{"conf t", "interface eth1", "switchport mode trunk", "switchport trunk native vlan 7", "no switchport", "ip address 192.0.2.1 255.255.255.0", "no switchport", "switchport", "ip address 192.0.2.1 255.255.255.0", "end", "show running-config interface eth1", "show ip interface brief"}, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface eth1
Switch(config-if)#switchport mode trunk
Switch(config-if)#switchport trunk native vlan 7
Switch(config-if)#no switchport
Switch(config-if)#ip address 192.0.2.1 255.255.255.0
Switch(config-if)#no switchport
Switch(config-if)#switchport
Switch(config-if)#ip address 192.0.2.1 255.255.255.0
                     ^
% Invalid input detected at '^' marker.

Switch(config-if)#end
Switch#show running-config interface eth1
Building configuration...

Current configuration : 76 bytes
!
interface eth1
 switchport trunk native vlan 7
 switchport mode trunk
end

Switch#show ip interface brief
Interface              IP-Address      OK? Method Status                Protocol
eth1                   unassigned      YES unset  up                    up
`},
		{"a VLAN interface has no switchport", []string{"conf t", "interface vlan 3", "no switchport"}, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface vlan 3
Switch(config-if)#no switchport
                           ^
% Invalid input detected at '^' marker.

`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, "eth0", "eth1")
			expectScreen(t, r.run(tc.lines...), tc.want)
		})
	}
}

// A routed port leaves switching in the engine and on the host (not
// promiscuous, its addresses on its netdev), another session already on
// the port is refused switching commands too, and the running-config
// reloads identically.
func TestRoutedPortEngineAndReload(t *testing.T) {
	r := newRig(t, "eth0", "eth1")
	other := r.console()
	other.Transcript([]string{"conf t", "interface eth1"})
	r.configure("interface eth0", "interface eth1", "switchport access vlan 10", "description core", "no switchport",
		"ip address 192.0.2.1 255.255.255.0", "ip address 198.51.100.1 255.255.255.0 secondary", "ipv6 address 2001:db8:1::1/64",
		"shutdown", "no cdp enable")
	pc, err := r.eng.PortConfigOf("eth1")
	if err != nil || !pc.Routed || pc.AccessVLAN != 10 {
		t.Fatalf("engine config %+v %v", pc, err)
	}
	if r.host.Promiscuous("eth1") || !r.host.Promiscuous("eth0") {
		t.Fatal("promiscuous mode does not follow switchport")
	}
	want := []netip.Prefix{netip.MustParsePrefix("192.0.2.1/24"), netip.MustParsePrefix("198.51.100.1/24"), netip.MustParsePrefix("2001:db8:1::1/64")}
	if got := r.host.Addrs("eth1"); !slices.Equal(got, want) {
		t.Fatalf("netdev addresses %v, want %v", got, want)
	}
	got := other.Transcript([]string{"switchport access vlan 20"})
	if !strings.Contains(got, "Command rejected: eth1 not a switching port.") {
		t.Fatalf("stale session:\n%s", got)
	}

	before := r.runningBody()
	if !strings.Contains(before, "interface eth1\n description core\n no switchport\n ip address 192.0.2.1 255.255.255.0\n ip address 198.51.100.1 255.255.255.0 secondary\n ipv6 address 2001:DB8:1::1/64\n shutdown\n no cdp enable\n!") {
		t.Fatalf("running-config:\n%s", before)
	}
	r.run("write memory")
	r.eng.Close()
	r.host.SetAddrs("eth1", nil)

	r2 := newRigOn(t, r.host, r.store, "")
	if errs := r2.sw.LoadStartup(); len(errs) > 0 {
		t.Fatalf("startup errors: %+v", errs)
	}
	if after := r2.runningBody(); after != before {
		t.Fatalf("reloaded running-config differs\n--- before ---\n%s\n--- after ---\n%s\n%s", before, after, firstDiff(after, before))
	}
	if got := r2.host.Addrs("eth1"); !slices.Equal(got, want) {
		t.Fatalf("reloaded netdev addresses %v", got)
	}
	pc, _ = r2.eng.PortConfigOf("eth1")
	if !pc.Routed || pc.AccessVLAN != 1 {
		t.Fatalf("reloaded engine config %+v (switching settings are not saved)", pc)
	}
	// Back to switching: the addresses leave the netdev.
	r2.configure("interface eth1", "switchport")
	if got := r2.host.Addrs("eth1"); len(got) != 0 {
		t.Fatalf("addresses kept after switchport: %v", got)
	}
	if pc, _ := r2.eng.PortConfigOf("eth1"); pc.Routed || pc.Mode != engine.Access {
		t.Fatalf("engine config %+v", pc)
	}
}

// A routed port keeps its old access VLAN internally; that VLAN's deletion
// does not make the routed port "inactive".
func TestRoutedPortStatusIgnoresItsOldVLAN(t *testing.T) {
	r := newRig(t, "eth0", "eth1")
	r.configure("interface eth1", "switchport access vlan 30", "no switchport", "exit", "no vlan 30")
	out := r.run("show interfaces status | include eth1")
	if !strings.Contains(out, "connected") || strings.Contains(out, "inactive") || !strings.Contains(out, "routed") {
		t.Errorf("show interfaces status:\n%s", out)
	}
}
