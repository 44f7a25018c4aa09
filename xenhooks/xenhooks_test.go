package xenhooks

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/internal/nstest"
)

// install runs this directory's make install into a fresh root, with the
// tools built into sbin, and returns the root.
func install(t *testing.T) (root, sbin string) {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	sbin = t.TempDir()
	if out, err := exec.Command("go", "build", "-o", sbin+"/", "github.com/lisa-go/lisa/cmd/...").CombinedOutput(); err != nil {
		t.Fatalf("building the tools: %v\n%s", err, out)
	}
	root = t.TempDir()
	out, err := exec.Command("make", "install", "DESTDIR="+root, "SBINDIR="+sbin, "SYSCONFDIR=/etc", "UNITDIR=/lib/systemd/system").CombinedOutput()
	if err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	return root, sbin
}

func TestScriptsParse(t *testing.T) {
	for _, c := range [][]string{{"bash", "-n", "vif-lisa"}, {"sh", "-n", "network-lisa"}, {"sh", "-n", "lisa.init"}} {
		if out, err := exec.Command(c[0], c[1:]...).CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", strings.Join(c, " "), err, out)
		}
	}
}

func TestSystemdUnitVerifies(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze is not installed (Debian package systemd)")
	}
	root, _ := install(t)
	unit := filepath.Join(root, "lib/systemd/system/lisad.service")
	out, err := exec.Command("systemd-analyze", "verify", unit).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	b, _ := os.ReadFile(unit)
	for _, want := range []string{"Before=network.target xendomains.service xen-init-dom0.service", "RuntimeDirectoryPreserve=yes"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("unit lacks %q", want)
		}
	}
}

// TestInitScript starts, queries and stops a real lisad with the installed
// init script, inside a namespace of its own, and drives network-lisa.
func TestInitScript(t *testing.T) {
	nstest.RequireRoot(t)
	if _, err := exec.LookPath("start-stop-daemon"); err != nil {
		t.Skip("start-stop-daemon is not installed")
	}
	root, sbin := install(t)
	state := t.TempDir()
	run := filepath.Join(state, "run")
	defaults := "LISAD_OPTS=\"--config-dir " + state + "/etc --run-dir " + run + "\"\n" +
		"RUNDIR=" + run + "\nLOGFILE=" + state + "/lisad.log\n"
	if err := os.WriteFile(filepath.Join(root, "etc/default/lisa"), []byte(defaults), 0o644); err != nil {
		t.Fatal(err)
	}
	// The scripts read /etc/default/lisa: point them at the test's root.
	fix := func(name string) string {
		p := filepath.Join(root, name)
		b, _ := os.ReadFile(p)
		s := strings.ReplaceAll(string(b), "/etc/default/lisa", root+"/etc/default/lisa")
		s = strings.ReplaceAll(s, "init=/etc/init.d/lisa", "init="+root+"/etc/init.d/lisa")
		os.WriteFile(p, []byte(s), 0o755)
		return p
	}
	initScript := fix("etc/init.d/lisa")
	network := fix("etc/xen/scripts/network-lisa")
	ns := nstest.New(t, "init")
	sh := func(args ...string) (string, int) {
		out, err := ns.Command(t.Context(), args[0], args[1:]...).CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			code = -1
		}
		return string(out), code
	}
	t.Cleanup(func() { sh(initScript, "stop") })

	if out, code := sh(initScript, "status"); code != 3 || !strings.Contains(out, "not running") {
		t.Errorf("status before start: %d %q", code, out)
	}
	if out, code := sh(network, "status"); code != 3 || !strings.Contains(out, "LiSA is NOT running") {
		t.Errorf("network-lisa status before start: %d %q", code, out)
	}
	if out, code := sh(network, "start"); code != 0 || !strings.Contains(out, "Starting LiSA-Go switch: lisad.") {
		t.Fatalf("network-lisa start: %d %q\nlog: %s", code, out, readFile(state+"/lisad.log"))
	}
	if out, code := sh(initScript, "start"); code != 0 || !strings.Contains(out, "already running") {
		t.Errorf("second start: %d %q", code, out)
	}
	if out, code := sh(initScript, "status"); code != 0 || !strings.Contains(out, "lisad is running (pid ") {
		t.Errorf("status: %d %q", code, out)
	}
	if out, code := sh(network, "status"); code != 0 || strings.TrimSpace(out) != "LiSA is running" {
		t.Errorf("network-lisa status: %d %q", code, out)
	}
	// The daemon it started answers on its socket.
	if out, err := exec.Command(filepath.Join(sbin, "swcli"), "--socket", run+"/lisa.sock", "-c", "show privilege").CombinedOutput(); err != nil {
		t.Errorf("swcli against the init script's lisad: %v\n%s", err, out)
	}
	if out, code := sh(initScript, "restart"); code != 0 || !strings.Contains(out, "Starting") {
		t.Errorf("restart: %d %q", code, out)
	}
	if out, code := sh(network, "stop"); code != 0 || !strings.Contains(out, "Stopping LiSA-Go switch: lisad.") {
		t.Errorf("network-lisa stop: %d %q", code, out)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, code := sh(initScript, "status")
		if code == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still running after stop: %q", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if out, code := sh(network, "bogus"); code != 1 || !strings.Contains(out, "Valid commands are: start, stop, status") {
		t.Errorf("network-lisa bogus: %d %q", code, out)
	}
}

func readFile(p string) string { b, _ := os.ReadFile(p); return string(b) }
