package switchd

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/lisa-go/lisa/configstore"
)

// DoorSettings are the daemon settings of the remote doors (lisad.toml's
// [telnet] and [ssh]): they are the defaults "ip ssh server" and friends
// in the running-config start from.
type DoorSettings struct {
	TelnetEnabled bool
	TelnetListen  string // host:port
	SSHEnabled    bool
	SSHListen     string // host:port
	HostKeyPath   string // the SSH host key, created on first use
}

// DoorSettingsFrom takes the door settings out of lisad.toml's settings.
func DoorSettingsFrom(set configstore.Settings) DoorSettings {
	return DoorSettings{
		TelnetEnabled: set.Telnet.Enabled, TelnetListen: set.Telnet.Listen,
		SSHEnabled: set.SSH.Enabled, SSHListen: set.SSH.Listen,
		HostKeyPath: set.SSHHostKeyPath(),
	}
}

// remoteAccess is the remote-access state of a switch: the configuration of
// lines, users, banners and doors (part of the running-config, guarded by
// Switch.mu) and the doors' listeners.
type remoteAccess struct {
	set    DoorSettings  // under Switch.mu
	cfg    *accessConfig // under Switch.mu
	active bool          // StartDoors ran and StopDoors did not; under Switch.mu

	ssh, telnet doorListener // under Switch.mu
	hostKey     ssh.Signer   // under Switch.mu
	rsaKey      ssh.Signer   // crypto key generate rsa; nil: none (under Switch.mu)

	// authSem bounds the password hashes computed at once (a type 9 check
	// takes 16 MiB for a moment).
	authSem chan struct{}
	// stop ends the idle watcher; conns tracks connections for StopDoors.
	stop  chan struct{}
	wg    sync.WaitGroup
	cmu   sync.Mutex
	conns map[net.Conn]bool
	// gate bounds connections that have not logged in yet, so that a flood
	// of half-open logins cannot take every vty or much memory; waiting
	// counts the connections queued for it.
	gate    chan struct{}
	waiting atomic.Int32
}

// doorListener is one door's listening socket.
type doorListener struct {
	name string // "ssh", "telnet"
	addr string // where it listens (as asked)
	ln   net.Listener
	err  error // why it does not listen, if it should
}

// Timings of the doors; tests shorten them.
var (
	// loginFailDelay slows down each failed login or enable attempt.
	loginFailDelay = time.Second
	// loginTimeout is how long a telnet login prompt waits for an answer.
	loginTimeout = 30 * time.Second
	// negotiationTimeout is how long telnet option negotiation may take.
	negotiationTimeout = 2 * time.Second
	// idleCheckEvery is how often exec-timeouts are checked.
	idleCheckEvery = time.Second
)

// maxPendingLogins bounds the connections that are still logging in;
// maxQueuedLogins those waiting for one of these places.
const (
	maxPendingLogins = 32
	maxQueuedLogins  = 256
)

// enterLogin waits for a place among the connections logging in. It
// reports false (refuse the connection) when too many wait already or the
// wait takes longer than a login may.
func (r *remoteAccess) enterLogin() bool {
	select {
	case r.gate <- struct{}{}:
		return true
	default:
	}
	if r.waiting.Add(1) > maxQueuedLogins {
		r.waiting.Add(-1)
		return false
	}
	defer r.waiting.Add(-1)
	t := time.NewTimer(loginTimeout)
	defer t.Stop()
	select {
	case r.gate <- struct{}{}:
		return true
	case <-t.C:
		return false
	}
}

func (r *remoteAccess) leaveLogin() { <-r.gate }

// admitLogin is enterLogin for a connection's handler: ok is false when the
// connection must be refused; release gives the place back (at the end of
// the login, or when the handler returns) and may be called more than once.
func (r *remoteAccess) admitLogin() (release func(), ok bool) {
	if !r.enterLogin() {
		return func() {}, false
	}
	var once sync.Once
	return func() { once.Do(r.leaveLogin) }, true
}

func newRemoteAccess() *remoteAccess {
	set := DoorSettings{TelnetListen: ":23", SSHListen: ":22"}
	return &remoteAccess{
		set:     set,
		cfg:     newAccessConfig(set),
		ssh:     doorListener{name: "ssh"},
		telnet:  doorListener{name: "telnet"},
		authSem: make(chan struct{}, max(1, runtime.NumCPU())),
		conns:   map[net.Conn]bool{},
		gate:    make(chan struct{}, maxPendingLogins),
	}
}

