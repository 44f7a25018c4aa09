package switchd

import (
	"testing"

	"github.com/lisa-go/lisa/engine"
)

// speed and duplex: forced on a netdev that can (show interfaces status
// follows, the running-config saves them), refused with the reason on one
// that cannot (the configuration unchanged), back to auto with the no
// forms.
func TestSpeedDuplexTranscript(t *testing.T) {
	r := newRig(t, "eth0", "veth1")
	r.host.FixLinkSettings("veth1")
	got := r.run("conf t", "interface eth0", "speed ?", "speed 100", "duplex half", "duplex ?", "interface veth1", "speed 1000", "duplex full", "speed auto", "no duplex", "end",
		"show interfaces status", "show running-config | begin interface",
		"conf t", "interface eth0", "speed auto", "duplex full", "do show running-config interface eth0 | include speed|duplex", "no duplex", "end", "show interfaces status | include eth0")
	expectScreen(t, got, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface eth0
Switch(config-if)#speed ?
  10     Force 10 Mbps operation
  100    Force 100 Mbps operation
  1000   Force 1000 Mbps operation
  10000  Force 10000 Mbps operation
  auto   Enable AUTO speed configuration

Switch(config-if)#speed 100
Switch(config-if)#duplex half
Switch(config-if)#duplex ?
  auto  Enable AUTO duplex configuration
  full  Force full duplex operation
  half  Force half-duplex operation

Switch(config-if)#interface veth1
Switch(config-if)#speed 1000
% veth1: the interface's driver cannot change speed or duplex
Switch(config-if)#duplex full
% veth1: the interface's driver cannot change speed or duplex
Switch(config-if)#speed auto
Switch(config-if)#no duplex
Switch(config-if)#end
Switch#show interfaces status

Port      Name               Status       Vlan       Duplex  Speed Type
eth0                         connected    1            half    100 veth
veth1                        connected    1            auto   auto veth
Switch#show running-config | begin interface
interface eth0
 speed 100
 duplex half
!
interface veth1
!
end

Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#interface eth0
Switch(config-if)#speed auto
Switch(config-if)#duplex full
Switch(config-if)#do show running-config interface eth0 | include speed|duplex
 duplex full
Switch(config-if)#no duplex
Switch(config-if)#end
Switch#show interfaces status | include eth0
eth0                         connected    1            auto   auto veth
`)
}

// Forced settings survive write memory and a restart, on a routed port too.
func TestSpeedDuplexReload(t *testing.T) {
	r := newRig(t, "eth0", "eth1")
	r.configure("interface eth0", "switchport access vlan 5", "speed 10", "duplex half", "interface eth1", "no switchport", "ip address 192.0.2.1 255.255.255.0", "speed 10000")
	before := r.runningBody()
	r.run("write memory")
	r.eng.Close()
	r.host.SetLinkSettings("eth0", engine.LinkSettings{})
	r.host.SetLinkSettings("eth1", engine.LinkSettings{})

	r2 := newRigOn(t, r.host, r.store, "")
	if errs := r2.sw.LoadStartup(); len(errs) > 0 {
		t.Fatalf("startup errors: %+v", errs)
	}
	if after := r2.runningBody(); after != before {
		t.Fatalf("reloaded running-config differs\n--- before ---\n%s\n--- after ---\n%s", before, after)
	}
	for name, want := range map[string]engine.LinkSettings{"eth0": {Speed: 10, Duplex: "half"}, "eth1": {Speed: 10000}} {
		li, _ := r2.host.Link(name)
		if li.Speed != want.Speed || li.Duplex != want.Duplex {
			t.Errorf("%s after reload: %d %q, want %+v", name, li.Speed, li.Duplex, want)
		}
	}
}

// A NIC never keeps forced settings its configuration no longer shows:
// no interface and a VM block's reset give it autonegotiation back, and an
// HVM twin takes the vif's settings.
func TestForcedSettingsLeaveWithTheConfig(t *testing.T) {
	r := newRig(t, "eth0", "vif7.0", "vif7.0-emu")
	link := func(name string) engine.LinkSettings {
		li, _ := r.host.Link(name)
		return engine.LinkSettings{Speed: li.Speed, Duplex: li.Duplex}
	}
	r.configure("interface eth0", "speed 100", "duplex full", "exit", "no interface eth0")
	if got := link("eth0"); !got.Auto() {
		t.Errorf("eth0 after no interface: %+v, want auto", got)
	}
	r.configure("interface vif7.0", "vm win01 nic 0", "interface vif7.0-emu", "vm win01 nic 0",
		"interface vif7.0", "speed 1000")
	if got := link("vif7.0-emu"); got.Speed != 1000 {
		t.Errorf("the twin's NIC after the vif's speed 1000: %+v", got)
	}
	r.configure("interface vif7.0", "no speed")
	if got := link("vif7.0-emu"); !got.Auto() {
		t.Errorf("the twin's NIC after no speed: %+v, want auto", got)
	}
}
