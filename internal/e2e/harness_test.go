package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/internal/nstest"
)

// bin is the directory holding the freshly built tools.
var bin string

func TestMain(m *testing.M) {
	code := func() int {
		dir, err := os.MkdirTemp("", "lisa-e2e-bin-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		out, err := exec.Command("go", "build", "-o", dir+"/", "github.com/lisa-go/lisa/cmd/...").CombinedOutput()
		if err != nil {
			fmt.Fprintf(os.Stderr, "building the tools: %v\n%s", err, out)
			return 1
		}
		bin = dir
		return m.Run()
	}()
	os.Exit(code)
}

// daemon is a lisad running in a namespace with its own directories.
type daemon struct {
	t         *testing.T
	ns        *nstest.NS
	configDir string
	runDir    string
	socket    string
	cmd       *exec.Cmd
	log       *nstest.SafeBuffer
	settings  string // lisad.toml to pass with --config, "" for none
}

// startLisad starts lisad inside ns and waits for its socket.
func startLisad(t *testing.T, ns *nstest.NS, configDir string) *daemon {
	t.Helper()
	d := &daemon{t: t, ns: ns, configDir: configDir, runDir: t.TempDir()}
	if d.configDir == "" {
		d.configDir = filepath.Join(t.TempDir(), "etc-lisa")
	}
	d.socket = filepath.Join(d.runDir, "lisa.sock")
	d.start()
	return d
}

func (d *daemon) start() {
	d.t.Helper()
	args := []string{"--config-dir", d.configDir, "--run-dir", d.runDir}
	if d.settings != "" {
		args = append(args, "--config", d.settings)
	}
	d.cmd, d.log = d.ns.Start(d.t, filepath.Join(bin, "lisad"), args...)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if _, code := d.cli("show privilege"); code == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	d.t.Fatalf("lisad did not answer on %s; log:\n%s", d.socket, d.log.String())
}

// stop ends lisad with SIGTERM and waits.
func (d *daemon) stop() { nstest.Stop(d.cmd) }

// kill ends lisad with SIGKILL.
func (d *daemon) kill() {
	d.cmd.Process.Kill()
	d.cmd.Wait()
}

// cli runs swcli -c for each command and returns the output and status.
func (d *daemon) cli(cmds ...string) (string, int) {
	args := []string{"--socket", d.socket}
	for _, c := range cmds {
		args = append(args, "-c", c)
	}
	out, err := exec.Command(filepath.Join(bin, "swcli"), args...).CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		d.t.Fatal(err)
	}
	return string(out), code
}

// mustCLI is cli that fails the test on a non-zero status.
func (d *daemon) mustCLI(cmds ...string) string {
	d.t.Helper()
	out, code := d.cli(cmds...)
	if code != 0 {
		d.t.Fatalf("swcli %q exited %d:\n%s", cmds, code, out)
	}
	return out
}

// tmux is a terminal the test types into and reads, with its own server.
type tmux struct {
	t    *testing.T
	sock string
	seen int
}

func requireTool(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (Debian package needed by this test)", tool)
		}
	}
}

// newTmux starts cmd in a detached tmux session of the given size.
func newTmux(t *testing.T, width, height int, cmd string) *tmux {
	return startTmux(t, width, height, cmd, false)
}

// newKeptTmux is newTmux whose pane (and what it shows) stays after cmd
// exits, for clients the far end disconnects.
func newKeptTmux(t *testing.T, width, height int, cmd string) *tmux {
	return startTmux(t, width, height, cmd, true)
}

func startTmux(t *testing.T, width, height int, cmd string, keep bool) *tmux {
	t.Helper()
	requireTool(t, "tmux")
	tm := &tmux{t: t, sock: filepath.Join(t.TempDir(), "tmux.sock")}
	args := []string{"-f", "/dev/null", "start-server"}
	if keep {
		// Set before the session starts: a client that exits at once (a
		// refused login) would otherwise take the pane, the session and
		// the server with it before a later set-option got there.
		args = append(args, ";", "set-window-option", "-g", "remain-on-exit", "on")
	}
	// With scroll-on-clear, tmux copies a screen cleared from its first row
	// into the scrollback, which the tests read: the line editor's redraw
	// of the first line would then appear twice.
	args = append(args, ";", "set-option", "-g", "scroll-on-clear", "off",
		";", "new-session", "-d", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), cmd)
	if out, err := tm.run(args...); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { tm.run("kill-server") })
	return tm
}

func (tm *tmux) run(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-S", tm.sock}, args...)...).CombinedOutput()
	return string(out), err
}

// keys sends tmux key names or literal strings ("Enter", "C-z", "Tab").
func (tm *tmux) keys(keys ...string) {
	tm.t.Helper()
	if out, err := tm.run(append([]string{"send-keys", "-t", "0"}, keys...)...); err != nil {
		tm.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

// literal types text exactly (no key-name interpretation).
func (tm *tmux) literal(text string) {
	tm.t.Helper()
	if out, err := tm.run("send-keys", "-t", "0", "-l", text); err != nil {
		tm.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

// screen returns the visible pane and its scrollback, trailing blanks trimmed.
func (tm *tmux) screen() string {
	out, _ := tm.run("capture-pane", "-p", "-J", "-S", "-1000", "-t", "0")
	lines := strings.Split(out, "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// expect waits until want appears at or after the line where the previous
// expect's match ended (that line may since have been redrawn in place, as
// the line being edited is).
func (tm *tmux) expect(want string) {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		scr := tm.screen()
		if tm.seen <= len(scr) {
			if i := strings.Index(scr[tm.seen:], want); i >= 0 {
				end := tm.seen + i + len(want)
				tm.seen = strings.LastIndex(scr[:end], "\n") + 1
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	scr := tm.screen()
	tm.t.Fatalf("the terminal never showed %q; screen:\n%s", want, scr)
}
