package switchd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVMPortsSavedPerVM(t *testing.T) {
	r := newRig(t, "eth0", "vif5.0", "vif5.1")
	r.configure("interface eth0", "switchport mode trunk",
		"interface vif5.0", "vm web01 nic 0", "switchport access vlan 30",
		"interface vif5.1", "vm web01 nic 1", "switchport mode trunk", "switchport trunk allowed vlan 10,20")
	body := r.runningBody()
	if !strings.Contains(body, "interface vif5.0\n vm web01 nic 0\n switchport access vlan 30\n!") {
		t.Errorf("show running-config must mark VM ports:\n%s", body)
	}
	out := r.run("write memory", "show vm")
	expectScreen(t, out, `Switch#write memory
Building configuration...
[OK]
Switch#show vm
VM                   NIC  Interface        Status
-------------------- ---- ---------------- ------------------
web01                0    vif5.0           saved
web01                1    vif5.1           saved
`)
	startup, _ := os.ReadFile(r.store.StartupPath())
	if strings.Contains(string(startup), "vif5") || !strings.Contains(string(startup), "interface eth0") {
		t.Errorf("VM ports must not be in the startup-config:\n%s", startup)
	}
	rec, _ := os.ReadFile(filepath.Join(r.store.TagsDir(), "web01"))
	want := "nic 0\n switchport access vlan 30\n!\nnic 1\n switchport trunk allowed vlan 10,20\n switchport mode trunk\n!\n"
	if !strings.Contains(string(rec), want) {
		t.Errorf("VM record:\n%s\nwant it to contain:\n%s", rec, want)
	}

	// A change not saved shows in show vm and makes reload ask.
	r.configure("interface vif5.0", "description changed")
	if out := r.run("show vm web01"); !strings.Contains(out, "vif5.0           unsaved changes") {
		t.Errorf("show vm web01:\n%s", out)
	}
	if !r.sw.modified() {
		t.Errorf("an unsaved VM port change must count as modified")
	}
}

// The VM restarts: a new domain id gives new vifs, which get the saved blocks.
func TestVMLoadOnNewInterface(t *testing.T) {
	r := newRig(t, "vif5.0", "vif9.0", "vif9.1")
	r.configure("interface vif5.0", "vm web01 nic 0", "switchport access vlan 30", "description web")
	r.run("write memory")
	r.configure("no interface vif5.0")

	out := r.run("vm load vif9.0 web01 nic 0", "vm load vif9.0 web01 nic 0", "vm load vif9.1 web01 nic 1", "vm load vif9.1 web01 nic 1 missing-ok")
	expectScreen(t, out, `Switch#vm load vif9.0 web01 nic 0
Switch#vm load vif9.0 web01 nic 0
Switch#vm load vif9.1 web01 nic 1
% VM web01 has no saved configuration for NIC 1
Switch#vm load vif9.1 web01 nic 1 missing-ok
`)
	body := r.runningBody()
	if !strings.Contains(body, "interface vif9.0\n vm web01 nic 0\n description web\n switchport access vlan 30\n!") {
		t.Errorf("vif9.0 did not get the saved block:\n%s", body)
	}
	if !strings.Contains(body, "interface vif9.1\n vm web01 nic 1\n!") {
		t.Errorf("vif9.1 must be bound with the default config:\n%s", body)
	}
	if out := r.run("show vm"); !strings.Contains(out, "web01                0    vif9.0           saved") {
		t.Errorf("show vm:\n%s", out)
	}
}

