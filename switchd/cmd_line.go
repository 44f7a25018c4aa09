package switchd

import (
	"encoding/base64"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/lisa-go/lisa/cli"
)

// How a vty asks who is there (login, login local, no login).
type loginMode int

const (
	loginLine  loginMode = iota // the line's password
	loginLocal                  // a user name and its secret (username ...)
	loginNone                   // nobody is asked
)

// transportSet is which doors a vty accepts (transport input).
type transportSet uint8

const (
	transportSSH transportSet = 1 << iota
	transportTelnet
	transportNone transportSet = 0
	transportAll               = transportSSH | transportTelnet
)

func (t transportSet) String() string {
	switch t {
	case transportAll:
		return "all"
	case transportSSH:
		return "ssh"
	case transportTelnet:
		return "telnet"
	}
	return "none"
}

// Lines: the console and 16 vtys by default; "line vty 0 N" creates vtys up
// to N.
const (
	defaultVTYs = 16
	maxVTYs     = 100
)

// Default exec-timeouts: IOS's 10 minutes on vtys; none on the console,
// which is root's shell on the host (swcli) and runs scripts too.
const (
	defaultVTYTimeout = 10 * time.Minute
	defaultConTimeout = 0
)

// lineConfig is the configuration of one line (line con 0, line vty N).
type lineConfig struct {
	login     loginMode
	password  *Secret
	transport transportSet
	timeout   time.Duration // exec-timeout, 0 = never
	limit     int           // session-limit, 0 = none
	privilege int           // privilege level, 0 = not set (level 1)
	logSync   bool          // logging synchronous (saved; output is always synchronous)
}

func defaultLine(kind string) lineConfig {
	if kind == "con" {
		return lineConfig{login: loginNone, transport: transportAll, timeout: defaultConTimeout}
	}
	return lineConfig{login: loginLine, transport: transportAll, timeout: defaultVTYTimeout}
}

func (a lineConfig) equal(b lineConfig) bool {
	samePW := a.password == nil && b.password == nil ||
		a.password != nil && b.password != nil && *a.password == *b.password
	a.password, b.password = nil, nil
	return samePW && a == b
}

// localUser is a "username" entry.
type localUser struct {
	name      string
	privilege int // 1 unless set
	privSet   bool
	secret    *Secret
}

// userKey is a public key of the SSH pubkey chain, kept with its comment.
type userKey struct {
	key     ssh.PublicKey
	comment string
}

func (k userKey) authorizedLine() string {
	l := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k.key)))
	if k.comment != "" {
		l += " " + k.comment
	}
	return l
}

// doorConfig is the running-config of one door's listener: on or off and
// the port, each either as lisad.toml says (the default) or as set here.
type doorConfig struct {
	enabled bool
	port    int // 0 = the port of lisad.toml's listen address
}

// accessConfig is the remote-access part of the running-config: lines,
// local users, SSH keys, banners and the doors' listeners.
type accessConfig struct {
	con         lineConfig
	vty         []lineConfig
	users       map[string]*localUser
	keys        map[string][]userKey // ip ssh pubkey-chain, by user
	motd        *banner
	loginBanner *banner
	ssh, telnet doorConfig
	sshTimeout  int // ip ssh time-out, seconds
	// sshV2: ip ssh version 2, stating what the server speaks anyway
	// (there is no version 1 to turn off).
	sshV2      bool
	sshRetries int // ip ssh authentication-retries
	// enablePW: enable password, by level, hashed; an enable secret of
	// the same level wins.
	enablePW     map[int]Secret
	pwEncryption bool // service password-encryption (saved only)
	// pwEncryptionNo: no service password-encryption was given, and is shown.
	pwEncryptionNo bool
}

const (
	defaultSSHTimeout = 120
	defaultSSHRetries = 3
)

func newAccessConfig(set DoorSettings) *accessConfig {
	c := &accessConfig{
		con:        defaultLine("con"),
		users:      map[string]*localUser{},
		keys:       map[string][]userKey{},
		enablePW:   map[int]Secret{},
		ssh:        doorConfig{enabled: set.SSHEnabled},
		telnet:     doorConfig{enabled: set.TelnetEnabled},
		sshTimeout: defaultSSHTimeout,
		sshRetries: defaultSSHRetries,
	}
	for i := 0; i < defaultVTYs; i++ {
		c.vty = append(c.vty, defaultLine("vty"))
	}
	return c
}

