package syslogout

import (
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/internal/rsyslogtest"
)

func TestRsyslogReceivesUDPAndTCP(t *testing.T) {
	udpPort, tcpPort := rsyslogtest.FreePort(t, "udp"), rsyslogtest.FreePort(t, "tcp")
	out := rsyslogtest.Start(t, udpPort, tcpPort)
	lo := netip.MustParseAddr("127.0.0.1")
	s := New(nil)
	defer s.Close()
	s.SetTargets([]Target{
		{Addr: netip.AddrPortFrom(lo, uint16(udpPort)), Source: lo},
		{Addr: netip.AddrPortFrom(lo, uint16(tcpPort)), TCP: true},
	})
	// UDP may be sent before rsyslog's UDP input is up: send until seen.
	deadline := time.Now().Add(30 * time.Second)
	for n := uint64(1); ; n++ {
		s.Send(Format(23, 5, n, "*Nov 21 10:15:32.123: %SYS-5-CONFIG_I: Configured from console by root on console"))
		b, _ := os.ReadFile(out)
		if strings.Count(string(b), "%SYS-5-CONFIG_I") >= 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	got := rsyslogtest.WaitFor(t, out, "<189>1: *Nov 21 10:15:32.123: %SYS-5-CONFIG_I: Configured from console by root on console")
	if strings.Count(got, "%SYS-5-CONFIG_I") < 2 {
		t.Errorf("rsyslog got the message from one transport only:\n%s", got)
	}
	var sent uint64
	for _, st := range s.Stats() {
		sent += st.Sent
		if st.TCP && (!st.Up || st.Sent == 0) {
			t.Errorf("TCP target: %+v", st)
		}
	}
	if sent < 2 {
		t.Errorf("stats count %d sent", sent)
	}
}

func TestAbsentServerDropsAndCounts(t *testing.T) {
	port := rsyslogtest.FreePort(t, "tcp") // nobody listens
	s := New(nil)
	defer s.Close()
	s.SetTargets([]Target{{Addr: netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port)), TCP: true}})
	for i := 0; i < 3*QueueLen; i++ {
		s.Send([]byte("x")) // never blocks
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := s.Stats()
		if len(st) == 1 && st[0].Dropped > 0 && !st[0].Up && st[0].Sent == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stats %+v", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
