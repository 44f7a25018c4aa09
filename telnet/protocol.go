package telnet

import "strconv"

// Telnet command bytes (RFC 854). Each follows IAC on the wire.
const (
	SE   byte = 240 // end of subnegotiation
	NOP  byte = 241 // no operation
	DM   byte = 242 // data mark (the data part of a Synch)
	BRK  byte = 243 // break
	IP   byte = 244 // interrupt process
	AO   byte = 245 // abort output
	AYT  byte = 246 // are you there
	EC   byte = 247 // erase character
	EL   byte = 248 // erase line
	GA   byte = 249 // go ahead
	SB   byte = 250 // start of subnegotiation
	WILL byte = 251 // sender wants to enable (or has enabled) an option on its side
	WONT byte = 252 // sender refuses (or disables) an option on its side
	DO   byte = 253 // sender asks the receiver to enable an option
	DONT byte = 254 // sender asks the receiver to disable an option
	IAC  byte = 255 // interpret as command
)

// Option codes the package knows by name. Options not listed are refused.
const (
	OptBinary         byte = 0  // RFC 856
	OptEcho           byte = 1  // RFC 857
	OptSGA            byte = 3  // RFC 858, suppress go-ahead
	OptStatus         byte = 5  // RFC 859
	OptTimingMark     byte = 6  // RFC 860
	OptTTYPE          byte = 24 // RFC 1091, terminal type
	OptNAWS           byte = 31 // RFC 1073, negotiate about window size
	OptTSpeed         byte = 32 // RFC 1079
	OptLFlow          byte = 33 // RFC 1372
	OptLinemode       byte = 34 // RFC 1184
	OptXDisplay       byte = 35 // RFC 1096
	OptNewEnviron     byte = 39 // RFC 1572
	OptCharset        byte = 42 // RFC 2066
	OptEnvironOld     byte = 36 // RFC 1408
	OptAuthentication byte = 37 // RFC 2941
	OptEncrypt        byte = 38 // RFC 2946
)

// TTYPE subnegotiation verbs (RFC 1091).
const (
	ttypeIS   byte = 0
	ttypeSEND byte = 1
)

var commandNames = map[byte]string{
	SE: "SE", NOP: "NOP", DM: "DM", BRK: "BRK", IP: "IP", AO: "AO", AYT: "AYT",
	EC: "EC", EL: "EL", GA: "GA", SB: "SB", WILL: "WILL", WONT: "WONT", DO: "DO",
	DONT: "DONT", IAC: "IAC",
}

var optionNames = map[byte]string{
	OptBinary: "BINARY", OptEcho: "ECHO", OptSGA: "SUPPRESS-GO-AHEAD", OptStatus: "STATUS",
	OptTimingMark: "TIMING-MARK", OptTTYPE: "TERMINAL-TYPE", OptNAWS: "NAWS",
	OptTSpeed: "TERMINAL-SPEED", OptLFlow: "TOGGLE-FLOW-CONTROL", OptLinemode: "LINEMODE",
	OptXDisplay: "X-DISPLAY-LOCATION", OptNewEnviron: "NEW-ENVIRON", OptCharset: "CHARSET",
	OptEnvironOld: "OLD-ENVIRON", OptAuthentication: "AUTHENTICATION", OptEncrypt: "ENCRYPT",
}

// CommandName returns the RFC name of a command byte ("WILL", "IP", ...) or
// its number for bytes that are not commands. It is meant for logs and tests.
func CommandName(c byte) string {
	if n, ok := commandNames[c]; ok {
		return n
	}
	return strconv.Itoa(int(c))
}

// OptionName returns the RFC name of an option code, or its number.
func OptionName(o byte) string {
	if n, ok := optionNames[o]; ok {
		return n
	}
	return strconv.Itoa(int(o))
}
