package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// TestDoorsTelnetLoginLocal logs in with the Debian telnet client: the
// banner, User Access Verification, the user name echoed and the password
// not, ?, TAB, enable, paging at the window size the client sent (NAWS),
// logout.
func TestDoorsTelnetLoginLocal(t *testing.T) {
	r := startDoors(t)
	cfg := []string{"configure terminal", "banner motd ^CLab switch - authorised use only^C"}
	for i := 2; i < 14; i++ {
		cfg = append(cfg, fmt.Sprintf("vlan %d", i), fmt.Sprintf("name net%d", i))
	}
	r.d.mustCLI(append(cfg, "end")...)

	tm := r.telnetTerminal(80, 12)
	tm.expect("Escape character is '^]'.")
	tm.expect("Lab switch - authorised use only")
	tm.expect("User Access Verification")
	tm.expect("Username:")
	tm.literal("oper")
	tm.keys("Enter")
	tm.expect("Password:")
	tm.literal("oper-pw")
	tm.keys("Enter")
	tm.expect("Switch>")
	if strings.Contains(tm.screen(), "oper-pw") {
		t.Errorf("the password was echoed:\n%s", tm.screen())
	}
	tm.literal("show ?")
	tm.expect("  clock       Display the system clock") // level 1 sees fewer commands
	tm.expect("Switch>show")
	tm.keys("C-u")
	tm.literal("sh ver")
	tm.keys("Tab")
	tm.expect("Switch>sh version")
	tm.keys("C-u")
	tm.literal("enable")
	tm.keys("Enter")
	tm.expect("Password:")
	tm.literal("En4ble")
	tm.keys("Enter")
	tm.expect("Switch#")
	tm.literal("show terminal")
	tm.keys("Enter")
	tm.expect("Length: 12 lines, Width: 80 columns")
	tm.literal("show running-config")
	tm.keys("Enter")
	tm.expect("--More--")
	tm.keys("q")
	tm.expect("Switch#")
	tm.literal("logout")
	tm.keys("Enter")
	tm.expect("Connection closed by foreign host.")
}

// TestDoorsTelnetFailures: three wrong logins, a line password, a line
// without any password.
func TestDoorsTelnetFailures(t *testing.T) {
	r := startDoors(t)
	tm := r.telnetTerminal(100, 30)
	for i := 1; i <= 3; i++ {
		expectCount(tm, "Username:", i)
		tm.literal("oper")
		tm.keys("Enter")
		expectCount(tm, "Password:", i)
		tm.literal("guess")
		tm.keys("Enter")
		expectCount(tm, "% Login invalid", i)
	}
	tm.expect("Connection closed by foreign host.")
	r.logShows("%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: oper] [Source: "+clAddr+"] [localport: 23]", 3)

	// login with the line's password.
	r.d.mustCLI("configure terminal", "line vty 0 15", "password Vty-pw", "login", "end")
	tm = r.telnetTerminal(100, 30)
	for i := 1; i <= 3; i++ {
		expectCount(tm, "Password:", i)
		tm.literal("guess")
		tm.keys("Enter")
	}
	tm.expect("% Bad passwords")
	tm.expect("Connection closed by foreign host.")
	tm = r.telnetTerminal(100, 30)
	tm.expect("Password:")
	tm.literal("Vty-pw")
	tm.keys("Enter")
	tm.expect("Switch>")
	tm.literal("exit")
	tm.keys("Enter")
	tm.expect("Connection closed by foreign host.")

	// login without a password set.
	r.d.mustCLI("configure terminal", "line vty 0 15", "no password", "end")
	tm = r.telnetTerminal(100, 30)
	tm.expect("Password required, but none set")
	tm.expect("Connection closed by foreign host.")

	// transport input ssh shuts the telnet door.
	r.d.mustCLI("configure terminal", "line vty 0 15", "transport input ssh", "end")
	if out, err := r.client.Run("telnet", swAddr); err == nil || !strings.Contains(out, "Connection refused") {
		t.Errorf("telnet with transport input ssh: %v\n%s", err, out)
	}
}

// TestDoorsTelnetIdleTimeoutAndClearLine: exec-timeout and clear line end
// telnet sessions too.
func TestDoorsTelnetIdleTimeoutAndClearLine(t *testing.T) {
	r := startDoors(t)
	r.d.mustCLI("configure terminal", "line vty 0 15", "no login", "exec-timeout 0 2", "end")
	tm := r.telnetTerminal(100, 30)
	tm.expect("Switch>")
	tm.expect("Connection closed by foreign host.")
	r.waitNoVTY()

	r.d.mustCLI("configure terminal", "line vty 0 15", "no exec-timeout", "end")
	tm = r.telnetTerminal(100, 30)
	tm.expect("Switch>")
	if out := r.d.mustCLI("show users"); !strings.Contains(out, "   1 vty 0                idle") || !strings.Contains(out, clAddr) {
		t.Fatalf("show users:\n%s", out)
	}
	r.d.mustCLI("clear line vty 0", "y")
	tm.expect("Connection closed by foreign host.")
	r.waitNoVTY()
}
