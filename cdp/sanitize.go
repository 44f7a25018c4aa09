package cdp

import "strings"

// Printable makes a string from the wire safe to print on a terminal and to put in a
// column: every byte outside printable ASCII (controls, ESC, DEL, and all bytes >= 0x80, so
// UTF-8 and C1 controls such as CSI 0x9b too) becomes '?', and at most max bytes are kept.
// One byte is then one column, so tables stay aligned, and no escape sequence can reach the
// terminal. Wire strings are only ever passed as arguments, never used as format strings.
func Printable(s string, max int) string {
	return printable(s, max, false)
}

// printableLines is Printable for multi-line text (Software Version): newlines are kept,
// carriage returns dropped.
func printableLines(s string, max int) string {
	return printable(s, max, true)
}

func printable(s string, max int, lines bool) string {
	if len(s) > max {
		s = s[:max]
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		case lines && c == '\n':
			b.WriteByte(c)
		case lines && c == '\r':
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
