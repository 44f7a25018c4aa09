package switchd

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/lisa-go/lisa/telnet"
)

func init() {
	// Failed logins are slowed down by a second; tests need not wait that.
	loginFailDelay = 20 * time.Millisecond
	negotiationTimeout = 300 * time.Millisecond
}

// startDoors opens the SSH and telnet doors of the rig's switch on loopback
// ports of the kernel's choosing.
func (r *rig) startDoors(sshOn, telnetOn bool) (sshAddr, telnetAddr string) {
	r.t.Helper()
	r.sw.ConfigureDoors(DoorSettings{
		SSHEnabled: sshOn, SSHListen: "127.0.0.1:0",
		TelnetEnabled: telnetOn, TelnetListen: "127.0.0.1:0",
		HostKeyPath: r.t.TempDir() + "/ssh_host_ed25519_key",
	})
	r.sw.StartDoors()
	r.t.Cleanup(r.sw.StopDoors)
	return r.sw.doorAddr("ssh"), r.sw.doorAddr("telnet")
}

// screenBuf collects what a terminal shows and waits for text in it.
type screenBuf struct {
	mu   sync.Mutex
	b    bytes.Buffer
	seen int
}

func (s *screenBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

var escRE = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

// text is the output without escape sequences, CRs and the editor's " \b".
func (s *screenBuf) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := strings.ReplaceAll(s.b.String(), " \b", "")
	return strings.ReplaceAll(escRE.ReplaceAllString(t, ""), "\r", "")
}

func (s *screenBuf) raw() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// expect waits until want shows after what the previous expect matched.
func (s *screenBuf) expect(t testing.TB, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		txt := s.text()
		if s.seen <= len(txt) {
			if i := strings.Index(txt[s.seen:], want); i >= 0 {
				s.seen += i + len(want)
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("never saw %q; screen:\n%s", want, s.text())
}

// sshShell is an interactive SSH session with a PTY.
type sshShell struct {
	client *ssh.Client
	sess   *ssh.Session
	in     io.WriteCloser
	out    *screenBuf
	done   chan error
}

func sshConfig(user string, auth ...ssh.AuthMethod) *ssh.ClientConfig {
	return &ssh.ClientConfig{User: user, Auth: auth, HostKeyCallback: ssh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second}
}

func dialSSH(t testing.TB, addr string, conf *ssh.ClientConfig) *ssh.Client {
	t.Helper()
	c, err := ssh.Dial("tcp", addr, conf)
	if err != nil {
		t.Fatalf("ssh %s@%s: %v", conf.User, addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// openShell starts a shell with a w x h PTY.
func openShell(t testing.TB, c *ssh.Client, w, h int) *sshShell {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	sh := &sshShell{client: c, sess: sess, out: &screenBuf{}, done: make(chan error, 1)}
	sess.Stdout, sess.Stderr = sh.out, sh.out
	if sh.in, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", h, w, ssh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { sh.done <- sess.Wait() }()
	return sh
}

func (sh *sshShell) typeKeys(t testing.TB, keys string) {
	t.Helper()
	if _, err := io.WriteString(sh.in, keys); err != nil {
		t.Fatalf("typing %q: %v", keys, err)
	}
}

// ended waits for the session to end and returns its exit status.
func (sh *sshShell) ended(t testing.TB) int {
	t.Helper()
	select {
	case err := <-sh.done:
		if err == nil {
			return 0
		}
		if ee, ok := err.(*ssh.ExitError); ok {
			return ee.ExitStatus()
		}
		return -1
	case <-time.After(10 * time.Second):
		t.Fatalf("the session did not end; screen:\n%s", sh.out.text())
		return -1
	}
}

// sshRun runs one command over SSH and returns its output and status.
func sshRun(t testing.TB, c *ssh.Client, cmd string) (string, int) {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	out, err := sess.CombinedOutput(cmd)
	if err == nil {
		return string(out), 0
	}
	if ee, ok := err.(*ssh.ExitError); ok {
		return string(out), ee.ExitStatus()
	}
	t.Fatalf("ssh %q: %v", cmd, err)
	return "", -1
}

func newUserKey(t testing.TB) (ssh.Signer, string) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	sp, _ := ssh.NewPublicKey(pub)
	return signer, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sp)))
}

// telnetClient is a small telnet client: it refuses every option the
// server offers except those a real client accepts (ECHO, SGA, NAWS with
// the given size) and collects the screen.
type telnetClient struct {
	c   net.Conn
	out *screenBuf
	w   sync.Mutex
}

func dialTelnet(t testing.TB, addr string, width, height int) *telnetClient {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	tc := &telnetClient{c: c, out: &screenBuf{}}
	go tc.read(width, height)
	return tc
}

func (tc *telnetClient) send(b []byte) {
	tc.w.Lock()
	defer tc.w.Unlock()
	tc.c.Write(b)
}

func (tc *telnetClient) read(width, height int) {
	buf := make([]byte, 4096)
	var state int
	var cmd byte
	for {
		n, err := tc.c.Read(buf)
		for _, b := range buf[:n] {
			switch state {
			case 0:
				if b == telnet.IAC {
					state = 1
					continue
				}
				if b != 0 {
					tc.out.Write([]byte{b})
				}
			case 1:
				switch b {
				case telnet.WILL, telnet.WONT, telnet.DO, telnet.DONT:
					cmd, state = b, 2
				case telnet.SB:
					state = 3
				case telnet.IAC:
					tc.out.Write([]byte{b})
					state = 0
				default:
					state = 0
				}
			case 2:
				state = 0
				switch {
				case cmd == telnet.WILL && (b == telnet.OptEcho || b == telnet.OptSGA):
					tc.send([]byte{telnet.IAC, telnet.DO, b})
				case cmd == telnet.DO && b == telnet.OptNAWS:
					tc.send([]byte{telnet.IAC, telnet.WILL, b})
					tc.send([]byte{telnet.IAC, telnet.SB, telnet.OptNAWS, byte(width >> 8), byte(width), byte(height >> 8), byte(height), telnet.IAC, telnet.SE})
				case cmd == telnet.WILL:
					tc.send([]byte{telnet.IAC, telnet.DONT, b})
				case cmd == telnet.DO:
					tc.send([]byte{telnet.IAC, telnet.WONT, b})
				}
			case 3:
				if b == telnet.IAC {
					state = 4
				}
			case 4:
				if b == telnet.SE {
					state = 0
				} else {
					state = 3
				}
			}
		}
		if err != nil {
			tc.out.Write([]byte("\n<closed>"))
			return
		}
	}
}

// typeKeys sends keys as a telnet client does: Enter as CR NUL.
func (tc *telnetClient) typeKeys(keys string) {
	tc.send([]byte(strings.ReplaceAll(keys, "\r", "\r\x00")))
}

// waitUntil polls cond for up to 5 seconds.
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
