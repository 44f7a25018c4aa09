package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/ergochat/readline"
)

// Terminal is an interactive byte stream to a person's terminal. The door
// (local socket, telnet, SSH) has already removed its own protocol.
type Terminal interface {
	io.Reader
	io.Writer
	// Size returns the terminal's width and height; 0 when unknown.
	Size() (width, height int)
}

// inputLimit bounds the keystrokes buffered for a session: a client that
// floods input loses the excess instead of growing the daemon's memory.
const inputLimit = 64 << 10

// lineCap is how many bytes one line (keys between two Enters) may bring
// into the queue. The editor refuses a line at MaxLineLength characters; the
// slack leaves room for editing keys. What comes past the cap is cut before
// it takes queue space, so the Enter that ends a pasted megabyte, and the
// lines after it, still arrive.
const lineCap = 2 * MaxLineLength

// lineCutMark stands in the queue where a line's rest was cut, so the editor
// refuses exactly that line. Ctrl-\ has no meaning in the IOS editor, and a
// typed one is removed, so the mark is never a key.
const lineCutMark = 0x1c

// inputQueue buffers a session's keystrokes. The line editor, the pager and
// the password prompt all read from it, so no reader steals another's keys.
type inputQueue struct {
	mu      sync.Mutex
	cond    *sync.Cond
	buf     []byte
	closed  bool
	dropped int
	touched time.Time

	lineBytes int  // bytes pushed since the last Enter
	cutting   bool // the current line passed lineCap: its rest is cut
	skipLine  bool // the editor refused the line: drop keys through its Enter
	dropLF    bool // skipLine ended on a CR: a LF right after it goes too
	cut       int  // bytes cut from over-long lines
}

func newInputQueue() *inputQueue {
	q := &inputQueue{touched: time.Now()}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *inputQueue) push(p []byte) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.touched = time.Now()
	p = q.cutLines(p)
	room := inputLimit - len(q.buf)
	if room < len(p) {
		q.dropped += len(p) - max(room, 0)
		p = p[:max(room, 0)]
	}
	q.buf = append(q.buf, p...)
	q.cond.Broadcast()
}

// cutLines returns p without the bytes of lines the session will refuse: past
// lineCap, and the rest of a line the editor already refused.
func (q *inputQueue) cutLines(p []byte) []byte {
	out := make([]byte, 0, len(p)+1)
	for _, c := range p {
		dropLF := q.dropLF
		q.dropLF = false
		switch {
		case c == '\n' && dropLF:
			// the LF of the refused line's CR LF
		case c == '\r' || c == '\n':
			if q.skipLine {
				q.dropLF = c == '\r'
			} else {
				out = append(out, c)
			}
			q.skipLine, q.cutting, q.lineBytes = false, false, 0
		case q.skipLine || q.cutting:
			q.cut++
		case c == lineCutMark:
			// A typed Ctrl-\ would read as a cut line.
		default:
			q.lineBytes++
			if q.lineBytes > lineCap {
				q.cutting = true
				q.cut++
				out = append(out, lineCutMark)
			} else {
				out = append(out, c)
			}
		}
	}
	return out
}

// discardLine drops the keys of the line being typed, through its Enter,
// whether they wait in the queue or are still to come.
func (q *inputQueue) discardLine() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, c := range q.buf {
		if c == '\r' || c == '\n' {
			q.cut += i
			if c == '\r' && i+1 < len(q.buf) && q.buf[i+1] == '\n' {
				i++
			}
			q.buf = q.buf[i+1:]
			return
		}
	}
	q.cut += len(q.buf)
	q.buf = nil
	q.skipLine = true
	q.cutting = false
}

// pushFront puts bytes ahead of the keys waiting (terminal answers).
func (q *inputQueue) pushFront(p []byte) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.buf = append(append([]byte(nil), p...), q.buf...)
	q.cond.Broadcast()
}

func (q *inputQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.cond.Broadcast()
	q.mu.Unlock()
}

func (q *inputQueue) isClosed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