// lineSel is what a config-line session configures.
type lineSel struct {
	kind        string // "con" or "vty"
	first, last int
}

// Command classes of config-line: which commands a kind of line offers.
const (
	classLineCon uint32 = 1 << 8
	classLineVTY uint32 = 1 << 9
)

// pubkeyUser is the state of the pubkey-chain user and data modes.
type pubkeyUser struct {
	name string
	data strings.Builder // key-string lines so far
}

const maxKeyData = 16 << 10

var lineHelp = map[string]string{
	"line":           "Configure a terminal line",
	"vty":            "Virtual terminal",
	"console":        "Primary terminal line",
	"first":          "First Line number",
	"last":           "Last Line number",
	"0":              "First Line number",
	"exec-timeout":   "Set the EXEC timeout",
	"minutes":        "Timeout in minutes",
	"seconds":        "Timeout in seconds",
	"password":       "Set a password",
	"login":          "Enable password checking",
	"local":          "Local password checking",
	"transport":      "Define transport protocols for line",
	"input":          "Define which protocols to use when connecting to the terminal server",
	"ssh":            "TCP/IP SSH protocol",
	"telnet":         "TCP/IP Telnet protocol",
	"all":            "All protocols",
	"none":           "No protocols",
	"session-limit":  "Set maximum number of sessions",
	"limit":          "Maximum number of sessions",
	"privilege":      "Change privilege level for line",
	"level":          "Assign default privilege level for line",
	"<0-15>":         "Default privilege level for line",
	"type0":          "Specifies an UNENCRYPTED password will follow",
	"type5":          "Specifies a MD5-crypt HASHED password will follow",
	"type7":          "Specifies a HIDDEN (type 7) password will follow; it is stored hashed",
	"type9":          "Specifies a SCRYPT HASHED password will follow",
	"hash7":          "The HIDDEN (type 7) line password",
	"hash5":          "The MD5-crypt HASHED line password ($1$...)",
	"hash9":          "The SCRYPT HASHED line password ($9$...)",
	"clear":          "The UNENCRYPTED (cleartext) line password",
	"help":           "Description of the interactive help system",
	"exit":           "Exit from line configuration mode",
	"end":            "Exit from configure mode",
	"no":             "Negate a command or set its defaults",
	"do":             "To run exec commands in config mode",
	"telnet-timeout": "Timeout in minutes",
}

// defineLines declares lines, users, banners, the SSH and telnet doors and
// the commands that show and clear sessions.
func (s *Switch) defineLines() {
	in := s.interp
	lineMode := in.NewMode("config-line", "(config-line)", s.conf, true)
	lineMode.HelpTitle = "Line configuration commands:"
	keyMode := in.NewMode("conf-ssh-pubkey", "(conf-ssh-pubkey)", s.conf, true)
	keyUserMode := in.NewMode("conf-ssh-pubkey-user", "(conf-ssh-pubkey-user)", keyMode, true)
	keyDataMode := in.NewMode("conf-ssh-pubkey-data", "(conf-ssh-pubkey-data)", keyUserMode, true)
	exits := map[*cli.Mode]string{
		lineMode:    "Exit from line configuration mode",
		keyMode:     "Exit from public-key configuration mode",
		keyUserMode: "Exit from public-key user configuration mode",
		keyDataMode: "Exit from public-key data configuration mode",
	}
	for _, m := range []*cli.Mode{lineMode, keyMode, keyUserMode, keyDataMode} {
		m.DefineJump("do", sharedHelp["do"], s.exec)
		m.Define(cli.Command{Syntax: "help", Priv: privMax, Run: func(c *cli.Ctx, a cli.Args) error {
			c.Print(helpText)
			return nil
		}})
		m.Define(cli.Command{Syntax: "end", Priv: privMax, Run: func(c *cli.Ctx, a cli.Args) error {
			c.S.SetMode(s.exec, nil, 0)
			return nil
		}})
		if m == keyDataMode {
			continue // its exit applies the key
		}
		m.Define(cli.Command{Syntax: "exit", Priv: privMax, Help: map[string]string{"exit": exits[m]},
			Run: func(c *cli.Ctx, a cli.Args) error {
				up := c.S.Mode().Parent
				if up == nil {
					up = s.conf
				}
				c.S.SetMode(up, nil, 0)
				return nil
			}})
	}
	s.defineLineConfig(lineMode)
	s.defineUsers()
	s.defineBanners()
	s.defineDoorsConfig(keyMode, keyUserMode, keyDataMode)
	s.defineSessionCommands()
	s.definePasswords()
	s.defineTerminalWidth()
	s.defineShowLine()
}