func TestLegacyTagFileLoads(t *testing.T) {
	r := newRig(t, "vif3.0")
	if _, err := r.store.Prepare(); err != nil {
		t.Fatal(err)
	}
	// The original LiSA wrote only the indented interface lines.
	legacy := " switchport access vlan 807\n switchport mode access\n"
	if err := os.WriteFile(filepath.Join(r.store.TagsDir(), "oldvm"), []byte(legacy), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := r.run("vm load vif3.0 oldvm nic 0"); out != "Switch#vm load vif3.0 oldvm nic 0\n" {
		t.Fatalf("loading a legacy tag file:\n%s", out)
	}
	if body := r.runningBody(); !strings.Contains(body, "interface vif3.0\n vm oldvm nic 0\n switchport access vlan 807\n switchport mode access\n!") {
		t.Errorf("legacy block not applied:\n%s", body)
	}
}

func TestClearVMConfig(t *testing.T) {
	r := newRig(t, "vif1.0")
	r.configure("interface vif1.0", "vm db01 nic 0", "switchport access vlan 5")
	r.run("write memory")
	got := r.console().Transcript([]string{"clear vm db01 config", "clear vm db01 config"}, "")
	expectScreen(t, got, "Switch#clear vm db01 config\nDelete the saved port configuration of VM db01? [confirm]\nSwitch#clear vm db01 config\n% VM db01 has no saved configuration\n")
}

func TestBindingsRestoredAfterRestart(t *testing.T) {
	r := newRig(t, "vif5.0", "vif5.1")
	runDir := t.TempDir()
	r.sw.opts.RunDir = runDir
	r.configure("interface vif5.0", "vm web01 nic 0", "switchport access vlan 30")
	r.run("write memory")
	r.configure("interface vif5.0", "description not saved")
	r.eng.Close() // the process dies; the netdevs stay

	r2 := newRigOn(t, r.host, r.store, runDir)
	r2.sw.RestoreBindings()
	body := r2.runningBody()
	if !strings.Contains(body, "interface vif5.0\n vm web01 nic 0\n switchport access vlan 30\n!") {
		t.Errorf("binding not restored with the saved block:\n%s", body)
	}
	if strings.Contains(body, "vif5.1") {
		t.Errorf("an interface that was not a VM port came back:\n%s", body)
	}
	if logs := r2.logs.String(); !strings.Contains(logs, "unsaved changes of a VM port were lost") || !strings.Contains(logs, "description not saved") {
		t.Errorf("the lost unsaved change is not logged:\n%s", logs)
	}
}

// reload re-reads the startup-config; VM ports come back with their saved
// blocks instead of falling off the switch.
func TestReloadKeepsVMPorts(t *testing.T) {
	r := newRig(t, "vif10.0", "eth0")
	r.configure("interface eth0", "interface vif10.0", "vm web01 nic 0", "switchport access vlan 30")
	r.run("write memory")
	r.configure("interface vif10.0", "description unsaved")
	r.console().Transcript([]string{"reload"}, "no", "")
	body := r.runningBody()
	if !strings.Contains(body, "interface vif10.0\n vm web01 nic 0\n switchport access vlan 30\n!") {
		t.Errorf("the VM port did not come back after reload:\n%s", body)
	}
	if out := r.run("show vm"); !strings.Contains(out, "web01                0    vif10.0          saved") {
		t.Errorf("show vm after reload:\n%s", out)
	}
}

// A load that fails changes nothing: no new binding, no port reset.
func TestFailedLoadChangesNothing(t *testing.T) {
	r := newRig(t, "vif10.0")
	r.configure("interface vif10.0", "vm web01 nic 0", "switchport access vlan 30")
	before := r.runningBody()
	out := r.run("vm load vif10.0 nosuchvm nic 0")
	if !strings.Contains(out, "% VM nosuchvm has no saved configuration for NIC 0") {
		t.Errorf("output:\n%s", out)
	}
	if after := r.runningBody(); after != before {
		t.Errorf("a failed load changed the configuration:\n%s\nwas:\n%s", after, before)
	}
}

// Domain names that are prefixes of keywords are names, not keywords.
func TestShortDomainNames(t *testing.T) {
	r := newRig(t, "vif1.0", "vif2.0")
	out := r.run("vm load vif1.0 d nic 0 missing-ok", "vm load vif2.0 m nic 0 missing-ok description m")
	if out != "Switch#vm load vif1.0 d nic 0 missing-ok\nSwitch#vm load vif2.0 m nic 0 missing-ok description m\n" {
		t.Errorf("output:\n%s", out)
	}
	if body := r.runningBody(); !strings.Contains(body, " vm d nic 0") || !strings.Contains(body, " vm m nic 0\n description m") {
		t.Errorf("running-config:\n%s", body)
	}
}

// show archive config differences covers VM ports against their records.
func TestArchiveDiffShowsVMPorts(t *testing.T) {
	r := newRig(t, "vif1.0")
	r.configure("interface vif1.0", "vm web01 nic 0", "switchport access vlan 30")
	r.run("write memory")
	r.configure("interface vif1.0", "switchport access vlan 40")
	out := r.run("show archive config differences")
	for _, want := range []string{"interface vif1.0\n !vm web01 nic 0\n -switchport access vlan 30\n +switchport access vlan 40\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

// Saved lines that fail to apply stay in the record across a save.
func TestUnappliedLinesAreKept(t *testing.T) {
	r := newRig(t, "vif1.0")
	if _, err := r.store.Prepare(); err != nil {
		t.Fatal(err)
	}
	rec := "nic 0\n switchport access vlan 30\n switchport bogus\n!\n"
	if err := os.WriteFile(filepath.Join(r.store.TagsDir(), "web01"), []byte(rec), 0o600); err != nil {
		t.Fatal(err)
	}
	out := r.run("vm load vif1.0 web01 nic 0", "show vm", "write memory")
	if !strings.Contains(out, "(switchport bogus)") || !strings.Contains(out, "saved (1 lines did not apply)") {
		t.Errorf("output:\n%s", out)
	}
	b, _ := os.ReadFile(filepath.Join(r.store.TagsDir(), "web01"))
	if !strings.Contains(string(b), " switchport bogus\n") || !strings.Contains(string(b), " switchport access vlan 30\n") {
		t.Errorf("record after write memory lost a line:\n%s", b)
	}
}

// The emulated NIC of an HVM guest and its vif share the VM's NIC.
func TestHVMTwinsShareTheNIC(t *testing.T) {
	r := newRig(t, "vif7.0", "vif7.0-emu")
	r.configure("interface vif7.0-emu", "vm win01 nic 0", "interface vif7.0", "vm win01 nic 0", "switchport access vlan 20")
	body := r.runningBody()
	if !strings.Contains(body, "interface vif7.0\n vm win01 nic 0\n") || !strings.Contains(body, "interface vif7.0-emu\n vm win01 nic 0\n") {
		t.Errorf("both twins must stay bound:\n%s", body)
	}
	r.run("write memory")
	b, _ := os.ReadFile(filepath.Join(r.store.TagsDir(), "win01"))
	if !strings.Contains(string(b), "nic 0\n switchport access vlan 20\n") {
		t.Errorf("the vif's block must be the one saved:\n%s", b)
	}
	if s, _ := os.ReadFile(r.store.StartupPath()); strings.Contains(string(s), "vif7.0") {
		t.Errorf("a twin leaked into the startup-config:\n%s", s)
	}
}

// Removing a VM port updates the bindings a restarted lisad would use.
func TestBindingsFollowRemoval(t *testing.T) {
	r := newRig(t, "vif1.0", "vif2.0")
	r.sw.opts.RunDir = t.TempDir()
	r.configure("interface vif1.0", "vm a nic 0", "interface vif2.0", "vm b nic 0")
	r.configure("no interface vif1.0")
	r.host.DeleteLink("vif2.0")
	waitFor(t, func() bool { return !strings.Contains(r.runningBody(), "vif2.0") })
	b, _ := os.ReadFile(filepath.Join(r.sw.opts.RunDir, bindingsFile))
	if strings.Contains(string(b), "vif1.0") || strings.Contains(string(b), "vif2.0") {
		t.Errorf("bindings still list removed ports:\n%s", b)
	}
}

func TestShowVMWithNone(t *testing.T) {
	r := newRig(t, "eth0")
	if out := r.run("show vm"); !strings.Contains(out, "No VM ports and no saved VM records") {
		t.Errorf("show vm with no VMs:\n%s", out)
	}
}
