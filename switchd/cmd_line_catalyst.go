package switchd

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lisa-go/lisa/cli"
)

// IOS commands of lines and passwords that Catalyst configurations carry:
// enable password, username ... password, service password-encryption,
// logging synchronous, terminal width and show line.

var passwordHelp = map[string]string{
	"enable":              "Modify enable password parameters",
	"password":            "Assign the privileged level password (stored hashed; an enable secret wins)",
	"level":               "Set exec level password",
	"<1-15>":              "Level number",
	"type0":               "Specifies an UNENCRYPTED password will follow",
	"type7":               "Specifies a HIDDEN (type 7) password will follow; it is stored hashed",
	"type5":               "Specifies a MD5-crypt HASHED password will follow",
	"type9":               "Specifies a SCRYPT HASHED password will follow",
	"hash7":               "The HIDDEN (type 7) password",
	"hash5":               "The MD5-crypt HASHED password ($1$...)",
	"hash9":               "The SCRYPT HASHED password ($9$...)",
	"clear":               "The UNENCRYPTED (cleartext) password",
	"service":             "Modify use of network based services",
	"password-encryption": "Encrypt system passwords (LiSA-Go: saved only, passwords are kept hashed)",
}

// passwordFromArgs makes the stored form of an IOS "password" argument:
// "{0 LINE | 5 WORD | 7 WORD | 9 WORD | LINE}". Passwords are kept hashed
// (type 9) like secrets; a type 7 one is decoded first.
func passwordFromArgs(a cli.Args) (Secret, error) {
	if a.Has("type7") {
		clear, ok := decodeType7(a.Get("hash7"))
		if !ok {
			return Secret{}, fmt.Errorf("%% Invalid encrypted password: a type 7 password is an even number of hex digits after two decimal ones")
		}
		return NewSecret(clear)
	}
	return secretFromArgs(a, "clear")
}

const passwordChoice = "{0$type0 LINE$clear | 5$type5 WORD$hash5 | 7$type7 WORD$hash7 | 9$type9 WORD$hash9 | LINE$clear}"

// definePasswords declares enable password, username ... password and
// service password-encryption, and has enable accept the enable password.
func (s *Switch) definePasswords() {
	g := s.conf
	levelOf := func(a cli.Args) int {
		if v, ok := a.Lookup("level"); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
		return privMax
	}
	g.Define(cli.Command{Syntax: "enable password [level <1-15>] " + passwordChoice, Priv: privMax, Help: passwordHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			sec, err := passwordFromArgs(a)
			if err != nil {
				return err
			}
			s.remote.cfg.enablePW[levelOf(a)] = sec
			return nil
		}})
	g.Define(cli.Command{Syntax: "no enable password [level <1-15>]", Priv: privMax, Help: passwordHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			delete(s.remote.cfg.enablePW, levelOf(a))
			return nil
		}})
	userHelp := map[string]string{
		"username":  "Establish User Name Authentication",
		"name":      "User name",
		"privilege": "Set user privilege level",
		"level":     "User privilege level",
		"password":  "Specify the password for the user (stored hashed, as its secret)",
	}
	for k, v := range passwordHelp {
		if _, ok := userHelp[k]; !ok {
			userHelp[k] = v
		}
	}
	g.Define(cli.Command{Syntax: "username WORD$name [privilege <0-15>$level] password " + passwordChoice, Priv: privMax, Help: userHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			name := a.Get("name")
			if !validUserName(name) {
				return fmt.Errorf("%% Invalid user name %q: at most 64 printable characters", name)
			}
			sec, err := passwordFromArgs(a)
			if err != nil {
				return err
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
			u.secret = &sec
			return nil
		}})
	g.Define(cli.Command{Syntax: "service password-encryption", Priv: privMax, Help: passwordHelp,
		Doc: "Accepted and saved; LiSA-Go keeps every password hashed anyway",
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.remote.cfg.pwEncryption = true
			s.remote.cfg.pwEncryptionNo = false
			return nil
		}})
	g.Define(cli.Command{Syntax: "no service password-encryption", Priv: privMax, Help: passwordHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.remote.cfg.pwEncryption = false
			// IOS shows the no form; a Catalyst configuration has it.
			s.remote.cfg.pwEncryptionNo = true
			return nil
		}})
}

