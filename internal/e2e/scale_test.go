package e2e

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mdlayher/packet"

	"github.com/lisa-go/lisa/internal/nstest"
)

// These tests measure what issue 7 asks about the daemon as a whole: memory
// with 100 ports and a full MAC table, CPU when idle, and how soon a
// hotplugged port forwards. They log figures ("FIGURE name value unit", the
// lines docs/benchmarks.md quotes) and assert only correctness, never speed.

// figure logs one measured value in a form that is easy to grep.
func figure(t *testing.T, name string, value float64, unit string) {
	t.Helper()
	t.Logf("FIGURE %s %.3f %s", name, value, unit)
	if f := os.Getenv("LISA_FIGURES"); f != "" {
		if fh, err := os.OpenFile(f, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintf(fh, "%s\t%.3f\t%s\n", name, value, unit)
			fh.Close()
		}
	}
}

// procStatus reads one "Key: value kB" line of /proc/PID/status, in KiB.
func procStatus(t *testing.T, pid int, key string) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^` + key + `:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no %s in /proc/%d/status", key, pid)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// cpuTicks is utime+stime of a process (all threads), in clock ticks.
func cpuTicks(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	u, _ := strconv.Atoi(f[11])
	s, _ := strconv.Atoi(f[12])
	return u + s
}

