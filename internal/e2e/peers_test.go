package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lisa-go/lisa/internal/nstest"
)

// benchDir finds the shared peer harness next to the repository.
func benchDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("LISA_BENCH_DIR")
	if dir == "" {
		dir, _ = filepath.Abs("../../../shared/bench")
	}
	if _, err := os.Stat(filepath.Join(dir, "peers.sh")); err != nil {
		t.Skipf("the peer harness is not at %s (set LISA_BENCH_DIR)", dir)
	}
	return dir
}

// TestPeerHarnessVLANCheck runs the shared harness's 802.1Q checks (access,
// trunk tagging both ways, isolation) against lisad through scripts/bench-switch.
func TestPeerHarnessVLANCheck(t *testing.T) {
	nstest.RequireRoot(t)
	requireTool(t, "tcpdump", "iperf3", "gcc", "ethtool")
	if err := exec.Command("/usr/bin/python3", "-c", "import scapy.all").Run(); err != nil {
		t.Skipf("the harness needs /usr/bin/python3 with scapy (Debian python3-scapy): %v", err)
	}
	dir := benchDir(t)
	adapter, _ := filepath.Abs("../../scripts/bench-switch")
	cmd := exec.Command(filepath.Join(dir, "peers.sh"), "--prefix", "lv-", "--vlan-check", "--switch-cmd", adapter)
	cmd.Env = append(os.Environ(), "LISAD="+filepath.Join(bin, "lisad"))
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "11 passed, 0 failed") {
		t.Errorf("peers.sh --vlan-check: %v\n%s", err, out)
	}
}
