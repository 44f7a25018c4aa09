package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// MaxLineLength is the longest command line accepted, in bytes.
const MaxLineLength = 4096

// ErrClosed is returned when the user's connection went away.
var ErrClosed = errors.New("session closed")

// Env connects sessions to the application that owns the commands.
type Env struct {
	// Interp holds the grammar.
	Interp *Interpreter
	// Exec is the mode sessions start in; Config is where unindented lines of
	// a replayed configuration run.
	Exec, Config *Mode
	// Hostname gives the first part of the prompt.
	Hostname func() string
	// Lock is held while a command runs (except Unlocked ones), so commands
	// of all sessions apply one at a time.
	Lock sync.Locker
	// Logger receives internal errors (recovered panics).
	Logger *slog.Logger
	// AfterCommand, if set, is called after every executed command, with the
	// lock released.
	AfterCommand func(s *Session, line string, m *Match, err error)
	// ModeChanged, if set, is called when a session changes mode.
	ModeChanged func(s *Session, from, to *Mode)
}

// Session is one user's conversation with the interpreter: its mode, privilege
// level, history and terminal settings.
type Session struct {
	env  *Env
	io   sessionIO
	ioMu sync.Mutex // guards io against Notify from other goroutines

	// Level is the privilege level (1 = user exec, 15 = everything).
	Level int
	mode  *Mode
	state any
	class uint32

	// Info is the application's data about the session (line, user, door).
	Info any

	// Length is the terminal length for paging; 0 disables paging. Negative
	// means "the terminal's height".
	Length int
	// HistorySize bounds the history kept (IOS `terminal history size`).
	HistorySize int
	history     []string

	closing      bool
	failed       int
	lastMatchErr *MatchError
	started      time.Time
}

// NewSession creates a session at a privilege level in the exec mode.
func NewSession(env *Env, level int) *Session {
	if env.Logger == nil {
		env.Logger = slog.New(slog.DiscardHandler)
	}
	if env.Lock == nil {
		env.Lock = &sync.Mutex{}
	}
	return &Session{env: env, Level: level, mode: env.Exec, Length: -1, HistorySize: 10, started: time.Now()}
}

// LastInput is when the user last typed; for sessions without a terminal,
// when the session started. It may be called from any goroutine.
func (s *Session) LastInput() time.Time {
	s.ioMu.Lock()
	t, ok := s.io.(*termIO)
	s.ioMu.Unlock()
	if ok {
		return t.q.lastInput()
	}
	return s.started
}

// InputIdle reports how long the user of an interactive session has not
// typed; ok is false for sessions without a terminal (scripts, replays). It
// may be called from any goroutine.
func (s *Session) InputIdle(now time.Time) (idle time.Duration, ok bool) {
	s.ioMu.Lock()
	t, isTerm := s.io.(*termIO)
	s.ioMu.Unlock()
	if !isTerm {
		return 0, false
	}
	return now.Sub(t.q.lastInput()), true
}

// Hangup ends an interactive session from another goroutine (clear line,
// exec-timeout) as if the user's connection had closed: a command waiting
// for the user gets ErrClosed and RunInteractive returns. It reports whether
// the session had a terminal to hang up.
func (s *Session) Hangup() bool {
	s.ioMu.Lock()
	t, isTerm := s.io.(*termIO)
	s.ioMu.Unlock()
	if !isTerm {
		return false
	}
	t.q.close()
	return true
}

// Mode returns the current mode.
func (s *Session) Mode() *Mode { return s.mode }

// State returns what the handler that entered the mode stored (for example the
// interfaces being configured).
func (s *Session) State() any { return s.state }

// Class returns the command class of the current mode.
func (s *Session) Class() uint32 { return s.class }

// SetMode moves the session to a mode with its state and command class.
func (s *Session) SetMode(m *Mode, state any, class uint32) {
	from := s.mode
	s.mode, s.state, s.class = m, state, class
	if from != m && s.env.ModeChanged != nil {
		s.env.ModeChanged(s, from, m)
	}
}

