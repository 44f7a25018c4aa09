package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/internal/nstest"
)

// lldpd runs lldpd in ns with CDP flags (-cc: CDPv1, -ccc: CDPv2).
func startLLDPD(t *testing.T, ns *nstest.NS, flag, hostname string) (sock string, stop func()) {
	t.Helper()
	requireTool(t, "lldpd", "lldpcli")
	os.MkdirAll("/run/lldpd", 0o755) // lldpd's privilege-separation chroot
	// lldpd's unprivileged half must reach its socket: t.TempDir's parent
	// is private, so use a world-readable directory of our own.
	dir, err := os.MkdirTemp("", "lisa-lldpd-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	conf := filepath.Join(dir, "lldpd.conf")
	os.WriteFile(conf, []byte("configure system hostname "+hostname+"\nconfigure lldp tx-interval 1\n"), 0o644)
	sock = filepath.Join(dir, "lldpd.sock")
	cmd, _ := ns.Start(t, "lldpd", "-d", flag, "-H", "0", "-I", "eth0", "-u", sock, "-p", filepath.Join(dir, "lldpd.pid"), "-O", conf)
	waitFile(t, sock)
	return sock, func() { nstest.Stop(cmd) }
}

func lldpNeighbors(sock string) string {
	out, _ := exec.Command("lldpcli", "-u", sock, "show", "neighbors").CombinedOutput()
	return string(out)
}

// eventually retries f until it returns "" or the time is up; it returns
// f's last complaint.
func eventually(d time.Duration, f func() string) string {
	deadline := time.Now().Add(d)
	for {
		msg := f()
		if msg == "" || time.Now().After(deadline) {
			return msg
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestCDPWithLLDPD runs lldpd as a CDP peer on a lisad port: each lists the
// other, over CDPv2 and CDPv1, and tshark finds every frame lisad sent valid.
func TestCDPWithLLDPD(t *testing.T) {
	nstest.RequireRoot(t)
	requireTool(t, "tcpdump", "tshark")
	sw := nstest.New(t, "cdpsw")
	peer := newHost(t, "lldp", sw, "vif1.0", "10.99.0.2")
	cap := filepath.Join(t.TempDir(), "cdp.pcap")
	tcpdump, _ := peer.Start(t, "tcpdump", "-i", "eth0", "-U", "-w", cap, "ether dst 01:00:0c:cc:cc:cc")
	d := startLisad(t, sw, "")
	d.mustCLI("configure terminal", "hostname lisa-edge", "cdp timer 5",
		"interface Vlan1", "ip address 10.99.0.1 255.255.255.0", "ipv6 address 2001:db8:99::1/64", "interface vif1.0", "end")

	sock, stop := startLLDPD(t, peer, "-ccc", "peer-v2")
	if msg := eventually(20*time.Second, func() string {
		out := d.mustCLI("show cdp neighbors detail")
		for _, want := range []string{"Device ID: peer-v2", "Interface: vif1.0,  Port ID (outgoing port): eth0", "IP address: 10.99.0.2", "advertisement version: 2"} {
			if !strings.Contains(out, want) {
				return "lisad's show cdp neighbors detail lacks " + want + ":\n" + out
			}
		}
		return ""
	}); msg != "" {
		t.Error(msg)
	}
	if msg := eventually(20*time.Second, func() string {
		out := lldpNeighbors(sock)
		for _, want := range []string{"via: CDPv2", "SysName:      lisa-edge", "PortID:       ifname vif1.0", "MgmtIP:       10.99.0.1"} {
			if !strings.Contains(out, want) {
				return "lldpcli show neighbors lacks " + want + ":\n" + out
			}
		}
		return ""
	}); msg != "" {
		t.Error(msg)
	}

	// CDPv1 both ways; a one-letter longer hostname flips the PDU's length
	// parity, so tshark sees odd and even lengths.
	stop()
	d.mustCLI("clear cdp table", "configure terminal", "no cdp advertise-v2", "hostname lisa-edge1",
		"interface vif1.0", "shutdown", "no shutdown", "end")
	sock, stop = startLLDPD(t, peer, "-cc", "peer-v1")
	defer stop()
	if msg := eventually(20*time.Second, func() string {
		out := d.mustCLI("show cdp neighbors detail")
		if !strings.Contains(out, "Device ID: peer-v1") || !strings.Contains(out, "advertisement version: 1") {
			return "no CDPv1 neighbour in lisad:\n" + out
		}
		if n := lldpNeighbors(sock); !strings.Contains(n, "via: CDPv1") || !strings.Contains(n, "lisa-edge1") {
			return "lldpcli lists no CDPv1 lisad:\n" + n
		}
		return ""
	}); msg != "" {
		t.Error(msg)
	}
	time.Sleep(time.Second)
	nstest.Stop(tcpdump)

	out, err := exec.Command("tshark", "-r", cap, "-Y", "cdp && eth.src == "+portMAC(t, sw, "vif1.0"),
		"-T", "fields", "-e", "cdp.version", "-e", "cdp.checksum.status", "-e", "cdp.deviceid", "-e", "frame.len").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	versions, parity := map[string]bool{}, map[int]bool{}
	for _, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) < 4 || f[1] != "1" {
			t.Errorf("tshark: a frame lisad sent is not CDP with a Good checksum: %q", l)
			continue
		}
		versions[f[0]] = true
		parity[len(f[2])%2] = true
	}
	if !versions["1"] || !versions["2"] || !parity[0] || !parity[1] {
		t.Errorf("want v1 and v2 frames with odd and even lengths, tshark saw:\n%s", out)
	}
	t.Logf("tshark checked %d frames from lisad: all CDP with Checksum Status Good", len(lines))

	// The Addresses TLV carries the VLAN interface's IPv6 address too.
	out, err = exec.Command("tshark", "-r", cap, "-V", "-Y", "cdp && eth.src == "+portMAC(t, sw, "vif1.0")).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	if !strings.Contains(string(out), "2001:db8:99::1") || !strings.Contains(string(out), "10.99.0.1") {
		t.Errorf("tshark finds no IPv4 and IPv6 address in lisad's CDP:\n%.4000s", out)
	}
}

func portMAC(t *testing.T, ns *nstest.NS, dev string) string {
	out := ns.MustRun(t, "cat", "/sys/class/net/"+dev+"/address")
	return strings.TrimSpace(out)
}
