package cli

import "strings"

// screenIO renders a session as a terminal shows it: each line after its
// prompt, `?` help after the line, no escape sequences. Prompts take their
// answers from a list.
type screenIO struct {
	b       strings.Builder
	answers []string
}

func (s *screenIO) interactive() bool   { return true }
func (s *screenIO) write(t string)      { s.b.WriteString(t) }
func (s *screenIO) notify(t string)     { s.b.WriteString(t) }
func (s *screenIO) size() (int, int)    { return 80, 0 }
func (s *screenIO) more() (byte, error) { return ' ', nil }

func (s *screenIO) answer() (string, bool) {
	if len(s.answers) == 0 {
		return "", false
	}
	a := s.answers[0]
	s.answers = s.answers[1:]
	return a, true
}

func (s *screenIO) confirm(p string) (bool, error) {
	s.b.WriteString(p + "\n")
	a, ok := s.answer()
	if !ok {
		return false, ErrClosed
	}
	return a == "" || a == "y", nil
}

func (s *screenIO) readLine(p string, echo bool) (string, error) {
	a, ok := s.answer()
	if echo {
		s.b.WriteString(p + a + "\n")
	} else {
		s.b.WriteString(p + "\n")
	}
	if !ok {
		return "", ErrClosed
	}
	return a, nil
}

func (s *screenIO) readText(p string) (string, error) { return s.readLine(p, true) }

// Transcript plays lines as if typed at a terminal and returns the screen:
// every line shown after its prompt, then its output. A line ending in '?'
// shows the help for what precedes the '?'. Prompts of commands (passwords,
// [confirm]) take their answers from answers, in order. It is how transcript
// tests check the exact text a user sees.
func (s *Session) Transcript(lines []string, answers ...string) string {
	return s.transcript(&screenIO{answers: answers}, lines)
}

func (s *Session) transcript(scr *screenIO, lines []string) string {
	s.setIO(scr)
	for _, l := range lines {
		if s.closing {
			break
		}
		prompt := s.Prompt()
		scr.b.WriteString(prompt + l + "\n")
		if before, ok := strings.CutSuffix(l, "?"); ok {
			scr.b.WriteString(s.env.Interp.Help(s.mode, before, s.Level, s.class))
			continue
		}
		s.addHistory(strings.TrimSpace(l))
		s.Execute(l)
	}
	out := scr.b.String()
	scr.b.Reset()
	return out
}