func (s *Switch) defineLineConfig(m *cli.Mode) {
	g := s.conf
	g.Define(cli.Command{Syntax: "line vty <0-99>$first [<0-99>$last]", Priv: privMax, Help: lineHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			first := a.Int("first")
			last := first
			if _, ok := a.Lookup("last"); ok {
				last = a.Int("last")
			}
			if first > last {
				return fmt.Errorf("%% First line number %d is greater than last line number %d", first, last)
			}
			r := s.remote
			for len(r.cfg.vty) <= last {
				r.cfg.vty = append(r.cfg.vty, defaultLine("vty"))
			}
			c.S.SetMode(m, &lineSel{kind: "vty", first: first, last: last}, classLineVTY)
			return nil
		}})
	g.Define(cli.Command{Syntax: "line console 0", Priv: privMax, Help: lineHelp, Doc: "Configure the console line (local swcli sessions)",
		Run: func(c *cli.Ctx, a cli.Args) error {
			c.S.SetMode(m, &lineSel{kind: "con"}, classLineCon)
			return nil
		}})
	g.Define(cli.Command{Syntax: "no line vty <16-99>$first", Priv: privMax,
		Help: map[string]string{"line": lineHelp["line"], "vty": lineHelp["vty"], "first": "First line to remove (with all above it)"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			first := a.Int("first")
			r := s.remote
			if first >= len(r.cfg.vty) {
				return nil
			}
			for _, l := range s.lines.list() {
				if l.kind == "vty" && l.idx >= first {
					return fmt.Errorf("%% Line vty %d is in use; clear it first", l.idx)
				}
			}
			r.cfg.vty = r.cfg.vty[:first]
			return nil
		}})

	// each applies f to every selected line.
	each := func(c *cli.Ctx, f func(lc *lineConfig)) {
		sel := c.S.State().(*lineSel)
		if sel.kind == "con" {
			f(&s.remote.cfg.con)
			return
		}
		for i := sel.first; i <= sel.last && i < len(s.remote.cfg.vty); i++ {
			f(&s.remote.cfg.vty[i])
		}
	}
	s.defineLineExtras(m, each)
	both := classLineCon | classLineVTY
	m.Define(cli.Command{Syntax: "exec-timeout <0-35791>$minutes [<0-2147483>$seconds]", Priv: privMax, Class: both, Help: lineHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			d := time.Duration(a.Int("minutes"))*time.Minute + time.Duration(a.Int("seconds"))*time.Second
			each(c, func(lc *lineConfig) { lc.timeout = d })
			return nil
		}})
	m.Define(cli.Command{Syntax: "no exec-timeout", Priv: privMax, Class: both, Help: lineHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			def := defaultLine(c.S.State().(*lineSel).kind).timeout
			each(c, func(lc *lineConfig) { lc.timeout = def })
			return nil
		}})
	m.Define(cli.Command{Syntax: "password {0$type0 LINE$clear | 5$type5 WORD$hash5 | 7$type7 WORD$hash7 | 9$type9 WORD$hash9 | LINE$clear}", Priv: privMax, Class: both, Help: lineHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			if a.Has("type7") {
				// IOS's type 7 is a reversible encoding: take the
				// password out of it and store it hashed.
				clear, ok := decodeType7(a.Get("hash7"))
				if !ok {
					return fmt.Errorf("%% Invalid encrypted password: a type 7 password is an even number of hex digits after two decimal ones")
				}
				sec, err := NewSecret(clear)
				if err != nil {
					return err
				}
				each(c, func(lc *lineConfig) { p := sec; lc.password = &p })
				return nil
			}
			sec, err := secretFromArgs(a, "clear")
			if err != nil {
				return err
			}
			each(c, func(lc *lineConfig) { p := sec; lc.password = &p })
			return nil
		}})
	m.Define(cli.Command{Syntax: "no password", Priv: privMax, Class: both, Help: lineHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			each(c, func(lc *lineConfig) { lc.password = nil })
			return nil
		}})
	m.Define(cli.Command{Syntax: "login [local]", Priv: privMax, Class: both, Help: lineHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			mode := loginLine
			if a.Has("local") {
				mode = loginLocal
			}
			each(c, func(lc *lineConfig) { lc.login = mode })
			return nil
		}})
	m.Define(cli.Command{Syntax: "no login", Priv: privMax, Class: both, Help: lineHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			each(c, func(lc *lineConfig) { lc.login = loginNone })
			return nil
		}})
	m.Define(cli.Command{Syntax: "transport input {all | none | ssh [telnet$alsotelnet] | telnet [ssh$alsossh]}", Priv: privMax, Class: classLineVTY, Help: lineHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			var t transportSet
			switch {
			case a.Has("all"):
				t = transportAll
			case a.Has("none"):
				t = transportNone
			default:
				if a.Has("ssh") || a.Has("alsossh") {
					t |= transportSSH
				}
				if a.Has("telnet") || a.Has("alsotelnet") {
					t |= transportTelnet
				}
			}
			each(c, func(lc *lineConfig) { lc.transport = t })
			return s.reconcileDoors()
		}})
	m.Define(cli.Command{Syntax: "no transport input", Priv: privMax, Class: classLineVTY, Help: lineHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			each(c, func(lc *lineConfig) { lc.transport = transportAll })
			return s.reconcileDoors()
		}})
	m.Define(cli.Command{Syntax: "session-limit <1-100>$limit", Priv: privMax, Class: classLineVTY, Help: lineHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			n := a.Int("limit")
			each(c, func(lc *lineConfig) { lc.limit = n })
			return nil
		}})
	m.Define(cli.Command{Syntax: "no session-limit", Priv: privMax, Class: classLineVTY, Help: lineHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			each(c, func(lc *lineConfig) { lc.limit = 0 })
			return nil
		}})
	m.Define(cli.Command{Syntax: "privilege level <0-15>", Priv: privMax, Class: classLineVTY, Help: lineHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			n := a.Int("level")
			each(c, func(lc *lineConfig) { lc.privilege = n })
			return nil
		}})
	m.Define(cli.Command{Syntax: "no privilege level", Priv: privMax, Class: classLineVTY, Help: lineHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			each(c, func(lc *lineConfig) { lc.privilege = 0 })
			return nil
		}})
}

