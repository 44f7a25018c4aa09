package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lisa-go/lisa/internal/nstest"
)

// TestShellInTerminal types into swcli in a real terminal (tmux) and reads
// the screen: ? after a partial word and after a space, TAB, configure
// terminal, Ctrl-Z, the caret, and --More-- paging.
func TestShellInTerminal(t *testing.T) {
	nstest.RequireRoot(t)
	ns := nstest.New(t, "shell")
	ns.MustRun(t, "ip", "link", "add", "vif1.0", "type", "veth", "peer", "name", "vm1")
	d := startLisad(t, ns, "")
	tm := newTmux(t, 100, 10, filepath.Join(bin, "swcli")+" --socket "+d.socket)
	tm.expect("Switch#")

	tm.literal("sh?")
	tm.expect("sh?\nshow\n\nSwitch#sh")
	tm.literal("ow ?")
	tm.expect("ow ?\n  archive ")
	tm.expect("  version ")
	tm.expect("\n\nSwitch#show")
	tm.keys("C-u")

	tm.literal("conf")
	tm.keys("Tab")
	tm.expect("Switch#configure")
	tm.literal("t")
	tm.keys("Enter")
	tm.expect("t\nEnter configuration commands, one per line.  End with CNTL/Z.\nSwitch(config)#")
	tm.literal("interface vif1.0")
	tm.keys("Enter")
	tm.expect("Switch(config-if)#")
	tm.literal("switchport ?")
	tm.expect("switchport ?\n  access  ")
	tm.expect("Switch(config-if)#switchport")
	tm.keys("C-u")
	tm.literal("description first vm")
	tm.keys("C-z")
	tm.expect("description first vm^Z\n")
	tm.expect("Switch#")

	tm.literal("show vlanx")
	tm.keys("Enter")
	tm.expect("show vlanx\n" + strings.Repeat(" ", 16) + "^\n% Invalid input detected at '^' marker.")

	// 10 rows: the 12 lines of show interfaces stop at --More--.
	tm.literal("show interfaces vif1.0")
	tm.keys("Enter")
	tm.expect("--More--")
	tm.keys("q")
	tm.expect("Switch#")
	tm.literal("terminal length 0")
	tm.keys("Enter")
	tm.literal("show interfaces vif1.0 | include Description")
	tm.keys("Enter")
	tm.expect("  Description: first vm\nSwitch#")

	tm.literal("exit")
	tm.keys("Enter")
	if out := d.mustCLI("show running-config interface vif1.0"); !strings.Contains(out, " description first vm") {
		t.Errorf("the description typed in the terminal is not configured:\n%s", out)
	}
}

// TestSwcliExitStatus checks swcli -c and piped scripts: output, exit status,
// and the message when lisad is not running.
func TestSwcliExitStatus(t *testing.T) {
	nstest.RequireRoot(t)
	ns := nstest.New(t, "swcli")
	d := startLisad(t, ns, "")
	if out, code := d.cli("show privilege"); code != 0 || out != "Current privilege level is 15\n" {
		t.Errorf("show privilege: %d %q", code, out)
	}
	out, code := d.cli("show privilege", "show vlanx", "show clock")
	if code != 1 || !strings.Contains(out, "% Invalid input detected") || !strings.Contains(out, "UTC") {
		t.Errorf("a failing command must give status 1 and the others still run: %d\n%s", code, out)
	}
	d.stop()
	out, code = d.cli("show privilege")
	if code != 2 || !strings.Contains(out, d.socket) || strings.Count(out, "\n") != 1 {
		t.Errorf("with lisad stopped: status %d, output %q", code, out)
	}
}
