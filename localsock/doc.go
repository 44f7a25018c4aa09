// Package localsock is the protocol spoken on lisad's local socket
// (RUN_DIR/lisa.sock) between the client tools (swcli, swctl, swcfgload,
// swcfgsave) and the daemon, and the client side of it.
//
// A connection carries frames: one type byte, a big-endian uint32 length and
// the payload. The client opens with a Hello (JSON) that says what it wants:
//
//   - "interactive": a terminal session. Input frames carry keystrokes,
//     Size frames the window size; the daemon runs the line editor and sends
//     Output frames until the session ends.
//   - "batch": commands without a terminal. The Hello's Commands run first,
//     then, if Stdin is set, each Line frame until EOF; prompts take the next
//     line as their answer.
//   - "load": configuration text (or, with Startup, the daemon's own
//     startup-config) replayed with the startup-config rules; every failing
//     line comes back on the Error stream as NAME:LINE: message.
//
// The daemon ends every connection with an Exit frame holding the status
// (0 success, 1 if any command or line failed).
package localsock
