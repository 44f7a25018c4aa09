package switchd

import (
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// usersConfig is a switch with an enable secret, an administrator at level
// 15, an operator at level 1 and vtys that log in local users.
var usersConfig = []string{
	"enable secret En4ble",
	"username admin privilege 15 secret Adm1n-pw",
	"username oper secret 0 oper pw",
	"line vty 0 15", "login local",
}

func TestSSHPasswordLoginEnableAndExit(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure(usersConfig...)
	addr, _ := r.startDoors(true, false)
	if addr == "" {
		t.Fatal("the SSH door does not listen")
	}

	sh := openShell(t, dialSSH(t, addr, sshConfig("oper", ssh.Password("oper pw"))), 80, 24)
	sh.out.expect(t, "Switch>")
	sh.typeKeys(t, "show privilege\r")
	sh.out.expect(t, "Current privilege level is 1")
	sh.typeKeys(t, "configure terminal\r")
	sh.out.expect(t, "% Invalid input detected at '^' marker.")
	sh.typeKeys(t, "enable\r")
	sh.out.expect(t, "Password: ")
	sh.typeKeys(t, "nope\r")
	sh.out.expect(t, "Password: ")
	sh.typeKeys(t, "En4ble\r")
	sh.out.expect(t, "Switch#")
	sh.typeKeys(t, "show users\r")
	sh.out.expect(t, "*  1 vty 0     oper       idle                 00:00:00 127.0.0.1")
	sh.typeKeys(t, "show ssh\r")
	sh.out.expect(t, "0          2.0     IN")
	sh.out.expect(t, "oper")
	sh.typeKeys(t, "exit\r")
	if code := sh.ended(t); code != 0 {
		t.Errorf("exit status %d", code)
	}
	if strings.Contains(sh.out.raw(), "\n\n") && !strings.Contains(sh.out.raw(), "\r\n") {
		t.Errorf("output lines do not end in CR LF")
	}

	// A user with privilege 15 starts at level 15.
	sh = openShell(t, dialSSH(t, addr, sshConfig("admin", ssh.Password("Adm1n-pw"))), 80, 24)
	sh.out.expect(t, "Switch#")
	sh.typeKeys(t, "exit\r")
	sh.ended(t)
}

func TestSSHWrongPasswordsAndRetries(t *testing.T) {
	r := newRig(t)
	r.configure(usersConfig...)
	addr, _ := r.startDoors(true, false)
	tries := 0
	conf := sshConfig("oper", ssh.RetryableAuthMethod(ssh.PasswordCallback(func() (string, error) {
		tries++
		return "guess", nil
	}), 10))
	start := time.Now()
	if _, err := ssh.Dial("tcp", addr, conf); err == nil {
		t.Fatal("logged in with a wrong password")
	}
	if tries != 3 {
		t.Errorf("the server allowed %d password tries, want 3 (ip ssh authentication-retries)", tries)
	}
	if time.Since(start) < 3*loginFailDelay {
		t.Errorf("failed logins were not slowed down")
	}
	// Unknown users fail the same way.
	if _, err := ssh.Dial("tcp", addr, sshConfig("nobody", ssh.Password("x"))); err == nil {
		t.Fatal("an unknown user logged in")
	}
	waitUntil(t, "the failed logins' lines to be freed", func() bool { return !strings.Contains(r.run("show users"), "vty") })
}

func TestSSHExecExitStatus(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure(usersConfig...)
	addr, _ := r.startDoors(true, false)
	// Each command is a connection of its own, as with "ssh switch CMD".
	oper := func() *ssh.Client { return dialSSH(t, addr, sshConfig("oper", ssh.Password("oper pw"))) }
	if out, code := sshRun(t, oper(), "show privilege"); code != 0 || out != "Current privilege level is 1\n" {
		t.Errorf("show privilege: %d %q", code, out)
	}
	out, code := sshRun(t, oper(), "show version")
	if code != 0 || !strings.Contains(out, "LiSA-Go Software (lisad), Version") {
		t.Errorf("show version: %d %q", code, out)
	}
	if out, code := sshRun(t, oper(), "show vlanx"); code != 1 || !strings.Contains(out, "% Invalid input detected") {
		t.Errorf("a failing command: %d %q", code, out)
	}
	// Level 1 cannot configure, not even in one command.
	if out, code := sshRun(t, oper(), "configure terminal"); code != 1 {
		t.Errorf("configure at level 1: %d %q", code, out)
	}
	admin := func() *ssh.Client { return dialSSH(t, addr, sshConfig("admin", ssh.Password("Adm1n-pw"))) }
	if out, code := sshRun(t, admin(), "show running-config | include username"); code != 0 || !strings.Contains(out, "username oper secret 9 $9$") {
		t.Errorf("admin show running-config: %d %q", code, out)
	}

	// Without a PTY, a shell runs standard input as a script.
	sess, err := admin().NewSession()
	if err != nil {
		t.Fatal(err)
	}
	sess.Stdin = strings.NewReader("configure terminal\nhostname Scripted\nend\nshow privilege\n")
	var b strings.Builder
	sess.Stdout = &b
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	err = sess.Wait()
	if err != nil || !strings.Contains(b.String(), "Current privilege level is 15") || r.sw.hostname() != "Scripted" {
		t.Errorf("script over ssh: %v %q", err, b.String())
	}
}

func TestSSHPublicKeyLogin(t *testing.T) {
	r := newRig(t)
	signer, authorized := newUserKey(t)
	other, _ := newUserKey(t)
	r.configure("username admin privilege 15", "line vty 0 15", "login local",
		"ip ssh pubkey-chain", "username admin", "key-string "+authorized+" admin@laptop")
	addr, _ := r.startDoors(true, false)
	c := dialSSH(t, addr, sshConfig("admin", ssh.PublicKeys(signer)))
	if out, code := sshRun(t, c, "show privilege"); code != 0 || out != "Current privilege level is 15\n" {
		t.Errorf("key login: %d %q", code, out)
	}
	if _, err := ssh.Dial("tcp", addr, sshConfig("admin", ssh.PublicKeys(other))); err == nil {
		t.Error("a key not in the chain logged in")
	}
	if _, err := ssh.Dial("tcp", addr, sshConfig("oper", ssh.PublicKeys(signer))); err == nil {
		t.Error("admin's key logged in another user")
	}
}

func TestSSHHostKeyCreatedOnceAndKept(t *testing.T) {
	r := newRig(t)
	r.configure(usersConfig...)
	dir := t.TempDir()
	path := dir + "/sub/ssh_host_ed25519_key"
	r.sw.ConfigureDoors(DoorSettings{SSHEnabled: true, SSHListen: "127.0.0.1:0", HostKeyPath: path})
	r.sw.StartDoors()
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key: %v %v", err, fi)
	}
	var seen ssh.PublicKey
	conf := sshConfig("oper", ssh.Password("oper pw"))
	conf.HostKeyCallback = func(_ string, _ net.Addr, key ssh.PublicKey) error { seen = key; return nil }
	c := dialSSH(t, r.sw.doorAddr("ssh"), conf)
	c.Close()
	if seen == nil || seen.Type() != ssh.KeyAlgoED25519 {
		t.Fatalf("host key offered: %v", seen)
	}
	first := ssh.FingerprintSHA256(seen)
	r.sw.StopDoors()

	// A new daemon on the same directory uses the same key.
	r2 := newRig(t)
	r2.configure(usersConfig...)
	r2.sw.ConfigureDoors(DoorSettings{SSHEnabled: true, SSHListen: "127.0.0.1:0", HostKeyPath: path})
	r2.sw.StartDoors()
	defer r2.sw.StopDoors()
	c = dialSSH(t, r2.sw.doorAddr("ssh"), conf)
	c.Close()
	if ssh.FingerprintSHA256(seen) != first {
		t.Errorf("host key changed across restarts")
	}
	if out := r2.run("show ip ssh"); !strings.Contains(out, "SSH Enabled - version 2.0") || !strings.Contains(out, first) {
		t.Errorf("show ip ssh:\n%s", out)
	}
}

