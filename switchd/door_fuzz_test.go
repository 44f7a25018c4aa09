package switchd

import (
	"bytes"
	"encoding/binary"
	"net"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lisa-go/lisa/telnet"
)

// FuzzBanner feeds the banner parser any first line and continuation
// lines (a replayed startup-config is anybody's file): it never panics,
// the text is bounded and free of control characters, and what it renders
// parses back to the same text.
func FuzzBanner(f *testing.F) {
	f.Add("#hello#", "")
	f.Add("^C", "line one\nline two\n^C")
	f.Add("$press ^C to stop$", "")
	f.Add("#", "a\x1b[2J\x00b\n#trailing")
	f.Add("é", "multi-byte délimiter\né")
	f.Add("^", "C^C")
	f.Fuzz(func(t *testing.T, first, rest string) {
		p, err := newBannerParser(first)
		if err != nil {
			return
		}
		for _, l := range strings.Split(rest, "\n") {
			if p.feed(l) {
				break
			}
		}
		b, err := p.result()
		if err != nil {
			return
		}
		if len(b.text) > maxBannerLen {
			t.Fatalf("banner of %d bytes", len(b.text))
		}
		for _, r := range b.text {
			if r < 0x20 && r != '\t' && r != '\n' || r == 0x7f {
				t.Fatalf("control character %q in %q", r, b.text)
			}
		}
		if !utf8.ValidString(b.text) {
			t.Fatalf("invalid UTF-8 in %q", b.text)
		}
		// Render, then parse the rendering as a replay would.
		lines := bannerLines("motd", b)
		arg := strings.TrimSpace(strings.TrimPrefix(lines[0], "banner motd"))
		q, err := newBannerParser(arg)
		if err != nil {
			t.Fatalf("rendering %q does not parse: %v", lines[0], err)
		}
		for _, l := range lines[1:] {
			if q.feed(l) {
				break
			}
		}
		b2, err := q.result()
		if err != nil || b2.text != b.text {
			t.Fatalf("round trip of %q: %q, %v (rendered %q)", b.text, b2.text, err, lines)
		}
	})
}

// FuzzPtyReq: a client's pty-req payload never panics the parser.
func FuzzPtyReq(f *testing.F) {
	good := binary.BigEndian.AppendUint32(nil, 5)
	good = append(good, "xterm"...)
	good = binary.BigEndian.AppendUint32(good, 80)
	good = binary.BigEndian.AppendUint32(good, 24)
	good = append(good, make([]byte, 12)...)
	f.Add(good)
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 1, 2})
	f.Fuzz(func(t *testing.T, p []byte) {
		w, h, ok := parsePtyReq(p)
		if ok && len(p) < 12 {
			t.Fatalf("accepted %d bytes as %dx%d", len(p), w, h)
		}
	})
}

// FuzzTelnetLogin types anything at the telnet login prompt: the reader
// never panics, answers stay bounded, and a line ends at CR or LF.
func FuzzTelnetLogin(f *testing.F) {
	f.Add([]byte("admin\r\n"), true)
	f.Add([]byte("pw\r\x00rest"), false)
	f.Add([]byte("ab\x7f\x7fcd\x15ef\n"), true)
	f.Add([]byte{0xff, 0xfa, 0x1f, 0, 80, 0, 24, 0xff, 0xf0, 'x', '\r'}, false)
	f.Fuzz(func(t *testing.T, input []byte, echo bool) {
		server, client := net.Pipe()
		defer client.Close()
		defer server.Close()
		go func() {
			// The client side: read everything, write the input.
			go func() {
				buf := make([]byte, 1024)
				for {
					if _, err := client.Read(buf); err != nil {
						return
					}
				}
			}()
			client.Write(input)
			client.Close()
		}()
		tc, err := telnet.NewConn(server, telnet.Config{})
		if err != nil {
			return
		}
		lr := &loginReader{c: tc}
		line, err := lr.readLine("Username: ", echo)
		if err != nil {
			return
		}
		if len(line) > maxLoginAnswer || strings.ContainsAny(line, "\r\n") || bytes.ContainsAny([]byte(line), "\x00\x7f") {
			t.Fatalf("answer %q", line)
		}
	})
}