// rawSender is an AF_PACKET socket on a netdev of a namespace.
func rawSender(t *testing.T, ns *nstest.NS, ifname string) *packet.Conn {
	t.Helper()
	var c *packet.Conn
	err := ns.Do(func() error {
		ifi, err := net.InterfaceByName(ifname)
		if err != nil {
			return err
		}
		c, err = packet.Listen(ifi, packet.Raw, 0x88b5, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func ethFrame(dst, src net.HardwareAddr, seq uint32) []byte {
	b := make([]byte, 60)
	copy(b, dst)
	copy(b[6:], src)
	binary.BigEndian.PutUint16(b[12:], 0x88b5) // local experimental EtherType
	binary.BigEndian.PutUint32(b[14:], seq)
	return b
}

var bcast = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

func floodMAC(i int) net.HardwareAddr {
	return net.HardwareAddr{0x02, 0x66, 0, byte(i >> 16), byte(i >> 8), byte(i)}
}

var dynCount = regexp.MustCompile(`Dynamic Address Count\s+:\s+(\d+)`)

func dynamicMACs(out string) int {
	n := 0
	for _, m := range dynCount.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.Atoi(m[1])
		n += v
	}
	return n
}

// TestScaleHundredPortsFullMACTable: lisad with 100 veth ports learns 16,384
// MACs from a flood; the test reports lisad's resident memory (issue 7: under
// 64 MiB) and its CPU use while the 100 ports are idle (under 1% of a core).
func TestScaleHundredPortsFullMACTable(t *testing.T) {
	if testing.Short() {
		t.Skip("scale test")
	}
	const ports, macs = 100, 16384
	sw := nstest.New(t, "scalesw")
	hosts := nstest.New(t, "scaleh")
	for _, ns := range []*nstest.NS{sw, hosts} {
		ns.MustRun(t, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	}
	var cfg strings.Builder
	cfg.WriteString("hostname Scale\n")
	for i := 0; i < ports; i++ {
		sw.MustRun(t, "ip", "link", "add", fmt.Sprintf("p%d", i), "type", "veth", "peer", "name", fmt.Sprintf("h%d", i), "netns", hosts.Name)
		hosts.MustRun(t, "ip", "link", "set", fmt.Sprintf("h%d", i), "up")
		fmt.Fprintf(&cfg, "interface p%d\n switchport access vlan 1\n!\n", i)
	}
	configDir := filepath.Join(t.TempDir(), "etc-lisa")
	if err := os.MkdirAll(configDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(configDir, "config.text"), []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	d := startLisad(t, sw, configDir)
	pid := d.cmd.Process.Pid
	if out := d.mustCLI("show interfaces status"); strings.Count(out, "connected") < ports {
		t.Fatalf("not every port is up:\n%s", out)
	}
	figure(t, "rss_100_ports_empty_table", float64(procStatus(t, pid, "VmRSS"))/1024, "MiB")

	// The flood: broadcast frames from 16,384 source MACs spread over four
	// ports, every frame flooded to the 99 others.
	senders := make([]*packet.Conn, 4)
	for i := range senders {
		senders[i] = rawSender(t, hosts, fmt.Sprintf("h%d", i))
	}
	learned := 0
	for round := 0; round < 20 && learned < macs; round++ {
		for i := 0; i < macs; i++ {
			c := senders[i%len(senders)]
			if _, err := c.WriteTo(ethFrame(bcast, floodMAC(i), uint32(i)), &packet.Addr{HardwareAddr: bcast}); err != nil {
				t.Fatal(err)
			}
			if i%256 == 255 {
				time.Sleep(time.Millisecond) // let the switch keep up
			}
		}
		time.Sleep(200 * time.Millisecond)
		learned = dynamicMACs(d.mustCLI("show mac address-table count"))
	}
	if learned < macs*95/100 {
		t.Fatalf("the switch learned %d of %d MACs", learned, macs)
	}
	figure(t, "macs_learned", float64(learned), "entries")
	figure(t, "rss_100_ports_16384_macs", float64(procStatus(t, pid, "VmRSS"))/1024, "MiB")
	figure(t, "rss_peak_100_ports_16384_macs", float64(procStatus(t, pid, "VmHWM"))/1024, "MiB")

	// Idle: the flood's backlog (every frame flooded to 99 ports) is
	// drained once lisad's CPU stops moving; then CPU over 10 s.
	hz := 100.0
	if out, err := exec.Command("getconf", "CLK_TCK").Output(); err == nil {
		if v, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64); err == nil {
			hz = v
		}
	}
	for i := 0; i < 60; i++ {
		c := cpuTicks(t, pid)
		time.Sleep(time.Second)
		if cpuTicks(t, pid)-c <= 1 {
			break
		}
	}
	c0, t0 := cpuTicks(t, pid), time.Now()
	time.Sleep(10 * time.Second)
	c1, t1 := cpuTicks(t, pid), time.Now()
	figure(t, "idle_cpu_100_ports", float64(c1-c0)/hz/t1.Sub(t0).Seconds()*100, "%core")
	figure(t, "threads_100_ports", float64(countThreads(t, pid)), "threads")
}

func countThreads(t *testing.T, pid int) int {
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// TestHotplugForwardingLatency: how long from "swctl attach" (what vif-lisa
// runs when a VM's vif comes online, followed by swcfgload for the VM's saved
// configuration) until the new port forwards in the VLAN its VM's record
// says. The VM keeps sending; the clock stops when its first frame reaches a
// host in that VLAN, so the figure includes both tools' start-up, the
// configuration and the first forwarded frame.
func TestHotplugForwardingLatency(t *testing.T) {
	const rounds = 10
	sw := nstest.New(t, "hpsw")
	vm := nstest.New(t, "hpvm")
	peer := nstest.New(t, "hppeer")
	for _, ns := range []*nstest.NS{sw, vm, peer} {
		ns.MustRun(t, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	}
	nstest.Veth(t, sw, "rx30", peer, "eth0")
	d := startLisad(t, sw, "")
	// The VM's record: NIC 0 in VLAN 30, saved the way an administrator does.
	nstest.Veth(t, sw, "vif1.0", vm, "first")
	d.mustCLI("configure terminal", "interface rx30", "switchport access vlan 30",
		"interface vif1.0", "vm web nic 0", "switchport access vlan 30", "end", "write memory")
	d.mustCLI("configure terminal", "no interface vif1.0", "end")
	sw.MustRun(t, "ip", "link", "del", "vif1.0")

	var recv *packet.Conn
	if err := peer.Do(func() error {
		ifi, err := net.InterfaceByName("eth0")
		if err != nil {
			return err
		}
		recv, err = packet.Listen(ifi, packet.Raw, 0x88b5, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer recv.Close()

	var lat, attachOnly []time.Duration
	for r := 0; r < rounds; r++ {
		vif, eth := fmt.Sprintf("vif%d.0", r+2), fmt.Sprintf("e%d", r)
		nstest.Veth(t, sw, vif, vm, eth)
		src := net.HardwareAddr{0x02, 0x77, 0, 0, 0, byte(r)}
		send := rawSender(t, vm, eth)
		stop := make(chan struct{})
		go func() {
			for seq := uint32(0); ; seq++ {
				select {
				case <-stop:
					return
				default:
				}
				send.WriteTo(ethFrame(bcast, src, seq), &packet.Addr{HardwareAddr: bcast})
				time.Sleep(100 * time.Microsecond)
			}
		}()
		got := make(chan time.Time, 1)
		go func() {
			buf := make([]byte, 2048)
			recv.SetReadDeadline(time.Now().Add(10 * time.Second))
			for {
				n, _, err := recv.ReadFrom(buf)
				if err != nil {
					close(got)
					return
				}
				if n >= 12 && bytes.Equal(buf[6:12], src) {
					got <- time.Now()
					return
				}
			}
		}()
		t0 := time.Now()
		if out, err := exec.Command(filepath.Join(bin, "swctl"), "--socket", d.socket, "attach", vif, "--vm", "web", "--nic", "0").CombinedOutput(); err != nil {
			t.Fatalf("swctl attach: %v\n%s", err, out)
		}
		t1 := time.Now()
		if out, err := exec.Command(filepath.Join(bin, "swcfgload"), "--socket", d.socket, "-s", "--nic", "0", vif, "web").CombinedOutput(); err != nil {
			t.Fatalf("swcfgload: %v\n%s", err, out)
		}
		at, ok := <-got
		close(stop)
		if !ok {
			t.Fatalf("round %d: no frame from %s reached VLAN 30; running-config:\n%s", r, vif, d.mustCLI("show running-config interface "+vif))
		}
		lat = append(lat, at.Sub(t0))
		attachOnly = append(attachOnly, t1.Sub(t0))
		d.mustCLI("configure terminal", "no interface "+vif, "end")
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	sort.Slice(attachOnly, func(i, j int) bool { return attachOnly[i] < attachOnly[j] })
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	figure(t, "hotplug_first_frame_median", ms(lat[len(lat)/2]), "ms")
	figure(t, "hotplug_first_frame_max", ms(lat[len(lat)-1]), "ms")
	figure(t, "hotplug_swctl_attach_median", ms(attachOnly[len(attachOnly)/2]), "ms")
}
