package telnet

// Size is a terminal's window size in characters. A zero field means the
// client did not say (RFC 1073 reserves 0 for "unknown").
type Size struct {
	Width  int
	Height int
}

// ParseNAWS decodes a NAWS subnegotiation payload (without the option byte):
// width and height as 16-bit big-endian numbers. It reports false if the
// payload is not exactly four bytes.
func ParseNAWS(payload []byte) (Size, bool) {
	if len(payload) != 4 {
		return Size{}, false
	}
	return Size{
		Width:  int(payload[0])<<8 | int(payload[1]),
		Height: int(payload[2])<<8 | int(payload[3]),
	}, true
}

// maxTerminalType is RFC 1091's limit on a terminal type name.
const maxTerminalType = 40

// ParseTerminalType decodes a TTYPE IS subnegotiation payload (without the
// option byte) into the terminal name, lower-cased as terminfo names are. It
// reports false for anything else, and for names that are empty, too long or
// contain characters outside printable ASCII.
func ParseTerminalType(payload []byte) (string, bool) {
	if len(payload) < 2 || payload[0] != ttypeIS || len(payload)-1 > maxTerminalType {
		return "", false
	}
	name := make([]byte, len(payload)-1)
	for i, c := range payload[1:] {
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c <= ' ' || c > '~':
			return "", false
		}
		name[i] = c
	}
	return string(name), true
}

// terminalTypeSend is IAC SB TTYPE SEND IAC SE: "tell me your terminal type".
var terminalTypeSend = []byte{IAC, SB, OptTTYPE, ttypeSEND, IAC, SE}
