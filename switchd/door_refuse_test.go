package switchd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// refusedDial logs in with a password and keyboard-interactive, counting
// the prompts the client would show, and returns the banners it received
// and the error.
func refusedDial(t *testing.T, addr, user string) (banners string, prompts int, err error) {
	t.Helper()
	var mu sync.Mutex
	var b strings.Builder
	conf := sshConfig(user,
		ssh.KeyboardInteractive(func(name, instr string, questions []string, echos []bool) ([]string, error) {
			mu.Lock()
			prompts += len(questions)
			mu.Unlock()
			return make([]string, len(questions)), nil
		}),
		ssh.RetryableAuthMethod(ssh.PasswordCallback(func() (string, error) {
			mu.Lock()
			prompts++
			mu.Unlock()
			return "guess", nil
		}), 3))
	conf.BannerCallback = func(msg string) error {
		mu.Lock()
		b.WriteString(msg)
		mu.Unlock()
		return nil
	}
	c, err := ssh.Dial("tcp", addr, conf)
	if err == nil {
		c.Close()
		t.Fatalf("%s logged in", user)
	}
	mu.Lock()
	defer mu.Unlock()
	return b.String(), prompts, err
}

// A vty with login and no password says so before any password is asked
// for, and ends the connection: no retries, no failed logins.
func TestSSHNoPasswordSetRefusesAtOnce(t *testing.T) {
	r := newRig(t)
	signer, authorized := newUserKey(t)
	r.configure("banner login #Staff only#",
		"ip ssh pubkey-chain", "username admin", "key-string "+authorized)
	addr, _ := r.startDoors(true, false)

	start := time.Now()
	banners, prompts, err := refusedDial(t, addr, "oper")
	if banners != "Staff only\nPassword required, but none set\n" {
		t.Errorf("banners %q", banners)
	}
	if prompts != 0 {
		t.Errorf("the client was asked for a password %d times", prompts)
	}
	if strings.Contains(err.Error(), "too many authentication failures") {
		t.Errorf("refused as %v", err)
	}
	if d := time.Since(start); d >= loginFailDelay {
		// Nothing was slowed down as a failed login.
		t.Logf("took %v", d)
	}
	if logs := r.logs.String(); strings.Contains(logs, "LOGIN_FAILED") || !strings.Contains(logs, "SSH login refused: the line has login but no password") {
		t.Errorf("log:\n%s", logs)
	}
	waitUntil(t, "the line to be freed", func() bool { return !strings.Contains(r.run("show users"), "vty") })

	// A user with a key in the pubkey chain still logs in by key, at the
	// line's level, and sees no refusal.
	conf := sshConfig("admin", ssh.PublicKeys(signer))
	var seen strings.Builder
	conf.BannerCallback = func(msg string) error { seen.WriteString(msg); return nil }
	if out, code := sshRun(t, dialSSH(t, addr, conf), "show privilege"); code != 0 || out != "Current privilege level is 1\n" {
		t.Errorf("key login on a line without password: %d %q", code, out)
	}
	if strings.Contains(seen.String(), "Password required") {
		t.Errorf("the key user was told %q", seen.String())
	}
	// Without the right key, that user is refused the same way.
	other, _ := newUserKey(t)
	conf = sshConfig("admin", ssh.PublicKeys(other), ssh.Password("x"))
	seen.Reset()
	conf.BannerCallback = func(msg string) error { seen.WriteString(msg); return nil }
	if _, err := ssh.Dial("tcp", addr, conf); err == nil {
		t.Fatal("a wrong key logged in")
	}
	if !strings.Contains(seen.String(), "Password required, but none set") {
		t.Errorf("banner %q", seen.String())
	}
}

// Refusals for want of a line say why.
func TestSSHRefusalsNameTheCause(t *testing.T) {
	r := newRig(t)
	r.configure(usersConfig...)
	r.configure("line vty 0 15", "session-limit 1")
	addr, _ := r.startDoors(true, true)
	first := openShell(t, dialSSH(t, addr, sshConfig("oper", ssh.Password("oper pw"))), 80, 24)
	first.out.expect(t, "Switch>")
	banners, prompts, err := refusedDial(t, addr, "oper")
	if banners != "% Session limit reached (session-limit 1)\n" || prompts != 0 || strings.Contains(err.Error(), "too many authentication failures") {
		t.Errorf("session-limit: banners %q, %d prompts, %v", banners, prompts, err)
	}

	// Every vty that takes SSH is in use.
	r.configure("line vty 0 15", "no session-limit", "line vty 1 15", "transport input telnet")
	if banners, prompts, _ := refusedDial(t, addr, "oper"); banners != "% No free vty line accepts SSH\n" || prompts != 0 {
		t.Errorf("all busy: banners %q, %d prompts", banners, prompts)
	}
	first.typeKeys(t, "exit\r")
	first.ended(t)
	waitUntil(t, "the line to be freed", func() bool { return !strings.Contains(r.run("show users"), "vty") })

	// No vty takes SSH: the door closes, but a connection accepted
	// before that hears why.
	r.sw.mu.Lock()
	for i := range r.sw.remote.cfg.vty {
		r.sw.remote.cfg.vty[i].transport = transportTelnet
	}
	r.sw.mu.Unlock()
	if banners, prompts, _ := refusedDial(t, addr, "oper"); banners != "% No vty line accepts SSH (transport input)\n" || prompts != 0 {
		t.Errorf("transport input: banners %q, %d prompts", banners, prompts)
	}
	if strings.Contains(r.logs.String(), "LOGIN_FAILED") {
		t.Errorf("refusals logged as failed logins:\n%s", r.logs.String())
	}
}

// The real OpenSSH client, as an administrator runs it, shows why and asks
// for no password.
func TestSSHRefusalsWithOpenSSH(t *testing.T) {
	if _, err := exec.LookPath("ssh"); err != nil {
		t.Skip("no OpenSSH client")
	}
	r := newRig(t)
	addr, _ := r.startDoors(true, false)
	host, port, _ := strings.Cut(addr, ":")
	dir := t.TempDir()
	asked := filepath.Join(dir, "asked")
	askpass := filepath.Join(dir, "askpass")
	if err := os.WriteFile(askpass, []byte("#!/bin/sh\necho \"$1\" >> "+asked+"\necho guess\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	run := func() string {
		cmd := exec.Command("ssh", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
			"-o", "IdentityAgent=none", "-o", "ConnectTimeout=10", "-p", port, "oper@"+host, "show", "version")
		cmd.Env = append(os.Environ(), "SSH_ASKPASS="+askpass, "SSH_ASKPASS_REQUIRE=force", "DISPLAY=:0", "HOME="+dir)
		cmd.Stdin = nil
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	out := run()
	if !strings.Contains(out, "Password required, but none set") || strings.Contains(out, "too many authentication failures") || strings.Contains(out, "Permission denied") {
		t.Errorf("line without password:\n%s", out)
	}
	if b, err := os.ReadFile(asked); err == nil {
		t.Errorf("OpenSSH asked for a password: %q", b)
	}

	r.configure("line vty 0 15", "no login", "session-limit 1")
	waitUntil(t, "the line to be freed", func() bool { return !strings.Contains(r.run("show users"), "vty") })
	sh := openShell(t, dialSSH(t, addr, sshConfig("x")), 80, 24)
	sh.out.expect(t, "Switch>")
	out = run()
	if !strings.Contains(out, "% Session limit reached") || strings.Contains(out, "too many authentication failures") {
		t.Errorf("session-limit:\n%s", out)
	}
}
