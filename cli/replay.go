package cli

import (
	"bytes"
	"fmt"
	"strings"
)

// ReplayError is a configuration line that failed during a replay.
type ReplayError struct {
	Line    int    // 1-based line number
	Text    string // the line as written
	Message string // what the command printed
}

// Replay runs a configuration text with the rules of a startup-config: blank
// lines and lines starting with '!' are skipped; an unindented line first
// returns to the configuration mode, then runs; an indented line runs in the
// sub-mode the previous unindented line opened; "end" stops. A failing line
// does not stop the replay. The session should be at level 15.
func (s *Session) Replay(text string) []ReplayError {
	var out bytes.Buffer
	lines := strings.Split(text, "\n")
	i := 0
	// A command that reads text over several lines (banner motd) takes the
	// lines that follow its own; the loop then goes on after them.
	following := func() (string, bool) {
		if i+1 >= len(lines) {
			return "", false
		}
		i++
		return strings.TrimRight(lines[i], "\r"), true
	}
	s.setIO(&batchIO{w: &out, next: func() (string, bool) { return "", false }, text: following})
	var errs []ReplayError
	blockFailed := false
	for ; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "!") {
			continue
		}
		indented := line[0] == ' ' || line[0] == '\t'
		if !indented {
			if trimmed == "end" {
				break
			}
			s.SetMode(s.env.Config, nil, 0)
		} else if blockFailed {
			errs = append(errs, ReplayError{Line: i + 1, Text: line, Message: "% Not applied: the line that opens this block failed"})
			continue
		}
		out.Reset()
		s.lastMatchErr = nil
		start := i
		ok := s.Execute(trimmed)
		if !indented {
			blockFailed = !ok
		}
		if !ok {
			msg := oneLine(out.String())
			if me := s.lastMatchErr; me != nil && me.Kind == ErrInvalid {
				// Without a screen there is no caret to look at: say where,
				// in the file's columns (1-based, indentation counted), and
				// quote the line as written.
				lead := max(strings.Index(line, trimmed), 0)
				msg = fmt.Sprintf("%% Invalid input detected at column %d: %q", lead+me.Pos+1, line)
			}
			errs = append(errs, ReplayError{Line: start + 1, Text: line, Message: msg})
		}
	}
	s.SetMode(s.env.Exec, nil, 0)
	return errs
}

// oneLine folds a multi-line message into one line.
func oneLine(msg string) string {
	parts := strings.Split(msg, "\n")
	var keep []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || p == "^" {
			continue
		}
		keep = append(keep, p)
	}
	return strings.Join(keep, " ")
}
