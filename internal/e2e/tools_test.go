package e2e

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lisa-go/lisa/internal/nstest"
)

// tool runs one of the client tools against a daemon.
func (d *daemon) tool(name string, args ...string) (string, int) {
	cmd := exec.Command(filepath.Join(bin, name), append([]string{"--socket", d.socket}, args...)...)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		d.t.Fatal(err)
	}
	return string(out), code
}

// TestTools drives swctl, swcfgload and swcfgsave as scripts use them: each
// subcommand is idempotent, errors are one clear line, statuses are right.
func TestTools(t *testing.T) {
	nstest.RequireRoot(t)
	ns := nstest.New(t, "tools")
	for _, l := range []string{"vif1.0", "vif2.0"} {
		ns.MustRun(t, "ip", "link", "add", l, "type", "veth", "peer", "name", l+"p")
	}
	d := startLisad(t, ns, "")
	for i := 0; i < 2; i++ { // twice: idempotent
		if out, code := d.tool("swctl", "add", "vif1.0"); code != 0 || out != "" {
			t.Fatalf("swctl add: %d %q", code, out)
		}
		if out, code := d.tool("swctl", "attach", "vif2.0", "--vm", "web01", "--nic", "1"); code != 0 || out != "" {
			t.Fatalf("swctl attach: %d %q", code, out)
		}
	}
	out, code := d.tool("swctl", "show", "--json")
	var show struct {
		Ports []struct {
			Interface, VM string
			NIC           *int
		} `json:"ports"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &show) != nil || len(show.Ports) != 2 || show.Ports[1].VM != "web01" || *show.Ports[1].NIC != 1 {
		t.Fatalf("swctl show --json: %d\n%s", code, out)
	}
	if out, code := d.tool("swctl", "add", "nosuch0"); code != 1 || out != "swctl: interface nosuch0 does not exist\n" {
		t.Errorf("swctl add of a missing netdev: %d %q", code, out)
	}
	if out, code := d.tool("swctl", "add", "Vlan10"); code != 2 || !strings.Contains(out, "VLAN interface") {
		t.Errorf("swctl add Vlan10: %d %q", code, out)
	}
	if out, code := d.tool("swctl", "del", "vif1.0"); code != 0 || out != "" {
		t.Errorf("swctl del: %d %q", code, out)
	}
	if out, code := d.tool("swctl", "del", "vif1.0"); code != 1 || out != "swctl: Interface vif1.0 is not on the switch\n" {
		t.Errorf("swctl del of a port not there: %d %q", code, out)
	}
	if out, code := d.tool("swctl", "del", "vif1.0", "-s"); code != 0 || out != "" {
		t.Errorf("swctl del -s: %d %q", code, out)
	}

	// swcfgload per VM: a missing record is an error without -s, normal with it.
	if out, code := d.tool("swcfgload", "vif2.0", "nosuchvm"); code != 1 || !strings.Contains(out, "VM nosuchvm has no saved configuration for NIC 0") {
		t.Errorf("swcfgload without a record: %d %q", code, out)
	}
	if out, code := d.tool("swcfgload", "-s", "vif2.0", "nosuchvm"); code != 0 || out != "" {
		t.Errorf("swcfgload -s without a record: %d %q", code, out)
	}
	d.mustCLI("configure terminal", "interface vif2.0", "vm web01 nic 1", "switchport access vlan 30", "end")
	out, code = d.tool("swcfgsave", "--vm", "web01")
	if code != 0 || !strings.Contains(out, filepath.Join(d.configDir, "tags", "web01")) {
		t.Errorf("swcfgsave --vm: %d %q", code, out)
	}
	d.mustCLI("configure terminal", "interface vif2.0", "switchport access vlan 40", "end")
	if out, code := d.tool("swcfgload", "--nic", "1", "vif2.0", "web01", "restored from its record"); code != 0 || out != "" {
		t.Errorf("swcfgload: %d %q", code, out)
	}
	if run := d.mustCLI("show running-config interface vif2.0"); !strings.Contains(run, " vm web01 nic 1\n description restored from its record\n switchport access vlan 30\n") {
		t.Errorf("after swcfgload:\n%s", run)
	}

	// swcfgload -m replays this lisad's own startup-config, with line numbers.
	out, code = d.tool("swcfgsave")
	if code != 0 || !strings.Contains(out, filepath.Join(d.configDir, "config.text")) {
		t.Fatalf("swcfgsave: %d %q", code, out)
	}
	d.mustCLI("configure terminal", "hostname changed", "end")
	if out, code := d.tool("swcfgload", "-m"); code != 0 || out != "" {
		t.Errorf("swcfgload -m: %d %q", code, out)
	}
	if out := d.mustCLI("show running-config | include hostname"); out != "hostname Switch\n" {
		t.Errorf("swcfgload -m did not replay the startup-config: %q", out)
	}
}
