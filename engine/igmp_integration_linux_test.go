//go:build linux

package engine_test

import (
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/internal/nstest"
)

// Python helpers run in the hosts: real sockets, the hosts' own kernels
// send the IGMP reports and leaves.
const (
	// igmpMember joins group G on the interface with address A
	// (IP_ADD_MEMBERSHIP: the kernel sends an IGMPv3 report), counts the
	// datagrams it gets until one says "stop", and exits (the kernel
	// sends the leave).
	igmpMember = `import socket, sys
g, a = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('', 5000))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(g) + socket.inet_aton(a))
print('joined', flush=True)
n = 0
while True:
    d, _ = s.recvfrom(2048)
    if d == b'stop':
        break
    n += 1
print('got', n, flush=True)
`
	// igmpSniffer prints every UDP datagram its eth0 sees, member or not.
	igmpSniffer = `import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind(('eth0', 0))
print('ready', flush=True)
while True:
    f = s.recv(65535)
    if len(f) < 42 or f[12:14] != b'\x08\x00' or f[23] != 17:
        continue
    ihl = (f[14] & 15) * 4
    print('seen', socket.inet_ntoa(f[30:34]), f[14+ihl+8:].decode('latin1'), flush=True)
`
	// igmpSender sends N datagrams with payload P to group G from the
	// interface with address A.
	igmpSender = `import socket, sys, time
g, a, n, p = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].encode()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(a))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
for i in range(n):
    s.sendto(p, (g, 5000))
    time.sleep(0.02)
`
)

// TestIntegrationIGMPSnooping: three hosts on veths in VLAN 1, hi1 sends to
// a group, hi2 joins it with a real socket, hi3 watches its link. The
// group's traffic reaches hi2 and never hi3, while a group nobody joined is
// flooded to hi3 (there is no router port). On both data paths: multicast
// is never the kernel fast path's.
func TestIntegrationIGMPSnooping(t *testing.T) {
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Skip("needs /usr/bin/python3")
	}
	for _, dp := range dataPaths {
		t.Run(dp.name, func(t *testing.T) {
			nstest.RequireRoot(t)
			skipWithoutFastPath(t, dp.hc)
			igmpIntegration(t, dp.hc)
		})
	}
}

func igmpIntegration(t *testing.T, hc engine.LinuxHostConfig) {
	sw := nstest.New(t, "hisw")
	var h [4]*nstest.NS
	ip := func(i int) string { return fmt.Sprintf("10.98.0.%d", i) }
	for i := 1; i <= 3; i++ {
		h[i] = nstest.New(t, fmt.Sprintf("hi%d", i))
		h[i].MustRun(t, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
		nstest.Veth(t, h[i], "eth0", sw, fmt.Sprintf("hi%d", i))
		h[i].MustRun(t, "ip", "addr", "add", ip(i)+"/24", "dev", "eth0")
	}
	var e *engine.Engine
	err := sw.Do(func() error {
		host, err := engine.NewLinuxHost(hc)
		if err != nil {
			return err
		}
		e, err = engine.New(engine.Config{Host: host, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	requireFastPath(t, e, hc)
	for i := 1; i <= 3; i++ {
		if err := e.AddPort(fmt.Sprintf("hi%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	py := "/usr/bin/python3"
	send := func(group string, n int, payload string) {
		h[1].MustRun(t, py, "-c", igmpSender, group, ip(1), fmt.Sprint(n), payload)
	}

	sniff, seen := h[3].Start(t, py, "-c", igmpSniffer)
	defer nstest.Stop(sniff)
	if !waitFor(10*time.Second, func() bool { return strings.Contains(seen.String(), "ready") }) {
		t.Fatalf("sniffer did not start: %s", seen)
	}
	// Control: a group nobody joined floods (no router port), so hi3's
	// capture works.
	send("239.9.9.10", 3, "unjoined")
	if !waitFor(30*time.Second, func() bool { return strings.Contains(seen.String(), "seen 239.9.9.10 unjoined") }) {
		t.Fatalf("an unknown group was not flooded to hi3: %s", seen)
	}

	member, out := h[2].Start(t, py, "-c", igmpMember, "239.9.9.9", ip(2))
	if !waitFor(10*time.Second, func() bool { return strings.Contains(out.String(), "joined") }) {
		t.Fatalf("member did not join: %s", out)
	}
	group := netip.MustParseAddr("239.9.9.9")
	joined := func() bool {
		for _, g := range e.IGMPGroups(1) {
			if g.Group == group && len(g.Ports) == 1 && g.Ports[0] == "hi2" {
				return true
			}
		}
		return false
	}
	if !waitFor(10*time.Second, joined) {
		t.Fatalf("hi2's report was not learned: %+v", e.IGMPGroups(0))
	}

	send("239.9.9.9", 20, "lisa")
	send("239.9.9.9", 1, "stop")
	done := make(chan error, 1)
	go func() { done <- member.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("the member did not get the group's traffic: %s", out)
	}
	if !strings.Contains(out.String(), "got 20") {
		t.Errorf("member: %s", out)
	}
	time.Sleep(300 * time.Millisecond)
	if s := seen.String(); strings.Contains(s, "239.9.9.9 ") {
		t.Errorf("the non-member hi3 received the group's traffic:\n%s", s)
	}

	// The member's socket is closed: its kernel leaves, the group goes at once.
	if !waitFor(10*time.Second, func() bool { return len(e.IGMPGroups(0)) == 0 }) {
		t.Fatalf("leave not learned: %+v", e.IGMPGroups(0))
	}
	// Unknown again: flooded to hi3.
	send("239.9.9.9", 2, "after")
	if !waitFor(30*time.Second, func() bool { return strings.Contains(seen.String(), "seen 239.9.9.9 after") }) {
		t.Fatalf("after the leave the group was not flooded: %s", seen)
	}
	if c, err := e.Counters("hi1"); err != nil || c.FastRxPackets != 0 {
		t.Errorf("the fast path took multicast: %+v %v", c, err)
	}
}