// Prompt is the IOS prompt: hostname, mode, '>' or '#'.
func (s *Session) Prompt() string {
	c := ">"
	if s.Level > 1 {
		c = "#"
	}
	host := "Switch"
	if s.env.Hostname != nil {
		host = s.env.Hostname()
	}
	if s.mode.PromptOf != nil {
		return host + s.mode.PromptOf(s.state) + c
	}
	return host + s.mode.Prompt + c
}

// History returns the command history, oldest first.
func (s *Session) History() []string { return append([]string(nil), s.history...) }

// Closing reports whether a command asked to end the session.
func (s *Session) Closing() bool { return s.closing }

// Failures counts the commands that failed in this session.
func (s *Session) Failures() int { return s.failed }

// Interactive reports whether a person is at a terminal.
func (s *Session) Interactive() bool { return s.io != nil && s.io.interactive() }

// TerminalSize returns the width and height of the user's terminal (0 if unknown).
func (s *Session) TerminalSize() (int, int) {
	if s.io == nil {
		return 0, 0
	}
	return s.io.size()
}

// Write sends text to the user outside of any command (banners, notices).
func (s *Session) Write(text string) {
	if s.io != nil {
		s.io.write(text)
	}
}

// Notify shows an asynchronous message (a log line) without disturbing the
// line being typed. It may be called from any goroutine.
func (s *Session) Notify(msg string) {
	s.ioMu.Lock()
	io := s.io
	s.ioMu.Unlock()
	if io != nil {
		io.notify(msg)
	}
}

func (s *Session) setIO(io sessionIO) {
	s.ioMu.Lock()
	s.io = io
	s.ioMu.Unlock()
}

func (s *Session) addHistory(line string) {
	if line == "" || len(s.history) > 0 && s.history[len(s.history)-1] == line {
		return
	}
	s.history = append(s.history, line)
	if max := s.HistorySize; max >= 0 && len(s.history) > max {
		s.history = s.history[len(s.history)-max:]
	}
}

// printable replaces control characters and invalid UTF-8 with '?', keeping
// the width so a caret under the line stays in place.
func printable(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 || r < 0x20 || r == 0x7f {
			b.WriteByte('?')
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// checkLine rejects input the grammar must never see.
func checkLine(line string) *MatchError {
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		if r == utf8.RuneError && size <= 1 || r < 0x20 && r != '\t' || r == 0x7f {
			return &MatchError{Kind: ErrInvalid, Pos: i, Line: line}
		}
		i += size
	}
	return nil
}

// Execute runs one line in the session's current mode and prints its output.
// It reports whether the line succeeded.
func (s *Session) Execute(line string) bool {
	ok, _ := s.execute(line)
	if !ok {
		s.failed++
	}
	return ok
}

func (s *Session) execute(line string) (bool, *Match) {
	indent := 0
	if s.Interactive() {
		indent = len(s.Prompt())
	}
	if len(line) > MaxLineLength {
		s.io.write(fmt.Sprintf("%% Input line too long (more than %d characters).\n", MaxLineLength))
		return false, nil
	}
	if me := checkLine(line); me != nil {
		s.showMatchError(me, indent)
		return false, nil
	}
	if strings.TrimSpace(line) == "" {
		return true, nil
	}
	in := s.env.Interp
	f := filter{s.Level, s.class}
	m, me := in.resolve(s.mode, line, f)
	if me != nil {
		// IOS walkup: a line that is not a command of a sub-mode is tried in
		// the enclosing modes, and the session moves there if it matches.
		// If no mode takes it, the error shown is that of the mode that
		// understood most of the line (a global command with a typo
		// typed in interface mode gets its caret where IOS puts it).
		for up := s.mode.Parent; up != nil; up = up.Parent {
			um, ume := in.resolve(up, line, filter{s.Level, 0})
			if ume == nil && um != nil {
				s.SetMode(up, nil, 0)
				m, me = um, nil
				break
			}
			if ume != nil && ume.progress() > me.progress() {
				me = ume
			}
		}
	}
	if me != nil {
		s.showMatchError(me, indent)
		return false, nil
	}
	if m == nil {
		return true, nil
	}
	err := s.run(line, m)
	if s.env.AfterCommand != nil {
		s.env.AfterCommand(s, line, m, err)
	}
	return err == nil, m
}

func (s *Session) showMatchError(me *MatchError, indent int) {
	s.lastMatchErr = me
	if !s.Interactive() && me.Kind == ErrInvalid {
		// Without a screen the line is echoed above the caret; a line
		// rejected for its control characters must not reach the terminal
		// raw (an escape sequence would act on it).
		s.io.write(printable(me.Line) + "\n")
	}
	s.io.write(me.Render(indent))
}

// run executes a matched command with the lock, panic recovery, output
// modifiers and paging.
func (s *Session) run(line string, m *Match) (err error) {
	c := &Ctx{S: s, Line: line}
	if !m.Cmd.Unlocked {
		s.env.Lock.Lock()
		c.locked = true
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				s.env.Logger.Error("command panicked", "line", line, "panic", r, "stack", string(debug.Stack()))
				err = errInternal
			}
		}()
		if around := s.mode.Around; around != nil && !m.Jumped {
			err = around(c, m.Cmd, func() error { return m.Cmd.Run(c, m.Args) })
			return
		}
		err = m.Cmd.Run(c, m.Args)
	}()
	if c.locked {
		c.locked = false
		s.env.Lock.Unlock()
	}
	out := c.out.String()
	if err != nil {
		msg := err.Error()
		if !strings.HasSuffix(msg, "\n") {
			msg += "\n"
		}
		out += msg
	}
	if m.Pipe != nil {
		out = m.Pipe.Apply(out)
	}
	s.page(out)
	return err
}

