package switchd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lisa-go/lisa/cli"
)

// A configuration change to a VM port reaches the bindings file at once, not
// only at the next attach or save.
func TestBindingsFollowConfigChanges(t *testing.T) {
	r := newRig(t, "vif5.0", "eth0")
	r.sw.opts.RunDir = t.TempDir()
	r.configure("interface vif5.0", "vm web01 nic 0")
	path := filepath.Join(r.sw.opts.RunDir, bindingsFile)
	r.configure("interface vif5.0", "switchport access vlan 30")
	var recs []bindingRecord
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &recs); err != nil || len(recs) != 1 || strings.Join(recs[0].Running, ";") != "switchport access vlan 30" {
		t.Fatalf("bindings after a change (%v):\n%s", err, b)
	}
	// A change to a port that is not a VM's does not rewrite the file.
	st, _ := os.Stat(path)
	r.configure("interface eth0", "switchport mode trunk")
	if st2, _ := os.Stat(path); !st2.ModTime().Equal(st.ModTime()) {
		t.Errorf("the bindings file was rewritten for a change to a plain port")
	}
}

// The emulated NIC of an HVM guest and its vif are one NIC: a change to
// either applies to both, show vm shows one row, write memory one block.
func TestHVMTwinsConfiguredAlike(t *testing.T) {
	r := newRig(t, "vif7.0", "vif7.0-emu")
	r.configure("interface vif7.0", "vm win01 nic 0", "interface vif7.0-emu", "vm win01 nic 0")
	r.configure("interface vif7.0", "switchport access vlan 20")
	if body := r.runningBody(); !strings.Contains(body, "interface vif7.0-emu\n vm win01 nic 0\n switchport access vlan 20\n!") {
		t.Errorf("the -emu twin did not follow the vif:\n%s", body)
	}
	out := r.run("write memory", "show vm")
	expectScreen(t, out, `Switch#write memory
Building configuration...
[OK]
Switch#show vm
VM                   NIC  Interface         Status
-------------------- ---- ----------------- ------------------
win01                0    vif7.0,vif7.0-emu saved
`)
	// A change on the twin applies to the vif.
	r.configure("interface vif7.0-emu", "switchport access vlan 21")
	if body := r.runningBody(); !strings.Contains(body, "interface vif7.0\n vm win01 nic 0\n switchport access vlan 21\n!") {
		t.Errorf("the vif did not follow its -emu twin:\n%s", body)
	}
	if out := r.run("show vm"); !strings.Contains(out, "vif7.0,vif7.0-emu unsaved changes") {
		t.Errorf("show vm:\n%s", out)
	}
	r.run("write memory")
	b, _ := os.ReadFile(filepath.Join(r.store.TagsDir(), "win01"))
	if string(b) != "! LiSA-Go port configuration of VM win01\nnic 0\n switchport access vlan 21\n!\n" {
		t.Errorf("record:\n%s", b)
	}
	// A twin that comes later joins the NIC's live configuration, and a
	// load applies to both.
	r.configure("no interface vif7.0-emu")
	r.configure("interface vif7.0", "description live")
	r.configure("interface vif7.0-emu", "vm win01 nic 0")
	if body := r.runningBody(); !strings.Contains(body, "interface vif7.0-emu\n vm win01 nic 0\n description live\n switchport access vlan 21\n!") {
		t.Errorf("a late twin did not take the NIC's configuration:\n%s", body)
	}
	r.run("vm load vif7.0 win01 nic 0")
	if body := r.runningBody(); strings.Contains(body, "description live") {
		t.Errorf("vm load did not apply to both twins:\n%s", body)
	}
}

// A VM NIC bound to a live interface is not taken by another one.
func TestBindingRefusedWhileNICIsLive(t *testing.T) {
	r := newRig(t, "vif5.0", "vif9.0", "vif5.0-emu")
	r.configure("interface vif5.0", "vm web01 nic 0", "switchport access vlan 30")
	out := r.run("configure terminal", "interface vif9.0", "vm web01 nic 0")
	if !strings.Contains(out, "% NIC 0 of VM web01 is bound to vif5.0, which is still on the switch") {
		t.Errorf("binding a live NIC to a second interface:\n%s", out)
	}
	if out := r.run("vm load vif9.0 web01 nic 0 missing-ok"); !strings.Contains(out, "is bound to vif5.0") {
		t.Errorf("vm load of a live NIC on a second interface:\n%s", out)
	}
	body := r.runningBody()
	if !strings.Contains(body, "interface vif5.0\n vm web01 nic 0\n switchport access vlan 30\n!") || strings.Contains(body, " vm web01 nic 0\n!") {
		t.Errorf("the refused binding changed something:\n%s", body)
	}
	// The HVM twin may share it.
	r.configure("interface vif5.0-emu", "vm web01 nic 0")
	// Once the first interface is gone, the NIC moves.
	r.host.DeleteLink("vif5.0")
	r.host.DeleteLink("vif5.0-emu")
	waitFor(t, func() bool { return !strings.Contains(r.runningBody(), "vif5.0") })
	r.configure("interface vif9.0", "vm web01 nic 0")
}

// show vm widens its columns for long names instead of cutting them.
func TestShowVMLongNames(t *testing.T) {
	r := newRig(t, "vif12.0")
	r.configure("interface vif12.0", "vm a-rather-long-domain-name-01 nic 0")
	expectScreen(t, r.run("show vm"), `Switch#show vm
VM                           NIC  Interface        Status
---------------------------- ---- ---------------- ------------------
a-rather-long-domain-name-01 0    vif12.0          default
`)
}

// show startup-config shows the VMs' records after config.text, as comment
// lines, so the whole output still replays as a startup-config.
func TestShowStartupConfigHasVMRecords(t *testing.T) {
	r := newRig(t, "vif5.0", "eth0")
	r.configure("interface eth0", "interface vif5.0", "vm web01 nic 0", "switchport access vlan 30")
	r.run("write memory")
	out := r.run("show startup-config")
	want := "!\n! Per-VM port configuration (" + r.store.TagsDir() + "/), applied when a VM's interfaces come up:\n" +
		"!\n! ! LiSA-Go port configuration of VM web01\n! nic 0\n!  switchport access vlan 30\n! !\n"
	if !strings.HasSuffix(out, want) || !strings.Contains(out, "interface eth0\n") {
		t.Fatalf("show startup-config:\n%s\nwant it to end with:\n%s", out, want)
	}
	text := strings.TrimPrefix(out, "Switch#show startup-config\n")
	if errs := cli.NewSession(r.sw.env, privMax).Replay(text); len(errs) > 0 {
		t.Errorf("the output does not replay: %v", errs)
	}
}
