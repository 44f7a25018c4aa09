package icmpping

import (
	"encoding/binary"
	"testing"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
)

// quoted is the datagram an ICMP error quotes: an IPv4 header and the
// first 8 bytes of our echo request.
func quoted(id, seq int) []byte {
	d := make([]byte, 28)
	d[0] = 0x45
	d[9] = 1
	d[20] = byte(ipv4.ICMPTypeEcho)
	binary.BigEndian.PutUint16(d[24:], uint16(id))
	binary.BigEndian.PutUint16(d[26:], uint16(seq))
	return d
}

func marshal(t testing.TB, m icmp.Message) []byte {
	b, err := m.Marshal(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestClassify(t *testing.T) {
	const id, seq = 0x1234, 7
	for _, tc := range []struct {
		name string
		msg  icmp.Message
		code rune
		ok   bool
	}{
		{"our reply", icmp.Message{Type: ipv4.ICMPTypeEchoReply, Body: &icmp.Echo{ID: id, Seq: seq}}, Reply, true},
		{"another run's reply", icmp.Message{Type: ipv4.ICMPTypeEchoReply, Body: &icmp.Echo{ID: id + 1, Seq: seq}}, 0, false},
		{"an old sequence's reply", icmp.Message{Type: ipv4.ICMPTypeEchoReply, Body: &icmp.Echo{ID: id, Seq: seq - 1}}, 0, false},
		{"someone's request", icmp.Message{Type: ipv4.ICMPTypeEcho, Body: &icmp.Echo{ID: id, Seq: seq}}, 0, false},
		{"unreachable about ours", icmp.Message{Type: ipv4.ICMPTypeDestinationUnreachable, Code: 1, Body: &icmp.DstUnreach{Data: quoted(id, seq)}}, Unreachable, true},
		{"fragmentation needed", icmp.Message{Type: ipv4.ICMPTypeDestinationUnreachable, Code: 4, Body: &icmp.DstUnreach{Data: quoted(id, seq)}}, Fragment, true},
		{"unreachable about another", icmp.Message{Type: ipv4.ICMPTypeDestinationUnreachable, Code: 1, Body: &icmp.DstUnreach{Data: quoted(id, seq+1)}}, 0, false},
		{"parameter problem", icmp.Message{Type: ipv4.ICMPTypeParameterProblem, Body: &icmp.ParamProb{Data: quoted(id, seq)}}, Unknown, true},
		{"time exceeded", icmp.Message{Type: ipv4.ICMPTypeTimeExceeded, Body: &icmp.TimeExceeded{Data: quoted(id, seq)}}, TTLExceeded, true},
		{"unreachable quoting too little", icmp.Message{Type: ipv4.ICMPTypeDestinationUnreachable, Body: &icmp.DstUnreach{Data: quoted(id, seq)[:24]}}, 0, false},
	} {
		code, ok := Classify(marshal(t, tc.msg), id, seq)
		if code != tc.code || ok != tc.ok {
			t.Errorf("%s: %q %v, want %q %v", tc.name, code, ok, tc.code, tc.ok)
		}
	}
	if _, ok := Classify([]byte{0, 0}, id, seq); ok {
		t.Error("a truncated message matched")
	}
}

func TestSuccessLine(t *testing.T) {
	var st Stats
	for _, r := range []Result{{Code: Reply, RTT: 1200 * time.Microsecond}, {Code: Timeout}, {Code: Reply, RTT: 3 * time.Millisecond}, {Code: Reply, RTT: 2 * time.Millisecond}} {
		st.Add(r)
	}
	if got, want := st.SuccessLine(), "Success rate is 75 percent (3/4), round-trip min/avg/max = 1/2/3 ms"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got, want := (Stats{Sent: 5}).SuccessLine(), "Success rate is 0 percent (0/5)"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}

func FuzzClassify(f *testing.F) {
	f.Add(marshal(f, icmp.Message{Type: ipv4.ICMPTypeEchoReply, Body: &icmp.Echo{ID: 1, Seq: 1}}))
	f.Add(marshal(f, icmp.Message{Type: ipv4.ICMPTypeDestinationUnreachable, Body: &icmp.DstUnreach{Data: quoted(1, 1)}}))
	f.Add(marshal(f, icmp.Message{Type: ipv4.ICMPTypeTimeExceeded, Body: &icmp.TimeExceeded{Data: quoted(1, 1)}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		if code, ok := Classify(b, 1, 1); ok != (code != 0) {
			t.Fatalf("code %q with ok %v", code, ok)
		}
	})
}