// lastInput is when the user last typed something.
func (q *inputQueue) lastInput() time.Time {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.touched
}

// Read implements io.Reader for the line editor; it blocks until input.
// It hands out one byte at a time: the editor reads through a bufio.Reader,
// which would otherwise take keys typed ahead for a password or a banner
// prompt into its own buffer.
func (q *inputQueue) Read(p []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.buf) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), 1)], q.buf)
	q.buf = q.buf[n:]
	if len(q.buf) == 0 {
		q.buf = nil
	}
	return n, nil
}

// readByte returns the next keystroke, waiting at most d (0 = forever).
func (q *inputQueue) readByte(d time.Duration) (byte, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var timedOut bool
	if d > 0 {
		t := time.AfterFunc(d, func() {
			q.mu.Lock()
			timedOut = true
			q.cond.Broadcast()
			q.mu.Unlock()
		})
		defer t.Stop()
	}
	for len(q.buf) == 0 && !q.closed && !timedOut {
		q.cond.Wait()
	}
	if len(q.buf) == 0 {
		if timedOut {
			return 0, errTimeout
		}
		return 0, ErrClosed
	}
	b := q.buf[0]
	q.buf = q.buf[1:]
	return b, nil
}

// drainEscape discards the rest of an escape sequence already received.
func (q *inputQueue) drainEscape() {
	q.mu.Lock()
	defer q.mu.Unlock()
	i := 0
	for i < len(q.buf) && i < 8 {
		c := q.buf[i]
		i++
		if i > 1 && (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '~') {
			break
		}
	}
	q.buf = q.buf[i:]
}

var errTimeout = errors.New("timeout")

// termWriter is the session's output: it turns "\n" into "\r\n" for raw
// terminals, keeps track of the cursor column and answers the line editor's
// cursor-position queries itself, so a client that never answers them (a
// script behind telnet) cannot stall the editor.
type termWriter struct {
	mu     sync.Mutex
	w      io.Writer
	q      *inputQueue
	col    int
	lastCR bool
	buf    bytes.Buffer
	err    error
}

var dsrQuery = []byte("\x1b[6n")

func (t *termWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	if bytes.Contains(p, dsrQuery) {
		p = bytes.ReplaceAll(p, dsrQuery, nil)
		// The answer goes before keys already typed: the editor reads
		// until it has it, and would keep what it read on the way, out
		// of reach of a password or banner prompt that follows.
		t.q.pushFront(fmt.Appendf(nil, "\x1b[1;%dR", t.col+1))
	}
	t.buf.Reset()
	inEsc := false
	for _, c := range p {
		switch {
		case inEsc:
			t.buf.WriteByte(c)
			if c >= 0x40 && c <= 0x7e && c != '[' {
				inEsc = false
			}
			continue
		case c == 0x1b:
			inEsc = true
		case c == '\n':
			if !t.lastCR {
				t.buf.WriteByte('\r')
			}
			t.col = 0
		case c == '\r':
			t.col = 0
		case c == '\b':
			if t.col > 0 {
				t.col--
			}
		case c >= 0x20 && (c < 0x80 || c >= 0xc0):
			t.col++
		}
		t.lastCR = c == '\r'
		t.buf.WriteByte(c)
	}
	if t.err == nil {
		_, t.err = t.w.Write(t.buf.Bytes())
	}
	return n, t.err
}

// termIO is an interactive session's sessionIO: a readline instance over the
// session stream with IOS key bindings.
type termIO struct {
	s    *Session
	term Terminal
	q    *inputQueue
	w    *termWriter
	rl   *readline.Instance

	onResize func()
	lastW    int
	lastH    int

	// What the editor last showed, for Ctrl-Z.
	line  []rune
	pos   int
	ctrlZ bool
	// overflow: keys were dropped because the line reached MaxLineLength.
	overflow bool
	prompt   string
}

// readline keys this package gives IOS meanings to.
const (
	keyCtrlC = 3
	keyCtrlZ = 26
	keyEnter = 13
)

