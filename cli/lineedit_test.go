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
	keys    *io.PipeReader
	kw      *io.PipeWriter
	mu      sync.Mutex
	out     strings.Builder
	w, h    int
	seen    int
	scr     string // screen() of the first cleaned bytes of out
	cleaned int
	// wrote is signalled after each write, so expect waits for output
	// instead of polling on a clock.
	wrote chan struct{}
}

func newPipeTerm() *pipeTerm {
	r, w := io.Pipe()
	return &pipeTerm{keys: r, kw: w, w: 80, h: 10, wrote: make(chan struct{}, 1)}
}

// expectTimeout bounds a wait for the screen. It is long because a loaded
// machine can be slow; a test that passes does not wait for it.
const expectTimeout = 60 * time.Second

func (p *pipeTerm) Read(b []byte) (int, error) { return p.keys.Read(b) }
func (p *pipeTerm) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case p.wrote <- struct{}{}:
	default:
	}
	return p.out.Write(b)
}

// written is how many bytes the session has written so far.
func (p *pipeTerm) written() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Len()
}
func (p *pipeTerm) Size() (int, int) { return p.w, p.h }

var ansiRE = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

// screen returns the output so far without escape sequences and CRs.
func (p *pipeTerm) screen() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	// The cleaned screen is cached: tests wait on it after every write, and
	// cleaning the whole output each time made a long line quadratic.
	if p.cleaned != p.out.Len() {
		p.scr = cleanScreen(p.out.String())
		p.cleaned = p.out.Len()
	}
	return p.scr
}

func cleanScreen(s string) string {
	// " \b" is the editor's guard against a cursor left at the right edge.
	s = strings.ReplaceAll(s, " \b", "")
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
	if !p.waitFor(func(scr string) bool {
		if i := strings.Index(scr[p.seen:], want); i >= 0 {
			p.seen += i + len(want)
			return true
		}
		return false
	}) {
		t.Fatalf("screen never showed %q in %v; screen after the last match:\n%s", want, expectTimeout, p.screen()[p.seen:])
	}
}

// waitFor waits until done is true of the screen, or expectTimeout passes.
func (p *pipeTerm) waitFor(done func(screen string) bool) bool {
	timeout := time.NewTimer(expectTimeout)
	defer timeout.Stop()
	for {
		if done(p.screen()) {
			return true
		}
		select {
		case <-p.wrote:
		case <-timeout.C:
			return done(p.screen())
		}
	}
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
	if !term.waitFor(func(string) bool { return strings.Contains(term.raw(), "\a") }) {
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
	case <-time.After(30 * time.Second):
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
	case <-time.After(30 * time.Second):
		t.Fatal("session did not end when the connection closed")
	}
}

func TestInputFloodBounded(t *testing.T) {
	q := newInputQueue()
	// Short lines: a long one would be cut before it took queue space.
	chunk := []byte(strings.Repeat("show ver\r", 4096/9+1)[:4096])
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

// A line longer than a command may be is refused, never run cut short, and
// refused at once: the editor neither echoes nor redraws what comes past the
// limit, so a pasted megabyte costs the terminal about one line of output.
func TestInteractiveLongLineRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int
	}{
		{"just over", MaxLineLength},
		{"1 MB", 1 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestShell(t)
			s := NewSession(ts.env, 15)
			term := newPipeTerm()
			go s.RunInteractive(term)
			term.expect(t, "Switch#")
			term.typeKeys(t, "conf t\r")
			term.expect(t, "Switch(config)#")
			before := term.written()
			// The long line and the next one come in one paste.
			go term.kw.Write([]byte("hostname " + strings.Repeat("x", tc.size) + "\rhostname ok\r"))
			term.expect(t, "% Input line too long (more than 4096 characters).")
			term.expect(t, "ok(config)#")
			if ts.hostname != "ok" {
				t.Errorf("hostname = %q", ts.hostname)
			}
			if n := strings.Count(term.screen(), "Input line too long"); n != 1 {
				t.Errorf("the refusal was said %d times", n)
			}
			// Echo of the limit's 4096 characters, the refusal, one redraw
			// at most, and the next prompt.
			t.Logf("%d bytes written", term.written()-before)
			if n, bound := term.written()-before, 3*MaxLineLength; n > bound {
				t.Errorf("the session wrote %d bytes for a %d-byte line (bound %d)", n, tc.size, bound)
			}
		})
	}
}

// A line cut by the input queue (past lineCap, with editing keys that kept
// the editor's line short) is refused too, never run with what arrived.
func TestInputQueueCutsLongLine(t *testing.T) {
	q := newInputQueue()
	long := strings.Repeat("a\x7f", lineCap) // 2 x lineCap bytes, an empty line
	q.push([]byte(long + "\rnext\r"))
	got := string(q.buf)
	if want := long[:lineCap] + string(rune(lineCutMark)) + "\rnext\r"; got != want {
		t.Fatalf("queue holds %d bytes ending %q, want %d ending %q", len(got), got[max(0, len(got)-12):], len(want), want[len(want)-12:])
	}
	q.buf = nil
	q.push([]byte("ab\x1ccd")) // a typed Ctrl-\ is not a cut
	if string(q.buf) != "abcd" {
		t.Fatalf("queue holds %q", q.buf)
	}
	q.buf = []byte("rest of line\r\nshow\r")
	q.discardLine()
	if string(q.buf) != "show\r" {
		t.Fatalf("after discardLine the queue holds %q", q.buf)
	}
	q.buf = nil
	q.discardLine() // Enter not typed yet: the keys still to come go
	q.push([]byte("more\r\nshow ver\r"))
	if string(q.buf) != "show ver\r" {
		t.Fatalf("after discardLine the queue holds %q", q.buf)
	}
}
