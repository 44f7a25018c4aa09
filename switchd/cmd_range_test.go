package switchd

import (
	"strings"
	"testing"
)

func TestInterfaceRangeConfiguresEachMember(t *testing.T) {
	r := newRig(t, "eth1", "eth2", "eth3", "vif1.0", "eth4")
	out := r.run("conf t", "interface range eth1 - 3 , vif1.0", "switchport access vlan 10", "description tenant A", "exit", "end")
	if !strings.Contains(out, "Switch(config-if-range)#switchport access vlan 10\n") || !strings.Contains(out, "Switch(config-if-range)#exit\nSwitch(config)#end") {
		t.Errorf("transcript:\n%s", out)
	}
	body := r.runningBody()
	for _, n := range []string{"eth1", "eth2", "eth3", "vif1.0"} {
		if !strings.Contains(body, "interface "+n+"\n description tenant A\n switchport access vlan 10\n") {
			t.Errorf("%s not configured:\n%s", n, body)
		}
	}
	if strings.Contains(body, "interface eth4") {
		t.Errorf("eth4 is not in the range:\n%s", body)
	}

	// A member that does not exist: nothing done, no member added.
	out = r.run("conf t", "interface range eth4, eth9", "end")
	if !strings.Contains(out, "eth9 does not exist") || strings.Contains(out, "config-if-range") {
		t.Errorf("missing member:\n%s", out)
	}
	if body := r.runningBody(); strings.Contains(body, "interface eth4") {
		t.Errorf("a refused range left eth4 in:\n%s", body)
	}

	// A refused range takes its VLAN interfaces and VLANs with it.
	out = r.run("conf t", "interface range vlan 40 - 41, eth9", "end")
	if !strings.Contains(out, "eth9 does not exist") {
		t.Errorf("missing member:\n%s", out)
	}
	if body := r.runningBody(); strings.Contains(body, "Vlan40") || strings.Contains(body, "vlan 40") || strings.Contains(body, "40,41") {
		t.Errorf("a refused range left VLAN 40 in:\n%s", body)
	}

	// A range mixing a port and a VLAN interface offers what both take.
	out = r.run("conf t", "interface range eth1, vlan 5 - 6", "switchport access vlan 3", "shutdown", "end")
	if !strings.Contains(out, "% Invalid input detected") {
		t.Errorf("switchport offered to a VLAN interface in a range:\n%s", out)
	}
	body = r.runningBody()
	for _, want := range []string{"interface eth1\n description tenant A\n switchport access vlan 10\n shutdown\n", "interface Vlan5\n no ip address\n shutdown\n", "interface Vlan6\n no ip address\n shutdown\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q:\n%s", want, body)
		}
	}

	// no switchport in a range: each member is routed, and says so as IOS does.
	out = r.run("conf t", "interface range eth4, vif1.0", "no switchport", "switchport access vlan 5", "switchport", "end")
	if !strings.Contains(out, "Switch(config-if-range)#switchport access vlan 5\neth4: Command rejected: eth4 not a switching port.\nvif1.0: Command rejected: vif1.0 not a switching port.\n") {
		t.Errorf("switchport lines offered to routed members:\n%s", out)
	}

	// A member another session takes off the switch: the command still
	// runs on the others, and the refusal names the member.
	sess := r.console()
	sess.Transcript([]string{"conf t", "interface range eth3 - 4"})
	r.configure("no interface eth4")
	out = sess.Transcript([]string{"shutdown", "end"})
	if !strings.Contains(out, "eth4: % Interface eth4 is no longer on the switch") {
		t.Errorf("a member gone:\n%s", out)
	}
	if body := r.runningBody(); !strings.Contains(body, "interface eth3\n description tenant A\n switchport access vlan 10\n shutdown\n") {
		t.Errorf("eth3 not shut down:\n%s", body)
	}
}

func TestParseRange(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		err  string
	}{
		{"eth1 - 3", "eth1 eth2 eth3", ""},
		{"eth1-2,vif3.0", "eth1 eth2 vif3.0", ""},
		{"vif7.0 - 1", "vif7.0 vif7.1", ""},
		{"vlan 10 - 12", "vlan10 vlan11 vlan12", ""},
		{"Ethernet 2", "Ethernet2", ""},
		{"eth3 - 1", "", "must go up"},
		{"eth1,,eth2", "", "empty item"},
		{"vlan 1 - 9999", "", "more than 4094"},
	} {
		got, err := parseRange(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || strings.Join(got, " ") != tc.want {
			t.Errorf("%q = %v, %v; want %s", tc.in, got, err, tc.want)
		}
	}
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"eth1 - 3, vif1.0", "vlan 1 - 4094", "a-b", "1-1,2-2", " , "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		names, err := parseRange(s)
		if err == nil && len(names) > maxRangeMembers {
			t.Fatalf("%d members", len(names))
		}
	})
}