func TestSSHPagingFollowsWindowSize(t *testing.T) {
	r := newRig(t)
	r.configure(usersConfig...)
	var names []string
	for i := 2; i < 22; i++ {
		names = append(names, fmt.Sprintf("vlan %d", i), fmt.Sprintf("name net%d", i))
	}
	r.configure(names...)
	addr, _ := r.startDoors(true, false)
	sh := openShell(t, dialSSH(t, addr, sshConfig("admin", ssh.Password("Adm1n-pw"))), 80, 10)
	sh.out.expect(t, "Switch#")
	sh.typeKeys(t, "show running-config\r")
	sh.out.expect(t, "--More--")
	sh.typeKeys(t, "q")
	sh.out.expect(t, "Switch#")
	// 20 VLAN blocks are 60 lines: a 100-row window shows them without a stop.
	if err := sh.sess.WindowChange(100, 80); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	sh.typeKeys(t, "show running-config\r")
	sh.out.expect(t, "end\n")
	sh.out.expect(t, "Switch#")
	if n := strings.Count(sh.out.text(), "--More--"); n != 1 {
		t.Errorf("--More-- shown %d times, want once (before the window grew)\n%s", n, sh.out.text())
	}
	sh.typeKeys(t, "show terminal\r")
	sh.out.expect(t, "Length: 100 lines, Width: 80 columns")
}

