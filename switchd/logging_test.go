package switchd

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestShowLoggingTranscript(t *testing.T) {
	r := newRig(t)
	r.run("conf t", "hostname Edge", "end")
	r.sw.logEvent("SEC_LOGIN", 4, "LOGIN_FAILED", "Login failed [user: bob]")
	got := r.console().Transcript([]string{"show logging", "show logging | include LOGIN", "clear logging", "show logging | begin Log Buffer"}, "")
	expectScreen(t, got, `Edge#show logging
Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)

    Console logging: level debugging, 2 messages logged, xml disabled,
                     filtering disabled
    Monitor logging: level debugging, 2 messages logged, xml disabled,
                     filtering disabled
    Buffer logging:  level debugging, 2 messages logged, xml disabled,
                    filtering disabled
    Count and timestamp logging messages: disabled
    Persistent logging: disabled

    Trap logging: level informational, 2 message lines logged
        Logging to lisad's log (stderr)

Log Buffer (4096 bytes):

*Nov 21 10:15:32.123: %SYS-5-CONFIG_I: Configured from console by root on console
*Nov 21 10:15:32.123: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: bob]
Edge#show logging | include LOGIN
*Nov 21 10:15:32.123: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: bob]
Edge#clear logging
Clear logging buffer [confirm]
Edge#show logging | begin Log Buffer
Log Buffer (4096 bytes):

`)
}

func TestLoggingBufferedSettings(t *testing.T) {
	r := newRig(t)
	r.configure("logging buffered 8192", "no logging console", "no logging monitor")
	body := r.runningBody()
	if !strings.Contains(body, "hostname Switch\n!\nlogging buffered 8192\nno logging console\nno logging monitor\n!") {
		t.Errorf("running-config:\n%s", body)
	}
	got := r.run("show logging | include Console|Monitor|Log Buffer")
	expectScreen(t, got, `Switch#show logging | include Console|Monitor|Log Buffer
    Console logging: disabled
    Monitor logging: disabled
Log Buffer (8192 bytes):
`)
	r.sw.logEvent("LINK", 3, "UPDOWN", "kept?")
	r.configure("no logging buffered")
	if body := r.runningBody(); !strings.Contains(body, "\nno logging buffered\n") {
		t.Errorf("running-config:\n%s", body)
	}
	r.sw.logEvent("LINK", 3, "UPDOWN", "not buffered")
	got = r.run("show logging | include Buffer|UPDOWN")
	expectScreen(t, got, "Switch#show logging | include Buffer|UPDOWN\n    Buffer logging:  disabled\n")

	// logging buffered without a size is the default again, and a saved
	// configuration loads back; reload returns to the defaults first.
	r.configure("logging buffered", "logging console", "logging monitor")
	if body := r.runningBody(); strings.Contains(body, "logging") {
		t.Errorf("defaults shown in running-config:\n%s", body)
	}
	r.configure("logging buffered 10000")
	r.run("write memory")
	r.configure("no logging buffered")
	r.sw.mu.Lock()
	errs := r.sw.reinit()
	r.sw.mu.Unlock()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if body := r.runningBody(); !strings.Contains(body, "\nlogging buffered 10000\n") || strings.Contains(body, "no logging") {
		t.Errorf("after reload:\n%s", body)
	}
	got = r.run("conf t", "logging buffered 4095", "logging ?", "end")
	expectScreen(t, got, `Switch#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
Switch(config)#logging buffered 4095
                                   ^
% Invalid input detected at '^' marker.

Switch(config)#logging ?
  A.B.C.D           IP address of the syslog server
  buffered          Set buffered logging parameters
  console           Set console logging parameters
  facility          Facility parameter for syslog messages
  host              Set syslog server IP address and parameters
  monitor           Set terminal line (monitor) logging parameters
  source-interface  Specify interface for source address in logging transactions
  trap              Set syslog server logging level

Switch(config)#end
`)
}

// The buffer keeps the newest messages that fit in its size in bytes.
func TestLoggingBufferBounded(t *testing.T) {
	r := newRig(t)
	for i := 0; i < 500; i++ {
		r.clock.Advance(time.Second)
		r.sw.logEvent("LISA", 6, "TEST", fmt.Sprintf("message %d", i))
	}
	out := r.run("show logging")
	_, buf, ok := strings.Cut(out, "Log Buffer (4096 bytes):\n\n")
	if !ok {
		t.Fatalf("no buffer:\n%s", out)
	}
	if len(buf) > 4096 || len(buf) < 4096-100 {
		t.Errorf("buffer holds %d bytes", len(buf))
	}
	if !strings.HasSuffix(buf, ": %LISA-6-TEST: message 499\n") || strings.Contains(buf, "message 400\n") {
		t.Errorf("buffer:\n%s", buf)
	}
	if len(r.sw.logs.msgs) > 2*strings.Count(buf, "\n") {
		t.Errorf("ring keeps %d slots for %d messages", len(r.sw.logs.msgs), strings.Count(buf, "\n"))
	}
}

// IOS severities become slog levels, so a daemon logging at warn still
// logs failed logins.
func TestLogEventSlogLevels(t *testing.T) {
	r := newRig(t)
	r.sw.logEvent("SEC_LOGIN", 4, "LOGIN_FAILED", "a")
	r.sw.logEvent("LINK", 3, "UPDOWN", "b")
	r.sw.logEvent("SYS", 5, "CONFIG_I", "c")
	r.sw.logEvent("X", 7, "DEBUG", "d")
	logs := r.logs.String()
	for _, want := range []string{`level=WARN msg="%SEC_LOGIN-4-LOGIN_FAILED: a"`, `level=ERROR msg="%LINK-3-UPDOWN: b"`, `level=INFO msg="%SYS-5-CONFIG_I: c"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "DEBUG") { // the rig's handler logs from info up
		t.Errorf("debug message logged at info:\n%s", logs)
	}
}