// type7Key is the fixed key of IOS's type 7 password encoding.
const type7Key = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"

// decodeType7 reverses IOS's type 7 encoding: two decimal digits give the
// offset into the key, each following pair of hex digits is a character
// XORed with the next key byte.
func decodeType7(enc string) (string, bool) {
	if len(enc) < 4 || len(enc)%2 != 0 || len(enc) > 2+2*128 {
		return "", false
	}
	seed, err := strconv.Atoi(enc[:2])
	if err != nil || seed < 0 || seed >= len(type7Key) {
		return "", false
	}
	out := make([]byte, 0, (len(enc)-2)/2)
	for i := 2; i < len(enc); i += 2 {
		v, err := strconv.ParseUint(enc[i:i+2], 16, 8)
		if err != nil {
			return "", false
		}
		out = append(out, byte(v)^type7Key[(seed+len(out))%len(type7Key)])
	}
	return string(out), true
}

// secretFromArgs makes a Secret of "{0 LINE | 5 WORD | 9 WORD | LINE}".
func secretFromArgs(a cli.Args, clearName string) (Secret, error) {
	switch {
	case a.Has("type5"):
		return ParseSecret(5, a.Get("hash5"))
	case a.Has("type9"):
		return ParseSecret(9, a.Get("hash9"))
	}
	return NewSecret(a.Get(clearName))
}