// ConfigureDoors sets the doors' daemon settings (from lisad.toml). Call it
// before LoadStartup: the running-config starts from these settings.
func (s *Switch) ConfigureDoors(d DoorSettings) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remote.set = d
	s.remote.cfg.ssh.enabled = d.SSHEnabled
	s.remote.cfg.telnet.enabled = d.TelnetEnabled
}

// StartDoors opens the listeners the configuration asks for and starts
// watching exec-timeouts. A listener that cannot open is logged and shown
// by show ip ssh; it is no reason to stop.
func (s *Switch) StartDoors() {
	s.mu.Lock()
	r := s.remote
	if r.active {
		s.mu.Unlock()
		return
	}
	r.active = true
	r.stop = make(chan struct{})
	s.reconcileDoors()
	s.mu.Unlock()
	r.wg.Add(1)
	go s.watchIdle(r.stop)
}

// StopDoors closes the listeners and every remote connection.
func (s *Switch) StopDoors() {
	s.mu.Lock()
	r := s.remote
	if !r.active {
		s.mu.Unlock()
		return
	}
	r.active = false
	close(r.stop)
	s.reconcileDoors()
	s.mu.Unlock()
	r.cmu.Lock()
	for c := range r.conns {
		c.Close()
	}
	r.cmu.Unlock()
	r.wg.Wait()
}

// resetAccess returns the remote-access configuration to its defaults (on
// reload, before the startup-config is replayed) and has the listeners
// follow what the replay leaves once the lock is free.
func (s *Switch) resetAccess() {
	s.remote.cfg = newAccessConfig(s.remote.set)
	go func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.reconcileDoors()
	}()
}

// listenAddr is where a door listens: lisad.toml's host with the port of
// the running-config, if it has one.
func listenAddr(base string, port int) string {
	host, p, err := net.SplitHostPort(base)
	if err != nil {
		host, p = "", base
	}
	if port != 0 {
		p = strconv.Itoa(port)
	}
	return net.JoinHostPort(host, p)
}

// anyTransport reports whether some vty accepts the door.
func (c *accessConfig) anyTransport(t transportSet) bool {
	for _, v := range c.vty {
		if v.transport&t != 0 {
			return true
		}
	}
	return false
}

// reconcileDoors opens, moves or closes the listeners to match the
// configuration. The caller holds the lock. The error, for the command that
// changed the configuration, says why a listener could not open.
func (s *Switch) reconcileDoors() error {
	r := s.remote
	c := r.cfg
	var errs []error
	for _, d := range []struct {
		l     *doorListener
		on    bool
		addr  string
		serve func(net.Conn)
	}{
		{&r.ssh, r.active && c.ssh.enabled && c.anyTransport(transportSSH), listenAddr(r.set.SSHListen, c.ssh.port), s.serveSSH},
		{&r.telnet, r.active && c.telnet.enabled && c.anyTransport(transportTelnet), listenAddr(r.set.TelnetListen, c.telnet.port), s.serveTelnet},
	} {
		if err := s.reconcileListener(d.l, d.on, d.addr, d.serve); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *Switch) reconcileListener(d *doorListener, on bool, addr string, serve func(net.Conn)) error {
	if d.ln != nil && (!on || d.addr != addr) {
		d.ln.Close()
		s.log.Info("remote door closed", "door", d.name, "addr", d.addr)
		d.ln = nil
	}
	if !on {
		d.err = nil
		d.addr = addr
		return nil
	}
	if d.ln != nil {
		return nil
	}
	d.addr = addr
	if d.name == "ssh" {
		if err := s.loadRSAKey(); err != nil {
			s.log.Warn("SSH RSA host key unreadable; offering ed25519 only", "err", err)
		}
		if err := s.loadHostKey(); err != nil {
			d.err = err
			s.log.Error("SSH server not started: no host key", "path", s.remote.set.HostKeyPath, "err", err)
			return fmt.Errorf("%% SSH server not started: host key %s: %v", s.remote.set.HostKeyPath, err)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		d.err = err
		hint := ""
		if errors.Is(err, syscall.EADDRINUSE) {
			hint = fmt.Sprintf(" (is another server, such as the host's own %sd, on that port? choose another with \"ip %s port N\" or in lisad.toml)", d.name, d.name)
		}
		s.log.Error(fmt.Sprintf("%s server not started: cannot listen on %s: %v%s", d.name, addr, err, hint))
		return fmt.Errorf("%% %s server not started: cannot listen on %s: %v%s", doorTitle(d.name), addr, err, hint)
	}
	d.ln, d.err = ln, nil
	s.log.Info("remote door listening", "door", d.name, "addr", ln.Addr().String())
	s.remote.wg.Add(1)
	go s.acceptLoop(ln, serve)
	return nil
}

func doorTitle(name string) string {
	if name == "ssh" {
		return "SSH"
	}
	return "Telnet"
}

func (s *Switch) acceptLoop(ln net.Listener, serve func(net.Conn)) {
	defer s.remote.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			if !errors.Is(err, net.ErrClosed) {
				s.log.Warn("remote door: accept failed", "err", err)
				time.Sleep(100 * time.Millisecond)
				continue
			}
			return
		}
		r := s.remote
		r.cmu.Lock()
		r.conns[c] = true
		r.cmu.Unlock()
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			defer func() {
				r.cmu.Lock()
				delete(r.conns, c)
				r.cmu.Unlock()
				c.Close()
			}()
			serve(c)
		}()
	}
}

