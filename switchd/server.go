package switchd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/user"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/configstore"
	"github.com/lisa-go/lisa/localsock"
)

// ServeLocal accepts client tools on the local socket until the listener is
// closed.
func (s *Switch) ServeLocal(l net.Listener) error {
	for {
		c, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go s.handleLocal(c)
	}
}

// peerCred names the user at the other end of a unix socket and where they
// sit: the terminal of the client process ("pts/3"), else its pid.
func peerCred(c net.Conn) (who, where string) {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return "", ""
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return "", ""
	}
	var cred *unix.Ucred
	raw.Control(func(fd uintptr) {
		cred, _ = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	})
	if cred == nil {
		return "", ""
	}
	who = "uid" + strconv.Itoa(int(cred.Uid))
	if u, err := user.LookupId(strconv.Itoa(int(cred.Uid))); err == nil {
		who = u.Username
	}
	return who, processTerminal(int(cred.Pid))
}

// processTerminal is the terminal a process reads from, as who(1) names it
// ("pts/3"), or "pid N" when its input is not a terminal.
func processTerminal(pid int) string {
	if pid <= 0 {
		return ""
	}
	if t, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/0", pid)); err == nil && strings.HasPrefix(t, "/dev/") &&
		(strings.HasPrefix(t, "/dev/pts/") || strings.HasPrefix(t, "/dev/tty")) {
		return strings.TrimPrefix(t, "/dev/")
	}
	return "pid " + strconv.Itoa(pid)
}

// localConn is the daemon's side of a client connection.
type localConn struct {
	c  net.Conn
	wm sync.Mutex
}

func (lc *localConn) send(typ byte, p []byte) error {
	lc.wm.Lock()
	defer lc.wm.Unlock()
	return localsock.WriteFrame(lc.c, typ, p)
}

// frameWriter turns writes into frames of one type.
type frameWriter struct {
	lc  *localConn
	typ byte
}

func (w frameWriter) Write(p []byte) (int, error) {
	if err := w.lc.send(w.typ, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (s *Switch) handleLocal(c net.Conn) {
	defer c.Close()
	lc := &localConn{c: c}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	typ, p, err := localsock.ReadFrame(c, localsock.MaxPayload)
	if err != nil || typ != localsock.FrameHello {
		return
	}
	c.SetReadDeadline(time.Time{})
	var h localsock.Hello
	if err := json.Unmarshal(p, &h); err != nil {
		lc.send(localsock.FrameError, []byte("lisad: bad hello\n"))
		lc.send(localsock.FrameExit, localsock.ExitPayload(2))
		return
	}
	who, where := peerCred(c)
	code := 0
	switch h.Mode {
	case "interactive":
		code = s.runLocalInteractive(lc, h, who, where)
	case "batch":
		code = s.runLocalBatch(lc, h, who, where)
	case "load":
		code = s.runLocalLoad(lc, h)
	default:
		lc.send(localsock.FrameError, []byte(fmt.Sprintf("lisad: unknown mode %q\n", h.Mode)))
		code = 2
	}
	lc.send(localsock.FrameExit, localsock.ExitPayload(code))
}

// newConsoleLine registers a local session on the console line; where is
// the client's terminal, shown as its location.
func (s *Switch) newConsoleLine(who, where string, sess *cli.Session) *line {
	l := &line{kind: "con", door: "console", user: who, location: where, since: s.now(), sess: sess}
	sess.Info = l
	s.lines.add(l)
	return l
}

// localTerm is an interactive session's terminal over the local socket.
type localTerm struct {
	lc   *localConn
	in   *io.PipeReader
	mu   sync.Mutex
	w, h int
}

func (t *localTerm) Read(p []byte) (int, error) { return t.in.Read(p) }
func (t *localTerm) Write(p []byte) (int, error) {
	if err := t.lc.send(localsock.FrameOutput, p); err != nil {
		return 0, err
	}
	return len(p), nil
}
func (t *localTerm) Size() (int, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.w, t.h
}

// pump routes the client's frames: keystrokes to the session, sizes to Size.
func (t *localTerm) pump(out *io.PipeWriter) {
	defer out.Close()
	for {
		typ, p, err := localsock.ReadFrame(t.lc.c, 1<<20)
		if err != nil {
			return
		}
		switch typ {
		case localsock.FrameInput:
			if _, err := out.Write(p); err != nil {
				return
			}
		case localsock.FrameSize:
			if w, h, ok := localsock.ParseSize(p); ok {
				t.mu.Lock()
				t.w, t.h = w, h
				t.mu.Unlock()
			}
		}
	}
}

func (s *Switch) runLocalInteractive(lc *localConn, h localsock.Hello, who, where string) int {
	r, w := io.Pipe()
	term := &localTerm{lc: lc, in: r, w: h.Width, h: h.Height}
	go term.pump(w)
	sess := cli.NewSession(s.env, privMax)
	l := s.newConsoleLine(who, where, sess)
	l.monitor.Store(true) // the console shows log messages, as on IOS
	l.lastInput = sess.LastInput
	l.hangup = func() { lc.c.Close() }
	defer s.lines.remove(l)
	sess.RunInteractive(term)
	return 0
}

func (s *Switch) runLocalBatch(lc *localConn, h localsock.Hello, who, where string) int {
	cmds := h.Commands
	lines := make(chan string)
	done := make(chan struct{})
	defer close(done)
	if h.Stdin {
		go func() {
			defer close(lines)
			for {
				typ, p, err := localsock.ReadFrame(lc.c, 1<<20)
				if err != nil || typ == localsock.FrameEOF {
					return
				}
				if typ != localsock.FrameLine {
					continue
				}
				select {
				case lines <- string(p):
				case <-done: // the script ended early (exit)
					return
				}
			}
		}()
	} else {
		close(lines)
	}
	next := func() (string, bool) {
		if len(cmds) > 0 {
			c := cmds[0]
			cmds = cmds[1:]
			return c, true
		}
		l, ok := <-lines
		return l, ok
	}
	sess := cli.NewSession(s.env, privMax)
	l := s.newConsoleLine(who, where, sess)
	defer s.lines.remove(l)
	if sess.RunBatch(next, frameWriter{lc, localsock.FrameOutput}) > 0 {
		return 1
	}
	return 0
}

func (s *Switch) runLocalLoad(lc *localConn, h localsock.Hello) int {
	name, text := h.Name, h.Text
	if h.Startup {
		// This lisad's own startup-config, wherever its config dir is.
		t, present, err := s.store.ReadStartup()
		switch {
		case err != nil:
			lc.send(localsock.FrameError, []byte(fmt.Sprintf("%%Error opening %s: %s\n", s.store.StartupPath(), configstore.Reason(err))))
			return 1
		case !present:
			lc.send(localsock.FrameError, []byte(fmt.Sprintf("startup-config is not present (%s)\n", s.store.StartupPath())))
			return 1
		}
		name, text = configstore.StartupFile, t
	}
	if name == "" {
		name = "config"
	}
	// The VM ports' bookkeeping runs once for the whole file, not per line.
	env := *s.env
	env.AfterCommand = nil
	sess := cli.NewSession(&env, privMax)
	errs := sess.Replay(text)
	s.vmPortsChanged()
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "%s:%d: %s\n", name, e.Line, e.Message)
	}
	if b.Len() > 0 {
		lc.send(localsock.FrameError, []byte(b.String()))
		return 1
	}
	return 0
}
