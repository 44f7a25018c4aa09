package switchd

import (
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/engine"
)

// Transcripts of the VLAN, interface and MAC table commands.
func TestSwitchingTranscripts(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  string
	}{
		{"vlan database", []string{"conf t", "vlan 10,20-22", "name Web", "exit", "no vlan 21", "no vlan 1", "vlan 1002", "name x", "end", "show vlan brief"}, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#vlan 10,20-22
Switch(config-vlan)#name Web
Switch(config-vlan)#exit
Switch(config)#no vlan 21
Switch(config)#no vlan 1
%Default VLAN 1 may not be deleted.
Switch(config)#vlan 1002
Switch(config-vlan)#name x
%Default VLAN 1002 may not have its name changed.
Switch(config-vlan)#end
Switch#show vlan brief

VLAN Name                             Status    Ports
---- -------------------------------- --------- -------------------------------
1    default                          active    eth0, eth1, eth2, vif1.0,
                                                vif2.0, vif10.0
10   Web                              active
20   Web                              active
22   Web                              active
1002 fddi-default                     act/unsup
1003 token-ring-default               act/unsup
1004 fddinet-default                  act/unsup
1005 trnet-default                    act/unsup
`},
		{"show vlan id and name", []string{"show vlan id 1 | include default", "show vlan id 99", "show vlan name default | include ^1 ", "show vlan name nope"}, `Switch#show vlan id 1 | include default
1    default                          active    eth0, eth1, eth2, vif1.0,
Switch#show vlan id 99
VLAN id 99 not found in current VLAN database
Switch#show vlan name default | include ^1 
1    default                          active    eth0, eth1, eth2, vif1.0,
1    enet  100001     1500  -      -      -        -    -        0      0
Switch#show vlan name nope
VLAN nope not found in current VLAN database
`},
		{"access vlan created on demand", []string{"conf t", "interface vif1.0", "switchport access vlan 30", "switchport access vlan 30", "do show vlan id 30 | include ^30"}, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface vif1.0
Switch(config-if)#switchport access vlan 30
% Access VLAN does not exist. Creating vlan 30
Switch(config-if)#switchport access vlan 30
Switch(config-if)#do show vlan id 30 | include ^30
30   VLAN0030                         active    vif1.0
30   enet  100030     1500  -      -      -        -    -        0      0
`},
		{"bad vlan lists change nothing", []string{"conf t", "interface eth0", "switchport trunk allowed vlan 1-5,7,100-200", "switchport trunk allowed vlan add 300,0", "switchport trunk allowed vlan 5-1", "switchport trunk allowed vlan 1,,2", "do show running-config interface eth0 | include allowed"}, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface eth0
Switch(config-if)#switchport trunk allowed vlan 1-5,7,100-200
Switch(config-if)#switchport trunk allowed vlan add 300,0
Command rejected: BADLIST0
Switch(config-if)#switchport trunk allowed vlan 5-1
Command rejected: BADLIST1
Switch(config-if)#switchport trunk allowed vlan 1,,2
Command rejected: BADLIST2
Switch(config-if)#do show running-config interface eth0 | include allowed
 switchport trunk allowed vlan 1-5,7,100-200
`},
		{"allowed list forms", []string{"conf t", "interface eth0", "switchport trunk allowed vlan none", "switchport trunk allowed vlan add 10-12", "switchport trunk allowed vlan remove 11", "do show run int eth0 | include allowed", "switchport trunk allowed vlan except 2-4094", "do show run int eth0 | include allowed", "switchport trunk allowed vlan all", "do show run int eth0 | include allowed"}, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface eth0
Switch(config-if)#switchport trunk allowed vlan none
Switch(config-if)#switchport trunk allowed vlan add 10-12
Switch(config-if)#switchport trunk allowed vlan remove 11
Switch(config-if)#do show run int eth0 | include allowed
 switchport trunk allowed vlan 10,12
Switch(config-if)#switchport trunk allowed vlan except 2-4094
Switch(config-if)#do show run int eth0 | include allowed
 switchport trunk allowed vlan 1
Switch(config-if)#switchport trunk allowed vlan all
Switch(config-if)#do show run int eth0 | include allowed
`},
		{"interface names", []string{"conf t", "interface Ethernet 1", "exit", "interface e2", "exit", "interface netdev vif10.0", "exit", "interface eth9", "interface vlan 5", "exit", "interface Vlan6", "end", "show ip interface brief"}, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface Ethernet 1
Switch(config-if)#exit
Switch(config)#interface e2
Switch(config-if)#exit
Switch(config)#interface netdev vif10.0
Switch(config-if)#exit
Switch(config)#interface eth9
% interface eth9 does not exist
Switch(config)#interface vlan 5
Switch(config-if)#exit
Switch(config)#interface Vlan6
Switch(config-if)#end
Switch#show ip interface brief
Interface              IP-Address      OK? Method Status                Protocol
eth0                   unassigned      YES unset  up                    up
eth1                   unassigned      YES unset  up                    up
eth2                   unassigned      YES unset  up                    up
vif1.0                 unassigned      YES unset  up                    up
vif2.0                 unassigned      YES unset  up                    up
vif10.0                unassigned      YES unset  up                    up
Vlan5                  unassigned      YES unset  up                    up
Vlan6                  unassigned      YES unset  up                    up
`},
		{"switchport on a VLAN interface is not offered", []string{"conf t", "interface vlan 7", "switchport mode trunk", "ip address 10.0.0.1 255.255.255.0", "interface eth0", "ip address 10.0.1.1 255.255.255.0"}, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface vlan 7
Switch(config-if)#switchport mode trunk
                        ^
% Invalid input detected at '^' marker.

Switch(config-if)#ip address 10.0.0.1 255.255.255.0
Switch(config-if)#interface eth0
Switch(config-if)#ip address 10.0.1.1 255.255.255.0
                     ^
% Invalid input detected at '^' marker.

`},
		{"ip address rules", []string{"conf t", "interface vlan 7", "ip address 10.0.0.1 255.0.255.0", "ip address 10.0.0.0 255.255.255.0", "ip address 10.0.0.1 255.255.255.0 secondary", "ip address 10.0.0.1 255.255.255.0", "ip address 10.0.0.1 255.255.255.0 secondary", "ip address 10.0.2.1 255.255.255.0 secondary", "interface vlan 8", "ip address 10.0.0.9 255.255.0.0", "interface vlan 7", "no ip address 10.0.0.1 255.255.255.0", "no ip address 10.0.9.1 255.255.255.0", "no ip address 10.0.2.1 255.255.0.0 secondary", "no ip address 10.0.2.1 255.255.255.0 secondary", "do show running-config interface vlan 7"}, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface vlan 7
Switch(config-if)#ip address 10.0.0.1 255.0.255.0
% Bad mask 0xFF00FF00 for address 10.0.0.1
Switch(config-if)#ip address 10.0.0.0 255.255.255.0
% Bad mask /24 for address 10.0.0.0
Switch(config-if)#ip address 10.0.0.1 255.255.255.0 secondary
% Secondary address requires a primary address
Switch(config-if)#ip address 10.0.0.1 255.255.255.0
Switch(config-if)#ip address 10.0.0.1 255.255.255.0 secondary
% Secondary can't be same as primary
Switch(config-if)#ip address 10.0.2.1 255.255.255.0 secondary
Switch(config-if)#interface vlan 8
Switch(config-if)#ip address 10.0.0.9 255.255.0.0
% 10.0.0.0/16 overlaps with Vlan7
Switch(config-if)#interface vlan 7
Switch(config-if)#no ip address 10.0.0.1 255.255.255.0
% Must delete secondary before deleting primary
Switch(config-if)#no ip address 10.0.9.1 255.255.255.0
% Invalid address
Switch(config-if)#no ip address 10.0.2.1 255.255.0.0 secondary
% Invalid Mask
Switch(config-if)#no ip address 10.0.2.1 255.255.255.0 secondary
Switch(config-if)#do show running-config interface vlan 7
Building configuration...

Current configuration : 57 bytes
!
interface Vlan7
 ip address 10.0.0.1 255.255.255.0
end

`},
		{"ipv6 address rules", []string{"conf t", "interface vlan 7", "ip address 10.0.0.1 255.255.255.0", "ipv6 address fe80::1/64", "ipv6 address ff02::1/64", "ipv6 address 2001:db8::1/64", "ipv6 address 2001:db8:1::1/64", "ipv6 address 2001:db8:1::1/48", "ipv6 address 2001:db8::1/64", "ipv6 address 2001:db8::1", "interface vlan 8", "ipv6 address 2001:db8::9/64", "ipv6 address 2001:db8:2::1/64", "no ipv6 address", "interface vlan 7", "no ipv6 address 2001:db8:9::1/64", "no ipv6 address 2001:db8::1/64", "do show running-config interface vlan 7", "do show interfaces vlan 7 | include address is"}, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface vlan 7
Switch(config-if)#ip address 10.0.0.1 255.255.255.0
Switch(config-if)#ipv6 address fe80::1/64
% FE80::1: link-local addresses are assigned automatically
Switch(config-if)#ipv6 address ff02::1/64
% FF02::1 is not a valid unicast address
Switch(config-if)#ipv6 address 2001:db8::1/64
Switch(config-if)#ipv6 address 2001:db8:1::1/64
Switch(config-if)#ipv6 address 2001:db8:1::1/48
Switch(config-if)#ipv6 address 2001:db8::1/64
Switch(config-if)#ipv6 address 2001:db8::1
                                         ^
% Invalid input detected at '^' marker.

Switch(config-if)#interface vlan 8
Switch(config-if)#ipv6 address 2001:db8::9/64
% 2001:DB8::/64 overlaps with Vlan7
Switch(config-if)#ipv6 address 2001:db8:2::1/64
Switch(config-if)#no ipv6 address
Switch(config-if)#interface vlan 7
Switch(config-if)#no ipv6 address 2001:db8:9::1/64
% Invalid address
Switch(config-if)#no ipv6 address 2001:db8::1/64
Switch(config-if)#do show running-config interface vlan 7
Building configuration...

Current configuration : 88 bytes
!
interface Vlan7
 ip address 10.0.0.1 255.255.255.0
 ipv6 address 2001:DB8:1::1/48
end

Switch(config-if)#do show interfaces vlan 7 | include address is
  Hardware is EtherSVI, address is 0200.4c69.5346 (bia 0200.4c69.5346)
  Internet address is 10.0.0.1/24
  IPv6 address is 2001:DB8:1::1/48
`},
		{"static macs", []string{"conf t", "mac address-table static 0100.5e00.0001 vlan 1 interface eth0", "mac address-table static 0011.2233.4455 vlan 99 interface eth0", "mac address-table static 0011.2233.4455 vlan 1 interface eth0", "mac-address-table aging-time 5", "mac address-table aging-time 0", "no mac address-table static 0011.2233.4466 vlan 1", "end", "show mac address-table static", "show mac address-table aging-time"}, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#mac address-table static 0100.5e00.0001 vlan 1 interface eth0
% Multicast address 0100.5e00.0001 can not be configured as a static address
Switch(config)#mac address-table static 0011.2233.4455 vlan 99 interface eth0
% VLAN 99 does not exist
Switch(config)#mac address-table static 0011.2233.4455 vlan 1 interface eth0
Switch(config)#mac-address-table aging-time 5
% Aging time must be 0 (never) or 10-1000000 seconds
Switch(config)#mac address-table aging-time 0
Switch(config)#no mac address-table static 0011.2233.4466 vlan 1
% Static address 0011.2233.4466 not found in VLAN 1
Switch(config)#end
Switch#show mac address-table static
          Mac Address Table
-------------------------------------------

Vlan    Mac Address       Type        Ports
----    -----------       --------    -----
   1    0011.2233.4455    STATIC      eth0
Total Mac Addresses for this criterion: 1
Switch#show mac address-table aging-time
Global Aging Time:      0
`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, "eth0", "eth1", "eth2", "vif1.0", "vif2.0", "vif10.0")
			// Every port is on the switch, in VLAN 1, as after a load.
			r.configure("interface eth0", "interface eth1", "interface eth2", "interface vif1.0", "interface vif2.0", "interface vif10.0")
			got := r.console().Transcript(tc.lines)
			want := tc.want
			for i, list := range []string{"300,0", "5-1", "1,,2"} {
				_, err := engine.ParseVLANList(list)
				if err != nil {
					want = strings.Replace(want, "BADLIST"+string(rune('0'+i)), err.Error(), 1)
				}
			}
			expectScreen(t, got, want)
		})
	}
}

// TestRunningConfigReloadsIdentically renders a configuration using every
// kind of line, replays it on a fresh switch and renders it again.
func TestRunningConfigReloadsIdentically(t *testing.T) {
	links := []string{"eth0", "eth1", "vif1.0", "vif2.0"}
	r := newRig(t, links...)
	r.configure("hostname Core-7", "enable secret s3", "enable secret level 5 op",
		"vlan 10", "name Web", "vlan 20-25,4094",
		"interface eth0", "description uplink to the core", "switchport mode trunk", "switchport trunk native vlan 99",
		"switchport trunk allowed vlan 1-3,10,20-25,100-200,300,302,304,306,308,310,312,314,316,318,320,322,324,326,328,330,332",
		"interface eth1", "shutdown", "no cdp enable", "switchport mode access",
		"interface vif1.0", "switchport access vlan 10", "vm web01 nic 0",
		"interface vlan 10", "ip address 10.0.10.1 255.255.255.0", "ip address 10.0.11.1 255.255.255.0 secondary", "description svi",
		"interface vif2.0", "mac address-table static 0011.2233.4455 vlan 10 interface vif2.0", "mac address-table aging-time 600",
		"cdp timer 30", "no cdp advertise-v2")
	first := r.runningBody()
	if !strings.Contains(first, " switchport trunk allowed vlan add ") {
		t.Errorf("a long allowed list must wrap onto 'add' lines:\n%s", first)
	}
	for _, l := range strings.Split(first, "\n") {
		if strings.Contains(l, "allowed vlan") && len(l) > 79 {
			t.Errorf("line longer than 79 columns: %q", l)
		}
	}
	r2 := newRig(t, links...)
	r2.sw.mu.Lock()
	errs := r2.sw.replayLocked(first)
	r2.sw.mu.Unlock()
	if len(errs) > 0 {
		t.Fatalf("replaying the running-config: %+v", errs)
	}
	if second := r2.runningBody(); second != first {
		t.Errorf("reloaded config differs:\n%s\nfirst:\n%s", second, first)
	}
}

// TestLinkEventsAndPortGone checks the log lines of carrier changes and that a
// netdev that disappears leaves the switch and its configuration.
func TestLinkEventsAndPortGone(t *testing.T) {
	r := newRig(t, "vif3.0", "vif4.0")
	r.configure("interface vif3.0", "switchport access vlan 3", "interface vif4.0",
		"mac address-table static 0011.2233.4455 vlan 3 interface vif3.0")
	r.host.SetCarrier("vif3.0", false)
	waitFor(t, func() bool {
		return strings.Contains(r.logs.String(), "%LINK-3-UPDOWN: Interface vif3.0, changed state to down")
	})
	if out := r.run("show interfaces vif3.0 | include line protocol"); !strings.Contains(out, "vif3.0 is down, line protocol is down (notconnect)") {
		t.Errorf("carrier down not shown:\n%s", out)
	}
	r.host.SetCarrier("vif3.0", true)
	waitFor(t, func() bool {
		return strings.Contains(r.logs.String(), "%LINEPROTO-5-UPDOWN: Line protocol on Interface vif3.0, changed state to up")
	})
	// shutdown: IOS logs LINK-5-CHANGED and the line protocol, not LINK-3-UPDOWN.
	r.configure("interface vif4.0", "shutdown")
	waitFor(t, func() bool {
		return strings.Contains(r.logs.String(), "%LINEPROTO-5-UPDOWN: Line protocol on Interface vif4.0, changed state to down")
	})
	if logs := r.logs.String(); !strings.Contains(logs, "%LINK-5-CHANGED: Interface vif4.0, changed state to administratively down") ||
		strings.Contains(logs, "%LINK-3-UPDOWN: Interface vif4.0, changed state to down") {
		t.Errorf("shutdown logged:\n%s", logs)
	}
	r.configure("interface vif4.0", "no shutdown")
	waitFor(t, func() bool {
		return strings.Contains(r.logs.String(), "%LINK-3-UPDOWN: Interface vif4.0, changed state to up")
	})
	r.host.DeleteLink("vif3.0")
	waitFor(t, func() bool { return !strings.Contains(r.runningBody(), "vif3.0") })
	if strings.Contains(r.runningBody(), "0011.2233.4455") {
		t.Errorf("the static MAC of the removed port is still configured:\n%s", r.runningBody())
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
