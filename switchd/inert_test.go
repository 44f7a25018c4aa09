package switchd

import (
	"strings"
	"testing"
)

// catalystHead is the start of a saved Catalyst 2960 running-config, as
// administrators paste it: every line loads, the inert ones are kept.
var catalystHead = []string{
	"Building configuration...",
	"Current configuration : 4711 bytes",
	"!",
	"version 15.0",
	"no service pad",
	"service timestamps debug datetime msec",
	"service timestamps log datetime msec localtime show-timezone",
	"!",
	"hostname access-7",
	"!",
	"boot-start-marker",
	"boot-end-marker",
	"!",
	"switch 1 provision ws-c2960x-48fpd-l",
	"ip subnet-zero",
	"spanning-tree extend system-id",
	"!",
	"vlan internal allocation policy ascending",
	"!",
	"interface eth0",
	" no ip address",
	" switchport access vlan 1",
	" spanning-tree portfast",
	"!",
	"ip classless",
	"!",
}

func TestCatalystInertLinesKept(t *testing.T) {
	r := newRig(t, "eth0")
	sess := r.console()
	lines := []string{"configure terminal"}
	for _, l := range catalystHead {
		if l != "!" { // comments: the config loader skips them
			lines = append(lines, l)
		}
	}
	out := sess.Transcript(append(lines, "end"))
	if sess.Failures() > 0 {
		t.Fatalf("lines refused:\n%s", out)
	}
	want := strings.Join([]string{
		"!",
		"version 15.0",
		"no service pad",
		"service timestamps debug datetime msec",
		"service timestamps log datetime msec localtime show-timezone",
		"!",
		"hostname access-7",
		"!",
		"boot-start-marker",
		"boot-end-marker",
		"!",
		"switch 1 provision ws-c2960x-48fpd-l",
		"ip subnet-zero",
		"!",
		"spanning-tree extend system-id",
		"!",
		"vlan internal allocation policy ascending",
		"!",
	}, "\n")
	body := r.runningBody()
	if !strings.HasPrefix(body, want) {
		t.Errorf("running-config head:\n%s\nwant:\n%s\n%s", body, want, firstDiff(body, want))
	}
	if !strings.Contains(body, "interface eth0\n spanning-tree portfast\n!\nip classless\n!") {
		t.Errorf("interface or ip classless missing:\n%s", body)
	}
	show := r.run("show inert-config")
	for _, l := range []string{"version 15.0\n  the IOS release", "no service pad\n  there is no X.29 PAD",
		"switch 1 provision ws-c2960x-48fpd-l\n  stack member", "ip classless\n  lisad routes nothing",
		"interface eth0: spanning-tree portfast\n  with no spanning tree"} {
		if !strings.Contains(show, l) {
			t.Errorf("show inert-config lacks %q:\n%s", l, show)
		}
	}

	// Saved and reloaded, nothing is lost.
	r2 := r.reloaded(body)

	// A later line of a family replaces the kept one; no removes it.
	r2.configure("version 15.2", "service pad", "no switch 1 provision", "no service timestamps log",
		"vlan internal allocation policy descending", "no ip classless")
	body = r2.runningBody()
	// service timestamps log is implemented: its no form turns timestamps
	// off, and IOS shows it.
	if !strings.Contains(body, "service timestamps debug datetime msec\nno service timestamps log\n") {
		t.Errorf("no service timestamps log not shown:\n%s", body)
	}
	for _, gone := range []string{"version 15.0", "no service pad", "switch 1 provision", "service timestamps log datetime", "ascending", "ip classless"} {
		if strings.Contains(body, gone) {
			t.Errorf("%q still in the running-config:\n%s", gone, body)
		}
	}
	for _, kept := range []string{"version 15.2", "service timestamps debug datetime msec", "vlan internal allocation policy descending"} {
		if !strings.Contains(body, kept) {
			t.Errorf("%q not in the running-config:\n%s", kept, body)
		}
	}
}

