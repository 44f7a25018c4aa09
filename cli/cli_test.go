package cli

import (
	"fmt"
	"strings"
	"testing"
)

// testShell is a small IOS-like grammar exercising every feature of the
// framework; the switch's real grammar lives in package switchd.
type testShell struct {
	env      *Env
	hostname string
	ran      []string
}

func newTestShell(t testing.TB) *testShell {
	ts := &testShell{hostname: "Switch"}
	in := NewInterpreter()
	exec := in.NewMode("exec", "", nil, false)
	config := in.NewMode("config", "(config)", nil, true)
	cif := in.NewMode("config-if", "(config-if)", config, true)
	in.RegisterType(&ParamType{
		Name: "VLANLIST", Rank: RankList,
		Accept: func(s string) bool { return strings.Trim(s, "0123456789,-") == "" && s != "" },
		Prefix: func(s string) int {
			for i := 0; i < len(s); i++ {
				if !strings.ContainsRune("0123456789,-", rune(s[i])) {
					return i
				}
			}
			return len(s)
		},
	})
	in.SetHelp("show", "Show running system information")
	in.SetHelp("exit", "Exit from the EXEC")
	in.SetHelp("end", "Exit from configure mode")
	in.SetHelp("<1-4094>", "VLAN ID")
	rec := func(name string) Handler {
		return func(c *Ctx, a Args) error {
			ts.ran = append(ts.ran, name+fmt.Sprint(a.values)+fmt.Sprint(keys(a.keywords)))
			c.Printf("ran %s\n", name)
			return nil
		}
	}
	exec.Define(Command{Syntax: "show version", Help: map[string]string{"version": "System hardware and software status"}, Pipe: true,
		Run: func(c *Ctx, a Args) error {
			c.Print("LiSA-Go version 1\nline two\nline three\n")
			return nil
		}})
	exec.Define(Command{Syntax: "show vlan [brief | id <1-4094> | name WORD]", Pipe: true,
		Help: map[string]string{"vlan": "VTP VLAN status", "brief": "VTP all VLAN status in brief", "id": "VTP VLAN status by VLAN id", "name": "VTP VLAN status by VLAN name", "WORD": "A VTP VLAN name"},
		Run:  rec("show-vlan")})
	exec.Define(Command{Syntax: "show mac address-table [dynamic|static] [address H.H.H] [vlan <1-4094>]", Pipe: true,
		Help: map[string]string{"mac": "MAC configuration", "address-table": "MAC forwarding table", "dynamic": "dynamic entry type", "static": "static entry type", "address": "address keyword", "H.H.H": "48 bit mac address", "vlan": "VLAN keyword"},
		Run:  rec("show-mac")})
	exec.Define(Command{Syntax: "show mac-address-table [dynamic|static]", Hidden: true, Pipe: true,
		Help: map[string]string{"mac-address-table": "MAC forwarding table", "dynamic": "dynamic entry type", "static": "static entry type"},
		Run:  rec("show-mac-legacy")})
	exec.Define(Command{Syntax: "show running-config", Priv: 15, Pipe: true, Help: map[string]string{"running-config": "Current operating configuration"},
		Run: func(c *Ctx, a Args) error {
			c.Print("!\nhostname Switch\n!\ninterface eth0\n description up\n!\ninterface eth1\n shutdown\n!\nend\n")
			return nil
		}})
	exec.Define(Command{Syntax: "configure terminal", Priv: 15, Help: map[string]string{"configure": "Enter configuration mode", "terminal": "Configure from the terminal"},
		Run: func(c *Ctx, a Args) error {
			c.Print("Enter configuration commands, one per line.  End with CNTL/Z.\n")
			c.S.SetMode(config, nil, 0)
			return nil
		}})
	exec.Define(Command{Syntax: "enable [<1-15>]", Help: map[string]string{"enable": "Turn on privileged commands", "<1-15>": "Enable level"},
		Run: func(c *Ctx, a Args) error {
			c.S.Level = 15
			if v, ok := a.Lookup("enable"); ok {
				fmt.Sscan(v, &c.S.Level)
			}
			return nil
		}})
	exec.Define(Command{Syntax: "exit", Run: func(c *Ctx, a Args) error { c.Close(); return nil }})
	exec.Define(Command{Syntax: "write memory", Priv: 15, Help: map[string]string{"write": "Write running configuration to memory, network, or terminal", "memory": "Write to NV memory"}, Run: rec("write")})
	exec.Define(Command{Syntax: "ping WORD", Help: map[string]string{"ping": "Send echo messages", "WORD": "Ping destination address or hostname"}, Run: rec("ping")})
	exec.Define(Command{Syntax: "reload", Priv: 15, Help: map[string]string{"reload": "Halt and perform a cold restart"},
		Run: func(c *Ctx, a Args) error {
			ok, err := c.Confirm("Proceed with reload? [confirm]")
			if err != nil {
				return err
			}
			c.Printf("confirmed=%v\n", ok)
			return nil
		}})
	exec.Define(Command{Syntax: "crash", Hidden: true, Help: map[string]string{"crash": "Test a panicking handler"}, Run: func(c *Ctx, a Args) error { panic("boom") }})
	exec.Define(Command{Syntax: "fail", Hidden: true, Help: map[string]string{"fail": "Test a failing handler"}, Run: func(c *Ctx, a Args) error { return fmt.Errorf("%% It failed") }})

	config.Define(Command{Syntax: "hostname LINE", Priv: 15, Help: map[string]string{"hostname": "Set system's network name", "LINE": "This system's network name"},
		Run: func(c *Ctx, a Args) error { ts.hostname = a.Get("hostname"); return nil }})
	config.Define(Command{Syntax: "interface WORD", Priv: 15, Help: map[string]string{"interface": "Select an interface to configure", "WORD": "Interface name"},
		Run: func(c *Ctx, a Args) error { c.S.SetMode(cif, a.Get("interface"), 1); return nil }})
	config.Define(Command{Syntax: "vlan <1-4094>", Priv: 15, Help: map[string]string{"vlan": "Vlan commands"}, Run: rec("vlan")})
	config.Define(Command{Syntax: "end", Priv: 15, Run: func(c *Ctx, a Args) error { c.S.SetMode(exec, nil, 0); return nil }})
	config.Define(Command{Syntax: "exit", Priv: 15, Help: map[string]string{"exit": "Exit from configure mode"}, Run: func(c *Ctx, a Args) error { c.S.SetMode(exec, nil, 0); return nil }})
	config.DefineJump("do", "To run exec commands in config mode", exec)

	cif.Define(Command{Syntax: "description LINE", Priv: 15, Help: map[string]string{"description": "Interface specific description", "LINE": "Up to 240 characters describing this interface"}, Run: rec("description")})
	cif.Define(Command{Syntax: "shutdown", Priv: 15, Class: 1, Help: map[string]string{"shutdown": "Shutdown the selected interface"}, Run: rec("shutdown")})
	cif.Define(Command{Syntax: "switchport access vlan <1-4094>", Priv: 15, Class: 1,
		Help: map[string]string{"switchport": "Set switching mode characteristics", "access": "Set access mode characteristics of the interface", "vlan": "Set VLAN when interface is in access mode"},
		Run:  rec("access")})
	cif.Define(Command{Syntax: "switchport trunk allowed vlan {VLANLIST | add VLANLIST | remove VLANLIST | all | none}", Priv: 15, Class: 1,
		Help: map[string]string{"switchport": "Set switching mode characteristics", "trunk": "Set trunking characteristics of the interface", "allowed": "Set allowed VLAN characteristics when interface is in trunking mode",
			"vlan": "Set allowed VLANs when interface is in trunking mode", "VLANLIST": "VLAN IDs of the allowed VLANs when this port is in trunking mode",
			"add": "add VLANs to the current list", "remove": "remove VLANs from the current list", "all": "all VLANs", "none": "no VLANs"},
		Run: rec("allowed")})
	cif.Define(Command{Syntax: "exit", Priv: 15, Help: map[string]string{"exit": "Exit from interface configuration mode"}, Run: func(c *Ctx, a Args) error { c.S.SetMode(config, nil, 0); return nil }})
	cif.Define(Command{Syntax: "end", Priv: 15, Run: func(c *Ctx, a Args) error { c.S.SetMode(exec, nil, 0); return nil }})

	ts.env = &Env{Interp: in, Exec: exec, Config: config, Hostname: func() string { return ts.hostname }}
	return ts
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// typeLines plays input lines on a session and returns the screen.
func typeLines(s *Session, scr *screenIO, lines ...string) string {
	return s.transcript(scr, lines)
}

func TestTranscripts(t *testing.T) {
	cases := []struct {
		name  string
		level int
		in    []string
		want  string
	}{
		{"partial help", 15, []string{"sh?"}, "Switch#sh?\nshow\n\n"},
		{"partial help two matches", 15, []string{"show m?"}, "Switch#show m?\nmac\n\n"},
		{"full help", 15, []string{"show ?"}, `Switch#show ?
  mac             MAC configuration
  running-config  Current operating configuration
  version         System hardware and software status
  vlan            VTP VLAN status

`},
		{"full help level 1 hides", 1, []string{"show ?"}, `Switch>show ?
  mac      MAC configuration
  version  System hardware and software status
  vlan     VTP VLAN status

`},
		{"help with cr and pipe", 15, []string{"show vlan ?"}, `Switch#show vlan ?
  brief  VTP all VLAN status in brief
  id     VTP VLAN status by VLAN id
  name   VTP VLAN status by VLAN name
  |      Output modifiers
  <cr>

`},
		{"help on a parameter", 15, []string{"show vlan id ?"}, "Switch#show vlan id ?\n  <1-4094>  VLAN ID\n\n"},
		{"leaf help", 15, []string{"show version ?"}, "Switch#show version ?\n  |  Output modifiers\n  <cr>\n\n"},
		{"pipe help", 15, []string{"show version | ?"}, `Switch#show version | ?
  begin    Begin with the line that matches
  count    Count number of lines which match regexp
  exclude  Exclude lines that match
  include  Include lines that match
  section  Filter a section of output

`},
		{"unrecognized help", 15, []string{"sh jjj?"}, "Switch#sh jjj?\n% Unrecognized command\n"},
		{"unrecognized help after space", 15, []string{"show version qqq ?"}, "Switch#show version qqq ?\n% Unrecognized command\n"},
		{"ambiguous help", 15, []string{"e ?"}, "Switch#e ?\n% Ambiguous command:  \"e \"\n"},
		{"incomplete", 15, []string{"show mac", "configure terminal", "interface"}, "Switch#show mac\n% Incomplete command.\n\n" +
			"Switch#configure terminal\nEnter configuration commands, one per line.  End with CNTL/Z.\nSwitch(config)#interface\n% Incomplete command.\n\n"},
		{"show alone hints at show ?", 15, []string{"show", "sh", "configure terminal", "do show", "do sh | include x"}, "Switch#show\n% Type \"show ?\" for a list of subcommands\n" +
			"Switch#sh\n% Type \"show ?\" for a list of subcommands\n" +
			"Switch#configure terminal\nEnter configuration commands, one per line.  End with CNTL/Z.\n" +
			"Switch(config)#do show\n% Type \"show ?\" for a list of subcommands\n" +
			"Switch(config)#do sh | include x\n" + strings.Repeat(" ", 21) + "^\n% Invalid input detected at '^' marker.\n\n"},
		{"ambiguous", 15, []string{"e"}, "Switch#e\n% Ambiguous command:  \"e\"\n"},
		{"invalid caret under x", 1, []string{"show vlanx"}, "Switch>show vlanx\n" + strings.Repeat(" ", 16) + "^\n% Invalid input detected at '^' marker.\n\n"},
		{"range caret under last zero", 15, []string{"show vlan id 5000"}, "Switch#show vlan id 5000\n" + strings.Repeat(" ", 23) + "^\n% Invalid input detected at '^' marker.\n\n"},
		{"level 1 cannot configure", 1, []string{"configure terminal"}, "Switch>configure terminal\n       ^\n% Invalid input detected at '^' marker.\n\n"},
		{"exact match wins", 15, []string{"show mac"}, "Switch#show mac\n% Incomplete command.\n\n"},
		{"hidden legacy spelling runs", 15, []string{"show mac-address-table"}, "Switch#show mac-address-table\nran show-mac-legacy\n"},
		{"case insensitive prefix", 15, []string{"SH VER"}, "Switch#SH VER\nLiSA-Go version 1\nline two\nline three\n"},
		{"pipe include", 15, []string{"show version | include two"}, "Switch#show version | include two\nline two\n"},
		{"pipe prefix", 15, []string{"sh ver | i t"}, "Switch#sh ver | i t\nline two\nline three\n"},
		{"pipe exclude", 15, []string{"show version | exclude line"}, "Switch#show version | exclude line\nLiSA-Go version 1\n"},
		{"pipe begin", 15, []string{"show version | begin two"}, "Switch#show version | begin two\nline two\nline three\n"},
		{"pipe count", 15, []string{"show version | count line"}, "Switch#show version | count line\nNumber of lines which match regexp = 2\n"},
		{"pipe section", 15, []string{"show running-config | section eth1"}, "Switch#show running-config | section eth1\ninterface eth1\n shutdown\n"},
		{"pipe incomplete", 15, []string{"show version |"}, "Switch#show version |\n% Incomplete command.\n\n"},
		{"handler error", 15, []string{"fail"}, "Switch#fail\n% It failed\n"},
		{"panic recovered", 15, []string{"crash", "show version | i two"}, "Switch#crash\n% Internal error\nSwitch#show version | i two\nline two\n"},
		{"config mode and prompt", 15, []string{"conf t", "hostname Edge-1", "end"}, "Switch#conf t\nEnter configuration commands, one per line.  End with CNTL/Z.\nSwitch(config)#hostname Edge-1\nEdge-1(config)#end\n"},
		{"do in config", 15, []string{"conf t", "do show version | i two", "do sh ?"}, "Switch#conf t\nEnter configuration commands, one per line.  End with CNTL/Z.\nSwitch(config)#do show version | i two\nline two\nSwitch(config)#do sh ?\n  mac             MAC configuration\n  running-config  Current operating configuration\n  version         System hardware and software status\n  vlan            VTP VLAN status\n\n"},
		{"walkup from config-if", 15, []string{"conf t", "interface eth0", "vlan 10", "interface eth1", "exit"}, "Switch#conf t\nEnter configuration commands, one per line.  End with CNTL/Z.\nSwitch(config)#interface eth0\nSwitch(config-if)#vlan 10\nran vlan\nSwitch(config)#interface eth1\nSwitch(config-if)#exit\n"},
		{"walkup error shows the caret of the mode that understood most", 15, []string{"conf t", "interface eth0", "vlan 10 20"}, "Switch#conf t\nEnter configuration commands, one per line.  End with CNTL/Z.\nSwitch(config)#interface eth0\nSwitch(config-if)#vlan 10 20\n" + strings.Repeat(" ", 26) + "^\n% Invalid input detected at '^' marker.\n\n"},
		{"ambiguous line is quoted as typed", 15, []string{`e \x`}, "Switch#e \\x\n% Ambiguous command:  \"e \\x\"\n"},
		{"keyword beats free list", 15, []string{"conf t", "interface eth0", "switchport trunk allowed vlan al", "switchport trunk allowed vlan 1-5,7"}, "Switch#conf t\nEnter configuration commands, one per line.  End with CNTL/Z.\nSwitch(config)#interface eth0\nSwitch(config-if)#switchport trunk allowed vlan al\nran allowed\nSwitch(config-if)#switchport trunk allowed vlan 1-5,7\nran allowed\n"},
		{"line argument keeps spaces", 15, []string{"conf t", "interface eth0", "description  to  the  core | really", "description ?", "description foo ?"}, "Switch#conf t\nEnter configuration commands, one per line.  End with CNTL/Z.\nSwitch(config)#interface eth0\nSwitch(config-if)#description  to  the  core | really\nran description\nSwitch(config-if)#description ?\n  LINE  Up to 240 characters describing this interface\n\nSwitch(config-if)#description foo ?\n  <cr>\n\n"},
		{"control characters rejected", 15, []string{"show \x01version"}, "Switch#show \x01version\n            ^\n% Invalid input detected at '^' marker.\n\n"},
		{"invalid utf-8 rejected", 15, []string{"show \xffversion"}, "Switch#show \xffversion\n            ^\n% Invalid input detected at '^' marker.\n\n"},
		{"too long", 15, []string{"show " + strings.Repeat("x", MaxLineLength)}, "Switch#show " + strings.Repeat("x", MaxLineLength) + "\n% Input line too long (more than 4096 characters).\n"},
		{"confirm answered", 15, []string{"reload"}, "Switch#reload\nProceed with reload? [confirm]\nconfirmed=true\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestShell(t)
			s := NewSession(ts.env, tc.level)
			got := s.Transcript(tc.in, "")
			if got != tc.want {
				t.Errorf("screen mismatch\n--- got ---\n%s\n--- want ---\n%s", got, tc.want)
			}
		})
	}
}

