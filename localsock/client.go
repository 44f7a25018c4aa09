package localsock

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// DefaultSocket is where lisad listens unless told otherwise.
const DefaultSocket = "/run/lisa/lisa.sock"

// SocketPath returns the socket to use: the flag's value, else $LISA_SOCKET,
// else DefaultSocket.
func SocketPath(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if env := os.Getenv("LISA_SOCKET"); env != "" {
		return env
	}
	return DefaultSocket
}

// NotRunningError says lisad could not be reached.
type NotRunningError struct {
	Socket string
	Err    error
}

func (e *NotRunningError) Error() string {
	return fmt.Sprintf("lisad is not running (cannot connect to %s: %v; another lisad's socket is chosen with --socket or LISA_SOCKET)", e.Socket, unwrapOp(e.Err))
}

func unwrapOp(err error) error {
	if op, ok := err.(*net.OpError); ok {
		if sc, ok := op.Err.(*os.SyscallError); ok {
			return sc.Err
		}
		return op.Err
	}
	return err
}

// Conn is a client connection to lisad.
type Conn struct {
	c  net.Conn
	wm sync.Mutex
}

// Dial connects to lisad's socket.
func Dial(path string) (*Conn, error) {
	c, err := net.DialTimeout("unix", path, 5*time.Second)
	if err != nil {
		return nil, &NotRunningError{Socket: path, Err: err}
	}
	return &Conn{c: c}, nil
}

// Close closes the connection.
func (c *Conn) Close() error { return c.c.Close() }

// Send writes one frame; it may be called from several goroutines.
func (c *Conn) Send(typ byte, payload []byte) error {
	c.wm.Lock()
	defer c.wm.Unlock()
	return WriteFrame(c.c, typ, payload)
}

// Hello opens the conversation.
func (c *Conn) Hello(h Hello) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	return c.Send(FrameHello, b)
}

// Receive copies the daemon's output and error streams until the Exit frame
// and returns the exit status.
func (c *Conn) Receive(stdout, stderr io.Writer) (int, error) {
	for {
		typ, p, err := ReadFrame(c.c, MaxPayload)
		if err != nil {
			return 2, fmt.Errorf("connection to lisad lost: %w", err)
		}
		switch typ {
		case FrameOutput:
			stdout.Write(p)
		case FrameError:
			stderr.Write(p)
		case FrameExit:
			if len(p) != 4 {
				return 2, fmt.Errorf("bad exit frame")
			}
			return int(binary.BigEndian.Uint32(p)), nil
		}
	}
}

// Run is the whole conversation of a non-interactive client: hello, script
// lines from stdin if given, then output until the exit status.
func Run(socket string, h Hello, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	c, err := Dial(socket)
	if err != nil {
		return 2, err
	}
	defer c.Close()
	h.Stdin = stdin != nil
	if err := c.Hello(h); err != nil {
		return 2, err
	}
	if stdin != nil {
		go c.sendLines(stdin)
	}
	return c.Receive(stdout, stderr)
}

func (c *Conn) sendLines(r io.Reader) {
	buf := make([]byte, 0, 4096)
	chunk := make([]byte, 4096)
	for {
		n, err := r.Read(chunk)
		buf = append(buf, chunk[:n]...)
		for {
			i := indexByte(buf, '\n')
			if i < 0 {
				break
			}
			if c.Send(FrameLine, trimCR(buf[:i])) != nil {
				return
			}
			buf = buf[i+1:]
		}
		if err != nil {
			if len(buf) > 0 {
				c.Send(FrameLine, trimCR(buf))
			}
			c.Send(FrameEOF, nil)
			return
		}
	}
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

func trimCR(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '\r' {
		return b[:len(b)-1]
	}
	return b
}