var errInternal = errors.New("% Internal error")

// errNoAnswer ends a command whose question a script did not answer.
var errNoAnswer = errors.New("% No answer (end of input): nothing done")

// page prints output, stopping at each screenful with --More-- when the
// session is interactive and paging is on.
func (s *Session) page(out string) {
	if out == "" {
		return
	}
	length := s.Length
	w, h := s.io.size()
	if length < 0 {
		length = h
		if length <= 0 {
			length = 24
		}
	}
	if !s.io.interactive() || length <= 1 {
		s.io.write(out)
		return
	}
	lines := strings.SplitAfter(out, "\n")
	rows := 0
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		n := 1
		if w > 0 && len(l) > w+1 {
			n = (len(strings.TrimRight(l, "\n")) + w - 1) / w
		}
		if rows+n > length-1 && rows > 0 {
			key, err := s.io.more()
			if err != nil {
				return
			}
			switch key {
			case ' ':
				rows = 0
			case '\r', '\n':
				rows = length - 2
			default:
				return
			}
		}
		s.io.write(l)
		rows += n
	}
}

// Ctx is what a handler gets: the session, an output buffer and prompts.
type Ctx struct {
	S      *Session
	Line   string
	out    strings.Builder
	locked bool
}

// Printf appends formatted text to the command's output.
func (c *Ctx) Printf(format string, a ...any) { fmt.Fprintf(&c.out, format, a...) }

// Print appends text to the command's output.
func (c *Ctx) Print(a ...any) { fmt.Fprint(&c.out, a...) }

// Write makes Ctx an io.Writer for the command's output.
func (c *Ctx) Write(p []byte) (int, error) { return c.out.Write(p) }

// Close ends the session once the command returns (exit, logout).
func (c *Ctx) Close() { c.S.closing = true }

// flush shows the output so far, before a prompt.
func (c *Ctx) flush() {
	if c.out.Len() > 0 {
		c.S.io.write(c.out.String())
		c.out.Reset()
	}
}

// Flush shows the output so far, for commands that report as they go
// (ping's !!!!!).
func (c *Ctx) Flush() { c.flush() }

// withoutLock runs f with the command lock released, so a session waiting
// for its user (or for a terminal slow to take its output) never blocks the
// others. State read before must be read again.
func (c *Ctx) withoutLock(f func()) {
	if c.locked {
		c.S.env.Lock.Unlock()
		defer c.S.env.Lock.Lock()
	}
	f()
}

// Confirm prints prompt (e.g. "Proceed with reload? [confirm]") and reads one
// key: Enter, y or Y confirm.
func (c *Ctx) Confirm(prompt string) (bool, error) {
	var yes bool
	var err error
	c.withoutLock(func() { c.flush(); yes, err = c.S.io.confirm(prompt) })
	return yes, err
}

