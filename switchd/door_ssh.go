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
	hostKey, rsaKey := r.hostKey, r.rsaKey
	var loginBanner string
	if r.cfg.loginBanner != nil {
		loginBanner = r.cfg.loginBanner.text + "\n"
	}
	s.mu.Unlock()
	if hostKey == nil {
		return
	}
	nc.SetDeadline(time.Now().Add(timeout))
	// A connection refused during the login is told why in a banner, and
	// closed once the client has read it.
	lc := newLingerConn(nc)
	defer func() {
		release() // a refused client waiting to read its banner holds no login slot
		lc.linger()
	}()
	if err := s.reserveLine(l, transportSSH); err != nil {
		s.log.Warn("SSH connection refused: "+err.Error(), "from", l.location)
		s.refuseSSH(lc, hostKey, refusalText(err, "SSH")+"\n")
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
	var pre ssh.ServerPreAuthConn
	conf.PreAuthConnCallback = func(c ssh.ServerPreAuthConn) { pre = c }
	conf.AddHostKey(hostKey)
	if rsaKey != nil {
		conf.AddHostKey(rsaKey)
	}
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
		if p.password == nil {
			// IOS: "Password required, but none set", and the connection
			// ends. Nobody is asked for a password that does not exist and
			// nothing counts as a failed login; a user with a key in the
			// pubkey chain may still log in by key.
			refuse := func(c ssh.ConnMetadata) (*ssh.Permissions, error) {
				s.log.Warn("SSH login refused: the line has login but no password", "from", l.location, "user", c.User(), "line", l.name())
				return nil, lc.refuse(pre, noPasswordText)
			}
			conf.NoClientAuth = true
			conf.NoClientAuthCallback = func(c ssh.ConnMetadata) (*ssh.Permissions, error) {
				if s.userHasKeys(c.User()) {
					return nil, errors.New("a public key may do") // the client goes on to its keys
				}
				return refuse(c)
			}
			conf.KeyboardInteractiveCallback = func(c ssh.ConnMetadata, _ ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
				return refuse(c)
			}
			conf.PasswordCallback = func(c ssh.ConnMetadata, _ []byte) (*ssh.Permissions, error) {
				return refuse(c)
			}
			break
		}
		conf.PasswordCallback = func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
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

	sc, chans, reqs, err := ssh.NewServerConn(lc, conf)
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

// noPasswordText is IOS's answer on a line with login and no password.
const noPasswordText = "Password required, but none set\n"

// refuseSSH tells a client there is no line for it: the message goes in an
// authentication banner as soon as the client asks to log in, and the
// connection ends there (no password is asked for, no failure counted).
func (s *Switch) refuseSSH(lc *lingerConn, hostKey ssh.Signer, msg string) {
	var pre ssh.ServerPreAuthConn
	refuse := func(ssh.ConnMetadata) (*ssh.Permissions, error) { return nil, lc.refuse(pre, msg) }
	conf := &ssh.ServerConfig{
		ServerVersion:        "SSH-2.0-LiSA-Go_" + sshVersionWord(Version),
		PreAuthConnCallback:  func(c ssh.ServerPreAuthConn) { pre = c },
		NoClientAuth:         true,
		NoClientAuthCallback: refuse,
		PasswordCallback:     func(c ssh.ConnMetadata, _ []byte) (*ssh.Permissions, error) { return refuse(c) },
		PublicKeyCallback:    func(c ssh.ConnMetadata, _ ssh.PublicKey) (*ssh.Permissions, error) { return refuse(c) },
		KeyboardInteractiveCallback: func(c ssh.ConnMetadata, _ ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			return refuse(c)
		},
	}
	conf.AddHostKey(hostKey)
	if sc, _, _, err := ssh.NewServerConn(lc, conf); err == nil {
		sc.Close()
	}
}

// errSSHRefused ends an SSH login that lingerConn.refuse hung up.
var errSSHRefused = errors.New("refused")

// lingerConn is the socket of an SSH connection that can be hung up
// politely during the login: the banner saying why goes out, lisad shuts
// its side down so that the client reads the banner before the end, and
// the socket closes once the client has closed its side too (or after
// lingerTime). Without this the client would go on to its next
// authentication method or hear "too many authentication failures".
type lingerConn struct {
	net.Conn
	refused atomic.Bool
	eof     chan struct{} // closed when a read fails
	eofOnce sync.Once
}

// lingerTime bounds how long a refused connection waits for its client
// to close.
var lingerTime = 2 * time.Second

func newLingerConn(nc net.Conn) *lingerConn {
	return &lingerConn{Conn: nc, eof: make(chan struct{})}
}

func (c *lingerConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil {
		c.eofOnce.Do(func() { close(c.eof) })
	}
	return n, err
}

// Close leaves a refused connection to linger.
func (c *lingerConn) Close() error {
	if c.refused.Load() {
		return nil
	}
	return c.Conn.Close()
}

// refuse sends msg as an authentication banner and shuts lisad's side of
// the connection down. It returns the error for the authentication
// callback to return.
func (c *lingerConn) refuse(pre ssh.ServerPreAuthConn, msg string) error {
	if c.refused.CompareAndSwap(false, true) {
		if pre != nil && msg != "" {
			pre.SendAuthBanner(msg)
		}
		if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
		}
	}
	return errSSHRefused
}

// linger closes a refused connection once its client has closed its side
// or lingerTime has passed.
func (c *lingerConn) linger() {
	if !c.refused.Load() {
		return
	}
	t := time.NewTimer(lingerTime)
	defer t.Stop()
	select {
	case <-c.eof:
	case <-t.C:
	}
	c.Conn.Close()
}

// reserveLine takes the first free vty that accepts the door and whose
// session-limit allows one more session; the error says why there is none.
func (s *Switch) reserveLine(l *line, door transportSet) error {
	s.mu.Lock()
	cfgs := append([]lineConfig(nil), s.remote.cfg.vty...)
	s.mu.Unlock()
	return s.lines.reserveVTY(l, len(cfgs),
		func(i int) bool { return cfgs[i].transport&door != 0 },
		func(i int) int { return cfgs[i].limit })
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
			// The reply goes first: a command that ends at once closes
			// the channel, and a reply after that never arrives (the
			// client's exec request would fail with EOF).
			if req.WantReply {
				req.Reply(true, nil)
				req.WantReply = false
			}
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
