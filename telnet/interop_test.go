package telnet

import (
	"bytes"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestInteropTelnetClient drives the real telnet client (Debian's inetutils
// telnet) inside a tmux pane against a small echo server built on Conn: the
// window size must arrive by NAWS, typed keys must come back through the
// server's echo, and resizing the pane must send a new NAWS.
func TestInteropTelnetClient(t *testing.T) {
	if testing.Short() {
		t.Skip("starts tmux and telnet; skipped in -short mode")
	}
	for _, tool := range []string{"telnet", "tmux"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install inetutils-telnet tmux): %v", tool, err)
		}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	sizes := make(chan Size, 16)
	serverErr := make(chan error, 1)
	go func() { serverErr <- runEchoServer(ln, sizes) }()

	tm := newTmux(t, 100, 30, "telnet 127.0.0.1 "+strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))

	waitSize := func(want Size) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case s := <-sizes:
				if s == want {
					return
				}
				t.Logf("server saw window size %v, waiting for %v", s, want)
			case err := <-serverErr:
				t.Fatalf("server ended: %v\nscreen:\n%s", err, tm.capture())
			case <-deadline:
				t.Fatalf("no NAWS %v from the client\nscreen:\n%s", want, tm.capture())
			}
		}
	}
	waitSize(Size{100, 30})
	tm.waitFor("lisa>")

	tm.sendKeys("show vlan", "Enter")
	tm.waitFor("lisa> show vlan\n") // the server's echo of each key
	tm.waitFor("you said: [show vlan]")

	// Backspace arrives as DEL, as the line editor expects.
	tm.sendKeys("ab", "BSpace", "c", "Enter")
	tm.waitFor("you said: [ac]")

	tm.resize(120, 40)
	waitSize(Size{120, 40})
}

// runEchoServer serves one telnet client: it echoes each key, answers each
// line with "you said: [line]" and reports window sizes on sizes.
func runEchoServer(ln net.Listener, sizes chan<- Size) error {
	nc, err := ln.Accept()
	if err != nil {
		return err
	}
	c, err := NewConn(nc, Config{OnResize: func(s Size) { sizes <- s }})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.AwaitNegotiation(30 * time.Second); err != nil {
		return err
	}
	fmt.Fprintf(c, "LiSA-Go telnet test, terminal %q\nlisa> ", c.TerminalType())
	var line []byte
	buf := make([]byte, 256)
	for {
		n, err := c.Read(buf)
		if err != nil {
			return err
		}
		for _, b := range buf[:n] {
			switch b {
			case '\r':
				fmt.Fprintf(c, "\nyou said: [%s]\nlisa> ", line)
				line = line[:0]
			case 0x7f:
				if len(line) > 0 {
					line = line[:len(line)-1]
					c.Write([]byte("\b \b"))
				}
			default:
				line = append(line, b)
				c.Write([]byte{b})
			}
		}
	}
}

// tmux is one private tmux server running one session. Its socket lives in
// the test's temporary directory, so nothing is left behind.
type tmux struct {
	t      *testing.T
	socket string
}

func newTmux(t *testing.T, width, height int, command string) *tmux {
	tm := &tmux{t: t, socket: filepath.Join(t.TempDir(), "tmux.sock")}
	t.Cleanup(func() { exec.Command("tmux", "-S", tm.socket, "kill-server").Run() })
	tm.run("new-session", "-d", "-s", "main", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), command)
	return tm
}

func (tm *tmux) run(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (tm *tmux) capture() string {
	out, _ := exec.Command("tmux", "-S", tm.socket, "capture-pane", "-p", "-t", "main").CombinedOutput()
	return string(out)
}

func (tm *tmux) sendKeys(keys ...string) {
	tm.t.Helper()
	tm.run(append([]string{"send-keys", "-t", "main"}, keys...)...)
}

func (tm *tmux) resize(width, height int) {
	tm.t.Helper()
	tm.run("resize-window", "-t", "main", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height))
}

// waitFor waits until the screen shows text (lines joined with "\n", trailing
// blanks trimmed).
func (tm *tmux) waitFor(text string) {
	tm.t.Helper()
	var screen string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var lines []string
		for _, l := range strings.Split(tm.capture(), "\n") {
			lines = append(lines, strings.TrimRight(l, " "))
		}
		screen = strings.Join(lines, "\n")
		if strings.Contains(screen, text) {
			return
		}
	}
	tm.t.Fatalf("screen never showed %q:\n%s", text, bytes.TrimRight([]byte(screen), "\n"))
}
