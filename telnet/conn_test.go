package telnet

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"
)

// connPair returns a server Conn and the raw client end of a loopback TCP
// connection, both closed when the test ends.
func connPair(t *testing.T, cfg Config) (*Conn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	nc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewConn(nc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, client
}

// readExactly reads n bytes from the client end or fails.
func readExactly(t *testing.T, r net.Conn, n int) []byte {
	t.Helper()
	r.SetReadDeadline(time.Now().Add(30 * time.Second))
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		t.Fatalf("reading %d bytes: %v (got %q)", n, err, buf)
	}
	return buf
}

// expectNothing checks that the client end receives nothing for a moment.
func expectNothing(t *testing.T, r net.Conn) {
	t.Helper()
	r.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	buf := make([]byte, 64)
	if n, err := r.Read(buf); n > 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("unexpected %q, %v", buf[:n], err)
	}
}

var opening = []byte{IAC, WILL, OptEcho, IAC, WILL, OptSGA, IAC, DO, OptNAWS, IAC, DO, OptTTYPE}

func TestConnNegotiation(t *testing.T) {
	var sizes []Size
	c, client := connPair(t, Config{OnResize: func(s Size) { sizes = append(sizes, s) }})
	if got := readExactly(t, client, len(opening)); !bytes.Equal(got, opening) {
		t.Fatalf("opening = %v, want %v", got, opening)
	}
	// What inetutils telnet answers, with a keystroke mixed in.
	client.Write([]byte{IAC, DO, OptEcho, IAC, DO, OptSGA, 'x', IAC, WILL, OptNAWS,
		IAC, SB, OptNAWS, 0, 100, 0, 30, IAC, SE, IAC, WILL, OptTTYPE})
	done := make(chan error)
	go func() { done <- c.AwaitNegotiation(30 * time.Second) }()
	if got := readExactly(t, client, len(terminalTypeSend)); !bytes.Equal(got, terminalTypeSend) {
		t.Fatalf("after WILL TTYPE got %v, want TTYPE SEND", got)
	}
	client.Write(append(append([]byte{IAC, SB, OptTTYPE, ttypeIS}, "XTERM-256COLOR"...), IAC, SE))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := c.Size(); got != (Size{100, 30}) {
		t.Errorf("Size = %v", got)
	}
	if got := c.TerminalType(); got != "xterm-256color" {
		t.Errorf("TerminalType = %q", got)
	}
	if len(sizes) != 1 || sizes[0] != (Size{100, 30}) {
		t.Errorf("OnResize calls = %v", sizes)
	}
	expectNothing(t, client) // every answer was an answer: nothing to say

	// The keystroke that came during negotiation is kept for Read.
	buf := make([]byte, 16)
	if n, err := c.Read(buf); err != nil || string(buf[:n]) != "x" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}

	// A resize, the same size again (no callback), and a line.
	client.Write([]byte{IAC, SB, OptNAWS, 0, 120, 0, 40, IAC, SE, IAC, SB, OptNAWS, 0, 120, 0, 40, IAC, SE})
	client.Write([]byte("show vlan\r\n"))
	var got []byte
	for len(got) < len("show vlan\r") {
		n, err := c.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, buf[:n]...)
	}
	if string(got) != "show vlan\r" {
		t.Errorf("line = %q", got)
	}
	if len(sizes) != 2 || sizes[1] != (Size{120, 40}) || c.Size() != (Size{120, 40}) {
		t.Errorf("after resize: sizes %v, Size %v", sizes, c.Size())
	}
}

