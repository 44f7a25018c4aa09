package switchd

import (
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// loginPolicy is what a vty's login needs, copied from the configuration
// when a connection arrives so that the checks run without the lock.
type loginPolicy struct {
	mode      loginMode
	password  *Secret // the line's password
	privilege int     // the line's privilege level (0 = 1)
}

func (s *Switch) loginPolicyFor(idx int) loginPolicy {
	s.mu.Lock()
	defer s.mu.Unlock()
	lc := defaultLine("vty")
	if idx < len(s.remote.cfg.vty) {
		lc = s.remote.cfg.vty[idx]
	}
	p := loginPolicy{mode: lc.login, privilege: lc.privilege}
	if lc.password != nil {
		pw := *lc.password
		p.password = &pw
	}
	return p
}

// lineLevel is the privilege level a session on the line starts at.
func (p loginPolicy) lineLevel() int {
	if p.privilege > 0 {
		return p.privilege
	}
	return privUser
}

// verify checks a password against a secret, at most a few at once: a
// type 9 check takes 16 MiB of memory for a moment.
func (s *Switch) verify(sec Secret, password string) bool {
	s.remote.authSem <- struct{}{}
	defer func() { <-s.remote.authSem }()
	return sec.Verify(password)
}

// checkLinePassword checks the line's password.
func (s *Switch) checkLinePassword(p loginPolicy, password string) bool {
	return p.password != nil && s.verify(*p.password, password)
}

// checkLocalUser checks a user name and password against the username
// entries and returns the level the session starts at.
func (s *Switch) checkLocalUser(p loginPolicy, name, password string) (int, bool) {
	s.mu.Lock()
	u := s.remote.cfg.users[name]
	var sec *Secret
	level := p.lineLevel()
	if u != nil {
		if u.secret != nil {
			v := *u.secret
			sec = &v
		}
		if u.privSet {
			level = u.privilege
		}
	}
	s.mu.Unlock()
	if sec == nil {
		// Spend the same time as a real check, so that a missing user
		// does not show.
		s.verify(dummySecret(), password)
		return 0, false
	}
	if !s.verify(*sec, password) {
		return 0, false
	}
	return level, true
}

// dummySecret is checked against when a user does not exist.
var dummySecret = sync.OnceValue(func() Secret {
	sec, _ := NewSecret("lisa-go does not know this user")
	return sec
})

// userLevel is the level a user authenticated by key starts at: the
// username entry's privilege when it sets one, else the line's.
func (s *Switch) userLevel(p loginPolicy, name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.remote.cfg.users[name]; u != nil && u.privSet {
		return u.privilege
	}
	return p.lineLevel()
}

// userHasKey reports whether key is one of the user's in the pubkey chain.
func (s *Switch) userHasKey(name string, key ssh.PublicKey) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	want := string(key.Marshal())
	for _, k := range s.remote.cfg.keys[name] {
		if string(k.key.Marshal()) == want {
			return true
		}
	}
	return false
}

// userHasKeys reports whether the user has a key in the pubkey chain.
func (s *Switch) userHasKeys(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.remote.cfg.keys[name]) > 0
}

// loginFailed logs a failed login with where it came from, IOS style, and
// slows the next attempt down.
func (s *Switch) loginFailed(user string, remote, local net.Addr, reason string) {
	s.logEvent("SEC_LOGIN", 4, "LOGIN_FAILED", fmt.Sprintf("Login failed [user: %s] [Source: %s] [localport: %s] [Reason: %s] at %s",
		user, hostOf(remote), portString(local), reason, s.now().Format("15:04:05 MST Mon Jan 2 2006")))
	time.Sleep(loginFailDelay)
}

// loginSucceeded logs a login.
func (s *Switch) loginSucceeded(user string, remote, local net.Addr) {
	s.logEvent("SEC_LOGIN", 5, "LOGIN_SUCCESS", fmt.Sprintf("Login Success [user: %s] [Source: %s] [localport: %s] at %s",
		user, hostOf(remote), portString(local), s.now().Format("15:04:05 MST Mon Jan 2 2006")))
}

// hostOf is the IP address of a TCP address ("" for others).
func hostOf(a net.Addr) string {
	if a == nil {
		return ""
	}
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.String()
	}
	h, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return h
}

func portString(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return strconv.Itoa(t.Port)
	}
	return ""
}
