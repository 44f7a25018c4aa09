package switchd

import (
	"fmt"
	"os"
	"os/exec"
	"testing"

	"golang.org/x/sys/unix"
)

// A local shell's location in show users is its client's terminal, so that
// two swcli sessions on the console can be told apart.
func TestProcessTerminal(t *testing.T) {
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	defer ptmx.Close()
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	pts, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer pts.Close()

	for _, tc := range []struct {
		name  string
		stdin *os.File
		want  func(pid int) string
	}{
		{"on a terminal", pts, func(int) string { return fmt.Sprintf("pts/%d", n) }},
		{"input not a terminal", nil, func(pid int) string { return fmt.Sprintf("pid %d", pid) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command("sleep", "30")
			if tc.stdin != nil {
				cmd.Stdin = tc.stdin
			}
			if err := cmd.Start(); err != nil {
				t.Skipf("cannot start sleep: %v", err)
			}
			defer func() { cmd.Process.Kill(); cmd.Wait() }()
			if got, want := processTerminal(cmd.Process.Pid), tc.want(cmd.Process.Pid); got != want {
				t.Errorf("processTerminal = %q, want %q", got, want)
			}
		})
	}
	if got := processTerminal(0); got != "" {
		t.Errorf("processTerminal(0) = %q, want empty", got)
	}
}