func (s *Switch) defineUsers() {
	help := map[string]string{
		"username":  "Establish User Name Authentication",
		"name":      "User name",
		"privilege": "Set user privilege level",
		"level":     "User privilege level",
		"secret":    "Specify the secret for the user",
		"type0":     "Specifies an UNENCRYPTED secret will follow",
		"type5":     "Specifies a MD5-crypt HASHED secret will follow",
		"type9":     "Specifies a SCRYPT HASHED secret will follow",
		"hash5":     "The MD5-crypt HASHED secret ($1$...)",
		"hash9":     "The SCRYPT HASHED secret ($9$...)",
		"clear":     "The UNENCRYPTED (cleartext) user secret",
	}
	g := s.conf
	set := func(c *cli.Ctx, a cli.Args) error {
		name := a.Get("name")
		if !validUserName(name) {
			return fmt.Errorf("%% Invalid user name %q: at most 64 printable characters", name)
		}
		var sec *Secret
		if a.Has("secret") {
			v, err := secretFromArgs(a, "clear")
			if err != nil {
				return err
			}
			sec = &v
		}
		u := s.remote.cfg.users[name]
		if u == nil {
			u = &localUser{name: name, privilege: 1}
			s.remote.cfg.users[name] = u
		}
		if v, ok := a.Lookup("level"); ok {
			u.privilege, _ = strconv.Atoi(v)
			u.privSet = true
		}
		if sec != nil {
			u.secret = sec
		}
		return nil
	}
	g.Define(cli.Command{Syntax: "username WORD$name [privilege <0-15>$level] secret {0$type0 LINE$clear | 5$type5 WORD$hash5 | 9$type9 WORD$hash9 | LINE$clear}",
		Priv: privMax, Help: help, Run: set})
	g.Define(cli.Command{Syntax: "username WORD$name privilege <0-15>$level", Priv: privMax, Help: help, Run: set})
	g.Define(cli.Command{Syntax: "no username WORD$name", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			delete(s.remote.cfg.users, a.Get("name"))
			return nil
		}})
}

func validUserName(n string) bool {
	if n == "" || len(n) > 64 {
		return false
	}
	for i := 0; i < len(n); i++ {
		if n[i] <= ' ' || n[i] >= 0x7f {
			return false
		}
	}
	return true
}

func (s *Switch) defineBanners() {
	help := map[string]string{
		"banner": "Define a login banner",
		"motd":   "Set Message of the Day banner",
		"login":  "Set login banner",
		"text":   "c banner-text c, where 'c' is a delimiting character",
	}
	g := s.conf
	slot := func(a cli.Args) **banner {
		if a.Has("login") {
			return &s.remote.cfg.loginBanner
		}
		return &s.remote.cfg.motd
	}
	g.Define(cli.Command{Syntax: "banner {motd | login} LINE$text", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			p, err := newBannerParser(a.Get("text"))
			if err != nil {
				return err
			}
			if !p.done && c.S.Interactive() {
				c.Printf("Enter TEXT message.  End with the character '%s'.\n", p.delim)
			}
			for !p.done {
				l, err := c.ReadText("")
				if err != nil {
					// The input ended (or the user went away)
					// mid-banner: nothing changes.
					_, err = p.result()
					return err
				}
				p.feed(l)
			}
			b, err := p.result()
			if err != nil {
				return err
			}
			if b.text == "" {
				*slot(a) = nil
			} else {
				*slot(a) = &b
			}
			return nil
		}})
	g.Define(cli.Command{Syntax: "no banner {motd | login}", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			*slot(a) = nil
			return nil
		}})
}

