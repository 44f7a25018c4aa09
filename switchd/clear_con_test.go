package switchd

import (
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/cli"
)

// clear line console 0 clears the one other local shell, and refuses to
// guess when several are on con 0.
func TestClearLineConsoleIsNeverAGuess(t *testing.T) {
	r := newRig(t)
	start := func(where string) chan struct{} {
		sess := cli.NewSession(r.sw.env, privMax)
		l := r.sw.newConsoleLine("root", where, sess)
		t.Cleanup(func() { r.sw.lines.remove(l) })
		term := newPipeTerminal()
		done := make(chan struct{})
		go func() { sess.RunInteractive(term); close(done) }()
		term.out.expect(t, "Switch#")
		return done
	}
	first := start("pts/1")
	second := start("pts/4")
	// The caller is a script (swcli -c), also on con 0.
	caller := r.console()
	out := caller.Transcript([]string{"clear line console 0"})
	if !strings.Contains(out, "% 2 other sessions are on con 0 (pts/1, pts/4)") {
		t.Errorf("with two others:\n%s", out)
	}
	for _, done := range []chan struct{}{first, second} {
		select {
		case <-done:
			t.Fatal("a session was cleared while the choice was ambiguous")
		case <-time.After(20 * time.Millisecond):
		}
	}
	for _, l := range r.sw.lines.list() { // pts/1 leaves

		if l.location == "pts/1" {
			r.sw.lines.remove(l)
		}
	}
	if out := caller.Transcript([]string{"clear line 0"}, ""); !strings.Contains(out, "[OK]") {
		t.Errorf("with one other:\n%s", out)
	}
	select {
	case <-second:
	case <-time.After(30 * time.Second):
		t.Fatal("the one other session (pts/4) was not cleared")
	}
	for _, l := range r.sw.lines.list() { // its shell ended: pts/4 leaves, as in runLocalInteractive
		if l.location == "pts/4" {
			r.sw.lines.remove(l)
		}
	}
	if out := caller.Transcript([]string{"clear line 0"}, ""); !strings.Contains(out, "% No session but yours is on con 0") {
		t.Errorf("alone on con 0:\n%s", out)
	}
}