// Lines asking for what lisad lacks are refused with the reason, not kept.
func TestCatalystSpanningTreeModeRefused(t *testing.T) {
	r := newRig(t, "eth0")
	out := r.run("conf t", "spanning-tree mode rapid-pvst", "interface eth0", "no ip address 10.0.0.1 255.0.0.0")
	if !strings.Contains(out, "% LiSA-Go runs no spanning tree yet") || !strings.Contains(out, "% Invalid address") {
		t.Errorf("refusals:\n%s", out)
	}
	if body := r.runningBody(); strings.Contains(body, "spanning-tree") {
		t.Errorf("a refused line was kept:\n%s", body)
	}
}

func TestCatalystConsoleVTPAndHostnameLines(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure("version 15.2", "no service pad", "no service password-encryption", "hostname access-7.lab",
		"vtp domain LAB", "vtp mode transparent", "line con 0", "password 7 0822455D0A16", "login local")
	body := r.runningBody()
	for _, want := range []string{
		"version 15.2\nno service pad\nno service password-encryption\n!\nhostname access-7.lab\n",
		"vtp domain LAB\nvtp mode transparent\n",
		"line con 0\n password 9 $9$",
		" login local\nline vty",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q:\n%s", want, body)
		}
	}
	show := r.run("show inert-config")
	for _, want := range []string{"line con 0: password\n  the console is swcli", "line con 0: login local\n", "vtp mode transparent\n  lisad speaks no VTP"} {
		if !strings.Contains(show, want) {
			t.Errorf("show inert-config lacks %q:\n%s", want, show)
		}
	}
	if out := r.run("conf t", "vtp mode server"); !strings.Contains(out, "% LiSA-Go speaks no VTP") {
		t.Errorf("vtp mode server: %s", out)
	}
	for _, bad := range []string{"hostname .lab", "hostname a..b", "hostname lab."} {
		if out := r.run("conf t", bad); !strings.Contains(out, "illegal characters") {
			t.Errorf("%s: %s", bad, out)
		}
	}

	r2 := r.reloaded(body)
	r2.configure("no vtp mode", "line con 0", "no password", "no login")
	if body := r2.runningBody(); strings.Contains(body, "vtp mode") || strings.Contains(body, "login local") {
		t.Errorf("no forms left:\n%s", body)
	}
}

func TestErrdisablePowerAndRefusedHardwareLines(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure("spanning-tree extend system-id", "errdisable recovery cause bpduguard", "errdisable recovery cause psecure-violation",
		"errdisable recovery interval 300", "vlan internal allocation policy ascending", "interface eth0", "power inline never")
	body := r.runningBody()
	for _, want := range []string{
		"spanning-tree extend system-id\n!\nerrdisable recovery cause bpduguard\nerrdisable recovery cause psecure-violation\nerrdisable recovery interval 300\n!\nvlan internal allocation policy ascending\n!",
		"interface eth0\n power inline never\n!",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q:\n%s", want, body)
		}
	}
	if show := r.run("show inert-config"); !strings.Contains(show, "errdisable recovery interval 300\n  lisad err-disables no port") ||
		!strings.Contains(show, "interface eth0: power inline never\n  a netdev has no Power over Ethernet") {
		t.Errorf("show inert-config:\n%s", show)
	}
	for line, msg := range map[string]string{
		"udld enable":      "% LiSA-Go runs no UDLD",
		"mls qos":          "% LiSA-Go has no QoS",
		"ip dhcp snooping": "% LiSA-Go has no DHCP snooping yet",
		"ip dhcp pool LAN": "% LiSA-Go runs no DHCP server",
	} {
		if out := r.run("conf t", line); !strings.Contains(out, msg) {
			t.Errorf("%s:\n%s", line, out)
		}
	}
	for line, msg := range map[string]string{
		"power inline auto":    "% LiSA-Go ports are netdevs: there is no Power over Ethernet",
		"udld port aggressive": "% LiSA-Go runs no UDLD",
		"mls qos trust dscp":   "% LiSA-Go has no QoS",
	} {
		if out := r.run("conf t", "interface eth0", line); !strings.Contains(out, msg) {
			t.Errorf("%s:\n%s", line, out)
		}
	}
	r.configure("no errdisable recovery cause bpduguard", "no errdisable recovery interval", "interface eth0", "no power inline")
	if body := r.runningBody(); strings.Contains(body, "bpduguard") || strings.Contains(body, "interval") || strings.Contains(body, "power") {
		t.Errorf("no forms left:\n%s", body)
	}
}
