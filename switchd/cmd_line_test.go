package switchd

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/cli"
)

func TestLineTranscripts(t *testing.T) {
	cases := []struct {
		name    string
		lines   []string
		answers []string
		want    string
	}{
		{"line vty and line console offer their own commands", []string{"conf t", "line vty 0 15", "?", "transport input ?", "exec-timeout ?", "line console 0", "?", "exit", "line vty 5 4", "line vty 0", "end"},
			nil, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#line vty 0 15
Switch(config-line)#?
Line configuration commands:
  do             To run exec commands in config mode
  end            Exit from configure mode
  exec-timeout   Set the EXEC timeout
  exit           Exit from line configuration mode
  help           Description of the interactive help system
  logging        Modify message logging facilities
  login          Enable password checking
  no             Negate a command or set its defaults
  password       Set a password
  privilege      Change privilege level for line
  session-limit  Set maximum number of sessions
  transport      Define transport protocols for line

Switch(config-line)#transport input ?
  all     All protocols
  none    No protocols
  ssh     TCP/IP SSH protocol
  telnet  TCP/IP Telnet protocol

Switch(config-line)#exec-timeout ?
  <0-35791>  Timeout in minutes

Switch(config-line)#line console 0
Switch(config-line)#?
Line configuration commands:
  do            To run exec commands in config mode
  end           Exit from configure mode
  exec-timeout  Set the EXEC timeout
  exit          Exit from line configuration mode
  help          Description of the interactive help system
  logging       Modify message logging facilities
  login         Enable password checking
  no            Negate a command or set its defaults
  password      Set a password

Switch(config-line)#exit
Switch(config)#line vty 5 4
% First line number 5 is greater than last line number 4
Switch(config)#line vty 0
Switch(config-line)#end
Switch#`},
		{"passwords are stored hashed; type 7 is decoded", []string{"conf t", "line vty 0 4", "password 7 0822455D0A1", "password 7 xyz", "password 5 $1$abcd$ABOCfICGTWeBeG/njucVA1", "end", "show running-config | include password"},
			nil, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#line vty 0 4
Switch(config-line)#password 7 0822455D0A1
% Invalid encrypted password: a type 7 password is an even number of hex digits after two decimal ones
Switch(config-line)#password 7 xyz
% Invalid encrypted password: a type 7 password is an even number of hex digits after two decimal ones
Switch(config-line)#password 5 $1$abcd$ABOCfICGTWeBeG/njucVA1
Switch(config-line)#end
Switch#show running-config | include password
 password 5 $1$abcd$ABOCfICGTWeBeG/njucVA1
Switch#`},
		{"usernames", []string{"conf t", "username bad\x7fname secret x", "username ops privilege 7", "username ops secret 5 $1$abcd$ABOCfICGTWeBeG/njucVA1", "username tmp secret 9 nothash", "no username nobody", "end", "show running-config | include username"},
			nil, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#username bad` + "\x7f" + `name secret x
                           ^
% Invalid input detected at '^' marker.

Switch(config)#username ops privilege 7
Switch(config)#username ops secret 5 $1$abcd$ABOCfICGTWeBeG/njucVA1
Switch(config)#username tmp secret 9 nothash
ERROR: The secret you entered is not a valid encrypted secret.
To enter an UNENCRYPTED secret, do not specify type 5 or 9 encryption.
When you properly enter an UNENCRYPTED secret, it will be encrypted.
Switch(config)#no username nobody
Switch(config)#end
Switch#show running-config | include username
username ops privilege 7 secret 5 $1$abcd$ABOCfICGTWeBeG/njucVA1
Switch#`},
		{"banner motd over several lines", []string{"conf t", "banner motd #", "banner login %One line%", "end", "show running-config | begin banner"},
			[]string{"Welcome to the lab.", "  Be nice # anything after the delimiter is ignored"}, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#banner motd #
Enter TEXT message.  End with the character '#'.
Welcome to the lab.
  Be nice # anything after the delimiter is ignored
Switch(config)#banner login %One line%
Switch(config)#end
Switch#show running-config | begin banner
banner login ^COne line^C
banner motd ^C
Welcome to the lab.
  Be nice^C
!
end

Switch#`},
		{"a banner that contains ^C keeps its own delimiter", []string{"conf t", "banner motd $press ^C to stop$", "no banner login", "end", "show running-config | include banner"},
			nil, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#banner motd $press ^C to stop$
Switch(config)#no banner login
Switch(config)#end
Switch#show running-config | include banner
banner motd $press ^C to stop$
Switch#`},
		{"ssh pubkey chain, key typed over several lines IOS style", []string{"conf t", "ip ssh pubkey-chain", "username admin", "key-string", "AAAAC3NzaC1lZDI1NTE5AAAA", "IHnL1Y1u4dY8v7v0K2mS1wX2lQ8Jd7m7GkT3D9oB1X3s", "exit", "key-string ssh-rsa AAAAnotakey", "exit", "exit", "end", "show running-config | section pubkey"},
			nil, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#ip ssh pubkey-chain
Switch(conf-ssh-pubkey)#username admin
Switch(conf-ssh-pubkey-user)#key-string
Switch(conf-ssh-pubkey-data)#AAAAC3NzaC1lZDI1NTE5AAAA
Switch(conf-ssh-pubkey-data)#IHnL1Y1u4dY8v7v0K2mS1wX2lQ8Jd7m7GkT3D9oB1X3s
Switch(conf-ssh-pubkey-data)#exit
Switch(conf-ssh-pubkey-user)#key-string ssh-rsa AAAAnotakey
% Invalid public key: not a key in authorized_keys form (type base64 [comment])
Switch(conf-ssh-pubkey-user)#exit
Switch(conf-ssh-pubkey)#exit
Switch(config)#end
Switch#show running-config | section pubkey
ip ssh pubkey-chain
 username admin
  key-string ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHnL1Y1u4dY8v7v0K2mS1wX2lQ8Jd7m7GkT3D9oB1X3s
Switch#`},
		{"show sessions, show ssh and show users", []string{"show sessions", "show ssh", "show users"},
			nil, `Switch#show sessions
% No connections open
Switch#show ssh
%No SSHv2 server connections running.
Switch#show users
    Line       User       Host(s)              Idle       Location
*  0 con 0     root       idle                 00:00:00
   1 vty 0     admin      idle                 00:00:00 10.0.0.5

  Interface    User               Mode         Idle     Peer Address

Switch#`},
		{"clear line asks first", []string{"clear line vty 0", "clear line 1", "clear line console 0"},
			[]string{"n", "", ""}, `Switch#clear line vty 0
[confirm]
Switch#clear line 1
[confirm]
% Line vty 0 is not in use
Switch#clear line console 0
% No session but yours is on con 0
Switch#`},
		{"ip ssh and ip telnet settings", []string{"conf t", "ip ssh time-out 30", "ip ssh authentication-retries 5", "ip telnet port 2323", "ip telnet server", "no ip ssh time-out", "end", "show running-config | include ^ip", "show ip ssh"},
			nil, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#ip ssh time-out 30
Switch(config)#ip ssh authentication-retries 5
Switch(config)#ip telnet port 2323
Switch(config)#ip telnet server
Switch(config)#no ip ssh time-out
Switch(config)#end
Switch#show running-config | include ^ip
ip ssh authentication-retries 5
ip telnet port 2323
ip telnet server
Switch#show ip ssh
SSH Disabled
Authentication methods:publickey,password
Authentication timeout: 120 secs; Authentication retries: 5
Switch#`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, "eth0")
			if strings.Contains(tc.name, "show users") {
				r.vty("admin", "10.0.0.5")
			}
			got := r.console().Transcript(tc.lines, tc.answers...)
			want := tc.want[:strings.LastIndex(tc.want, "\n")+1]
			expectScreen(t, got, want)
		})
	}
}

// richAccessConfig sets every remote-access setting there is.
var richAccessConfig = []string{
	"enable secret 0 En4ble",
	"username admin privilege 15 secret 0 Adm1n-pw",
	"username keyonly privilege 3",
	"username oper secret oper pw",
	"ip ssh port 2222", "ip ssh time-out 60", "ip ssh authentication-retries 2", "ip ssh server",
	"no ip telnet server", "ip telnet port 2323",
	"ip ssh pubkey-chain", "username admin",
	"key-string ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHnL1Y1u4dY8v7v0K2mS1wX2lQ8Jd7m7GkT3D9oB1X3s admin@laptop",
	"exit", "exit",
	"banner login ^CAuthorised users only^C",
	"line con 0", "exec-timeout 30 0",
	"line vty 0 4", "password 0 Vty pw", "login local", "transport input ssh", "exec-timeout 5 30", "session-limit 3",
	"line vty 5 15", "no login", "privilege level 2", "transport input none",
	"line vty 16 19", "exec-timeout 0 0",
}

func TestAccessConfigRendersReplaysIdentically(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure(richAccessConfig...)
	// A banner over several lines, typed at a terminal.
	got := r.console().Transcript([]string{"conf t", "banner motd &", "end"}, "  Lab switch 7", "", "Call x1234 first.&")
	if strings.Contains(got, "%") {
		t.Fatalf("banner:\n%s", got)
	}
	before := r.runningBody()
	for _, want := range []string{
		"hostname Switch\n!\nenable secret 9 $9$",
		"\n!\nusername admin privilege 15 secret 9 $9$",
		"\nusername keyonly privilege 3\nusername oper secret 9 $9$",
		"\n!\nip ssh port 2222\nip ssh time-out 60\nip ssh authentication-retries 2\nip ssh server\nip telnet port 2323\n!\nip ssh pubkey-chain\n username admin\n  key-string ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHnL1Y1u4dY8v7v0K2mS1wX2lQ8Jd7m7GkT3D9oB1X3s admin@laptop\n!\n",
		"!\nbanner login ^CAuthorised users only^C\nbanner motd ^C\n  Lab switch 7\n\nCall x1234 first.^C\n!\n",
		"!\nline con 0\n exec-timeout 30 0\nline vty 0 4\n exec-timeout 5 30\n password 9 $9$",
		"\n login local\n session-limit 3\n transport input ssh\nline vty 5 15\n privilege level 2\n no login\n transport input none\nline vty 16 19\n exec-timeout 0 0\n login\n!\nend\n",
	} {
		if !strings.Contains(before, want) {
			t.Errorf("running-config lacks %q:\n%s", want, before)
		}
	}
	if r.sw.remote.cfg.motd.text != "\n  Lab switch 7\n\nCall x1234 first." {
		t.Errorf("motd %q", r.sw.remote.cfg.motd.text)
	}

	// write memory, then a fresh switch loads it: the same running-config.
	r.run("write memory")
	r2 := newRig(t, "eth0")
	r2.sw.store = r.store
	if errs := r2.sw.LoadStartup(); len(errs) > 0 {
		t.Fatalf("startup errors: %+v", errs)
	}
	if after := r2.runningBody(); after != before {
		t.Fatalf("reloaded config differs:\n%s\nwant\n%s\n%s", after, before, firstDiff(after, before))
	}
	// And reload on the same switch after changing everything back.
	r.configure("no username admin", "no banner motd", "line vty 0 19", "login", "no transport input", "no line vty 16")
	r.console().Transcript([]string{"reload"}, "no", "")
	if after := r.runningBody(); after != before {
		t.Fatalf("config after reload differs:\n%s", firstDiff(after, before))
	}
	// The replayed motd is the same text, not only the same rendering.
	if r2.sw.remote.cfg.motd.text != r.sw.remote.cfg.motd.text {
		t.Errorf("motd after replay %q", r2.sw.remote.cfg.motd.text)
	}
}

func TestFreshSwitchShowsNoLines(t *testing.T) {
	r := newRig(t)
	if body := r.runningBody(); strings.Contains(body, "line ") || strings.Contains(body, "ip ssh") {
		t.Errorf("defaults rendered:\n%s", body)
	}
	r.configure("line vty 0 15", "exec-timeout 10", "login", "transport input all", "line con 0", "exec-timeout 0 0")
	if body := r.runningBody(); strings.Contains(body, "line ") {
		t.Errorf("default values rendered:\n%s", body)
	}
	r.configure("line vty 3", "exec-timeout 1")
	if body := r.runningBody(); !strings.Contains(body, "line con 0\nline vty 0 2\n login\nline vty 3\n exec-timeout 1 0\n login\nline vty 4 15\n login\n!\nend") {
		t.Errorf("one changed vty:\n%s", body)
	}
}

func TestBannerReplayErrors(t *testing.T) {
	r := newRig(t)
	sess := cli.NewSession(r.sw.env, privMax)
	errs := sess.Replay("banner motd #never closed\nhostname X\n")
	if len(errs) != 1 || errs[0].Line != 1 || !strings.Contains(errs[0].Message, "closing delimiter '#' never came") {
		t.Errorf("unterminated banner: %+v", errs)
	}
	if r.sw.remote.cfg.motd != nil || r.sw.hostname() != "Switch" {
		t.Errorf("an unterminated banner changed something")
	}
	long := "banner motd #\n" + strings.Repeat(strings.Repeat("x", 99)+"\n", maxBannerLen/100+1) + "#\nhostname After\n"
	errs = sess.Replay(long)
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "Banner too long") || r.sw.hostname() != "After" {
		t.Errorf("long banner: %+v", errs)
	}
	errs = sess.Replay("banner motd ^C\n\x1b[2Jcleared?\n^C\n")
	if len(errs) != 0 || r.sw.remote.cfg.motd.text != "\n[2Jcleared?\n" {
		t.Errorf("escapes are dropped from banners: %+v %q", errs, r.sw.remote.cfg.motd.text)
	}
}

// A level-1 session can reach no configuration command: every command of
// every configuration mode needs level 15, and exec offers level 1 nothing
// that changes the configuration.
func TestLevelOneReachesNoConfiguration(t *testing.T) {
	r := newRig(t)
	for _, name := range []string{"config", "config-if", "config-vlan", "config-line", "conf-ssh-pubkey", "conf-ssh-pubkey-user", "conf-ssh-pubkey-data"} {
		m := r.sw.interp.Mode(name)
		if m == nil {
			t.Fatalf("no mode %s", name)
		}
		for _, c := range m.Commands(privMax) {
			if c.Priv != privMax {
				t.Errorf("%s: %q runs at level %d", name, c.Syntax, c.Priv)
			}
		}
	}
	allowed := map[string]bool{}
	for _, c := range r.sw.exec.Commands(privUser) {
		allowed[strings.Fields(c.Syntax)[0]] = true
	}
	for _, w := range []string{"configure", "write", "copy", "erase", "reload", "clear", "debug", "vm"} {
		if allowed[w] {
			t.Errorf("level 1 may run %q", w)
		}
	}
	got := r.vty("oper", "10.0.0.9").Transcript([]string{"configure terminal", "do show running-config", "show running-config"})
	if strings.Count(got, "% Invalid input detected at '^' marker.") != 3 {
		t.Errorf("level 1:\n%s", got)
	}
}

func TestConfiguredFromVTYLogLine(t *testing.T) {
	r := newRig(t)
	lb := r.logs
	sess := r.vty("admin", "10.0.0.5")
	sess.Level = privMax
	sess.Transcript([]string{"configure terminal", "hostname Edge", "end"})
	if !strings.Contains(lb.String(), "%SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.0.5)") {
		t.Errorf("log:\n%s", lb.String())
	}
	l := &line{kind: "vty", idx: 3, location: "192.0.2.7"}
	if got := l.configuredBy(); got != "console by vty3 (192.0.2.7)" {
		t.Errorf("without a user: %q", got)
	}
	l = &line{kind: "con", user: "root", location: "pts/0"}
	if got := l.configuredBy(); got != "console by root on console" {
		t.Errorf("console: %q", got)
	}
}

// pipeTerminal is a terminal the test types into, for sessions run with
// RunInteractive.
type pipeTerminal struct {
	*io.PipeReader
	out *screenBuf
	in  *io.PipeWriter
}

func newPipeTerminal() *pipeTerminal {
	r, w := io.Pipe()
	return &pipeTerminal{PipeReader: r, out: &screenBuf{}, in: w}
}

func (p *pipeTerminal) Write(b []byte) (int, error) { return p.out.Write(b) }
func (p *pipeTerminal) Size() (int, int)            { return 80, 24 }

func TestConsoleExecTimeout(t *testing.T) {
	r := newRig(t)
	sess := cli.NewSession(r.sw.env, privMax)
	l := r.sw.newConsoleLine("root", "", sess)
	defer r.sw.lines.remove(l)
	term := newPipeTerminal()
	done := make(chan struct{})
	go func() { sess.RunInteractive(term); close(done) }()
	term.out.expect(t, "Switch#")

	// No exec-timeout on the console by default.
	r.sw.expireIdle(time.Now().Add(24 * time.Hour))
	select {
	case <-done:
		t.Fatal("the console timed out without an exec-timeout")
	case <-time.After(50 * time.Millisecond):
	}
	r.configure("line console 0", "exec-timeout 1")
	r.sw.expireIdle(time.Now().Add(30 * time.Second))
	select {
	case <-done:
		t.Fatal("the console timed out early")
	case <-time.After(50 * time.Millisecond):
	}
	r.sw.expireIdle(time.Now().Add(61 * time.Second))
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("exec-timeout did not end the console session")
	}
}

func TestMonitorGetsLogsWithoutBlockingTheLogger(t *testing.T) {
	r := newRig(t)
	sess := cli.NewSession(r.sw.env, privMax)
	l := r.sw.newConsoleLine("root", "", sess)
	defer r.sw.lines.remove(l)
	// A terminal nobody reads: writes block.
	pr, _ := io.Pipe()
	stuck := &blockingTerm{r: pr}
	go sess.RunInteractive(stuck)
	l.monitor.Store(true)
	waitUntil(t, "the session to start", func() bool { _, ok := sess.InputIdle(time.Now()); return ok })
	start := time.Now()
	for i := 0; i < 2*maxPendingNotes; i++ {
		r.sw.logEvent("SYS", 5, "TEST", "message")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("logging to a stuck terminal took %v", d)
	}
	l.nmu.Lock()
	queued := len(l.notes)
	l.nmu.Unlock()
	if queued > maxPendingNotes {
		t.Errorf("%d messages queued for one terminal", queued)
	}
}

// blockingTerm is a terminal whose output never drains.
type blockingTerm struct {
	r *io.PipeReader
}

func (b *blockingTerm) Read(p []byte) (int, error)  { return b.r.Read(p) }
func (b *blockingTerm) Write(p []byte) (int, error) { select {} }
func (b *blockingTerm) Size() (int, int)            { return 80, 24 }

func TestType7PasswordsAreDecodedAndHashed(t *testing.T) {
	if got, ok := decodeType7("0822455D0A16"); !ok || got != "cisco" {
		t.Errorf("decode: %q %v", got, ok)
	}
	r := newRig(t)
	r.configure("line vty 0 15", "password 7 0822455D0A16")
	pw := r.sw.remote.cfg.vty[7].password
	if pw == nil || pw.Type != 9 || !pw.Verify("cisco") {
		t.Errorf("stored %+v", pw)
	}
	if strings.Contains(r.runningBody(), "0822455D0A16") {
		t.Errorf("the reversible form is kept:\n%s", r.runningBody())
	}
}