func (s *Switch) defineDoorsConfig(keyMode, keyUserMode, keyDataMode *cli.Mode) {
	help := map[string]string{
		"ip":                     "Global IP configuration subcommands",
		"ssh":                    "Configure secure shell",
		"telnet":                 "Configure the telnet server",
		"server":                 "Accept connections (LiSA-Go: open the listener)",
		"port":                   "TCP port to listen on (default: lisad.toml's listen address)",
		"<1-65535>":              "Port number",
		"time-out":               "Specify SSH time-out interval",
		"<1-120>":                "SSH time-out interval (secs)",
		"authentication-retries": "Specify number of authentication retries",
		"<0-5>":                  "Number of authentication retries",
		"pubkey-chain":           "pubkey-chain",
		"version":                "Specify protocol version to be supported",
		"v1":                     "Protocol version 1",
		"v2":                     "Protocol version 2",
	}
	g := s.conf
	door := func(a cli.Args) *doorConfig {
		if a.Has("telnet") {
			return &s.remote.cfg.telnet
		}
		return &s.remote.cfg.ssh
	}
	g.Define(cli.Command{Syntax: "ip {ssh | telnet} server", Priv: privMax, Help: help, Doc: "Start the SSH or telnet server",
		Run: func(c *cli.Ctx, a cli.Args) error {
			door(a).enabled = true
			return s.reconcileDoors()
		}})
	g.Define(cli.Command{Syntax: "no ip {ssh | telnet} server", Priv: privMax, Help: help, Doc: "Stop the SSH or telnet server",
		Run: func(c *cli.Ctx, a cli.Args) error {
			door(a).enabled = false
			return s.reconcileDoors()
		}})
	g.Define(cli.Command{Syntax: "ip {ssh | telnet} port <1-65535>", Priv: privMax, Help: help, Doc: "TCP port of the SSH or telnet server",
		Run: func(c *cli.Ctx, a cli.Args) error {
			door(a).port = a.Int("port")
			return s.reconcileDoors()
		}})
	g.Define(cli.Command{Syntax: "no ip {ssh | telnet} port", Priv: privMax, Help: help, Doc: "Default TCP port of the SSH or telnet server",
		Run: func(c *cli.Ctx, a cli.Args) error {
			door(a).port = 0
			return s.reconcileDoors()
		}})
	g.Define(cli.Command{Syntax: "ip ssh time-out <1-120>", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.remote.cfg.sshTimeout = a.Int("time-out")
			return nil
		}})
	g.Define(cli.Command{Syntax: "no ip ssh time-out", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.remote.cfg.sshTimeout = defaultSSHTimeout
			return nil
		}})
	g.Define(cli.Command{Syntax: "ip ssh version {1$v1 | 2$v2}", Priv: privMax, Help: help, Doc: "SSH protocol version (LiSA-Go speaks version 2 only)",
		Run: func(c *cli.Ctx, a cli.Args) error {
			if a.Has("v1") {
				return fmt.Errorf("%% LiSA-Go's SSH server speaks SSH version 2 only (version 1 is broken and gone from OpenSSH)")
			}
			s.remote.cfg.sshV2 = true
			return nil
		}})
	g.Define(cli.Command{Syntax: "no ip ssh version [1$v1 | 2$v2]", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.remote.cfg.sshV2 = false
			return nil
		}})
	g.Define(cli.Command{Syntax: "ip ssh authentication-retries <0-5>", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.remote.cfg.sshRetries = a.Int("authentication-retries")
			return nil
		}})
	g.Define(cli.Command{Syntax: "no ip ssh authentication-retries", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.remote.cfg.sshRetries = defaultSSHRetries
			return nil
		}})
	g.Define(cli.Command{Syntax: "ip ssh pubkey-chain", Priv: privMax, Help: help, Doc: "Configure users' SSH public keys",
		Run: func(c *cli.Ctx, a cli.Args) error {
			c.S.SetMode(keyMode, nil, 0)
			return nil
		}})

	keyHelp := map[string]string{
		"username":   "SSH public key for a user",
		"name":       "User name",
		"key-string": "Enter a public key: on this line (type base64 [comment]) or on the lines that follow",
		"text":       "The key as in authorized_keys: ssh-ed25519 AAAA... [comment]",
		"data":       "Public key data (end with exit)",
	}
	keyMode.Define(cli.Command{Syntax: "username WORD$name", Priv: privMax, Help: keyHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			name := a.Get("name")
			if !validUserName(name) {
				return fmt.Errorf("%% Invalid user name %q: at most 64 printable characters", name)
			}
			c.S.SetMode(keyUserMode, &pubkeyUser{name: name}, 0)
			return nil
		}})
	keyMode.Define(cli.Command{Syntax: "no username WORD$name", Priv: privMax, Help: keyHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			delete(s.remote.cfg.keys, a.Get("name"))
			return nil
		}})
	keyUserMode.Define(cli.Command{Syntax: "key-string [LINE$text]", Priv: privMax, Help: keyHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			st := c.S.State().(*pubkeyUser)
			if text, ok := a.Lookup("text"); ok {
				return s.addUserKey(st.name, text)
			}
			c.S.SetMode(keyDataMode, &pubkeyUser{name: st.name}, 0)
			return nil
		}})
	keyUserMode.Define(cli.Command{Syntax: "no key-string [LINE$text]", Priv: privMax, Help: keyHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			st := c.S.State().(*pubkeyUser)
			text, ok := a.Lookup("text")
			if !ok {
				delete(s.remote.cfg.keys, st.name)
				return nil
			}
			k, err := parseUserKey(text)
			if err != nil {
				return err
			}
			keys := s.remote.cfg.keys[st.name]
			for i, have := range keys {
				if string(have.key.Marshal()) == string(k.key.Marshal()) {
					s.remote.cfg.keys[st.name] = append(keys[:i:i], keys[i+1:]...)
					break
				}
			}
			if len(s.remote.cfg.keys[st.name]) == 0 {
				delete(s.remote.cfg.keys, st.name)
			}
			return nil
		}})
	keyDataMode.Define(cli.Command{Syntax: "LINE$data", Priv: privMax, Help: keyHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			st := c.S.State().(*pubkeyUser)
			if st.data.Len()+len(a.Get("data")) > maxKeyData {
				return fmt.Errorf("%% Key data too long")
			}
			st.data.WriteString(a.Get("data"))
			st.data.WriteByte(' ')
			return nil
		}})
	keyDataMode.Define(cli.Command{Syntax: "exit", Priv: privMax, Help: map[string]string{"exit": "Exit from public-key data configuration mode, adding the key"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			st := c.S.State().(*pubkeyUser)
			c.S.SetMode(keyUserMode, &pubkeyUser{name: st.name}, 0)
			return s.addUserKey(st.name, joinKeyData(st.data.String()))
		}})
}