func newTermIO(s *Session, t Terminal) (*termIO, error) {
	e := &termIO{s: s, term: t, q: newInputQueue()}
	e.w = &termWriter{w: t, q: e.q}
	go e.pump()
	cfg := &readline.Config{
		Prompt:                 s.Prompt(),
		HistoryLimit:           256,
		DisableAutoSaveHistory: true,
		AutoComplete:           completer{e},
		Listener:               e.listen,
		FuncFilterInputRune:    e.filter,
		InterruptPrompt:        "^C",
		EOFPrompt:              "\n",
		Stdin:                  e.q,
		Stdout:                 e.w,
		Stderr:                 e.w,
		FuncIsTerminal:         func() bool { return true },
		FuncMakeRaw:            func() error { return nil },
		FuncExitRaw:            func() error { return nil },
		FuncGetSize:            e.size,
		FuncOnWidthChanged:     func(f func()) { e.onResize = f },
	}
	rl, err := readline.NewFromConfig(cfg)
	if err != nil {
		return nil, err
	}
	e.rl = rl
	return e, nil
}

// pump moves keystrokes from the terminal into the input queue.
func (e *termIO) pump() {
	buf := make([]byte, 4096)
	for {
		n, err := e.term.Read(buf)
		if n > 0 {
			e.q.push(buf[:n])
		}
		if err != nil {
			e.q.close()
			return
		}
	}
}

func (e *termIO) interactive() bool { return true }

func (e *termIO) size() (int, int) {
	w, h := e.term.Size()
	if w <= 0 {
		w = 80
	}
	if h <= 0 {
		h = 24
	}
	return w, h
}

func (e *termIO) write(s string)  { io.WriteString(e.w, s) }
func (e *termIO) notify(s string) { io.WriteString(e.rl.Stdout(), s) }
func (e *termIO) close()          { e.q.close(); e.rl.Close() }

// filter gives Ctrl-Z its IOS meaning: in configuration modes it ends the
// line like Enter, and the session then returns to exec mode.
func (e *termIO) filter(r rune) (rune, bool) {
	if r == lineCutMark || r >= ' ' && len(e.line) >= MaxLineLength {
		// The line cannot get longer than a command may be. It ends here,
		// is refused (never run cut short), and the rest of it is
		// dropped unseen: echoing or redrawing a pasted megabyte would
		// send the terminal thousands of times as much.
		e.overflow = true
		e.q.discardLine()
		return keyEnter, true
	}
	if r != keyCtrlZ {
		return r, true
	}
	if !e.s.mode.Config {
		return 0, false
	}
	e.ctrlZ = true
	if e.pos == len(e.line) {
		io.WriteString(e.w, "^Z")
	}
	return keyEnter, true
}

// listen answers `?` at any point of the line, IOS style: the line stays on
// screen with the `?`, the help follows, and the line is offered again
// without the `?`.
func (e *termIO) listen(line []rune, pos int, key rune) ([]rune, int, bool) {
	if key != '?' || pos == 0 || line[pos-1] != '?' {
		e.line, e.pos = line, pos
		return nil, 0, false
	}
	before := string(line[:pos-1])
	help := e.s.env.Interp.Help(e.s.mode, before, e.s.Level, e.s.class)
	// Writing through the editor erases the line, prints above it and redraws
	// it; so the text starts with the line as it was on screen.
	io.WriteString(e.rl.Stdout(), e.prompt+string(line)+"\n"+help)
	out := append(append([]rune{}, line[:pos-1]...), line[pos:]...)
	e.line, e.pos = out, pos-1
	return out, pos - 1, true
}

type completer struct{ e *termIO }

func (c completer) Do(line []rune, pos int) ([][]rune, int) {
	s := c.e.s
	insert, ok := s.env.Interp.Complete(s.mode, string(line[:pos]), s.Level, s.class)
	if !ok {
		return nil, 0
	}
	return [][]rune{[]rune(insert)}, 0
}

// lineEnd says how the user finished a line.
type lineEnd int

const (
	endEnter lineEnd = iota
	endCtrlZ
	endCtrlC
	endCtrlD
)

