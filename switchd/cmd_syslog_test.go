package switchd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lisa-go/lisa/internal/rsyslogtest"
)

// The switch's log lines reach a real rsyslogd as IOS sends them: priority
// from the facility and severity, the message count, the timestamp of
// service timestamps log; lines below the trap level stay home.
func TestSyslogToRsyslog(t *testing.T) {
	udpPort, tcpPort := rsyslogtest.FreePort(t, "udp"), rsyslogtest.FreePort(t, "tcp")
	out := rsyslogtest.Start(t, udpPort, tcpPort)
	r := newRig(t, "eth0")
	r.run("conf t", fmt.Sprintf("logging host 127.0.0.1 transport tcp port %d", tcpPort), "logging trap notifications",
		"logging facility local5", "end") // CONFIG_I, severity 5: sent
	got := rsyslogtest.WaitFor(t, out, ": *Nov 21 10:15:32.123: %SYS-5-CONFIG_I: Configured from console by root on console")
	if !strings.Contains(got, "<173>") { // local5 (21) * 8 + notifications (5)
		t.Errorf("priority: %s", got)
	}

	// Below the trap level: not sent (a later line proves the order).
	r.run("conf t", "logging trap warnings", "end")
	r.sw.logEvent("LISA", 5, "TEST", "notification below the trap level")
	r.sw.logEvent("LISA", 4, "TEST", "warning at the trap level")
	got = rsyslogtest.WaitFor(t, out, "%LISA-4-TEST: warning at the trap level")
	if strings.Contains(got, "notification below the trap level") {
		t.Errorf("a line below the trap level was sent:\n%s", got)
	}

	show := r.run("show logging")
	for _, want := range []string{"Trap logging: level warnings, ", fmt.Sprintf("Logging to 127.0.0.1  (tcp port %d, audit disabled,\n              link up),", tcpPort)} {
		if !strings.Contains(show, want) {
			t.Errorf("show logging lacks %q:\n%s", want, show)
		}
	}
	body := r.runningBody()
	if !strings.Contains(body, fmt.Sprintf("logging trap warnings\nlogging facility local5\nlogging host 127.0.0.1 transport tcp port %d\n", tcpPort)) {
		t.Errorf("running-config:\n%s", body)
	}
	r2 := r.reloaded(body)
	r2.configure("no logging host 127.0.0.1", "no logging trap")
	if body := r2.runningBody(); strings.Contains(body, "logging host") || !strings.Contains(body, "no logging trap\n") {
		t.Errorf("after the no forms:\n%s", body)
	}
	if show := r2.run("show logging"); !strings.Contains(show, "Trap logging: disabled") {
		t.Errorf("show logging after no logging trap:\n%s", show)
	}
}