func TestArgs(t *testing.T) {
	ts := newTestShell(t)
	s := NewSession(ts.env, 15)
	typeLines(s, &screenIO{}, "show mac address-table static address 0011.2233.4455 vlan 10",
		"conf t", "interface vif3.0", "switchport trunk allowed vlan add 10,20-30", "switchport trunk allowed vlan none")
	want := []string{
		"show-mac" + fmt.Sprint(map[string]string{"address": "0011.2233.4455", "vlan": "10"}) + "[address address-table mac show static vlan]",
		"allowed" + fmt.Sprint(map[string]string{"add": "10,20-30"}) + "[add allowed switchport trunk vlan]",
		"allowed" + fmt.Sprint(map[string]string(nil)) + "[allowed none switchport trunk vlan]",
	}
	if strings.Join(ts.ran, "\n") != strings.Join(want, "\n") {
		t.Errorf("args:\n%s\nwant\n%s", strings.Join(ts.ran, "\n"), strings.Join(want, "\n"))
	}
	if st, _ := s.State().(string); st != "vif3.0" {
		t.Errorf("mode state = %v", s.State())
	}
}

func TestComplete(t *testing.T) {
	ts := newTestShell(t)
	cases := []struct {
		level int
		line  string
		want  string
		ok    bool
	}{
		{15, "conf", "igure ", true},
		{15, "sh", "ow ", true},
		{15, "show", " ", true},
		{15, "e", "", false},                  // enable/exit: bell
		{15, "show m", "ac ", true},           // hidden mac-address-table not offered
		{1, "con", "", false},                 // not visible at level 1
		{15, "show vlan id 1", "", false},     // parameters are never completed
		{15, "show ", "", false},              // nothing typed
		{15, "show ver | inc", "lude ", true}, // modifiers complete too
	}
	for _, c := range cases {
		got, ok := ts.env.Interp.Complete(ts.env.Exec, c.line, c.level, 0)
		if got != c.want || ok != c.ok {
			t.Errorf("Complete(%q) = %q,%v want %q,%v", c.line, got, ok, c.want, c.ok)
		}
	}
}