func TestSSHIdleTimeoutAndClearLine(t *testing.T) {
	r := newRig(t)
	r.configure(usersConfig...)
	r.configure("line vty 0 15", "exec-timeout 0 1")
	addr, _ := r.startDoors(true, false)
	sh := openShell(t, dialSSH(t, addr, sshConfig("oper", ssh.Password("oper pw"))), 80, 24)
	sh.out.expect(t, "Switch>")
	start := time.Now()
	sh.ended(t)
	if d := time.Since(start); d < time.Second {
		t.Errorf("hung up after %v, exec-timeout is 1 s", d)
	}

	r.configure("line vty 0 15", "no exec-timeout")
	waitUntil(t, "vty 0 to be free", func() bool { return !strings.Contains(r.run("show users"), "vty") })
	sh = openShell(t, dialSSH(t, addr, sshConfig("oper", ssh.Password("oper pw"))), 80, 24)
	sh.out.expect(t, "Switch>")
	got := r.console().Transcript([]string{"show users", "clear line 1", "clear line vty 5"}, "", "")
	if !strings.Contains(got, "   1 vty 0     oper       idle") {
		t.Errorf("show users:\n%s", got)
	}
	if !strings.Contains(got, "Switch#clear line 1\n[confirm]\n [OK]\n") || !strings.Contains(got, "% Line vty 5 is not in use") {
		t.Errorf("clear line:\n%s", got)
	}
	sh.ended(t)
}

func TestSSHDoorOffByDefaultAndPortClash(t *testing.T) {
	r := newRig(t)
	sshAddr, telnetAddr := r.startDoors(false, false)
	if sshAddr != "" || telnetAddr != "" {
		t.Fatalf("doors open without being enabled: %q %q", sshAddr, telnetAddr)
	}
	// Take a port, then ask the SSH door for it.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port
	out := r.console().Transcript([]string{"conf t", fmt.Sprintf("ip ssh port %d", port), "ip ssh server", "end", "show ip ssh"})
	want := fmt.Sprintf("%% SSH server not started: cannot listen on 127.0.0.1:%d: listen tcp 127.0.0.1:%d: bind: address already in use (is another server, such as the host's own sshd, on that port? choose another with \"ip ssh port N\" or in lisad.toml)", port, port)
	if !strings.Contains(out, want) || !strings.Contains(out, "SSH Enabled - not listening") {
		t.Errorf("clash:\n%s\nwant %s", out, want)
	}
	if strings.Contains(out, "Listening on:") || !strings.Contains(out, fmt.Sprintf("\nConfigured address: 127.0.0.1:%d\n", port)) {
		t.Errorf("show ip ssh of a door that does not listen:\n%s", out)
	}
	// The setting stays, so a later port change opens the door.
	r.configure("no ip ssh port")
	if r.sw.doorAddr("ssh") == "" {
		t.Error("the door did not open on another port")
	}
	if !strings.Contains(r.runningBody(), "ip ssh server\n") {
		t.Errorf("running-config lacks ip ssh server:\n%s", r.runningBody())
	}
	r.configure("no ip ssh server")
	if r.sw.doorAddr("ssh") != "" {
		t.Error("no ip ssh server left the door open")
	}
}

func TestSSHTerminalMonitorShowsConfigChanges(t *testing.T) {
	r := newRig(t)
	r.configure(usersConfig...)
	addr, _ := r.startDoors(true, false)
	a := openShell(t, dialSSH(t, addr, sshConfig("admin", ssh.Password("Adm1n-pw"))), 120, 24)
	a.out.expect(t, "Switch#")
	a.typeKeys(t, "terminal monitor\r")
	a.out.expect(t, "Switch#")
	b := openShell(t, dialSSH(t, addr, sshConfig("admin", ssh.Password("Adm1n-pw"))), 120, 24)
	b.out.expect(t, "Switch#")
	b.typeKeys(t, "configure terminal\rhostname Edge\rend\r")
	b.out.expect(t, "Edge#")
	a.out.expect(t, "%SYS-5-CONFIG_I: Configured from console by admin on vty1 (127.0.0.1)")
	if strings.Contains(b.out.text(), "CONFIG_I") {
		t.Errorf("a session without terminal monitor got the log")
	}
}

// A session that goes away in the middle of a command changes nothing.
func TestSSHDisconnectMidCommandChangesNothing(t *testing.T) {
	r := newRig(t)
	r.configure(usersConfig...)
	r.run("write memory")
	addr, _ := r.startDoors(true, false)

	sh := openShell(t, dialSSH(t, addr, sshConfig("admin", ssh.Password("Adm1n-pw"))), 80, 24)
	sh.out.expect(t, "Switch#")
	sh.typeKeys(t, "configure terminal\rbanner motd #\rhalf a banner\r")
	sh.out.expect(t, "half a banner")
	sh.client.Close()
	waitUntil(t, "the line to be freed", func() bool { return !strings.Contains(r.run("show users"), "vty") })

	sh = openShell(t, dialSSH(t, addr, sshConfig("admin", ssh.Password("Adm1n-pw"))), 80, 24)
	sh.out.expect(t, "Switch#")
	sh.typeKeys(t, "write erase\r")
	sh.out.expect(t, "Continue? [confirm]")
	sh.client.Close()
	waitUntil(t, "the line to be freed", func() bool { return !strings.Contains(r.run("show users"), "vty") })

	r.sw.mu.Lock()
	motd := r.sw.remote.cfg.motd
	r.sw.mu.Unlock()
	if motd != nil {
		t.Errorf("a half-typed banner was applied: %q", motd.text)
	}
	if _, present, _ := r.store.ReadStartup(); !present {
		t.Errorf("an unconfirmed write erase erased the startup-config")
	}
	// The lock is free: other sessions still configure.
	r.configure("hostname After")
}