// joinKeyData puts a key typed over several lines back together: the type
// word, the base64 blob (whose pieces IOS users paste on separate lines)
// and an optional comment.
func joinKeyData(data string) string {
	f := strings.Fields(data)
	if len(f) == 0 {
		return ""
	}
	if strings.HasPrefix(f[0], "ssh-") || strings.HasPrefix(f[0], "ecdsa-") || strings.HasPrefix(f[0], "sk-") {
		// type, then blob pieces until one that is not base64 (the comment).
		blob := ""
		i := 1
		for ; i < len(f) && isBase64(f[i]); i++ {
			blob += f[i]
		}
		return strings.TrimSpace(f[0] + " " + blob + " " + strings.Join(f[i:], " "))
	}
	return strings.Join(f, "")
}

func isBase64(s string) bool {
	return s != "" && strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") == ""
}

// parseUserKey reads a key in authorized_keys form ("type base64 [comment]")
// or the bare base64 blob IOS's key-string takes.
func parseUserKey(text string) (userKey, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return userKey{}, fmt.Errorf("%% No key data")
	}
	if isBase64(text) {
		k, err := ssh.ParsePublicKey(mustDecodeBase64(text))
		if err != nil {
			return userKey{}, fmt.Errorf("%% Invalid public key: the key data does not decode to a public key")
		}
		return userKey{key: k}, nil
	}
	k, comment, opts, rest, err := ssh.ParseAuthorizedKey([]byte(text))
	if err != nil {
		return userKey{}, fmt.Errorf("%% Invalid public key: not a key in authorized_keys form (type base64 [comment])")
	}
	if len(opts) > 0 || len(rest) > 0 {
		return userKey{}, fmt.Errorf("%% Invalid public key: options and several keys are not supported")
	}
	comment = cleanBannerText(comment)
	return userKey{key: k, comment: comment}, nil
}

func (s *Switch) addUserKey(user, text string) error {
	k, err := parseUserKey(text)
	if err != nil {
		return err
	}
	for _, have := range s.remote.cfg.keys[user] {
		if string(have.key.Marshal()) == string(k.key.Marshal()) {
			return nil
		}
	}
	s.remote.cfg.keys[user] = append(s.remote.cfg.keys[user], k)
	return nil
}

