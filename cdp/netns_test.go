package cdp

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/unix"
)

// A tiny private namespace helper until internal/nstest lands. Namespaces are named
// cdpt-<pid>-<n> and always deleted in t.Cleanup; no address is configured outside them.

var netnsSeq atomic.Int32

// needRoot skips the test unless it runs as root with the named tools on PATH.
func needRoot(t *testing.T, tools ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("interop test: skipped in -short mode")
	}
	if os.Geteuid() != 0 {
		t.Skip("interop test: needs root (network namespaces, raw sockets)")
	}
	for _, tool := range append([]string{"ip"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("interop test: %s not installed", tool)
		}
	}
}

// run runs a command and fails the test with its output if it fails.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// newNetns creates a network namespace with lo up and returns its name.
func newNetns(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("cdpt-%d-%d", os.Getpid(), netnsSeq.Add(1))
	run(t, "ip", "netns", "add", name)
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", name).CombinedOutput(); err != nil {
			t.Errorf("deleting namespace %s: %v %s", name, err, out)
		}
	})
	run(t, "ip", "-n", name, "link", "set", "lo", "up")
	return name
}

// vethPair creates a veth pair a <-> b inside namespace ns, both up, with the given MAC on a.
func vethPair(t *testing.T, ns, a, b, macA string) {
	t.Helper()
	run(t, "ip", "-n", ns, "link", "add", a, "address", macA, "type", "veth", "peer", "name", b)
	run(t, "ip", "-n", ns, "link", "set", a, "up")
	run(t, "ip", "-n", ns, "link", "set", b, "up")
}

// inNetns runs fn on an OS thread switched into namespace ns. The thread is dropped if it
// cannot be switched back, so no other goroutine ever runs in the wrong namespace.
func inNetns(ns string, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- err
			return
		}
		defer unix.Close(orig)
		target, err := unix.Open("/run/netns/"+ns, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- err
			return
		}
		defer unix.Close(target)
		if err := unix.Setns(target, unix.CLONE_NEWNET); err != nil {
			errc <- err
			return
		}
		errc <- fn()
		if unix.Setns(orig, unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
	}()
	return <-errc
}

// rawSender is a Sender over an AF_PACKET socket opened inside a namespace on one interface.
type rawSender struct {
	fd      int
	ifindex int
}

func newRawSender(t *testing.T, ns, ifname string) *rawSender {
	t.Helper()
	s := &rawSender{fd: -1}
	err := inNetns(ns, func() error {
		ifi, err := net.InterfaceByName(ifname)
		if err != nil {
			return err
		}
		s.ifindex = ifi.Index
		// Protocol 0: the socket sends only and never receives.
		s.fd, err = unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
		return err
	})
	if err != nil {
		t.Fatalf("raw socket in %s: %v", ns, err)
	}
	t.Cleanup(func() { unix.Close(s.fd) })
	return s
}

func (s *rawSender) Send(_ string, frame []byte) error {
	return unix.Sendto(s.fd, frame, 0, &unix.SockaddrLinklayer{Ifindex: s.ifindex, Halen: 6})
}