func (c *accessConfig) pwEncryptionLine() string {
	switch {
	case c.pwEncryption:
		return "service password-encryption"
	case c.pwEncryptionNo:
		return "no service password-encryption"
	}
	return ""
}

func inertTopLine(l string) bool {
	return strings.HasPrefix(l, "version ") || strings.HasPrefix(l, "service ") || strings.HasPrefix(l, "no service ")
}

// renderPasswords adds the enable passwords after the enable secrets and
// service password-encryption before the hostname, in IOS order.
func (s *Switch) renderPasswords(out []section) []section {
	c := s.remote.cfg
	if line := c.pwEncryptionLine(); line != "" {
		at := 0
		for i, sec := range out {
			if len(sec.lines) > 0 && strings.HasPrefix(sec.lines[0], "hostname ") {
				at = i
				break
			}
		}
		if at > 0 && len(out[at-1].lines) > 0 && inertTopLine(out[at-1].lines[0]) {
			// In the block of version and service lines, as IOS.
			out[at-1].lines = append(out[at-1].lines, line)
		} else {
			out = append(out[:at], append([]section{{lines: []string{line}}}, out[at:]...)...)
		}
	}
	var pws []string
	for lvl := 1; lvl <= privMax; lvl++ {
		pw, ok := c.enablePW[lvl]
		if !ok {
			continue
		}
		if lvl == privMax {
			pws = append(pws, fmt.Sprintf("enable password %d %s", pw.Type, pw.Hash))
		} else {
			pws = append(pws, fmt.Sprintf("enable password level %d %d %s", lvl, pw.Type, pw.Hash))
		}
	}
	if len(pws) > 0 {
		at := 0
		for i, sec := range out {
			if len(sec.lines) > 0 && (strings.HasPrefix(sec.lines[0], "hostname ") || strings.HasPrefix(sec.lines[0], "enable secret ")) {
				at = i + 1
			}
		}
		out = append(out[:at], append([]section{{lines: pws}}, out[at:]...)...)
	}
	return out
}

// defineLineExtras declares logging synchronous in config-line.
func (s *Switch) defineLineExtras(m *cli.Mode, each func(c *cli.Ctx, f func(lc *lineConfig))) {
	help := map[string]string{
		"logging":     "Modify message logging facilities",
		"synchronous": "Synchronized message output (LiSA-Go always reprints the prompt and typed line)",
	}
	both := classLineCon | classLineVTY
	m.Define(cli.Command{Syntax: "logging synchronous", Priv: privMax, Class: both, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			each(c, func(lc *lineConfig) { lc.logSync = true })
			return nil
		}})
	m.Define(cli.Command{Syntax: "no logging synchronous", Priv: privMax, Class: both, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			each(c, func(lc *lineConfig) { lc.logSync = false })
			return nil
		}})
}

// defineTerminalWidth declares terminal width.
func (s *Switch) defineTerminalWidth() {
	help := map[string]string{
		"terminal": "Set terminal line parameters",
		"width":    "Set width of the display terminal",
		"<0-512>":  "Number of characters on a screen line (0: the terminal's own)",
	}
	set := func(c *cli.Ctx, w int) {
		if l, ok := c.S.Info.(*line); ok {
			l.width.Store(int32(w))
		}
	}
	s.exec.Define(cli.Command{Syntax: "terminal width <0-512>", Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			set(c, a.Int("width"))
			return nil
		}})
	s.exec.Define(cli.Command{Syntax: "terminal no width", Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			set(c, 0)
			return nil
		}})
}

// defineShowLine declares show line.
func (s *Switch) defineShowLine() {
	help := map[string]string{
		"line":    "TTY line information",
		"number":  "First Line range",
		"vty":     "Virtual terminal",
		"vtynum":  "First Line range",
		"console": "Primary terminal line",
		"0":       "First Line range",
	}
	s.exec.Define(cli.Command{Syntax: "show line [<0-100>$number | vty <0-99>$vtynum | console 0]", Pipe: true, Help: help, Run: s.showLine})
}

