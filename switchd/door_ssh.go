package switchd

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/lisa-go/lisa/cli"
)

// sshInfo is what show ssh tells about a connection.
type sshInfo struct {
	version  string
	cipherIn string
	macIn    string
	cipher   string
	mac      string
	state    string
}

// serveSSH runs one SSH connection: it takes a vty, authenticates the user
// as the line says, then runs one session (a shell, or one command).
func (s *Switch) serveSSH(nc net.Conn) {
	l := &line{door: "ssh", location: hostOf(nc.RemoteAddr()), since: s.now()}
	// Hanging up ends a shell the way exit does, so the client hears of it
	// properly; whatever else goes on loses its connection.
	l.hangup = func() {
		if sess := l.session(); sess != nil && sess.Hangup() {
			time.AfterFunc(2*time.Second, func() { nc.Close() })
			return
		}
		nc.Close()
	}

	r := s.remote
	release, ok := r.admitLogin()
	if !ok {
		s.log.Warn("SSH connection refused: too many logins in progress", "from", l.location)
		return
	}
	defer release()

	s.mu.Lock()
	timeout := time.Duration(r.cfg.sshTimeout) * time.Second
	retries := r.cfg.sshRetries
	hostKey := r.hostKey
	var loginBanner string
	if r.cfg.loginBanner != nil {
		loginBanner = r.cfg.loginBanner.text + "\n"
	}
	s.mu.Unlock()
	if hostKey == nil {
		return
	}
	nc.SetDeadline(time.Now().Add(timeout))
	if !s.reserveLine(l, transportSSH) {
		s.log.Warn("SSH connection refused: no free vty line accepts SSH", "from", l.location)
		s.refuseSSH(nc, hostKey, "% No free vty line accepts SSH\n")
		return
	}
	defer s.lines.remove(l)

	p := s.loginPolicyFor(l.idx)
	conf := &ssh.ServerConfig{
		ServerVersion: "SSH-2.0-LiSA-Go_" + sshVersionWord(Version),
		MaxAuthTries:  max(retries, 1),
	}
	if loginBanner != "" {
		conf.BannerCallback = func(ssh.ConnMetadata) string { return loginBanner }
	}
	conf.AddHostKey(hostKey)
	perms := func(user string, level int) *ssh.Permissions {
		return &ssh.Permissions{Extensions: map[string]string{"level": strconv.Itoa(level)}}
	}
	switch p.mode {
	case loginNone:
		conf.NoClientAuth = true
		conf.NoClientAuthCallback = func(c ssh.ConnMetadata) (*ssh.Permissions, error) {
			return perms(c.User(), p.lineLevel()), nil
		}
	case loginLine:
		conf.PasswordCallback = func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if p.password == nil {
				s.loginFailed(c.User(), c.RemoteAddr(), c.LocalAddr(), "No password set on the line")
				return nil, &ssh.BannerError{Err: errors.New("no line password"), Message: "Password required, but none set\n"}
			}
			if s.checkLinePassword(p, string(pw)) {
				return perms(c.User(), p.lineLevel()), nil
			}
			s.loginFailed(c.User(), c.RemoteAddr(), c.LocalAddr(), "Login Authentication Failed")
			return nil, errors.New("wrong password")
		}
	case loginLocal:
		conf.PasswordCallback = func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if level, ok := s.checkLocalUser(p, c.User(), string(pw)); ok {
				return perms(c.User(), level), nil
			}
			s.loginFailed(c.User(), c.RemoteAddr(), c.LocalAddr(), "Login Authentication Failed")
			return nil, errors.New("wrong user or password")
		}
	}
	if p.mode != loginNone {
		conf.PublicKeyCallback = func(c ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if s.userHasKey(c.User(), key) {
				return perms(c.User(), s.userLevel(p, c.User())), nil
			}
			return nil, errors.New("unknown key")
		}
	}

	sc, chans, reqs, err := ssh.NewServerConn(nc, conf)
	if err != nil {
		s.log.Info("SSH connection ended before a session", "from", l.location, "line", l.name(), "err", err)
		return
	}
	defer sc.Close()
	nc.SetDeadline(time.Time{})
	release()
	user := sc.User()
	level, _ := strconv.Atoi(sc.Permissions.Extensions["level"])
	s.loginSucceeded(user, nc.RemoteAddr(), nc.LocalAddr())
	info := &sshInfo{version: "2.0", state: "Session started"}
	if am, ok := sc.Conn.(ssh.AlgorithmsConnMetadata); ok {
		alg := am.Algorithms()
		info.cipherIn, info.macIn = alg.Read.Cipher, alg.Read.MAC
		info.cipher, info.mac = alg.Write.Cipher, alg.Write.MAC
	}
	l.mu.Lock()
	l.user, l.info = user, info
	l.mu.Unlock()

	go ssh.DiscardRequests(reqs)
	// A client that opens no session in time gives its line back.
	var opened atomic.Bool
	idle := time.AfterFunc(loginTimeout, func() {
		if !opened.Load() {
			sc.Close()
		}
	})
	defer idle.Stop()
	started := false
	for nch := range chans {
		if nch.ChannelType() != "session" {
			nch.Reject(ssh.Prohibited, "LiSA-Go offers sessions only")
			continue
		}
		if started {
			nch.Reject(ssh.Prohibited, "one session per connection")
			continue
		}
		ch, creqs, err := nch.Accept()
		if err != nil {
			return
		}
		started = true
		opened.Store(true)
		go s.sshSession(l, sc, ch, creqs, user, level)
	}
}

