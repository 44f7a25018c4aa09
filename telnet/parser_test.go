package telnet

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"
)

// parseAll runs src through p in one go and returns the data and the events,
// with subnegotiation payloads copied out of the parser's buffer.
func parseAll(p *Parser, src []byte) ([]byte, []Event) {
	var data []byte
	var events []Event
	for len(src) > 0 {
		var n int
		var ev Event
		data, n, ev = p.Parse(data, src)
		src = src[n:]
		if ev.Kind != EventNone {
			ev.Data = bytes.Clone(ev.Data)
			events = append(events, ev)
		}
	}
	return data, events
}

func neg(verb, opt byte) Event { return Event{Kind: EventNegotiation, Command: verb, Option: opt} }
func cmd(c byte) Event         { return Event{Kind: EventCommand, Command: c} }
func sub(opt byte, data ...byte) Event {
	return Event{Kind: EventSubnegotiation, Option: opt, Data: data}
}

func TestParser(t *testing.T) {
	long := bytes.Repeat([]byte{'x'}, MaxSubnegotiation+1)
	tests := []struct {
		name   string
		in     []byte
		data   string
		events []Event
	}{
		{"plain text", []byte("show vlan"), "show vlan", nil},
		{"IAC IAC is 0xFF", []byte{'a', IAC, IAC, 'b'}, "a\xffb", nil},
		{"CR NUL is CR", []byte("ab\r\x00cd"), "ab\rcd", nil},
		{"CR LF is CR", []byte("ab\r\ncd"), "ab\rcd", nil},
		{"bare LF is CR", []byte("ab\ncd"), "ab\rcd", nil},
		{"CR CR LF is two Enters", []byte("\r\r\n"), "\r\r", nil},
		{"CR LF LF is two Enters", []byte("\r\n\n"), "\r\r", nil},
		{"CR then text keeps both", []byte("\rx"), "\rx", nil},
		{"NUL alone stays", []byte("a\x00b"), "a\x00b", nil},
		{"high bytes pass", []byte("caf\xc3\xa9"), "caf\xc3\xa9", nil},
		{"IP is Ctrl-C", []byte{'a', IAC, IP, 'b'}, "a\x03b", nil},
		{"BRK is Ctrl-C", []byte{IAC, BRK}, "\x03", nil},
		{"EC is Backspace", []byte{'a', IAC, EC}, "a\x7f", nil},
		{"EL is Ctrl-U", []byte{'a', IAC, EL}, "a\x15", nil},
		{"AYT is an event", []byte{'a', IAC, AYT, 'b'}, "ab", []Event{cmd(AYT)}},
		{"AO NOP DM GA are events", []byte{IAC, AO, IAC, NOP, IAC, DM, IAC, GA}, "",
			[]Event{cmd(AO), cmd(NOP), cmd(DM), cmd(GA)}},
		{"unassigned command is an event", []byte{IAC, 7}, "", []Event{cmd(7)}},
		{"stray SE is ignored", []byte{'a', IAC, SE, 'b'}, "ab", nil},
		{"negotiations", []byte{IAC, WILL, OptNAWS, IAC, WONT, OptEcho, IAC, DO, OptSGA, IAC, DONT, OptLinemode},
			"", []Event{neg(WILL, OptNAWS), neg(WONT, OptEcho), neg(DO, OptSGA), neg(DONT, OptLinemode)}},
		{"negotiation of option 255", []byte{IAC, DO, 255, 'z'}, "z", []Event{neg(DO, 255)}},
		{"NAWS 80x24", []byte{IAC, SB, OptNAWS, 0, 80, 0, 24, IAC, SE}, "",
			[]Event{sub(OptNAWS, 0, 80, 0, 24)}},
		{"NAWS with doubled IAC", []byte{IAC, SB, OptNAWS, 0, IAC, IAC, 1, 0, IAC, SE}, "",
			[]Event{sub(OptNAWS, 0, 255, 1, 0)}},
		{"TTYPE IS", append(append([]byte{IAC, SB, OptTTYPE, 0}, "XTERM"...), IAC, SE), "",
			[]Event{sub(OptTTYPE, append([]byte{0}, "XTERM"...)...)}},
		{"empty subnegotiation", []byte{IAC, SB, OptNAWS, IAC, SE}, "", []Event{sub(OptNAWS)}},
		{"data around subnegotiation", []byte{'a', IAC, SB, 1, 2, IAC, SE, 'b'}, "ab", []Event{sub(1, 2)}},
		{"command inside subnegotiation ends it", []byte{IAC, SB, OptNAWS, 0, 80, IAC, IP, 'x'}, "\x03x",
			[]Event{sub(OptNAWS, 0, 80)}},
		{"negotiation inside subnegotiation ends it", []byte{IAC, SB, 24, 0, IAC, WILL, 1}, "",
			[]Event{sub(24, 0), neg(WILL, 1)}},
		{"overlong subnegotiation is dropped", append(append([]byte{IAC, SB, OptTTYPE}, long...), IAC, SE, 'k'), "k", nil},
		{"overlong subnegotiation ended by a command", append(append([]byte{IAC, SB, OptTTYPE}, long...), IAC, AYT, 'k'), "k",
			[]Event{cmd(AYT)}},
		{"overlong with doubled IAC stays in subnegotiation", append(append([]byte{IAC, SB, 9}, long...), IAC, IAC, 'q', IAC, SE, 'k'), "k", nil},
		{"exactly max payload is kept", append(append([]byte{IAC, SB, 9}, long[1:]...), IAC, SE), "",
			[]Event{sub(9, long[1:]...)}},
		{"CR then IAC then LF", []byte{'\r', IAC, NOP, '\n'}, "\r\r", []Event{cmd(NOP)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Parser
			data, events := parseAll(&p, tt.in)
			if string(data) != tt.data {
				t.Errorf("data = %q, want %q", data, tt.data)
			}
			if !eventsEqual(events, tt.events) {
				t.Errorf("events = %v, want %v", events, tt.events)
			}
			// Split anywhere, one byte at a time: same result.
			var q Parser
			var data1 []byte
			var events1 []Event
			for i := range tt.in {
				d, e := parseAll(&q, tt.in[i:i+1])
				data1 = append(data1, d...)
				events1 = append(events1, e...)
			}
			if !bytes.Equal(data1, data) || !eventsEqual(events1, events) {
				t.Errorf("byte by byte: data %q events %v; in one go: data %q events %v", data1, events1, data, events)
			}
		})
	}
}

