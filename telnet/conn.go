package telnet

import (
	"errors"
	"net"
	"os"
	"sync"
	"time"
)

// Config holds the optional parts of a Conn.
type Config struct {
	// OnResize, if set, is called with the new size each time the client
	// reports its window size. It runs on the goroutine that called Read or
	// AwaitNegotiation, so it must not call those itself.
	OnResize func(Size)
}

// The options the server offers on its side and accepts on the client's.
// Everything else is refused: in particular a client's WILL ECHO (two echoing
// ends would loop), BINARY (it would change the line-end rules) and LINEMODE
// (the shell edits lines itself).
var (
	serverLocalOptions  = []byte{OptEcho, OptSGA}
	serverRemoteOptions = []byte{OptNAWS, OptTTYPE, OptSGA}
)

// chunk sizes: how many bytes Read asks the socket for, how much of a Write
// is encoded at a time, and how much application data AwaitNegotiation holds
// back before it stops reading.
const (
	readChunk      = 4096
	writeChunk     = 4096
	maxHeldWaiting = 4096
)

// aytAnswer is what the server says when asked "are you there".
var aytAnswer = []byte("\r\n[Yes]\r\n")

// Conn is the server end of a telnet connection. Read returns the client's
// application data (see Parser for what it turns into what), Write sends text
// encoded for the NVT. It is safe for one goroutine calling Read and any
// number calling Write; Size and TerminalType may be called from anywhere.
// Conn implements net.Conn.
type Conn struct {
	nc  net.Conn
	cfg Config

	// Reader side: touched only by the goroutine in Read/AwaitNegotiation.
	parser        Parser
	neg           *Negotiator
	raw           [readChunk]byte
	held          []byte // decoded application data not yet returned
	heldBuf       []byte
	askedTermType bool
	gotNAWS       bool
	gotTermType   bool

	// Writer side, under wmu. Replies from the reader side take it too.
	wmu    sync.Mutex
	wbuf   []byte
	lastCR bool // the last byte written was CR: a following LF needs no CR

	// Terminal facts, under mu.
	mu       sync.Mutex
	size     Size
	termType string
}

// NewConn wraps an accepted connection and sends the server's opening
// requests: WILL ECHO and WILL SUPPRESS-GO-AHEAD (the shell echoes and edits,
// the client sends each key as typed), DO NAWS and DO TERMINAL-TYPE. The
// answers arrive as the connection is read; AwaitNegotiation waits for them.
func NewConn(nc net.Conn, cfg Config) (*Conn, error) {
	c := &Conn{
		nc:      nc,
		cfg:     cfg,
		neg:     NewNegotiator(serverLocalOptions, serverRemoteOptions),
		heldBuf: make([]byte, 0, readChunk),
	}
	var opening []byte
	for _, r := range []struct {
		side Side
		opt  byte
	}{{Local, OptEcho}, {Local, OptSGA}, {Remote, OptNAWS}, {Remote, OptTTYPE}} {
		if n, ok := c.neg.Request(r.side, r.opt, true); ok {
			opening = append(opening, n.Bytes()...)
		}
	}
	if err := c.writeRaw(opening); err != nil {
		return nil, err
	}
	return c, nil
}

// Size returns the client's window size as last reported, zero if unknown.
func (c *Conn) Size() Size {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// TerminalType returns the client's terminal type in lower case ("xterm"),
// or "" if it did not say.
func (c *Conn) TerminalType() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.termType
}

// AwaitNegotiation reads until the client has answered the opening requests
// (and sent its window size and terminal type if it agreed to) or until the
// timeout passes, whichever comes first; running out of time is not an
// error, old clients simply never answer. Application data that arrives
// meanwhile is kept for Read. Call it before the first Read, from the
// goroutine that will read; it clears the read deadline when it returns.
func (c *Conn) AwaitNegotiation(timeout time.Duration) error {
	if err := c.nc.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	defer c.nc.SetReadDeadline(time.Time{})
	for !c.settled() && len(c.held) < maxHeldWaiting {
		n, err := c.nc.Read(c.raw[:])
		if n > 0 {
			if perr := c.process(c.raw[:n]); perr != nil {
				return perr
			}
		}
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return nil
			}
			return err
		}
	}
	return nil
}

// settled reports whether every opening request has been answered and the
// data promised by the answers has arrived.
func (c *Conn) settled() bool {
	n := c.neg
	switch {
	case n.Pending(Local, OptEcho), n.Pending(Local, OptSGA),
		n.Pending(Remote, OptNAWS), n.Pending(Remote, OptTTYPE):
		return false
	case n.Enabled(Remote, OptNAWS) && !c.gotNAWS:
		return false
	case n.Enabled(Remote, OptTTYPE) && !c.gotTermType:
		return false
	}
	return true
}

