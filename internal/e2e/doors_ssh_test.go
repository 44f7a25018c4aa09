package e2e

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestDoorsSSHExecAndKeyLogin: "ssh switch CMD" with a key runs one command
// and exits with its status; a level-1 user cannot configure; the host key
// was created under the config dir with mode 0600.
func TestDoorsSSHExecAndKeyLogin(t *testing.T) {
	r := startDoors(t)
	out, code := r.sshExec("admin", "show", "version")
	if code != 0 || !strings.Contains(out, "LiSA-Go Software (lisad), Version") {
		t.Errorf("ssh admin@switch show version: status %d\n%s", code, out)
	}
	out, code = r.sshExec("admin", "show privilege")
	if code != 0 || out != "Current privilege level is 15\n" {
		t.Errorf("show privilege by key: status %d %q", code, out)
	}
	out, code = r.sshExec("admin", "show vlanx")
	if code != 1 || !strings.Contains(out, "% Invalid input detected") {
		t.Errorf("a failing command: status %d\n%s", code, out)
	}
	// The operator has no key: the key is refused for that user.
	if out, code = r.sshExec("oper", "show privilege"); code != 255 || !strings.Contains(out, "Permission denied") {
		t.Errorf("admin's key for oper: status %d\n%s", code, out)
	}
	fi, err := os.Stat(r.d.configDir + "/ssh_host_ed25519_key")
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("host key: %v %v", err, fi)
	}
	if ssh := r.d.mustCLI("show ip ssh"); !strings.Contains(ssh, "Host key: ssh-ed25519 SHA256:") || !strings.Contains(ssh, "Listening on: "+swAddr+":22") {
		t.Errorf("show ip ssh:\n%s", ssh)
	}
}

// TestDoorsSSHPasswordShell logs in with a password through the OpenSSH
// client in a small terminal: ?, TAB, enable with the secret, paging,
// terminal monitor, exit.
func TestDoorsSSHPasswordShell(t *testing.T) {
	r := startDoors(t)
	var cfg []string
	for i := 2; i < 14; i++ {
		cfg = append(cfg, fmt.Sprintf("vlan %d", i), fmt.Sprintf("name net%d", i))
	}
	r.d.mustCLI(append(append([]string{"configure terminal"}, cfg...), "end")...)

	tm := r.sshTerminal("oper", 80, 12)
	tm.expect("password:")
	tm.literal("oper-pw")
	tm.keys("Enter")
	tm.expect("Switch>")
	tm.literal("sh?")
	tm.expect("sh?\nshow\n\nSwitch>sh")
	tm.literal("ow priv")
	tm.keys("Tab")
	tm.expect("Switch>show privilege")
	tm.keys("Enter")
	tm.expect("Current privilege level is 1")
	tm.literal("configure terminal")
	tm.keys("Enter")
	tm.expect("% Invalid input detected at '^' marker.")
	tm.literal("enable")
	tm.keys("Enter")
	tm.expect("Password:")
	tm.literal("En4ble")
	tm.keys("Enter")
	tm.expect("Switch#")
	if strings.Contains(tm.screen(), "En4ble") {
		t.Errorf("the enable secret was echoed:\n%s", tm.screen())
	}
	// 12 rows: the running-config with 12 VLAN blocks stops at --More--.
	tm.literal("show running-config")
	tm.keys("Enter")
	tm.expect("--More--")
	tm.keys("q")
	tm.expect("Switch#")
	tm.literal("show users")
	tm.keys("Enter")
	tm.expect("*  1 vty 0     oper       idle                 00:00:00 " + clAddr)
	tm.literal("terminal monitor")
	tm.keys("Enter")
	tm.expect("Switch#")
	r.d.mustCLI("configure terminal", "hostname Edge", "end")
	tm.expect("%SYS-5-CONFIG_I: Configured from console by root on console")
	tm.literal("exit")
	tm.keys("Enter")
	exited(tm)
}

// TestDoorsSSHWrongPasswordsAndEnable: three wrong passwords end the
// connection and are logged with the source; enable without a secret says
// so on a vty.
func TestDoorsSSHWrongPasswordsAndEnable(t *testing.T) {
	r := startDoors(t)
	tm := r.sshTerminal("oper", 100, 24)
	for i := 1; i <= 3; i++ {
		expectCount(tm, "password:", i)
		tm.literal("wrong")
		tm.keys("Enter")
	}
	tm.expect("Permission denied")
	r.logShows("%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: oper] [Source: "+clAddr+"] [localport: 22]", 3)
	exited(tm) // the server ended the connection

	r.d.mustCLI("configure terminal", "no enable secret", "end")
	tm = r.sshTerminal("oper", 100, 24)
	tm.expect("password:")
	tm.literal("oper-pw")
	tm.keys("Enter")
	tm.expect("Switch>")
	tm.literal("enable")
	tm.keys("Enter")
	tm.expect("% No password set")
	tm.expect("Switch>")
}

// TestDoorsSSHIdleTimeoutAndClearLine: exec-timeout hangs an idle session
// up; clear line ends another.
func TestDoorsSSHIdleTimeoutAndClearLine(t *testing.T) {
	r := startDoors(t)
	r.d.mustCLI("configure terminal", "line vty 0 15", "exec-timeout 0 2", "end")
	tm := r.sshTerminal("oper", 100, 24)
	tm.expect("password:")
	tm.literal("oper-pw")
	tm.keys("Enter")
	tm.expect("Switch>")
	start := time.Now()
	exited(tm)
	if d := time.Since(start); d < time.Second {
		t.Errorf("hung up after %v; exec-timeout is 2 s", d)
	}
	r.waitNoVTY()

	r.d.mustCLI("configure terminal", "line vty 0 15", "no exec-timeout", "end")
	tm = r.sshTerminal("oper", 100, 24)
	tm.expect("password:")
	tm.literal("oper-pw")
	tm.keys("Enter")
	tm.expect("Switch>")
	if out := r.d.mustCLI("show users"); !strings.Contains(out, "   1 vty 0     oper") {
		t.Fatalf("show users:\n%s", out)
	}
	// clear line asks [confirm]; the script's next line answers.
	out := r.d.mustCLI("clear line 1", "y")
	if !strings.Contains(out, "[OK]") {
		t.Errorf("clear line:\n%s", out)
	}
	exited(tm)
	r.waitNoVTY()
}