// doorAddr returns where a door listens now ("" when it does not), for
// tests and show ip ssh.
func (s *Switch) doorAddr(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := &s.remote.ssh
	if name == "telnet" {
		d = &s.remote.telnet
	}
	if d.ln == nil {
		return ""
	}
	return d.ln.Addr().String()
}

// loadHostKey reads the SSH host key, or creates an ed25519 key (mode 0600)
// on first use. The caller holds the lock.
func (s *Switch) loadHostKey() error {
	r := s.remote
	if r.hostKey != nil {
		return nil
	}
	path := r.set.HostKeyPath
	if path == "" {
		path = filepath.Join(s.store.Dir(), "ssh_host_ed25519_key")
		r.set.HostKeyPath = path
	}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
			s.log.Warn("SSH host key readable by others; setting mode 0600", "path", path, "mode", fi.Mode().Perm().String())
			os.Chmod(path, 0o600)
		}
		signer, err := ssh.ParsePrivateKey(data)
		if err != nil {
			return err
		}
		r.hostKey = signer
		return nil
	case !errors.Is(err, os.ErrNotExist):
		return err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	block, err := ssh.MarshalPrivateKey(priv, "lisad host key")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if err := configstore.WriteFileAtomic(path, pem.EncodeToMemory(block), 0o600); err != nil {
		return err
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return err
	}
	r.hostKey = signer
	s.log.Info("created the SSH host key", "path", path, "fingerprint", ssh.FingerprintSHA256(signer.PublicKey()))
	return nil
}

// watchIdle hangs up sessions whose exec-timeout expired.
func (s *Switch) watchIdle(stop chan struct{}) {
	defer s.remote.wg.Done()
	t := time.NewTicker(idleCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			s.expireIdle(time.Now())
		}
	}
}

// expireIdle ends the interactive sessions idle for longer than their
// line's exec-timeout.
func (s *Switch) expireIdle(now time.Time) {
	s.mu.Lock()
	con := s.remote.cfg.con.timeout
	vty := make([]time.Duration, len(s.remote.cfg.vty))
	for i, v := range s.remote.cfg.vty {
		vty[i] = v.timeout
	}
	s.mu.Unlock()
	for _, l := range s.lines.list() {
		limit := con
		if l.kind == "vty" {
			limit = defaultVTYTimeout
			if l.idx < len(vty) {
				limit = vty[l.idx]
			}
		}
		sess := l.session()
		if limit <= 0 || sess == nil {
			continue
		}
		if idle, ok := sess.InputIdle(now); ok && idle >= limit {
			s.log.Info("exec-timeout expired; hanging up", "line", l.name(), "user", l.userName(), "from", l.location, "idle", idle.Truncate(time.Second).String())
			l.endSession()
		}
	}
}