func eventsEqual(a, b []Event) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Kind != y.Kind || x.Command != y.Command || x.Option != y.Option || !bytes.Equal(x.Data, y.Data) {
			return false
		}
	}
	return true
}

func (e Event) String() string {
	switch e.Kind {
	case EventNegotiation:
		return fmt.Sprintf("%s %s", CommandName(e.Command), OptionName(e.Option))
	case EventSubnegotiation:
		return fmt.Sprintf("SB %s %v", OptionName(e.Option), e.Data)
	case EventCommand:
		return CommandName(e.Command)
	}
	return "none"
}

func TestParserStopsAtEachEvent(t *testing.T) {
	var p Parser
	in := []byte{'a', IAC, AYT, 'b', IAC, WILL, OptNAWS, 'c'}
	data, n, ev := p.Parse(nil, in)
	if string(data) != "a" || n != 3 || ev.Kind != EventCommand || ev.Command != AYT {
		t.Fatalf("first Parse = %q, %d, %v", data, n, ev)
	}
	data, n, ev = p.Parse(data, in[n:])
	if string(data) != "ab" || n != 4 || !reflect.DeepEqual(ev, neg(WILL, OptNAWS)) {
		t.Fatalf("second Parse = %q, %d, %v", data, n, ev)
	}
}

func TestParserDoesNotAllocate(t *testing.T) {
	in := []byte("configure terminal\r\n\xff\xff\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0\xff\xfb\x18")
	dst := make([]byte, 0, 256)
	var p Parser
	allocs := testing.AllocsPerRun(100, func() {
		src := in
		d := dst[:0]
		for len(src) > 0 {
			var n int
			d, n, _ = p.Parse(d, src)
			src = src[n:]
		}
	})
	if allocs != 0 {
		t.Errorf("Parse allocated %.1f times per run", allocs)
	}
}

func TestParseNAWS(t *testing.T) {
	tests := []struct {
		in   []byte
		want Size
		ok   bool
	}{
		{[]byte{0, 80, 0, 24}, Size{80, 24}, true},
		{[]byte{1, 0, 0, 0}, Size{256, 0}, true},
		{[]byte{255, 255, 255, 255}, Size{65535, 65535}, true},
		{[]byte{0, 80, 0}, Size{}, false},
		{[]byte{0, 80, 0, 24, 0}, Size{}, false},
		{nil, Size{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseNAWS(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseNAWS(%v) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseTerminalType(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"\x00XTERM-256COLOR", "xterm-256color", true},
		{"\x00vt100", "vt100", true},
		{"\x00", "", false},
		{"\x01xterm", "", false}, // SEND, not IS
		{"\x00xt erm", "", false},
		{"\x00xterm\x1b", "", false},
		{"\x00" + string(bytes.Repeat([]byte{'a'}, 41)), "", false},
		{"\x00" + string(bytes.Repeat([]byte{'a'}, 40)), string(bytes.Repeat([]byte{'a'}, 40)), true},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseTerminalType([]byte(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseTerminalType(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
