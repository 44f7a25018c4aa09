package nstest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vishvananda/netns"
)

var seq atomic.Int64

// Prefix is the name prefix of everything this test binary creates.
var Prefix = "lt" + strconv.Itoa(os.Getpid()) + "-"

// RequireRoot skips the test unless it runs as root with the ip command.
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces (run the test binary with sudo)")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs the ip command (iproute2)")
	}
}

// NS is a named network namespace that exists until the test ends.
type NS struct {
	// Name is the namespace name for "ip netns exec" and "ip -n".
	Name string

	mu   sync.Mutex
	cmds []*exec.Cmd
}

// New creates a namespace named Prefix+<counter>-label with lo up. It is
// deleted when the test ends, after the processes started with Start are
// killed.
func New(t testing.TB, label string) *NS {
	t.Helper()
	RequireRoot(t)
	n := &NS{Name: fmt.Sprintf("%s%d-%s", Prefix, seq.Add(1), label)}
	if out, err := exec.Command("ip", "netns", "add", n.Name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v: %s", n.Name, err, out)
	}
	t.Cleanup(func() { n.destroy(t) })
	n.MustRun(t, "ip", "link", "set", "lo", "up")
	return n
}

// DisableIPv6 turns IPv6 off in the namespace, for its present and future
// interfaces: the kernel then sends no MLD reports, router or neighbour
// solicitations of its own on them, frames a test did not send.
func (n *NS) DisableIPv6(t testing.TB) {
	t.Helper()
	n.MustRun(t, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
}

func (n *NS) destroy(t testing.TB) {
	n.mu.Lock()
	cmds := n.cmds
	n.cmds = nil
	n.mu.Unlock()
	for _, c := range cmds {
		stop(c)
	}
	// Anything else still running in the namespace was started by this
	// test (through Run or the code under test): end it by pid.
	if out, err := exec.Command("ip", "netns", "pids", n.Name).Output(); err == nil {
		for _, f := range strings.Fields(string(out)) {
			if pid, err := strconv.Atoi(f); err == nil && pid != os.Getpid() {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	}
	if out, err := exec.Command("ip", "netns", "del", n.Name).CombinedOutput(); err != nil {
		t.Errorf("ip netns del %s: %v: %s", n.Name, err, out)
	}
}

func stop(c *exec.Cmd) {
	if c.Process == nil || c.ProcessState != nil {
		return
	}
	c.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { c.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		c.Process.Kill()
		<-done
	}
}

// Command returns a command that runs inside the namespace.
func (n *NS) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", n.Name, name}, args...)...)
}

// Run runs a command inside the namespace and returns its combined output.
func (n *NS) Run(name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := n.Command(ctx, name, args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s in %s: %w: %s", name, strings.Join(args, " "), n.Name, err, bytes.TrimSpace(out))
	}
	return string(out), nil
}

// MustRun is Run that fails the test on error.
func (n *NS) MustRun(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := n.Run(name, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Start starts a background command inside the namespace; it is stopped
// (SIGTERM, then SIGKILL) when the test ends. Its output goes to the
// returned buffer.
func (n *NS) Start(t testing.TB, name string, args ...string) (*exec.Cmd, *SafeBuffer) {
	t.Helper()
	c := n.Command(context.Background(), name, args...)
	buf := &SafeBuffer{}
	c.Stdout, c.Stderr = buf, buf
	if err := c.Start(); err != nil {
		t.Fatalf("start %s in %s: %v", name, n.Name, err)
	}
	n.mu.Lock()
	n.cmds = append(n.cmds, c)
	n.mu.Unlock()
	return c, buf
}

// Stop ends a command from Start now and waits for it.
func Stop(c *exec.Cmd) { stop(c) }

// Do runs fn on a locked OS thread inside the namespace and switches back.
func (n *NS) Do(fn func() error) error {
	runtime.LockOSThread()
	orig, err := netns.Get()
	if err != nil {
		runtime.UnlockOSThread()
		return err
	}
	defer orig.Close()
	target, err := netns.GetFromName(n.Name)
	if err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("open namespace %s: %w", n.Name, err)
	}
	defer target.Close()
	if err := netns.Set(target); err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("enter namespace %s: %w", n.Name, err)
	}
	ferr := fn()
	if err := netns.Set(orig); err != nil {
		// Keep the thread locked: it dies with the goroutine rather than
		// running other code in the wrong namespace.
		return errors.Join(ferr, fmt.Errorf("leave namespace %s: %w", n.Name, err))
	}
	runtime.UnlockOSThread()
	return ferr
}

// Veth creates a veth pair with end aName in a and end bName in b, both up.
func Veth(t testing.TB, a *NS, aName string, b *NS, bName string) {
	t.Helper()
	a.MustRun(t, "ip", "link", "add", aName, "type", "veth", "peer", "name", bName, "netns", b.Name)
	a.MustRun(t, "ip", "link", "set", aName, "up")
	b.MustRun(t, "ip", "link", "set", bName, "up")
}

// SafeBuffer is a bytes.Buffer safe for a writing process and a reading test.
type SafeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SafeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SafeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
