package telnet

// MaxSubnegotiation is the largest subnegotiation payload the parser keeps.
// NAWS needs 4 bytes and RFC 1091 limits terminal names to 40 characters; a
// longer payload is dropped whole rather than truncated, so that no handler
// ever sees half a value.
const MaxSubnegotiation = 128

// Control characters the parser delivers in place of telnet commands, chosen
// to be what a terminal sends for the same key.
const (
	ctrlC   = 0x03 // interrupt: IP and BRK
	ctrlU   = 0x15 // kill line: EL
	delChar = 0x7f // the Backspace key of a Linux terminal: EC
)

// EventKind tells what an Event carries.
type EventKind uint8

const (
	// EventNone means Parse consumed its input without completing an event.
	EventNone EventKind = iota
	// EventNegotiation is IAC WILL/WONT/DO/DONT <option>; Command is the verb.
	EventNegotiation
	// EventSubnegotiation is IAC SB <option> <payload> IAC SE.
	EventSubnegotiation
	// EventCommand is a command that has no data equivalent: AYT, AO, NOP,
	// DM, GA, or an unassigned command byte.
	EventCommand
)

// Event is one telnet protocol element found in the client's stream.
type Event struct {
	Kind    EventKind
	Command byte // the verb of a negotiation, or the command byte
	Option  byte // the option of a negotiation or subnegotiation
	// Data is the unescaped payload of a subnegotiation. It points into the
	// parser's buffer and is valid only until the next call to Parse.
	Data []byte
}

type parserState uint8

const (
	stData       parserState = iota
	stIAC                    // after IAC
	stOption                 // after IAC WILL/WONT/DO/DONT, waiting for the option
	stSBOption               // after IAC SB, waiting for the option
	stSBData                 // inside a subnegotiation payload
	stSBIAC                  // after IAC inside a subnegotiation
	stSBOverflow             // payload too long: skipping to IAC SE
	stSBOverIAC              // after IAC while skipping
)

// Parser splits a telnet client's byte stream into application data and
// events. The zero value is ready to use. It keeps its state between calls,
// so input may be split anywhere, even inside a command.
//
// Application data is what the line editor should see:
//   - IAC IAC becomes one 0xFF byte;
//   - CR NUL, CR LF and a bare LF each become one CR: one Enter is one '\r';
//   - IP and BRK become Ctrl-C (0x03), EC becomes DEL (0x7f, Backspace) and
//     EL becomes Ctrl-U (0x15).
type Parser struct {
	state    parserState
	afterCR  bool // the last data byte was CR: swallow a following NUL or LF
	verb     byte // negotiation verb while in stOption
	sbOption byte
	sbLen    int
	sb       [MaxSubnegotiation]byte
}

// Parse appends the application data found in src to dst and stops after the
// first event. It returns the extended dst, the number of bytes of src it
// consumed, and the event (Kind EventNone if it consumed all of src without
// completing one). Call it again with src[n:] until src is used up.
// Application data never exceeds the input in size; Parse does not allocate
// unless dst must grow.
func (p *Parser) Parse(dst, src []byte) ([]byte, int, Event) {
	for i := 0; i < len(src); i++ {
		b := src[i]
		switch p.state {
		case stData:
			if b == IAC {
				p.state = stIAC
				continue
			}
			dst = p.data(dst, b)
		case stIAC:
			p.state = stData
			switch b {
			case IAC:
				dst = p.data(dst, IAC)
			case WILL, WONT, DO, DONT:
				p.verb = b
				p.state = stOption
			case SB:
				p.state = stSBOption
			case IP, BRK:
				dst = p.control(dst, ctrlC)
			case EC:
				dst = p.control(dst, delChar)
			case EL:
				dst = p.control(dst, ctrlU)
			case SE:
				// SE outside a subnegotiation means nothing.
			default:
				p.afterCR = false
				return dst, i + 1, Event{Kind: EventCommand, Command: b}
			}
		case stOption:
			p.state = stData
			p.afterCR = false
			return dst, i + 1, Event{Kind: EventNegotiation, Command: p.verb, Option: b}
		case stSBOption:
			p.sbOption = b
			p.sbLen = 0
			p.state = stSBData
		case stSBData:
			if b == IAC {
				p.state = stSBIAC
				continue
			}
			p.sbAppend(b)
		case stSBIAC:
			switch b {
			case IAC:
				p.state = stSBData
				p.sbAppend(IAC)
			case SE:
				p.state = stData
				p.afterCR = false
				return dst, i + 1, Event{Kind: EventSubnegotiation, Option: p.sbOption, Data: p.sb[:p.sbLen]}
			default:
				// A command inside a subnegotiation breaks the protocol.
				// Like BSD telnetd, take it as the end of the
				// subnegotiation and then handle the command itself.
				p.state = stIAC
				p.afterCR = false
				return dst, i, Event{Kind: EventSubnegotiation, Option: p.sbOption, Data: p.sb[:p.sbLen]}
			}
		case stSBOverflow:
			if b == IAC {
				p.state = stSBOverIAC
			}
		case stSBOverIAC:
			switch b {
			case IAC:
				p.state = stSBOverflow
			case SE:
				p.state = stData
			default:
				p.state = stIAC
				i-- // handle b as the command it is
			}
		}
	}
	return dst, len(src), Event{}
}

// data appends one application byte, folding the NVT's line ends.
func (p *Parser) data(dst []byte, b byte) []byte {
	if p.afterCR {
		p.afterCR = false
		if b == 0 || b == '\n' {
			return dst // CR NUL and CR LF are one Enter
		}
	}
	switch b {
	case '\r':
		p.afterCR = true
	case '\n':
		b = '\r' // a bare LF (some clients, or pasted text) is Enter too
	}
	return append(dst, b)
}

// control appends the control character that stands for a telnet command.
func (p *Parser) control(dst []byte, c byte) []byte {
	p.afterCR = false
	return append(dst, c)
}

func (p *Parser) sbAppend(b byte) {
	if p.sbLen == len(p.sb) {
		p.state = stSBOverflow
		p.sbLen = 0
		return
	}
	p.sb[p.sbLen] = b
	p.sbLen++
}
