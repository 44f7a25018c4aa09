package switchd

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestTelnetLoginLocalHelpAndCompletion(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure(usersConfig...)
	r.configure("banner motd ^CLab switch: authorised use only^C")
	_, addr := r.startDoors(false, true)
	tc := dialTelnet(t, addr, 80, 24)
	tc.out.expect(t, "Lab switch: authorised use only\n\nUser Access Verification\n\nUsername: ")
	tc.typeKeys("oper\r")
	tc.out.expect(t, "oper\nPassword: ")
	tc.typeKeys("oper pw\r")
	tc.out.expect(t, "\nSwitch>")
	if strings.Contains(tc.out.text(), "oper pw") {
		t.Errorf("the password was echoed:\n%s", tc.out.text())
	}
	tc.typeKeys("sh?")
	tc.out.expect(t, "sh?\nshow\n\nSwitch>sh")
	tc.typeKeys("\x15conf\t")
	// configure needs level 15: at level 1 TAB has nothing to complete.
	tc.typeKeys("\x15show priv\t")
	tc.out.expect(t, "Switch>show privilege")
	tc.typeKeys("\r")
	tc.out.expect(t, "Current privilege level is 1")
	tc.typeKeys("enable\r")
	tc.out.expect(t, "Password: ")
	tc.typeKeys("En4ble\r")
	tc.out.expect(t, "Switch#")
	tc.typeKeys("conf\t")
	tc.out.expect(t, "Switch#configure")
	tc.typeKeys("t\r")
	tc.out.expect(t, "Switch(config)#")
	tc.typeKeys("line vty 0 4\r")
	tc.out.expect(t, "Switch(config-line)#")
	tc.typeKeys("transport input ?")
	tc.out.expect(t, "  all     All protocols\n  none    No protocols\n  ssh     TCP/IP SSH protocol\n  telnet  TCP/IP Telnet protocol\n")
	tc.typeKeys("\x15end\r")
	tc.out.expect(t, "Switch#")
	tc.typeKeys("logout\r")
	tc.out.expect(t, "<closed>")
}

func TestTelnetLinePasswordThreeFailures(t *testing.T) {
	r := newRig(t)
	lb := r.logs
	r.configure("line vty 0 15", "password Vty-pw", "login")
	_, addr := r.startDoors(false, true)
	tc := dialTelnet(t, addr, 80, 24)
	tc.out.expect(t, "\nUser Access Verification\n\nPassword: ")
	tc.typeKeys("one\r")
	tc.out.expect(t, "Password: ")
	tc.typeKeys("two\r")
	tc.out.expect(t, "Password: ")
	tc.typeKeys("three\r")
	tc.out.expect(t, "% Bad passwords\n")
	tc.out.expect(t, "<closed>")
	log := lb.String()
	if n := strings.Count(log, "%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: ] [Source: 127.0.0.1]"); n != 3 {
		t.Errorf("%d failed logins logged, want 3:\n%s", n, log)
	}

	tc = dialTelnet(t, addr, 80, 24)
	tc.out.expect(t, "Password: ")
	tc.typeKeys("Vty-pw\r")
	tc.out.expect(t, "Switch>")
	tc.typeKeys("enable\r")
	tc.out.expect(t, "% No password set\n")
	tc.out.expect(t, "Switch>")
}

func TestTelnetLoginLocalFailures(t *testing.T) {
	r := newRig(t)
	r.configure(usersConfig...)
	_, addr := r.startDoors(false, true)
	tc := dialTelnet(t, addr, 80, 24)
	for i := 0; i < 3; i++ {
		tc.out.expect(t, "Username: ")
		tc.typeKeys("oper\r")
		tc.out.expect(t, "Password: ")
		tc.typeKeys("wrong\r")
		tc.out.expect(t, "\n% Login invalid\n\n")
	}
	tc.out.expect(t, "<closed>")
}

