package xenhooks

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lisa-go/lisa/internal/nstest"
)

// The unit is Type=notify: lisad sends READY=1 to $NOTIFY_SOCKET once its
// local socket listens and the startup-config is loaded.
func TestLisadNotifiesReady(t *testing.T) {
	nstest.RequireRoot(t)
	root, sbin := install(t)
	if b, _ := os.ReadFile(filepath.Join(root, "lib/systemd/system/lisad.service")); !strings.Contains(string(b), "\nType=notify\n") {
		t.Errorf("the unit is not Type=notify:\n%s", b)
	}
	dir := t.TempDir()
	notify := filepath.Join(dir, "notify")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: notify, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	run := filepath.Join(dir, "run")
	cmd := exec.Command(filepath.Join(sbin, "lisad"), "--config-dir", filepath.Join(dir, "etc"), "--run-dir", run)
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+notify)
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 256)
	n, err := conn.Read(buf)
	if err != nil {
		t.Fatalf("no notification from lisad: %v\n%s", err, log.String())
	}
	if string(buf[:n]) != "READY=1" {
		t.Fatalf("notification = %q, want READY=1", buf[:n])
	}
	// Ready means the socket answers.
	if out, err := exec.Command(filepath.Join(sbin, "swcli"), "--socket", run+"/lisa.sock", "-c", "show privilege").CombinedOutput(); err != nil {
		t.Errorf("swcli right after READY=1: %v\n%s", err, out)
	}
}

// make install puts the documentation the unit names where it says.
func TestDocsInstalled(t *testing.T) {
	root, _ := install(t)
	unit, _ := os.ReadFile(filepath.Join(root, "lib/systemd/system/lisad.service"))
	for _, l := range strings.Split(string(unit), "\n") {
		if doc, ok := strings.CutPrefix(l, "Documentation=file:"); ok {
			if _, err := os.Stat(filepath.Join(root, doc)); err != nil {
				t.Errorf("the unit's documentation is not installed: %v", err)
			}
		}
	}
}
