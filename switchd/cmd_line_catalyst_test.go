package switchd

import (
	"strings"
	"testing"
)

// catalystLines are lines of a real Catalyst configuration that carry the
// weaker IOS password forms and line settings ("cisco" is 02050D480809 in
// type 7).
var catalystLines = []string{
	"service password-encryption",
	"enable password 7 02050D480809",
	"username admin privilege 15 password 7 02050D480809",
	"username oper password 0 oper-pw",
	"line con 0", "logging synchronous", "exec-timeout 0 0",
	"line vty 0 4", "password 7 02050D480809", "logging synchronous", "login", "transport input ssh",
	"line vty 5 15", "login",
}

func TestCatalystPasswordsAndLineSettingsPaste(t *testing.T) {
	if clear, ok := decodeType7("02050D480809"); !ok || clear != "cisco" {
		t.Fatalf("type 7 test vector: %q %v", clear, ok)
	}
	r := newRig(t, "eth0")
	r.configure(catalystLines...)
	body := r.runningBody()
	for _, want := range []string{
		"service password-encryption\n!\nhostname Switch\n!\nenable password 9 $9$",
		"\n!\nusername admin privilege 15 secret 9 $9$",
		"\nusername oper secret 9 $9$",
		"!\nline con 0\n logging synchronous\nline vty 0 4\n password 9 $9$",
		"\n logging synchronous\n login\n transport input ssh\nline vty 5 15\n login\n!\nend\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("running-config lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "cisco") || strings.Contains(body, "02050D480809") || strings.Contains(body, "oper-pw") {
		t.Errorf("a password is kept in clear or type 7:\n%s", body)
	}
	// The saved form replays to the same configuration.
	r.run("write memory")
	r2 := newRig(t, "eth0")
	r2.sw.store = r.store
	if errs := r2.sw.LoadStartup(); len(errs) > 0 {
		t.Fatalf("startup errors: %+v", errs)
	}
	if after := r2.runningBody(); after != body {
		t.Fatalf("reloaded config differs:\n%s", firstDiff(after, body))
	}
	// Users log in with the passwords.
	if lvl, ok := r.sw.checkLocalUser(r.sw.loginPolicyFor(0), "admin", "cisco"); !ok || lvl != 15 {
		t.Errorf("admin with its password: %d %v", lvl, ok)
	}
	if _, ok := r.sw.checkLocalUser(r.sw.loginPolicyFor(0), "oper", "oper-pw"); !ok {
		t.Errorf("oper with its password refused")
	}
	r.configure("no service password-encryption", "line con 0", "no logging synchronous", "line vty 0 15", "no logging synchronous")
	// IOS shows the no form of service password-encryption.
	if body := r.runningBody(); strings.Contains(body, "\nservice password-encryption") || !strings.Contains(body, "\nno service password-encryption\n") ||
		strings.Contains(body, "logging synchronous") {
		t.Errorf("the no forms left:\n%s", body)
	}
}

func TestEnablePasswordAndSecret(t *testing.T) {
	r := newRig(t)
	r.configure("enable password 0 pw-only")
	got := r.vty("oper", "10.0.0.5").Transcript([]string{"enable", "show privilege", "disable", "enable"}, "wrong", "pw-only", "a", "b", "c")
	want := "Switch>enable\nPassword: \nPassword: \nSwitch#show privilege\nCurrent privilege level is 15\nSwitch#disable\nSwitch>enable\nPassword: \nPassword: \nPassword: \n% Bad passwords\n\n"
	expectScreen(t, got, want)

	// With both, the enable secret wins, as on IOS.
	r.configure("enable secret 0 the-secret")
	got = r.vty("oper", "10.0.0.5").Transcript([]string{"enable", "enable", "show privilege"}, "pw-only", "pw-only", "pw-only", "the-secret")
	if !strings.Contains(got, "% Bad secrets") || !strings.HasSuffix(got, "Current privilege level is 15\n") {
		t.Errorf("secret and password:\n%s", got)
	}
	// Levels: an enable password of level 5 only.
	r.configure("no enable secret", "no enable password", "enable password level 5 five")
	got = r.vty("oper", "10.0.0.5").Transcript([]string{"enable", "enable 5", "show privilege"}, "five")
	if !strings.Contains(got, "Switch>enable\n% No password set\n") || !strings.HasSuffix(got, "Current privilege level is 5\n") {
		t.Errorf("levels:\n%s", got)
	}
	if body := r.runningBody(); !strings.Contains(body, "\nenable password level 5 9 $9$") || strings.Contains(body, "enable password 9") {
		t.Errorf("running-config:\n%s", body)
	}
	// A bad type 7 is refused.
	out := r.run("configure terminal", "enable password 7 XYZ", "end")
	if !strings.Contains(out, "% Invalid encrypted password") {
		t.Errorf("bad type 7:\n%s", out)
	}
}

func TestTerminalWidthAndShowLine(t *testing.T) {
	r := newRig(t)
	r.configure("line vty 0 15", "session-limit 4", "line vty 1", "logging synchronous", "no login", "transport input telnet")
	v := r.vty("admin", "10.0.0.5")
	con := r.console()
	got := con.Transcript([]string{"terminal width 100", "show line"})
	if term := con.Transcript([]string{"show terminal"}); !strings.Contains(term, "Width: 100 columns") {
		t.Errorf("show terminal after terminal width 100:\n%s", term)
	}
	lines := strings.Split(got, "\n")
	if lines[2] != showLineHeader[:len(showLineHeader)-1] {
		t.Errorf("header %q", lines[2])
	}
	for _, want := range []string{
		"*    0 CTY              -    -      -    -    -      1       0     0/0       -",
		"*    1 VTY              -    -      -    -    -      1       0     0/0       -",
		"     2 VTY              -    -      -    -    -      0       0     0/0       -",
		"    16 VTY              -    -      -    -    -      0       0     0/0       -",
	} {
		if !strings.Contains(got, "\n"+want+"\n") {
			t.Errorf("show line lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, " 17 VTY") {
		t.Errorf("more vtys than configured:\n%s", got)
	}
	for i, l := range lines[3:] {
		if l != "" && !strings.HasPrefix(l, "Switch#") && len(l) != len(showLineHeader)-1 {
			t.Errorf("row %d is %d wide, the header %d: %q", i, len(l), len(showLineHeader)-1, l)
		}
	}
	got = con.Transcript([]string{"show line 0", "show line vty 1", "show line 17"})
	for _, want := range []string{
		"Line 0 (con 0), Location: \"\", Type: \"console\"\nStatus: Ready, Active, this session\nUser: root\n",
		"Width: 100 columns (terminal width)\nIdle EXEC timeout: never\nLogging synchronous: off\n",
		"Line 2 (vty 1), Location: \"\", Type: \"\"\nStatus: Ready\nIdle EXEC timeout: 00:10:00\nLogging synchronous: on\nLogin: none\nSession limit is 4 sessions.\nAllowed input transports are telnet.\n",
		"% Invalid line number 17: the lines are 0 (con 0) to 16 (vty 15)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("show line details lack %q:\n%s", want, got)
		}
	}
	// The vty session sets its own width.
	got = v.Transcript([]string{"terminal width 0", "terminal no width"})
	if strings.Contains(got, "%") {
		t.Errorf("terminal width at level 1:\n%s", got)
	}
}