func TestTelnetNoPasswordSetAndNoLogin(t *testing.T) {
	r := newRig(t)
	_, addr := r.startDoors(false, true)
	tc := dialTelnet(t, addr, 80, 24)
	tc.out.expect(t, "Password required, but none set\n")
	tc.out.expect(t, "<closed>")
	if strings.Contains(tc.out.text(), "User Access Verification") {
		t.Errorf("asked for a password that does not exist:\n%s", tc.out.text())
	}

	r.configure("line vty 0 15", "no login")
	tc = dialTelnet(t, addr, 80, 24)
	tc.out.expect(t, "Switch>")
}

func TestTelnetPagingUsesNAWS(t *testing.T) {
	r := newRig(t)
	r.configure("line vty 0 15", "no login", "privilege level 15")
	var names []string
	for i := 2; i < 12; i++ {
		names = append(names, fmt.Sprintf("vlan %d", i), fmt.Sprintf("name net%d", i))
	}
	r.configure(names...)
	_, addr := r.startDoors(false, true)
	tc := dialTelnet(t, addr, 80, 10)
	tc.out.expect(t, "Switch#")
	tc.typeKeys("show terminal\r")
	tc.out.expect(t, "Length: 10 lines, Width: 80 columns")
	tc.typeKeys("show running-config\r")
	tc.out.expect(t, "--More--")
	tc.typeKeys(" ")
	tc.out.expect(t, "--More--")
	tc.typeKeys("q")
	tc.out.expect(t, "Switch#")
}

func TestTelnetTransportInputAndSessionLimit(t *testing.T) {
	r := newRig(t)
	r.configure("line vty 0 15", "no login", "transport input ssh")
	_, addr := r.startDoors(true, true)
	if addr != "" || r.sw.doorAddr("ssh") == "" {
		t.Fatalf("with no vty taking telnet the telnet door must stay shut (%q), SSH open", addr)
	}
	r.configure("line vty 0 1", "transport input telnet", "session-limit 2")
	addr = r.sw.doorAddr("telnet")
	if addr == "" {
		t.Fatal("transport input telnet did not open the telnet door")
	}
	a := dialTelnet(t, addr, 80, 24)
	a.out.expect(t, "Switch>")
	b := dialTelnet(t, addr, 80, 24)
	b.out.expect(t, "Switch>")
	c := dialTelnet(t, addr, 80, 24)
	c.out.expect(t, "% No free vty line accepts telnet\n")
	c.out.expect(t, "<closed>")
	out := r.run("show users")
	if !strings.Contains(out, "   1 vty 0") || !strings.Contains(out, "   2 vty 1") {
		t.Errorf("show users:\n%s", out)
	}
	a.typeKeys("exit\r")
	a.out.expect(t, "<closed>")
	waitUntil(t, "vty 0 to be free", func() bool { return !strings.Contains(r.run("show users"), "vty 0") })
	d := dialTelnet(t, addr, 80, 24)
	d.out.expect(t, "Switch>")
}

func TestTelnetTypeAheadReachesTheShell(t *testing.T) {
	r := newRig(t)
	r.configure("line vty 0 15", "password pw", "login")
	_, addr := r.startDoors(false, true)
	tc := dialTelnet(t, addr, 80, 24)
	tc.out.expect(t, "Password: ")
	tc.typeKeys("pw\rshow privilege\r")
	tc.out.expect(t, "Current privilege level is 1")
}

func TestTelnetLoginTimeout(t *testing.T) {
	old := loginTimeout
	loginTimeout = 300 * time.Millisecond
	defer func() { loginTimeout = old }()
	r := newRig(t)
	r.configure(usersConfig...)
	_, addr := r.startDoors(false, true)
	tc := dialTelnet(t, addr, 80, 24)
	tc.out.expect(t, "Username: ")
	tc.out.expect(t, "% Username:  timeout expired!\n")
	tc.out.expect(t, "<closed>")
	r.sw.StopDoors() // before loginTimeout goes back
}