func TestReplay(t *testing.T) {
	ts := newTestShell(t)
	s := NewSession(ts.env, 15)
	text := "!\nhostname Lab\n!\ninterface eth0\n description uplink\n shutdown\n!\ninterface\n description lost\nvlan 5000\nvlan 20\nbogus line\ninterface eth1\n  bogus subcmd\nend\nvlan 30\n"
	errs := s.Replay(text)
	var got []string
	for _, e := range errs {
		got = append(got, fmt.Sprintf("%d: %s", e.Line, e.Message))
	}
	want := []string{
		"8: % Incomplete command.",
		"9: % Not applied: the line that opens this block failed",
		`10: % Invalid input detected at column 9: "vlan 5000"`,
		`12: % Invalid input detected at column 1: "bogus line"`,
		`14: % Invalid input detected at column 3: "  bogus subcmd"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("replay errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ts.hostname != "Lab" {
		t.Errorf("hostname not applied")
	}
	ran := strings.Join(ts.ran, ";")
	if !strings.Contains(ran, "description") || !strings.Contains(ran, "shutdown") || !strings.Contains(ran, "vlan"+fmt.Sprint(map[string]string{"vlan": "20"})) {
		t.Errorf("lines not run: %s", ran)
	}
	if strings.Contains(ran, "30") {
		t.Errorf("lines after end ran: %s", ran)
	}
	if s.Mode() != ts.env.Exec {
		t.Errorf("replay leaves session in %s", s.Mode().Name)
	}
}

func TestHelpComplete(t *testing.T) {
	ts := newTestShell(t)
	if missing := ts.env.Interp.CheckHelp(); len(missing) > 0 {
		t.Errorf("tokens without help: %v", missing)
	}
}

func TestBadDefinitionsPanic(t *testing.T) {
	for _, syntax := range []string{"show [vlan", "show {a|}", "show FOO", "description LINE more", "show ]"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Define(%q) did not panic", syntax)
				}
			}()
			in := NewInterpreter()
			in.NewMode("exec", "", nil, false).Define(Command{Syntax: syntax, Run: func(*Ctx, Args) error { return nil }})
		}()
	}
}

func TestIPv6PrefixType(t *testing.T) {
	pt := ipv6PrefixType()
	for _, tc := range []struct {
		tok    string
		accept bool
		prefix int
	}{
		{"2001:db8::1/64", true, 14},
		{"2001:DB8::1/128", true, 15},
		{"::/0", true, 4},
		{"2001:db8::1", false, 11},
		{"2001:db8::1/129", false, 15},
		{"10.0.0.1/24", false, 11},
		{"::ffff:10.0.0.1/120", false, 19},
		{"2001:db8::g/64", false, 10},
		{"/64", false, 0},
		{"2001::1/6x", false, 9},
	} {
		if got := pt.Accept(tc.tok); got != tc.accept {
			t.Errorf("Accept(%q) = %v, want %v", tc.tok, got, tc.accept)
		}
		if got := pt.Prefix(tc.tok); got != tc.prefix {
			t.Errorf("Prefix(%q) = %d, want %d", tc.tok, got, tc.prefix)
		}
	}
}

func TestSignedRangeType(t *testing.T) {
	pt := rangeType("<-23-23>")
	for _, tc := range []struct {
		tok    string
		accept bool
		prefix int
	}{
		{"-8", true, 2}, {"5", true, 1}, {"-23", true, 3}, {"23", true, 2}, {"0", true, 1},
		{"-24", false, 2}, {"24", false, 1}, {"-", false, 1}, {"--1", false, 1}, {"+1", false, 0}, {"1x", false, 1},
	} {
		if got := pt.Accept(tc.tok); got != tc.accept {
			t.Errorf("Accept(%q) = %v, want %v", tc.tok, got, tc.accept)
		}
		if got := pt.Prefix(tc.tok); got != tc.prefix {
			t.Errorf("Prefix(%q) = %d, want %d", tc.tok, got, tc.prefix)
		}
	}
}

// A script or an exec request asking for help gets the help a terminal
// shows, not an error; only help that finds nothing counts as a failure.
func TestBatchHelp(t *testing.T) {
	ts := newTestShell(t)
	batch := func(lines ...string) (string, int) {
		var out strings.Builder
		next := func() (string, bool) {
			if len(lines) == 0 {
				return "", false
			}
			l := lines[0]
			lines = lines[1:]
			return l, true
		}
		n := NewSession(ts.env, 15).RunBatch(next, &out)
		return out.String(), n
	}
	// What a terminal shows after each line's echo.
	screen := NewSession(ts.env, 15).Transcript([]string{"show ?", "sh?", "show vlan ?", "configure terminal", "interface eth0", "shut?"})
	var want strings.Builder
	for _, l := range strings.SplitAfter(screen, "\n") {
		if !strings.HasPrefix(l, "Switch") {
			want.WriteString(l)
		}
	}
	got, n := batch("show ?", "sh?", "show vlan ? ", "configure terminal", "interface eth0", "shut?", "end")
	if n != 0 || got != want.String() || !strings.Contains(got, "  version         System hardware and software status\n") {
		t.Errorf("%d failures, batch:\n%q\nwant:\n%q", n, got, want.String())
	}
	got, n = batch("shx?", "show version")
	if n != 1 || got != "% Unrecognized command\nLiSA-Go version 1\nline two\nline three\n" {
		t.Errorf("%d failures, output:\n%s", n, got)
	}
	// Free text that ends in ? is the command's, not a question.
	ts.ran = nil
	got, n = batch("configure terminal", "interface eth0", "description Who owns this?", "end")
	if n != 0 || len(ts.ran) != 1 || !strings.Contains(ts.ran[0], "Who owns this?") {
		t.Errorf("%d failures, ran %q, output:\n%s", n, ts.ran, got)
	}
}

// `?` on an empty line is headed by the mode's title, as IOS's
// "Exec commands:"; a `?` after a word is not.
func TestHelpTitle(t *testing.T) {
	ts := newTestShell(t)
	ts.env.Exec.HelpTitle = "Exec commands:"
	in := ts.env.Interp
	if got := in.Help(ts.env.Exec, "", 15, 0); !strings.HasPrefix(got, "Exec commands:\n  configure ") {
		t.Errorf("empty line:\n%s", got)
	}
	for _, line := range []string{"show ", "sh"} {
		if got := in.Help(ts.env.Exec, line, 15, 0); strings.Contains(got, "Exec commands:") {
			t.Errorf("%q:\n%s", line, got)
		}
	}
}
