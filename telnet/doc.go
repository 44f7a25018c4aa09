// Package telnet is the server side of the telnet protocol as lisad's telnet
// door needs it: RFC 854 (NVT), 855 (option negotiation), 857 (ECHO),
// 858 (SUPPRESS-GO-AHEAD), 1073 (NAWS window size) and 1091 (terminal type).
//
// The shell behind the door does its own line editing and echoing, so the
// server asks the client to let it echo (WILL ECHO) and to stop sending
// go-aheads (WILL SUPPRESS-GO-AHEAD): together they put every common client
// into character-at-a-time mode. It asks for the window size (DO NAWS) so
// that the pager and the line editor know the terminal's width, and for the
// terminal type (DO TTYPE).
//
// The package has three layers:
//
//   - Parser is a pure state machine that splits the client's byte stream
//     into application data and telnet events. It turns the NVT's line ends
//     into the single '\r' the line editor expects for Enter and maps the
//     editing commands (IP, BRK, EC, EL) onto the control characters a
//     terminal would send. Its subnegotiation buffer is fixed in size, so a
//     hostile client cannot make it grow.
//   - Negotiator keeps the state of every option on both sides with the Q
//     method of RFC 1143, which never answers a request that does not change
//     state: two peers cannot talk themselves into a negotiation loop.
//   - Conn wraps a net.Conn: Read returns application bytes, Write encodes
//     text for the NVT, and window-size changes reach a callback.
package telnet
