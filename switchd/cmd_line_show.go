package switchd

import (
	"fmt"
	"sort"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/lisa-go/lisa/cli"
)

// defineSessionCommands declares show ssh, show ip ssh, show sessions and
// clear line.
func (s *Switch) defineSessionCommands() {
	x := s.exec
	x.Define(cli.Command{Syntax: "show ssh", Pipe: true,
		Help: map[string]string{"ssh": "Status of SSH server connections"}, Run: s.showSSH})
	x.Define(cli.Command{Syntax: "show ip ssh", Pipe: true,
		Help: map[string]string{"ip": "IP information", "ssh": "Information on SSH"}, Run: s.showIPSSH})
	x.Define(cli.Command{Syntax: "show sessions",
		Help: map[string]string{"sessions": "Information about Telnet connections"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			// LiSA-Go opens no outgoing connections.
			c.Print("% No connections open\n")
			return nil
		}})
	clearHelp := map[string]string{
		"clear":   "Reset functions",
		"line":    "Reset a terminal line",
		"number":  "Line number",
		"vty":     "Virtual terminal",
		"vtynum":  "Virtual terminal number",
		"console": "Primary terminal line",
		"0":       "Console line number",
	}
	x.Define(cli.Command{Syntax: "clear line {<0-100>$number | vty <0-99>$vtynum | console 0}", Priv: privMax, Help: clearHelp,
		Unlocked: true, Run: s.clearLine})
}

func (s *Switch) clearLine(c *cli.Ctx, a cli.Args) error {
	kind, idx := "con", 0
	switch {
	case a.Has("vty"):
		kind, idx = "vty", a.Int("vtynum")
	case a.Has("console"):
	default:
		if n := a.Int("number"); n > 0 {
			kind, idx = "vty", n-1
		}
	}
	l := s.lines.find(kind, idx)
	if kind == "con" {
		// Every local shell is on con 0: clear the one other than the
		// caller's, never a guess among several.
		var others, where []string
		var other *line
		for _, o := range s.lines.list() {
			if o.kind == "con" && o.session() != c.S {
				other = o
				others = append(others, o.name())
				where = append(where, o.location)
			}
		}
		switch {
		case len(others) == 0:
			if me, _ := c.S.Info.(*line); me != nil && me.kind == "con" {
				return fmt.Errorf("%% No session but yours is on con 0")
			}
		case len(others) == 1:
			l = other
		case len(others) > 1:
			sort.Strings(where)
			return fmt.Errorf("%% %d other sessions are on con 0 (%s); end them from the host", len(others), strings.Join(where, ", "))
		}
	}
	ok, err := c.Confirm("[confirm]")
	if err != nil || !ok {
		return err
	}
	if l == nil || !l.endSession() {
		return fmt.Errorf("%% Line %s %d is not in use", kind, idx)
	}
	s.log.Info("line cleared", "line", l.name(), "user", l.userName(), "from", l.location)
	if l.session() != c.S {
		c.Print(" [OK]\n")
	}
	return nil
}

func (s *Switch) showSSH(c *cli.Ctx, a cli.Args) error {
	type row struct{ conn, mode, enc, mac, state, user string }
	var rows []row
	for _, l := range s.lines.list() {
		l.mu.Lock()
		info, user := l.info, l.user
		l.mu.Unlock()
		if info == nil {
			continue
		}
		mac := func(m string) string {
			if m == "" {
				return "-" // an AEAD cipher needs no MAC
			}
			return m
		}
		n := fmt.Sprint(l.idx)
		rows = append(rows, row{n, "IN", info.cipherIn, mac(info.macIn), info.state, user},
			row{n, "OUT", info.cipher, mac(info.mac), info.state, user})
	}
	if len(rows) == 0 {
		c.Print("%No SSHv2 server connections running.\n")
		return nil
	}
	encW, macW := len("Encryption"), len("Hmac")
	for _, r := range rows {
		encW, macW = max(encW, len(r.enc)), max(macW, len(r.mac))
	}
	f := fmt.Sprintf("%%-10s %%-7s %%-4s %%-%ds %%-%ds %%-15s %%s\n", encW, macW)
	c.Printf(f, "Connection", "Version", "Mode", "Encryption", "Hmac", "State", "Username")
	for _, r := range rows {
		c.Printf(f, r.conn, "2.0", r.mode, r.enc, r.mac, r.state, r.user)
	}
	c.Print("%No SSHv1 server connections running.\n")
	return nil
}

// showIPSSH runs with the lock held, as commands do.
func (s *Switch) showIPSSH(c *cli.Ctx, a cli.Args) error {
	r := s.remote
	cfg := r.cfg
	state := "Disabled"
	switch {
	case r.ssh.ln != nil:
		state = "Enabled - version 2.0"
	case r.ssh.err != nil:
		state = "Enabled - not listening: " + r.ssh.err.Error()
	case cfg.ssh.enabled && !cfg.anyTransport(transportSSH):
		state = "Enabled - no vty line accepts SSH (transport input)"
	case cfg.ssh.enabled && !r.active:
		state = "Enabled - not started"
	}
	c.Printf("SSH %s\n", state)
	switch {
	case r.ssh.ln != nil:
		c.Printf("Listening on: %s\n", r.ssh.ln.Addr().String())
	case cfg.ssh.enabled && r.ssh.addr != "":
		// Not listening: where it would.
		c.Printf("Configured address: %s\n", r.ssh.addr)
	}
	c.Printf("Authentication methods:publickey,password\n")
	c.Printf("Authentication timeout: %d secs; Authentication retries: %d\n", cfg.sshTimeout, cfg.sshRetries)
	if r.hostKey != nil {
		c.Printf("Host key: %s %s\n", r.hostKey.PublicKey().Type(), ssh.FingerprintSHA256(r.hostKey.PublicKey()))
	}
	if r.set.HostKeyPath != "" {
		c.Printf("Host key file: %s\n", r.set.HostKeyPath)
	}
	return nil
}
