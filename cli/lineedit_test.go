package cli

import (
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// pipeTerm is a Terminal whose keys the test types and whose screen it reads.
type pipeTerm struct {
	keys *io.PipeReader
	kw   *io.PipeWriter
	mu   sync.Mutex
	out  strings.Builder
	w, h int
	seen int
}

func newPipeTerm() *pipeTerm {
	r, w := io.Pipe()
	return &pipeTerm{keys: r, kw: w, w: 80, h: 10}
}

func (p *pipeTerm) Read(b []byte) (int, error) { return p.keys.Read(b) }
func (p *pipeTerm) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Write(b)
}
func (p *pipeTerm) Size() (int, int) { return p.w, p.h }

var ansiRE = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

// screen returns the output so far without escape sequences and CRs.
func (p *pipeTerm) screen() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	// " \b" is the editor's guard against a cursor left at the right edge.
	s := strings.ReplaceAll(p.out.String(), " \b", "")
	return strings.ReplaceAll(ansiRE.ReplaceAllString(s, ""), "\r", "")
}

func (p *pipeTerm) raw() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

func (p *pipeTerm) typeKeys(t *testing.T, s string) {
	t.Helper()
	if _, err := p.kw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
}

// expect waits until want shows on the screen after what earlier calls
// matched, like expect(1).
func (p *pipeTerm) expect(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		scr := p.screen()
		if i := strings.Index(scr[p.seen:], want); i >= 0 {
			p.seen += i + len(want)
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("screen never showed %q; screen after the last match:\n%s", want, p.screen()[p.seen:])
}

func TestInteractiveKeys(t *testing.T) {
	ts := newTestShell(t)
	s := NewSession(ts.env, 15)
	term := newPipeTerm()
	done := make(chan error, 1)
	go func() { done <- s.RunInteractive(term) }()
	term.expect(t, "Switch#")

	// ? after a partial word lists the matches, then the line comes back.
	term.typeKeys(t, "sh?")
	term.expect(t, "Switch#sh?\nshow\n\nSwitch#sh")

	// ? after a space lists the children with their help.
	term.typeKeys(t, "ow ?")
	term.expect(t, "  version         System hardware and software status")
	term.typeKeys(t, "\x15") // Ctrl-U clears the line

	// TAB completes a unique keyword; an ambiguous one rings the bell.
	term.typeKeys(t, "conf\tt\r")
	term.expect(t, "Switch(config)#")
	term.typeKeys(t, "e\t")
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(term.raw(), "\a") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !strings.Contains(term.raw(), "\a") {
		t.Errorf("no bell for an ambiguous TAB")
	}
	term.typeKeys(t, "\x15")

	// Ctrl-Z runs the line and returns to exec mode.
	term.typeKeys(t, "hostname Edge\x1a")
	term.expect(t, "^Z")
	term.expect(t, "Edge#")
	if ts.hostname != "Edge" {
		t.Errorf("Ctrl-Z did not run the line (hostname %q)", ts.hostname)
	}

	// Ctrl-C in configuration mode leaves it too.
	term.typeKeys(t, "configure terminal\r")
	term.expect(t, "Edge(config)#")
	term.typeKeys(t, "interf\x03")
	term.expect(t, "^C")
	term.expect(t, "Edge#")

	// Invalid input: the caret lands under the wrong character of the echo.
	term.typeKeys(t, "show vlanx\r")
	term.expect(t, "show vlanx\n              ^\n% Invalid input detected at '^' marker.")

	// Output longer than the terminal stops at --More--; space continues.
	term.typeKeys(t, "show running-config\r")
	term.expect(t, "--More--")
	term.typeKeys(t, " ")
	term.expect(t, "end\n")

	// [confirm] takes one key.
	term.typeKeys(t, "reload\r")
	term.expect(t, "Proceed with reload? [confirm]")
	term.typeKeys(t, "n")
	term.expect(t, "confirmed=false")

	// The command history is kept without duplicates.
	if h := strings.Join(s.History(), ","); h != "configure t,hostname Edge,configure terminal,show vlanx,show running-config,reload" {
		t.Errorf("history = %s", h)
	}

	term.typeKeys(t, "exit\r")
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("session did not end on exit")
	}
}

func TestInteractiveHangup(t *testing.T) {
	ts := newTestShell(t)
	s := NewSession(ts.env, 15)
	term := newPipeTerm()
	done := make(chan error, 1)
	go func() { done <- s.RunInteractive(term) }()
	term.expect(t, "Switch#")
	term.typeKeys(t, "show ver")
	term.kw.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("session did not end when the connection closed")
	}
}

func TestInputFloodBounded(t *testing.T) {
	q := newInputQueue()
	chunk := make([]byte, 4096)
	for i := 0; i < 100; i++ {
		q.push(chunk)
	}
	if len(q.buf) > inputLimit {
		t.Fatalf("queue grew to %d bytes", len(q.buf))
	}
	if q.dropped != 100*4096-inputLimit {
		t.Fatalf("dropped = %d", q.dropped)
	}
}

// A line longer than a command may be is refused, never run cut short.
func TestInteractiveLongLineRefused(t *testing.T) {
	ts := newTestShell(t)
	s := NewSession(ts.env, 15)
	term := newPipeTerm()
	go s.RunInteractive(term)
	term.expect(t, "Switch#")
	term.typeKeys(t, "conf t\rhostname "+strings.Repeat("x", MaxLineLength)+"\r")
	term.expect(t, "% Input line too long (more than 4096 characters).")
	term.typeKeys(t, "hostname ok\r")
	term.expect(t, "ok(config)#")
	if ts.hostname != "ok" {
		t.Errorf("hostname = %q", ts.hostname)
	}
}
