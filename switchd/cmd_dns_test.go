package switchd

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// dnsServer is a real dnsmasq on 127.0.0.77:53 (a loopback address of its
// own, so it meets no resolver of the host) answering for web1.lab.example.
func dnsServer(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: dnsmasq binds port 53")
	}
	bin, err := exec.LookPath("dnsmasq")
	if err != nil {
		t.Skip("needs dnsmasq (Debian package dnsmasq-base)")
	}
	cmd := exec.Command(bin, "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
		"--listen-address=127.0.0.77", "--bind-interfaces", "--port=53", "--user=root", "--pid-file=",
		"--address=/web1.lab.example/192.0.2.1", "--address=/core.other.example/198.51.100.9")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, "127.0.0.77:53")
	}}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := r.LookupNetIP(ctx, "ip4", "web1.lab.example.")
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("dnsmasq never answered: %v\n%s", err, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestPingByNameThroughNameServers(t *testing.T) {
	dnsServer(t)
	r := newRig(t, "eth0")
	r.configure("ip domain-name lab.example", "ip name-server 127.0.0.78 127.0.0.77")
	out := r.run("ping web1 repeat 1")
	if !strings.Contains(out, "Translating \"web1\"...domain server (127.0.0.77) [OK]\n\nType escape sequence to abort.\nSending 1, 100-byte ICMP Echos to 192.0.2.1,") {
		t.Errorf("ping web1:\n%s", out)
	}
	if out := r.run("ping core.other.example repeat 1"); !strings.Contains(out, "ICMP Echos to 198.51.100.9,") {
		t.Errorf("a qualified name:\n%s", out)
	}
	if out := r.run("ping nosuch"); !strings.Contains(out, "Translating \"nosuch\"...domain server (127.0.0.78)\n% Unrecognized host or address, or protocol not running.") {
		t.Errorf("an unknown name:\n%s", out)
	}
	body := r.runningBody()
	if !strings.Contains(body, "ip domain-name lab.example\nip name-server 127.0.0.78 127.0.0.77\n") {
		t.Errorf("running-config:\n%s", body)
	}
	r.configure("no ip domain-lookup")
	if out := r.run("ping web1"); !strings.Contains(out, "% Unrecognized host or address") || strings.Contains(out, "Translating") {
		t.Errorf("with no ip domain-lookup:\n%s", out)
	}
	if body := r.runningBody(); !strings.Contains(body, "no ip domain-lookup\nip domain-name lab.example\n") {
		t.Errorf("running-config:\n%s", body)
	}
	r.configure("ip domain lookup", "no ip name-server 127.0.0.78")
	if body := r.runningBody(); strings.Contains(body, "domain-lookup") || !strings.Contains(body, "ip name-server 127.0.0.77\n") {
		t.Errorf("after ip domain lookup and removing a server:\n%s", body)
	}
}