// sshVersionWord makes the software version fit the SSH version string.
func sshVersionWord(v string) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r > '~' || r == '-' {
			return '_'
		}
		return r
	}, v)
}

// refuseSSH tells a client there is no line for it: the message goes in the
// pre-authentication banner and every authentication fails.
func (s *Switch) refuseSSH(nc net.Conn, hostKey ssh.Signer, msg string) {
	conf := &ssh.ServerConfig{
		ServerVersion:  "SSH-2.0-LiSA-Go_" + sshVersionWord(Version),
		MaxAuthTries:   1,
		BannerCallback: func(ssh.ConnMetadata) string { return msg },
		PasswordCallback: func(ssh.ConnMetadata, []byte) (*ssh.Permissions, error) {
			return nil, errors.New("no line")
		},
		PublicKeyCallback: func(ssh.ConnMetadata, ssh.PublicKey) (*ssh.Permissions, error) {
			return nil, errors.New("no line")
		},
	}
	conf.AddHostKey(hostKey)
	if sc, _, _, err := ssh.NewServerConn(nc, conf); err == nil {
		sc.Close()
	}
}

// reserveLine takes the first free vty that accepts the door and whose
// session-limit allows one more session.
func (s *Switch) reserveLine(l *line, door transportSet) bool {
	s.mu.Lock()
	cfgs := append([]lineConfig(nil), s.remote.cfg.vty...)
	s.mu.Unlock()
	return s.lines.reserveVTY(l, len(cfgs), func(i, inUse int) bool {
		return cfgs[i].transport&door != 0 && (cfgs[i].limit == 0 || inUse < cfgs[i].limit)
	})
}

// sshTerm is the terminal of an SSH session with a PTY.
type sshTerm struct {
	ch   ssh.Channel
	mu   sync.Mutex
	w, h int
}

func (t *sshTerm) Read(p []byte) (int, error)  { return t.ch.Read(p) }
func (t *sshTerm) Write(p []byte) (int, error) { return t.ch.Write(p) }
func (t *sshTerm) Size() (int, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.w, t.h
}
func (t *sshTerm) setSize(w, h uint32) {
	t.mu.Lock()
	t.w, t.h = int(min(w, 1000)), int(min(h, 1000))
	t.mu.Unlock()
}

