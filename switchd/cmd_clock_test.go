package switchd

import (
	"strings"
	"testing"
	"time"
)

// lastConfigLog is the timestamp of the last %SYS-5-CONFIG_I in the buffer.
func (r *rig) lastConfigLog() string {
	r.t.Helper()
	out := r.run("show logging | include CONFIG_I")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	stamp, _, ok := strings.Cut(last, "%SYS-5-CONFIG_I")
	if !ok {
		r.t.Fatalf("no CONFIG_I message:\n%s", out)
	}
	return stamp
}

func TestClockZoneSummerTimeAndLogTimestamps(t *testing.T) {
	r := newRig(t)
	// The rig's clock: 2026-11-21 10:15:32.123 UTC, winter in Europe.
	r.configure("clock timezone CET 1 0", "clock summer-time CEST recurring last Sun Mar 2:00 last Sun Oct 3:00")
	if got := r.run("show clock"); !strings.Contains(got, "\n11:15:32.123 CET Sat Nov 21 2026\n") {
		t.Errorf("show clock in winter:\n%s", got)
	}
	r.clock.Advance(7 * 30 * 24 * time.Hour) // June 2027
	if got := r.run("show clock"); !strings.Contains(got, "\n12:15:32.123 CEST Sat Jun 19 2027\n") {
		t.Errorf("show clock in summer:\n%s", got)
	}

	for _, tc := range []struct{ line, stamp string }{
		{"service timestamps log datetime msec", "*Jun 19 10:15:32.123: "},
		{"service timestamps log datetime msec localtime show-timezone", "*Jun 19 12:15:32.123 CEST: "},
		{"service timestamps log datetime localtime year", "*Jun 19 2027 12:15:32: "},
		{"service timestamps log uptime", "30w0d: "},
		{"no service timestamps log", ""},
	} {
		r.run("conf t", tc.line, "end") // a console session logs CONFIG_I
		if got := r.lastConfigLog(); got != tc.stamp {
			t.Errorf("%s: stamp %q, want %q", tc.line, got, tc.stamp)
		}
	}

	r.configure("service timestamps log datetime msec localtime show-timezone", "clock timezone PST -8 0", "clock summer-time PDT recurring")
	body := r.runningBody()
	for _, want := range []string{"service timestamps log datetime msec localtime show-timezone\n", "clock timezone PST -8 0\nclock summer-time PDT recurring\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q:\n%s", want, body)
		}
	}
	if got := r.run("show clock"); !strings.Contains(got, "\n03:15:32.123 PDT Sat Jun 19 2027\n") {
		t.Errorf("show clock with US rules:\n%s", got)
	}
	r2 := r.reloaded(body)

	for line, msg := range map[string]string{
		"clock timezone CentralEurope 1":                                     "% Invalid time zone name",
		"clock timezone CET 24":                                              "% Invalid input",
		"clock summer-time X recurring 5 Sun Mar 2:00 last Sun Oct 3:00":     "% Invalid input",
		"clock summer-time X recurring last Sun Mar 2:00 last Sun Mar 3:00":  "different months",
		"clock summer-time X recurring last Sun Mar 25:00 last Sun Oct 3:00": "% Invalid summer time start",
	} {
		if out := r2.run("conf t", line); !strings.Contains(out, msg) {
			t.Errorf("%s:\n%s", line, out)
		}
	}
	r2.configure("no clock summer-time", "no clock timezone")
	if body := r2.runningBody(); strings.Contains(body, "clock ") {
		t.Errorf("no forms left:\n%s", body)
	}
}

func TestNTPServersKeptAndStatusFromTheHost(t *testing.T) {
	r := newRig(t)
	r.configure("ntp server 192.0.2.123 prefer", "ntp server 192.0.2.124 version 3", "ntp update-calendar", "line vty 0 4", "exec-timeout 5 0")
	body := r.runningBody()
	if !strings.HasSuffix(strings.TrimSuffix(body, "end\n"), " exec-timeout 5 0\n login\nline vty 5 15\n login\n!\nntp update-calendar\nntp server 192.0.2.123 prefer\nntp server 192.0.2.124 version 3\n!\n") {
		t.Errorf("ntp lines not after the lines, before end:\n%s", body)
	}
	out := r.run("show ntp status")
	for _, want := range []string{"Clock is synchronized, reference is the host's NTP client\n", "estimated error is 0.52 msec, maximum error is 12.00 msec\n",
		"Configured servers (give them to the host's client): 192.0.2.123, 192.0.2.124\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("show ntp status lacks %q:\n%s", want, out)
		}
	}
	if show := r.run("show inert-config"); !strings.Contains(show, "ntp server 192.0.2.123 prefer\n  lisad does not set the host's clock") {
		t.Errorf("show inert-config:\n%s", show)
	}
	r.configure("no ntp server 192.0.2.123")
	if body := r.runningBody(); strings.Contains(body, "192.0.2.123") || !strings.Contains(body, "ntp server 192.0.2.124 version 3") {
		t.Errorf("after no ntp server:\n%s", body)
	}
}
