package switchd

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lisa-go/lisa/cli"
)

func (s *Switch) defineGlobal() {
	g := s.conf
	g.Define(cli.Command{Syntax: "hostname WORD", Priv: privMax,
		Help: map[string]string{"hostname": "Set system's network name", "WORD": "This system's network name"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			h := a.Get("hostname")
			if len(h) > maxHostname && validHostname(h[:maxHostname]) {
				return fmt.Errorf("%% Hostname is too long: %d characters (at most %d).", len(h), maxHostname)
			}
			if !validHostname(h) {
				return fmt.Errorf("%% Hostname contains one or more illegal characters.")
			}
			s.setHostname(h)
			return nil
		}})
	g.Define(cli.Command{Syntax: "no hostname", Priv: privMax,
		Help: map[string]string{"hostname": "Set system's network name"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.setHostname("Switch")
			return nil
		}})

	secretHelp := map[string]string{
		"enable":   "Modify enable password parameters",
		"secret":   "Assign the privileged level secret",
		"level":    "Set exec level password",
		"<1-15>":   "Level number",
		"0":        "Specifies an UNENCRYPTED password will follow",
		"5":        "Specifies a MD5-crypt HASHED secret will follow",
		"9":        "Specifies a SCRYPT HASHED secret will follow",
		"LINE":     "The UNENCRYPTED (cleartext) 'enable' secret",
		"hash5":    "The MD5-crypt HASHED 'enable' secret ($1$...)",
		"hash9":    "The SCRYPT HASHED 'enable' secret ($9$...)",
		"WORD":     "The HASHED 'enable' secret",
		"password": "The UNENCRYPTED (cleartext) 'enable' secret",
	}
	g.Define(cli.Command{Syntax: "enable secret [level <1-15>] {0 LINE$password | 5 WORD$hash5 | 9 WORD$hash9 | LINE$password}", Priv: privMax,
		Help: secretHelp, Run: s.cmdEnableSecret})
	g.Define(cli.Command{Syntax: "no enable secret [level <1-15>]", Priv: privMax, Help: secretHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			lvl := privMax
			if v, ok := a.Lookup("level"); ok {
				lvl, _ = strconv.Atoi(v)
			}
			delete(s.cfg.secrets, lvl)
			return nil
		}})
	s.defineLoggingGlobal()
}

func (s *Switch) cmdEnableSecret(c *cli.Ctx, a cli.Args) error {
	lvl := privMax
	if v, ok := a.Lookup("level"); ok {
		lvl, _ = strconv.Atoi(v)
	}
	var sec Secret
	var err error
	switch {
	case a.Has("5"):
		sec, err = ParseSecret(5, a.Get("hash5"))
	case a.Has("9"):
		sec, err = ParseSecret(9, a.Get("hash9"))
	default:
		sec, err = NewSecret(a.Get("password"))
	}
	if err != nil {
		return err
	}
	s.cfg.secrets[lvl] = sec
	return nil
}

// maxHostname is the longest hostname IOS (and a DNS label) allows.
const maxHostname = 63

// validHostname follows IOS: letters, digits and hyphens, starting with a
// letter or digit, at most 63 characters.
func validHostname(h string) bool {
	if h == "" || len(h) > maxHostname || h[0] == '-' {
		return false
	}
	// Dots are taken, as Catalysts take them ("access-7.lab"), between
	// labels.
	if h[len(h)-1] == '.' || h[0] == '.' || strings.Contains(h, "..") {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
