package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/internal/nstest"
)

// The doors tests run lisad in a namespace of its own with telnet and SSH
// on swAddr, and the real clients in another namespace joined to it by a
// veth pair.
const (
	swAddr = "10.77.0.1"
	clAddr = "10.77.0.2"
)

// doorsRig is lisad with its doors open and a client namespace.
type doorsRig struct {
	d      *daemon
	client *nstest.NS
	// key is a private key file whose public half is admin's in the
	// SSH pubkey chain.
	key string
	dir string
}

// doorsSetup is the configuration the tests start from: an enable secret,
// an administrator (level 15, password and key), an operator (level 1)
// and vtys that log local users in.
func doorsSetup(pubkey string) []string {
	return []string{
		"configure terminal",
		"enable secret En4ble",
		"username admin privilege 15 secret Adm1n-pw",
		"username oper secret oper-pw",
		"ip ssh pubkey-chain", "username admin", "key-string " + pubkey, "exit", "exit",
		"line vty 0 15", "login local",
		"end",
	}
}

func startDoors(t *testing.T) *doorsRig {
	t.Helper()
	nstest.RequireRoot(t)
	requireTool(t, "ssh", "ssh-keygen", "telnet", "tmux")
	sw := nstest.New(t, "doors-sw")
	cl := nstest.New(t, "doors-cl")
	nstest.Veth(t, sw, "eth0", cl, "eth0")
	sw.MustRun(t, "ip", "addr", "add", swAddr+"/24", "dev", "eth0")
	cl.MustRun(t, "ip", "addr", "add", clAddr+"/24", "dev", "eth0")

	dir := t.TempDir()
	settings := filepath.Join(dir, "lisad.toml")
	toml := "[telnet]\nenabled = true\nlisten = \"" + swAddr + ":23\"\n[ssh]\nenabled = true\nlisten = \"" + swAddr + ":22\"\n"
	if err := os.WriteFile(settings, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := &daemon{t: t, ns: sw, configDir: filepath.Join(dir, "etc-lisa"), runDir: filepath.Join(dir, "run")}
	d.socket = filepath.Join(d.runDir, "lisa.sock")
	d.cmd, d.log = sw.Start(t, filepath.Join(bin, "lisad"), "--config", settings, "--config-dir", d.configDir, "--run-dir", d.runDir)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if out, code := d.cli("show ip ssh"); code == 0 && strings.Contains(out, "SSH Enabled - version 2.0") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("lisad's SSH door did not open; log:\n%s", d.log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	key := filepath.Join(dir, "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "admin@e2e", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	d.mustCLI(doorsSetup(strings.TrimSpace(string(pub)))...)
	return &doorsRig{d: d, client: cl, key: key, dir: dir}
}

// sshArgs are the OpenSSH client options of the tests: no known_hosts, no
// agent, no config file.
func (r *doorsRig) sshArgs(extra ...string) []string {
	args := []string{"-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "LogLevel=ERROR", "-o", "IdentityAgent=none", "-o", "ConnectTimeout=10"}
	return append(args, extra...)
}

// sshExec runs "ssh admin@switch CMD" with the key and returns the output
// and the exit status.
func (r *doorsRig) sshExec(user string, command ...string) (string, int) {
	r.d.t.Helper()
	args := append([]string{"netns", "exec", r.client.Name, "ssh"},
		r.sshArgs("-i", r.key, "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", user+"@"+swAddr)...)
	args = append(args, command...)
	out, err := exec.Command("ip", args...).CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		r.d.t.Fatal(err)
	}
	return string(out), code
}

// sshTerminal starts an interactive OpenSSH client in tmux that logs in
// with a password.
func (r *doorsRig) sshTerminal(user string, width, height int) *tmux {
	r.d.t.Helper()
	cmd := []string{"ip", "netns", "exec", r.client.Name, "ssh"}
	cmd = append(cmd, r.sshArgs("-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password",
		"-o", "NumberOfPasswordPrompts=3", user+"@"+swAddr)...)
	return newKeptTmux(r.d.t, width, height, strings.Join(cmd, " "))
}

// exited waits until the client in the pane has exited. (Exit statuses
// are checked without tmux, whose pane_dead_status is not always set yet.)
func exited(tm *tmux) {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := tm.run("display-message", "-p", "-t", "0", "#{pane_dead}")
		if err == nil && strings.TrimSpace(out) == "1" {
			return
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("the client did not exit; screen:\n%s", tm.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// logShows waits until lisad's log holds text n times.
func (r *doorsRig) logShows(text string, n int) {
	r.d.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(r.d.log.String(), text) < n {
		if time.Now().After(deadline) {
			r.d.t.Fatalf("lisad's log does not show %q %d times:\n%s", text, n, r.d.log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// expectCount waits until text shows n times on the whole screen.
func expectCount(tm *tmux, text string, n int) {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(tm.screen(), text) < n {
		if time.Now().After(deadline) {
			tm.t.Fatalf("the terminal never showed %q %d times; screen:\n%s", text, n, tm.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// telnetTerminal starts the telnet client in tmux.
func (r *doorsRig) telnetTerminal(width, height int) *tmux {
	r.d.t.Helper()
	return newKeptTmux(r.d.t, width, height, "ip netns exec "+r.client.Name+" telnet "+swAddr)
}

// waitNoVTY waits until no vty line is in use.
func (r *doorsRig) waitNoVTY() {
	r.d.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out := r.d.mustCLI("show users")
		if !strings.Contains(out, "vty") {
			return
		}
		if time.Now().After(deadline) {
			r.d.t.Fatalf("vty lines still in use:\n%s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