// Read reads application data from the client, answering the telnet
// protocol on the way. It blocks until at least one byte of data is there.
func (c *Conn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for len(c.held) == 0 {
		n, err := c.nc.Read(c.raw[:])
		if n > 0 {
			if perr := c.process(c.raw[:n]); perr != nil {
				return 0, perr
			}
		}
		if err != nil && len(c.held) == 0 {
			return 0, err
		}
		// With data in hand, an error is returned by the next socket read.
	}
	n := copy(p, c.held)
	c.held = c.held[n:]
	return n, nil
}

// process parses raw client bytes, keeping application data in held and
// acting on protocol events.
func (c *Conn) process(src []byte) error {
	if len(c.held) == 0 {
		c.held = c.heldBuf[:0]
	}
	for len(src) > 0 {
		var n int
		var ev Event
		c.held, n, ev = c.parser.Parse(c.held, src)
		src = src[n:]
		if err := c.handle(ev); err != nil {
			return err
		}
	}
	return nil
}

func (c *Conn) handle(ev Event) error {
	switch ev.Kind {
	case EventNegotiation:
		if reply, ok := c.neg.Receive(ev.Command, ev.Option); ok {
			if err := c.writeRaw(reply.Bytes()); err != nil {
				return err
			}
		}
		if ev.Option == OptTTYPE && c.neg.Enabled(Remote, OptTTYPE) && !c.askedTermType {
			c.askedTermType = true
			return c.writeRaw(terminalTypeSend)
		}
	case EventSubnegotiation:
		c.subnegotiation(ev.Option, ev.Data)
	case EventCommand:
		if ev.Command == AYT {
			return c.writeRaw(aytAnswer)
		}
		// AO, NOP, DM, GA and unknown commands need nothing from a
		// server whose output is already interactive.
	}
	return nil
}

func (c *Conn) subnegotiation(opt byte, data []byte) {
	switch opt {
	case OptNAWS:
		size, ok := ParseNAWS(data)
		if !ok {
			return
		}
		c.gotNAWS = true
		c.mu.Lock()
		changed := c.size != size
		c.size = size
		c.mu.Unlock()
		if changed && c.cfg.OnResize != nil {
			c.cfg.OnResize(size)
		}
	case OptTTYPE:
		c.gotTermType = true
		if name, ok := ParseTerminalType(data); ok {
			c.mu.Lock()
			c.termType = name
			c.mu.Unlock()
		}
	}
}

// Write sends p to the client as NVT text: 0xFF is doubled (IAC IAC), a "\n"
// becomes "\r\n" unless a "\r" comes right before it (even at the end of the
// previous Write), and a "\r" not followed by "\n" becomes "\r\0" as RFC 854
// asks. It returns len(p) on success; on error, the number of bytes of p
// whose encoding was completely handed to the socket.
func (c *Conn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	done := 0
	for done < len(p) {
		end := min(done+writeChunk, len(p))
		c.wbuf = c.encode(c.wbuf[:0], p[done:end], p[end:])
		if _, err := c.nc.Write(c.wbuf); err != nil {
			return done, err
		}
		done = end
	}
	return len(p), nil
}

// encode appends the NVT form of chunk to dst; rest is what follows chunk in
// the same Write, so that a CR at the chunk's end sees its LF.
func (c *Conn) encode(dst, chunk, rest []byte) []byte {
	for i := 0; i < len(chunk); i++ {
		b := chunk[i]
		switch b {
		case IAC:
			dst = append(dst, IAC, IAC)
		case '\r':
			next := -1
			if i+1 < len(chunk) {
				next = int(chunk[i+1])
			} else if len(rest) > 0 {
				next = int(rest[0])
			}
			if next == '\n' {
				dst = append(dst, '\r') // the LF follows as a plain LF
			} else {
				dst = append(dst, '\r', 0)
			}
		case '\n':
			if !c.lastCR {
				dst = append(dst, '\r')
			}
			dst = append(dst, '\n')
		default:
			dst = append(dst, b)
		}
		c.lastCR = b == '\r'
	}
	return dst
}

// writeRaw sends protocol bytes as they are.
func (c *Conn) writeRaw(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.nc.Write(b)
	return err
}

// Close closes the underlying connection.
func (c *Conn) Close() error { return c.nc.Close() }

// LocalAddr returns the local network address.
func (c *Conn) LocalAddr() net.Addr { return c.nc.LocalAddr() }

// RemoteAddr returns the client's network address.
func (c *Conn) RemoteAddr() net.Addr { return c.nc.RemoteAddr() }

// SetDeadline sets the read and write deadlines of the underlying connection.
func (c *Conn) SetDeadline(t time.Time) error { return c.nc.SetDeadline(t) }

// SetReadDeadline sets the read deadline of the underlying connection.
func (c *Conn) SetReadDeadline(t time.Time) error { return c.nc.SetReadDeadline(t) }

// SetWriteDeadline sets the write deadline of the underlying connection.
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.nc.SetWriteDeadline(t) }

var _ net.Conn = (*Conn)(nil)