func TestConnRefusesAndAnswers(t *testing.T) {
	c, client := connPair(t, Config{})
	readExactly(t, client, len(opening))
	go io.Copy(io.Discard, c) // the reader drives the answers
	tests := []struct {
		name string
		send []byte
		want []byte
	}{
		{"client echo refused", []byte{IAC, WILL, OptEcho}, []byte{IAC, DONT, OptEcho}},
		{"linemode refused", []byte{IAC, WILL, OptLinemode}, []byte{IAC, DONT, OptLinemode}},
		{"binary refused", []byte{IAC, DO, OptBinary}, []byte{IAC, WONT, OptBinary}},
		{"timing mark refused", []byte{IAC, DO, OptTimingMark}, []byte{IAC, WONT, OptTimingMark}},
		{"NAWS refused then acknowledged", []byte{IAC, WONT, OptNAWS, IAC, WILL, OptNAWS}, []byte{IAC, DO, OptNAWS}},
		{"are you there", []byte{IAC, AYT}, aytAnswer},
		{"client stops our echo", []byte{IAC, DO, OptEcho, IAC, DONT, OptEcho}, []byte{IAC, WONT, OptEcho}},
	}
	for _, tt := range tests {
		client.Write(tt.send)
		if got := readExactly(t, client, len(tt.want)); !bytes.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
	// Repeating an accepted option gets no answer at all.
	client.Write([]byte{IAC, WILL, OptNAWS, IAC, WONT, OptLinemode})
	expectNothing(t, client)
}

func TestConnWrite(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"LF becomes CR LF", []string{"a\nb\n"}, "a\r\nb\r\n"},
		{"CR LF stays", []string{"a\r\nb"}, "a\r\nb"},
		{"bare CR gets NUL", []string{"abc\rxy"}, "abc\r\x00xy"},
		{"CR at end gets NUL", []string{"abc\r"}, "abc\r\x00"},
		{"CR then LF in the next write", []string{"x\r", "\ny"}, "x\r\x00\ny"},
		{"IAC doubled", []string{"\xff\xfe"}, "\xff\xff\xfe"},
		{"empty write", []string{""}, ""},
		{"CR LF across the chunk boundary", []string{string(bytes.Repeat([]byte{'-'}, writeChunk-1)) + "\r\n"},
			string(bytes.Repeat([]byte{'-'}, writeChunk-1)) + "\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, client := connPair(t, Config{})
			readExactly(t, client, len(opening))
			for _, w := range tt.writes {
				if n, err := c.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if len(tt.want) > 0 {
				if got := readExactly(t, client, len(tt.want)); string(got) != tt.want {
					t.Fatalf("wire = %q, want %q", got, tt.want)
				}
			}
			expectNothing(t, client)
		})
	}
}

func TestConnConcurrentWriters(t *testing.T) {
	c, client := connPair(t, Config{})
	readExactly(t, client, len(opening))
	const writers, lines = 8, 200
	line := []byte("0123456789abcdef\n")
	var wg sync.WaitGroup
	for i := 0; i < writers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < lines; j++ {
				if _, err := c.Write(line); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	// Meanwhile the reader answers negotiations, which also write.
	go io.Copy(io.Discard, c)
	for i := 0; i < 50; i++ {
		client.Write([]byte{IAC, AYT})
	}
	want := writers*lines*(len(line)+1) + 50*len(aytAnswer)
	got := readExactly(t, client, want)
	// Every line arrives whole: writes are not interleaved.
	rest := bytes.ReplaceAll(got, aytAnswer, nil)
	if n := bytes.Count(rest, []byte("0123456789abcdef\r\n")); n != writers*lines {
		t.Fatalf("%d whole lines of %d", n, writers*lines)
	}
	wg.Wait()
}

func TestConnAwaitNegotiationTimeout(t *testing.T) {
	c, client := connPair(t, Config{})
	readExactly(t, client, len(opening))
	start := time.Now()
	if err := c.AwaitNegotiation(100 * time.Millisecond); err != nil {
		t.Fatalf("silent client: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v", d)
	}
	if c.Size() != (Size{}) {
		t.Errorf("Size = %v for a silent client", c.Size())
	}
	// The deadline is cleared: a later Read blocks until data comes.
	go func() {
		time.Sleep(150 * time.Millisecond)
		client.Write([]byte("ok"))
	}()
	buf := make([]byte, 8)
	if n, err := c.Read(buf); err != nil || string(buf[:n]) != "ok" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
}

func TestConnReadEOF(t *testing.T) {
	c, client := connPair(t, Config{})
	readExactly(t, client, len(opening))
	client.Write([]byte{'b', 'y', 'e', IAC, NOP})
	client.Close()
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "bye" {
		t.Fatalf("ReadAll = %q, %v", got, err)
	}
}

func TestConnHostileSubnegotiation(t *testing.T) {
	c, client := connPair(t, Config{})
	readExactly(t, client, len(opening))
	go func() {
		client.Write([]byte{IAC, SB, OptNAWS})
		junk := bytes.Repeat([]byte{7}, 64<<10)
		for i := 0; i < 16; i++ {
			client.Write(junk) // 1 MiB of subnegotiation that never ends...
		}
		client.Write([]byte{IAC, SE, 'k'}) // ...until it does
	}()
	buf := make([]byte, 8)
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != "k" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	if c.Size() != (Size{}) || cap(c.heldBuf) > readChunk {
		t.Fatalf("hostile subnegotiation left Size %v, buffer %d", c.Size(), cap(c.heldBuf))
	}
}