// renderAccess adds the remote-access sections to the running-config:
// usernames right after the enable secrets, the doors, the SSH keys, the
// banners and the lines at the end, in IOS order.
func (s *Switch) renderAccess(out []section) []section {
	if s.remote == nil {
		return out
	}
	out = s.renderPasswords(out)
	c := s.remote.cfg
	var users []string
	for _, name := range sortedKeys(c.users) {
		u := c.users[name]
		l := "username " + u.name
		if u.privSet {
			l += fmt.Sprintf(" privilege %d", u.privilege)
		}
		if u.secret != nil {
			l += fmt.Sprintf(" secret %d %s", u.secret.Type, u.secret.Hash)
		}
		users = append(users, l)
	}
	if len(users) > 0 {
		at := 0
		for i, sec := range out {
			if len(sec.lines) > 0 && (strings.HasPrefix(sec.lines[0], "hostname ") || strings.HasPrefix(sec.lines[0], "enable ")) {
				at = i + 1
			}
		}
		out = append(out[:at], append([]section{{lines: users}}, out[at:]...)...)
	}

	var doors []string
	set := s.remote.set
	for _, d := range []struct {
		name string
		cfg  doorConfig
		on   bool
		port int
	}{{"ssh", c.ssh, set.SSHEnabled, portOf(set.SSHListen)}, {"telnet", c.telnet, set.TelnetEnabled, portOf(set.TelnetListen)}} {
		if d.cfg.port != 0 && d.cfg.port != d.port {
			doors = append(doors, fmt.Sprintf("ip %s port %d", d.name, d.cfg.port))
		}
		if d.name == "ssh" {
			if c.sshTimeout != defaultSSHTimeout {
				doors = append(doors, fmt.Sprintf("ip ssh time-out %d", c.sshTimeout))
			}
			if c.sshRetries != defaultSSHRetries {
				doors = append(doors, fmt.Sprintf("ip ssh authentication-retries %d", c.sshRetries))
			}
			if c.sshV2 {
				doors = append(doors, "ip ssh version 2")
			}
		}
		switch {
		case d.cfg.enabled && !d.on:
			doors = append(doors, "ip "+d.name+" server")
		case !d.cfg.enabled && d.on:
			doors = append(doors, "no ip "+d.name+" server")
		}
	}
	if len(doors) > 0 {
		out = append(out, section{lines: doors})
	}
	if len(c.keys) > 0 {
		keys := []string{"ip ssh pubkey-chain"}
		for _, name := range sortedKeys(c.keys) {
			keys = append(keys, " username "+name)
			for _, k := range c.keys[name] {
				keys = append(keys, "  key-string "+k.authorizedLine())
			}
		}
		out = append(out, section{lines: keys})
	}
	var banners []string
	if c.loginBanner != nil {
		banners = append(banners, bannerLines("login", *c.loginBanner)...)
	}
	if c.motd != nil {
		banners = append(banners, bannerLines("motd", *c.motd)...)
	}
	if len(banners) > 0 {
		out = append(out, section{lines: banners})
	}
	if l := c.lineLines(); len(l) > 0 {
		out = append(out, section{lines: l})
	}
	return out
}

// lineLines renders "line con 0" and the vtys, grouping neighbouring vtys
// whose configuration is the same. A switch whose lines are all as they
// come shows none.
func (c *accessConfig) lineLines() []string {
	changed := !c.con.equal(defaultLine("con")) || len(c.vty) != defaultVTYs
	for _, v := range c.vty {
		if !v.equal(defaultLine("vty")) {
			changed = true
		}
	}
	if !changed {
		return nil
	}
	out := append([]string{"line con 0"}, lineBody("con", c.con)...)
	for i := 0; i < len(c.vty); {
		j := i
		for j+1 < len(c.vty) && c.vty[j+1].equal(c.vty[i]) {
			j++
		}
		head := fmt.Sprintf("line vty %d", i)
		if j > i {
			head += fmt.Sprintf(" %d", j)
		}
		out = append(out, head)
		out = append(out, lineBody("vty", c.vty[i])...)
		i = j + 1
	}
	return out
}

func lineBody(kind string, lc lineConfig) []string {
	var out []string
	if lc.timeout != defaultLine(kind).timeout {
		secs := int(lc.timeout / time.Second)
		out = append(out, fmt.Sprintf(" exec-timeout %d %d", secs/60, secs%60))
	}
	if kind == "con" {
		// A console password and login are kept, without effect
		// (conLoginInert).
		if lc.password != nil {
			out = append(out, fmt.Sprintf(" password %d %s", lc.password.Type, lc.password.Hash))
		}
		if lc.logSync {
			out = append(out, " logging synchronous")
		}
		switch lc.login {
		case loginLine:
			out = append(out, " login")
		case loginLocal:
			out = append(out, " login local")
		}
		return out
	}
	if lc.privilege != 0 {
		out = append(out, fmt.Sprintf(" privilege level %d", lc.privilege))
	}
	if lc.password != nil {
		out = append(out, fmt.Sprintf(" password %d %s", lc.password.Type, lc.password.Hash))
	}
	if lc.logSync {
		out = append(out, " logging synchronous")
	}
	switch lc.login {
	case loginLine:
		out = append(out, " login")
	case loginLocal:
		out = append(out, " login local")
	case loginNone:
		out = append(out, " no login")
	}
	if lc.limit != 0 {
		out = append(out, fmt.Sprintf(" session-limit %d", lc.limit))
	}
	if lc.transport != transportAll {
		t := lc.transport.String()
		out = append(out, " transport input "+t)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func mustDecodeBase64(s string) []byte {
	b, _ := base64.StdEncoding.DecodeString(s)
	return b
}

// portOf returns the port of a host:port listen address (0 if none).
func portOf(addr string) int {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(p)
	return n
}