// sshSession serves a session channel's requests: pty-req and
// window-change size the terminal; shell runs the shell (or, without a
// PTY, the lines of standard input as a script); exec runs one command.
// Its exit status is 1 when a command failed.
func (s *Switch) sshSession(l *line, sc *ssh.ServerConn, ch ssh.Channel, reqs <-chan *ssh.Request, user string, level int) {
	term := &sshTerm{ch: ch}
	pty := false
	started := false
	for req := range reqs {
		ok := false
		switch req.Type {
		case "pty-req":
			if w, h, good := parsePtyReq(req.Payload); good && !started {
				term.setSize(w, h)
				pty, ok = true, true
			}
		case "window-change":
			if len(req.Payload) >= 8 {
				term.setSize(binary.BigEndian.Uint32(req.Payload), binary.BigEndian.Uint32(req.Payload[4:]))
				ok = true
			}
		case "env":
			ok = true // accepted and ignored
		case "shell", "exec":
			if started {
				break
			}
			var cmd struct{ Command string }
			if req.Type == "exec" {
				if err := ssh.Unmarshal(req.Payload, &cmd); err != nil {
					break
				}
			}
			started, ok = true, true
			exec := req.Type == "exec" && strings.TrimSpace(cmd.Command) != ""
			go func() {
				code := s.runSSH(l, term, pty, exec, cmd.Command, user, level)
				// The line is free as soon as the session ends.
				s.lines.remove(l)
				ch.CloseWrite()
				ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{uint32(code)}))
				ch.Close()
				// The client closes the connection once it has the
				// status; closing first would have OpenSSH say
				// "closed by remote host".
				ended := make(chan struct{})
				go func() { sc.Wait(); close(ended) }()
				select {
				case <-ended:
				case <-time.After(2 * time.Second):
				}
				sc.Close()
			}()
		}
		if req.WantReply {
			req.Reply(ok, nil)
		}
	}
}

// parsePtyReq reads the terminal size of a pty-req (RFC 4254 6.2).
func parsePtyReq(p []byte) (w, h uint32, ok bool) {
	if len(p) < 4 {
		return 0, 0, false
	}
	n := binary.BigEndian.Uint32(p)
	if uint64(len(p)) < 4+uint64(n)+8 {
		return 0, 0, false
	}
	p = p[4+n:]
	return binary.BigEndian.Uint32(p), binary.BigEndian.Uint32(p[4:]), true
}

// runSSH runs the session's shell or command and returns the exit status.
func (s *Switch) runSSH(l *line, term *sshTerm, pty, exec bool, command, user string, level int) int {
	sess := cli.NewSession(s.env, level)
	l.attach(sess, user)
	var out io.Writer = term.ch
	if pty {
		out = crlfWriter{term.ch}
	}
	switch {
	case exec:
		done := false
		next := func() (string, bool) {
			if done {
				return "", false
			}
			done = true
			return command, true
		}
		if sess.RunBatch(next, out) > 0 {
			return 1
		}
		return 0
	case pty:
		s.writeMOTD(out)
		sess.RunInteractive(term)
		return 0
	default:
		sc := bufio.NewScanner(term.ch)
		sc.Buffer(make([]byte, 0, 4096), cli.MaxLineLength+2)
		next := func() (string, bool) {
			if !sc.Scan() {
				return "", false
			}
			return strings.TrimRight(sc.Text(), "\r"), true
		}
		if sess.RunBatch(next, out) > 0 {
			return 1
		}
		return 0
	}
}

// writeMOTD shows the message of the day, if there is one.
func (s *Switch) writeMOTD(w io.Writer) {
	s.mu.Lock()
	motd := s.remote.cfg.motd
	s.mu.Unlock()
	if motd != nil {
		fmt.Fprint(w, motd.text+"\n")
	}
}

// crlfWriter turns "\n" into "\r\n" for a raw terminal.
type crlfWriter struct{ w io.Writer }

func (c crlfWriter) Write(p []byte) (int, error) {
	if _, err := c.w.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(string(p), "\r\n", "\n"), "\n", "\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
