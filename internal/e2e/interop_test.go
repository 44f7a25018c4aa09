package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/internal/nstest"
)

// host is a machine in a namespace with one interface eth0 and an address.
func newHost(t *testing.T, label string, sw *nstest.NS, port, addr string) *nstest.NS {
	t.Helper()
	h := nstest.New(t, label)
	nstest.Veth(t, sw, port, h, "eth0")
	h.MustRun(t, "ip", "addr", "add", addr+"/24", "dev", "eth0")
	return h
}

// reaches pings until it succeeds or the deadline passes (ARP and learning
// take a moment); unreachable pings a few times and expects silence.
func reaches(t *testing.T, from *nstest.NS, to string) bool {
	t.Helper()
	deadline := time.Now().Add(8 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := from.Run("ping", "-c", "1", "-W", "1", to); err == nil {
			return true
		}
	}
	return false
}

func unreachable(t *testing.T, from *nstest.NS, to string) bool {
	t.Helper()
	_, err := from.Run("ping", "-c", "3", "-i", "0.3", "-W", "1", to)
	return err != nil
}

// TestTwoSwitchesOverATrunk joins two lisad instances with a trunk: hosts in
// VLAN 10 on both sides reach each other; a VLAN 20 host with an address in
// the same subnet stays apart.
func TestTwoSwitchesOverATrunk(t *testing.T) {
	nstest.RequireRoot(t)
	requireTool(t, "ping")
	nsA, nsB := nstest.New(t, "swA"), nstest.New(t, "swB")
	nstest.Veth(t, nsA, "uplink", nsB, "uplink")
	a10 := newHost(t, "a10", nsA, "vif1.0", "10.10.0.1")
	newHost(t, "a20", nsA, "vif2.0", "10.20.0.1")
	newHost(t, "b10", nsB, "vif1.0", "10.10.0.2")
	newHost(t, "b20", nsB, "vif2.0", "10.10.0.3") // VLAN 20, but VLAN 10's subnet
	for _, ns := range []*nstest.NS{nsA, nsB} {
		d := startLisad(t, ns, "")
		d.mustCLI("configure terminal",
			"interface uplink", "switchport mode trunk", "switchport trunk allowed vlan 10,20",
			"interface vif1.0", "switchport access vlan 10",
			"interface vif2.0", "switchport access vlan 20", "end")
	}
	if !reaches(t, a10, "10.10.0.2") {
		t.Errorf("VLAN 10 hosts on the two switches cannot reach each other")
	}
	if !unreachable(t, a10, "10.10.0.3") {
		t.Errorf("a VLAN 10 host reached a VLAN 20 host across the trunk")
	}
}

// ovs runs Open vSwitch's userspace datapath in a namespace, as the bench
// harness does: ovsdb-server and ovs-vswitchd as children of the test.
type ovs struct {
	t   *testing.T
	dir string
	ns  *nstest.NS
}

func startOVS(t *testing.T, ns *nstest.NS) *ovs {
	t.Helper()
	requireTool(t, "ovs-vswitchd", "ovsdb-server", "ovsdb-tool", "ovs-vsctl")
	o := &ovs{t: t, dir: t.TempDir(), ns: ns}
	env := []string{"OVS_RUNDIR=" + o.dir, "OVS_LOGDIR=" + o.dir, "OVS_DBDIR=" + o.dir, "OVS_SYSCONFDIR=" + o.dir}
	schema := "/usr/share/openvswitch/vswitch.ovsschema"
	if out, err := exec.Command("ovsdb-tool", "create", o.dir+"/conf.db", schema).CombinedOutput(); err != nil {
		t.Fatalf("ovsdb-tool: %v\n%s", err, out)
	}
	start := func(name string, args ...string) {
		cmd := ns.Command(t.Context(), name, args...)
		cmd.Env = append(os.Environ(), env...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	start("ovsdb-server", o.dir+"/conf.db", "--remote=punix:"+o.dir+"/db.sock",
		"--pidfile="+o.dir+"/ovsdb-server.pid", "--unixctl="+o.dir+"/ovsdb-server.ctl", "--log-file="+o.dir+"/ovsdb-server.log", "-vconsole:off")
	waitFile(t, o.dir+"/db.sock")
	o.vsctl("--no-wait", "init")
	start("ovs-vswitchd", "unix:"+o.dir+"/db.sock", "--pidfile="+o.dir+"/ovs-vswitchd.pid",
		"--unixctl="+o.dir+"/ovs-vswitchd.ctl", "--log-file="+o.dir+"/ovs-vswitchd.log", "-vconsole:off")
	waitFile(t, o.dir+"/ovs-vswitchd.ctl")
	return o
}

func (o *ovs) vsctl(args ...string) {
	o.t.Helper()
	cmd := exec.Command("ovs-vsctl", append([]string{"--db=unix:" + o.dir + "/db.sock", "--timeout=10"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(o.dir + "/ovs-vswitchd.log")
		o.t.Fatalf("ovs-vsctl %s: %v\n%s\n%s", strings.Join(args, " "), err, out, log)
	}
}

func waitFile(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(path); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not appear", path)
}

// TestTrunkToOpenVSwitch joins lisad to Open vSwitch (userspace datapath)
// with a trunk: an independent 802.1Q implementation on the other side.
func TestTrunkToOpenVSwitch(t *testing.T) {
	nstest.RequireRoot(t)
	requireTool(t, "ping")
	nsL, nsO := nstest.New(t, "lisa"), nstest.New(t, "ovs")
	nstest.Veth(t, nsL, "uplink", nsO, "uplink")
	l10 := newHost(t, "l10", nsL, "vif1.0", "10.10.0.1")
	newHost(t, "l20", nsL, "vif2.0", "10.20.0.1")
	newHost(t, "o10", nsO, "p10", "10.10.0.2")
	o20 := newHost(t, "o20", nsO, "p20", "10.10.0.3")
	d := startLisad(t, nsL, "")
	d.mustCLI("configure terminal",
		"interface uplink", "switchport mode trunk", "switchport trunk allowed vlan 10,20",
		"interface vif1.0", "switchport access vlan 10",
		"interface vif2.0", "switchport access vlan 20", "end")
	o := startOVS(t, nsO)
	o.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "fail_mode=standalone")
	o.vsctl("add-port", "br0", "uplink", "trunks=10,20")
	o.vsctl("add-port", "br0", "p10", "tag=10")
	o.vsctl("add-port", "br0", "p20", "tag=20")
	nsO.MustRun(t, "ip", "link", "set", "br0", "up")
	if !reaches(t, l10, "10.10.0.2") {
		t.Errorf("VLAN 10: lisad host cannot reach the OVS host\nlisad: %s", d.mustCLI("show mac address-table", "show interfaces uplink"))
	}
	if !unreachable(t, l10, "10.10.0.3") || !unreachable(t, o20, "10.10.0.1") {
		t.Errorf("VLAN 10 and VLAN 20 are not apart across lisad and OVS")
	}
}
