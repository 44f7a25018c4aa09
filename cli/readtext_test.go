package cli

import (
	"strings"
	"testing"
	"time"
)

// textGrammar has a command that reads text until a line "." (like banner
// motd) and one that records single lines.
func textGrammar() (*Env, *[]string) {
	in := NewInterpreter()
	exec := in.NewMode("exec", "", nil, false)
	conf := in.NewMode("config", "(config)", nil, true)
	var got []string
	conf.Define(Command{Syntax: "text", Help: map[string]string{"text": "Enter text"}, Run: func(c *Ctx, a Args) error {
		var b []string
		for {
			l, err := c.ReadText("")
			if err != nil {
				return err
			}
			if l == "." {
				break
			}
			b = append(b, l)
		}
		got = append(got, "text:"+strings.Join(b, "|"))
		return nil
	}})
	conf.Define(Command{Syntax: "word WORD", Help: map[string]string{"word": "A word", "WORD": "Word"}, Run: func(c *Ctx, a Args) error {
		got = append(got, "word:"+a.Get("word"))
		return nil
	}})
	return &Env{Interp: in, Exec: exec, Config: conf}, &got
}

func TestReplayReadText(t *testing.T) {
	env, got := textGrammar()
	s := NewSession(env, 15)
	errs := s.Replay("word a\ntext\n line one\n!not a comment\nend\n.\nword b\nbogus\ntext\nunterminated\n")
	want := "word:a text: line one|!not a comment|end word:b"
	if g := strings.Join(*got, " "); g != want {
		t.Errorf("replay ran %q, want %q", g, want)
	}
	if len(errs) != 2 || errs[0].Line != 8 || errs[1].Line != 9 {
		t.Errorf("errors %+v: want line 8 (bogus) and line 9 (the unterminated text)", errs)
	}
}

func TestTranscriptReadText(t *testing.T) {
	env, got := textGrammar()
	s := NewSession(env, 15)
	s.SetMode(env.Config, nil, 0)
	out := s.Transcript([]string{"text"}, "x y", ".")
	if out != "Switch(config)#text\nx y\n.\n" || strings.Join(*got, " ") != "text:x y" {
		t.Errorf("screen %q, ran %q", out, *got)
	}
}

func TestHangupAndInputIdle(t *testing.T) {
	env, _ := textGrammar()
	s := NewSession(env, 15)
	if _, ok := s.InputIdle(time.Now()); ok {
		t.Error("a session without a terminal reports idle time")
	}
	if s.Hangup() {
		t.Error("Hangup of a session without a terminal")
	}
	term := newPipeTerm()
	done := make(chan struct{})
	go func() { s.RunInteractive(term); close(done) }()
	term.expect(t, "Switch#")
	if idle, ok := s.InputIdle(time.Now().Add(time.Minute)); !ok || idle < time.Minute {
		t.Errorf("InputIdle = %v, %v", idle, ok)
	}
	if !s.Hangup() {
		t.Error("Hangup of an interactive session reported false")
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("RunInteractive did not return after Hangup")
	}
}

// Keys typed ahead, past a command that reads text, reach that command:
// neither the editor's read buffer nor its cursor-position query takes them.
func TestTypeAheadReachesReadText(t *testing.T) {
	env, got := textGrammar()
	s := NewSession(env, 15)
	s.SetMode(env.Config, nil, 0)
	term := newPipeTerm()
	go s.RunInteractive(term)
	term.expect(t, "#")
	term.typeKeys(t, "word a\rtext\rhello\r.\rword b\r")
	term.expect(t, "hello")
	deadline := time.Now().Add(30 * time.Second)
	ran := func() string {
		// Commands run under the environment's lock.
		env.Lock.Lock()
		defer env.Lock.Unlock()
		return strings.Join(*got, " ")
	}
	for ran() != "word:a text:hello word:b" {
		if time.Now().After(deadline) {
			t.Fatalf("ran %q", ran())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A line cannot grow past MaxLineLength in the editor, however many keys
// arrive without Enter: the keys past it are dropped and the line is refused.
func TestEditorLineBounded(t *testing.T) {
	env, got := textGrammar()
	s := NewSession(env, 15)
	s.SetMode(env.Config, nil, 0)
	term := newPipeTerm()
	term.w = 100000 // no wrapping
	go s.RunInteractive(term)
	term.expect(t, "#")
	term.typeKeys(t, "word "+strings.Repeat("x", MaxLineLength+500)+"\rword ok\r")
	// Generous: the editor redraws after each of the 4,600 keys, which
	// takes seconds under the race detector on a loaded machine.
	deadline := time.Now().Add(30 * time.Second)
	for {
		env.Lock.Lock()
		g := append([]string(nil), *got...)
		env.Lock.Unlock()
		if len(g) == 1 {
			if g[0] != "word:ok" {
				t.Fatalf("ran %.30q: an overlong line must not run", g[0])
			}
			term.expect(t, "% Input line too long")
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ran %d commands", len(g))
		}
		time.Sleep(10 * time.Millisecond)
	}
}
