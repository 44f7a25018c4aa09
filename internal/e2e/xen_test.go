package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/internal/nstest"
)

// xenHost simulates what a Xen host has when VMs start: a directory-backed
// xenstore, backend vifs in dom0's namespace whose other ends are in the
// VM's namespace, and the real vif-lisa installed by make install.
type xenHost struct {
	t       *testing.T
	dom0    *nstest.NS
	store   string // fake xenstore root
	scripts string // installed xen scripts
	d       *daemon
}

func newXenHost(t *testing.T) *xenHost {
	nstest.RequireRoot(t)
	requireTool(t, "make", "sed")
	x := &xenHost{t: t, dom0: nstest.New(t, "dom0"), store: t.TempDir()}
	root := t.TempDir()
	out, err := exec.Command("make", "-C", "../../xenhooks", "install", "DESTDIR="+root,
		"SBINDIR="+bin, "SYSCONFDIR=/etc-lisa-test", "UNITDIR=/unit").CombinedOutput()
	if err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	x.scripts = filepath.Join(root, "etc-lisa-test/xen/scripts")
	return x
}

func (x *xenHost) write(key, value string) {
	x.t.Helper()
	f := filepath.Join(x.store, key)
	if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
		x.t.Fatal(err)
	}
	if err := os.WriteFile(f, []byte(value), 0o644); err != nil {
		x.t.Fatal(err)
	}
}

func (x *xenHost) read(key string) string {
	b, err := os.ReadFile(filepath.Join(x.store, key))
	if err != nil {
		return ""
	}
	return string(b)
}

func backend(domid, devid int) string {
	return fmt.Sprintf("/local/domain/0/backend/vif/%d/%d", domid, devid)
}

// startDomain creates what the toolstack creates for a domain with nics
// NICs: xenstore entries and backend vifs vifD.N in dom0 whose peers are
// ethN in the VM's namespace.
func (x *xenHost) startDomain(vm *nstest.NS, name string, domid, nics int) {
	x.t.Helper()
	x.write(fmt.Sprintf("/local/domain/%d/name", domid), name)
	for n := 0; n < nics; n++ {
		x.write(backend(domid, n)+"/frontend-id", fmt.Sprint(domid))
		x.write(backend(domid, n)+"/handle", fmt.Sprint(n))
		nstest.Veth(x.t, x.dom0, fmt.Sprintf("vif%d.%d", domid, n), vm, fmt.Sprintf("eth%d", n))
	}
}

// destroyDomain removes the backend vifs, as the toolstack does after offline.
func (x *xenHost) destroyDomain(domid, nics int) {
	for n := 0; n < nics; n++ {
		x.dom0.Run("ip", "link", "del", fmt.Sprintf("vif%d.%d", domid, n))
	}
}

