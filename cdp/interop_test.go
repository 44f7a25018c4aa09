package cdp

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// checksumCases are frames from our encoder covering Cisco's checksum corner cases: even PDU
// length, and odd lengths ending in bytes below, at and above 0x80, for CDPv1 and CDPv2.
func checksumCases(t *testing.T) (names []string, frames [][]byte) {
	build := func(version uint8, tail []byte) []byte {
		p := Packet{Version: version, Holdtime: 180, DeviceID: "lisa-sw1", PortID: "eth0",
			Capabilities: CapSwitch, HasCapabilities: true,
			Addresses: []netip.Addr{netip.MustParseAddr("10.99.0.1")},
			Unknown:   []RawTLV{{Type: 0x7777, Value: tail}}}
		fr, err := EncodeFrame(mac1, &p)
		if err != nil {
			t.Fatal(err)
		}
		return fr
	}
	for _, version := range []uint8{1, 2} {
		base := len(build(version, nil)) - 14 - 8 // PDU length with an empty tail TLV
		for _, tc := range []struct {
			name string
			odd  bool
			last byte
		}{
			{"even", false, 0x34}, {"even-last-ff", false, 0xff},
			{"odd-last-00", true, 0x00}, {"odd-last-01", true, 0x01}, {"odd-last-7f", true, 0x7f},
			{"odd-last-80", true, 0x80}, {"odd-last-81", true, 0x81}, {"odd-last-fe", true, 0xfe},
			{"odd-last-ff", true, 0xff},
		} {
			// A 1- or 2-byte tail value makes the PDU length odd or even as wanted.
			tail := []byte{tc.last}
			if (base+1)%2 == 1 != tc.odd {
				tail = []byte{0x5a, tc.last}
			}
			fr := build(version, tail)
			pduLen := len(fr) - 14 - 8
			if pduLen%2 == 1 != tc.odd || fr[14+8+pduLen-1] != tc.last {
				t.Fatalf("%s: PDU of %d bytes does not end as intended", tc.name, pduLen)
			}
			names = append(names, fmt.Sprintf("v%d-%s", version, tc.name))
			frames = append(frames, fr)
		}
	}
	return names, frames
}

// tshark (Wireshark's CDP dissector, an independent implementation of the checksum) finds
// every checksum we compute Good (cdp.checksum.status 1).
func TestInteropTsharkChecksum(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("interop test: tshark not installed")
	}
	names, frames := checksumCases(t)
	// The agent's own frames too.
	for _, g := range []string{"agent-v2-trunk", "agent-v1-access", "agent-v2-goodbye"} {
		names = append(names, g)
		frames = append(frames, readHex(t, "testdata/"+g+".hex"))
	}
	path := filepath.Join(t.TempDir(), "ours.pcap")
	writePcap(t, path, frames)
	out, err := exec.Command("tshark", "-r", path, "-Y", "cdp", "-T", "fields",
		"-e", "cdp.version", "-e", "cdp.checksum", "-e", "cdp.checksum.status").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(frames) {
		t.Fatalf("tshark dissected %d CDP frames of %d:\n%s", len(lines), len(frames), out)
	}
	for i, line := range lines {
		fields := strings.Split(line, "\t")
		if len(fields) != 3 || fields[2] != "1" {
			t.Errorf("%s: tshark says %q (version, checksum, status; 1 = Good)", names[i], line)
		} else {
			t.Logf("%-16s version %s checksum %s: Good", names[i], fields[0], fields[1])
		}
	}
	// And our decoder agrees with itself on every one.
	for i, fr := range frames {
		if f, err := DecodeFrame(fr); err != nil || !f.ChecksumOK {
			t.Errorf("%s: our decoder: %v", names[i], err)
		}
	}
}

// lldpd, receiving in a namespace, accepts the agent's CDPv1 and CDPv2 advertisements:
// `lldpcli show neighbors` lists our hostname, port ID and IPv4 address.
func TestInteropLldpd(t *testing.T) {
	needRoot(t, "lldpd", "lldpcli")
	ns := newNetns(t)
	vethPair(t, ns, "cdpsend", "eth0", "02:98:00:00:00:01")
	snd := newRawSender(t, ns, "cdpsend")

	work, err := os.MkdirTemp("", "cdp-lldpd-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(work) })
	os.Chmod(work, 0o755) // lldpd's unprivileged helper must reach the socket
	os.MkdirAll("/run/lldpd", 0o755)
	sock := filepath.Join(work, "lldpd.sock")
	var log bytes.Buffer
	lldpd := exec.Command("ip", "netns", "exec", ns, "lldpd", "-d", "-c", "-H", "0", "-I", "eth0",
		"-u", sock, "-p", filepath.Join(work, "lldpd.pid"))
	lldpd.Stdout, lldpd.Stderr = &log, &log
	if err := lldpd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// SIGTERM lets lldpd take its privilege-separated child down with it.
		lldpd.Process.Signal(syscall.SIGTERM)
		stopped := make(chan struct{})
		go func() { lldpd.Wait(); close(stopped) }()
		select {
		case <-stopped:
		case <-time.After(30 * time.Second):
			lldpd.Process.Kill()
			<-stopped
		}
		if t.Failed() {
			t.Logf("lldpd log:\n%s", log.String())
		}
	})
	for i := 0; i < 50 && !exists(sock); i++ {
		time.Sleep(100 * time.Millisecond)
	}

	clk := newFakeClock()
	a := NewAgent(Options{Sender: snd, Clock: clk})
	a.AddPort("cdpsend", [6]byte{0x02, 0x98, 0, 0, 0, 1})
	for _, version := range []int{1, 2} {
		host := fmt.Sprintf("lisa-interop-v%d", version)
		a.SetSystem(System{
			Hostname:        host,
			Addresses:       []netip.Addr{netip.MustParseAddr(fmt.Sprintf("10.99.0.%d", version))},
			SoftwareVersion: HostSoftwareVersion("LiSA-Go", "test"),
			Platform:        HostPlatform("LiSA-Go"),
		})
		a.SetAdvertiseV2(version == 2)
		a.SetPortUp("cdpsend", true) // first advertisement at once (no-op the second time round)
		var out string
		deadline := time.Now().Add(20 * time.Second)
		for {
			o, _ := exec.Command("lldpcli", "-u", sock, "show", "neighbors").CombinedOutput()
			out = string(o)
			if strings.Contains(out, host) || time.Now().After(deadline) {
				break
			}
			clk.Advance(time.Minute) // next advertisement, without sleeping a minute
			a.Tick()
			time.Sleep(300 * time.Millisecond)
		}
		// lldpcli prints one block per neighbour, starting with "Interface:".
		block := ""
		for _, b := range strings.Split(out, "Interface:") {
			if strings.Contains(b, "SysName:      "+host+"\n") {
				block = b
			}
		}
		for _, want := range []string{
			fmt.Sprintf("via: CDPv%d", version),
			"PortID:       ifname cdpsend",
			fmt.Sprintf("MgmtIP:       10.99.0.%d", version),
			"TTL:          180",
		} {
			if !strings.Contains(block, want) {
				t.Errorf("CDPv%d: lldpcli show neighbors has no %s neighbour with %q:\n%s", version, host, want, out)
			}
		}
		t.Logf("CDPv%d: lldpcli show neighbors:\n%s", version, out)
	}
	if c := a.Counters(); c.OutputV1 == 0 || c.OutputV2 == 0 || c.EncapsFailed != 0 {
		t.Errorf("counters %+v", c)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