// Ask prints prompt and reads a line with echo.
func (c *Ctx) Ask(prompt string) (string, error) {
	var line string
	var err error
	c.withoutLock(func() { c.flush(); line, err = c.S.io.readLine(prompt, true) })
	return line, err
}

// ReadText reads one more line of input, exactly as given, for commands
// that take text over several lines (banner motd). At a terminal it is
// echoed after prompt; a script gives its next line; a replayed
// configuration gives its next line, which the replay then skips.
func (c *Ctx) ReadText(prompt string) (string, error) {
	var line string
	var err error
	c.withoutLock(func() { c.flush(); line, err = c.S.io.readText(prompt) })
	return line, err
}

// AskSecret prints prompt and reads a line without echo (passwords).
func (c *Ctx) AskSecret(prompt string) (string, error) {
	var line string
	var err error
	c.withoutLock(func() { c.flush(); line, err = c.S.io.readLine(prompt, false) })
	return line, err
}

// sessionIO is how a session reaches its user: a terminal with a line editor,
// or a batch of lines.
type sessionIO interface {
	interactive() bool
	write(s string)
	notify(s string)
	size() (w, h int)
	more() (byte, error)
	confirm(prompt string) (bool, error)
	readLine(prompt string, echo bool) (string, error)
	readText(prompt string) (string, error)
}

// batchIO runs lines from a script: output goes to a writer and prompts take
// the next line of the script as their answer.
type batchIO struct {
	w    io.Writer
	next func() (string, bool)
	// text, if set, gives the lines ReadText reads (a replay's following
	// lines); otherwise ReadText takes them from next.
	text func() (string, bool)
	mu   sync.Mutex
}

func (b *batchIO) interactive() bool { return false }
func (b *batchIO) write(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	io.WriteString(b.w, s)
}
func (b *batchIO) notify(s string)     { b.write(s) }
func (b *batchIO) size() (int, int)    { return 0, 0 }
func (b *batchIO) more() (byte, error) { return ' ', nil }
func (b *batchIO) confirm(prompt string) (bool, error) {
	b.write(prompt)
	line, ok := b.next()
	b.write("\n")
	if !ok {
		return false, errNoAnswer
	}
	l := strings.TrimSpace(strings.ToLower(line))
	return l == "" || l == "y" || l == "yes", nil
}
func (b *batchIO) readLine(prompt string, echo bool) (string, error) {
	b.write(prompt)
	line, ok := b.next()
	b.write("\n")
	if !ok {
		return "", errNoAnswer
	}
	return line, nil
}

func (b *batchIO) readText(prompt string) (string, error) {
	src := b.next
	if b.text != nil {
		src = b.text
	}
	line, ok := src()
	if !ok {
		return "", errNoAnswer
	}
	return line, nil
}

// RunBatch executes lines one by one, writing output to w, until next reports
// the end or a command closes the session. Prompts read their answer from the
// following line. A line ending in '?' ("show ?", "sh?") prints the help a
// terminal prints for it, as IOS answers help in scripts and exec requests;
// only help that finds nothing (% Unrecognized command) counts as a failure.
// It returns the number of failed lines.
func (s *Session) RunBatch(next func() (string, bool), w io.Writer) int {
	s.setIO(&batchIO{w: w, next: next})
	for !s.closing {
		line, ok := next()
		if !ok {
			break
		}
		if !s.batchHelp(line) {
			s.Execute(line)
		}
	}
	return s.failed
}

// batchHelp answers a line of a script that asks for help; it reports
// whether the line was one. A script cannot type `?` without sending it, so
// a line that is a command with its `?` ("description Who owns this?",
// "enable secret Pa55?": free text that ends in one) is run as written;
// only a line the `?` leaves incomplete or invalid asks for help.
func (s *Session) batchHelp(line string) bool {
	before, ok := strings.CutSuffix(strings.TrimRight(line, " \t"), "?")
	if !ok || len(line) > MaxLineLength || checkLine(line) != nil {
		return false
	}
	if m, _ := s.env.Interp.resolve(s.mode, line, filter{s.Level, s.class}); m != nil {
		return false
	}
	help := s.env.Interp.Help(s.mode, before, s.Level, s.class)
	if strings.HasPrefix(help, "%") {
		s.failed++
	}
	s.io.write(help)
	return true
}