const showLineHeader = "   Tty Typ     Tx/Rx    A Modem  Roty AccO AccI   Uses   Noise  Overruns   Int\n"

// showLine prints IOS's table of lines, or one line's details.
func (s *Switch) showLine(c *cli.Ctx, a cli.Args) error {
	cfg := s.remote.cfg
	nvty := len(cfg.vty)
	one := -1
	switch {
	case a.Has("vty"):
		one = a.Int("vtynum") + 1
	case a.Has("console"):
		one = 0
	default:
		if v, ok := a.Lookup("number"); ok {
			one, _ = strconv.Atoi(v)
		}
	}
	if one > nvty {
		return fmt.Errorf("%% Invalid line number %d: the lines are 0 (con 0) to %d (vty %d)", one, nvty, nvty-1)
	}
	inUse := map[int][]*line{}
	for _, l := range s.lines.list() {
		inUse[l.number()] = append(inUse[l.number()], l)
	}
	uses := s.lines.usesByNumber()
	row := func(n int) string {
		mark, typ := " ", "VTY"
		if n == 0 {
			typ = "CTY"
		}
		if len(inUse[n]) > 0 {
			mark = "*"
		}
		// Columns as IOS aligns them under the header.
		return fmt.Sprintf("%1s%5d %-3s %14s %4s %6s %4s %4s %6d %7d %7s %7s\n", mark, n, typ, "-", "-", "-", "-", "-", uses[n], 0, "0/0", "-")
	}
	c.Print(showLineHeader)
	if one < 0 {
		for n := 0; n <= nvty; n++ {
			c.Print(row(n))
		}
		return nil
	}
	c.Print(row(one))
	c.Print("\n")
	lc, name := cfg.con, "con 0"
	if one > 0 {
		lc, name = cfg.vty[one-1], fmt.Sprintf("vty %d", one-1)
	}
	now := s.now()
	ls := inUse[one]
	if len(ls) == 0 {
		c.Printf("Line %d (%s), Location: \"\", Type: \"\"\n", one, name)
		c.Print("Status: Ready\n")
	}
	for _, l := range ls {
		c.Printf("Line %d (%s), Location: %q, Type: %q\n", one, name, l.location, l.door)
		status := "Ready, Active"
		if l.session() == c.S {
			status += ", this session"
		}
		c.Printf("Status: %s\n", status)
		if u := l.userName(); u != "" {
			c.Printf("User: %s\n", u)
		}
		c.Printf("Time since activation: %s, idle %s\n", fmtDuration(now.Sub(l.since)), fmtDuration(l.idle(now)))
		if w := l.width.Load(); w > 0 {
			c.Printf("Width: %d columns (terminal width)\n", w)
		}
	}
	if lc.timeout == 0 {
		c.Print("Idle EXEC timeout: never\n")
	} else {
		secs := int(lc.timeout / time.Second)
		c.Printf("Idle EXEC timeout: %02d:%02d:%02d\n", secs/3600, secs/60%60, secs%60)
	}
	sync := "off"
	if lc.logSync {
		sync = "on"
	}
	c.Printf("Logging synchronous: %s\n", sync)
	if one == 0 {
		return nil
	}
	login := map[loginMode]string{loginLine: "line password", loginLocal: "local users", loginNone: "none"}[lc.login]
	if lc.login == loginLine && lc.password == nil {
		login += " (none set: nobody can log in)"
	}
	c.Printf("Login: %s\n", login)
	if lc.limit > 0 {
		c.Printf("Session limit is %d sessions.\n", lc.limit)
	} else {
		c.Print("Session limit is not set.\n")
	}
	t := map[transportSet]string{transportAll: "ssh telnet", transportSSH: "ssh", transportTelnet: "telnet", transportNone: "none"}[lc.transport]
	c.Printf("Allowed input transports are %s.\n", t)
	return nil
}
