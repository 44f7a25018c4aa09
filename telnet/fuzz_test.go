package telnet

import (
	"bytes"
	"testing"
)

// Real opening sequences: what inetutils telnet, PuTTY-style clients and
// netcat-with-garbage send to a server.
var fuzzSeeds = [][]byte{
	{IAC, WILL, OptNAWS, IAC, SB, OptNAWS, 0, 100, 0, 30, IAC, SE, IAC, DO, OptEcho, IAC, DO, OptSGA},
	{IAC, WILL, OptTTYPE, IAC, SB, OptTTYPE, 0, 'X', 'T', 'E', 'R', 'M', IAC, SE},
	{IAC, DO, OptEcho, IAC, WILL, OptNAWS, IAC, WILL, OptTSpeed, IAC, WILL, OptLFlow, IAC, WILL, OptLinemode,
		IAC, WILL, OptNewEnviron, IAC, DO, OptStatus, IAC, WILL, OptXDisplay},
	[]byte("enable\r\nconfigure terminal\r\x00interface eth0\n"),
	{'a', IAC, IP, 'b', IAC, EC, IAC, EL, IAC, AYT, IAC, BRK, IAC, AO, IAC, NOP, IAC, DM, IAC, GA},
	{IAC, SB, OptNAWS, 0, IAC, IAC, 0, IAC, IAC, IAC, SE},
	{IAC, SB, OptNAWS, 0, 80, IAC, WILL, OptEcho},
	{IAC, IAC, IAC, IAC, IAC},
	append(append([]byte{IAC, SB, OptTTYPE}, bytes.Repeat([]byte{'z'}, 300)...), IAC, SE, 'k'),
	{'\r', '\n', '\r', 0, '\n', '\r', '\r'},
}

// FuzzParser checks that the parser never panics, always makes progress,
// keeps its output within bounds, gives the same result however the input is
// split, and never passes a raw LF through.
func FuzzParser(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, uint16(i*7))
	}
	f.Fuzz(func(t *testing.T, in []byte, split uint16) {
		var p Parser
		var data []byte
		var events []Event
		src := in
		for len(src) > 0 {
			var n int
			var ev Event
			data, n, ev = p.Parse(data, src)
			if n < 0 || n > len(src) {
				t.Fatalf("consumed %d of %d", n, len(src))
			}
			if n == 0 && ev.Kind == EventNone {
				t.Fatal("no progress")
			}
			if len(ev.Data) > MaxSubnegotiation {
				t.Fatalf("subnegotiation of %d bytes", len(ev.Data))
			}
			if ev.Kind != EventNone {
				ev.Data = bytes.Clone(ev.Data)
				events = append(events, ev)
			}
			src = src[n:]
		}
		if len(data) > len(in) {
			t.Fatalf("%d bytes of data from %d bytes of input", len(data), len(in))
		}
		if bytes.IndexByte(data, '\n') >= 0 {
			t.Fatalf("LF in application data %q", data)
		}
		if len(events) > len(in)/2+1 {
			t.Fatalf("%d events from %d bytes", len(events), len(in))
		}

		// The same input in two pieces gives the same result.
		cut := 0
		if len(in) > 0 {
			cut = int(split) % (len(in) + 1)
		}
		var q Parser
		d1, e1 := parseAll(&q, in[:cut])
		d2, e2 := parseAll(&q, in[cut:])
		if !bytes.Equal(append(d1, d2...), data) || !eventsEqual(append(e1, e2...), events) {
			t.Fatalf("split at %d changes the result", cut)
		}

		// Whatever the events, the negotiator answers each at most once
		// and only with a negotiation verb.
		n := NewNegotiator(serverLocalOptions, serverRemoteOptions)
		for _, ev := range events {
			if ev.Kind != EventNegotiation {
				continue
			}
			if r, ok := n.Receive(ev.Command, ev.Option); ok && (r.Verb < WILL || r.Verb > DONT || r.Option != ev.Option) {
				t.Fatalf("bad reply %v to %v", r, ev)
			}
		}
	})
}

// FuzzWriteEncoding checks that what Conn.Write puts on the wire, read back
// by the parser, is the text written with its line ends folded into CR.
func FuzzWriteEncoding(f *testing.F) {
	f.Add([]byte("Switch#show vlan\n\r\n\r\xff\n"))
	f.Add([]byte{IAC, IAC, '\r', '\r', '\n', '\n'})
	f.Fuzz(func(t *testing.T, in []byte) {
		var c Conn
		wire := c.encode(nil, in, nil)
		if len(wire) > 2*len(in) {
			t.Fatalf("encoding grew %d bytes to %d", len(in), len(wire))
		}
		var p Parser
		got, events := parseAll(&p, wire)
		if len(events) != 0 {
			t.Fatalf("encoded text parsed as events %v", events)
		}
		want := bytes.ReplaceAll(in, []byte("\r\n"), []byte("\r"))
		want = bytes.ReplaceAll(want, []byte("\n"), []byte("\r"))
		if !bytes.Equal(got, want) {
			t.Fatalf("round trip of %q gives %q, want %q (wire %q)", in, got, want, wire)
		}
	})
}
