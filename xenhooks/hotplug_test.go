package xenhooks

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lisa-go/lisa/configstore"
	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/engine/enginetest"
	"github.com/lisa-go/lisa/switchd"
)

// fakeXen is a Xen host as vif-lisa sees it, without root: a switch running
// in the test on a fake host (its links stand for the domains' vifs), its
// local socket, the real tools and the installed vif-lisa, and a
// directory-backed xenstore.
type fakeXen struct {
	t       *testing.T
	host    *enginetest.Host
	store   *configstore.Store
	sbin    string
	scripts string
	xs      string // fake xenstore root
	socket  string
	logFile string // what vif-lisa logs (a fake logger writes it)
	path    string // PATH for vif-lisa: fake xenstore and logger first
	nextMAC byte
}

func newFakeXen(t *testing.T) *fakeXen {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	x := &fakeXen{t: t, host: enginetest.NewHost(), store: configstore.NewStore(t.TempDir() + "/etc-lisa"), xs: t.TempDir()}
	x.sbin = t.TempDir()
	if out, err := exec.Command("go", "build", "-o", x.sbin+"/", "github.com/lisa-go/lisa/cmd/...").CombinedOutput(); err != nil {
		t.Fatalf("building the tools: %v\n%s", err, out)
	}
	root := t.TempDir()
	out, err := exec.Command("make", "install", "DESTDIR="+root, "SBINDIR="+x.sbin, "SYSCONFDIR=/etc-lisa-test", "UNITDIR=/unit").CombinedOutput()
	if err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	x.scripts = filepath.Join(root, "etc-lisa-test/xen/scripts")

	fakes := t.TempDir()
	x.logFile = filepath.Join(t.TempDir(), "vif-lisa.log")
	logger := "#!/bin/sh\necho \"$*\" >>" + x.logFile + "\n"
	if err := os.WriteFile(filepath.Join(fakes, "logger"), []byte(logger), 0o755); err != nil {
		t.Fatal(err)
	}
	xsTools, err := filepath.Abs("../internal/e2e/testdata/fakexenstore")
	if err != nil {
		t.Fatal(err)
	}
	x.path = fakes + ":" + xsTools + ":" + os.Getenv("PATH")

	eng, err := engine.New(engine.Config{Host: x.host, AgeInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	sw, err := switchd.New(switchd.Options{Engine: eng, Store: x.store, RunDir: t.TempDir(), Kernel: "Linux test", Platform: "x86_64"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sw.Close)
	x.socket = filepath.Join(t.TempDir(), "lisa.sock")
	ln, err := net.Listen("unix", x.socket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go sw.ServeLocal(ln)
	return x
}

func (x *fakeXen) write(key, value string) {
	x.t.Helper()
	f := filepath.Join(x.xs, key)
	if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
		x.t.Fatal(err)
	}
	if err := os.WriteFile(f, []byte(value), 0o644); err != nil {
		x.t.Fatal(err)
	}
}

func (x *fakeXen) read(key string) string {
	b, _ := os.ReadFile(filepath.Join(x.xs, key))
	return string(b)
}

func backend(domid, devid int) string {
	return fmt.Sprintf("/local/domain/0/backend/vif/%d/%d", domid, devid)
}

// startDomain writes what the toolstack writes for a domain and creates its
// vifs (and, for an HVM guest, their emulated twins vifD.N-emu).
func (x *fakeXen) startDomain(name string, domid, nics int, hvm bool) {
	x.write(fmt.Sprintf("/local/domain/%d/name", domid), name)
	for n := 0; n < nics; n++ {
		x.write(backend(domid, n)+"/frontend-id", fmt.Sprint(domid))
		x.write(backend(domid, n)+"/handle", fmt.Sprint(n))
		x.nextMAC++
		x.host.AddLink(fmt.Sprintf("vif%d.%d", domid, n), engine.MAC{0x02, 0, 0, 0, 0, x.nextMAC})
		if hvm {
			x.nextMAC++
			x.host.AddLink(fmt.Sprintf("vif%d.%d-emu", domid, n), engine.MAC{0x02, 0, 0, 0, 0, x.nextMAC})
		}
	}
}

// vifLisa runs the installed vif-lisa as the toolstack would: for a netback
// vif (online/offline) or, with iface set, for an HVM guest's tap (add/remove).
func (x *fakeXen) vifLisa(command string, domid, devid int, tap string) (string, error) {
	cmd := exec.Command(filepath.Join(x.scripts, "vif-lisa"), command)
	cmd.Env = append(os.Environ(), "PATH="+x.path, "XENSTORE_ROOT="+x.xs, "LISA_SOCKET="+x.socket,
		"XENBUS_PATH="+backend(domid, devid))
	if tap != "" {
		cmd.Env = append(cmd.Env, "type_if=tap", "INTERFACE="+tap)
	} else {
		cmd.Env = append(cmd.Env, fmt.Sprintf("vif=vif%d.%d", domid, devid))
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (x *fakeXen) mustVifLisa(command string, domid, devid int, tap string) {
	x.t.Helper()
	if out, err := x.vifLisa(command, domid, devid, tap); err != nil {
		x.t.Fatalf("vif-lisa %s (vif%d.%d %s): %v\n%s\nhotplug-error: %s", command, domid, devid, tap, err, out, x.read(backend(domid, devid)+"/hotplug-error"))
	}
	if st := x.read(backend(domid, devid) + "/hotplug-status"); (command == "online" || command == "add") && st != "connected" {
		x.t.Fatalf("hotplug-status = %q, want connected", st)
	}
}

// tool runs one of the built tools against the switch.
func (x *fakeXen) tool(name string, args ...string) (string, int) {
	cmd := exec.Command(filepath.Join(x.sbin, name), append([]string{"--socket", x.socket}, args...)...)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		x.t.Fatal(err)
	}
	return string(out), code
}

func (x *fakeXen) cli(cmds ...string) string {
	x.t.Helper()
	var args []string
	for _, c := range cmds {
		args = append(args, "-c", c)
	}
	out, code := x.tool("swcli", args...)
	if code != 0 {
		x.t.Fatalf("swcli %q: exit %d\n%s", cmds, code, out)
	}
	return out
}

func (x *fakeXen) saveRecord(domain string, nics map[int][]string) {
	x.t.Helper()
	if err := x.store.WriteVM(configstore.VMRecord{Domain: domain, NICs: nics}); err != nil {
		x.t.Fatal(err)
	}
}

// A VM migrating in is created as NAME--incoming and renamed after the
// transfer, but its vifs are hotplugged before the rename: vif-lisa binds
// them to NAME, so they get NAME's VLAN. The same holds for the
// --migratedaway name the source domain takes.
func TestVifLisaMigratingDomainName(t *testing.T) {
	x := newFakeXen(t)
	x.saveRecord("web01", map[int][]string{0: {"switchport access vlan 30"}})
	x.startDomain("web01--incoming", 5, 1, false)
	x.mustVifLisa("online", 5, 0, "")
	if run := x.cli("show running-config"); !strings.Contains(run, "interface vif5.0\n vm web01 nic 0\n switchport access vlan 30\n!") {
		t.Errorf("an incoming domain's vif did not get its VM's configuration:\n%s", run)
	}
	x.mustVifLisa("offline", 5, 0, "")
	x.startDomain("web01--migratedaway", 6, 1, false)
	x.mustVifLisa("online", 6, 0, "")
	if run := x.cli("show running-config"); !strings.Contains(run, "interface vif6.0\n vm web01 nic 0\n switchport access vlan 30\n!") {
		t.Errorf("a --migratedaway domain's vif:\n%s", run)
	}
}

// "online" again for an interface that already has its binding changes
// nothing: live changes that were not saved stay.
func TestVifLisaOnlineTwiceKeepsLiveChanges(t *testing.T) {
	x := newFakeXen(t)
	x.saveRecord("web01", map[int][]string{0: {"switchport access vlan 30"}})
	x.startDomain("web01", 5, 1, false)
	x.mustVifLisa("online", 5, 0, "")
	x.cli("configure terminal", "interface vif5.0", "switchport access vlan 40", "end")
	x.mustVifLisa("online", 5, 0, "")
	if run := x.cli("show running-config interface vif5.0"); !strings.Contains(run, "interface vif5.0\n vm web01 nic 0\n switchport access vlan 40\nend") {
		t.Errorf("a second online reset the port:\n%s", run)
	}
	log, _ := os.ReadFile(x.logFile)
	if !strings.Contains(string(log), "vif5.0 is already NIC 0 of VM web01: binding unchanged") {
		t.Errorf("vif-lisa log:\n%s", log)
	}
}

// An HVM guest's vif and emulated twin are one NIC with one configuration.
func TestVifLisaHVMTwins(t *testing.T) {
	x := newFakeXen(t)
	x.saveRecord("win01", map[int][]string{0: {"switchport access vlan 20"}})
	x.startDomain("win01", 7, 1, true)
	x.mustVifLisa("online", 7, 0, "")
	x.mustVifLisa("add", 7, 0, "vif7.0-emu")
	x.cli("configure terminal", "interface vif7.0", "switchport access vlan 21", "end", "write memory")
	run := x.cli("show running-config")
	if !strings.Contains(run, "interface vif7.0-emu\n vm win01 nic 0\n switchport access vlan 21\n!") {
		t.Errorf("the -emu twin kept the old VLAN:\n%s", run)
	}
	if out := x.cli("show vm"); !strings.Contains(out, "win01                0    vif7.0,vif7.0-emu saved") {
		t.Errorf("show vm:\n%s", out)
	}
}

// swctl attach does not take a NIC bound to another live interface.
func TestSwctlAttachRefusesALiveNIC(t *testing.T) {
	x := newFakeXen(t)
	x.startDomain("web01", 5, 1, false)
	x.startDomain("other", 9, 1, false)
	x.mustVifLisa("online", 5, 0, "")
	x.cli("configure terminal", "interface vif5.0", "switchport access vlan 30", "end")
	out, code := x.tool("swctl", "attach", "vif9.0", "--vm", "web01", "--nic", "0")
	if code == 0 || !strings.Contains(out, "NIC 0 of VM web01 is bound to vif5.0") {
		t.Errorf("swctl attach of a live NIC: exit %d\n%s", code, out)
	}
	if _, code := x.tool("swctl", "bound", "vif5.0", "--vm", "web01", "--nic", "0"); code != 0 {
		t.Errorf("swctl bound vif5.0: exit %d, want 0", code)
	}
	if _, code := x.tool("swctl", "bound", "vif9.0", "--vm", "web01", "--nic", "0"); code != 1 {
		t.Errorf("swctl bound vif9.0: exit %d, want 1", code)
	}
	// Once vif5.0 is gone, the NIC may move.
	x.mustVifLisa("offline", 5, 0, "")
	if out, code := x.tool("swctl", "attach", "vif9.0", "--vm", "web01", "--nic", "0"); code != 0 {
		t.Errorf("swctl attach after the old vif left: exit %d\n%s", code, out)
	}
}

// swctl show cuts no names and starts with its header.
func TestSwctlShowLongNames(t *testing.T) {
	x := newFakeXen(t)
	x.startDomain("a-rather-long-domain-name-01", 123, 11, true)
	x.mustVifLisa("online", 123, 10, "")
	x.mustVifLisa("add", 123, 10, "vif123.10-emu")
	out, code := x.tool("swctl", "show")
	if code != 0 || !strings.HasPrefix(out, "Port ") {
		t.Fatalf("swctl show: exit %d\n%s", code, out)
	}
	for _, want := range []string{"vif123.10-emu  access", "a-rather-long-domain-name-01  10   vif123.10,vif123.10-emu  saved"} {
		if !strings.Contains(out, want) {
			t.Errorf("swctl show lacks %q:\n%s", want, out)
		}
	}
}