// readCommand shows the prompt and returns the line the user entered.
func (e *termIO) readCommand() (string, lineEnd, error) {
	if w, h := e.size(); (w != e.lastW || h != e.lastH) && e.onResize != nil {
		e.lastW, e.lastH = w, h
		e.onResize()
	}
	e.prompt = e.s.Prompt()
	e.rl.SetPrompt(e.prompt)
	e.ctrlZ, e.overflow, e.line, e.pos = false, false, nil, 0
	line, err := e.rl.ReadLine()
	switch {
	case errors.Is(err, readline.ErrInterrupt):
		return "", endCtrlC, nil
	case errors.Is(err, io.EOF):
		if e.q.isClosed() {
			return "", endEnter, ErrClosed
		}
		return "", endCtrlD, nil
	case err != nil:
		return "", endEnter, err
	case e.ctrlZ:
		return line, endCtrlZ, nil
	}
	return line, endEnter, nil
}

func (e *termIO) more() (byte, error) {
	io.WriteString(e.w, " --More-- ")
	b, err := e.q.readByte(0)
	io.WriteString(e.w, "\r          \r")
	if b == 0x1b {
		e.q.drainEscape()
	}
	return b, err
}

func (e *termIO) confirm(prompt string) (bool, error) {
	io.WriteString(e.w, prompt)
	b, err := e.q.readByte(0)
	if b == 0x1b {
		e.q.drainEscape()
	}
	io.WriteString(e.w, "\n")
	if err != nil {
		return false, err
	}
	return b == '\r' || b == '\n' || b == 'y' || b == 'Y', nil
}

// promptTimeout is how long a password or question waits for its answer.
const promptTimeout = 60 * time.Second

func (e *termIO) readLine(prompt string, echo bool) (string, error) {
	io.WriteString(e.w, prompt)
	var line []byte
	for {
		b, err := e.q.readByte(promptTimeout)
		if err != nil {
			io.WriteString(e.w, "\n")
			if errors.Is(err, errTimeout) {
				return "", fmt.Errorf("%% Timeout expired")
			}
			return "", err
		}
		switch {
		case b == '\r' || b == '\n':
			io.WriteString(e.w, "\n")
			return string(line), nil
		case b == keyCtrlC:
			io.WriteString(e.w, "\n")
			return "", errInterrupted
		case b == 0x7f || b == '\b':
			if len(line) > 0 {
				line = line[:len(line)-1]
				if echo {
					io.WriteString(e.w, "\b \b")
				}
			}
		case b == 0x15: // Ctrl-U
			if echo {
				io.WriteString(e.w, strings.Repeat("\b \b", len(line)))
			}
			line = line[:0]
		case b == 0x1b:
			e.q.drainEscape()
		case b >= 0x20 && len(line) < 256:
			line = append(line, b)
			if echo {
				e.w.Write([]byte{b})
			}
		}
	}
}

func (e *termIO) readText(prompt string) (string, error) { return e.readLine(prompt, true) }

var errInterrupted = errors.New("% Interrupted")

// RunInteractive runs the session on a terminal until the user leaves or the
// connection ends.
func (s *Session) RunInteractive(t Terminal) error {
	e, err := newTermIO(s, t)
	if err != nil {
		return err
	}
	defer e.close()
	s.setIO(e)
	for !s.closing {
		line, end, err := e.readCommand()
		if err != nil {
			return nil
		}
		switch end {
		case endCtrlC:
			if s.mode.Config {
				s.SetMode(s.env.Exec, nil, 0)
			}
			continue
		case endCtrlD:
			continue
		}
		if e.overflow {
			e.write(fmt.Sprintf("%% Input line too long (more than %d characters).\n", MaxLineLength))
			s.failed++
			continue
		}
		s.addHistory(strings.TrimSpace(line))
		if strings.TrimSpace(line) != "" {
			e.rl.SaveToHistory(line)
			s.Execute(line)
		}
		if end == endCtrlZ && s.mode.Config {
			s.SetMode(s.env.Exec, nil, 0)
		}
	}
	return nil
}