// hotplug runs vif-lisa as the toolstack would, in dom0's namespace.
func (x *xenHost) hotplug(command string, domid, devid int) (string, error) {
	cmd := x.dom0.Command(x.t.Context(), filepath.Join(x.scripts, "vif-lisa"), command)
	cmd.Env = append(os.Environ(),
		"PATH="+mustAbs(x.t, "testdata/fakexenstore")+":"+os.Getenv("PATH"),
		"XENSTORE_ROOT="+x.store,
		"LISA_SOCKET="+x.d.socket,
		fmt.Sprintf("vif=vif%d.%d", domid, devid),
		"XENBUS_PATH="+backend(domid, devid),
	)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (x *xenHost) mustHotplug(command string, domid, devid int) {
	x.t.Helper()
	if out, err := x.hotplug(command, domid, devid); err != nil {
		x.t.Fatalf("vif-lisa %s vif%d.%d: %v\n%s", command, domid, devid, err, out)
	}
	if command == "online" {
		if st := x.read(backend(domid, devid) + "/hotplug-status"); st != "connected" {
			x.t.Fatalf("hotplug-status of vif%d.%d = %q, want connected", domid, devid, st)
		}
	}
}

func mustAbs(t *testing.T, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestXenVMKeepsItsPortConfiguration is the life of a VM on a Xen host, with
// the real vif-lisa and a fake xenstore: its ports keep their VLANs across a
// restart on new vifs, across a lisad crash, and the hotplug contract holds
// when things go wrong.
func TestXenVMKeepsItsPortConfiguration(t *testing.T) {
	x := newXenHost(t)
	configDir := filepath.Join(t.TempDir(), "etc-lisa")
	x.d = startLisad(t, x.dom0, configDir)
	web := nstest.New(t, "web01")
	peer := nstest.New(t, "peer30")
	nstest.Veth(t, x.dom0, "h30", peer, "eth0")
	peer.MustRun(t, "ip", "addr", "add", "10.30.0.2/24", "dev", "eth0")
	x.d.mustCLI("configure terminal", "interface h30", "switchport access vlan 30", "end")

	// web01 starts as domain 5 with two NICs.
	x.startDomain(web, "web01", 5, 2)
	x.mustHotplug("online", 5, 0)
	x.mustHotplug("online", 5, 1)
	x.d.mustCLI("configure terminal",
		"interface vif5.0", "switchport access vlan 30",
		"interface vif5.1", "switchport mode trunk", "switchport trunk allowed vlan 10,20",
		"end", "write memory")

	// It shuts down and starts again as domain 9.
	x.mustHotplug("offline", 5, 0)
	x.mustHotplug("offline", 5, 1)
	x.destroyDomain(5, 2)
	x.startDomain(web, "web01", 9, 2)
	x.mustHotplug("online", 9, 0)
	x.mustHotplug("online", 9, 1)
	run := x.d.mustCLI("show running-config")
	for _, want := range []string{
		"interface vif9.0\n vm web01 nic 0\n switchport access vlan 30\n!",
		"interface vif9.1\n vm web01 nic 1\n switchport trunk allowed vlan 10,20\n switchport mode trunk\n!",
	} {
		if !strings.Contains(run, want) {
			t.Errorf("after the restart on domid 9, running-config lacks:\n%s\n---\n%s", want, run)
		}
	}
	if strings.Contains(run, "vif5.") {
		t.Errorf("the old vifs are still on the switch:\n%s", run)
	}
	web.MustRun(t, "ip", "addr", "add", "10.30.0.1/24", "dev", "eth0")
	if out, err := web.Run("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.30.0.2"); err != nil {
		t.Errorf("web01 on vif9.0 cannot reach the VLAN 30 host: %v\n%s", err, out)
	}

	// A VM never saved comes up in VLAN 1 with no error; online twice is harmless.
	db := nstest.New(t, "db02")
	x.startDomain(db, "db02", 11, 1)
	x.mustHotplug("online", 11, 0)
	x.mustHotplug("online", 11, 0)
	if out := x.d.mustCLI("show running-config interface vif11.0"); !strings.Contains(out, "interface vif11.0\n vm db02 nic 0\nend") {
		t.Errorf("never-saved VM's port:\n%s", out)
	}
	if out := x.d.mustCLI("show vlan brief"); !strings.Contains(out, "vif11.0") {
		t.Errorf("vif11.0 is not in VLAN 1:\n%s", out)
	}

	// lisad killed while web01 runs: on restart its ports come back.
	x.d.kill()
	x.d.start()
	run = x.d.mustCLI("show running-config")
	if !strings.Contains(run, "interface vif9.0\n vm web01 nic 0\n switchport access vlan 30\n!") ||
		!strings.Contains(run, "interface vif9.1\n vm web01 nic 1\n switchport trunk allowed vlan 10,20\n switchport mode trunk\n!") {
		t.Errorf("after SIGKILL and restart, web01's ports are not back:\n%s", run)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := web.Run("ping", "-c", "1", "-W", "1", "10.30.0.2")
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no traffic through the restored port: %v\n%s\nlisad log:\n%s", err, out, x.d.log.String())
		}
	}

	// With lisad stopped, online fails and says why, so the domain start does not hang.
	x.d.stop()
	app := nstest.New(t, "app03")
	x.startDomain(app, "app03", 12, 1)
	out, err := x.hotplug("online", 12, 0)
	if err == nil {
		t.Fatalf("vif-lisa online succeeded without lisad:\n%s", out)
	}
	if st := x.read(backend(12, 0) + "/hotplug-status"); st != "error" {
		t.Errorf("hotplug-status = %q, want error", st)
	}
	t.Logf("hotplug-error without lisad: %s", x.read(backend(12, 0)+"/hotplug-error"))
	if e := x.read(backend(12, 0) + "/hotplug-error"); !strings.Contains(e, "lisad is not running") || !strings.Contains(e, x.d.socket) {
		t.Errorf("hotplug-error = %q", e)
	}
}
