package switchd

import (
	"errors"
	"io"
	"net"
	"os"
	"time"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/telnet"
)

// serveTelnet runs one telnet connection: it takes a vty, shows the banners,
// asks for the login the line wants (User Access Verification), then runs
// the shell.
func (s *Switch) serveTelnet(nc net.Conn) {
	l := &line{door: "telnet", location: hostOf(nc.RemoteAddr()), since: s.now()}
	l.hangup = func() { nc.Close() }

	r := s.remote
	release, ok := r.admitLogin()
	if !ok {
		s.log.Warn("telnet connection refused: too many logins in progress", "from", l.location)
		return
	}
	defer release()

	// Nothing here may wait for the client forever, and a client that
	// never reads must not block the door.
	nc.SetDeadline(time.Now().Add(loginTimeout + negotiationTimeout))
	tc, err := telnet.NewConn(nc, telnet.Config{})
	if err != nil {
		return
	}
	if err := tc.AwaitNegotiation(negotiationTimeout); err != nil {
		return
	}
	if err := s.reserveLine(l, transportTelnet); err != nil {
		s.log.Warn("telnet connection refused: "+err.Error(), "from", l.location)
		io.WriteString(tc, "\n"+refusalText(err, "telnet")+"\n\n")
		return
	}
	defer s.lines.remove(l)

	s.writeMOTD(tc)
	s.mu.Lock()
	loginBanner := s.remote.cfg.loginBanner
	s.mu.Unlock()
	if loginBanner != nil {
		io.WriteString(tc, loginBanner.text+"\n")
	}
	p := s.loginPolicyFor(l.idx)
	lr := &loginReader{c: tc}
	user, level, ok := s.telnetLogin(tc, lr, p)
	if !ok {
		return
	}
	nc.SetDeadline(time.Time{})
	release()
	s.loginSucceeded(user, nc.RemoteAddr(), nc.LocalAddr())
	sess := cli.NewSession(s.env, level)
	l.attach(sess, user)
	sess.RunInteractive(&telnetTerm{c: tc, pending: lr.rest()})
}

// telnetLogin asks for the password or the user name and password, three
// times at most, and returns who logged in at which level.
func (s *Switch) telnetLogin(tc *telnet.Conn, lr *loginReader, p loginPolicy) (user string, level int, ok bool) {
	remote, local := tc.RemoteAddr(), tc.LocalAddr()
	switch p.mode {
	case loginNone:
		return "", p.lineLevel(), true
	case loginLine:
		if p.password == nil {
			io.WriteString(tc, "\nPassword required, but none set\n\n")
			s.log.Warn("telnet login refused: the line has login but no password", "from", hostOf(remote))
			return "", 0, false
		}
	}
	io.WriteString(tc, "\nUser Access Verification\n\n")
	for try := 0; try < 3; try++ {
		name := ""
		if p.mode == loginLocal {
			var err error
			if name, err = lr.readLine("Username: ", true); err != nil {
				return "", 0, false
			}
		}
		pw, err := lr.readLine("Password: ", false)
		if err != nil {
			return "", 0, false
		}
		if p.mode == loginLocal {
			if level, ok := s.checkLocalUser(p, name, pw); ok {
				return name, level, true
			}
			s.loginFailed(name, remote, local, "Login Authentication Failed")
			io.WriteString(tc, "\n% Login invalid\n\n")
			continue
		}
		if s.checkLinePassword(p, pw) {
			return "", p.lineLevel(), true
		}
		s.loginFailed("", remote, local, "Login Authentication Failed")
	}
	if p.mode == loginLine {
		io.WriteString(tc, "% Bad passwords\n\n")
	}
	return "", 0, false
}

// loginReader reads the answers to the login prompts from a telnet
// connection, echoing the user name but not the password; what the user
// types ahead is kept for the shell.
type loginReader struct {
	c      *telnet.Conn
	buf    []byte
	lastCR bool
}

const maxLoginAnswer = 128

func (r *loginReader) readLine(prompt string, echo bool) (string, error) {
	// Each prompt has loginTimeout to be answered (and written).
	r.c.SetDeadline(time.Now().Add(loginTimeout))
	io.WriteString(r.c, prompt)
	var line []byte
	for {
		if len(r.buf) == 0 {
			chunk := make([]byte, 256)
			n, err := r.c.Read(chunk)
			r.buf = append(r.buf, chunk[:n]...)
			if err != nil && n == 0 {
				if errors.Is(err, os.ErrDeadlineExceeded) {
					r.c.SetWriteDeadline(time.Now().Add(time.Second))
					io.WriteString(r.c, "\n% "+prompt+" timeout expired!\n")
				}
				return "", err
			}
		}
		b := r.buf[0]
		r.buf = r.buf[1:]
		wasCR := r.lastCR
		r.lastCR = b == '\r'
		switch {
		case b == '\n' && wasCR:
			// the LF of a CR LF
		case b == '\r' || b == '\n':
			io.WriteString(r.c, "\n")
			return string(line), nil
		case b == 0x7f || b == '\b':
			if len(line) > 0 {
				line = line[:len(line)-1]
				if echo {
					io.WriteString(r.c, "\b \b")
				}
			}
		case b == 0x15 || b == 0x03: // Ctrl-U, Ctrl-C: start over
			if echo {
				for range line {
					io.WriteString(r.c, "\b \b")
				}
			}
			line = line[:0]
		case b >= 0x20 && b != 0x7f && len(line) < maxLoginAnswer:
			line = append(line, b)
			if echo {
				r.c.Write([]byte{b})
			}
		}
	}
}

// rest returns what was typed after the last answer.
func (r *loginReader) rest() []byte {
	if r.lastCR && len(r.buf) > 0 && r.buf[0] == '\n' {
		return r.buf[1:]
	}
	return r.buf
}

// telnetTerm is the shell's terminal on a telnet connection.
type telnetTerm struct {
	c       *telnet.Conn
	pending []byte
}

func (t *telnetTerm) Read(p []byte) (int, error) {
	if len(t.pending) > 0 {
		n := copy(p, t.pending)
		t.pending = t.pending[n:]
		return n, nil
	}
	return t.c.Read(p)
}

func (t *telnetTerm) Write(p []byte) (int, error) { return t.c.Write(p) }

func (t *telnetTerm) Size() (int, int) {
	sz := t.c.Size()
	return sz.Width, sz.Height
}
